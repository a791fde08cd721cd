// `compare BASE.json NEW.json`: what changed between two runs; exit 1 on a new failure.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('regression review: new failures, fixes, changed diagnoses and error drift between two reports')
    .argument('<base>', 'the earlier report.json')
    .argument('<new>', 'the later report.json')
    .option('--markdown <file>', 'also write the comparison as Markdown')
    .option('--html <file>', 'also write the comparison as a self-contained HTML page')
    .action(async (basePath: string, newPath: string, o) => {
      const { compareReports, comparisonExitCode, loadReport, renderComparisonHtml, renderComparisonMarkdown } = await import('../report/compare.js');
      const c = compareReports(loadReport(basePath), loadReport(newPath));
      const md = renderComparisonMarkdown(c);
      process.stdout.write(`${md}\n`);
      if (o.markdown) writeFileSync(o.markdown, md);
      if (o.html) writeFileSync(o.html, renderComparisonHtml(c));
      process.exitCode = comparisonExitCode(c);
    });
}
