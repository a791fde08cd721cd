// ONNX's backend node tests for people: per implementation and test, whether ONNX's own test passes (its rtol/atol
// against its NumPy float32 reference) and how many elements are correctly rounded; then, in words, where the two
// part: an implementation that passes ONNX's test without being correctly rounded.
import type { RunReport } from '../model.js';
import type { ExternalTestResult } from '../external/onnx-node-tests.js';
import { UNBOUNDED_ULP } from '../tolerance/metrics.js';
import { mdCode, mdText } from './text.js';

const ulpText = (u: number) => (u === UNBOUNDED_ULP ? 'unbounded' : `≤${u}`);

function cell(r: ExternalTestResult): string {
  if (r.status === 'not-called') return '–';
  if (r.status === 'raised') return 'raises';
  const exact = r.elements !== undefined ? `${r.exact}/${r.elements} exact${r.maxUlp ? `, ${ulpText(r.maxUlp)} ULP` : ''}` : '';
  return `ONNX ${r.onnx ? 'pass' : '**fail**'}; ${exact}`;
}

export function externalMarkdown(report: RunReport): string[] {
  const x = report.external;
  if (!x || x.rows.length === 0) return [];
  const tests = x.expected.map((e) => e.test);
  const lines = ['### ONNX backend node tests', ''];
  lines.push(`ONNX ${mdText(x.provenance.onnx ?? '?')}'s single-node Softmax tests, each implementation called along the test's axis. "ONNX pass": within ONNX's tolerance of ONNX's expected output; "exact": elements equal to the correctly rounded value.`, '');
  lines.push(`| implementation | ${tests.map((t) => mdCode(t)).join(' | ')} |`);
  lines.push(`|---|${tests.map(() => '---').join('|')}|`);
  lines.push(`| ONNX's expected output | ${x.expected.map((e) => `${e.exact}/${e.elements} exact${e.maxUlp ? `, ${ulpText(e.maxUlp)} ULP` : ''}`).join(' | ')} |`);
  for (const row of x.rows) {
    const byTest = new Map(row.results.map((r) => [r.test, r]));
    lines.push(`| ${mdCode(row.implementation)} | ${tests.map((t) => { const r = byTest.get(t); return r ? cell(r) : '–'; }).join(' | ')} |`);
  }
  lines.push('');
  // One line per implementation: the tests it passes by ONNX's rule while some elements are not correctly rounded.
  const parted = x.rows.flatMap((row) => {
    const hits = row.results.filter((r) => r.status === 'compared' && r.onnx && r.elements !== undefined && r.exact! < r.elements);
    if (hits.length === 0) return [];
    const off = hits.reduce((n, r) => n + r.elements! - r.exact!, 0);
    const all = hits.reduce((n, r) => n + r.elements!, 0);
    const ulp = Math.max(...hits.map((r) => r.maxUlp ?? 0));
    const profile = hits.every((r) => r.withinProfile) ? `all within the \`${mdText(report.settings.profile)}\` profile` : `some outside the \`${mdText(report.settings.profile)}\` profile`;
    return [`- ${mdCode(row.implementation)} passes ONNX's ${hits.map((r) => mdCode(r.test)).join(', ')}, yet ${off} of their ${all} elements are not correctly rounded (up to ${ulp} ULP; ${profile}).`];
  });
  if (parted.length) lines.push('Passes ONNX\'s test, not correctly rounded:', '', ...parted, '');
  return lines;
}
