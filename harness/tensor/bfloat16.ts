// bfloat16 <-> double, bit-exact. bfloat16 is the top half of an IEEE binary32 (8 exponent bits, 8 significant bits),
// so bits -> double is exact via float32. double -> bits rounds ONCE, to nearest-even, straight from the double:
// going through Math.fround first would round twice (a double just above a bfloat16 midpoint can land on it).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64hi = new Uint32Array(f64.buffer); // [1] is the high word (little-endian hosts: Node on x86/arm)

/** ml_dtypes' bits for float('nan') converted to bfloat16 (a quiet NaN, sign kept by its own conversion). */
export const BF16_NAN_BITS = 0x7fc0;
/** The largest finite bfloat16, (2 - 2^-7) * 2^127. */
export const BF16_MAX = 3.3895313892515355e38;

/** The double value of bfloat16 bits (exact: every bfloat16 is a float32). */
export function bf16BitsToNumber(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0];
}

/** x rounded to the nearest bfloat16 (ties to even, subnormals and overflow to ±inf included), as a double. */
export function roundToBfloat16(x: number): number {
  if (x !== x || x === 0 || x === Infinity || x === -Infinity) return x;
  const a = x < 0 ? -x : x;
  // Below half the smallest subnormal (2^-133 / 2): zero (the tie at 2^-134 goes to even, which is zero).
  if (a <= 2 ** -134) return x < 0 ? -0 : 0;
  f64[0] = a;
  const e = ((u64hi[1] >>> 20) & 0x7ff) - 1023; // a >= 2^-134 is a normal double
  const q = 2 ** (Math.max(e, -126) - 7); // the quantum at a: 8 significant bits, subnormal below 2^-126
  const v = a / q; // exact: scaling by a power of two, v < 2^8 + 1
  let n = Math.floor(v);
  const frac = v - n;
  if (frac > 0.5 || (frac === 0.5 && n % 2 === 1)) n += 1;
  const r = n * q;
  const m = r > BF16_MAX ? Infinity : r;
  return x < 0 ? -m : m;
}

/** The bfloat16 bits of x rounded to nearest-even (NaN: the quiet NaN with x's sign bit cleared, as NumPy's nan). */
export function numberToBf16Bits(x: number): number {
  if (x !== x) return BF16_NAN_BITS;
  f32[0] = roundToBfloat16(x); // exact: a bfloat16 value is a float32 value (-0 and ±inf included)
  return u32[0] >>> 16;
}
