// "Do two outputs of the same implementation agree?" for the metamorphic checks. The bound is deliberately
// coarse (64 roundings scaled by the slice's conditioning |x_i - max|): these checks look for structural
// defects (one row depending on another, a lost shift), which move results by far more; precision is the
// job of the oracle checks.
import { resultDType } from '../tensor/dtype.js';

const EPS = { float64: 2 ** -52, float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7 } as const;
const TINY = { float64: 2.2250738585072014e-308, float32: 1.1754943508222875e-38, float16: 6.103515625e-5, bfloat16: 1.1754943508222875e-38 } as const;

export function agreeElement(a: number, b: number, distanceFromMax: number, dtype: Parameters<typeof resultDType>[0], extraRel = 0, log = false): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const out = resultDType(dtype);
  // log-softmax: errors are absolute (a relative error of the probability), as in profiles.ts
  if (log) return Math.abs(a - b) <= 64 * EPS[out] * (1 + Math.abs(distanceFromMax) + Math.max(Math.abs(a), Math.abs(b))) + extraRel + 64 * TINY[out];
  const rel = 64 * EPS[out] * (1 + Math.abs(distanceFromMax)) + extraRel;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 64 * TINY[out];
}
