// What the checks say, judged on made-up outcomes (no worker): exact values with their ULP distance (issue 13,
// item 3), a cause only where the evidence shows it (item 6), and every comparison under the active profile (item 7).
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
import { valuesCheck } from './against-oracle.js';
import { batchIndependenceCheck, permutationCheck, shiftInvarianceCheck } from './relations.js';
import { rangeCheck, sumToOneCheck } from './slice-properties.js';
import { determinismCheck } from './structure.js';

const oracle = makeOracle('ieee');

function unitOf(input: Tensor, rule: AxisRule = 'last'): Unit {
  const c: Case = { id: 'test/x', title: 'x', source: 'adversarial', family: 'ordinary', input };
  return unitsFor(c, { rule, policy: 'ieee', claimed: true, callStyle: 'x' })[0];
}

function ctxOf(unit: Unit, profile = 'strict'): JudgeContext {
  return {
    profile: getProfile(profile),
    policy: 'ieee',
    domains: domainsOf(unit),
    oracle: (input, axes = unit.axes) => oracle(input, axes),
    mayReject: () => false,
  };
}

const ok = (output: Tensor): CallOutcome => ({ kind: 'ok', output, numpyDtype: output.dtype, mutated: false, captured: '', ms: 0 });

/** The correct softmax of an input over a rule's axes, then changed element by element. */
function softmaxOf(input: Tensor, rule: AxisRule = 'last', change: (v: number, i: number) => number = (v) => v): Tensor {
  const y = toNumbers(oracle(input, reduceAxes(rule, input.shape)));
  return fromNumbers('float64', input.shape, Array.from(y, change));
}

/** Judge with outcomes made by `answer` for each of the check's probes. */
function judge(check: Check, unit: Unit, answer: (input: Tensor, k: number) => Tensor, profile = 'strict'): Judgement {
  const outcomes = check.probes(unit).map((p, k) => ok(answer(p.input, k)));
  return check.judge(unit, outcomes, ctxOf(unit, profile));
}

const detail = (j: Judgement): string => (j.status === 'fail' ? j.detail : `(${j.status})`);

const x2 = fromNumbers('float64', [2, 4], [1, 2, 3, 6, 2, 4, 5, 6]);

describe('item 3: values that differ print differently, with their ULP distance', () => {
  it('values: 64 ULP off reads as two different numbers', () => {
    const x = fromNumbers('float64', [2], [0.1, 0.25]);
    const j = judge(valuesCheck, unitOf(x), (input) => softmaxOf(input, 'last', (v, i) => (i === 0 ? v + 64 * 2 ** -54 : v)));
    const m = /output\[0\] is ([\d.e-]+) where the correctly rounded value is ([\d.e-]+) \((\d+) ULP apart/.exec(detail(j));
    expect(m, detail(j)).not.toBeNull();
    expect(m![1]).not.toBe(m![2]);
    expect(Number(m![3])).toBeGreaterThan(10);
  });

  it('determinism: the element that differs, exactly (not "[1] then [1]")', () => {
    const x = fromNumbers('float64', [1], [3]);
    const j = judge(determinismCheck, unitOf(x), (_input, k) => fromNumbers('float64', [1], [k === 0 ? 1 : 1 - 2 ** -53]));
    expect(detail(j)).toContain('output[0] is 1.0 then 0.9999999999999999 (1 ULP apart)');
  });

  it('range on a 0-d output: named as such, with its distance from 1', () => {
    const x = fromNumbers('float64', [], [2.5]);
    const j = judge(rangeCheck, unitOf(x), () => fromNumbers('float64', [], [1 + 2 ** -52]), 'exact');
    expect(detail(j)).toContain('the 0-d output is 1.0000000000000002 (1 ULP above 1), outside [0, 1]');
    expect(detail(j)).not.toContain('output[]');
  });
});

describe('item 6: the symptom first, a cause only where the evidence shows it', () => {
  it('shift-invariance: an inaccurate shift is a symptom only; NaN after the shift names the missing max', () => {
    const u = unitOf(x2);
    const inaccurate = judge(shiftInvarianceCheck, u, (input, k) => softmaxOf(input, 'last', (v) => (k === 1 ? v * (1 + 1e-11) : v)));
    expect(inaccurate.status).toBe('fail');
    expect(detail(inaccurate)).not.toMatch(/max is not subtracted/);
    expect(shiftInvarianceCheck.diagnose([{ unit: u, detail: detail(inaccurate) }])).not.toMatch(/max is not subtracted/);
    const overflowed = judge(shiftInvarianceCheck, u, (input, k) => softmaxOf(input, 'last', (v, i) => (k === 1 && i < 4 ? NaN : v)));
    expect(detail(overflowed)).toMatch(/the shifted output is nan at \[0, 0\] where the unshifted one is finite, so the max is not subtracted per slice/);
  });

  it('batch-independence: "normalises across slices" only when the batch output is another rule\'s softmax', () => {
    const u = unitOf(x2);
    // The batch call (probe 0) gets the whole-array softmax; a slice alone gets its own (correct) softmax.
    const across = judge(batchIndependenceCheck, u, (input, k) => softmaxOf(input, k === 0 ? 'all' : 'last'));
    expect(detail(across)).toMatch(/softmax over the whole array, so it normalises across slices/);
    // Noise: the batch differs from the slice alone, but is no other rule's softmax.
    const noisy = judge(batchIndependenceCheck, u, (input, k) => softmaxOf(input, 'last', (v, i) => (k === 0 ? v * (1 + 1e-9 * ((i % 3) - 1)) : v)));
    expect(noisy.status).toBe('fail');
    expect(detail(noisy)).not.toMatch(/normalises across slices/);
    expect(batchIndependenceCheck.diagnose([{ unit: u, detail: detail(noisy) }])).not.toMatch(/normalises across slices/);
  });
});

describe('item 7: comparisons without the oracle follow the profile', () => {
  // Every element 1e-14 above the correct value: beyond 64 eps for the small ones, far inside framework's atol.
  const bumped = (input: Tensor, k: number) => softmaxOf(input, 'last', (v) => (k === 1 ? v + 1e-14 : v));

  it('the metamorphic checks: 1e-14 passes under framework, fails under strict', () => {
    const u = unitOf(x2);
    for (const check of [shiftInvarianceCheck, permutationCheck]) {
      expect(judge(check, u, bumped, 'framework').status, check.name).toBe('pass');
      expect(judge(check, u, bumped, 'strict').status, check.name).toBe('fail');
    }
  });

  it('sum-to-one: slices 4e-14 off pass under framework, fail under strict', () => {
    const u = unitOf(x2);
    const all = (input: Tensor) => softmaxOf(input, 'last', (v) => v + 1e-14);
    expect(judge(sumToOneCheck, u, all, 'framework').status).toBe('pass');
    expect(judge(sumToOneCheck, u, all, 'strict').status).toBe('fail');
  });
});
