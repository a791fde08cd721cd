// The reference oracle: the exact softmax / log-softmax of every slice, rounded once to the output dtype
// (round-to-nearest-even, subnormals included). Inputs are taken as the exact doubles they equal (float32, float16
// and int32 convert exactly; int64 beyond 2^53 is first rounded to the nearest double).
//
// Fast path: double-double with a proven error bound (fast.ts). Fallback: decimal.js at increasing precision for
// the elements whose rounding the bound cannot decide (fallback.ts). oracleCounters() says how often that happens.
//
// Special values, per slice (DESIGN.md "Contracts"):
//
// | slice contains                     | ieee (default)        | limit                                | masked                |
// |------------------------------------|-----------------------|--------------------------------------|-----------------------|
// | a NaN                              | all NaN               | all NaN                              | all NaN               |
// | +inf (k copies), no NaN            | all NaN               | 1/k on the +inf, 0 elsewhere         | all NaN               |
// |                                    |                       | (log: -log k and -inf)               |                       |
// | only -inf                          | all NaN (0/0)         | all NaN                              | all 0 (log: all -inf) |
// | -inf among finite values           | those are exactly 0 (log: -inf); the rest is the softmax of the finite values |
// | finite values only                 | the correctly rounded softmax / log-softmax                                  |
//
// An empty slice has no elements; a one-element finite slice gives exactly 1 (log: 0).
import type { Policy } from '../harness/contracts.js';
import { resultDType, type FloatDType } from '../harness/tensor/dtype.js';
import { fromNumbers, makeTensor, slicesOver, sizeOf, toNumbers, type Tensor } from '../harness/tensor/tensor.js';
import { ExactSlice } from './fallback.js';
import { logSoftmaxCore, softmaxCore, type Resolve } from './fast.js';
import { FORMATS, type Format } from './format.js';

export type SoftmaxOp = 'softmax' | 'log-softmax';

export interface SliceOptions {
  op: SoftmaxOp;
  policy: Policy;
  outDtype: FloatDType;
}

export interface OracleCounters {
  slices: number;
  elements: number;
  /** elements whose rounding needed decimal.js (every element of oracleSliceDecimal) */
  fallbackElements: number;
}

const counters: OracleCounters = { slices: 0, elements: 0, fallbackElements: 0 };

/** A snapshot of the work done since the process started (or since resetOracleCounters). */
export function oracleCounters(): OracleCounters {
  return { ...counters };
}

export function resetOracleCounters(): void {
  counters.slices = 0;
  counters.elements = 0;
  counters.fallbackElements = 0;
}

// The slice being computed, for the fallback (slices are computed one at a time; the fallback never re-enters).
const EMPTY = new Float64Array(0);
const cur: { x: Float64Array; off: number; n: number; op: SoftmaxOp; fmt: Format; exact: ExactSlice | undefined } = {
  x: EMPTY, off: 0, n: 0, op: 'softmax', fmt: FORMATS.float64, exact: undefined,
};
const resolve: Resolve = (i) => {
  counters.fallbackElements++;
  cur.exact ??= new ExactSlice(cur.x.slice(cur.off, cur.off + cur.n), cur.n, cur.op, cur.fmt);
  return cur.exact.element(i);
};

/**
 * One slice, x[off, off + n) into out[off, off + n): the special-value policy, then the fast path. With `exactOnly`
 * every element is computed by decimal.js (the bench's and tests' "decimal.js alone").
 */
function sliceInto(x: Float64Array, off: number, n: number, out: Float64Array, op: SoftmaxOp, policy: Policy, fmt: Format, exactOnly = false): void {
  counters.slices++;
  counters.elements += n;
  if (n === 0) return;
  // one scan: the max, its multiplicity, and the special values
  let m = -Infinity;
  let k = 0;
  let nan = false;
  let posInf = 0;
  let negInf = 0;
  for (let i = off; i < off + n; i++) {
    const v = x[i];
    if (v > m) {
      m = v;
      k = 1;
    } else if (v === m) k++;
    else if (v !== v) nan = true;
    if (v === -Infinity) negInf++;
  }
  if (m === Infinity) posInf = k;
  const log = op === 'log-softmax';
  if (nan || (posInf > 0 && policy !== 'limit') || (negInf === n && policy !== 'masked')) {
    out.fill(NaN, off, off + n);
    return;
  }
  if (negInf === n) {
    out.fill(log ? -Infinity : 0, off, off + n); // masked: a fully masked slice
    return;
  }
  let src = x;
  let so = off;
  if (posInf > 0) {
    // limit: the slice's +inf elements share the mass (1/k each); as the softmax of 0s among -inf
    src = new Float64Array(n);
    so = 0;
    for (let i = 0; i < n; i++) src[i] = x[off + i] === Infinity ? 0 : -Infinity;
    m = 0;
  }
  if (exactOnly) {
    counters.fallbackElements += n; // every element's rounding is decimal.js's here: tests can see it was
    const ex = new ExactSlice(src.slice(so, so + n), n, op, fmt);
    for (let i = 0; i < n; i++) out[off + i] = ex.element(i);
    return;
  }
  cur.x = src;
  cur.off = so;
  cur.n = n;
  cur.op = op;
  cur.fmt = fmt;
  cur.exact = undefined;
  if (src === x) {
    if (log) logSoftmaxCore(src, off, n, out, m, k, fmt, resolve);
    else softmaxCore(src, off, n, out, m, k, fmt, resolve);
  } else {
    // the virtual slice starts at 0: compute into a temporary, then place it
    const tmp = new Float64Array(n);
    if (log) logSoftmaxCore(src, 0, n, tmp, m, k, fmt, resolve);
    else softmaxCore(src, 0, n, tmp, m, k, fmt, resolve);
    out.set(tmp, off);
  }
  cur.exact = undefined;
  cur.x = EMPTY; // do not keep the caller's data alive
}

/**
 * The correctly rounded softmax / log-softmax of one slice, as doubles exactly representable in outDtype.
 * `values` are the exact inputs.
 */
export function oracleSlice(values: Float64Array, opts: SliceOptions): Float64Array {
  const out = new Float64Array(values.length);
  sliceInto(values, 0, values.length, out, opts.op, opts.policy, FORMATS[opts.outDtype]);
  return out;
}

/** The same result computed by decimal.js alone (no fast path): for tests and the bench. */
export function oracleSliceDecimal(values: Float64Array, opts: SliceOptions): Float64Array {
  const out = new Float64Array(values.length);
  sliceInto(values, 0, values.length, out, opts.op, opts.policy, FORMATS[opts.outDtype], true);
  return out;
}

export interface OracleOptions {
  op: SoftmaxOp;
  policy: Policy;
  /** default: the input's result dtype (floats keep theirs, integers give float64) */
  outDtype?: FloatDType;
}

/** The oracle over a tensor: every slice that reduces over `axes` (each element alone when axes is empty). */
export function oracle(x: Tensor, axes: number[], opts: OracleOptions): Tensor {
  const outDtype = opts.outDtype ?? resultDType(x.dtype);
  const n = sizeOf(x.shape);
  const result = new Float64Array(n);
  if (n > 0) {
    // the exact values as doubles (float64 data is used as is: the oracle never writes to its input; toNumbers
    // converts the other typed arrays natively)
    const values = x.dtype === 'float64' ? (x.data as Float64Array) : toNumbers(x);
    const fmt = FORMATS[outDtype];
    const rank = x.shape.length;
    const red = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    // trailing axes: every slice is a contiguous run, computed in place without index lists (no axes: runs of one
    // element, each element alone, as the axes' product over none is 1)
    if (red.every((a, i) => a === rank - red.length + i)) {
      const len = red.reduce((acc, a) => acc * x.shape[a], 1);
      for (let off = 0; off < n; off += len) sliceInto(values, off, len, result, opts.op, opts.policy, fmt);
    } else {
      for (const idx of slicesOver(x.shape, axes)) {
        const v = new Float64Array(idx.length);
        for (let j = 0; j < idx.length; j++) v[j] = values[idx[j]];
        const y = new Float64Array(idx.length);
        sliceInto(v, 0, idx.length, y, opts.op, opts.policy, fmt);
        for (let j = 0; j < idx.length; j++) result[idx[j]] = y[j];
      }
    }
  }
  // every value is representable in outDtype, so the conversion is exact
  return outDtype === 'float64' ? makeTensor('float64', x.shape, result) : fromNumbers(outDtype, x.shape, result);
}
