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
import { oracle, oracleCounters, oracleSlice, resetOracleCounters } from './softmax.js';

const D = Decimal.clone({ precision: 100 });
const exp = (z: number) => D.exp(new D(z));

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
