// Long slices and large batches: boundary lengths dominate, every shape stays within the element budget, and
// shrinking keeps the boundary a failure needs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseArb } from './cases.js';
import { BOUNDARY_LENGTHS, longSliceShapeArb, manyRowsShapeArb, MAX_BATCH_ROWS, sliceLengthArb } from './lengths.js';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

describe('slice lengths', () => {
  it('the boundaries are 2^k - 1, 2^k, 2^k + 1 from 31 to 65,537', () => {
    expect(BOUNDARY_LENGTHS.slice(0, 3)).toEqual([31, 32, 33]);
    expect(BOUNDARY_LENGTHS).toContain(1025);
    expect(BOUNDARY_LENGTHS).toContain(4095);
    expect(BOUNDARY_LENGTHS.slice(-3)).toEqual([65535, 65536, 65537]);
  });

  it('mostly boundaries; the rest are multiples of 32 or 128 plus a remainder; all of 1023/1024/1025 and 65537 occur', () => {
    const lengths = fc.sample(sliceLengthArb(2 ** 20)!, { seed: 1, numRuns: 4000 });
    const boundary = lengths.filter((n) => BOUNDARY_LENGTHS.includes(n));
    expect(boundary.length / lengths.length).toBeGreaterThan(0.55);
    for (const n of lengths.filter((m) => !BOUNDARY_LENGTHS.includes(m))) expect(n % 128, `length ${n}`).not.toBe(0);
    for (const n of [1023, 1024, 1025, 4097, 65537]) expect(lengths, `length ${n}`).toContain(n);
    expect(lengths.some((n) => n > 1024 && n % 128 !== 0 && !BOUNDARY_LENGTHS.includes(n))).toBe(true);
  });

  it('respect a small budget', () => {
    expect(sliceLengthArb(30)).toBeUndefined();
    for (const n of fc.sample(sliceLengthArb(1000)!, { seed: 2, numRuns: 500 })) expect(n).toBeLessThanOrEqual(1000);
  });
});

describe('shapes within the element budget', () => {
  it('long slices never exceed --max-elements and keep the slice length', () => {
    fc.assert(fc.property(fc.integer({ min: 31, max: 2 ** 20 }), fc.integer(), (budget, seed) => {
      const [shape] = fc.sample(longSliceShapeArb(budget)!, { seed, numRuns: 1 });
      expect(size(shape)).toBeLessThanOrEqual(budget);
      expect(shape.slice(0, -1).every((n) => n >= 2)).toBe(true); // no singleton leading axis
    }), { numRuns: 200 });
  });

  it('batches reach 10,000 rows and stay within the budget', () => {
    const shapes = fc.sample(manyRowsShapeArb(2 ** 20), { seed: 3, numRuns: 2000 });
    expect(Math.max(...shapes.map((s) => s[0]))).toBe(MAX_BATCH_ROWS);
    expect(shapes.some((s) => s[0] > 1000 && s[0] < MAX_BATCH_ROWS)).toBe(true);
    for (const s of fc.sample(manyRowsShapeArb(5000), { seed: 4, numRuns: 500 })) expect(size(s)).toBeLessThanOrEqual(5000);
  });

  it('caseArb with maxElements draws long slices and batches, each within the budget', () => {
    const cases = fc.sample(caseArb({ maxRank: 6, maxSize: 512, maxElements: 50_000 }), { seed: 5, numRuns: 600 });
    const last = (s: readonly number[]) => (s.length ? s[s.length - 1] : 1);
    expect(cases.some((g) => last(g.tensor.shape) > 1024)).toBe(true);
    expect(cases.some((g) => g.tensor.shape.length === 2 && g.tensor.shape[0] > 1000)).toBe(true);
    for (const g of cases) expect(size(g.tensor.shape)).toBeLessThanOrEqual(50_000);
  });

  it('caseArb without maxElements draws only small shapes (as before)', () => {
    for (const g of fc.sample(caseArb({ maxSize: 512 }), { seed: 6, numRuns: 300 })) expect(size(g.tensor.shape)).toBeLessThanOrEqual(512);
  });
});

describe('shrinking keeps the boundary', () => {
  const shrunkLength = (fails: (len: number) => boolean): number => {
    const arb = caseArb({ families: ['ordinary'], maxRank: 3, maxSize: 512, maxElements: 2 ** 20 });
    const last = (s: readonly number[]) => (s.length ? s[s.length - 1] : 1);
    const out = fc.check(fc.property(arb, (g) => !fails(last(g.tensor.shape))), { seed: 11, numRuns: 2000 });
    expect(out.failed).toBe(true);
    return last(out.counterexample![0].tensor.shape);
  };

  it('a failure only on rows longer than 1,024 that are not a multiple of 1,024 shrinks to 1,025', () => {
    expect(shrunkLength((n) => n > 1024 && n % 1024 !== 0)).toBe(1025);
  });

  it('a failure only at 4,097 stays at 4,097', () => {
    expect(shrunkLength((n) => n === 4097)).toBe(4097);
  });

  it('a failure on any row longer than 32 shrinks to the first such length of its kind: 33, or 129 = 128 + 1', () => {
    expect([33, 129]).toContain(shrunkLength((n) => n > 32));
  });
});
