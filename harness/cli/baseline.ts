// `run --baseline`: compare the fresh report with a committed one; the comparison is written beside the reports.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareReports, comparisonExitCode, loadReport, renderComparisonMarkdown } from '../report/compare.js';
import type { RunReport } from '../model.js';

export function compareWithBaseline(baselinePath: string, report: RunReport, reportsDir: string): number {
  if (!existsSync(baselinePath)) {
    process.stderr.write(`baseline ${baselinePath} not found: nothing to compare with (write one with \`cp reports/report.json ${baselinePath}\`)\n`);
    return 0;
  }
  const c = compareReports(loadReport(baselinePath), report);
  const md = renderComparisonMarkdown(c);
  writeFileSync(join(reportsDir, 'comparison.md'), md);
  process.stdout.write(`\n${md}\n`);
  return comparisonExitCode(c);
}
