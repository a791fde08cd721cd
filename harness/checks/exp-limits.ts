// Where exp leaves each float dtype's range: what a diagnosis may say about an input without guessing at the code.
import type { FloatDType } from '../tensor/dtype.js';
import { MIN_SUBNORMAL } from '../tolerance/metrics.js';

/** ln of each dtype's largest finite value: exp of a larger input is inf in that dtype. */
export const LN_MAX: Record<FloatDType, number> = {
  float64: Math.log(Number.MAX_VALUE),
  float32: Math.log(3.4028234663852886e38),
  float16: Math.log(65504),
  bfloat16: Math.log(3.3895313892515355e38),
};

/** exp of an input below this rounds to 0 in the dtype: ln of half its smallest subnormal (halved after the log:
 * half of float64's is 0). */
export const lnZero = (d: FloatDType): number => Math.log(MIN_SUBNORMAL[d]) - Math.LN2;
