import { describe, expect, it } from 'vitest';
import { elementError, errorStats, ulpBucket, ulpDistance, UNBOUNDED_ULP } from './metrics.js';
import { halfBitsToNumber } from '../tensor/float16.js';

describe('ulpDistance', () => {
  it('counts representable values between, in the dtype', () => {
    expect(ulpDistance(1, 1 + 2 ** -52, 'float64')).toBe(1);
    expect(ulpDistance(1, 1 + 2 ** -23, 'float32')).toBe(1);
    expect(ulpDistance(1, 1 + 2 ** -10, 'float16')).toBe(1);
    expect(ulpDistance(1 - 2 ** -53, 1 + 2 ** -52, 'float64')).toBe(2); // across a binade
    expect(ulpDistance(0, 5e-324, 'float64')).toBe(1);
    expect(ulpDistance(-5e-324, 5e-324, 'float64')).toBe(2);
    expect(ulpDistance(0, 2 ** -149, 'float32')).toBe(1);
    expect(ulpDistance(halfBitsToNumber(0x8001), halfBitsToNumber(0x0001), 'float16')).toBe(2);
    expect(ulpDistance(1, 2, 'float16')).toBe(1024);
  });
  it('treats signed zeros as equal, NaN as matching only NaN, infinities as unbounded', () => {
    for (const d of ['float64', 'float32', 'float16'] as const) {
      expect(ulpDistance(0, -0, d)).toBe(0);
      expect(ulpDistance(NaN, NaN, d)).toBe(0);
      expect(ulpDistance(NaN, 1, d)).toBe(Infinity);
      expect(ulpDistance(0.5, NaN, d)).toBe(Infinity);
      expect(ulpDistance(Infinity, 65504, d)).toBe(Infinity);
      expect(ulpDistance(-Infinity, -Infinity, d)).toBe(0);
      expect(ulpDistance(Infinity, -Infinity, d)).toBe(Infinity);
    }
  });
});

describe('elementError', () => {
  it('gives absolute and relative error, and recognises a flushed subnormal', () => {
    const e = elementError(1 + 2 ** -52, 1, 'float64');
    expect(e).toEqual({ ulp: 1, abs: 2 ** -52, rel: 2 ** -52, flushed: false });
    expect(elementError(0, 5e-324, 'float64').flushed).toBe(true);
    expect(elementError(-0, 2 ** -130, 'float32').flushed).toBe(true);
    expect(elementError(0, 2 ** -20, 'float16').flushed).toBe(true); // float16 subnormal
    expect(elementError(0, 2 ** -1022, 'float64').flushed).toBe(false); // normal: an ordinary error
    expect(elementError(1e-300, 0, 'float64').rel).toBe(Infinity);
    expect(elementError(NaN, 0.5, 'float64')).toEqual({ ulp: Infinity, abs: Infinity, rel: Infinity, flushed: false });
    expect(elementError(NaN, NaN, 'float64').ulp).toBe(0);
  });
});

describe('errorStats', () => {
  it('summarises maxima, quantiles and the histogram buckets of harness/model.ts', () => {
    const expected = [1, 1, 1, 1, 1, 0.5, 2 ** -1074, 1];
    const actual = [1, 1 + 2 ** -52, 1 + 3 * 2 ** -52, 1 + 20 * 2 ** -52, 1 + 1000 * 2 ** -52, NaN, 0, 1 + 2 ** 17 * 2 ** -52];
    const s = errorStats(actual, expected, 'float64');
    expect(s.elements).toBe(8);
    expect(s.ulpHistogram).toEqual({ '0': 1, '1': 2, '2-3': 1, '4-15': 0, '16-255': 1, '256-65535': 1, '>=65536': 2 });
    expect(s.maxUlp).toBe(UNBOUNDED_ULP);
    expect(s.ulpQuantiles.p50).toBe(3);
    expect(s.ulpQuantiles.max).toBe(UNBOUNDED_ULP);
    expect(s.maxRel).toBe(1); // the flushed subnormal: all of it lost
    expect(s.flushedSubnormals).toBe(1);
    expect(errorStats([], [], 'float32')).toMatchObject({ elements: 0, maxUlp: 0, ulpQuantiles: { p50: 0, p90: 0, p99: 0, max: 0 } });
    expect(ulpBucket(Infinity)).toBe('>=65536');
  });
});
