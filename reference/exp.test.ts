import { Decimal } from './decimal.js';
import { describe, expect, it } from 'vitest';
import { EPS_EXP, EXP_OUT, expDD } from './exp.js';
import { A_HI, A_LO, B_HI, B_LO, C1, C2, C3, C4 } from './exp-table.js';
import { exactDecimal } from './exact-decimal.js';

const D = Decimal.clone({ precision: 60 });

function relErr(dh: number, dl: number): number {
  expDD(dh, dl);
  const [mh, ml, E] = EXP_OUT;
  expect(mh >= 1 && mh < 2).toBe(true);
  const got = exactDecimal(mh, D).plus(exactDecimal(ml, D)).times(D.pow(2, E));
  const want = D.exp(exactDecimal(dh, D).plus(exactDecimal(dl, D)));
  return got.minus(want).div(want).abs().toNumber();
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('expDD', () => {
  it('is within EPS_EXP / 8 of exp on random double-double arguments', () => {
    const rnd = lcg(12345);
    let worst = 0;
    for (let i = 0; i < 600; i++) {
      const scale = [1e-6, 1e-3, 0.5, 1, 30, 745, 3199][i % 7];
      const dh = -rnd() * scale;
      // a tail within half an ulp of the head, as TwoSum produces
      const dl = Math.abs(dh) * 2 ** -54 * (2 * rnd() - 1);
      worst = Math.max(worst, relErr(dh, dh + dl === dh ? dl : 0));
    }
    expect(worst).toBeLessThan(EPS_EXP / 8);
  });

  it('keeps its accuracy at the ends of the reduction interval and the range', () => {
    for (const d of [0, -Math.LN2 / 8192, -Math.LN2 / 4096, -Math.LN2, -3199.9, -1e-300, -745.1332191019412]) {
      expect(relErr(d, 0)).toBeLessThan(EPS_EXP / 8);
    }
  });

  it('keeps the mantissa below 2 at the top of the table: j = 4095 with r at its largest, across the range', () => {
    // d = (K + 1/2 - 1e-9) ln2/4096 with K = 4095 mod 4096 rounds to K: 2^(4095/4096) exp(r) is as large as the
    // mantissa gets, 2^(1 - 2^-13), about 1.7e-4 below 2 (exp.ts has no branch for a mantissa of 2 or more).
    let top = 0;
    for (let t = 0; t <= 4600; t += 23) {
      const K = -1 - 4096 * t;
      const d = ((K + 0.5 - 1e-9) * Math.LN2) / 4096;
      expect(relErr(d, 0), `${d}`).toBeLessThan(EPS_EXP / 8);
      top = Math.max(top, EXP_OUT[0]);
    }
    expect(top).toBeGreaterThan(2 - 2e-4);
  });

  it('uses correctly generated constants (exp-table.ts against decimal.js)', () => {
    const c = exactDecimal(C1, D).plus(exactDecimal(C2, D)).plus(exactDecimal(C3, D)).plus(exactDecimal(C4, D));
    expect(c.minus(D.ln(2).div(4096)).abs().toNumber()).toBeLessThan(2 ** -150);
    for (const [hi, lo, step] of [[A_HI, A_LO, 64], [B_HI, B_LO, 4096]] as const) {
      for (let j = 0; j < 64; j++) {
        const want = D.pow(2, new D(j).div(step));
        const err = exactDecimal(hi[j], D).plus(exactDecimal(lo[j], D)).minus(want).div(want).abs().toNumber();
        expect(err).toBeLessThan(2 ** -105);
      }
    }
  });
});
