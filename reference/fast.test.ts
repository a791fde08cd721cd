// The fast path's error bounds decide (nearly) every element: decimal.js is for the rare element within the bound of
// a rounding boundary. softmax.test.ts checks the values; this checks that the fast path, not the fallback, made
// them (a bound made too loose, or a shortcut that never fires, still gives correct values, only thousands of times
// slower: a run of the harness computes millions of oracle elements).
import { describe, expect, it } from 'vitest';
import { maxOf } from './fast.js';
import { oracleCounters, oracleSlice, oracleSliceDecimal, resetOracleCounters, type SoftmaxOp } from './softmax.js';
import type { FloatDType } from '../harness/tensor/dtype.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Fallback elements over `slices` random slices of 1..64 elements, values spread over +-spread. */
function fallbacks(op: SoftmaxOp, dtype: FloatDType, spread: number, slices = 200): { fallback: number; elements: number } {
  const r = lcg(7);
  resetOracleCounters();
  for (let s = 0; s < slices; s++) {
    const n = 1 + Math.floor(r() * 64);
    const x = Array.from({ length: n }, () => (r() * 2 - 1) * spread);
    oracleSlice(Float64Array.from(x), { op, policy: 'ieee', outDtype: dtype });
  }
  const c = oracleCounters();
  return { fallback: c.fallbackElements, elements: c.elements };
}

describe('the fast path decides the elements of ordinary slices itself', () => {
  for (const op of ['softmax', 'log-softmax'] as const) {
    for (const dtype of ['float64', 'float32', 'float16'] as const) {
      it(`${op} in ${dtype}`, () => {
        for (const spread of [0.5, 10, 700]) {
          const { fallback, elements } = fallbacks(op, dtype, spread);
          expect(elements).toBeGreaterThan(5000);
          expect(fallback, `spread ${spread}`).toBe(0);
        }
      });
    }
  }
});

describe('fast path details', () => {
  it('maxOf: the max of the window and how many times it occurs', () => {
    const x = Float64Array.of(9, 3, -Infinity, 3, 1, 3, 9);
    expect(maxOf(x, 1, 5)).toEqual({ m: 3, k: 3 });
    expect(maxOf(x, 0, 7)).toEqual({ m: 9, k: 2 });
    expect(maxOf(x, 2, 1)).toEqual({ m: -Infinity, k: 1 });
    expect(maxOf(x, 2, 0)).toEqual({ m: -Infinity, k: 0 });
  });

  it('a long slice after short ones (the scratch space grows) gives the bits decimal.js gives', () => {
    const r = lcg(11);
    for (const n of [3, 100, 1500]) {
      const x = Float64Array.from({ length: n }, () => (r() * 2 - 1) * 30);
      for (const op of ['softmax', 'log-softmax'] as const) {
        const o = { op, policy: 'ieee' as const, outDtype: 'float64' as const };
        expect(Array.from(oracleSlice(x, o)), `${op} n=${n}`).toEqual(Array.from(oracleSliceDecimal(x, o)));
      }
    }
  });
});

// log-softmax where x_i - max is a rounding midpoint of a narrow output format and log S is far below the
// double-double's resolution: the general rounding cannot decide |y| = |d| + log S, but |y| lies in (|d|, |d| +
// log S + its error], one-sided from the exact midpoint |d|, so it rounds away from zero. The fast path settles that
// itself (its second roundMag); decimal.js would give the same value, thousands of times slower.
describe('log-softmax: a difference at a rounding midpoint of the output format is decided by the fast path', () => {
  const cases: [number[], FloatDType, number][] = [
    [[0, -(2 ** 24 + 1), -100], 'float32', -(2 ** 24 + 2)],
    [[0, -2049, -30], 'float16', -2050],
    [[0, -257, -20], 'bfloat16', -258],
  ];
  for (const [xs, dtype, want] of cases) {
    it(`[${xs}] in ${dtype}`, () => {
      resetOracleCounters();
      expect(oracleSlice(Float64Array.from(xs), { op: 'log-softmax', policy: 'ieee', outDtype: dtype })[1]).toBe(want);
      expect(oracleCounters().fallbackElements).toBe(0);
    });
  }
});

// Slices the random ones above never produce: several maxima (k > 1) with the others far below but above the cut
// (log S = log k + a tiny T: its bound must stay absolute, not grow as 1/T), and a difference that overflows
// (-1.5e308 - 1.5e308 = -inf) beside k > 1. Both are settled by the fast path: exact -log k, -inf.
describe('log-softmax with several maxima is decided by the fast path', () => {
  const cases: number[][] = [[1.5e308, 1.5e308, -1.5e308], [3, 3, 3 - 700], [0, 0, -30, -700], [-2, -2, -2, -600]];
  for (const xs of cases) {
    it(`[${xs}]`, () => {
      resetOracleCounters();
      const y = oracleSlice(Float64Array.from(xs), { op: 'log-softmax', policy: 'ieee', outDtype: 'float64' });
      expect(oracleCounters().fallbackElements).toBe(0);
      expect(Array.from(y)).toEqual(Array.from(oracleSliceDecimal(Float64Array.from(xs), { op: 'log-softmax', policy: 'ieee', outDtype: 'float64' })));
    });
  }
});
