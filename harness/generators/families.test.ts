import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type DType, isFloatDType, resultDType, type FloatDType } from '../tensor/dtype.js';
import { slicesOver, sizeOf } from '../tensor/tensor.js';
import { dtypeArb } from './dtypes.js';
import { FAMILIES, FAMILY_SPECS, familyValues, valueParamsArb } from './families.js';
import { FLOAT_LIMITS, isExactIn, stepUlps } from './limits.js';
import { shapeArb } from './shapes.js';

/** (shape, dtype, values) samples of one family over every dtype it allows. */
function samples(name: string, numRuns = 150, seed = 11) {
  const spec = FAMILY_SPECS.find((f) => f.name === name)!;
  const arb = fc.tuple(shapeArb({ allowEmpty: !spec.needsElements, maxSize: 512 }), dtypeArb(spec.dtypes), valueParamsArb);
  return fc.sample(arb, { seed, numRuns }).map(([shape, dtype, p]) => ({ shape, dtype, v: familyValues(name, shape, dtype, p) }));
}

/** Values of each last-axis slice (rank 0: the element alone). */
function lastSlices(shape: number[], v: number[]): number[][] {
  const idx = shape.length === 0 ? [[0]] : slicesOver(shape, [shape.length - 1]);
  return idx.map((s) => s.map((i) => v[i]));
}

describe('value families', () => {
  test('FAMILIES lists every spec once, each with a dtype and a positive weight', () => {
    expect(new Set(FAMILIES).size).toBe(FAMILY_SPECS.length);
    expect(FAMILIES.length).toBe(15);
    for (const f of FAMILY_SPECS) {
      expect(f.weight).toBeGreaterThan(0);
      expect(f.dtypes.length).toBeGreaterThan(0);
    }
  });

  test.each(FAMILIES)('%s: every value is exactly representable in its dtype, one per element', (name) => {
    for (const { shape, dtype, v } of samples(name)) {
      expect(v.length).toBe(sizeOf(shape));
      for (const x of v) if (!isExactIn(dtype, x)) throw new Error(`${name}: ${x} is not exact in ${dtype}`);
      if (!isFloatDType(dtype)) expect(v.every(Number.isFinite)).toBe(true);
    }
  });

  test('integer dtypes only get the families that make sense for them', () => {
    const intFamilies = FAMILY_SPECS.filter((f) => f.dtypes.includes('int32')).map((f) => f.name);
    expect(intFamilies).not.toContain('nan');
    expect(intFamilies).not.toContain('infinity');
    expect(intFamilies).not.toContain('all-neg-inf');
    expect(intFamilies).not.toContain('signed-zero');
    expect(intFamilies).toContain('integers');
    expect(intFamilies).toContain('overflow');
  });

  test('special families carry their special value in every non-empty case', () => {
    for (const { v } of samples('nan')) expect(v.some(Number.isNaN)).toBe(true);
    for (const { v } of samples('infinity')) expect(v.some((x) => !Number.isFinite(x) && !Number.isNaN(x))).toBe(true);
    for (const { v } of samples('signed-zero')) expect(v.some((x) => Object.is(x, -0))).toBe(true);
    for (const { shape, v } of samples('all-neg-inf')) {
      expect(lastSlices(shape, v).some((s) => s.length > 0 && s.every((x) => x === -Infinity))).toBe(true);
    }
    for (const { dtype, v } of samples('huge')) {
      const max = isFloatDType(dtype) ? FLOAT_LIMITS[dtype].max : undefined;
      if (max !== undefined) expect(v.some((x) => Math.abs(x) === max)).toBe(true);
    }
  });

  test('threshold families sit around the thresholds of the computing dtype', () => {
    for (const { dtype, v } of samples('overflow')) {
      const t = FLOAT_LIMITS[resultDType(dtype)].expOverflow;
      expect(v.some((x) => Math.abs(x - t) <= 3)).toBe(true);
    }
    for (const { dtype, v } of samples('underflow')) {
      const { expZero, expSubnormal } = FLOAT_LIMITS[resultDType(dtype)];
      expect(v.some((x) => Math.abs(x - expZero) <= 3 || Math.abs(x - expSubnormal) <= 3)).toBe(true);
    }
  });

  test('subnormal-result: below each slice max, differences land where exp(-d) is subnormal', () => {
    for (const { shape, dtype, v } of samples('subnormal-result')) {
      const lim = FLOAT_LIMITS[resultDType(dtype)];
      for (const s of lastSlices(shape, v)) {
        const m = Math.max(...s);
        for (const x of s) {
          if (x === m) continue;
          const d = m - x;
          // a little slack for rounding x to the input dtype
          expect(d).toBeGreaterThan(-lim.expSubnormal - 1.5);
          expect(d).toBeLessThan(-Math.log(lim.minSubnormal) + 1.5);
        }
      }
    }
  });

  test('near-equal: all values within 8 ULPs of each other', () => {
    for (const { dtype, v } of samples('near-equal')) {
      const lo = Math.min(...v);
      const hi = Math.max(...v);
      expect(hi <= stepUlps(dtype as FloatDType, lo, 8)).toBe(true);
    }
  });

  test('spread-between: neighbouring last-axis slices are about 2000 apart in the default variant', () => {
    const p = { vals: [123456, -654321, 5], marks: [0], pick: 0 };
    const v = familyValues('spread-between', [3, 4], 'float64', p);
    const rows = lastSlices([3, 4], v);
    expect(Math.min(...rows[0])).toBeGreaterThan(990);
    expect(Math.max(...rows[1])).toBeLessThan(-990);
  });

  test('dominant: one logit per last-axis slice stands at least 15 above the rest', () => {
    for (const { shape, v } of samples('dominant')) {
      for (const s of lastSlices(shape, v)) {
        const sorted = [...s].sort((a, b) => b - a);
        if (sorted.length > 1) expect(sorted[0] - sorted[1]).toBeGreaterThanOrEqual(15);
      }
    }
  });

  test('unknown family is an error', () => {
    expect(() => familyValues('nope', [2], 'float64' as DType, { vals: [0], marks: [0], pick: 0 })).toThrow(/unknown value family/);
  });
});
