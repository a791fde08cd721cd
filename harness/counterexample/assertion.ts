// What a reproduction script asserts at its end, chosen from the failing check's family: the assertion fails
// exactly when the defect reproduces, so the script's exit status is the verdict (non-zero: still broken).
// The snippet writers (python-snippet.ts, js-snippet.ts) turn it into Python or JavaScript.
import type { Family } from '../model.js';
import { isFloatDType, resultDType, type DType } from '../tensor/dtype.js';
import { toNumbers, type Tensor } from '../tensor/tensor.js';
import { EPSILON, MIN_NORMAL, MIN_SUBNORMAL } from '../tolerance/metrics.js';
import { allowance, conditioning, type ToleranceProfile } from '../tolerance/profiles.js';

export type SnippetCheck =
  /** every element of the result within `allowed` (absolute, per element) of `expected`; NaN where NaN */
  | { kind: 'tolerance'; expected: Tensor; allowed: Float64Array; profile: string }
  /** the input is unchanged after the call */
  | { kind: 'unchanged-input' }
  /** a second identical call gives a bit-identical result */
  | { kind: 'deterministic' }
  /** the result has this dtype */
  | { kind: 'dtype'; dtype: DType }
  /** the result has the input's shape (and the call returns at all: an exception ends the script non-zero) */
  | { kind: 'shape' };

/**
 * The absolute error the profile allows for each element of `expected` (the oracle's result on `input`, normalised
 * over `axes`): the most lenient criterion, a ULP criterion counted in ULPs of the expected value, and a flushed
 * subnormal where the profile allows flushing.
 */
export function allowedErrors(expected: Tensor, input: Tensor, axes: number[], profile: ToleranceProfile): Float64Array {
  const dtype = expected.dtype;
  if (!isFloatDType(dtype)) throw new TypeError(`allowedErrors: the oracle's output must be float, got ${dtype}`);
  const e = toNumbers(expected);
  const { dist, len } = conditioning(input, axes);
  const out = new Float64Array(e.length);
  for (let i = 0; i < e.length; i++) {
    if (!Number.isFinite(e[i])) continue;
    const ulp = Math.max(MIN_SUBNORMAL[dtype], Math.abs(e[i]) < MIN_NORMAL[dtype] ? MIN_SUBNORMAL[dtype] : 2 ** Math.floor(Math.log2(Math.abs(e[i]))) * EPSILON[dtype]);
    let best = 0;
    for (const c of profile.dtypes[dtype].anyOf) {
      const a = allowance(c, e[i], dist[i], len[i], dtype);
      best = Math.max(best, c.kind === 'ulp' ? a * ulp : a);
    }
    if (profile.flushedSubnormals === 'allow' && e[i] !== 0 && Math.abs(e[i]) < 2 * MIN_NORMAL[dtype]) best = Math.max(best, Math.abs(e[i]));
    out[i] = best;
  }
  return out;
}

/** The assertion for a counterexample of `family`, from its evidence. */
export function snippetCheck(
  family: Family,
  e: { input: Tensor; expected?: Tensor },
  axes: number[],
  profile: ToleranceProfile,
): SnippetCheck {
  if (family === 'mutation') return { kind: 'unchanged-input' };
  if (family === 'determinism') return { kind: 'deterministic' };
  if (family === 'dtype') return { kind: 'dtype', dtype: resultDType(e.input.dtype) };
  if (e.expected && isFloatDType(e.expected.dtype) && e.expected.data.length === e.input.data.length) {
    return { kind: 'tolerance', expected: e.expected, allowed: allowedErrors(e.expected, e.input, axes, profile), profile: profile.name };
  }
  return { kind: 'shape' };
}
