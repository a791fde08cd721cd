// `golden export` regenerates the library goldens (needs the heavy libraries: see golden/README.md);
// `golden verify` checks schema, checksums and coverage of the committed ones (no heavy library needed).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { projectPath } from '../paths.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { optionWithDefault, listOf } from './options.js';

export function registerGolden(program: Command): void {
  const golden = program.command('golden').description('export or verify the golden outputs of real libraries');
  golden
    .command('verify')
    .description('validate golden/ and its sets (golden/bfloat16/): schema, checksums, corpus coverage; exit 2 naming the file and JSON pointer on a problem')
    .addOption(optionWithDefault('--dir <dir>', 'golden folder', projectPath('golden'), "the package's golden/"))
    .action(async (o) => {
      const { verifyGoldenSets } = await import('../golden/verify.js');
      const { relative } = await import('node:path');
      for (const { dir, summary: r } of verifyGoldenSets(o.dir)) {
        const name = dir === o.dir ? 'golden' : `golden/${relative(o.dir, dir)}`;
        process.stdout.write(`${name}: ${r.files} files, ${r.cases} cases, libraries: ${r.libraries.join(', ')} — OK\n`);
      }
    });
  golden
    .command('export')
    .description('run golden/export.py with the exporter\'s libraries (.venv from golden/setup-venv.sh, or --python)')
    .addOption(optionWithDefault('--out <dir>', 'where to write', projectPath('golden'), "the package's golden/"))
    .option('--date <yyyy-mm-dd>', 'date recorded in provenance (default: today, UTC)')
    .option('--device <device>', 'cuda: also re-record the GPU goldens (torch, JAX, CuPy, the project\'s Triton kernel on CUDA) where there is a GPU; without one they are skipped and the recorded ones kept', 'cpu')
    .option('--library <names>', 'comma-separated: export only these libraries (default: all)', listOf('--library'))
    .action(async (o, cmd: Command) => {
      const venv = projectPath('.venv', 'bin', 'python');
      const python = cmd.optsWithGlobals().python ?? process.env.SOFTMAX_CONFORMANCE_PYTHON ?? (existsSync(venv) ? venv : 'python3');
      if (o.device !== 'cpu' && o.device !== 'cuda') throw new UsageError(`--device must be cpu or cuda, got "${o.device}"`);
      // Before the libraries run (minutes for the whole set): an --out that cannot be written is exit 2 naming it.
      (await import('../report/output-dir.js')).prepareOutputDir(o.out, '--out', 'the goldens');
      const args = [projectPath('golden', 'export.py'), '--out', o.out, ...(o.date ? ['--date', o.date] : []), '--device', o.device,
        ...((o.library as string[] | undefined) ?? []).flatMap((l) => ['--library', l])];
      const { execa } = await import('execa');
      const r = await execa(python, args, { stdio: 'inherit', reject: false });
      if (r.failed && r.exitCode === undefined) throw new EnvironmentError(`cannot start ${python}: run golden/setup-venv.sh first (it installs the exporter's libraries into .venv)`);
      process.exitCode = r.exitCode === 0 ? 0 : 2;
    });
}
