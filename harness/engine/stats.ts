// Error statistics of a check: the per-element errors of every compared case, summarised.
import type { ErrorStats } from '../model.js';
import type { ElementErrorSample } from '../checks/check.js';
import { finiteUlp, ULP_BUCKETS, ulpBucket, UNBOUNDED_ULP } from '../tolerance/metrics.js';

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

// JSON cannot carry Infinity: an unbounded distance (NaN or inf where a number was expected) is reported as
// UNBOUNDED_ULP (2^53) in maxima and quantiles; the histogram counts it in the last bucket. A finite distance is
// written as it is (float64 distances reach ~9.2e18), never as exactly the sentinel.
const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? finiteUlp(x) : fallback);

export function summarise(samples: ElementErrorSample[]): ErrorStats | undefined {
  const ulps = new Float64Array(samples.reduce((n, s) => n + s.ulps.length, 0));
  let n = 0;
  let maxAbs = 0;
  let maxRel = 0;
  let flushed = 0;
  let largestFlushed = 0;
  const histogram: Record<string, number> = Object.fromEntries(ULP_BUCKETS.map((b) => [b, 0]));
  for (const s of samples) {
    for (let i = 0; i < s.ulps.length; i++) {
      if (s.excluded[i] !== 0) continue; // an allowed flush: reported apart, not an ULP error
      const u = s.ulps[i];
      ulps[n++] = u;
      histogram[ulpBucket(u)]++;
      if (Number.isFinite(s.abs[i])) maxAbs = Math.max(maxAbs, s.abs[i]);
      if (Number.isFinite(s.rel[i])) maxRel = Math.max(maxRel, s.rel[i]);
    }
    flushed += s.flushed;
    largestFlushed = Math.max(largestFlushed, s.largestFlushed);
  }
  if (n === 0 && flushed === 0) return undefined;
  const kept = ulps.subarray(0, n);
  kept.sort(); // numeric for a typed array; NaN (none here: ULP distances are numbers or Infinity) would go last
  const max = n > 0 ? kept[n - 1] : 0;
  return {
    elements: n,
    maxUlp: finiteOr(max, UNBOUNDED_ULP),
    maxAbs,
    maxRel,
    ulpQuantiles: {
      p50: finiteOr(quantile(kept, 0.5), UNBOUNDED_ULP),
      p90: finiteOr(quantile(kept, 0.9), UNBOUNDED_ULP),
      p99: finiteOr(quantile(kept, 0.99), UNBOUNDED_ULP),
      max: finiteOr(max, UNBOUNDED_ULP),
    },
    ulpHistogram: histogram,
    flushedSubnormals: flushed,
    ...(flushed > 0 ? { largestFlushed } : {}),
  };
}
