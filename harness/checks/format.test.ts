// Values in diagnoses: two values that differ must never print alike (issue 13, item 3).
import { describe, expect, it } from 'vitest';
import { fromNumbers } from '../tensor/tensor.js';
import { roundToHalf } from '../tensor/float16.js';
import { fmtElement, fmtExact, fmtInput, fmtPair, fmtTensor } from './format.js';

describe('fmtExact: the shortest decimal that rounds back in the dtype (NumPy repr)', () => {
  it('float64: up to 17 significant digits, so neighbours print differently', () => {
    const a = 0.46323398;
    const b = a + 64 * 2 ** -54; // 64 ULP away, alike to 8 digits
    expect(fmtExact(a)).not.toBe(fmtExact(b));
    for (const x of [a, b, 1 + 2 ** -52, 0.1, 1 / 3, 2 ** -1074, 1e300, 123456.789]) expect(Number(fmtExact(x))).toBe(x);
    expect(fmtExact(1 + 2 ** -52)).toBe('1.0000000000000002');
    expect(fmtExact(1)).toBe('1.0');
  });

  it('float32: up to 9 digits and no more than needed', () => {
    const f = Math.fround(0.1);
    expect(fmtExact(f, 'float32')).toBe('0.1'); // not 0.10000000149011612
    const g = Math.fround(1 + 2 ** -23);
    expect(fmtExact(g, 'float32')).toBe('1.0000001');
    for (const x of [Math.fround(1 / 3), Math.fround(0.46323398), Math.fround(3.4e38), Math.fround(1e-40)]) {
      const s = fmtExact(x, 'float32');
      expect(Math.fround(Number(s))).toBe(x);
      expect(s.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
  });

  it('float16: up to 5 digits', () => {
    const h = roundToHalf(1 / 3);
    expect(fmtExact(h, 'float16')).toBe('0.3333');
    expect(roundToHalf(Number(fmtExact(roundToHalf(1 + 2 ** -10), 'float16')))).toBe(1 + 2 ** -10);
  });

  it('scientific notation below 1e-4 as NumPy prints it; specials', () => {
    expect(fmtExact(3.1650143e-6)).toBe('3.1650143e-06');
    expect(fmtExact(NaN)).toBe('nan');
    expect(fmtExact(-Infinity)).toBe('-inf');
    expect(fmtExact(2147483647, 'int32')).toBe('2147483647');
  });
});

describe('pairs, elements and inputs', () => {
  it('a pair carries its distance in ULP', () => {
    expect(fmtPair(1, 1 + 2 ** -52, 'float64', ' then ')).toBe('1.0 then 1.0000000000000002 (1 ULP apart)');
    expect(fmtPair(0.5, NaN, 'float64', ' then ')).toBe('0.5 then nan (an unbounded distance apart)');
  });

  it('a 0-d element and a 0-d input read as such, not as output[] or [2.5]', () => {
    expect(fmtElement('output', [], 0)).toBe('the 0-d output');
    expect(fmtElement('output', [2, 2], 3)).toBe('output[1, 1]');
    expect(fmtInput(fromNumbers('float64', [], [2.5]))).toBe('2.5 (0-d, float64)');
  });

  it('integer inputs print exactly (the int32 extremes are often the point)', () => {
    expect(fmtTensor(fromNumbers('int32', [2], [2147483647, -2147483648]))).toBe('[2147483647, -2147483648]');
  });
});
