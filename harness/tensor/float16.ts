// IEEE binary16 <-> double, bit-exact, with @petamoriken/float16 (a maintained Float16Array polyfill) as the
// reference: its accessors allocate on every call, which made a 65,536-element float16 row cost seconds, so the hot
// paths below work on the double's bits instead (float16.test.ts checks them against the polyfill: every half, every
// midpoint and its neighbours, and random doubles). Only NaN still goes through the polyfill, for its exact bits.
import { getFloat16, setFloat16, f16round } from '@petamoriken/float16';

const scratch = new DataView(new ArrayBuffer(2));
const F64 = new Float64Array(1);
const W64 = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // the word holding sign and exponent

/** Every binary16 value as a double, indexed by its bits (filled on first use). */
let table: Float64Array | undefined;

function halfTable(): Float64Array {
  if (!table) {
    table = new Float64Array(65536);
    for (let e = 0; e < 32; e++) {
      // exact: an 11-bit integer times a power of two (subnormals: m x 2^-24; normals: (1024 + m) x 2^(e - 25))
      const scale = 2 ** (e === 0 ? -24 : e - 25);
      const implicit = e === 0 ? 0 : 1024;
      for (let m = 0; m < 1024; m++) {
        const b = (e << 10) | m;
        if (e === 31) {
          // infinity; NaN as the polyfill reads it (its bits, stored in the table, are checked by the tests)
          scratch.setUint16(0, b, true);
          table[b] = m === 0 ? Infinity : getFloat16(scratch, 0, true);
          scratch.setUint16(0, b | 0x8000, true);
          table[b | 0x8000] = m === 0 ? -Infinity : getFloat16(scratch, 0, true);
          continue;
        }
        const v = (implicit + m) * scale;
        table[b] = v;
        table[b | 0x8000] = -v;
      }
    }
  }
  return table;
}

/** The double value of binary16 bits (exact: every half is a double). */
export function halfBitsToNumber(bits: number): number {
  return (table ?? halfTable())[bits & 0xffff];
}

/** The binary16 bits of x rounded to nearest-even (NaN keeps its sign and quiet bit only). */
export function numberToHalfBits(x: number): number {
  F64[0] = x;
  const hi = W64[HI];
  const sign = (hi >>> 16) & 0x8000;
  const ah = hi & 0x7fffffff; // |x|'s high word: 11 exponent bits, the top 20 of the 52 fraction bits
  if (ah >= 0x40f00000) {
    // |x| >= 2^16, infinite or NaN
    if (x !== x) {
      setFloat16(scratch, 0, x, true); // the polyfill's NaN bits, as before
      return scratch.getUint16(0, true);
    }
    return sign | 0x7c00;
  }
  if (ah >= 0x3f100000) {
    // |x| >= 2^-14: a normal half. Keep 11 significant bits of the 21 in the high word, round off the other 10 and
    // the low word (ties to even). A carry to 2048 moves to the next exponent by itself, up to infinity for
    // [65520, 65536): 65520 is halfway between 65504 (the largest half) and 2^16, and ties go to even, to infinity.
    const m = (ah & 0xfffff) | 0x100000;
    let f = m >>> 10;
    const rest = m & 0x3ff;
    if (rest > 0x200 || (rest === 0x200 && (W64[1 - HI] !== 0 || (f & 1) === 1))) f++;
    return sign | ((((ah >>> 20) - 1008) << 10) + f - 1024); // exponent: (e - 1023) + 15
  }
  // Subnormal (or zero): the magnitude in units of 2^-24 (the scaling is exact), rounded to an integer, ties to
  // even; 1024 is the smallest normal's bits.
  const q = (x < 0 ? -x : x) * 2 ** 24;
  let f = Math.floor(q);
  const d = q - f;
  if (d > 0.5 || (d === 0.5 && (f & 1) === 1)) f++;
  return sign | f;
}

/** x rounded to the nearest binary16 value, as a double. */
export const roundToHalf: (x: number) => number = f16round;
