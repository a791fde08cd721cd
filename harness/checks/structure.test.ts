// The form checks judged on made-up outcomes (no worker): dtype, rank, empty, mutation and determinism, each on a
// result that keeps its promise and on one that breaks it, with the sentence it says. Written for their mutation
// score (docs/mutation.md): before it, only test/ audits exercised this file.
import { describe, expect, it } from 'vitest';
import { ctxOf, ok, raised, unitOf } from '../../test/helpers/judging.js';
import { domainsOf } from '../engine/domains.js';
import { makeOracle } from '../engine/evaluate.js';
import type { Unit } from '../engine/unit.js';
import { fromNumbers } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check } from './check.js';
import { determinismCheck, dtypeCheck, emptyCheck, mutationCheck, rankCheck } from './structure.js';

const oracle = makeOracle('ieee');
const crash: CallOutcome = { kind: 'crash', exitCode: 1, signal: null, stderr: '' };
const judge = (check: Check, unit: Unit, outcomes: CallOutcome[]) => check.judge(unit, outcomes, ctxOf(unit));

const x23 = fromNumbers('float64', [2, 3], [1, 2, 4, 0.5, -1, 3]);
const y23 = oracle(x23, [1]);

describe('dtype', () => {
  it('passes the input\'s float dtype, and float64 for integers', () => {
    expect(judge(dtypeCheck, unitOf(x23), [ok(y23)])).toEqual({ status: 'pass' });
    const i = fromNumbers('int32', [3], [1, 2, 3]);
    expect(judge(dtypeCheck, unitOf(i), [ok(oracle(i, [0]))])).toEqual({ status: 'pass' });
  });

  it('fails another dtype, by the NumPy dtype the worker reported when there is one', () => {
    const u = unitOf(x23);
    const f32 = fromNumbers('float32', [2, 3], [0.1, 0.2, 0.7, 0.3, 0.1, 0.6]);
    expect(judge(dtypeCheck, u, [ok(f32)])).toEqual({ status: 'fail', detail: 'returns float32 for float64 input (expected float64)', evidence: { input: x23, args: u.args, actual: f32 } });
    // the reported name wins over the tensor's own dtype (a JavaScript Float32Array read back as float64, say)
    expect(judge(dtypeCheck, u, [ok(y23, { numpyDtype: 'float32' })])).toMatchObject({ status: 'fail', detail: 'returns float32 for float64 input (expected float64)' });
    expect(judge(dtypeCheck, u, [ok(f32, { numpyDtype: '' })])).toMatchObject({ status: 'fail', detail: 'returns float32 for float64 input (expected float64)' });
  });

  it('applies to every unit, asks for the plain call, and leaves an unusable outcome unjudged', () => {
    const u = unitOf(x23);
    expect(dtypeCheck.applies(u, domainsOf(u))).toBe(true);
    expect(dtypeCheck.probes(u)).toEqual([primaryProbe(u)]);
    expect(judge(dtypeCheck, u, [crash])).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
    // a wrong shape is rank's to say, not a reason to leave the dtype unjudged
    expect(judge(dtypeCheck, u, [ok(fromNumbers('float32', [6], [1, 2, 3, 4, 5, 6]))]).status).toBe('fail');
    expect(dtypeCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('D');
  });
});

describe('rank and empty', () => {
  it('pass the input\'s exact shape and fail any other, saying both shapes', () => {
    const u = unitOf(x23);
    expect(judge(rankCheck, u, [ok(y23)])).toEqual({ status: 'pass' });
    const flat = fromNumbers('float64', [6], [1, 2, 3, 4, 5, 6]);
    expect(judge(rankCheck, u, [ok(flat)])).toEqual({ status: 'fail', detail: 'returns shape (6,) for input of shape (2, 3)', evidence: { input: x23, args: u.args, actual: flat } });
    const e = fromNumbers('float64', [2, 0], []);
    const ue = unitOf(e);
    expect(judge(emptyCheck, ue, [ok(e)])).toEqual({ status: 'pass' });
    expect(judge(emptyCheck, ue, [ok(fromNumbers('float64', [0], []))])).toMatchObject({ status: 'fail', detail: 'returns shape (0,) for the empty input of shape (2, 0)' });
    expect(judge(rankCheck, u, [crash]).status).toBe('unjudged');
    expect(rankCheck.probes(u)).toEqual([primaryProbe(u)]);
    expect(rankCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('D');
  });

  it('rank applies to every unit, empty only to inputs with a length-0 axis', () => {
    const u = unitOf(x23);
    const ue = unitOf(fromNumbers('float64', [2, 0], []));
    expect([rankCheck.applies(u, domainsOf(u)), rankCheck.applies(ue, domainsOf(ue))]).toEqual([true, true]);
    expect([emptyCheck.applies(u, domainsOf(u)), emptyCheck.applies(ue, domainsOf(ue))]).toEqual([false, true]);
    expect([rankCheck.name, rankCheck.family, emptyCheck.name, emptyCheck.family]).toEqual(['rank', 'rank', 'empty', 'empty']);
  });
});

describe('mutation', () => {
  it('passes an input left alone, and fails one changed in place, naming the first changed element exactly', () => {
    const u = unitOf(x23);
    expect(judge(mutationCheck, u, [ok(y23)])).toEqual({ status: 'pass' });
    const after = fromNumbers('float64', [2, 3], [1, 2, 0, 0.5, -1, 0]);
    const j = judge(mutationCheck, u, [ok(y23, { mutated: true, inputAfter: after })]);
    expect(j).toMatchObject({ status: 'fail', detail: 'modifies its input in place: input[0, 2] changed from 4.0 to 0.0' });
    expect(j.status === 'fail' && j.evidence).toEqual({ input: x23, args: u.args, actual: y23, error: 'input afterwards: 2x3 [1, 2, 0.0, 0.5, -1, 0.0]' });
    // -0 over 0 is a change (Object.is), and a mutation without the input's afterwards state still fails
    const z = fromNumbers('float64', [2], [0, 1]);
    expect(judge(mutationCheck, unitOf(z), [ok(z, { mutated: true, inputAfter: fromNumbers('float64', [2], [-0, 1]) })])).toMatchObject({ detail: 'modifies its input in place: input[0] changed from 0.0 to -0.0' });
    expect(judge(mutationCheck, u, [ok(y23, { mutated: true })])).toMatchObject({ status: 'fail', detail: 'modifies its input in place', evidence: { error: undefined } });
    // the same values afterwards (its dtype changed in place, say): the change is not named as an element's
    const same = fromNumbers('float32', [2, 3], [1, 2, 4, 0.5, -1, 3]);
    expect(judge(mutationCheck, u, [ok(y23, { mutated: true, inputAfter: same })])).toMatchObject({ status: 'fail', detail: 'modifies its input in place' });
  });

  it('leaves a call that did not return unjudged, saying how it ended', () => {
    const u = unitOf(x23);
    // ... and whose finding it is (engine/check-fold.ts isDeferred): with no case of its own, mutation is skipped
    expect(judge(mutationCheck, u, [crash])).toEqual({ status: 'unjudged', detail: 'not judged: the call ended with crash (see crash)' });
    expect(judge(mutationCheck, u, [raised('ValueError', 'no')])).toEqual({ status: 'unjudged', detail: 'not judged: the call raised ValueError (see values)' });
    expect(judge(mutationCheck, u, [{ kind: 'timeout', limitMs: 10 }])).toEqual({ status: 'unjudged', detail: 'not judged: the call ended with timeout (see timeout)' });
    expect(judge(mutationCheck, u, [{ kind: 'memory', limitMb: 64, stderr: '' }])).toEqual({ status: 'unjudged', detail: 'not judged: the call ended with memory (see memory)' });
    expect(judge(mutationCheck, u, [{ kind: 'bad-output', problem: 'a list', captured: '', ms: 0 }])).toEqual({ status: 'unjudged', detail: 'not judged: the call ended with bad-output (see output)' });
    // a call never made says why it was not (the budget's words are what the report counts apart)
    expect(judge(mutationCheck, u, [{ kind: 'not-run', reason: 'the budget' }])).toEqual({ status: 'unjudged', detail: 'not run: the budget' });
    expect(mutationCheck.applies(u, domainsOf(u))).toBe(true);
    expect(mutationCheck.probes(u)).toEqual([primaryProbe(u)]); // no read-only layout: the plain call only
    expect(mutationCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('D');
  });
});

describe('determinism', () => {
  it('asks for the same call twice and passes bit-identical results', () => {
    const u = unitOf(x23);
    expect(determinismCheck.probes(u)).toEqual([primaryProbe(u), { ...primaryProbe(u), repeat: 1 }]);
    expect(judge(determinismCheck, u, [ok(y23), ok(fromNumbers('float64', [2, 3], Array.from(y23.data as Float64Array)))])).toEqual({ status: 'pass' });
  });

  it('fails different results, showing the first different element in full', () => {
    const u = unitOf(x23);
    const v = Array.from(y23.data as Float64Array);
    const other = fromNumbers('float64', [2, 3], v.map((a, i) => (i === 4 ? a * (1 + 2 ** -52) : a)));
    const j = judge(determinismCheck, u, [ok(y23), ok(other)]);
    expect(j.status === 'fail' && j.detail).toMatch(/^two identical calls on 2x3 \[1, 2, 4, 0\.5, -1, 3\] \(float64\) gave different results: output\[1, 1\] is 0\.01664451860927235\d then 0\.01664451860927235\d \(1 ULP apart\)$/);
    expect(j).toMatchObject({ evidence: { input: x23, args: u.args, actual: other, expected: y23 } });
    // different shapes: both results shown whole
    const k = judge(determinismCheck, u, [ok(y23), ok(fromNumbers('float64', [6], v))]);
    expect(k.status === 'fail' && k.detail).toMatch(/gave different results: 2x3 \[.*\] \(float64\) then \[.*\] \(float64\)$/);
    // different shapes and different values: still both whole (an element index would name a different place)
    const m = judge(determinismCheck, u, [ok(y23), ok(fromNumbers('float64', [6], v.map((a) => a / 2)))]);
    expect(m.status === 'fail' && m.detail).toMatch(/gave different results: 2x3 \[.*\] \(float64\) then \[.*\] \(float64\)$/);
    // NaNs with different payloads differ bit for bit though no element differs by value: both whole
    const n1 = fromNumbers('float64', [2, 1], [NaN, 1]);
    const n2 = fromNumbers('float64', [2, 1], [NaN, 1]);
    new DataView((n2.data as Float64Array).buffer).setUint32(0, 1, true);
    const nx = fromNumbers('float64', [2, 1], [1, 2]);
    const nj = judge(determinismCheck, unitOf(nx), [ok(n1), ok(n2)]);
    expect(nj.status === 'fail' && nj.detail).toMatch(/gave different results: 2x1 \[nan, 1\] \(float64\) then 2x1 \[nan, 1\] \(float64\)$/);
    // a first result of another shape than the input is still compared (the shape is rank's to judge)
    const flat = fromNumbers('float64', [6], v);
    expect(judge(determinismCheck, u, [ok(flat), ok(flat)])).toEqual({ status: 'pass' });
    // -0 and 0 differ bit for bit
    const z = fromNumbers('float64', [2], [0, 1]);
    expect(judge(determinismCheck, unitOf(z), [ok(z), ok(fromNumbers('float64', [2], [-0, 1]))]).status).toBe('fail');
  });

  it('does not apply to empty inputs, and leaves an unusable first or second call unjudged', () => {
    const u = unitOf(x23);
    const ue = unitOf(fromNumbers('float64', [2, 0], []));
    expect([determinismCheck.applies(u, domainsOf(u)), determinismCheck.applies(ue, domainsOf(ue))]).toEqual([true, false]);
    expect(judge(determinismCheck, u, [crash, ok(y23)]).status).toBe('unjudged');
    expect(judge(determinismCheck, u, [ok(y23), crash]).status).toBe('unjudged');
    expect(determinismCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('D');
  });
});
