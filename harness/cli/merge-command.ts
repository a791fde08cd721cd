// `merge SHARD.json...`: one report from shard reports (run --shard K/N), written like `run` writes its own.
import type { Command } from 'commander';
import { prepareOutputDir } from '../report/output-dir.js';
import { projectPath } from '../paths.js';
import { optionWithDefault, reportersOption } from './options.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge shard reports (from run --shard K/N, or from audit --shard K/N) into one report')
    .argument('<reports...>', 'shard report.json files')
    .addOption(optionWithDefault('--manifest <file>', 'manifest giving the implementation order', projectPath('implementations', 'manifest.json'), "the package's implementations/manifest.json"))
    .addOption(optionWithDefault('--reports <dir>', 'where to write the merged reports', projectPath('reports'), "the package's reports/"))
    .addOption(reportersOption())
    .action(async (files: string[], o) => {
      const [{ loadReport }, { writeReports }, { renderConsole }, { loadManifest }, { mergeReports }] = await Promise.all([
        import('../report/compare.js'),
        import('../report/index.js'),
        import('../report/console.js'),
        import('../manifest.js'),
        import('../runner/merge.js'),
      ]);
      prepareOutputDir(o.reports, '--reports');
      const order = loadManifest(o.manifest).implementations.map((e) => e.id);
      const merged = mergeReports(files.map(loadReport), order);
      writeReports(merged, o.reports, o.reporters);
      process.stdout.write(renderConsole(merged, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
      const { exitCodeOf, unjudgedLine } = await import('./exit-code.js');
      process.stderr.write(unjudgedLine(merged));
      process.exitCode = exitCodeOf(merged.verdict);
    });
}
