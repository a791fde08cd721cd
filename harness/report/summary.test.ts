// The per-implementation "max error" line: an unbounded check (NaN/inf where a number is expected) is never hidden
// behind a finite distance that happens to be larger than the sentinel.
import { describe, expect, it } from 'vitest';
import type { ImplementationResult } from '../model.js';
import { maxUlpOf } from './summary.js';

const impl = (maxUlps: number[]): ImplementationResult => ({
  id: 'x', title: 'x', source: 's', language: 'python', status: 'ran', verdict: 'fail',
  checks: maxUlps.map((maxUlp, i) => ({
    name: `c${i}`, family: 'values', contract: { rule: 'last', policy: 'ieee', claimed: true }, verdict: 'fail', diagnosis: '',
    cases: { planned: 1, run: 1, passed: 0, failed: 1, rejected: 0, errors: 0 }, ms: 0,
    stats: { elements: 1, maxUlp, maxAbs: 0, maxRel: 0, ulpQuantiles: { p50: 0, p90: 0, p99: 0, max: maxUlp }, ulpHistogram: [] },
  })),
} as unknown as ImplementationResult);

describe('maxUlpOf', () => {
  it('the largest finite distance', () => expect(maxUlpOf(impl([3, 70, 5]))).toBe(70));
  it('unbounded wins over a larger finite distance', () => expect(maxUlpOf(impl([2 ** 60, 2 ** 53]))).toBe(2 ** 53));
  it('nothing measured', () => expect(maxUlpOf(impl([]))).toBeUndefined());
});
