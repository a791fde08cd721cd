// `run`: the main job (CI gate). Writes reports/ and exits 0 (conforms or fails as expected) or 1 (regression).
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { prepareOutputDir } from '../report/output-dir.js';
import { commandLine, DEFAULT_PROFILE, optionWithDefault, parseIntOption, listOf, parsePolicy, parseShard, REPORTER_NAMES, reportersOption, parseSandboxMode, REQUIRE_SANDBOX_HELP, SANDBOX_HELP, sandboxModeOf } from './options.js';
import { projectPath } from '../paths.js';
import { UsageError } from '../errors.js';
import { sanitizeTerminal } from './terminal.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run every registered implementation under every contract it claims (and `last`), write reports/')
    .addOption(optionWithDefault('--manifest <file>', 'implementations manifest', projectPath('implementations', 'manifest.json'), "the package's implementations/manifest.json"))
    .option('--profile <name>', 'tolerance profile (exact, strict, framework, loose)', DEFAULT_PROFILE)
    .option('--policy <policy>', 'special-value policy: ieee, limit, masked', parsePolicy, 'ieee')
    .option('--seed <n>', 'seed for generated cases', parseIntOption('seed'), 20161127)
    .option('--num-runs <n>', 'number of generated cases', parseIntOption('num-runs'), 60)
    .option('--max-elements <n>', 'element budget per generated case (long slices, large batches)', parseIntOption('max-elements', 1), 2 ** 20)
    .option('--only <ids>', 'comma-separated implementation ids', listOf('--only'))
    .option('--shard <k/n>', 'run the k-th of n deterministic shares of the implementations', parseShard)
    .option('--timeout <ms>', 'per-call timeout in ms', parseIntOption('timeout', 1), 10_000)
    .option('--budget <s>', 'time budget per implementation, seconds: calls left when it runs out are reported as not run', parseIntOption('budget', 1), 120)
    .option('--start-timeout <ms>', 'how long loading an implementation may take, ms', parseIntOption('start-timeout', 1), 180_000)
    .option('--sandbox <mode>', SANDBOX_HELP, parseSandboxMode, 'auto')
    .option('--require-sandbox', REQUIRE_SANDBOX_HELP, false)
    .option('--require-all', 'every selected row must run: a row skipped because its library or a device is missing here makes the run exit 2 (a CI gate whose environment must have every library)', false)
    .option('--memory <mib>', 'memory cap per implementation process, MiB', parseIntOption('memory', 64), 4096)
    .addOption(optionWithDefault('--parallel <n>', 'implementations evaluated at once', availableParallelism(), 'the number of cores', parseIntOption('parallel', 1)))
    .option('--strict-domain', 'an exception on any input is a failure (not a rejection)', false)
    .addOption(optionWithDefault('--reports <dir>', 'where to write the reports', projectPath('reports'), "the package's reports/"))
    .addOption(reportersOption())
    .option('--baseline <report.json>', 'compare with this earlier report and fail on new failures (read before the run: a missing or broken one exits 2)')
    .action(async (o, cmd: Command) => {
      const unknown = (o.reporters as string[]).filter((r) => !(REPORTER_NAMES as readonly string[]).includes(r));
      if (unknown.length) throw new UsageError(`unknown reporter ${unknown.join(', ')}; choose from ${REPORTER_NAMES.join(', ')}`);
      const [{ runConformance }, { writeReports }, { renderConsole }, { runProgress }] = await Promise.all([
        import('../runner/run.js'),
        import('../report/index.js'),
        import('../report/console.js'),
        import('./progress.js'),
      ]);
      const globals = cmd.optsWithGlobals();
      // Before anything runs: a baseline that is missing or broken ends the command here (exit 2).
      const baselines = o.baseline ? await import('./baseline.js') : undefined;
      const baseline = baselines?.loadBaseline(o.baseline, o.reports, { profile: o.profile, policy: o.policy });
      // Before anything runs, too: a reports folder that cannot be written (exit 2).
      prepareOutputDir(o.reports, '--reports');
      const progress = runProgress(Boolean(process.stderr.isTTY));
      // SIGINT/SIGTERM: stop, write what is finished as a report marked incomplete, exit non-zero.
      const abort = new AbortController();
      const onSignal = (sig: NodeJS.Signals) => {
        if (abort.signal.aborted) process.exit(130);
        process.stderr.write(`\n${sig}: stopping; writing a partial report marked incomplete (again to quit at once)\n`);
        abort.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const report = await runConformance({
        manifest: o.manifest,
        profile: o.profile,
        policy: o.policy,
        seed: o.seed,
        numRuns: o.numRuns,
        maxElements: o.maxElements,
        only: o.only,
        shard: o.shard,
        python: globals.python,
        timeoutMs: o.timeout,
        budgetMs: o.budget * 1000,
        startTimeoutMs: o.startTimeout,
        memoryMb: o.memory,
        sandbox: sandboxModeOf(o),
        strictDomain: o.strictDomain,
        parallel: o.parallel,
        command: commandLine(),
        signal: abort.signal,
        onImplementationStart: (id, requires) => progress.start(id, requires),
        onImplementation: (done, total, id, r) => progress.finish(done, total, id, r.verdict, r.status === 'ran' ? undefined : r.statusDetail?.replace(/^skipped:\s*/, '') ?? r.status),
      });
      progress.done();
      const written = writeReports(report, o.reports, o.reporters);
      process.stdout.write(renderConsole(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
      process.stdout.write(`\nreports: ${written.map((f) => join(f)).join(', ')}\n`);
      const { exitCodeOf, skippedRows, unjudgedLine } = await import('./exit-code.js');
      if (report.verdict === 'incomplete') {
        process.exitCode = exitCodeOf('incomplete');
        process.exit(exitCodeOf('incomplete'));
      }
      process.stderr.write(unjudgedLine(report));
      let exit = exitCodeOf(report.verdict);
      // A run that could not judge stays exit 2 whatever the baseline says; otherwise a new failure makes it 1.
      if (baselines && baseline && exit !== 2) exit = Math.max(exit, baselines.compareWithBaseline(baseline, report, o.reports));
      const skipped = o.requireAll ? skippedRows(report) : [];
      if (skipped.length) {
        // A failure found stays exit 1; otherwise the rows that did not run make the gate's answer "could not judge".
        process.stderr.write(`softmax-conformance: --require-all: ${skipped.length} row${skipped.length === 1 ? '' : 's'} did not run:\n${skipped.map((l) => `  ${sanitizeTerminal(l)}\n`).join('')}`);
        if (exit === 0) exit = 2;
      }
      process.exitCode = exit;
    });
}
