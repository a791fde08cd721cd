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
});
