// Generated cases for `run`: a fixed-seed sample from the fast-check generators, so the gate is reproducible.
// (`audit` drives the generators through fast-check properties instead, to shrink counterexamples.)
import fc from 'fast-check';
import { caseArb } from '../generators/index.js';
import type { Case } from './case.js';
import { DEFAULT_MAX_ELEMENTS } from '../generators/lengths.js';
import { LAYOUT_KINDS } from '../tensor/layout.js';
import type { DType } from '../tensor/dtype.js';

export function generatedCases(seed: number, numRuns: number, maxElements: number = DEFAULT_MAX_ELEMENTS, dtypes?: DType[]): Case[] {
  if (numRuns <= 0) return [];
  const sample = fc.sample(caseArb({ maxRank: 4, maxSize: 256, maxElements, layouts: LAYOUT_KINDS, ...(dtypes ? { dtypes } : {}) }), { seed, numRuns });
  // A sample in other dtypes than the default has ids of its own: a row's cases never share an id.
  const prefix = dtypes ? `generated-${dtypes.join('-')}` : 'generated';
  return sample.map((g, i) => ({
    id: `${prefix}/${seed}/${i}`,
    title: `generated #${i} (${g.family})`,
    source: 'generated',
    family: g.family,
    input: g.tensor,
    seed,
    ...(g.layout ? { layout: g.layout } : {}),
  }));
}
