// Values in diagnoses: two values that differ must never print alike (issue 13, item 3).
import { describe, expect, it } from 'vitest';
import { fromNumbers } from '../tensor/tensor.js';
import { roundToHalf } from '../tensor/float16.js';
import { fmtApart, fmtElement, fmtExact, fmtInput, fmtNumber, fmtPair, fmtShort, fmtTensor, ulpsBetween, valueDType } from './format.js';

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

// The edges of each rendering (for the mutation score, docs/mutation.md): NumPy's switch to scientific notation at
// 1e-4 and 1e16, its two-digit exponents, the truncation of long tensors, the dtype integers are compared in.
describe('the edges of the number formats', () => {
  it('fmtNumber: the specials as NumPy prints them; integers with ".0" unless written with an exponent', () => {
    expect([Infinity, -Infinity, NaN, -0, 3, 2.5, -7, 1e21].map(fmtNumber)).toEqual(['inf', '-inf', 'nan', '-0.0', '3.0', '2.5', '-7.0', '1e+21']);
  });

  it('fmtShort: 8 digits, scientific below 1e-4 and from 1e16 on, exponents of at least two digits', () => {
    expect([1e-4, 9.99e-5, 1e-5, 1.5e-7, 1.2345e-300, 1e16, 9.9e15, 1e20, -0.123456789, 0, Infinity].map(fmtShort)).toEqual([
      '0.0001', '9.99e-05', '1e-05', '1.5e-07', '1.2345e-300', '1e+16', '9900000000000000', '1e+20', '-0.12345679', '0.0', 'inf',
    ]);
  });

  it('fmtExact: the same switch at 1e-4 and 1e16', () => {
    expect([1e-4, 9.99e-5, 1e16, 9.9e15, 1e-300].map((x) => fmtExact(x))).toEqual(['0.0001', '9.99e-05', '1e+16', '9900000000000000.0', '1e-300']);
    expect(fmtExact(Math.fround(1e-5), 'float32')).toBe('1e-05');
    expect(fmtExact(2.5, 'int32')).toBe('2.5');
  });

  it('distances of integer dtypes are counted in float64', () => {
    expect(ulpsBetween(1, 3, 'int32')).toBe(ulpsBetween(1, 3, 'float64'));
    expect(ulpsBetween(1, 1 + 2 ** -52, 'int64')).toBe(1);
    expect(fmtApart(1, 1 + 2 ** -51, 'int32')).toBe('2 ULP apart');
    expect(valueDType(fromNumbers('int32', [1], [1]))).toBe('float64');
    expect(valueDType(fromNumbers('float32', [1], [1]))).toBe('float32');
    expect(valueDType(fromNumbers('float16', [1], [1]))).toBe('float16');
  });

  it('fmtTensor shows the first `max` values and the count of the rest; exactly `max` values in full', () => {
    const ten = fromNumbers('float64', [10], Array.from({ length: 10 }, (_, i) => i + 1));
    expect(fmtTensor(ten)).toBe('[1, 2, 3, 4, 5, 6, 7, 8, … (10 values)]');
    expect(fmtTensor(ten, 3)).toBe('[1, 2, 3, … (10 values)]');
    expect(fmtTensor(fromNumbers('float64', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8]))).toBe('2x4 [1, 2, 3, 4, 5, 6, 7, 8]');
    expect(fmtInput(fromNumbers('float32', [], [0.5]))).toBe('0.5 (0-d, float32)');
    expect(fmtInput(fromNumbers('int32', [2], [1, 2]))).toBe('[1, 2] (int32)');
  });
});
