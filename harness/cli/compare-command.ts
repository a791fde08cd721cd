// `compare BASE.json NEW.json`: what changed between two runs; exit 1 on a new failure.
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('regression review: new failures, fixes, changed diagnoses and error drift between two reports; exits 1 on a new failure or on evidence lost (a row or check the base judged and the new report lacks)')
    .argument('<base>', 'the earlier report.json')
    .argument('<new>', 'the later report.json')
    .option('--markdown <file>', 'also write the comparison as Markdown (stdout has plain text on a terminal, Markdown when piped)')
    .option('--html <file>', 'also write the comparison as a self-contained HTML page')
    .action(async (basePath: string, newPath: string, o) => {
      const [{ compareReports, comparisonExitCode, loadReport, renderComparisonHtml, renderComparisonMarkdown }, { renderComparisonFor }, { shouldColor }] = await Promise.all([
        import('../report/compare.js'), import('../report/compare-text.js'), import('../report/console.js'),
      ]);
      // The folders of --markdown and --html first: a CI step that posts the file must not get a verdict and no file.
      const { prepareOutputDir } = await import('../report/output-dir.js');
      if (o.markdown) prepareOutputDir(dirname(o.markdown), '--markdown', 'the comparison');
      if (o.html) prepareOutputDir(dirname(o.html), '--html', 'the comparison');
      const c = compareReports(loadReport(basePath), loadReport(newPath));
      process.stdout.write(`${renderComparisonFor(c, process.stdout, shouldColor(process.stdout.isTTY))}\n`);
      if (o.markdown) writeFileSync(o.markdown, renderComparisonMarkdown(c));
      if (o.html) writeFileSync(o.html, renderComparisonHtml(c));
      process.exitCode = comparisonExitCode(c);
    });
}
