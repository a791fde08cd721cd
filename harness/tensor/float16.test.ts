// The fast float16 conversions must agree bit for bit with the polyfill they replace on the hot path.
import { getFloat16, setFloat16 } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { halfBitsToNumber, numberToHalfBits } from './float16.js';

const dv = new DataView(new ArrayBuffer(8));
const polyValue = (b: number) => { dv.setUint16(0, b, true); return getFloat16(dv, 0, true); };
const polyBits = (x: number) => { setFloat16(dv, 0, x, true); return dv.getUint16(0, true); };

describe('float16 conversions', () => {
  it('every one of the 65,536 bit patterns reads as the polyfill reads it', () => {
    for (let b = 0; b < 65536; b++) {
      const v = polyValue(b);
      if (Number.isNaN(v)) expect(Number.isNaN(halfBitsToNumber(b))).toBe(true);
      else if (!Object.is(halfBitsToNumber(b), v)) expect(halfBitsToNumber(b), `bits ${b}`).toBe(v);
    }
  });

  it('rounds every half, every midpoint between neighbours and values near them as the polyfill does', () => {
    const xs: number[] = [0, -0, Infinity, -Infinity, NaN, 65504, 65519.99, 65520, -65520, 1e300, 2 ** -25, 3 * 2 ** -25, 2 ** -26, 1e-300];
    for (let b = 0; b < 0x7c00; b++) {
      const a = polyValue(b);
      const next = polyValue(b + 1);
      const mid = (a + next) / 2;
      xs.push(a, -a, mid, -mid, mid * (1 + 2 ** -40), mid * (1 - 2 ** -40));
    }
    let bad = 0;
    for (const x of xs) if (numberToHalfBits(x) !== polyBits(x)) bad++;
    expect(bad).toBe(0);
  });

  it('NaN and infinity table entries keep the polyfill\'s exact double bits', () => {
    const mine = new Float64Array(65536);
    const theirs = new Float64Array(65536);
    for (let b = 0; b < 65536; b++) {
      mine[b] = halfBitsToNumber(b);
      theirs[b] = polyValue(b);
    }
    expect(Buffer.from(mine.buffer).equals(Buffer.from(theirs.buffer))).toBe(true);
  });

  it('the doubles one and two ULPs either side of every half and midpoint round as the polyfill rounds them', () => {
    const f = new Float64Array(1);
    const w = new BigUint64Array(f.buffer);
    const step = (x: number, k: number) => { f[0] = Math.abs(x); w[0] += BigInt(k); return x < 0 ? -f[0] : f[0]; };
    let bad = 0;
    for (let b = 1; b < 0x7c00; b++) {
      const a = polyValue(b);
      const mid = (a + (b === 0x7bff ? 65536 : polyValue(b + 1))) / 2;
      for (const x of [a, mid]) {
        for (const k of [-2, -1, 1, 2]) {
          const y = step(x, k);
          if (numberToHalfBits(y) !== polyBits(y) || numberToHalfBits(-y) !== polyBits(-y)) bad++;
        }
      }
    }
    expect(bad).toBe(0);
  });

  it('random doubles (any bits, and exponents around the half range) round as the polyfill rounds them', () => {
    const f = new Float64Array(1);
    const w = new Uint32Array(f.buffer); // little-endian: w[1] holds sign and exponent
    let seed = 0x9e3779b9;
    const rand = () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0);
    let bad = 0;
    for (let i = 0; i < 200_000; i++) {
      w[0] = rand();
      w[1] = i % 2 ? rand() : (rand() & 0x800fffff) | (((rand() % 48) - 30 + 1023) << 20);
      if (numberToHalfBits(f[0]) !== polyBits(f[0])) bad++;
    }
    expect(bad).toBe(0);
  });
});
