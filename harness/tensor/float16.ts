// IEEE binary16 <-> double, bit-exact, via @petamoriken/float16 (a maintained Float16Array polyfill).
import { getFloat16, setFloat16, f16round } from '@petamoriken/float16';

const scratch = new DataView(new ArrayBuffer(2));

/** The double value of binary16 bits (exact: every half is a double). */
export function halfBitsToNumber(bits: number): number {
  scratch.setUint16(0, bits, true);
  return getFloat16(scratch, 0, true);
}

/** The binary16 bits of x rounded to nearest-even (NaN keeps its sign and quiet bit only). */
export function numberToHalfBits(x: number): number {
  setFloat16(scratch, 0, x, true);
  return scratch.getUint16(0, true);
}

/** x rounded to the nearest binary16 value, as a double. */
export const roundToHalf: (x: number) => number = f16round;
