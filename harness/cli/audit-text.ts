// The human-readable audit verdict: what is wrong, the smallest input that shows it, how to reproduce it.
import type { RunReport } from '../model.js';
import { isGateFailure } from '../engine/expectations.js';
import { sanitizeTerminal } from './terminal.js';
import { coverageSummary } from '../engine/coverage.js';

export function renderAuditText(report: RunReport, opts: { color: boolean }): string {
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const impl = report.implementations[0];
  const lines: string[] = [];
  const ok = report.verdict === 'pass';
  lines.push(`${paint(ok ? 32 : 31, ok ? 'CONFORMS' : 'DOES NOT CONFORM')}  ${sanitizeTerminal(impl.title)}`);
  if (impl.statusDetail) lines.push(`  ${sanitizeTerminal(impl.statusDetail)}`);
  if (impl.inferenceSummary) lines.push(`  contract inference: ${sanitizeTerminal(impl.inferenceSummary)}`);
  const failing = impl.checks.filter((c) => isGateFailure(c.verdict));
  const passing = impl.checks.filter((c) => c.verdict === 'pass');
  const rejected = impl.checks.filter((c) => c.cases.rejected > 0);
  if (impl.coverage) lines.push(`  coverage: ${coverageSummary(impl.coverage)}`);
  lines.push(`  ${passing.length} checks pass, ${failing.length} fail${rejected.length ? `, ${rejected.length} saw clear rejections` : ''} (${report.accounting.run} of ${report.accounting.planned} case-checks judged, ${(report.ms / 1000).toFixed(1)} s)`);
  for (const c of failing) {
    lines.push('', `${paint(31, `✗ ${c.family}`)} [${c.contract.rule}]: ${sanitizeTerminal(c.diagnosis)}`);
    if (c.stats && c.stats.maxUlp > 0) lines.push(`    max error ${c.stats.maxUlp >= 2 ** 53 ? 'unbounded' : `${c.stats.maxUlp} ULP`}, p50 ${c.stats.ulpQuantiles.p50} ULP over ${c.stats.elements} elements`);
    if (c.counterexample) {
      const ce = c.counterexample;
      lines.push(`    counterexample ${ce.caseId}${ce.seed !== undefined ? ` (seed ${ce.seed}, path ${ce.path})` : ''}; reproduce in Python:`);
      lines.push(...sanitizeTerminal(ce.python).split('\n').map((l) => `      ${l}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
