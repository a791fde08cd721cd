// ONNX's backend node tests for people: per implementation and test, whether ONNX's own test passes (its rtol/atol
// against its NumPy float32 reference) and how many elements are correctly rounded; then, in words, where the two
// part: an implementation that passes ONNX's test without being correctly rounded.
import type { RunReport } from '../model.js';
import type { ExternalRow, ExternalSection, ExternalTestResult } from '../external/onnx-node-tests.js';
import { UNBOUNDED_ULP } from '../tolerance/metrics.js';
import { escapeHtml, mdCode, mdText } from './text.js';

const ulpText = (u: number) => (u === UNBOUNDED_ULP ? 'unbounded' : `≤${u}`);
const exactText = (e: { elements: number; exact: number; maxUlp: number }) => `${e.exact}/${e.elements} exact${e.maxUlp ? `, ${ulpText(e.maxUlp)} ULP` : ''}`;

function cellText(r: ExternalTestResult | undefined): string {
  if (!r || r.status === 'not-called') return '–';
  if (r.status === 'raised') return 'raises';
  const exact = r.elements !== undefined ? `; ${exactText(r as Required<ExternalTestResult>)}` : '';
  return `ONNX ${r.onnx ? 'pass' : 'fail'}${exact}`;
}

/** One implementation's tests that pass by ONNX's rule while some elements are not correctly rounded. */
interface Parted { implementation: string; tests: string[]; off: number; all: number; maxUlp: number; withinProfile: boolean }

function parted(row: ExternalRow): Parted | undefined {
  const hits = row.results.filter((r) => r.status === 'compared' && r.onnx && r.elements !== undefined && r.exact! < r.elements);
  if (hits.length === 0) return undefined;
  return {
    implementation: row.implementation,
    tests: hits.map((r) => r.test),
    off: hits.reduce((n, r) => n + r.elements! - r.exact!, 0),
    all: hits.reduce((n, r) => n + r.elements!, 0),
    maxUlp: Math.max(...hits.map((r) => r.maxUlp ?? 0)),
    withinProfile: hits.every((r) => r.withinProfile),
  };
}

const intro = (x: ExternalSection) => `ONNX ${x.provenance.onnx ?? '?'}'s single-node Softmax tests, each implementation called along the test's axis. "ONNX pass": within ONNX's tolerance (rtol, atol) of ONNX's expected output; "exact": elements equal to the correctly rounded value.`;
const partedTail = (p: Parted, profile: string) => `yet ${p.off} of their ${p.all} elements are not correctly rounded (up to ${p.maxUlp === UNBOUNDED_ULP ? 'unbounded' : p.maxUlp} ULP; ${p.withinProfile ? 'all within' : 'some outside'} the ${profile} profile).`;

export function externalMarkdown(report: RunReport): string[] {
  const x = report.external;
  if (!x || x.rows.length === 0) return [];
  const tests = x.expected.map((e) => e.test);
  const lines = ['### ONNX backend node tests', '', mdText(intro(x)), ''];
  lines.push(`| implementation | ${tests.map((t) => mdCode(t)).join(' | ')} |`);
  lines.push(`|---|${tests.map(() => '---').join('|')}|`);
  lines.push(`| ONNX's expected output | ${x.expected.map(exactText).join(' | ')} |`);
  for (const row of x.rows) {
    const byTest = new Map(row.results.map((r) => [r.test, r]));
    lines.push(`| ${mdCode(row.implementation)} | ${tests.map((t) => { const s = cellText(byTest.get(t)); return s.startsWith('ONNX fail') ? `**${s}**` : s; }).join(' | ')} |`);
  }
  lines.push('');
  const ps = x.rows.map(parted).filter((p) => p !== undefined);
  if (ps.length) {
    lines.push('Passes ONNX\'s test, not correctly rounded:', '');
    for (const p of ps) lines.push(`- ${mdCode(p.implementation)} passes ONNX's ${p.tests.map((t) => mdCode(t)).join(', ')}, ${partedTail(p, `\`${mdText(report.settings.profile)}\``)}`);
    lines.push('');
  }
  return lines;
}

export function externalHtml(report: RunReport): string {
  const x = report.external;
  if (!x || x.rows.length === 0) return '';
  const h = escapeHtml;
  const tests = x.expected.map((e) => e.test);
  const head = `<tr><th>implementation</th>${tests.map((t) => `<th><code>${h(t)}</code></th>`).join('')}</tr>`;
  const expected = `<tr><th scope="row">ONNX's expected output</th>${x.expected.map((e) => `<td>${h(exactText(e))}</td>`).join('')}</tr>`;
  const rows = x.rows.map((row) => {
    const byTest = new Map(row.results.map((r) => [r.test, r]));
    const cells = tests.map((t) => {
      const r = byTest.get(t);
      const cls = !r || r.status === 'not-called' ? '' : r.status === 'raised' || !r.onnx ? 'v-fail' : r.exact === r.elements ? 'v-pass' : 'v-xfail';
      return `<td class="${cls}" title="${h(r?.detail ?? '')}">${h(cellText(r))}</td>`;
    }).join('');
    return `<tr><th scope="row"><code>${h(row.implementation)}</code></th>${cells}</tr>`;
  }).join('');
  const ps = x.rows.map(parted).filter((p) => p !== undefined)
    .map((p) => `<li><code>${h(p.implementation)}</code> passes ONNX's ${p.tests.map((t) => `<code>${h(t)}</code>`).join(', ')}, ${h(partedTail(p, report.settings.profile))}</li>`).join('');
  return `<section data-testid="external"><h2>ONNX backend node tests</h2>
<p>${h(intro(x))}</p>
<div class="scroll"><table class="matrix" data-testid="external-matrix">${head}${expected}${rows}</table></div>
${ps ? `<h3>Passes ONNX's test, not correctly rounded</h3><ul>${ps}</ul>` : ''}
</section>`;
}
