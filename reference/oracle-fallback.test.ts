// Hard elements: exact results within about 2^-100 (relative) of a rounding midpoint of float64, where the fast
// path's error bound cannot decide the rounding and hands the element to decimal.js (fallbackElements counts it).
// Ordinary inputs never get there (fast.test.ts), so these were built: z is the double nearest the solution whose
// exact result lies closest to the midpoint, found by scanning the doubles around it at 80 digits.
//   softmax [0, z]: 1 / (1 + e^z) near 1 - 2^-54, the midpoint between 1 - 2^-53 and 1 (z near ln 2^-54);
//   log-softmax [0, -2049, z]: -2049 - log(1 + e^z + e^-2049) near -(2049 + 2^-42), the midpoint between -2049 and
//   the next double down (z near ln(e^(2^-42) - 1)).
// Each side of the midpoint is checked against the definition at 100 digits, on its own and as a slice of a tensor
// that is not the first (the fallback must get that slice's own values).
import { describe, expect, it } from 'vitest';
import { fromNumbers, toNumbers } from '../harness/tensor/tensor.js';
import { Decimal } from './decimal.js';
import { exactDecimal } from './exact-decimal.js';
import { oracle, oracleCounters, oracleSlice, resetOracleCounters } from './softmax.js';

const D = Decimal.clone({ precision: 100 });
const exp = (z: number) => D.exp(new D(z));
const exactDec = (x: number) => exactDecimal(x, D);

const SOFT_UP = -37.42994775023705; // 1 / (1 + e^z) just above the midpoint: rounds to 1
const SOFT_DOWN = -37.42994775023704; // just below: rounds to 1 - 2^-53
const LOG_Z = -29.11218158351759; // log(1 + e^z) just below 2^-42: -2049 - it rounds to -2049

describe('hard elements are settled by decimal.js, and rightly', () => {
  it('softmax: 1 / (1 + e^z) on either side of 1 - 2^-54', () => {
    const mid = new D(1).minus(new D(2).pow(-54));
    for (const [z, want] of [[SOFT_UP, 1], [SOFT_DOWN, 1 - 2 ** -53]]) {
      const exact = new D(1).div(exp(z).plus(1));
      expect(exact.gt(mid), `${z}`).toBe(want === 1);
      expect(exact.minus(mid).abs().lt(new D(2).pow(-100)), `${z} is hard`).toBe(true);
      resetOracleCounters();
      expect(oracleSlice(Float64Array.of(0, z), { op: 'softmax', policy: 'ieee', outDtype: 'float64' })[0], `${z}`).toBe(want);
      expect(oracleCounters().fallbackElements, `${z}`).toBe(1);
    }
  });

  it('log-softmax: -2049 - log(1 + e^z + e^-2049) just inside -(2049 + 2^-42)', () => {
    const l = D.ln(exp(LOG_Z).plus(exp(-2049)).plus(1));
    const exact = new D(-2049).minus(l);
    const mid = new D(-2049).minus(new D(2).pow(-42));
    expect(exact.gt(mid)).toBe(true);
    expect(exact.minus(mid).abs().lt(new D(2).pow(-90))).toBe(true);
    resetOracleCounters();
    const y = oracleSlice(Float64Array.of(0, -2049, LOG_Z), { op: 'log-softmax', policy: 'ieee', outDtype: 'float64' });
    expect(y[1]).toBe(-2049);
    expect(oracleCounters().fallbackElements).toBe(1);
  });

  it('a hard slice that is not the first of its tensor: decimal.js gets that slice', () => {
    resetOracleCounters();
    const s = Array.from(toNumbers(oracle(fromNumbers('float64', [3, 2], [1, 2, 0, SOFT_DOWN, 0, SOFT_UP]), [1], { op: 'softmax', policy: 'ieee' })));
    expect(oracleCounters()).toEqual({ slices: 3, elements: 6, fallbackElements: 2 });
    const plain = oracleSlice(Float64Array.of(1, 2), { op: 'softmax', policy: 'ieee', outDtype: 'float64' });
    expect(s.slice(0, 2)).toEqual(Array.from(plain));
    expect([s[2], s[4]]).toEqual([1 - 2 ** -53, 1]);
    resetOracleCounters();
    const log = Array.from(toNumbers(oracle(fromNumbers('float64', [2, 3], [1, 2, 3, 0, -2049, LOG_Z]), [-1], { op: 'log-softmax', policy: 'ieee' })));
    expect(oracleCounters()).toEqual({ slices: 2, elements: 6, fallbackElements: 1 });
    expect(log[4]).toBe(-2049);
    expect(log.slice(3)).toEqual(Array.from(oracleSlice(Float64Array.of(0, -2049, LOG_Z), { op: 'log-softmax', policy: 'ieee', outDtype: 'float64' })));
  });
});

// The max element of log-softmax, -log S, beside a float64 midpoint M (0.1, 0.83 and 0.45 and the next double up):
// the others were chosen so that S = k + sum e^(x_j) lies within about 10^-44 (relative) of e^M, below or above it,
// term by term (each the largest double whose exp fits in what is left, the last one a double up for "above").
// k = 1 with T < 1/8 is the scaled path (-log1p T), the others the unscaled one (-log(k + T)).
const MAX_HARD: [number[], number, number][] = [
  [[0, -2.252168461044091, -37.71508961790562, -71.70527825820365], 0.1, 1], // scaled, log S just below M
  [[0, -2.252168461044091, -37.71508961790562, -71.70527825820363], 0.1, 1], // just above
  [[0, 0, -1.2264954105148986, -37.60743070998069, -72.27324547731028], 0.83, 2], // two maxima
  [[0, 0, -1.2264954105148986, -37.60743070998069, -72.27324547731027], 0.83, 2],
  [[0, -0.5650843889061771, -39.51477353698083, -72.43107676310515], 0.45, 1], // one max, T > 1/8
  [[0, -0.5650843889061771, -39.51477353698083, -72.43107676310514], 0.45, 1],
];

describe('hard max elements of log-softmax are settled by decimal.js, and rightly', () => {
  for (const [xs, lo, k] of MAX_HARD) {
    it(`[${xs}]: -log S beside -(${lo} + half an ulp)`, () => {
      const hi = lo + 2 ** (Math.floor(Math.log2(lo)) - 52);
      const mid = exactDec(lo).plus(exactDec(hi)).div(2);
      const lnS = D.ln(xs.reduce((s, x) => s.plus(D.exp(exactDec(x))), new D(0)));
      expect(lnS.minus(mid).abs().lt(mid.times(new D(2).pow(-100))), 'hard').toBe(true);
      const want = lnS.lt(mid) ? -lo : -hi;
      resetOracleCounters();
      const y = oracleSlice(Float64Array.from(xs), { op: 'log-softmax', policy: 'ieee', outDtype: 'float64' });
      expect(Array.from(y.slice(0, k))).toEqual(Array(k).fill(want));
      expect(oracleCounters().fallbackElements).toBe(k);
    });
  }
});
