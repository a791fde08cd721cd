// Per-dtype limits the value families aim at (NumPy's finfo/iinfo, and where exp overflows or underflows), plus exact
// rounding and ULP stepping, so every generated value is exactly representable in its dtype.
import { type DType, type FloatDType, isFloatDType } from '../tensor/dtype.js';
import { BF16_MAX, bf16BitsToNumber, numberToBf16Bits, roundToBfloat16 } from '../tensor/bfloat16.js';
import { halfBitsToNumber, numberToHalfBits, roundToHalf } from '../tensor/float16.js';

export interface FloatLimits {
  /** finfo.max */
  max: number;
  /** smallest positive normal (finfo.tiny / smallest_normal) */
  tiny: number;
  /** smallest positive subnormal (finfo.smallest_subnormal) */
  minSubnormal: number;
  /** exp(x) overflows to inf above this: log(max) (float64 ~709.78, float32 ~88.72, float16 ~11.09, bfloat16 ~88.72) */
  expOverflow: number;
  /** exp(x) is subnormal below this: log(tiny) (float64 ~-708.40, float32 ~-87.34, float16 ~-9.70) */
  expSubnormal: number;
  /** exp(x) rounds to 0 below this: log(minSubnormal / 2) (float64 ~-745.13, float32 ~-103.97, float16 ~-17.33) */
  expZero: number;
}

function floatLimits(max: number, tiny: number, minSubnormal: number): FloatLimits {
  return {
    max,
    tiny,
    minSubnormal,
    expOverflow: Math.log(max),
    expSubnormal: Math.log(tiny),
    expZero: Math.log(minSubnormal) - Math.LN2,
  };
}

export const FLOAT_LIMITS: Record<FloatDType, FloatLimits> = {
  float64: floatLimits(Number.MAX_VALUE, 2 ** -1022, 2 ** -1074),
  float32: floatLimits(3.4028234663852886e38, 2 ** -126, 2 ** -149),
  float16: floatLimits(65504, 2 ** -14, 2 ** -24),
  bfloat16: floatLimits(BF16_MAX, 2 ** -126, 2 ** -133),
};

/**
 * Integer ranges as doubles. int64's max is the largest double below 2^63 (2^63 - 1024): a JS number cannot hold
 * 2^63 - 1, and 2^63 itself would wrap when stored in a BigInt64Array.
 */
export const INT_LIMITS: Record<'int32' | 'int64', { min: number; max: number }> = {
  int32: { min: -(2 ** 31), max: 2 ** 31 - 1 },
  int64: { min: -(2 ** 63), max: 2 ** 63 - 1024 },
};

/** x rounded to the dtype (nearest-even for floats; nearest and clamped for ints, -0 becoming 0; bool as 0/1). */
export function roundTo(dtype: DType, x: number): number {
  switch (dtype) {
    case 'float64': return x;
    case 'float32': return Math.fround(x);
    case 'float16': return roundToHalf(x);
    case 'bfloat16': return roundToBfloat16(x);
    case 'bool': return x ? 1 : 0;
    case 'int32':
    case 'int64': {
      if (Number.isNaN(x)) return 0;
      const { min, max } = INT_LIMITS[dtype];
      return Math.min(max, Math.max(min, Math.round(x))) + 0;
    }
  }
}

/** True when x is exactly a value of the dtype (NaN counts for floats). */
export function isExactIn(dtype: DType, x: number): boolean {
  if (isFloatDType(dtype)) return Number.isNaN(x) || Object.is(roundTo(dtype, x), x);
  return Object.is(roundTo(dtype, x), x);
}

// ULP stepping: map a float to an integer that orders floats like the reals (sign-magnitude -> two's complement
// style), add k, map back. -0 and +0 both map to 0.
const dv = new DataView(new ArrayBuffer(8));
const SIGN64 = 0x8000000000000000n;

function ordered(dtype: FloatDType, x: number): bigint {
  let bits: bigint;
  let sign: boolean;
  switch (dtype) {
    case 'float64':
      dv.setFloat64(0, x);
      bits = dv.getBigUint64(0);
      sign = (bits & SIGN64) !== 0n;
      bits &= SIGN64 - 1n;
      break;
    case 'float32':
      dv.setFloat32(0, x);
      bits = BigInt(dv.getUint32(0) & 0x7fffffff);
      sign = (dv.getUint32(0) & 0x80000000) !== 0;
      break;
    case 'float16':
    case 'bfloat16': {
      const h = dtype === 'float16' ? numberToHalfBits(x) : numberToBf16Bits(x);
      bits = BigInt(h & 0x7fff);
      sign = (h & 0x8000) !== 0;
      break;
    }
  }
  return sign ? -bits : bits;
}

function fromOrdered(dtype: FloatDType, o: bigint): number {
  const neg = o < 0n;
  const mag = neg ? -o : o;
  switch (dtype) {
    case 'float64':
      dv.setBigUint64(0, neg ? mag | SIGN64 : mag);
      return dv.getFloat64(0);
    case 'float32':
      dv.setUint32(0, (Number(mag) | (neg ? 0x80000000 : 0)) >>> 0);
      return dv.getFloat32(0);
    case 'float16':
      return halfBitsToNumber(Number(mag) | (neg ? 0x8000 : 0));
    case 'bfloat16':
      return bf16BitsToNumber(Number(mag) | (neg ? 0x8000 : 0));
  }
}

/** The finite value k ULPs away from x (an exact value of the dtype), clamped to ±finfo.max. */
export function stepUlps(dtype: FloatDType, x: number, k: number): number {
  const limit = ordered(dtype, FLOAT_LIMITS[dtype].max);
  let o = ordered(dtype, x) + BigInt(k);
  if (o > limit) o = limit;
  if (o < -limit) o = -limit;
  return fromOrdered(dtype, o);
}
