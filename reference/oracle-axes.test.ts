// oracle() over a tensor: each slice it reduces over is the one-slice oracle of that slice's values, whatever the
// axes (negative, unsorted, repeated, not trailing, several), the dtype and the policy. The trailing-axes fast path
// and the gather path must agree with the definition, not only with each other.
import { describe, expect, it } from 'vitest';
import { fromNumbers, slicesOver, toNumbers, type Tensor } from '../harness/tensor/tensor.js';
import type { FloatDType } from '../harness/tensor/dtype.js';
import { oracle, oracleCounters, oracleSlice, oracleSliceDecimal, resetOracleCounters } from './softmax.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** The definition: every slice over `axes`, alone, through oracleSlice. */
function bySlices(x: Tensor, axes: number[], outDtype: FloatDType, policy: 'ieee' | 'limit' = 'ieee'): number[] {
  const values = Array.from(toNumbers(x));
  const out = new Array<number>(values.length).fill(Number.NaN);
  for (const idx of slicesOver(x.shape, axes)) {
    const y = oracleSlice(Float64Array.from(idx, (i) => values[i]), { op: 'softmax', policy, outDtype });
    idx.forEach((i, j) => (out[i] = y[j]));
  }
  return out;
}

const shape = [2, 3, 4];
const rnd = lcg(3);
const data = Array.from({ length: 24 }, () => Math.round((rnd() * 20 - 10) * 8) / 8);

describe('oracle over a tensor', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    const x = fromNumbers(dtype, shape, data);
    for (const axes of [[2], [-1], [1], [0], [-3], [1, 2], [2, 1], [-2, -1], [0, 2], [2, 0], [0, 1], [0, 1, 2], [1, 1]]) {
      it(`${dtype}, axes [${axes}]: each slice is the one-slice oracle of its values`, () => {
        const y = oracle(x, axes, { op: 'softmax', policy: 'ieee' });
        expect(y.dtype).toBe(dtype);
        expect(y.shape).toEqual(shape);
        expect(Array.from(toNumbers(y))).toEqual(bySlices(x, axes, dtype));
      });
    }
  }

  it('limit policy: +inf in a slice that is not the first takes its share; the other slices are untouched', () => {
    const x = fromNumbers('float64', [3, 3], [1, 2, 3, Infinity, 1, Infinity, 0, 0, 0]);
    const y = Array.from(toNumbers(oracle(x, [1], { op: 'softmax', policy: 'limit' })));
    expect(y.slice(3, 6)).toEqual([0.5, 0, 0.5]);
    expect(y).toEqual(bySlices(x, [1], 'float64', 'limit'));
    const cols = Array.from(toNumbers(oracle(x, [0], { op: 'softmax', policy: 'limit' })));
    expect([cols[0], cols[3], cols[6]]).toEqual([0, 1, 0]);
    expect(cols).toEqual(bySlices(x, [0], 'float64', 'limit'));
  });

  it('limit policy through decimal.js alone: the +inf elements share the mass, as on the fast path', () => {
    for (const op of ['softmax', 'log-softmax'] as const) {
      const opts = { op, policy: 'limit' as const, outDtype: 'float64' as const };
      const v = Float64Array.from([Infinity, 1, Infinity, -Infinity]);
      const want = op === 'softmax' ? [0.5, 0, 0.5, 0] : [-Math.LN2, -Infinity, -Math.LN2, -Infinity];
      expect(Array.from(oracleSliceDecimal(v, opts))).toEqual(want);
      expect(Array.from(oracleSlice(v, opts))).toEqual(want);
    }
  });

  it('elements settled without arithmetic (-inf, below the cuts, an overflowing difference) in slices that are not the first', () => {
    // each row alone through oracleSlice (offset 0) against the rows of one tensor (offsets 4, 8, ...): the fast path
    // writes such elements directly, at the slice's offset, and must not touch the rows before it
    const rows = [[1, 2, 3, 4], [0, -1000, -Infinity, 2], [1.5e308, -1.5e308, -Infinity, 0], [0, -3000, -2500, -Infinity], [7, 7, -900, -5000]];
    for (const op of ['softmax', 'log-softmax'] as const) {
      const y = Array.from(toNumbers(oracle(fromNumbers('float64', [rows.length, 4], rows.flat()), [1], { op, policy: 'ieee' })));
      const want = rows.flatMap((r) => Array.from(oracleSlice(Float64Array.from(r), { op, policy: 'ieee', outDtype: 'float64' })));
      expect(y.map((v) => (Object.is(v, -0) ? '-0' : v)), op).toEqual(want.map((v) => (Object.is(v, -0) ? '-0' : v)));
    }
  });

  it('counts the slices and elements it computes, from zero after a reset', () => {
    resetOracleCounters();
    expect(oracleCounters()).toEqual({ slices: 0, elements: 0, fallbackElements: 0 });
    oracle(fromNumbers('float64', shape, data), [0], { op: 'softmax', policy: 'ieee' });
    expect(oracleCounters()).toMatchObject({ slices: 12, elements: 24 });
    resetOracleCounters();
    expect(oracleCounters()).toEqual({ slices: 0, elements: 0, fallbackElements: 0 });
  });

  it('"decimal.js alone" is decimal.js for every element (the fast path\'s independent check), the fast path for none here', () => {
    const v = Float64Array.from(data.slice(0, 7));
    resetOracleCounters();
    const fast = oracleSlice(v, { op: 'softmax', policy: 'ieee', outDtype: 'float64' });
    expect(oracleCounters().fallbackElements).toBe(0);
    const exact = oracleSliceDecimal(v, { op: 'softmax', policy: 'ieee', outDtype: 'float64' });
    expect(oracleCounters()).toEqual({ slices: 2, elements: 14, fallbackElements: 7 });
    expect(Array.from(exact)).toEqual(Array.from(fast));
    resetOracleCounters();
  });
});
