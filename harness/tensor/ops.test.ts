// The fast tensor walks (reverseAlong's odometer, shiftSlices, slicesOver's offsets) against the plain definitions
// they replace (index arithmetic per element, mapSlices with an array per slice): the same bits on every shape.
import { describe, expect, it } from 'vitest';
import { mapSlices, reverseAlong, shiftSlices } from './ops.js';
import { bitwiseEqual, fromNumbers, slicesOver, stridesOf, toNumbers, type Tensor } from './tensor.js';
import type { DType } from './dtype.js';

/** The definition: element i's multi-index, each reversed axis's index mirrored. */
function reverseByDivision(t: Tensor, axes: number[]): Tensor {
  const strides = stridesOf(t.shape);
  const values = toNumbers(t);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let j = 0;
    for (let a = 0; a < t.shape.length; a++) {
      const idx = Math.floor(i / strides[a]) % t.shape[a];
      j += (axes.includes(a) ? t.shape[a] - 1 - idx : idx) * strides[a];
    }
    out[j] = values[i];
  }
  return fromNumbers(t.dtype, t.shape, out);
}

/** The definition of slicesOver: every element's multi-index, grouped by the kept axes, row-major within. */
function slicesByIndex(shape: number[], axes: number[]): number[][] {
  const strides = stridesOf(shape);
  const n = shape.reduce((a, b) => a * b, 1);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const index = shape.map((d, a) => Math.floor(i / strides[a]) % d);
    const key = index.filter((_, a) => !axes.includes(a)).join(',');
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  return [...groups.values()];
}

// A small deterministic generator: shapes of rank 0-4 with lengths 0-4, values with ties, -0 and large magnitudes.
function* shapes(): Generator<number[]> {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let k = 0; k < 300; k++) {
    const rank = Math.floor(next() * 5);
    yield Array.from({ length: rank }, () => Math.floor(next() * 5));
  }
}
const VALUES = [0, -0, 1.5, -2.25, 1e300, -1e-300, 3, 3, 7.125, -700];
const tensorOf = (shape: number[], dtype: DType = 'float64') =>
  fromNumbers(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => VALUES[(i * 7) % VALUES.length] + (i % 3)));
const axesSets = (rank: number): number[][] => [[], ...Array.from({ length: rank }, (_, a) => [a]), Array.from({ length: rank }, (_, a) => a), rank > 1 ? [0, rank - 1] : []];

describe('tensor walks', () => {
  it('reverseAlong gives the bits of the per-element definition on every shape and set of axes', () => {
    let compared = 0;
    for (const shape of shapes()) {
      for (const dtype of ['float64', 'float32', 'float16'] as DType[]) {
        const t = tensorOf(shape, dtype);
        for (const axes of axesSets(shape.length)) {
          expect(bitwiseEqual(reverseAlong(t, axes), reverseByDivision(t, axes)), `${dtype} (${shape}) axes ${axes}`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('reverseAlong twice is the identity, and reverses a row', () => {
    const t = fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(toNumbers(reverseAlong(t, [1])))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(Array.from(toNumbers(reverseAlong(t, [0])))).toEqual([4, 5, 6, 1, 2, 3]);
    expect(Array.from(toNumbers(reverseAlong(t, [0, 1])))).toEqual([6, 5, 4, 3, 2, 1]);
    expect(bitwiseEqual(reverseAlong(reverseAlong(t, [0, 1]), [0, 1]), t)).toBe(true);
  });

  it('shiftSlices gives the bits of mapSlices adding the same offsets (rounded to the dtype)', () => {
    for (const shape of shapes()) {
      for (const dtype of ['float64', 'float32', 'float16', 'int32'] as DType[]) {
        const t = tensorOf(shape, dtype);
        for (const axes of axesSets(shape.length)) {
          const offset = (k: number) => (k % 2 === 0 ? 800 : -800);
          const plain = mapSlices(t, axes, (v, k) => v.map((x) => x + offset(k)));
          expect(bitwiseEqual(shiftSlices(t, axes, offset), plain), `${dtype} (${shape}) axes ${axes}`).toBe(true);
        }
      }
    }
  });

  it('slicesOver lists every slice as the per-element definition does', () => {
    for (const shape of shapes()) {
      for (const axes of axesSets(shape.length)) {
        const kept = shape.filter((_, a) => !axes.includes(a));
        const expected = shape.includes(0) ? (kept.includes(0) ? [] : slicesByIndex(kept, []).map(() => [])) : slicesByIndex(shape, axes);
        expect(slicesOver([...shape], [...axes]).map((s) => [...s]), `(${shape}) axes ${axes}`).toEqual(expected);
      }
    }
  });

  it('fromNumbers converts as element assignment does: float32 rounding, int32 wrap-around, NaN and fractions', () => {
    const values = [0.1, -0.1, 1e40, -1e-50, NaN, -0, 2 ** 31 + 5, -(2 ** 32) - 3.7, 123.9, -123.9, Infinity];
    for (const [dtype, Typed] of [['float64', Float64Array], ['float32', Float32Array], ['int32', Int32Array]] as const) {
      const byElement = new Typed(values.length);
      for (let i = 0; i < values.length; i++) byElement[i] = values[i];
      expect(Array.from(fromNumbers(dtype, [values.length], values).data as ArrayLike<number>), dtype).toEqual(Array.from(byElement));
      // from a typed array, as the checks hand it over
      expect(Array.from(fromNumbers(dtype, [values.length], Float64Array.from(values)).data as ArrayLike<number>), dtype).toEqual(Array.from(byElement));
    }
    // more values than the shape holds: the first ones (as before: writes past the end were dropped)
    expect(Array.from(fromNumbers('int32', [2], [1, 2, 3]).data as Int32Array)).toEqual([1, 2]);
  });
});
