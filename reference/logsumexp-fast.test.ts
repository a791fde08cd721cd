// The logsumexp oracle's fast path decides ordinary slices itself: over 1,000 random slices per dtype and spread
// (lengths 1-12, some with a large common offset) none goes to decimal.js. A bound made looser, or a shortcut that
// never fires, still gives correctly rounded values (an undecided slice goes to decimal.js), so logsumexp.test.ts's
// comparisons cannot see it; this can (as fast.test.ts does for softmax). A bound made tighter gives wrong values,
// which logsumexp.test.ts catches. Its own file, so Stryker reaches it before the 200-digit comparisons.
import { describe, expect, it, vi } from 'vitest';
import { roundTo } from '../harness/generators/limits.js';
import { fromNumbers, toNumbers } from '../harness/tensor/tensor.js';
import { Decimal } from './decimal.js';
import { logsumexpCounters, logsumexpOracle, logsumexpSlice } from './logsumexp.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('the logsumexp fast path decides ordinary slices itself', () => {
  for (const dtype of ['float64', 'float32', 'float16', 'bfloat16'] as const) {
    it(`${dtype}`, () => {
      for (const spread of [0.5, 20, 700]) {
        const before = logsumexpCounters();
        const rnd = lcg(5);
        for (let t = 0; t < 1000; t++) {
          const offset = t % 5 === 0 ? 300 * (rnd() - 0.5) : 0;
          logsumexpSlice(Float64Array.from({ length: 1 + (t % 12) }, () => roundTo(dtype, (rnd() - 0.5) * spread + offset)), dtype);
        }
        const after = logsumexpCounters();
        expect(after.slices - before.slices).toBe(1000);
        expect(after.fallbackSlices - before.fallbackSlices, `spread ${spread}`).toBe(0);
      }
    });
  }
});

describe('logsumexpOracle', () => {
  it('takes axes counted from the end as the same axes', () => {
    const x = fromNumbers('float64', [2, 3], [1, 2, 3, 0, 0, 0]);
    for (const [neg, pos] of [[[-1], [1]], [[-2], [0]], [[-2, -1], [0, 1]]]) {
      const a = logsumexpOracle(x, neg);
      const b = logsumexpOracle(x, pos);
      expect(a.shape, `${neg}`).toEqual(b.shape);
      expect(Array.from(toNumbers(a)), `${neg}`).toEqual(Array.from(toNumbers(b)));
    }
  });
});

// The fast path's relative bound, eps = (errL + 8 u^2 |y|) / |y|, decides results of every magnitude it can: huge
// ones (|y| up to 1e300: the 8 u^2 |y| term is relative, errL absolute) and small ones down to about 2^-48 (errL, about
// 2^-100 absolute, is then 2^-52 relative). Below that, "results near zero" in logsumexp.test.ts go to decimal.js.
describe('the fast path decides results of every magnitude it can bound', () => {
  const cases: [number[], 'float64' | 'float32' | 'float16'][] = [
    [[1e300, 1e300], 'float64'], [[-1e300, -1e300], 'float64'], [[1e300, 1e300 * (1 - 2 ** -50), 1e299], 'float64'],
    [[1e10, 1e10 - 1, 1e10 - 3.5], 'float64'], [[-1e10, -1e10 - 1], 'float64'], [[3e38, 3e38], 'float32'], [[-6e4, -6e4 - 1], 'float16'],
    [[0, -27.6], 'float64'], [[0, -30], 'float64'], [[-(2 ** -40), -50], 'float64'], [[0, -25, -26], 'float64'], [[0, -27.6], 'float32'],
  ];
  for (const [xs, dtype] of cases) {
    it(`[${xs}] in ${dtype}`, () => {
      const before = logsumexpCounters().fallbackSlices;
      const y = logsumexpSlice(Float64Array.from(xs), dtype);
      expect(logsumexpCounters().fallbackSlices - before).toBe(0);
      expect(Number.isFinite(y)).toBe(true);
    });
  }
});

// m + log S just beside a rounding midpoint of the output format: m = +-(1 + 2^-24) is halfway between two float32
// values, and log S = log(1 + e^-50) ~ 2e-22 > 0 moves the exact result off it, up for m > 0 and towards zero for
// m < 0. The double-double's high part is m itself, so only its tail, with the sign of the result, tells which way:
// the fast path decides it. With e^-200 instead the tail is below its resolution and decimal.js decides.
describe('logsumexp beside a rounding midpoint', () => {
  const mid = 1 + 2 ** -24;
  for (const [gap, fallbacks] of [[50, 0], [200, 1]] as const) {
    it(`log S = log(1 + e^-${gap}): ${fallbacks === 0 ? 'the fast path decides it' : 'decimal.js decides it'}`, () => {
      const before = logsumexpCounters().fallbackSlices;
      expect(logsumexpSlice(Float64Array.of(mid, mid - gap), 'float32')).toBe(1 + 2 ** -23);
      expect(logsumexpSlice(Float64Array.of(-mid, -mid - gap), 'float32')).toBe(-1);
      expect(logsumexpCounters().fallbackSlices - before).toBe(2 * fallbacks);
    });
  }
});

// A result that rounds to zero in float16 (below half its smallest subnormal, 2^-25) yet large enough that the
// absolute bound of log S (~2^-100) is small against it: the fast path decides that it rounds to zero, with the
// result's sign; decimal.js is not needed. (float32 and bfloat16 have no such results: their subnormals reach below
// 2^-100, where the fast path leaves a result to decimal.js.)
describe('results that round to zero in float16', () => {
  const cases: [number[], 'float16', number][] = [
    [[0, -30], 'float16', 0], // log(1 + e^-30) ~ 9.4e-14
    [[-1e-10, -1e-10 - 50], 'float16', -0],
    [[0, -55], 'float16', 0], // ~ 1.3e-24
    [[-(2 ** -40), -60], 'float16', -0],
  ];
  for (const [xs, dtype, want] of cases) {
    it(`[${xs}] in ${dtype} is ${Object.is(want, -0) ? '-0' : '+0'}, decided by the fast path`, () => {
      const before = logsumexpCounters().fallbackSlices;
      expect(Object.is(logsumexpSlice(Float64Array.from(xs), dtype), want)).toBe(true);
      expect(logsumexpCounters().fallbackSlices - before).toBe(0);
    });
  }
});

describe('the decimal.js path', () => {
  it('makes one decimal.js constructor per precision, not one per slice', () => {
    // beside a float32 midpoint with log S = log(1 + e^-200): decimal.js decides it (above)
    const hard = () => logsumexpSlice(Float64Array.of(1 + 2 ** -24, 1 + 2 ** -24 - 200), 'float32');
    hard(); // the precisions it needs now exist
    const clone = vi.spyOn(Decimal, 'clone');
    try {
      const before = logsumexpCounters().fallbackSlices;
      expect(hard()).toBe(1 + 2 ** -23);
      expect(logsumexpCounters().fallbackSlices - before).toBe(1);
      expect(clone).not.toHaveBeenCalled();
    } finally {
      clone.mockRestore();
    }
  });
});
