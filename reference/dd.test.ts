// The double-double helpers against exact decimal arithmetic: each result within the error bound dd.ts states
// (add of same-sign operands <= 3u^2, mul <= 7u^2, div <= 15u^2 + 56u^3, relative, u = 2^-53) and normalised
// (|lo| <= ulp(hi) / 2). Written for the mutation score (docs/mutation.md): the oracle's tests reach these helpers
// only through the fast path, whose bounds and fallback hide an error in a low part.
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { DD_OUT, ddAdd, ddDiv, ddMul } from './dd.js';
import { exactDecimal } from './exact-decimal.js';

const D = Decimal.clone({ precision: 80 });
const u = 2 ** -53;
const dd = (h: number, l: number) => exactDecimal(h, D).plus(exactDecimal(l, D));
/** Relative error of DD_OUT against `want`, and whether DD_OUT is normalised. */
function check(want: Decimal): { rel: number; normalised: boolean } {
  const [h, l] = DD_OUT;
  const ulp = 2 ** (Math.floor(Math.log2(Math.abs(h))) - 52);
  return { rel: dd(h, l).minus(want).div(want).abs().toNumber(), normalised: Math.abs(l) <= ulp / 2 && h + l === h };
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}
/** A normalised double-double near `scale`, its tail a random fraction of half an ulp. */
function randomDD(rnd: () => number, scale: number): [number, number] {
  const h = scale * (1 + rnd());
  const l = h * u * (2 * rnd() - 1) * 0.999;
  return [h, h + l === h ? l : 0];
}

describe('double-double helpers', () => {
  it('ddAdd of same-sign operands: within 3u^2, normalised, the tails of both counted', () => {
    const rnd = lcg(7);
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const [ah, al] = randomDD(rnd, 2 ** Math.floor(rnd() * 40 - 20));
      const [bh, bl] = randomDD(rnd, 2 ** Math.floor(rnd() * 40 - 20));
      const sign = k % 2 ? 1 : -1;
      ddAdd(sign * ah, sign * al, sign * bh, sign * bl);
      const r = check(dd(sign * ah, sign * al).plus(dd(sign * bh, sign * bl)));
      expect(r.normalised, `${k}`).toBe(true);
      worst = Math.max(worst, r.rel);
    }
    expect(worst).toBeLessThanOrEqual(3 * u * u);
    // where the heads cancel, the tails are the result
    ddAdd(1, 2 ** -60, -1, 2 ** -70);
    expect([DD_OUT[0], DD_OUT[1]]).toEqual([2 ** -60 + 2 ** -70, 0]);
  });

  it('ddMul: within 7u^2, normalised', () => {
    const rnd = lcg(11);
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const [ah, al] = randomDD(rnd, 2 ** Math.floor(rnd() * 40 - 20));
      const [bh, bl] = randomDD(rnd, 2 ** Math.floor(rnd() * 40 - 20));
      ddMul(ah, al, -bh, -bl);
      const r = check(dd(ah, al).times(dd(-bh, -bl)));
      expect(r.normalised, `${k}`).toBe(true);
      worst = Math.max(worst, r.rel);
    }
    expect(worst).toBeLessThanOrEqual(7 * u * u);
  });

  it('ddDiv: within 15u^2 + 56u^3, normalised', () => {
    const rnd = lcg(13);
    let worst = 0;
    for (let k = 0; k < 300; k++) {
      const [ah, al] = randomDD(rnd, 2 ** Math.floor(rnd() * 40 - 20));
      const [bh, bl] = randomDD(rnd, 2 ** Math.floor(rnd() * 40 - 20));
      ddDiv(ah, al, bh, bl);
      const r = check(dd(ah, al).div(dd(bh, bl)));
      expect(r.normalised, `${k}`).toBe(true);
      worst = Math.max(worst, r.rel);
    }
    expect(worst).toBeLessThanOrEqual(15 * u * u + 56 * u * u * u);
  });
});
