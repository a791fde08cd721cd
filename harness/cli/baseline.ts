// `run --baseline`: the report the gate compares with. It is read and checked before anything runs (a missing or
// broken baseline is exit 2 at once, not after the run and never a pass); the comparison is written beside the
// reports (comparison.md) and printed.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { compareReports, comparisonExitCode, incomparable, loadReport, renderComparisonMarkdown } from '../report/compare.js';
import { renderComparisonFor } from '../report/compare-text.js';
import { shouldColor } from '../report/console.js';
import type { RunReport } from '../model.js';

/**
 * The baseline named by --baseline. A missing file is a usage error: a gate that names a baseline is one that
 * compares against it, and a typo in its path would otherwise pass without the comparison. A first run leaves
 * --baseline out and keeps its report. So is a baseline judged against another standard than this run's (profile,
 * policy): there would be no gate verdict at the end of the run (report/compare.ts incomparable).
 */
export function loadBaseline(baselinePath: string, reportsDir: string, run: { profile: string; policy: RunReport['settings']['policy'] }): RunReport {
  if (!existsSync(baselinePath)) {
    throw new UsageError(
      `--baseline ${baselinePath}: no such file, so there is nothing to compare with; nothing was run. ` +
        `For a first run, leave --baseline out, then keep its report: \`cp ${join(reportsDir, 'report.json')} ${baselinePath}\``,
    );
  }
  const baseline = loadReport(baselinePath); // a file that breaks the report schema: DataError naming the pointer (exit 2)
  const why = baseline.verdict === 'incomplete'
    ? 'it is the report of an interrupted run, no verdict to compare with; keep the report of a run that finished'
    : baseline.verdict === 'error'
      ? `it is the report of a run that could not judge${baseline.verdictReason ? ` (${baseline.verdictReason})` : ''}, no verdict to compare with`
      : baseline.kind !== 'run'
      ? `it is the report of an ${baseline.kind}, not of a run`
      : incomparable(baseline.settings, run);
  if (why) throw new UsageError(`--baseline ${baselinePath}: ${why}; nothing was run`);
  return baseline;
}

export function compareWithBaseline(baseline: RunReport, report: RunReport, reportsDir: string): number {
  const c = compareReports(baseline, report);
  // Markdown into the file (a CI step posts it); on stdout plain text for a terminal, Markdown when piped.
  writeFileSync(join(reportsDir, 'comparison.md'), renderComparisonMarkdown(c));
  process.stdout.write(`\n${renderComparisonFor(c, process.stdout, shouldColor(process.stdout.isTTY))}\n`);
  return comparisonExitCode(c);
}
