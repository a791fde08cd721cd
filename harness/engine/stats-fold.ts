// Error statistics folded as cases are judged, in a form that merges exactly: two folds merged give the same
// summary as one fold over both sets of samples, in any order. That is what lets an audit stream (memory flat in the
// number of cases), split its calls across workers (--jobs) and across machines (--shard + merge) and still write
// the same report.
//
// Counts, sums and maxima merge exactly. Quantiles need the distribution: it is kept as counts per ULP value,
// exact below 2^10 ULP (every value a passing check can have) and, above, rounded down to 10 significant bits
// (within 0.1%), so a badly broken candidate's billions-of-ULP errors cannot grow it without bound (at most a few
// ten thousand distinct keys). maxUlp is exact.
import type { ErrorStats } from '../model.js';
import type { ElementErrorSample } from '../tolerance/metrics.js';
import { finiteUlp, ULP_BUCKETS, ulpBucket, UNBOUNDED_ULP } from '../tolerance/metrics.js';

const EXACT_BELOW = 1024;
const SIGNIFICANT_BITS = 10;

/** The key a ULP distance is counted under: itself below 2^10, else rounded down to 10 significant bits. */
export function ulpKey(u: number): number {
  if (u < EXACT_BELOW || !Number.isFinite(u)) return u;
  const step = 2 ** (Math.floor(Math.log2(u)) - (SIGNIFICANT_BITS - 1));
  return Math.floor(u / step) * step;
}

/** The JSON form (a shard report carries it so that `merge` can combine shards exactly). */
export interface StatsFoldState {
  n: number;
  maxUlp: number | 'inf';
  maxAbs: number;
  maxRel: number;
  flushed: number;
  largestFlushed: number;
  histogram: Record<string, number>;
  /** [ulpKey, count] pairs, ascending; 'inf' for unbounded distances */
  counts: [number | 'inf', number][];
}

const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? finiteUlp(x) : fallback);

export class StatsFold {
  private n = 0;
  private maxUlp = 0;
  private maxAbs = 0;
  private maxRel = 0;
  private flushed = 0;
  private largestFlushed = 0;
  private readonly histogram: Record<string, number> = Object.fromEntries(ULP_BUCKETS.map((b) => [b, 0]));
  private readonly counts = new Map<number, number>();

  add(s: ElementErrorSample): void {
    for (let i = 0; i < s.ulps.length; i++) {
      if (s.excluded[i] !== 0) continue; // an allowed flush: reported apart, not an ULP error
      const u = s.ulps[i];
      this.n++;
      if (u > this.maxUlp) this.maxUlp = u;
      this.histogram[ulpBucket(u)]++;
      const k = ulpKey(u);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
      if (Number.isFinite(s.abs[i]) && s.abs[i] > this.maxAbs) this.maxAbs = s.abs[i];
      if (Number.isFinite(s.rel[i]) && s.rel[i] > this.maxRel) this.maxRel = s.rel[i];
    }
    this.flushed += s.flushed;
    this.largestFlushed = Math.max(this.largestFlushed, s.largestFlushed);
  }

  merge(o: StatsFold): void {
    this.n += o.n;
    this.maxUlp = Math.max(this.maxUlp, o.maxUlp);
    this.maxAbs = Math.max(this.maxAbs, o.maxAbs);
    this.maxRel = Math.max(this.maxRel, o.maxRel);
    this.flushed += o.flushed;
    this.largestFlushed = Math.max(this.largestFlushed, o.largestFlushed);
    for (const b of ULP_BUCKETS) this.histogram[b] += o.histogram[b];
    for (const [k, c] of o.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + c);
  }

  /** The value at rank floor(q n) of the sorted distances (as a sort of every distance would give, to 10 bits). */
  private quantiles(qs: number[], sortedKeys: number[]): number[] {
    const ranks = qs.map((q) => Math.min(this.n - 1, Math.floor(q * this.n)));
    const out = ranks.map(() => 0);
    let seen = 0;
    let j = 0;
    const order = ranks.map((r, i) => [r, i]).sort((a, b) => a[0] - b[0]);
    for (const k of sortedKeys) {
      seen += this.counts.get(k)!;
      while (j < order.length && order[j][0] < seen) out[order[j++][1]] = k;
      if (j === order.length) break;
    }
    return out;
  }

  summary(): ErrorStats | undefined {
    const { n, flushed } = this;
    if (n === 0 && flushed === 0) return undefined;
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const [p50, p90, p99] = n > 0 ? this.quantiles([0.5, 0.9, 0.99], keys) : [0, 0, 0];
    const max = finiteOr(this.maxUlp, UNBOUNDED_ULP);
    return {
      elements: n,
      maxUlp: max,
      maxAbs: this.maxAbs,
      maxRel: this.maxRel,
      ulpQuantiles: { p50: finiteOr(p50, UNBOUNDED_ULP), p90: finiteOr(p90, UNBOUNDED_ULP), p99: finiteOr(p99, UNBOUNDED_ULP), max },
      ulpHistogram: { ...this.histogram },
      flushedSubnormals: flushed,
      ...(flushed > 0 ? { largestFlushed: this.largestFlushed } : {}),
    };
  }

  toJSON(): StatsFoldState {
    const inf = (x: number) => (Number.isFinite(x) ? x : 'inf' as const);
    return {
      n: this.n,
      maxUlp: inf(this.maxUlp),
      maxAbs: this.maxAbs,
      maxRel: this.maxRel,
      flushed: this.flushed,
      largestFlushed: this.largestFlushed,
      histogram: { ...this.histogram },
      counts: [...this.counts.entries()].sort((a, b) => a[0] - b[0]).map(([k, c]) => [inf(k), c]),
    };
  }

  static fromJSON(s: StatsFoldState): StatsFold {
    const f = new StatsFold();
    const num = (x: number | 'inf') => (x === 'inf' ? Infinity : x);
    f.n = s.n;
    f.maxUlp = num(s.maxUlp);
    f.maxAbs = s.maxAbs;
    f.maxRel = s.maxRel;
    f.flushed = s.flushed;
    f.largestFlushed = s.largestFlushed;
    for (const b of ULP_BUCKETS) f.histogram[b] = s.histogram[b] ?? 0;
    for (const [k, c] of s.counts) f.counts.set(num(k), c);
    return f;
  }
}
