// The metamorphic checks judged on made-up outcomes (no worker): which units each applies to, the calls it asks
// for, and what it says when the relation breaks (permutation, temperature, shift, batch). diagnoses.test.ts has
// the causes they name; this has the relations themselves.
import { describe, expect, it } from 'vitest';
import type { Case } from '../cases/case.js';
import { reduceAxes, type AxisRule } from '../contracts.js';
import { domainsOf } from '../engine/domains.js';
import { makeOracle } from '../engine/evaluate.js';
import { unitsFor, type Unit } from '../engine/unit.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import type { CallOutcome } from '../worker/types.js';
import type { Check, JudgeContext, Judgement } from './check.js';
import { batchIndependenceCheck, permutationCheck, shiftInvarianceCheck, temperatureCheck } from './relations.js';

const oracle = makeOracle('ieee');

function unitOf(input: Tensor, callStyle: 'x' | 'x-theta-axis' = 'x', rule: AxisRule = 'last'): Unit {
  const c: Case = { id: 'test/x', title: 'x', source: 'adversarial', family: 'ordinary', input };
  return unitsFor(c, { rule, policy: 'ieee', claimed: true, callStyle })[0];
}
const ctxOf = (unit: Unit): JudgeContext => ({
  profile: getProfile('strict'), policy: 'ieee', domains: domainsOf(unit), oracle: (input, axes = unit.axes) => oracle(input, axes), mayReject: () => false,
});
const ok = (output: Tensor): CallOutcome => ({ kind: 'ok', output, numpyDtype: output.dtype, mutated: false, captured: '', ms: 0 });
const softmax = (input: Tensor, change: (v: number, i: number) => number = (v) => v): Tensor =>
  fromNumbers('float64', input.shape, Array.from(toNumbers(oracle(input, reduceAxes('last', input.shape))), change));
function judge(check: Check, unit: Unit, answer: (input: Tensor, k: number) => Tensor): Judgement {
  return check.judge(unit, check.probes(unit).map((p, k) => ok(answer(p.input, k))), ctxOf(unit));
}
const detail = (j: Judgement): string => (j.status === 'fail' ? j.detail : `(${j.status})`);
const applies = (check: Check, unit: Unit) => check.applies(unit, domainsOf(unit));

const x2 = fromNumbers('float64', [2, 3], [1, 2, 4, 0.5, -1, 3]);

describe('permutation', () => {
  it('asks for the plain call and the reversed slices, and passes a softmax', () => {
    const u = unitOf(x2);
    const probes = permutationCheck.probes(u);
    expect(probes.map((p) => Array.from(toNumbers(p.input)))).toEqual([[1, 2, 4, 0.5, -1, 3], [4, 2, 1, 3, -1, 0.5]]);
    expect(judge(permutationCheck, u, (input) => softmax(input))).toEqual({ status: 'pass' });
  });

  it('fails when the order matters, naming the element, and diagnoses it', () => {
    const u = unitOf(x2);
    // a position-dependent result: the first element of every slice gets 0.5 whatever it is
    const j = judge(permutationCheck, u, (input) => softmax(input, (v, i) => (i % 3 === 0 ? 0.5 : v)));
    expect(detail(j)).toMatch(/^on 2x3 \[1, 2, 4, 0\.5, -1, 3\] \(float64\), output\[0, 0\] is 0\.5 but 0\.04\d+ \(\d+ ULP apart\) when the slice is reversed$/);
    expect(j).toMatchObject({ evidence: { input: permutationCheck.probes(u)[1].input } });
    expect(permutationCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('the result depends on the order of elements within a slice: D');
  });

  it('applies to ordinary inputs with a reduced axis longer than 1', () => {
    expect(applies(permutationCheck, unitOf(x2))).toBe(true);
    expect(applies(permutationCheck, unitOf(fromNumbers('float64', [3, 1], [1, 2, 3])))).toBe(false);
    expect(applies(permutationCheck, unitOf(fromNumbers('float64', [2], [NaN, 1])))).toBe(false);
    expect(applies(permutationCheck, unitOf(fromNumbers('float64', [2], [1000, 1])))).toBe(false);
  });
});

describe('temperature', () => {
  const u = unitOf(x2, 'x-theta-axis');

  it('asks for f(x, theta=2) and f(2x, theta=1), and passes when they agree', () => {
    const [a, b] = temperatureCheck.probes(u);
    expect(a.args.theta).toBe(2);
    expect(Array.from(toNumbers(a.input))).toEqual([1, 2, 4, 0.5, -1, 3]);
    expect(b.args.theta).toBe(1);
    expect(Array.from(toNumbers(b.input))).toEqual([2, 4, 8, 1, -2, 6]);
    expect(judge(temperatureCheck, u, (input, k) => softmax(k === 0 ? fromNumbers('float64', input.shape, Array.from(toNumbers(input), (v) => 2 * v)) : input))).toEqual({ status: 'pass' });
  });

  it('fails when theta is ignored (or divides), naming where', () => {
    const j = judge(temperatureCheck, u, (input) => softmax(input));
    expect(detail(j)).toMatch(/^on 2x3 \[1, 2, 4, 0\.5, -1, 3\] \(float64\), at \[0, 0\] theta=2 gives 0\.04\d+ but doubling the input gives 0\.00\d+ \(\d+ ULP apart\)$/);
    expect(temperatureCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('theta does not act as a multiplier on the logits: D');
  });

  it('applies only to the theta call style, to representable inputs of rank >= 1', () => {
    expect(applies(temperatureCheck, u)).toBe(true);
    expect(applies(temperatureCheck, unitOf(x2))).toBe(false);
    expect(applies(temperatureCheck, unitOf(fromNumbers('float64', [2], [1e4, 0]), 'x-theta-axis'))).toBe(false);
    expect(applies(temperatureCheck, unitOf(fromNumbers('float64', [2], [Infinity, 0]), 'x-theta-axis'))).toBe(false);
    expect(applies(temperatureCheck, unitOf(fromNumbers('float64', [], [1]), 'x-theta-axis'))).toBe(false);
  });
});

describe('shift-invariance and batch-independence: what they apply to and ask for', () => {
  it('shift: +S on even slices, -S on odd ones (S by dtype); not on 0-d or bool inputs', () => {
    const u = unitOf(x2);
    expect(Array.from(toNumbers(shiftInvarianceCheck.probes(u)[1].input))).toEqual([801, 802, 804, -799.5, -801, -797]);
    const f16 = unitOf(fromNumbers('float16', [2], [1, 2]));
    expect(Array.from(toNumbers(shiftInvarianceCheck.probes(f16)[1].input))).toEqual([13, 14]);
    expect(applies(shiftInvarianceCheck, u)).toBe(true);
    expect(applies(shiftInvarianceCheck, unitOf(fromNumbers('float64', [], [1])))).toBe(false);
    expect(applies(shiftInvarianceCheck, unitOf(fromNumbers('bool', [2], [1, 0])))).toBe(false);
    expect(shiftInvarianceCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('not shift-invariant: D');
    expect(judge(shiftInvarianceCheck, u, (input) => softmax(input))).toEqual({ status: 'pass' });
  });

  it('batch: the batch and its slices with the largest and smallest max, alone; not for a single slice', () => {
    const x = fromNumbers('float64', [3, 2], [0, 1, 5, 2, -3, -4]);
    const u = unitOf(x);
    const probes = batchIndependenceCheck.probes(u);
    expect(probes.map((p) => Array.from(toNumbers(p.input)))).toEqual([[0, 1, 5, 2, -3, -4], [5, 2], [-3, -4]]);
    expect(applies(batchIndependenceCheck, u)).toBe(true);
    expect(applies(batchIndependenceCheck, unitOf(fromNumbers('float64', [1, 2], [0, 1])))).toBe(false);
    // all slices with the same max: one slice alone
    expect(batchIndependenceCheck.probes(unitOf(fromNumbers('float64', [2, 2], [1, 0, 1, -1])))).toHaveLength(2);
    expect(judge(batchIndependenceCheck, u, (input) => softmax(input))).toEqual({ status: 'pass' });
    const j = judge(batchIndependenceCheck, u, (input, k) => softmax(input, (v, i) => (k === 0 && i === 5 ? v * 1.5 : v)));
    expect(detail(j)).toMatch(/^on 3x2 \[0\.0, 1, 5, 2, -3, -4\] \(float64\), output\[2, 1\] \(in the slice starting at \[2, 0\]\) is 0\.4\d+ inside the batch but 0\.2\d+ \(\d+ ULP apart\) when the slice is computed alone$/);
    expect(batchIndependenceCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('a slice gives a different result inside the batch than alone: D');
  });
});

describe('a probe without a usable output', () => {
  it('fails as that call failed, or leaves the relation unjudged', () => {
    const u = unitOf(x2);
    const raised: CallOutcome = { kind: 'raised', type: 'ValueError', message: 'bad', traceback: '', captured: '', ms: 0 };
    const j = permutationCheck.judge(u, [ok(softmax(x2)), raised], ctxOf(u));
    expect(j).toMatchObject({ status: 'fail', raised: 'ValueError: bad' });
    const t = permutationCheck.judge(u, [{ kind: 'timeout', limitMs: 5 }, ok(softmax(x2))], ctxOf(u));
    expect(t).toEqual({ status: 'unjudged', detail: 'not judged: the call timed out after 5 ms (see timeout)' });
  });
});

// Issue 19 (mutation scores): what the first Stryker run of this file left alive.
describe('relations: allowances and probes at the edges', () => {
  const ulpUp = (v: number, k: number) => v * (1 + k * 2 ** -52);

  it('two outputs of an element far below its slice\'s max may differ by what its conditioning allows', () => {
    const x = fromNumbers('float64', [2], [10, -30]); // element 1: |x - max| = 40: the structural bound allows 64 x 41 eps relative
    const u = unitOf(x);
    expect(judge(permutationCheck, u, (input, k) => softmax(input, (v, i) => (k === 1 && i === 0 ? ulpUp(v, 2000) : v)))).toEqual({ status: 'pass' });
    expect(judge(permutationCheck, u, (input, k) => softmax(input, (v, i) => (k === 1 && i === 0 ? ulpUp(v, 10000) : v))).status).toBe('fail');
    const b = unitOf(fromNumbers('float64', [2, 2], [0, -40, 1, 2]));
    expect(judge(batchIndependenceCheck, b, (input, k) => softmax(input, (v, i) => (k === 0 && i === 1 ? ulpUp(v, 1000) : v)))).toEqual({ status: 'pass' });
  });

  it('log-softmax outputs are compared with log-softmax\'s absolute allowance', () => {
    const x = fromNumbers('float64', [2], [0, -46]);
    const u = unitOf(x);
    const logOracle = makeOracle('ieee', 'log-softmax');
    const ctx: JudgeContext = { ...ctxOf(u), op: 'log-softmax', oracle: (input, axes = u.axes) => logOracle(input, axes) };
    const logOf = (input: Tensor, change: (v: number, i: number) => number) => fromNumbers('float64', input.shape, Array.from(toNumbers(logOracle(input, u.axes)), change));
    // the max element's result is ~ -1e-20: 1e-17 off is within eps absolute, far outside eps relative
    const outcomes = permutationCheck.probes(u).map((p, k) => ok(logOf(p.input, (v) => (k === 1 && v > -1 ? v - 1e-17 : v))));
    expect(permutationCheck.judge(u, outcomes, ctx)).toEqual({ status: 'pass' });
  });

  it('shift: the sign alternates slice by slice, and the rounding of the shifted float32 input is allowed for', () => {
    const x = fromNumbers('float64', [3, 1], [1, 2, 3]);
    expect(Array.from(toNumbers(shiftInvarianceCheck.probes(unitOf(x, 'x', 'last'))[1].input))).toEqual([801, -798, 803]);
    // float32: 0.1 + 100 rounds to a spacing of 2^-17, which moves the softmax far more than its own ULPs
    const f = fromNumbers('float32', [2, 2], [0.1, 0.7, 0.3, 0.9]);
    const uf = unitOf(f);
    const correct = (input: Tensor) => oracle(input, uf.axes);
    expect(judge(shiftInvarianceCheck, uf, correct)).toEqual({ status: 'pass' });
  });

  it('shift: the failure says what moved, from what to what, and no cause when the shifted output is finite', () => {
    const u = unitOf(fromNumbers('float64', [1, 2], [0, 1]));
    const j = judge(shiftInvarianceCheck, u, (input, k) => softmax(input, (v, i) => (k === 1 && i === 0 ? 0.25 : v)));
    expect(detail(j)).toMatch(/^shifting the slices of 1x2 \[0\.0, 1\] \(float64\) by ±800 changes output\[0, 0\] from 0\.2689\d+ to 0\.25 \(\d+ ULP apart\)$/);
  });

  it('a rejected call leaves the relation unjudged, with the rejection\'s words', () => {
    const u = unitOf(x2);
    const raised: CallOutcome = { kind: 'raised', type: 'ValueError', message: 'bad', traceback: '', captured: '', ms: 0 };
    expect(permutationCheck.judge(u, [ok(softmax(x2)), raised], { ...ctxOf(u), mayReject: () => true })).toEqual({ status: 'unjudged', detail: 'raised ValueError: bad' });
  });

  it('permutation applies when any reduced axis is longer than 1', () => {
    expect(applies(permutationCheck, unitOf(fromNumbers('float64', [1, 3], [1, 2, 3]), 'x', 'all'))).toBe(true);
  });
});
