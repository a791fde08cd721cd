// The binary floating-point formats the oracle rounds into: precision p (bits, hidden one included), the least
// normal exponent emin, and the largest finite value. Subnormals go down to 2^(emin - p + 1).
import type { FloatDType } from '../harness/tensor/dtype.js';

export interface Format {
  readonly dtype: FloatDType;
  readonly p: number;
  readonly emin: number;
  readonly emax: number;
  readonly maxFinite: number;
}

export const FORMATS: Record<FloatDType, Format> = {
  float64: { dtype: 'float64', p: 53, emin: -1022, emax: 1023, maxFinite: Number.MAX_VALUE },
  float32: { dtype: 'float32', p: 24, emin: -126, emax: 127, maxFinite: 3.4028234663852886e38 },
  float16: { dtype: 'float16', p: 11, emin: -14, emax: 15, maxFinite: 65504 },
  bfloat16: { dtype: 'bfloat16', p: 8, emin: -126, emax: 127, maxFinite: 3.3895313892515355e38 },
};
