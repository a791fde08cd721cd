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

/** A copy where every element of slice k has offset(k) added (mapSlices with x + c, without an array per slice). */
export function shiftSlices(t: Tensor, axes: number[], offset: (k: number) => number): Tensor {
  const values = numbersOf(t);
  const out = Float64Array.from(values);
  const slices = slicesOver(t.shape, axes);
  for (let k = 0; k < slices.length; k++) {
    const idx = slices[k];
    const c = offset(k);
    for (let j = 0; j < idx.length; j++) out[idx[j]] = values[idx[j]] + c;
  }
  return fromNumbers(t.dtype, t.shape, out);
}

/** Reverse the order of elements along each of `axes`. */
export function reverseAlong(t: Tensor, axes: number[]): Tensor {
  const shape = t.shape;
  const rank = shape.length;
  const strides = stridesOf(shape);
  const values = numbersOf(t);
  const out = new Float64Array(values.length);
  // Walk the elements in row-major order with a multi-index (an odometer), keeping the target offset j up to date:
  // along a reversed axis index idx lands at n - 1 - idx.
  const flip = shape.map((_, a) => axes.includes(a));
  const idx = new Array<number>(rank).fill(0);
  let j = 0;
  for (let a = 0; a < rank; a++) if (flip[a]) j += (shape[a] - 1) * strides[a];
  for (let i = 0; i < values.length; i++) {
    out[j] = values[i];
    for (let a = rank - 1; a >= 0; a--) {
      const step = flip[a] ? -strides[a] : strides[a];
      if (++idx[a] < shape[a]) {
        j += step;
        break;
      }
      j -= step * (shape[a] - 1);
      idx[a] = 0;
    }
  }
  return fromNumbers(t.dtype, t.shape, out);
}
