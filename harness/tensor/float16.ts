// IEEE binary16 <-> double, bit-exact, via @petamoriken/float16 (a maintained Float16Array polyfill), with fast
// paths: the polyfill's accessors allocate on every call, which made a 65,536-element float16 row cost seconds.
import { getFloat16, setFloat16, f16round } from '@petamoriken/float16';

const scratch = new DataView(new ArrayBuffer(2));

/** Every binary16 value as a double, indexed by its bits (filled on first use: 65,536 polyfill reads, once). */
let table: Float64Array | undefined;

function halfTable(): Float64Array {
  if (!table) {
    table = new Float64Array(65536);
    for (let b = 0; b < 65536; b++) {
      scratch.setUint16(0, b, true);
      table[b] = getFloat16(scratch, 0, true);
    }
  }
  return table;
}

/** The double value of binary16 bits (exact: every half is a double). */
export function halfBitsToNumber(bits: number): number {
  return halfTable()[bits & 0xffff];
}

/** The binary16 bits of x rounded to nearest-even (NaN keeps its sign and quiet bit only). */
export function numberToHalfBits(x: number): number {
  if (Number.isNaN(x)) {
    setFloat16(scratch, 0, x, true); // the polyfill's NaN bits, as before
    return scratch.getUint16(0, true);
  }
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // 65520 is halfway between 65504 (max) and 65536: ties to even go to inf
  // q: the magnitude in units of the last place (2^-24 for subnormals; 2^(e-10) for normals): scaling by powers of
  // two is exact, so only the rounding of q to an integer (nearest, ties to even) is left.
  let e = -14;
  if (a >= 2 ** -14) {
    e = Math.floor(Math.log2(a));
    if (2 ** e > a) e--;
    else if (2 ** (e + 1) <= a) e++;
  }
  const q = a * 2 ** (10 - e);
  let f = Math.floor(q);
  const d = q - f;
  if (d > 0.5 || (d === 0.5 && f % 2 === 1)) f++;
  // normal: q is in [1024, 2048); a carry to 2048 moves to the next exponent by itself
  return sign | (a >= 2 ** -14 ? ((e + 15) << 10) + (f - 1024) : f);
}

/** x rounded to the nearest binary16 value, as a double. */
export const roundToHalf: (x: number) => number = f16round;
