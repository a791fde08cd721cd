// The coverage map as HTML: the summary line, then each pair of dimensions as a small grid of case counts (gaps
// marked, impossible pairs dashed), folded in a <details> so the page stays short. Labels are ours, still escaped.
import { coverageSummary } from '../engine/coverage.js';
import type { CoverageMap } from '../model.js';
import { escapeHtml as h } from './text.js';

const NAMES: Record<string, string> = { dtype: 'dtype', rank: 'rank', length: 'slice length', layout: 'layout', family: 'value family' };

function grid(m: CoverageMap, p: CoverageMap['pairs'][number]): string {
  const [a, b] = p.dims;
  const head = `<tr><th>${h(NAMES[a])} \\ ${h(NAMES[b])}</th>${m.dimensions[b].map((v) => `<th>${h(v)}</th>`).join('')}</tr>`;
  const rows = m.dimensions[a].map((va, i) => `<tr><th>${h(va)}</th>${p.counts[i].map((n) => (n === null
    ? '<td class="na">–</td>'
    : `<td class="${n === 0 ? 'gap' : 'hit'}">${n}</td>`)).join('')}</tr>`);
  return `<table class="coverage-grid" data-testid="coverage-grid"><caption>${h(NAMES[a])} × ${h(NAMES[b])}</caption>${head}${rows.join('')}</table>`;
}

export function coverageHtml(m: CoverageMap | undefined): string {
  if (!m) return '';
  return `<details class="coverage" data-testid="coverage"><summary><b>Coverage:</b> ${h(coverageSummary(m, 4))}</summary>
<style>.coverage-grid{border-collapse:collapse;margin:.5em 1em .5em 0;display:inline-table;font-size:.8em}.coverage-grid td,.coverage-grid th{border:1px solid #ccc;padding:1px 4px;text-align:right}.coverage-grid td.gap{background:#fdd}.coverage-grid td.na{color:#bbb}</style>
${m.unreachable?.length ? `<p data-testid="coverage-unreachable">Not cells for this candidate: ${m.unreachable.map((u) => `${h(u.value)} (${h(u.reason)})`).join('; ')}.</p>\n` : ''}${m.pairs.map((p) => grid(m, p)).join('\n')}
</details>`;
}
