// The folded error statistics: the summary of the whole sample, however it is split and merged.
import { describe, expect, it } from 'vitest';
import { emptySample } from '../tolerance/metrics.js';
import { StatsFold, ulpKey } from './stats-fold.js';

function sample(ulps: number[], flushedAt: number[] = []) {
  const s = emptySample(ulps.length);
  ulps.forEach((u, i) => {
    s.ulps[i] = u;
    s.abs[i] = Number.isFinite(u) ? u * 1e-17 : Infinity;
    s.rel[i] = Number.isFinite(u) ? u * 1e-16 : Infinity;
  });
  for (const i of flushedAt) {
    s.excluded[i] = 1;
    s.flushed++;
    s.largestFlushed = Math.max(s.largestFlushed, 1e-310 * (i + 1));
  }
  return s;
}

describe('StatsFold', () => {
  const parts = [[0, 0, 1, 3, 2, 0], [5, 0, 1, 1, 900, 0, 0], [Infinity, 0, 2, 7, 1e12 + 12345], [0, 1, 1]];
  const flushes = [[1], [], [1], []];
  const whole = new StatsFold();
  parts.forEach((p, k) => whole.add(sample(p, flushes[k])));

  it('quantiles are the nearest-rank values of the sorted distances (exact below 1024 ULP)', () => {
    const all = parts.flatMap((p, k) => p.filter((_, i) => !flushes[k].includes(i))).sort((a, b) => a - b);
    const at = (q: number) => all[Math.min(all.length - 1, Math.floor(q * all.length))];
    const s = whole.summary()!;
    expect(s.elements).toBe(all.length);
    expect([s.ulpQuantiles.p50, s.ulpQuantiles.p90]).toEqual([at(0.5), ulpKey(at(0.9))]);
    expect(at(0.5)).toBeLessThan(1024);
    expect(s.ulpQuantiles.max).toBe(2 ** 53); // unbounded
    expect(s.flushedSubnormals).toBe(2);
  });

  it('merging folds of any split, in any order, through JSON, gives the whole fold\'s summary', () => {
    for (const order of [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]]) {
      const a = new StatsFold();
      const b = new StatsFold();
      order.forEach((k, j) => (j % 2 ? b : a).add(sample(parts[k], flushes[k])));
      const merged = StatsFold.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
      merged.merge(StatsFold.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))));
      expect(merged.summary()).toEqual(whole.summary());
    }
  });

  it('keys values above 1024 ULP to 10 significant bits, and keeps maxUlp exact', () => {
    expect(ulpKey(1023)).toBe(1023);
    expect(ulpKey(1025)).toBe(1024);
    expect(ulpKey(1e12 + 12345) / (1e12 + 12345)).toBeGreaterThan(1 - 2 ** -9);
    const f = new StatsFold();
    f.add(sample([1e12 + 12345]));
    expect(f.summary()!.maxUlp).toBe(1e12 + 12345);
  });
});
