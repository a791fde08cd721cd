import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isFloatDType } from '../tensor/dtype.js';
import { sizeOf, toNumbers, type Tensor } from '../tensor/tensor.js';
import { caseArb } from './cases.js';
import { FAMILIES } from './families.js';
import { isExactIn } from './limits.js';

const hasNaN = (t: Tensor) => toNumbers(t).some(Number.isNaN);

describe('caseArb', () => {
  test.each([1, 2, 3, 4, 5])('a 300-run audit meets every family (seed %i)', (seed) => {
    const seen = new Set(fc.sample(caseArb(), { seed, numRuns: 300 }).map((c) => c.family));
    expect([...FAMILIES].filter((f) => !seen.has(f))).toEqual([]);
  });

  test('tensors are well formed and every stored value is exact in the dtype', () => {
    for (const c of fc.sample(caseArb(), { seed: 99, numRuns: 400 })) {
      const t = c.tensor;
      expect(t.data.length).toBe(sizeOf(t.shape));
      expect(sizeOf(t.shape)).toBeLessThanOrEqual(4096);
      for (const x of toNumbers(t)) if (!isExactIn(t.dtype, x)) throw new Error(`${c.family}: ${x} not exact in ${t.dtype}`);
    }
  });

  test('options restrict dtypes, families, ranks and sizes', () => {
    const ints = fc.sample(caseArb({ dtypes: ['int32', 'int64'] }), { seed: 5, numRuns: 200 });
    expect(ints.every((c) => !isFloatDType(c.tensor.dtype))).toBe(true);
    expect(ints.some((c) => c.family === 'nan')).toBe(false);
    const some = fc.sample(caseArb({ families: ['nan', 'offset'], dtypes: ['float32'], minRank: 2, maxRank: 2, maxSize: 16 }), { seed: 6, numRuns: 200 });
    for (const c of some) {
      expect(['nan', 'offset']).toContain(c.family);
      expect(c.tensor.dtype).toBe('float32');
      expect(c.tensor.shape.length).toBe(2);
      expect(sizeOf(c.tensor.shape)).toBeLessThanOrEqual(16);
    }
    expect(() => caseArb({ families: ['nope'] })).toThrow(/unknown value family/);
    expect(() => caseArb({ families: ['nan'], dtypes: ['int32'] })).toThrow(/no value family/);
  });

  test('the same seed replays the same cases', () => {
    const a = fc.sample(caseArb(), { seed: 1234, numRuns: 50 });
    const b = fc.sample(caseArb(), { seed: 1234, numRuns: 50 });
    expect(b).toEqual(a);
  });

  test('shrinking a property that fails on any NaN converges to a tiny tensor', () => {
    for (const seed of [1, 2, 3]) {
      // start from big tensors only, so the shrink has a long way to go
      const run = fc.check(
        fc.property(caseArb({ families: ['nan'], minRank: 3 }), (c) => !hasNaN(c.tensor)),
        { seed },
      );
      expect(run.failed).toBe(true);
      const c = run.counterexample![0];
      expect(hasNaN(c.tensor)).toBe(true);
      expect(sizeOf(c.tensor.shape)).toBeLessThanOrEqual(4);
      expect(c.tensor.shape).toEqual([1, 1, 1]);
      expect(c.tensor.dtype).toBe('float64');
    }
    // the same through the full mix of families
    const run = fc.check(fc.property(caseArb(), (c) => !hasNaN(c.tensor)), { seed: 8 });
    expect(run.failed).toBe(true);
    expect(sizeOf(run.counterexample![0].tensor.shape)).toBeLessThanOrEqual(4);
  });

  test('shrinking keeps the values that matter: a slice sum overflow shrinks to a handful of elements', () => {
    // a naive exp overflows: the property "exp of every value is finite" fails on overflow-ish cases
    const run = fc.check(
      fc.property(caseArb({ dtypes: ['float64'] }), (c) => toNumbers(c.tensor).every((x) => Number.isNaN(x) || Number.isFinite(Math.exp(x)))),
      { seed: 21 },
    );
    expect(run.failed).toBe(true);
    const t = run.counterexample![0].tensor;
    expect(sizeOf(t.shape)).toBeLessThanOrEqual(4);
  });
});
