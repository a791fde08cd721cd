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

describe('StatsFold, what the summary says', () => {
  it('is undefined with nothing added, and with only flushes has zero quantiles and the largest flush', () => {
    expect(new StatsFold().summary()).toBeUndefined();
    const f = new StatsFold();
    f.add(sample([0], [0]));
    const s = f.summary()!;
    expect(s.elements).toBe(0);
    expect(s.ulpQuantiles).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
    expect(s.flushedSubnormals).toBe(1);
    expect(s.largestFlushed).toBe(1e-310);
  });

  it('has no largestFlushed when nothing was flushed', () => {
    const f = new StatsFold();
    f.add(sample([1, 2]));
    expect(f.summary()).not.toHaveProperty('largestFlushed');
    expect(f.summary()!.flushedSubnormals).toBe(0);
  });

  it('states the maxima (finite abs and rel only), the histogram and p99 of a known sample', () => {
    const f = new StatsFold();
    const ulps = [...new Array(98).fill(0), 3, 70000];
    const s = sample(ulps);
    s.abs[5] = 0.5;
    s.rel[6] = 0.25;
    f.add(s);
    f.add(sample([Infinity])); // abs and rel infinite: not a maximum
    const sum = f.summary()!;
    expect(sum.elements).toBe(101);
    expect(sum.maxAbs).toBe(0.5);
    expect(sum.maxRel).toBe(0.25);
    expect(sum.maxUlp).toBe(2 ** 53);
    expect(sum.ulpQuantiles.p50).toBe(0);
    expect(sum.ulpQuantiles.p90).toBe(0);
    expect(sum.ulpQuantiles.p99).toBe(ulpKey(70000)); // rank floor(0.99 x 101) = 99 of 0..100
    expect(sum.ulpHistogram).toEqual({ '0': 98, '1': 0, '2-3': 1, '4-15': 0, '16-255': 0, '256-65535': 0, '>=65536': 2 });
  });

  it('quantiles take the value at rank floor(q n): p50 of [1, 2, 3, 4] is 3', () => {
    const f = new StatsFold();
    f.add(sample([4, 1, 3, 2]));
    const q = f.summary()!.ulpQuantiles;
    expect([q.p50, q.p90, q.p99, q.max]).toEqual([3, 4, 4, 4]);
  });

  it('writes unbounded distances as "inf" in its JSON form, and reads them back', () => {
    const f = new StatsFold();
    f.add(sample([Infinity, 1]));
    const j = f.toJSON();
    expect(j.maxUlp).toBe('inf');
    expect(j.counts).toEqual([[1, 1], ['inf', 1]]);
    const back = StatsFold.fromJSON(JSON.parse(JSON.stringify(j)));
    expect(back.summary()).toEqual(f.summary());
    expect(back.summary()!.ulpQuantiles.p90).toBe(2 ** 53);
  });

  it('a state without some histogram buckets reads them as 0', () => {
    const f = new StatsFold();
    f.add(sample([1]));
    const j = f.toJSON();
    const partial = { ...j, histogram: { '1': 1 } };
    expect(StatsFold.fromJSON(partial).summary()!.ulpHistogram).toEqual({ '0': 0, '1': 1, '2-3': 0, '4-15': 0, '16-255': 0, '256-65535': 0, '>=65536': 0 });
  });

  it('keys at the boundary of the exact range and above it', () => {
    expect(ulpKey(1024)).toBe(1024);
    expect(ulpKey(2047)).toBe(2046); // 11 bits: the last one dropped
    expect(ulpKey(Infinity)).toBe(Infinity);
    expect(ulpKey(0.5)).toBe(0.5);
  });
});
