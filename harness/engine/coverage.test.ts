// The coverage map: pairwise cells of dtype × rank × slice length × layout × value family, impossible pairs left
// out, counts per cell, gaps named in words, one summary line.
import { describe, expect, it } from 'vitest';
import type { Case } from '../cases/case.js';
import type { MemoryLayout } from '../tensor/layout.js';
import { makeTensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { coverageOf, coverageSummary, lengthBucket } from './coverage.js';

const c = (dtype: DType, shape: number[], family: string, layout?: MemoryLayout): Case => ({
  id: `${dtype}${shape}${family}`, title: '', source: 'generated', family, input: makeTensor(dtype, shape), ...(layout ? { layout } : {}),
});

describe('lengthBucket', () => {
  it('splits where kernels switch paths', () => {
    expect([0, 1, 2, 31, 32, 1024, 1025, 4096, 4097, 65536, 65537].map(lengthBucket)).toEqual(
      ['0', '1', '2-31', '2-31', '32-1024', '32-1024', '1025-4096', '1025-4096', '4097-65536', '4097-65536', '>65536'],
    );
  });
});

describe('coverageOf', () => {
  const m = coverageOf([
    c('float64', [2, 1025], 'ordinary', { kind: 'fortran' }),
    c('float64', [3], 'nan'),
    c('int32', [], 'integers', { kind: 'readonly' }),
  ], { dtypes: ['float64', 'int32'], maxRank: 2 });
  const grid = (a: string, b: string) => m.pairs.find((p) => p.dims[0] === a && p.dims[1] === b)!;
  const at = (a: string, va: string, b: string, vb: string) => {
    const g = grid(a, b);
    return g.counts[m.dimensions[a as 'dtype'].indexOf(va)][m.dimensions[b as 'dtype'].indexOf(vb)];
  };

  it('counts cases per pair of values', () => {
    expect(at('dtype', 'float64', 'rank', '2')).toBe(1);
    expect(at('dtype', 'float64', 'length', '1025-4096')).toBe(1);
    expect(at('dtype', 'float64', 'layout', 'c')).toBe(1);
    expect(at('dtype', 'float64', 'layout', 'fortran')).toBe(1);
    expect(at('rank', '0', 'length', '1')).toBe(1);
    expect(at('layout', 'readonly', 'family', 'integers')).toBe(1);
    expect(at('dtype', 'float64', 'rank', '1')).toBe(1);
    expect(at('dtype', 'int32', 'rank', '1')).toBe(0);
  });

  it('leaves out pairs that cannot occur', () => {
    expect(at('rank', '0', 'length', '32-1024')).toBeNull();
    expect(at('rank', '0', 'layout', 'fortran')).toBeNull();
    expect(at('rank', '1', 'layout', 'transposed')).toBeNull();
    expect(at('dtype', 'int32', 'family', 'nan')).toBeNull();
    expect(at('length', '0', 'family', 'nan')).toBeNull();
    expect(at('rank', '1', 'layout', 'negative-stride')).toBe(0);
  });

  it('reached + gaps = every feasible cell, and gaps are named in words', () => {
    const feasible = m.pairs.flatMap((p) => p.counts.flat()).filter((n) => n !== null);
    expect(m.total).toBe(feasible.length);
    expect(m.reached).toBe(feasible.filter((n) => n! > 0).length);
    expect(m.gaps.length).toBe(m.total - m.reached);
    expect(m.gaps).toContain('int32 × rank 1');
    expect(m.gaps).toContain('float64 × length >65536');
    expect(m.gaps).not.toContain('int32 × nan');
  });

  it('summarises in one line', () => {
    const line = coverageSummary(m, 2);
    expect(line).toMatch(new RegExp(`^reached ${m.reached} of ${m.total} cells .*; not reached: .+, .+, … \\(and ${m.gaps.length - 2} more\\)$`));
    expect(line).not.toContain('\n');
  });

  it('leaves out slices beyond 65,536 when the element budget cannot reach them', () => {
    expect(coverageOf([], { beyond65536: false }).dimensions.length).not.toContain('>65536');
  });
});

describe('coverageOf for a JavaScript candidate', () => {
  const m = coverageOf([c('float64', [2, 3], 'ordinary', { kind: 'misaligned' }), c('float64', [2, 3], 'ordinary')], { dtypes: ['float64'], maxRank: 2, language: 'javascript' });

  it('has cells only for the layouts a typed array can express, and says why the others are not reached', () => {
    expect(m.dimensions.layout).toEqual(['c', 'misaligned']);
    expect(m.gaps.some((g) => /fortran|transposed|strided|readonly|broadcast/.test(g))).toBe(false);
    expect(m.unreachable!.map((u) => u.value).sort()).toEqual(['broadcast', 'fortran', 'negative-stride', 'readonly', 'strided', 'swapaxes', 'transposed']);
    expect(m.unreachable!.find((u) => u.value === 'fortran')!.reason).toMatch(/^not reached for JavaScript: a typed array has no strides/);
    expect(coverageSummary(m)).toMatch(/layouts with no analogue here \(not cells\): fortran, transposed, swapaxes/);
  });

  it('a Python candidate keeps every layout as cells and has no such list', () => {
    const py = coverageOf([c('float64', [2, 3], 'ordinary')], { dtypes: ['float64'], maxRank: 2 });
    expect(py.dimensions.layout).toContain('fortran');
    expect(py.unreachable).toBeUndefined();
  });
});

describe('coverageHtml', () => {
  it('shows the summary and one grid per pair, gaps marked, impossible pairs dashed', async () => {
    const { coverageHtml } = await import('../report/coverage-html.js');
    const m = coverageOf([c('float64', [2, 3], 'nan')], { dtypes: ['float64', 'int32'], maxRank: 2 });
    const html = coverageHtml(m);
    expect(html).toContain(`reached ${m.reached} of ${m.total} cells`);
    expect(html.match(/data-testid="coverage-grid"/g)).toHaveLength(10);
    expect(html).toContain('<td class="gap">0</td>');
    expect(html).toContain('<td class="na">–</td>');
    expect(coverageHtml(undefined)).toBe('');
    expect(html).not.toContain('coverage-unreachable');
  });

  it("names a JavaScript candidate's unreachable layouts with their reasons, escaped", async () => {
    const { coverageHtml } = await import('../report/coverage-html.js');
    const html = coverageHtml(coverageOf([c('float64', [2, 3], 'nan')], { dtypes: ['float64'], maxRank: 2, language: 'javascript' }));
    expect(html).toMatch(/<p data-testid="coverage-unreachable">Not cells for this candidate: fortran \(not reached for JavaScript: a typed array has no strides/);
    expect(html).toContain('readonly (not reached for JavaScript: JavaScript has no read-only typed array');
  });
});
