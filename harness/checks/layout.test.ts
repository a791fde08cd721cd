// The layout check judged on made-up outcomes (no worker): the same values in another memory layout must give a
// result as right as C order; a wrong C-order result, a write to a read-only input and an unusable outcome are other
// families' findings. Written for the mutation score (docs/mutation.md): before it, only test/ audits (kernel-audit's
// memory-order reader) exercised this file.
import { describe, expect, it } from 'vitest';
import { ctxOf, ok, raised, unitOf } from '../../test/helpers/judging.js';
import { domainsOf } from '../engine/domains.js';
import { makeOracle } from '../engine/evaluate.js';
import type { Unit } from '../engine/unit.js';
import type { MemoryLayout } from '../tensor/layout.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Judgement } from './check.js';
import { layoutCheck, layoutProbe, readOnlyProbes, readOnlyWrite } from './layout.js';

const x = fromNumbers('float64', [2, 3], [1, 2, 4, 0.5, -1, 3]);
const unitIn = (layout: MemoryLayout | undefined, input: Tensor = x): Unit => unitOf(input, layout ? { layout } : {});
const oracle = makeOracle('ieee');
const right = oracle(x, [1]);
const judge = (unit: Unit, plain: CallOutcome, laid: CallOutcome, language?: 'python' | 'javascript'): Judgement => layoutCheck.judge(unit, [plain, laid], ctxOf(unit, { language }));

describe('layout', () => {
  it('applies to cases with a layout other than C order, not to empty inputs', () => {
    const applies = (u: Unit) => layoutCheck.applies(u, domainsOf(u));
    expect(applies(unitIn({ kind: 'fortran' }))).toBe(true);
    expect(applies(unitIn(undefined))).toBe(false);
    expect(applies(unitIn({ kind: 'c' }))).toBe(false);
    expect(applies(unitIn({ kind: 'fortran' }, fromNumbers('float64', [2, 0], [])))).toBe(false);
  });

  it('asks for the plain call and the call with the layout', () => {
    const u = unitIn({ kind: 'negative-stride', axis: 1 });
    expect(layoutCheck.probes(u)).toEqual([primaryProbe(u), layoutProbe(u)]);
    expect(layoutProbe(u)).toEqual({ input: x, args: { ...u.args, layout: { kind: 'negative-stride', axis: 1 } } });
  });

  it('passes the right result in the layout', () => {
    expect(judge(unitIn({ kind: 'fortran' }), ok(right), ok(right))).toEqual({ status: 'pass' });
  });

  it('fails a different result, naming the layout, the element, C order\'s value and the right one', () => {
    const u = unitIn({ kind: 'fortran' });
    const wrong = fromNumbers('float64', [2, 3], Array.from(toNumbers(right), (v, i) => (i === 1 ? 0.5 : v)));
    const j = judge(u, ok(right), ok(wrong));
    expect(j.status === 'fail' && j.detail).toMatch(/^gives a different result for the same values in Fortran order \(C order: right\): on .*, at \[0, 1\] it returns 0\.5 where C order gives 0\.114\d* and the correctly rounded value is 0\.114\d*$/);
    expect(j).toMatchObject({ evidence: { input: x, args: layoutProbe(u).args, actual: wrong, expected: right } });
    expect(layoutCheck.diagnose([{ unit: u, detail: 'D' }])).toBe('D');
    // a JavaScript candidate's misaligned layout is named as what it is there
    const js = judge(unitIn({ kind: 'misaligned' }), ok(right), ok(wrong), 'javascript');
    expect(js.status === 'fail' && js.detail).toContain('in a subarray view at an offset into a larger buffer (C order: right)');
  });

  it('fails an exception raised only in the layout, with its first line', () => {
    const u = unitIn({ kind: 'strided', axis: 1 });
    const j = judge(u, ok(right), raised('ValueError', '\nndarray is not C-contiguous\ntrace'));
    expect(j).toMatchObject({ status: 'fail', evidence: { input: x, args: layoutProbe(u).args, error: 'raised ValueError: ndarray is not C-contiguous' } });
    expect(j.status === 'fail' && j.detail).toMatch(/^fails on the same values in .* \(C order: right\): raised ValueError: ndarray is not C-contiguous on /);
    expect(judge(u, ok(right), raised('KeyError', ''))).toMatchObject({ status: 'fail', evidence: { error: 'raised KeyError' } });
  });

  it('does not judge when C order is wrong too, when a read-only input was written to, or when the call did not return', () => {
    const wrongToo = fromNumbers('float64', [2, 3], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(judge(unitIn({ kind: 'fortran' }), ok(wrongToo), ok(wrongToo))).toEqual({ status: 'unjudged', detail: 'not judged: the C-order call is not right either (see values)' });
    const write = raised('ValueError', 'assignment destination is read-only');
    expect(judge(unitIn({ kind: 'readonly' }), ok(right), write)).toEqual({ status: 'unjudged', detail: 'not judged: it writes to its read-only input (see mutation)' });
    expect(judge(unitIn({ kind: 'broadcast', axis: 0 }), ok(right), write)).toEqual({ status: 'unjudged', detail: 'not judged: it writes to its read-only input (see mutation)' });
    // the same message from a layout that is not read-only is the layout's own failure
    expect(judge(unitIn({ kind: 'fortran' }), ok(right), write).status).toBe('fail');
    expect(judge(unitIn({ kind: 'fortran' }), ok(right), { kind: 'crash', exitCode: 1, signal: null, stderr: '' })).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
 
    // A C-order call that did not return is its own family's finding, said as that family says it (not "wrong")...
    const crash: CallOutcome = { kind: 'crash', exitCode: null, signal: 'SIGSEGV', stderr: '' };
    expect(judge(unitIn({ kind: 'fortran' }), crash, ok(right))).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
    // ... and one that rejected an input it may reject is said to have rejected it, not to be wrong.
    const u = unitIn({ kind: 'fortran' });
    const rejects = layoutCheck.judge(u, [raised('ValueError', 'no NaN here'), ok(right)], { ...ctxOf(u), mayReject: () => true });
    expect(rejects).toEqual({ status: 'unjudged', detail: 'not judged: the C-order call rejected the input (see values)' });
  });
});

describe('read-only inputs, for the mutation check', () => {
  it('asks for the read-only call only where the case has a read-only layout and values', () => {
    expect(readOnlyProbes(unitIn({ kind: 'readonly' }))).toEqual([layoutProbe(unitIn({ kind: 'readonly' }))]);
    expect(readOnlyProbes(unitIn({ kind: 'broadcast', axis: 0 }))).toHaveLength(1);
    expect(readOnlyProbes(unitIn({ kind: 'fortran' }))).toEqual([]);
    expect(readOnlyProbes(unitIn(undefined))).toEqual([]);
    expect(readOnlyProbes(unitIn({ kind: 'readonly' }, fromNumbers('float64', [2, 0], [])))).toEqual([]);
  });

  it('a write to it is a mutation with NumPy\'s words; any other outcome is none', () => {
    const u = unitIn({ kind: 'readonly' });
    for (const message of ['assignment destination is read-only', 'output array is read-only', 'array is not writeable', 'non-writeable array', 'readonly']) {
      expect(readOnlyWrite(u, raised('ValueError', message))).toEqual({
        status: 'fail',
        detail: `writes to its input: given a read-only array it raises ValueError: ${message}`,
        evidence: { input: x, args: layoutProbe(u).args, error: `ValueError: ${message}` },
      });
    }
    expect(readOnlyWrite(u, raised('ValueError', 'shapes do not match'))).toBeUndefined();
    expect(readOnlyWrite(u, ok(right))).toBeUndefined();
  });
});
