// The error-distribution plot: ULP histogram buckets as an inline SVG bar chart, drawn at build time so the HTML
// report needs no script. Bars are log-scaled: a few elements at 300 ULP must stay visible next to a million at 0.
import type { ErrorStats } from '../model.js';
import { escapeHtml } from './text.js';

// The buckets of ErrorStats.ulpHistogram are defined once, with the metrics that fill them.
import { ULP_BUCKETS, ulpBucket } from '../tolerance/metrics.js';
export { ULP_BUCKETS, ulpBucket };
export type UlpBucket = (typeof ULP_BUCKETS)[number];

/** Sums histograms (an implementation's plot covers all of its checks with statistics). */
export function mergeHistograms(stats: readonly ErrorStats[]): Record<UlpBucket, number> {
  const out = Object.fromEntries(ULP_BUCKETS.map((b) => [b, 0])) as Record<UlpBucket, number>;
  for (const s of stats) for (const b of ULP_BUCKETS) out[b] += s.ulpHistogram[b] ?? 0;
  return out;
}

const W = 500;
const H = 200;
const M = { left: 56, right: 12, top: 14, bottom: 44 };
// Bucket colours: exact/1 ULP, a few ULPs, many ULPs. Each bar also carries its count as text.
const BAR_CLASS = (b: UlpBucket) => (b === '0' || b === '1' ? 'bar-ok' : b === '2-3' || b === '4-15' ? 'bar-warn' : 'bar-bad');

/** An accessible SVG histogram; `label` names the implementation (untrusted: escaped). */
export function ulpPlotSvg(hist: Record<UlpBucket, number>, label: string): string {
  const max = Math.max(0, ...ULP_BUCKETS.map((b) => hist[b]));
  const decades = Math.max(1, Math.ceil(Math.log10(max + 1)));
  const top = 10 ** decades;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (count: number) => M.top + plotH * (1 - Math.log10(1 + count) / Math.log10(1 + top));
  const slot = plotW / ULP_BUCKETS.length;
  const parts: string[] = [];
  // y axis: one tick per decade
  for (let k = 0; k <= decades; k++) {
    const v = k === 0 ? 0 : 10 ** k;
    const yy = y(v).toFixed(1);
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${v === 0 ? '0' : v >= 1e4 ? `1e${k}` : v}</text>`);
  }
  ULP_BUCKETS.forEach((b, i) => {
    const count = hist[b];
    const x = M.left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const yy = y(count);
    const h = M.top + plotH - yy;
    parts.push(
      `<rect class="bar ${BAR_CLASS(b)}" data-bucket="${escapeHtml(b)}" data-count="${count}" x="${x.toFixed(1)}" y="${yy.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}"><title>${escapeHtml(b)} ULP: ${count} elements</title></rect>`,
    );
    if (count > 0) parts.push(`<text class="count" x="${(x + w / 2).toFixed(1)}" y="${(yy - 3).toFixed(1)}" text-anchor="middle">${count}</text>`);
    parts.push(`<text class="tick" x="${(x + w / 2).toFixed(1)}" y="${H - M.bottom + 14}" text-anchor="middle">${escapeHtml(b)}</text>`);
  });
  parts.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}"/>`);
  parts.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}"/>`);
  parts.push(`<text class="axis-label" x="${M.left + plotW / 2}" y="${H - 6}" text-anchor="middle">ULP distance from the correctly rounded result</text>`);
  parts.push(`<text class="axis-label" transform="translate(14 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">elements (log scale)</text>`);
  const total = ULP_BUCKETS.reduce((s, b) => s + hist[b], 0);
  const title = `ULP error distribution of ${label}: ${total} elements`;
  return `<svg data-testid="ulp-plot" class="ulp-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`;
}
