// The golden matrix for people: implementations x libraries, each cell the share of corpus inputs on which the
// implementation agrees with that library (within the profile), and the libraries' own findings against the oracle.
import type { RunReport } from '../model.js';
import type { GoldenMatrixCell, GoldenSection } from '../golden/matrix.js';
import { escapeHtml, mdCode, mdText } from './text.js';

function compared(c: GoldenMatrixCell): number {
  return c.counts.agree + c.counts.disagree;
}

/** "97% (64/66)" plus error counts when there are any. */
export function cellSummary(c: GoldenMatrixCell): string {
  const n = compared(c);
  const pct = n ? `${Math.round((100 * c.counts.agree) / n)}% (${c.counts.agree}/${n})` : '–';
  const errs = [
    c.counts['both-error'] ? `${c.counts['both-error']} both raise` : '',
    c.counts['impl-error'] ? `${c.counts['impl-error']} impl raises` : '',
    c.counts['golden-error'] ? `${c.counts['golden-error']} lib raises` : '',
  ].filter(Boolean);
  return errs.length ? `${pct}; ${errs.join(', ')}` : pct;
}

export function goldenMarkdown(report: RunReport): string[] {
  const g: GoldenSection | undefined = report.golden;
  if (!g || g.matrix.length === 0) return [];
  const lines = ['### Agreement with library goldens', ''];
  lines.push(`Each implementation was called under \`last\` on the ${g.inputs} inputs of golden corpus v${g.corpusVersion}; a cell is the share of inputs on which it agrees with the library within the \`${mdText(report.settings.profile)}\` profile.`, '');
  lines.push(`| implementation | ${g.libraries.map((l) => mdText(l.label)).join(' | ')} |`);
  lines.push(`|---|${g.libraries.map(() => '---').join('|')}|`);
  for (const row of g.matrix) {
    const byLib = new Map(row.cells.map((c) => [c.library, c]));
    lines.push(`| ${mdCode(row.implementation)} | ${g.libraries.map((l) => { const c = byLib.get(l.key); return c ? cellSummary(c) : '–'; }).join(' | ')} |`);
  }
  lines.push('');
  if (g.findings.length) {
    lines.push('Findings measured from the goldens (each library against the oracle):', '');
    for (const f of g.findings) lines.push(`- ${mdCode(f.library)}: ${mdText(f.sentence)}`);
    lines.push('');
  }
  return lines;
}

export function goldenHtml(report: RunReport): string {
  const g = report.golden;
  if (!g) return '';
  const h = escapeHtml;
  const head = `<tr><th>implementation</th>${g.libraries.map((l) => `<th title="${h(l.version)}">${h(l.label)}</th>`).join('')}</tr>`;
  const rows = g.matrix.map((row) => {
    const byLib = new Map(row.cells.map((c) => [c.library, c]));
    const cells = g.libraries.map((l) => {
      const c = byLib.get(l.key);
      if (!c) return '<td>–</td>';
      const n = compared(c);
      const share = n ? c.counts.agree / n : 1;
      // Agreement is a measurement, not a verdict: its own colours, never the gate's red.
      const cls = share === 1 ? 'agree-all' : share >= 0.9 ? 'agree-most' : 'agree-low';
      return `<td class="${cls}" title="${h(c.example ?? '')}">${h(cellSummary(c))}</td>`;
    }).join('');
    return `<tr><th scope="row"><code>${h(row.implementation)}</code></th>${cells}</tr>`;
  }).join('');
  const findings = g.findings.map((f) => `<li><code>${h(f.library)}</code>: ${h(f.sentence)}</li>`).join('');
  return `<section id="golden" data-testid="golden"><h2>Agreement with library goldens</h2>
<p>Each implementation was called under <code>last</code> on the ${g.inputs} inputs of golden corpus v${g.corpusVersion}; a cell is the share of inputs on which it agrees with the library within the <code>${h(report.settings.profile)}</code> profile (hover for the first disagreement).</p>
<ul class="legend" data-testid="golden-legend"><li><span class="tag agree-all">100%</span> agrees on every input</li><li><span class="tag agree-most">≥ 90%</span> agrees on most</li><li><span class="tag agree-low">&lt; 90%</span> disagrees often (a difference of contract or of special values, not a failure by itself)</li></ul>
<div class="matrix-wrap"><table class="matrix golden" data-testid="golden-matrix">${head}${rows}</table></div>
${findings ? `<h3>Findings measured from the goldens</h3><ul>${findings}</ul>` : ''}
</section>`;
}
