// Which route oracle() takes over a tensor. Trailing axes (the last axis, the last two, ...: what audits reduce over
// almost always) are computed as contiguous runs of the input, in place, without index lists; other axes gather each
// slice through slicesOver's index lists. Both give the same values (oracle-axes.test.ts checks that), so only the
// route tells a fast path that quietly stopped firing (axes normalised or sorted wrongly, the trailing test broken)
// from a working one: the gather path builds an index list per slice and copies every slice twice.
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../harness/tensor/tensor.js', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../harness/tensor/tensor.js')>();
  return { ...mod, slicesOver: vi.fn((shape: readonly number[], axes: readonly number[]) => mod.slicesOver(shape, axes)) };
});

import { fromNumbers, slicesOver, toNumbers, type Tensor } from '../harness/tensor/tensor.js';
import { oracle, oracleSlice } from './softmax.js';

const spy = vi.mocked(slicesOver);

/** The definition, slice by slice (calls slicesOver itself: run it before clearing the spy). */
function bySlices(x: Tensor, axes: number[]): number[] {
  const values = Array.from(toNumbers(x));
  const out = new Array<number>(values.length).fill(Number.NaN);
  for (const idx of slicesOver(x.shape, axes)) {
    const y = oracleSlice(Float64Array.from(idx, (i) => values[i]), { op: 'log-softmax', policy: 'ieee', outDtype: x.dtype as 'float64' });
    idx.forEach((i, j) => (out[i] = y[j]));
  }
  return out;
}

const data = Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5 + i / 8);

describe('oracle() over trailing axes: contiguous runs, no index lists', () => {
  beforeEach(() => {
    spy.mockClear();
  });
  for (const dtype of ['float64', 'float32'] as const) {
    const cases: [number[], number[]][] = [
      [[2, 3, 4], [2]], [[2, 3, 4], [-1]], [[2, 3, 4], [1, 2]], [[2, 3, 4], [2, 1]], [[2, 3, 4], [-1, -2]],
      [[2, 3, 4], [-2, -1]], [[2, 3, 4], [2, -1]], [[2, 3, 4], [0, 1, 2]], [[2, 3, 4], [2, 0, 1]], [[24], [0]], [[24], [-1]],
      // no axes: each element alone, as runs of one element
      [[2, 3, 4], []], [[24], []],
    ];
    for (const [shape, axes] of cases) {
      it(`${dtype} ${JSON.stringify(shape)}, axes [${axes}]`, () => {
        const x = fromNumbers(dtype, shape, data);
        const want = bySlices(x, axes);
        spy.mockClear();
        const y = oracle(x, axes, { op: 'log-softmax', policy: 'ieee' });
        expect(spy).not.toHaveBeenCalled();
        expect(Array.from(toNumbers(y))).toEqual(want);
      });
    }
  }
});

describe('oracle() over other axes: the gather path', () => {
  beforeEach(() => {
    spy.mockClear();
  });
  for (const axes of [[0], [1], [0, 2], [-3], [0, 1]]) {
    it(`[2, 3, 4], axes [${axes}]`, () => {
      const x = fromNumbers('float64', [2, 3, 4], data);
      oracle(x, axes, { op: 'log-softmax', policy: 'ieee' });
      expect(spy).toHaveBeenCalledTimes(1);
    });
  }
});
