// "Do two outputs of the same implementation agree?" for the metamorphic checks. Two bounds, the larger wins:
// - a structural floor, deliberately coarse (64 roundings scaled by the slice's conditioning |x_i - max|): these
//   checks look for structural defects (one row depending on another, a lost shift), which move results by far more;
//   precision is the job of the oracle checks;
// - what the active tolerance profile allows: two outputs that are each within the profile of the truth may differ
//   by the sum of both allowances, so a profile that accepts an error never sees it fail here
//   (docs/tolerance.md, "Comparisons without the oracle").
import { resultDType, type DType } from '../tensor/dtype.js';
import { allowedAbsError, type ToleranceProfile } from '../tolerance/profiles.js';

const EPS = { float64: 2 ** -52, float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7 } as const;
const TINY = { float64: 2.2250738585072014e-308, float32: 1.1754943508222875e-38, float16: 6.103515625e-5, bfloat16: 1.1754943508222875e-38 } as const;

export interface AgreementContext {
  /** the input's dtype (the outputs are compared in its result dtype) */
  dtype: DType;
  profile: ToleranceProfile;
  /** the slice length N (the profiles' length terms) */
  len: number;
  /** log-softmax: errors are absolute (a relative error of the probability), as in profiles.ts */
  log?: boolean;
}

/** The largest |a - b| two outputs may differ by at an element whose distance from its slice's max is `dist`. */
export function agreementBound(a: number, b: number, dist: number, ctx: AgreementContext, extraRel = 0): number {
  const out = resultDType(ctx.dtype);
  const d = Math.abs(dist);
  const m = Math.max(Math.abs(a), Math.abs(b));
  if (ctx.log) return 64 * EPS[out] * (1 + d + m) + extraRel + 64 * TINY[out];
  const structural = (64 * EPS[out] * (1 + d) + extraRel) * m + 64 * TINY[out];
  const profile = allowedAbsError(ctx.profile, out, a, d, ctx.len) + allowedAbsError(ctx.profile, out, b, d, ctx.len) + extraRel * m;
  return Math.max(structural, profile);
}

export function agreeElement(a: number, b: number, dist: number, ctx: AgreementContext, extraRel = 0): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= agreementBound(a, b, dist, ctx, extraRel);
}
