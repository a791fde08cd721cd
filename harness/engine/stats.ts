// Error statistics of a check: the per-element errors of every compared case, summarised.
import type { ErrorStats } from '../model.js';
import type { ElementErrorSample } from '../checks/check.js';

export const ULP_BUCKETS = ['0', '1', '2-3', '4-15', '16-255', '256-65535', '>=65536'] as const;

export function bucketOf(ulp: number): (typeof ULP_BUCKETS)[number] {
  if (!(ulp < 65536)) return '>=65536';
  if (ulp === 0) return '0';
  if (ulp <= 1) return '1';
  if (ulp <= 3) return '2-3';
  if (ulp <= 15) return '4-15';
  if (ulp <= 255) return '16-255';
  return '256-65535';
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** JSON cannot carry Infinity: distances that are infinite (NaN vs number) are reported as -1 in maxima. */
const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);

export function summarise(samples: ElementErrorSample[]): ErrorStats | undefined {
  const ulps: number[] = [];
  let maxAbs = 0;
  let maxRel = 0;
  let flushed = 0;
  const histogram: Record<string, number> = Object.fromEntries(ULP_BUCKETS.map((b) => [b, 0]));
  for (const s of samples) {
    for (let i = 0; i < s.ulps.length; i++) {
      const u = s.ulps[i];
      ulps.push(u);
      histogram[bucketOf(u)]++;
      if (Number.isFinite(s.abs[i])) maxAbs = Math.max(maxAbs, s.abs[i]);
      if (Number.isFinite(s.rel[i])) maxRel = Math.max(maxRel, s.rel[i]);
    }
    flushed += s.flushed;
  }
  if (ulps.length === 0) return undefined;
  ulps.sort((a, b) => a - b);
  const max = ulps[ulps.length - 1];
  return {
    elements: ulps.length,
    maxUlp: finiteOr(max, -1),
    maxAbs,
    maxRel,
    ulpQuantiles: {
      p50: finiteOr(quantile(ulps, 0.5), -1),
      p90: finiteOr(quantile(ulps, 0.9), -1),
      p99: finiteOr(quantile(ulps, 0.99), -1),
      max: finiteOr(max, -1),
    },
    ulpHistogram: histogram,
    flushedSubnormals: flushed,
  };
}
