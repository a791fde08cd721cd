// The fast path's error bounds decide (nearly) every element: decimal.js is for the rare element within the bound of
// a rounding boundary. softmax.test.ts checks the values; this checks that the fast path, not the fallback, made
// them (a bound made too loose, or a shortcut that never fires, still gives correct values, only thousands of times
// slower: a run of the harness computes millions of oracle elements).
import { describe, expect, it } from 'vitest';
import { oracleCounters, oracleSlice, resetOracleCounters, type SoftmaxOp } from './softmax.js';
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
