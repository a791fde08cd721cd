// The engine's verdicts and diagnoses with a fake worker (a TypeScript "candidate", no process): allowed flushes
// apart from the ULP figures (issue 13, item 5), one diagnosis per exception (item 6), a check whose every case was
// rejected is not a pass, and a summary split by input dtype (item 8).
import { describe, expect, it } from 'vitest';
import type { Case } from '../cases/case.js';
import { ALL_CHECKS, checksNamed } from '../checks/registry.js';
import { oracle } from '../../reference/softmax.js';
import { resultDType, type DType } from '../tensor/dtype.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import { MIN_NORMAL } from '../tolerance/metrics.js';
import type { CallOutcome, CallRequest, ImplementationWorker } from '../worker/types.js';
import { evaluate, withShrunkDiagnosis } from './evaluate.js';
import { unitsFor, type Binding } from './unit.js';

type Answer = CallOutcome | Tensor;

/** A worker whose every call is answered by `fn` (a Tensor means a plain return). */
function fakeWorker(fn: (x: Tensor) => Answer): ImplementationWorker {
  return {
    importOutput: '',
    async call(requests: CallRequest[]): Promise<CallOutcome[]> {
      return requests.map((r) => {
        const a = fn(r.input);
        return 'kind' in a ? a : { kind: 'ok', output: a, numpyDtype: a.dtype, mutated: false, captured: '', ms: 0 };
      });
    },
    close: async () => undefined,
  };
}

const BINDING: Binding = { rule: 'last', policy: 'ieee', claimed: true, callStyle: 'x' };

function caseOf(id: string, dtype: DType, shape: number[], values: number[]): Case {
  return { id: `test/${id}`, title: id, source: 'adversarial', family: 'ordinary', input: fromNumbers(dtype, shape, values) };
}

/** The correctly rounded softmax along the last axis, in the result dtype. */
function correct(x: Tensor): Tensor {
  return oracle(x, x.shape.length ? [x.shape.length - 1] : [], { op: 'softmax', policy: 'ieee', outDtype: resultDType(x.dtype) });
}

async function run(cases: Case[], fn: (x: Tensor) => Answer, opts: { mayReject?: (x: Tensor) => boolean; checks?: string[] } = {}) {
  return evaluate(fakeWorker(fn), [{ binding: BINDING, units: cases.flatMap((c) => unitsFor(c, BINDING)) }], opts.checks ? checksNamed(opts.checks) : ALL_CHECKS, {
    profile: getProfile('strict'),
    policy: 'ieee',
    mayReject: opts.mayReject ?? (() => false),
    snippet: () => ({ python: '# snippet' }),
  });
}

const ORDINARY = [
  caseOf('a', 'float64', [2, 3], [1, 2, 3, 0.5, -1, 4]),
  caseOf('b', 'float32', [3], [0.25, 1, -2]),
  caseOf('c', 'float64', [4], [3, 1, 0.2, 7]),
];

describe('allowed flushes (item 5)', () => {
  it('are counted with the largest value flushed, and kept out of the ULP figures', async () => {
    // [0, -740]: the second result is about 4e-322, a subnormal that flush-to-zero arithmetic returns as 0.
    const cases = [caseOf('tiny', 'float64', [2], [0, -740])];
    const flushing = (x: Tensor) => {
      const y = correct(x);
      return fromNumbers(y.dtype, y.shape, Array.from(toNumbers(y), (v) => (Math.abs(v) < 2 * MIN_NORMAL.float64 ? 0 : v)));
    };
    const { results } = await run(cases, flushing, { checks: ['underflow'] });
    const r = results.find((c) => c.name === 'underflow')!;
    expect(r.verdict).toBe('pass');
    expect(r.stats!.flushedSubnormals).toBe(1);
    expect(r.stats!.largestFlushed).toBeGreaterThan(0);
    expect(r.stats!.largestFlushed).toBeLessThan(2 * MIN_NORMAL.float64);
    expect(r.stats!.maxUlp).toBe(0); // the flush is not an 80-ULP (or 3,932,650-ULP) error
    expect(r.stats!.elements).toBe(1);
    expect(r.diagnosis).toMatch(/flushes 1 tiny result to zero, the largest 4\.\d+e-322/);
  });
});

describe('exceptions (item 6)', () => {
  it('are diagnosed once, as an exception, with the families they block', async () => {
    const raising = (): CallOutcome => ({ kind: 'raised', type: 'TypeError', message: 'unsupported operand', traceback: '', captured: '', ms: 0 });
    const { results } = await run(ORDINARY, raising);
    const failed = results.filter((r) => r.verdict === 'fail');
    expect(failed.length).toBeGreaterThan(5);
    const carrying = failed.filter((r) => r.diagnosis.includes('raised TypeError: unsupported operand on'));
    expect(carrying.map((r) => r.name)).toEqual(['values']);
    expect(carrying[0].diagnosis).toMatch(/the same exception blocks .*batch-independence/);
    for (const r of failed.filter((x) => x.name !== 'values')) {
      expect(r.diagnosis).toMatch(/^blocked by an exception \(TypeError: unsupported operand\), diagnosed under values \(\d+ of \d+ cases\)$/);
    }
    // No family's own cause phrase is attached to an exception.
    expect(results.map((r) => r.diagnosis).join('\n')).not.toMatch(/depend on each other|not shift-invariant|normalises/);
  });

  it('keeps what the first diagnosis says beyond its case when the audit shrinks it', () => {
    const old = 'raised E: m on [1, 2] (float64), an ordinary input it must support; the same exception blocks range, order (3 of 9 cases)';
    expect(withShrunkDiagnosis(old, 'raised E: m on [1] (float64), an ordinary input it must support (1 of 1 cases)'))
      .toBe('raised E: m on [1] (float64), an ordinary input it must support; the same exception blocks range, order (3 of 9 cases)');
    expect(withShrunkDiagnosis('blocked by an exception (E: m), diagnosed under values (3 of 9 cases)', 'raised E: m on [1] (1 of 1 cases)'))
      .toBe('blocked by an exception (E: m), diagnosed under values (3 of 9 cases)');
  });
});

describe('verdict semantics (item 8)', () => {
  it('a check whose every case was rejected is not a pass', async () => {
    const empty = [caseOf('e1', 'float64', [0], []), caseOf('e2', 'float64', [2, 0], [])];
    const rejecting = (x: Tensor): Answer => (x.data.length === 0
      ? { kind: 'raised', type: 'ValueError', message: 'zero-size array', traceback: '', captured: '', ms: 0 }
      : correct(x));
    const { results } = await run(empty, rejecting, { mayReject: (x) => x.data.length === 0, checks: ['empty'] });
    const r = results.find((c) => c.name === 'empty')!;
    expect(r.cases.rejected).toBe(2);
    expect(r.verdict).toBe('skip');
    expect(r.diagnosis).toMatch(/^not applicable: all 2 cases rejected with a clear error/);
  });

  it('a candidate right on floats that wraps around on int32 gets a summary by input dtype and a --dtype hint', async () => {
    const cases = [...ORDINARY, caseOf('wrap', 'int32', [3], [2147483647, -2147483648, 5]), caseOf('small', 'int32', [3], [1, 2, 3])];
    // x - max(x) in int32 arithmetic, as NumPy does for an int32 array.
    const wraps = (x: Tensor): Tensor => {
      if (x.dtype !== 'int32') return correct(x);
      const v = Array.from(toNumbers(x));
      const m = Math.max(...v);
      const e = v.map((a) => Math.exp((a - m) | 0));
      const s = e.reduce((p, q) => p + q, 0);
      return fromNumbers('float64', x.shape, e.map((a) => a / s));
    };
    const { results, dtypeSummary } = await run(cases, wraps);
    expect(results.filter((r) => r.verdict === 'fail').map((r) => r.name)).toContain('overflow');
    expect(dtypeSummary).toMatch(/^float inputs: conforms · int32: fails [a-z, -]*overflow[a-z, -]* \(wraps around: x - max\(x\) leaves int32 \(-2147483648 - 2147483647 < -2147483648\), and the output is what the wrapped difference gives\)/);
    expect(dtypeSummary).toMatch(/audit with --dtype float64,float32$/);
  });

  it('no dtype summary where nothing fails, or where a float dtype fails (no hint to hide it behind --dtype)', async () => {
    expect((await run(ORDINARY, correct)).dtypeSummary).toBeUndefined();
    const float32Inside = (x: Tensor): Tensor => {
      const y = correct(x);
      return x.dtype === 'float64' ? fromNumbers('float64', y.shape, Array.from(toNumbers(y), Math.fround)) : y;
    };
    const r = await run(ORDINARY, float32Inside);
    expect(r.results.find((c) => c.name === 'values')!.verdict).toBe('fail');
    expect(r.dtypeSummary).toBeUndefined();
  });
});
