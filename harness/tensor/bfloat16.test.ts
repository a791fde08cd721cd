import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../reference/format.js';
import { roundRational } from '../../reference/round.js';
import { BF16_MAX, bf16BitsToNumber, numberToBf16Bits, roundToBfloat16 } from './bfloat16.js';

/** A finite double as an exact rational num / den (den a power of two), for reference/round.ts's exact rounding. */
function rational(x: number): [bigint, bigint] {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(x));
  const b = dv.getBigUint64(0);
  const e = Number(b >> 52n);
  const m = e === 0 ? (b & 0xfffffffffffffn) : (b & 0xfffffffffffffn) | (1n << 52n);
  const shift = (e === 0 ? 1 : e) - 1075; // x = m * 2^shift
  return shift >= 0 ? [m << BigInt(shift), 1n] : [m, 1n << BigInt(-shift)];
}

/** The exact nearest-even bfloat16 of a double, by BigInt arithmetic (independent of bfloat16.ts). */
function exactRound(x: number): number {
  const [num, den] = rational(x);
  const mag = roundRational(num, den, FORMATS.bfloat16);
  return x < 0 || Object.is(x, -0) ? -mag : mag;
}

describe('bfloat16', () => {
  it('bits -> number: every pattern is the float32 with those top 16 bits', () => {
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    for (let b = 0; b < 65536; b++) {
      u[0] = b << 16;
      expect(Object.is(bf16BitsToNumber(b), f[0]) || (Number.isNaN(f[0]) && Number.isNaN(bf16BitsToNumber(b)))).toBe(true);
    }
    expect(bf16BitsToNumber(0x7f7f)).toBe(BF16_MAX);
    expect(bf16BitsToNumber(0x0001)).toBe(2 ** -133);
  });

  it('number -> bits round-trips every non-NaN pattern', () => {
    for (let b = 0; b < 65536; b++) {
      const x = bf16BitsToNumber(b);
      if (!Number.isNaN(x)) expect(numberToBf16Bits(x)).toBe(b);
    }
  });

  it('rounds once, nearest-even, on 200,000 doubles incl. midpoints and their neighbours (vs exact BigInt rounding)', () => {
    let s = 12345;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const next = (x: number, d: 1 | -1) => {
      const dv = new DataView(new ArrayBuffer(8));
      dv.setFloat64(0, x);
      dv.setBigUint64(0, dv.getBigUint64(0) + BigInt(d));
      return dv.getFloat64(0);
    };
    const xs: number[] = [];
    for (let i = 0; i < 50000; i++) {
      const bits = Math.floor(rnd() * 0x7f7f); // finite positive patterns below the largest, subnormals included
      const lo = bf16BitsToNumber(bits);
      const hi = bf16BitsToNumber(bits + 1);
      const mid = (lo + hi) / 2; // exact: 9 significant bits
      const sign = rnd() < 0.5 ? -1 : 1;
      xs.push(sign * mid, sign * next(mid, 1), sign * next(mid, -1), sign * (lo + (hi - lo) * rnd()));
    }
    for (const x of xs) expect(Object.is(roundToBfloat16(x), exactRound(x)), `${x}`).toBe(true);
  });

  it('double rounding through float32 would be wrong here; one rounding is right', () => {
    const x = 1 + 2 ** -8 + 2 ** -30; // just above the midpoint of 1 and 1 + 2^-7; float32 would make it the midpoint
    expect(roundToBfloat16(Math.fround(x))).toBe(1); // the double-rounded (ml_dtypes' astype from float64) result
    expect(roundToBfloat16(x)).toBe(1 + 2 ** -7);
  });

  it('overflow, underflow, zeros and NaN', () => {
    expect(roundToBfloat16(BF16_MAX)).toBe(BF16_MAX);
    expect(roundToBfloat16(BF16_MAX + 2 ** 119)).toBe(Infinity); // the midpoint to 2^128 ties to even: inf
    expect(roundToBfloat16(BF16_MAX + 2 ** 119 - 2 ** 90)).toBe(BF16_MAX);
    expect(roundToBfloat16(-1e39)).toBe(-Infinity);
    expect(roundToBfloat16(2 ** -134)).toBe(0); // half the smallest subnormal: ties to even (0)
    expect(roundToBfloat16(2 ** -134 * (1 + 2 ** -50))).toBe(2 ** -133);
    expect(Object.is(roundToBfloat16(-1e-300), -0)).toBe(true);
    expect(numberToBf16Bits(-0)).toBe(0x8000);
    expect(numberToBf16Bits(NaN)).toBe(0x7fc0);
    expect(numberToBf16Bits(-Infinity)).toBe(0xff80);
  });
});
