// The human-readable audit verdict: what is wrong, the smallest input that shows it, how to reproduce it.
import { OUT_OF_BUDGET, type RunReport } from '../model.js';
import { isFailure } from '../engine/expectations.js';
import { reproduction } from '../report/summary.js';
import { plural } from '../report/text.js';
import { sanitizeTerminal } from './terminal.js';
import { formatFlushes, formatUlp } from '../report/text.js';
import { sandboxLine } from '../report/sandbox-line.js';
import { coverageSummary } from '../engine/coverage.js';

export function renderAuditText(report: RunReport, opts: { color: boolean }): string {
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const impl = report.implementations[0];
  const lines: string[] = [];
  const ok = report.verdict === 'pass';
  lines.push(report.sandbox?.sandboxed === false ? paint(33, sandboxLine(report.sandbox)) : sandboxLine(report.sandbox));
  const word = ok ? 'CONFORMS' : report.verdict === 'error' ? 'COULD NOT JUDGE' : 'DOES NOT CONFORM';
  lines.push(`${paint(ok ? 32 : 31, word)}  ${sanitizeTerminal(impl.title)}`);
  if (report.verdict === 'error' && report.accounting.run === 0) {
    // Not a verdict on the code: say why once, and nothing that reads like check results.
    lines.push(`  ${sanitizeTerminal(impl.status === 'config-error' ? impl.statusDetail ?? '' : report.verdictReason ?? '')}`);
    return `${lines.join('\n')}\n`;
  }
  if (impl.statusDetail) lines.push(`  ${sanitizeTerminal(impl.statusDetail)}`);
  const t = impl.target;
  if (t?.module) lines.push(`  module ${sanitizeTerminal(t.module)}${t.distribution ? ` (${sanitizeTerminal(t.distribution)} ${sanitizeTerminal(t.version ?? '?')})` : ''}${t.file ? `, loaded from ${sanitizeTerminal(t.file)}` : ''}`);
  // The framework's tensor and its device, when the candidate did not get a NumPy array (--framework, --device).
  if (impl.target?.framework) lines.push(`  called with a ${impl.target.framework} tensor on ${impl.target.device ?? 'cpu'}`);
  if (impl.convention) lines.push(`  called with the ${impl.convention} input form${impl.conventionNote ? `: ${sanitizeTerminal(impl.conventionNote)}` : ''}`);
  if (impl.inferenceSummary) lines.push(`  contract inference: ${sanitizeTerminal(impl.inferenceSummary)}`);
  if (impl.dtypeSummary) lines.push(`  by input dtype: ${sanitizeTerminal(impl.dtypeSummary)}`);
  const failing = impl.checks.filter((c) => isFailure(c.verdict));
  const unjudged = impl.checks.filter((c) => c.verdict === 'error');
  const passing = impl.checks.filter((c) => c.verdict === 'pass');
  const rejected = impl.checks.filter((c) => c.cases.rejected > 0);
  if (impl.coverage) lines.push(`  coverage: ${coverageSummary(impl.coverage)}`);
  lines.push(`  ${plural(passing.length, 'check')} ${passing.length === 1 ? 'passes' : 'pass'}, ${failing.length} fail${unjudged.length ? `, ${unjudged.length} judged no case` : ''}${rejected.length ? `, ${rejected.length} saw clear rejections` : ''} (${report.accounting.run} of ${report.accounting.planned} case-checks judged, ${(report.ms / 1000).toFixed(1)} s)`);
  // A verdict on part of the planned cases says so where the verdict is read, not only in each check's diagnosis.
  const outOfBudget = report.accounting.notRunReasons[OUT_OF_BUDGET] ?? 0;
  if (outOfBudget > 0) lines.push(`  ${paint(33, 'time budget ran out')}: ${outOfBudget} of ${report.accounting.planned} case-checks were not run, so the verdict covers only the rest (raise it with --budget)`);
  for (const c of unjudged) lines.push('', `${paint(33, `? ${c.family}`)} [${c.contract.rule}]: ${sanitizeTerminal(c.diagnosis)}`);
  for (const c of failing) {
    lines.push('', `${paint(31, `✗ ${c.family}`)} [${c.contract.rule}]: ${sanitizeTerminal(c.diagnosis)}`);
    if (c.stats && c.stats.maxUlp > 0) lines.push(`    max error ${formatUlp(c.stats.maxUlp)}, p50 ${formatUlp(c.stats.ulpQuantiles.p50)} over ${c.stats.elements} elements${formatFlushes(c.stats)}`);
    if (c.counterexample) {
      const ce = c.counterexample;
      const repro = reproduction(ce);
      lines.push(`    counterexample ${ce.caseId}${ce.seed !== undefined ? ` (seed ${ce.seed}, path ${ce.path})` : ''}; reproduce in ${repro.language === 'python' ? 'Python' : 'JavaScript (node --input-type=module)'}:`);
      lines.push(...sanitizeTerminal(repro.code).split('\n').map((l) => `      ${l}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
