// The first step of every check: an outcome that is no usable array becomes the judgement its case gets (each kind
// with its own sentence), a usable one is handed on, and values are brought to the contract's dtype. Written for the
// mutation score (docs/mutation.md): before it, only test/ audits exercised most of these branches.
import { describe, expect, it } from 'vitest';
import { ok, raised } from '../../test/helpers/judging.js';
import { fromNumbers, toNumbers } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';
import type { JudgeContext, Probe } from './check.js';
import { firstLine, inExpectedDtype, sameShape, usableOutput } from './outcome.js';

const x = fromNumbers('float64', [2, 2], [1, 2, 3, 4]);
const probe: Probe = { input: x, args: { axis: -1 } };
const ctx = (reject: boolean): JudgeContext => ({ mayReject: () => reject } as unknown as JudgeContext);
const judgementOf = (o: CallOutcome, reject = false, strict = true) => {
  const u = usableOutput(o, probe, ctx(reject), strict);
  return u.ok ? undefined : u.judgement;
};

describe('usableOutput', () => {
  it('hands on an output of the input\'s shape', () => {
    const y = fromNumbers('float64', [2, 2], [0.3, 0.7, 0.3, 0.7]);
    expect(usableOutput(ok(y), probe, ctx(false))).toEqual({ ok: true, output: y });
  });

  it('an output of another shape is unjudged (rank says it), unless the check asks for any shape', () => {
    const flat = fromNumbers('float64', [4], [0.3, 0.7, 0.3, 0.7]);
    expect(judgementOf(ok(flat))).toEqual({ status: 'unjudged', detail: 'not judged: returned shape (4,) for input (2, 2) (see rank)' });
    expect(usableOutput(ok(flat), probe, ctx(false), false)).toEqual({ ok: true, output: flat });
    expect(usableOutput(ok(flat), probe, ctx(false))).toMatchObject({ ok: false }); // strict is the default
  });

  it('an exception is a rejection where the input may be rejected, and a failure with the exception elsewhere', () => {
    const valueError = raised('ValueError', '\n \nbad input\nmore');
    expect(judgementOf(valueError, true)).toEqual({ status: 'rejected', detail: 'raised ValueError: bad input' });
    expect(judgementOf(valueError, false)).toEqual({
      status: 'fail',
      detail: 'raised ValueError: bad input on 2x2 [1, 2, 3, 4] (float64), an ordinary input it must support',
      evidence: { input: x, args: { axis: -1 }, error: 'raised ValueError: bad input' },
      raised: 'ValueError: bad input',
    });
    expect(judgementOf(raised('KeyError', ''), true)).toEqual({ status: 'rejected', detail: 'raised KeyError' });
  });

  it('every other outcome is unjudged, saying which family reports it', () => {
    expect(judgementOf({ kind: 'bad-output', problem: 'returned a list' } as CallOutcome)).toEqual({ status: 'unjudged', detail: 'not judged: returned a list (see output)' });
    expect(judgementOf({ kind: 'timeout', limitMs: 1500 } as CallOutcome)).toEqual({ status: 'unjudged', detail: 'not judged: the call timed out after 1500 ms (see timeout)' });
    expect(judgementOf({ kind: 'crash', exitCode: 1, signal: null, stderr: '' })).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
    expect(judgementOf({ kind: 'crash', exitCode: 1, signal: null, stderr: '', device: 'CUDA error: illegal address' } as CallOutcome)).toEqual({ status: 'unjudged', detail: 'not judged: CUDA error: illegal address (see crash)' });
    expect(judgementOf({ kind: 'memory', limitMb: 512 } as CallOutcome)).toEqual({ status: 'unjudged', detail: 'not judged: the call exceeded the 512 MiB memory cap (see memory)' });
    expect(judgementOf({ kind: 'memory', limitMb: 512, device: 'CUDA out of memory' } as CallOutcome)).toEqual({ status: 'unjudged', detail: 'not judged: CUDA out of memory (see memory)' });
    expect(judgementOf({ kind: 'not-run', reason: 'the time budget ran out' })).toEqual({ status: 'unjudged', detail: 'not run: the time budget ran out' });
  });
});

describe('sameShape', () => {
  it('is equal rank and equal lengths, axis by axis', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2, 3], [2, 4])).toBe(false);
    expect(sameShape([6], [6, 1])).toBe(false);
    expect(sameShape([2, 3], [2])).toBe(false);
  });
});

describe('inExpectedDtype', () => {
  it('keeps an output already in the contract\'s dtype (the same object), and widens another exactly', () => {
    const y = fromNumbers('float64', [2], [0.25, 0.75]);
    expect(inExpectedDtype(y, x)).toBe(y);
    const f32 = fromNumbers('float32', [2], [0.1, 0.9]);
    const wide = inExpectedDtype(f32, x);
    expect(wide.dtype).toBe('float64');
    expect(Array.from(toNumbers(wide))).toEqual(Array.from(toNumbers(f32))); // the float32 values, exactly
    const i = fromNumbers('int32', [2], [1, 2]);
    expect(inExpectedDtype(f32, i).dtype).toBe('float64'); // integers' softmax is float64
    expect(inExpectedDtype(f32, fromNumbers('float32', [2], [1, 2]))).toBe(f32);
  });
});

describe('firstLine', () => {
  it('is the first line that is not blank, cut at 200 characters with an ellipsis', () => {
    expect(firstLine('\n \n  first\nsecond')).toBe('  first');
    expect(firstLine('')).toBe('');
    expect(firstLine('\n\n')).toBe('');
    expect(firstLine('a'.repeat(200))).toBe('a'.repeat(200));
    expect(firstLine('a'.repeat(201))).toBe(`${'a'.repeat(200)}…`);
  });
});
