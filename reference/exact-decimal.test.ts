// Doubles as exact decimal strings and Decimals as exact rationals: the sign of zero survives both ways (decimal.js
// keeps -0, and roundDecimal gives -0 for a value that rounds to zero from below).
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.js';
import { decimalToRational, exactDecimalString } from './exact-decimal.js';

describe('exact-decimal', () => {
  it('spells the zeros with their sign, and other doubles exactly', () => {
    expect([exactDecimalString(0), exactDecimalString(-0)]).toEqual(['0', '-0']);
    const D = Decimal.clone({ precision: 100 });
    expect(new D(exactDecimalString(0.1)).eq(new D('0.1000000000000000055511151231257827021181583404541015625'))).toBe(true);
    expect(exactDecimalString(-(2 ** 60))).toBe('-1152921504606846976');
    expect(exactDecimalString(2 ** 52 + 1)).toBe('4503599627370497'); // the first binade of integers: no fraction part
  });

  it('gives zero as 0/1 with its sign', () => {
    expect(decimalToRational(new Decimal(0))).toEqual({ neg: false, num: 0n, den: 1n });
    expect(decimalToRational(new Decimal('-0'))).toEqual({ neg: true, num: 0n, den: 1n });
    expect(decimalToRational(new Decimal('-1.25e-3'))).toEqual({ neg: true, num: 125n, den: 100000n });
  });
});
