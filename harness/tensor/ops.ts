// Tensor transformations the metamorphic checks need: take one slice alone, change values slice by slice,
// reverse along axes. Results keep the input's dtype (values are rounded to it by fromNumbers).
import { fromNumbers, slicesOver, stridesOf, numbersOf, type Tensor } from './tensor.js';

/** The k-th slice over `axes` as a tensor of its own, keeping the rank (the other axes become length 1). */
export function sliceAlone(t: Tensor, axes: number[], k: number): { tensor: Tensor; indices: readonly number[] } {
  const indices = slicesOver(t.shape, axes)[k];
  const reduced = new Set(axes);
  const shape = t.shape.map((n, a) => (reduced.has(a) ? n : 1));
  const values = numbersOf(t);
  return { tensor: fromNumbers(t.dtype, shape, indices.map((i) => values[i])), indices };
}

/** A copy where each slice's values are replaced by fn(values, sliceNumber). */
export function mapSlices(t: Tensor, axes: number[], fn: (values: number[], k: number) => number[]): Tensor {
  const values = numbersOf(t);
  const out = Float64Array.from(values);
  slicesOver(t.shape, axes).forEach((idx, k) => {
    const mapped = fn(idx.map((i) => values[i]), k);
    idx.forEach((i, j) => (out[i] = mapped[j]));
  });
  return fromNumbers(t.dtype, t.shape, out);
}

/** Reverse the order of elements along each of `axes`. */
export function reverseAlong(t: Tensor, axes: number[]): Tensor {
  const strides = stridesOf(t.shape);
  const values = numbersOf(t);
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
