import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { exactDecimal } from './exact-decimal.js';
import { roundDecimal } from './fallback.js';
import { FORMATS } from './format.js';
import { logsumexpCounters, logsumexpOracle, logsumexpSlice } from './logsumexp.js';
import { roundTo } from '../harness/generators/limits.js';
import { fromNumbers, toNumbers } from '../harness/tensor/tensor.js';
import type { FloatDType } from '../harness/tensor/dtype.js';

const D = Decimal.clone({ precision: 200 });
const DTYPES: FloatDType[] = ['float64', 'float32', 'float16', 'bfloat16'];

function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** log(sum(exp(x))) at 200 digits straight from the definition, rounded once (independent of logsumexp.ts). */
function reference(xs: number[], dtype: FloatDType): number {
  let s = new D(0);
  for (const x of xs) s = s.plus(D.exp(exactDecimal(x, D)));
  return roundDecimal(D.ln(s), FORMATS[dtype]);
}

describe('logsumexp oracle', () => {
  for (const dtype of DTYPES) {
    it(`correctly rounded in ${dtype} on random slices (vs decimal.js at 200 digits)`, () => {
      const rnd = lcg(dtype.length * 31 + 7);
      const scale = { float64: 300, float32: 60, float16: 8, bfloat16: 60 }[dtype];
      for (let t = 0; t < 120; t++) {
        const n = 1 + Math.floor(rnd() * 10);
        const off = t % 4 === 0 ? (rnd() - 0.5) * scale * 10 : 0; // large offsets: m dominates
        const xs = Array.from({ length: n }, () => roundTo(dtype, off + (rnd() - 0.5) * scale * (t % 3 === 0 ? 0.01 : 1)));
        const y = logsumexpSlice(Float64Array.from(xs), dtype);
        expect(Object.is(y, reference(xs, dtype)), `${dtype} [${xs}]: ${y}`).toBe(true);
      }
    });
  }

  it('correctly rounded where x - m is not a double: full 53-bit inputs of both signs (vs decimal.js at 200 digits)', () => {
    // The random slices above have about 31 significant bits, so every x - m there is exact; here it is rounded, and
    // the fast path must carry its rounding error (TwoSum) into exp, or miss the result by up to a quarter ulp.
    const rnd = lcg(2024);
    const full = () => (rnd() - 0.5 + (rnd() - 0.5) * 2 ** -31) * 4;
    for (let t = 0; t < 150; t++) {
      const xs = Array.from({ length: 2 + (t % 4) }, full);
      expect(Object.is(logsumexpSlice(Float64Array.from(xs), 'float64'), reference(xs, 'float64')), `[${xs}]`).toBe(true);
    }
  });

  it('correctly rounded where x - m is rounded and the result lies near a float64 midpoint (vs decimal.js at 200 digits)', () => {
    // Found by a search over full 53-bit pairs: results close enough to a rounding midpoint that x - m's rounding
    // error (TwoSum's dl, about 2^-60 here) must be exact for the right bits; a TwoSum whose error term is computed
    // from dh + v instead of dh - v is off by a few ulps of dl on such pairs and rounds each the wrong way.
    const pairs = [
      [-0.3371091700535883, -5.102598453790624], [0.30105253559890977, -2.3840776862890527], [-0.413883431238249, -2.198126977907567],
      [-0.32370853942013406, -5.579441289962582], [0.4272211448373768, -1.5638981725052088], [-0.3581033352076318, -2.5687106718316204],
    ];
    for (const xs of pairs) expect(Object.is(logsumexpSlice(Float64Array.from(xs), 'float64'), reference(xs, 'float64')), `[${xs}]`).toBe(true);
  });

  it('results near zero (where a relative bound means nothing) go to decimal.js and are still right', () => {
    const before = logsumexpCounters().fallbackSlices;
    // m + log(1 + e^(x - m)) with the second term far below half an ulp of m: the answer is m itself
    for (const xs of [[-1e-305, -3000], [2 ** -1030, -800]]) expect(logsumexpSlice(Float64Array.from(xs), 'float64')).toBe(xs[0]);
    expect(logsumexpCounters().fallbackSlices).toBeGreaterThan(before);
  });

  it('is fast-path almost always on ordinary slices', () => {
    const before = logsumexpCounters();
    const rnd = lcg(99);
    for (let t = 0; t < 2000; t++) logsumexpSlice(Float64Array.from({ length: 8 }, () => (rnd() - 0.5) * 20), 'float64');
    const after = logsumexpCounters();
    expect(after.fallbackSlices - before.fallbackSlices).toBeLessThan(10);
  });

  it('special values: NaN, +inf, all -inf, empty, -inf dropping out, one finite value', () => {
    const f = (xs: number[]) => logsumexpSlice(Float64Array.from(xs), 'float64');
    expect(f([1, NaN, Infinity])).toBeNaN();
    expect(f([1, Infinity, -Infinity])).toBe(Infinity);
    expect(f([-Infinity, -Infinity])).toBe(-Infinity);
    expect(f([])).toBe(-Infinity);
    expect(f([-Infinity, 3])).toBe(3);
    expect(f([0, -1000])).toBe(0); // log(1 + e^-1000) rounds to 0
    expect(f([1000, 1000])).toBe(reference([1000, 1000], 'float64')); // no overflow: 1000 + ln 2
    expect(f([-1000, -1000])).toBe(reference([-1000, -1000], 'float64')); // no underflow: -1000 + ln 2
  });

  it('reduces the axes away (keepdims=False), in the output dtype', () => {
    const x = fromNumbers('float32', [2, 3], [1, 2, 3, 0, 0, 0]);
    const rows = logsumexpOracle(x, [1]);
    expect(rows.dtype).toBe('float32');
    expect(rows.shape).toEqual([2]);
    expect(Array.from(toNumbers(rows))).toEqual([Math.fround(reference([1, 2, 3], 'float64')), Math.fround(Math.log(3))]);
    expect(logsumexpOracle(x, [0, 1]).shape).toEqual([]);
    expect(logsumexpOracle(x, []).shape).toEqual([2, 3]);
    expect(logsumexpOracle(fromNumbers('int32', [2], [0, 0]), [0]).dtype).toBe('float64');
  });
});
