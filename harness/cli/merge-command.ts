// `merge SHARD.json...`: one report from shard reports (run --shard K/N), written like `run` writes its own.
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { loadReport } from '../report/compare.js';
import { writeReports, REPORTER_NAMES } from '../report/index.js';
import { renderConsole } from '../report/console.js';
import { loadManifest } from '../manifest.js';
import { mergeReports } from '../runner/merge.js';
import { projectPath } from '../paths.js';
import { parseList } from './options.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge shard reports (from run --shard K/N) into one report')
    .argument('<reports...>', 'shard report.json files')
    .option('--manifest <file>', 'manifest giving the implementation order', projectPath('implementations', 'manifest.json'))
    .option('--reports <dir>', 'where to write the merged reports', projectPath('reports'))
    .option('--reporters <names>', `comma-separated: ${REPORTER_NAMES.join(', ')}`, parseList, [...REPORTER_NAMES])
    .action((files: string[], o) => {
      const order = loadManifest(o.manifest).implementations.map((e) => e.id);
      const merged = mergeReports(files.map(loadReport), order);
      mkdirSync(o.reports, { recursive: true });
      writeReports(merged, o.reports, o.reporters);
      process.stdout.write(renderConsole(merged, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
      process.exitCode = merged.verdict === 'pass' ? 0 : 1;
    });
}
