import { describe, expect, test } from 'vitest';
import { FLOAT_LIMITS, INT_LIMITS, isExactIn, roundTo, stepUlps } from './limits.js';

describe('dtype limits', () => {
  test('exp thresholds match NumPy finfo arithmetic', () => {
    const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(0.01);
    near(FLOAT_LIMITS.float64.expOverflow, 709.78);
    near(FLOAT_LIMITS.float32.expOverflow, 88.72);
    near(FLOAT_LIMITS.float16.expOverflow, 11.09);
    near(FLOAT_LIMITS.float64.expZero, -745.13);
    near(FLOAT_LIMITS.float32.expZero, -103.97);
    near(FLOAT_LIMITS.float16.expZero, -17.33);
    near(FLOAT_LIMITS.float64.expSubnormal, -708.40);
    near(FLOAT_LIMITS.float32.expSubnormal, -87.34);
    near(FLOAT_LIMITS.float16.expSubnormal, -9.70);
  });

  test('roundTo rounds and clamps; isExactIn agrees', () => {
    expect(roundTo('float32', 0.1)).toBe(Math.fround(0.1));
    expect(roundTo('float16', 0.1)).toBe(0.0999755859375);
    expect(roundTo('int32', 3e10)).toBe(INT_LIMITS.int32.max);
    expect(roundTo('int64', 2 ** 63)).toBe(INT_LIMITS.int64.max);
    expect(Object.is(roundTo('int32', -0.2), 0)).toBe(true);
    expect(isExactIn('float32', 0.1)).toBe(false);
    expect(isExactIn('float32', NaN)).toBe(true);
    expect(isExactIn('int32', NaN)).toBe(false);
    expect(isExactIn('int64', INT_LIMITS.int64.min)).toBe(true);
  });

  test('stepUlps walks adjacent values, across zero, clamped at max', () => {
    expect(stepUlps('float64', 1, 1)).toBe(1 + Number.EPSILON);
    expect(stepUlps('float64', 1, -1)).toBe(1 - Number.EPSILON / 2);
    expect(stepUlps('float32', 1, 1)).toBe(1 + 2 ** -23);
    expect(stepUlps('float16', 1, 1)).toBe(1 + 2 ** -10);
    expect(stepUlps('float16', 0, -1)).toBe(-(2 ** -24));
    expect(stepUlps('float64', -(2 ** -1074), 2)).toBe(2 ** -1074);
    expect(stepUlps('float32', FLOAT_LIMITS.float32.max, 3)).toBe(FLOAT_LIMITS.float32.max);
    expect(stepUlps('float16', -65504, -1)).toBe(-65504);
  });
});
