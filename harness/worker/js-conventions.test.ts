// The JavaScript calling conventions: inputs built per convention, outputs read from any of them, and detection by
// probing, on softmax functions written the way npm packages write them.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module (run as is by the worker), no declarations
import { detect, fromConvention, toConvention } from './js-conventions.mjs';

const Arrays = { float64: Float64Array, float32: Float32Array, int32: Int32Array };
const x2 = { dtype: 'float64', shape: [2, 3], data: Float64Array.from([1, 2, 3, 4, 5, 6]) };

// As npm packages write them:
const arraySoftmax = (arr: number[]) => { const m = Math.max(...arr); const e = arr.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); };
const nestedSoftmax = (rows: number[][] | number[]): number[][] | number[] => (Array.isArray(rows[0]) ? (rows as number[][]).map(arraySoftmax) : arraySoftmax(rows as number[]));
const typedSoftmax = (a: Float64Array) => { let m = -Infinity; for (const v of a.subarray(0)) m = Math.max(m, v); const e = a.map((v) => Math.exp(v - m)); let s = 0; for (const v of e) s += v; return e.map((v) => v / s); };
const tensorSoftmax = (x: { data: Float64Array }) => typedSoftmax(x.data);
// A function that works on number[] and on typed arrays alike is taken as `array`: nested arrays carry the shape.
const eitherSoftmax = (a: ArrayLike<number>) => arraySoftmax(Array.from(a));

describe('toConvention', () => {
  it('builds each form of the same input', () => {
    expect(toConvention('array', x2)).toEqual([[[1, 2, 3], [4, 5, 6]]]);
    expect(toConvention('typed-shape', x2)).toEqual([x2.data, [2, 3]]);
    expect(toConvention('tensor', x2)).toEqual([x2]);
    expect(() => toConvention('typed', x2)).toThrow(/carries no shape, so a rank-2 input cannot be passed/);
    expect(toConvention('array', { dtype: 'float64', shape: [], data: Float64Array.from([7]) })).toEqual([7]);
  });
});

describe('fromConvention', () => {
  it('reads nested arrays in the input dtype, with the shape of the nesting', () => {
    const got = fromConvention([[0.5, 0.5], [0.25, 0.75]], 'float32', Arrays);
    expect(got.dtype).toBe('float32');
    expect(got.shape).toEqual([2, 2]);
    expect(got.data).toBeInstanceOf(Float32Array);
  });
  it('rejects ragged arrays and non-numbers with a reason', () => {
    expect(() => fromConvention([[1, 2], [3]], 'float64', Arrays)).toThrow('returned a ragged nested array');
    expect(() => fromConvention([1, 'a'], 'float64', Arrays)).toThrow('holding string, not numbers');
  });
  it('an empty result keeps the input\'s shape, which nested arrays cannot carry', () => {
    expect(fromConvention([], 'float64', Arrays, [0, 3]).shape).toEqual([0, 3]);
    expect(fromConvention([], 'float64', Arrays, [0]).shape).toEqual([0]);
  });
  it('leaves typed arrays and {dtype, shape, data} to the worker as before', () => {
    const t = new Float64Array(2);
    expect(fromConvention(t, 'float64', Arrays)).toBe(t);
  });
});

describe('detect', () => {
  it.each([
    ['array', arraySoftmax],
    ['typed', typedSoftmax],
    ['tensor', tensorSoftmax],
    ['array', eitherSoftmax],
  ])('finds the %s convention', async (want, fn) => {
    const { convention } = await detect(fn, [], Arrays);
    expect(convention).toBe(want);
  });
  it('a nested-array softmax is detected as array (1-D probe) and then works on rank 2', async () => {
    const { convention } = await detect(nestedSoftmax, [], Arrays);
    expect(convention).toBe('array');
    const out = fromConvention(nestedSoftmax(...(toConvention('array', x2) as [number[][]])), 'float64', Arrays);
    expect(out.shape).toEqual([2, 3]);
  });
  it('says what each attempt did when nothing fits', async () => {
    const r = await detect(() => { throw new TypeError('Spread syntax requires ...iterable[Symbol.iterator] to be a function'); }, [], Arrays);
    expect(r.convention).toBe('tensor');
    expect(r.tried.join('\n')).toContain('array: TypeError: Spread syntax requires');
  });
});
