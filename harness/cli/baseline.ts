// `run --baseline`: compare the fresh report with a committed one; the comparison is written beside the reports
// (comparison.md) and printed.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareReports, comparisonExitCode, loadReport, renderComparisonMarkdown } from '../report/compare.js';
import { renderComparisonFor } from '../report/compare-text.js';
import { shouldColor } from '../report/console.js';
import type { RunReport } from '../model.js';

export function compareWithBaseline(baselinePath: string, report: RunReport, reportsDir: string): number {
  if (!existsSync(baselinePath)) {
    process.stderr.write(`baseline ${baselinePath} not found: nothing to compare with (write one with \`cp reports/report.json ${baselinePath}\`)\n`);
    return 0;
  }
  const c = compareReports(loadReport(baselinePath), report);
  // Markdown into the file (a CI step posts it); on stdout plain text for a terminal, Markdown when piped.
  writeFileSync(join(reportsDir, 'comparison.md'), renderComparisonMarkdown(c));
  process.stdout.write(`\n${renderComparisonFor(c, process.stdout, shouldColor(process.stdout.isTTY))}\n`);
  return comparisonExitCode(c);
}
