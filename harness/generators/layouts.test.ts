// Layouts of generated cases: every kind is drawn, each fits its shape, a broadcast case's values really repeat
// along its axis, and shrinking never changes the kind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutFits, LAYOUT_KINDS } from '../tensor/layout.js';
import { toNumbers } from '../tensor/tensor.js';
import { caseArb } from './cases.js';
import { constantAlong, resolveLayout } from './layouts.js';

describe('resolveLayout', () => {
  it('only yields layouts that fit the shape (C order where none does)', () => {
    fc.assert(fc.property(fc.array(fc.nat({ max: 4 }), { maxLength: 6 }), fc.constantFrom(...LAYOUT_KINDS), fc.nat(9), fc.nat(9), (shape, kind, a, b) => {
      const l = resolveLayout({ kind, a, b }, shape);
      if (l) expect(layoutFits(l, shape), JSON.stringify({ l, shape })).toBe(true);
    }));
    expect(resolveLayout({ kind: 'fortran', a: 0, b: 0 }, [5])).toBeUndefined();
    expect(resolveLayout({ kind: 'swapaxes', a: 1, b: 0 }, [2, 3, 4])).toEqual({ kind: 'swapaxes', axes: [1, 2] });
  });
});

describe('constantAlong', () => {
  it('repeats index 0 of the axis', () => {
    expect(constantAlong([1, 2, 3, 4, 5, 6], [2, 3], 0)).toEqual([1, 2, 3, 1, 2, 3]);
    expect(constantAlong([1, 2, 3, 4, 5, 6], [2, 3], 1)).toEqual([1, 1, 1, 4, 4, 4]);
  });
});

describe('caseArb with layouts', () => {
  const cases = fc.sample(caseArb({ maxRank: 4, maxSize: 256, layouts: LAYOUT_KINDS }), { seed: 9, numRuns: 800 });

  it('draws every layout kind, each fitting its case, and C order (no layout) for about half', () => {
    const kinds = new Set(cases.map((g) => g.layout?.kind ?? 'c'));
    expect([...kinds].sort()).toEqual([...LAYOUT_KINDS].sort());
    for (const g of cases) if (g.layout) expect(layoutFits(g.layout, g.tensor.shape)).toBe(true);
    const plain = cases.filter((g) => !g.layout).length / cases.length;
    expect(plain).toBeGreaterThan(0.3);
    expect(plain).toBeLessThan(0.8);
  });

  it("a broadcast case's values are constant along its axis", () => {
    const bc = cases.filter((g) => g.layout?.kind === 'broadcast');
    expect(bc.length).toBeGreaterThan(5);
    for (const g of bc) {
      const v = [...toNumbers(g.tensor)];
      const axis = (g.layout as { axis: number }).axis;
      expect(constantAlong(v, g.tensor.shape, axis).map(String)).toEqual(v.map(String));
    }
  });

  it('without layouts no case has one', () => {
    expect(fc.sample(caseArb({ maxRank: 4 }), { seed: 9, numRuns: 200 }).every((g) => g.layout === undefined)).toBe(true);
  });

  it('shrinking keeps the layout kind', () => {
    const arb = caseArb({ maxRank: 4, maxSize: 256, layouts: LAYOUT_KINDS });
    const out = fc.check(fc.property(arb, (g) => !(g.layout?.kind === 'negative-stride' && g.tensor.shape.length >= 2)), { seed: 3, numRuns: 1000 });
    expect(out.failed).toBe(true);
    const g = out.counterexample![0];
    expect(g.layout?.kind).toBe('negative-stride');
    expect(g.tensor.shape.length).toBe(2);
  });
});
