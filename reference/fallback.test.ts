// The decimal.js path (ExactSlice) on the slices where it takes a shortcut before any decimal arithmetic: -inf
// elements, log-softmax with negligible others and one or several maxima, a lone finite value; and roundDecimal's
// ties. Each must give the bits of the fast path (softmax.ts), to the sign of zero. Written for the mutation score
// (docs/mutation.md): oracleSliceDecimal's random slices never reach these branches.
import { describe, expect, it, vi } from 'vitest';
import { Decimal } from './decimal.js';
import { ExactSlice, roundDecimal } from './fallback.js';
import { FORMATS } from './format.js';
import { oracleCounters, oracleSlice, resetOracleCounters, type SoftmaxOp } from './softmax.js';

const exact = (xs: number[], op: SoftmaxOp) => {
  const s = new ExactSlice(Float64Array.from(xs), xs.length, op, FORMATS.float64);
  return xs.map((_, i) => s.element(i));
};
const fast = (xs: number[], op: SoftmaxOp) => Array.from(oracleSlice(Float64Array.from(xs), { op, policy: 'ieee', outDtype: 'float64' }));

describe('ExactSlice: the shortcuts give the fast path\'s bits', () => {
  it('-inf elements: exactly 0 (log: -inf), and they do not count as others', () => {
    for (const op of ['softmax', 'log-softmax'] as const) {
      for (const xs of [[0, -Infinity], [1, -Infinity, 3], [-Infinity, 2, 2]]) {
        expect(exact(xs, op), `${op} [${xs}]`).toEqual(fast(xs, op));
      }
    }
    // a lone finite value among -inf: log-softmax +0 (not -0), softmax 1
    expect(Object.is(exact([0, -Infinity], 'log-softmax')[0], 0)).toBe(true);
    expect(exact([0, -Infinity], 'log-softmax')[1]).toBe(-Infinity);
    expect(exact([5, -Infinity], 'softmax')).toEqual([1, 0]);
  });

  it('log-softmax with others below e^-2048: -0 for a single max, -log k for k maxima', () => {
    for (const xs of [[0, -3000], [0, 0, -3000], [7, 7, 7, 7000 - 10000]]) {
      expect(exact(xs, 'log-softmax'), `[${xs}]`).toEqual(fast(xs, 'log-softmax'));
    }
    expect(Object.is(exact([0, -3000], 'log-softmax')[0], -0)).toBe(true);
    expect(exact([0, 0, -3000], 'log-softmax')[0]).toBe(-Math.LN2);
  });
});

describe('roundDecimal', () => {
  it('rounds a tie to even unless asked to round it away from zero', () => {
    const D = Decimal.clone({ precision: 100 });
    const tie = new D(1).plus(new D(2).pow(-53)); // halfway between 1 and 1 + 2^-52, exactly
    expect(roundDecimal(tie, FORMATS.float64)).toBe(1);
    expect(roundDecimal(tie, FORMATS.float64, true)).toBe(1 + 2 ** -52);
    expect(roundDecimal(tie.neg(), FORMATS.float64)).toBe(-1);
  });

  it('keeps the sign of values that round to zero, so the ends of an interval around 0 never agree', () => {
    // ExactSlice.decide has no test of its own for an interval that straddles 0: its ends' roundings differ in sign
    const D = Decimal.clone({ precision: 100 });
    const tiny = new D(2).pow(-1100);
    for (const fmt of [FORMATS.float64, FORMATS.float16]) {
      const lo = roundDecimal(tiny.neg(), fmt);
      const hi = roundDecimal(tiny, fmt);
      expect([Object.is(lo, -0), Object.is(hi, 0), Object.is(lo, hi)]).toEqual([true, true, false]);
      expect(Object.is(roundDecimal(new D(-1e-300), fmt), roundDecimal(new D(0.5), fmt))).toBe(false);
    }
  });
});

describe('ExactSlice: its contract and its cost', () => {
  it('reads only the first n values of the array it is given', () => {
    for (const op of ['softmax', 'log-softmax'] as const) {
      const s = new ExactSlice(Float64Array.of(0, 1, 5), 2, op, FORMATS.float64);
      expect([s.element(0), s.element(1)], op).toEqual(fast([0, 1], op));
    }
  });

  it('makes one decimal.js constructor per precision, not one per element decided', () => {
    // a hard element (oracle-fallback.test.ts): 1 / (1 + e^z) within 2^-100 of a rounding midpoint
    const hard = () => oracleSlice(Float64Array.of(0, -37.42994775023705), { op: 'softmax', policy: 'ieee', outDtype: 'float64' });
    hard(); // the precisions it needs now exist
    const clone = vi.spyOn(Decimal, 'clone');
    try {
      resetOracleCounters();
      expect(hard()[0]).toBe(1);
      expect(oracleCounters().fallbackElements).toBe(1);
      expect(clone).not.toHaveBeenCalled();
    } finally {
      clone.mockRestore();
    }
  });
});
