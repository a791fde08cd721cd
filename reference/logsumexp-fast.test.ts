// The logsumexp oracle's fast path decides ordinary slices itself: over 1,000 random slices per dtype and spread
// (lengths 1-12, some with a large common offset) none goes to decimal.js. A bound made looser, or a shortcut that
// never fires, still gives correctly rounded values (an undecided slice goes to decimal.js), so logsumexp.test.ts's
// comparisons cannot see it; this can (as fast.test.ts does for softmax). A bound made tighter gives wrong values,
// which logsumexp.test.ts catches. Its own file, so Stryker reaches it before the 200-digit comparisons.
import { describe, expect, it } from 'vitest';
import { roundTo } from '../harness/generators/limits.js';
import { fromNumbers, toNumbers } from '../harness/tensor/tensor.js';
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
