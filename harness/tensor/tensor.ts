// A row-major tensor: dtype, shape and typed data. The data is the exact little-endian element storage,
// so a tensor crosses every boundary (worker frames, .npy, base64 JSON) bit for bit.
import { allocate, DTYPE_INFO, type DType, type TensorData, viewBytes } from './dtype.js';
import { bf16BitsToNumber, numberToBf16Bits } from './bfloat16.js';
import { halfBitsToNumber, numberToHalfBits } from './float16.js';

export interface Tensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TensorData;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function makeTensor(dtype: DType, shape: readonly number[], data?: TensorData): Tensor {
  const n = sizeOf(shape);
  const d = data ?? allocate(dtype, n);
  if (d.length !== n) throw new RangeError(`shape (${shape.join(', ')}) needs ${n} elements, data has ${d.length}`);
  return { dtype, shape: [...shape], data: d };
}

/** Element i as a JS number (int64 beyond 2^53 loses precision; bool is 0/1). */
export function valueAt(t: Tensor, i: number): number {
  const v = t.data[i];
  if (t.dtype === 'float16') return halfBitsToNumber(v as number);
  if (t.dtype === 'bfloat16') return bf16BitsToNumber(v as number);
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

export function toNumbers(t: Tensor): Float64Array {
  // Typed arrays of numbers convert natively (float16 is stored as bits, int64 as bigints: element by element).
  if (t.data instanceof Float64Array || t.data instanceof Float32Array || t.data instanceof Int32Array) return new Float64Array(t.data);
  if (t.dtype === 'bool') return new Float64Array(t.data as Uint8Array);
  const out = new Float64Array(t.data.length);
  // one loop per dtype, not valueAt's dtype test per element (float16 outputs are read for every comparison)
  if (t.dtype === 'float16') {
    const d = t.data as Uint16Array;
    for (let i = 0; i < out.length; i++) out[i] = halfBitsToNumber(d[i]);
  } else if (t.dtype === 'bfloat16') {
    const d = t.data as Uint16Array;
    for (let i = 0; i < out.length; i++) out[i] = bf16BitsToNumber(d[i]);
  } else for (let i = 0; i < out.length; i++) out[i] = valueAt(t, i);
  return out;
}

const numbers = new WeakMap<Tensor, Float64Array>();

/**
 * toNumbers once per tensor, for readers only: the judging asks for the same tensor's values in many checks. The
 * result is shared (a float64 tensor's own data): never write to it. Tensors are not changed once built.
 */
export function numbersOf(t: Tensor): Float64Array {
  if (t.data instanceof Float64Array) return t.data;
  let v = numbers.get(t);
  if (v === undefined) numbers.set(t, (v = toNumbers(t)));
  return v;
}

/** A tensor of the dtype from JS numbers, each rounded to the dtype (nearest-even for floats, truncation for ints). */
export function fromNumbers(dtype: DType, shape: readonly number[], values: ArrayLike<number>): Tensor {
  const t = makeTensor(dtype, shape);
  const d = t.data;
  // One loop per dtype (the dtype does not change from element to element); `set` converts each value as an
  // element assignment does (rounding to float32, ToInt32 for int32).
  switch (dtype) {
    case 'float16': for (let i = 0; i < values.length; i++) (d as Uint16Array)[i] = numberToHalfBits(values[i]); break;
    case 'bfloat16': for (let i = 0; i < values.length; i++) (d as Uint16Array)[i] = numberToBf16Bits(values[i]); break;
    case 'int64': for (let i = 0; i < values.length; i++) (d as BigInt64Array)[i] = BigInt(Math.trunc(values[i])); break;
    case 'bool': for (let i = 0; i < values.length; i++) (d as Uint8Array)[i] = values[i] ? 1 : 0; break;
    default: (d as Float64Array | Float32Array | Int32Array).set(values.length === d.length ? values : Array.prototype.slice.call(values, 0, d.length));
  }
  return t;
}

/** The little-endian bytes of the data (a view, not a copy). */
export function tensorBytes(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

export function tensorFromBytes(dtype: DType, shape: readonly number[], bytes: Uint8Array): Tensor {
  return makeTensor(dtype, shape, viewBytes(dtype, bytes));
}

export function cloneTensor(t: Tensor): Tensor {
  return makeTensor(t.dtype, t.shape, t.data.slice() as TensorData);
}

/** Same dtype, shape and bytes (so NaN payloads and -0 count). */
export function bitwiseEqual(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length) return false;
  if (a.shape.some((n, i) => n !== b.shape[i])) return false;
  const x = tensorBytes(a);
  const y = tensorBytes(b);
  if (x.length !== y.length) return false;
  // Buffer's native comparison (views, no copies): the goldens compare ~10^4 outputs per run
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
}

export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * The flat indices of every slice that reduces over `axes`: one array of indices per slice, each slice's indices
 * in row-major order of the reduced axes. With no axes every element is its own slice.
 * Every check asks this of the same few shapes again and again, so results are cached, and frozen because shared.
 */
export function slicesOver(shape: readonly number[], axes: readonly number[]): readonly (readonly number[])[] {
  // Checks pass the same shape and axes arrays again and again: look those up by object before building a key.
  let byAxes = sliceCacheByObject.get(shape);
  if (byAxes === undefined) sliceCacheByObject.set(shape, (byAxes = new WeakMap()));
  let slices = byAxes.get(axes);
  if (slices !== undefined) return slices;
  const key = `${shape.join(',')}|${axes.join(',')}`;
  slices = sliceCache.get(key);
  if (slices === undefined) {
    slices = computeSlices(shape, axes);
    if (sliceCache.size >= SLICE_CACHE_ENTRIES) sliceCache.clear();
    sliceCache.set(key, slices);
  }
  byAxes.set(axes, slices);
  return slices;
}

const SLICE_CACHE_ENTRIES = 4096;
const sliceCache = new Map<string, readonly (readonly number[])[]>();
const sliceCacheByObject = new WeakMap<readonly number[], WeakMap<readonly number[], readonly (readonly number[])[]>>();

function computeSlices(shape: readonly number[], axes: readonly number[]): readonly (readonly number[])[] {
  const rank = shape.length;
  const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const strides = stridesOf(shape);
  const keptAxes = [...Array(rank).keys()].filter((a) => !reduced.has(a));
  const redAxes = [...Array(rank).keys()].filter((a) => reduced.has(a));
  // The common case, trailing axes (`last`, `all`): slice k is the run k*L .. k*L + L - 1.
  if (redAxes.every((a, i) => a === rank - redAxes.length + i)) {
    const L = redAxes.reduce((n, a) => n * shape[a], 1);
    const count = keptAxes.reduce((n, a) => n * shape[a], 1);
    const runs: (readonly number[])[] = [];
    for (let k = 0; k < count; k++) {
      const run: number[] = [];
      for (let j = 0; j < L; j++) run.push(k * L + j);
      runs.push(Object.freeze(run));
    }
    return Object.freeze(runs);
  }
  const outer = offsets(keptAxes.map((a) => shape[a]), keptAxes.map((a) => strides[a]));
  const inner = offsets(redAxes.map((a) => shape[a]), redAxes.map((a) => strides[a]));
  return Object.freeze(outer.map((base) => Object.freeze(inner.map((off) => base + off))));
}

/** The flat offsets of every multi-index of `dims` (row-major), each index weighted by `strides`. */
function offsets(dims: readonly number[], strides: readonly number[]): number[] {
  let total = 1;
  for (const n of dims) total *= n;
  const out: number[] = [];
  // An odometer over the multi-index, the last index fastest, keeping the offset up to date.
  const idx = dims.map(() => 0);
  let off = 0;
  for (let n = 0; n < total; n++) {
    out.push(off);
    for (let k = dims.length - 1; k >= 0; k--) {
      if (++idx[k] < dims[k]) {
        off += strides[k];
        break;
      }
      off -= strides[k] * (dims[k] - 1);
      idx[k] = 0;
    }
  }
  return out;
}

export function describeShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function itemsize(t: Tensor): number {
  return DTYPE_INFO[t.dtype].itemsize;
}
