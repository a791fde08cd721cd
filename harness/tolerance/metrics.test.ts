import { describe, expect, it } from 'vitest';
import { elementError, errorStats, finiteUlp, StatsAccumulator, ulpBucket, ulpdiff32, ulpdiff64, ulpDistance, UNBOUNDED_ULP } from './metrics.js';
import { halfBitsToNumber } from '../tensor/float16.js';
import stdlibUlp64 from '@stdlib/number-float64-base-ulp-difference';
import stdlibUlp32 from '@stdlib/number-float32-base-ulp-difference';

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

describe('own ULP distance routines agree with stdlib\'s (which they replace at run time)', () => {
  // Random doubles across the whole range (random bit patterns), near neighbours, zeros, subnormals, sign changes.
  const bits = new BigUint64Array(1);
  const asDouble = new Float64Array(bits.buffer);
  let state = 0x9e3779b97f4a7c15n;
  const nextBits = (): bigint => {
    state ^= state << 13n; state &= 0xffffffffffffffffn;
    state ^= state >> 7n;
    state ^= state << 17n; state &= 0xffffffffffffffffn;
    return state;
  };
  const finiteDouble = (): number => {
    for (;;) {
      bits[0] = nextBits();
      if (Number.isFinite(asDouble[0])) return asDouble[0];
    }
  };
  const pairs: [number, number][] = [
    [0, -0], [0, 5e-324], [-5e-324, 5e-324], [1, 1 + 2 ** -52], [1, 1 - 2 ** -53], [-1, 1], [2.2250738585072014e-308, 2.225073858507201e-308],
    [Number.MAX_VALUE, -Number.MAX_VALUE], [Number.MAX_VALUE, 0], [1e-310, -1e-310], [0.1, 0.30000000000000004],
  ];
  for (let i = 0; i < 20000; i++) {
    const a = finiteDouble();
    pairs.push([a, finiteDouble()]);
    pairs.push([a, a * (1 + (i % 7) * 2 ** -52)]);
    pairs.push([a, -a]);
    pairs.push([a * 2 ** -1000, a * 2 ** -1010]);
  }

  it('float64', () => {
    for (const [a, b] of pairs) {
      const want = stdlibUlp64(a, b);
      const got = ulpdiff64(a, b);
      // stdlib works in exact integers; below 2^53 the distances must be identical, above it equal as doubles
      if (want < 2 ** 53) expect(got, `${a} vs ${b}`).toBe(want);
      else expect(Math.abs(got - want) / want, `${a} vs ${b}`).toBeLessThan(1e-15);
    }
  });

  it('float32', () => {
    const f = Math.fround;
    for (const [a, b] of pairs) {
      const [x, y] = [f(a), f(b)];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      expect(ulpdiff32(x, y), `${x} vs ${y}`).toBe(stdlibUlp32(x, y));
    }
  });
});

// Issue 19 (mutation scores): what the first Stryker run of this file left alive.
describe('metrics at the edges the mutants found', () => {
  it('bfloat16 distances count its 2^8 values per binade, across zero too', () => {
    expect(ulpDistance(1, 1 + 2 ** -7, 'bfloat16')).toBe(1);
    expect(ulpDistance(1, 2, 'bfloat16')).toBe(128);
    expect(ulpDistance(-1, 1, 'bfloat16')).toBe(2 * 0x3f80);
    expect(ulpDistance(-(2 ** -133), 2 ** -133, 'bfloat16')).toBe(2);
  });

  it('equal values are no error at all, zero and NaN included', () => {
    for (const v of [0, -0, 1, NaN, -Infinity]) expect(elementError(v, v, 'float64'), `${v}`).toEqual({ ulp: 0, abs: 0, rel: 0, flushed: false });
    expect(elementError(0, -0, 'float32')).toEqual({ ulp: 0, abs: 0, rel: 0, flushed: false });
  });

  it('only a zero for a nonzero subnormal is a flush: not a nonzero value for it, nor a value for a zero', () => {
    expect(elementError(2 ** -1073, 5e-324, 'float64')).toEqual({ ulp: 1, abs: 5e-324, rel: 1, flushed: false });
    expect(elementError(1e-300, 0, 'float64').flushed).toBe(false);
    expect(elementError(5e-324, 0, 'float64').flushed).toBe(false);
  });

  it('a finite distance of exactly 2^53 is written as 2^53 + 2, apart from the unbounded sentinel', () => {
    expect(finiteUlp(UNBOUNDED_ULP)).toBe(UNBOUNDED_ULP + 2);
    expect(finiteUlp(UNBOUNDED_ULP + 2)).toBe(UNBOUNDED_ULP + 2);
    expect(finiteUlp(3)).toBe(3);
    const acc = new StatsAccumulator();
    acc.add({ ulp: UNBOUNDED_ULP, abs: 1, rel: 1, flushed: false });
    expect(acc.finish().maxUlp).toBe(UNBOUNDED_ULP + 2);
  });

  it('the absolute and relative maxima keep the largest finite error whatever the order, and skip unbounded ones', () => {
    const acc = new StatsAccumulator();
    acc.add({ ulp: 5, abs: 3, rel: 4, flushed: false });
    acc.add({ ulp: 1, abs: 1, rel: 2, flushed: false });
    acc.add({ ulp: Infinity, abs: Infinity, rel: Infinity, flushed: false });
    expect(acc.finish()).toMatchObject({ maxAbs: 3, maxRel: 4, maxUlp: UNBOUNDED_ULP });
  });

  it('counts allowed flushes apart, with the largest flushed value', () => {
    const acc = new StatsAccumulator();
    acc.addFlush(-(2 ** -1030));
    acc.addFlush(2 ** -1040);
    acc.add({ ulp: 1, abs: 2 ** -52, rel: 2 ** -52, flushed: false });
    expect(acc.finish()).toMatchObject({ elements: 1, flushedSubnormals: 2, largestFlushed: 2 ** -1030, maxUlp: 1 });
  });

  it('errorStats reports the largest flushed correct value, not the largest value', () => {
    const s = errorStats([1, 0, 0, 0.25], [1, 2 ** -1074, 2 ** -1030, 0.5], 'float64');
    expect(s).toMatchObject({ flushedSubnormals: 2, largestFlushed: 2 ** -1030 });
    expect(errorStats([0.5], [0.5], 'float64').largestFlushed).toBe(0);
  });
});
