import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fitShape, shapeArb } from './shapes.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('shapeArb', () => {
  test('default shapes: rank 0..6, at most 4096 elements, with 0-d, singleton and empty axes in a sample', () => {
    const shapes = fc.sample(shapeArb(), { seed: 42, numRuns: 500 });
    for (const s of shapes) {
      expect(s.length).toBeLessThanOrEqual(6);
      expect(size(s)).toBeLessThanOrEqual(4096);
      for (const n of s) expect(Number.isInteger(n) && n >= 0).toBe(true);
    }
    expect(shapes.some((s) => s.length === 0)).toBe(true);
    expect(shapes.some((s) => s.length === 6)).toBe(true);
    expect(shapes.some((s) => s.includes(1))).toBe(true);
    expect(shapes.some((s) => s.includes(0))).toBe(true);
    // typical shapes are small: the median case has at most 64 elements
    const sizes = shapes.map(size).sort((a, b) => a - b);
    expect(sizes[250]).toBeLessThanOrEqual(64);
  });

  test('respects minRank, maxRank, maxSize and allowEmpty', () => {
    for (const s of fc.sample(shapeArb({ minRank: 2, maxRank: 3, maxSize: 10, allowEmpty: false }), { seed: 7, numRuns: 300 })) {
      expect(s.length).toBeGreaterThanOrEqual(2);
      expect(s.length).toBeLessThanOrEqual(3);
      expect(size(s)).toBeLessThanOrEqual(10);
      expect(s).not.toContain(0);
    }
    expect(() => shapeArb({ minRank: 3, maxRank: 2 })).toThrow(RangeError);
  });

  test('fitShape halves the longest axis and never creates an empty axis', () => {
    expect(fitShape([64, 64, 64], 4096)).toEqual([16, 16, 16]);
    expect(fitShape([3, 0, 100000], 10)).toEqual([3, 0, 100000]);
    expect(fitShape([5, 7], 1)).toEqual([1, 1]);
  });

  test('shrinks toward fewer and shorter axes', () => {
    const always = fc.check(fc.property(shapeArb(), () => false), { seed: 1 });
    expect(always.counterexample?.[0]).toEqual([]);
    const rank3 = fc.check(fc.property(shapeArb(), (s) => s.length < 3), { seed: 2 });
    expect(rank3.counterexample?.[0]).toEqual([1, 1, 1]);
    const big = fc.check(fc.property(shapeArb(), (s) => size(s) < 30), { seed: 3 });
    expect(big.failed).toBe(true);
    const found = big.counterexample![0];
    expect(size(found)).toBeGreaterThanOrEqual(30);
    // a local minimum: no axis can be dropped or shortened without going under 30 (e.g. [2, 4, 4])
    expect(size(found)).toBeLessThanOrEqual(64);
    expect(found.every((n) => n >= 1 && n <= 16)).toBe(true);
  });
});
