// `audit FILE.py:FUNCTION --contract RULE` (or MODULE:FUNCTION, or a JavaScript file): is this one candidate right? Exit 0 conforms, 1 not, 2 error.
// What the command runs is imported by its action (here and in every *-command.ts), so a command loads only its own code.
import type { Command } from 'commander';
import { isDType, type DType } from '../tensor/dtype.js';
import { UsageError } from '../errors.js';
import { isOp, OPS, type Op } from '../ops.js';
import { commandLine, DEFAULT_PROFILE, defaultJobs, parseIntOption, listOf, parsePolicy, parseRule, parseSandboxMode, parseShard, REPORTER_NAMES, reportersOption, REQUIRE_SANDBOX_HELP, SANDBOX_HELP, sandboxModeOf } from './options.js';
import { CALL_STYLES, type CallStyle } from '../worker/types.js';
import { DEVICE_HELP, FRAMEWORK_HELP, frameworkLacks, parseFrameworkDevice } from '../runner/framework-option.js';

// Repeatable: each use adds a folder (no default value, so --help shows no JSON array).
const collect = (v: string, all: string[] | undefined): string[] => [...(all ?? []), v];

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('audit one candidate softmax: generated and adversarial inputs, every check, shrunk counterexamples')
    .argument('<target>', 'FILE.py:FUNCTION, FILE.{mjs,js,cjs,ts,mts,cts}[:EXPORT] (default export when omitted), or MODULE:FUNCTION, a function of an installed Python module (scipy.special:softmax). An existing path, or a name ending .py/.js/..., is a file; a dotted name that is not an existing path is a module')
    .requiredOption('--contract <rule>', 'axis rule the candidate claims: last, first, all, first-non-singleton, axis-arg, coerce-2d', parseRule)
    .option('--call <style>', 'how to call it: x (f(x)), x-axis (f(x, axis=A)), x-theta-axis (f(x, theta=T, axis=A)); default x, or x-axis for axis-arg')
    .option('--also-last', 'also judge it under `last`, the frameworks\' convention', false)
    .option('--python-path <dir>', 'Python candidates: a folder to put first on the import path, for MODULE:FUNCTION targets that are not installed (repeatable; bound read-only in the sandbox; the working folder is not on the path unless named)', collect)
    .option('--js-input <form>', 'JavaScript candidates: the input form: auto (probe), tensor ({dtype, shape, data}), array (nested number arrays), typed, typed-shape, tfjs', 'auto')
    .option('--json', 'print one JSON report on stdout', false)
    .option('--num-runs <n>', 'generated cases', parseIntOption('num-runs'), 300)
    .option('--seed <n>', 'seed for generated cases', parseIntOption('seed'), 42)
    .option('--max-elements <n>', 'element budget per generated case (long slices, large batches)', parseIntOption('max-elements', 1), 2 ** 20)
    .option('--op <op>', 'the function the candidate computes: softmax, log-softmax or logsumexp (log(sum(exp(x))) over the contract\'s axes)', 'softmax')
    .option('--dtype <list>', 'comma-separated dtypes to generate: float64,float32,float16,bfloat16,int32,int64 (bfloat16 needs ml_dtypes in the candidate\'s Python)', listOf('--dtype'))
    .option('--profile <name>', 'tolerance profile', DEFAULT_PROFILE)
    .option('--policy <policy>', 'special-value policy: ieee, limit, masked', parsePolicy, 'ieee')
    .option('--strict-domain', 'an exception on any input is a failure (not a rejection)', false)
    .option('--timeout <ms>', 'per-call timeout in ms', parseIntOption('timeout', 1), 10_000)
    .option('--budget <s>', 'time budget per implementation, seconds: calls left when it runs out are reported as not run', parseIntOption('budget', 1), 120)
    .option('--framework <name>', FRAMEWORK_HELP, 'numpy')
    .option('--device <device>', DEVICE_HELP)
    .option('--sandbox <mode>', SANDBOX_HELP, parseSandboxMode, 'auto')
    .option('--require-sandbox', REQUIRE_SANDBOX_HELP, false)
    .option('--memory <mib>', 'memory cap for the candidate process, MiB', parseIntOption('memory', 64), 4096)
    .option('--reports <dir>', `also write the reports that run writes (${REPORTER_NAMES.join(', ')}) into this folder`)
    .addOption(reportersOption(`with --reports, comma-separated: ${REPORTER_NAMES.join(', ')}`))
    .option('--jobs <n>', 'candidate workers to split the cases across; the report is the same for any n (default: one per 1,000 generated cases, at most the number of cores)', parseIntOption('jobs', 1))
    .option('--shard <k/n>', 'judge only the k-th of n deterministic shares of the cases; combine the n reports with `merge`', parseShard)
    .option('--shrink-seconds <s>', 'time budget for shrinking each failure', parseIntOption('shrink-seconds', 1), 10)
    .option('--watch', 're-audit on every save of the candidate\'s file (same seed) and print only what changed; Ctrl-C stops with the last audit\'s exit code', false)
    .action(async (target: string, o, cmd: Command) => {
      const unknown = (o.reporters as string[]).filter((r) => !(REPORTER_NAMES as readonly string[]).includes(r));
      if (unknown.length) throw new UsageError(`unknown reporter ${unknown.join(', ')}; choose from ${REPORTER_NAMES.join(', ')}`);
      if (o.call && !(CALL_STYLES as readonly string[]).includes(o.call)) throw new UsageError(`--call must be one of ${CALL_STYLES.join(', ')}, got "${o.call}"`);
      const FORMS = ['auto', 'tensor', 'array', 'typed', 'typed-shape', 'tfjs'];
      if (!FORMS.includes(o.jsInput)) throw new UsageError(`--js-input must be one of ${FORMS.join(', ')}, got "${o.jsInput}"`);
      if (!isOp(o.op)) throw new UsageError(`--op must be one of ${OPS.join(', ')}, got "${o.op}"`);
      const dtypes: DType[] | undefined = o.dtype?.map((d: string) => {
        if (!isDType(d) || d === 'bool') throw new UsageError(`--dtype: unknown dtype "${d}"`);
        return d;
      });
      const { framework, device } = parseFrameworkDevice(o.framework, o.device);
      const lacking = dtypes?.filter((d) => frameworkLacks(framework).includes(d)) ?? [];
      if (lacking.length) throw new UsageError(`--framework ${framework} has no ${lacking.join(', ')} tensors: leave ${lacking.join(', ')} out of --dtype`);
      const opts = {
        target,
        framework,
        device,
        contract: o.contract,
        op: o.op as Op,
        call: o.call as CallStyle | undefined,
        alsoLast: o.alsoLast,
        numRuns: o.numRuns,
        seed: o.seed,
        maxElements: o.maxElements,
        dtypes,
        profile: o.profile,
        policy: o.policy,
        strictDomain: o.strictDomain,
        timeoutMs: o.timeout,
        budgetMs: o.budget * 1000,
        memoryMb: o.memory,
        sandbox: sandboxModeOf(o),
        python: cmd.optsWithGlobals().python,
        pythonPath: (o.pythonPath as string[] | undefined) ?? [],
        convention: o.jsInput,
        shrinkSeconds: o.shrinkSeconds,
        jobs: (o.jobs as number | undefined) ?? defaultJobs(o.numRuns),
        shard: o.shard,
        command: commandLine(),
      };
      if (o.watch) return (await import('./watch.js')).watchAudit(opts, { json: o.json, reports: o.reports });
      // A reports folder that cannot be written ends the command before the candidate starts (exit 2).
      if (o.reports) (await import('../report/output-dir.js')).prepareOutputDir(o.reports, '--reports');
      // The candidate's interpreter starts and the cases are drawn (in a thread) while the rest loads.
      const { startAudit } = await import('../runner/audit-start.js');
      const head = startAudit(opts);
      const [{ runAudit }, { progressCallback }] = await Promise.all([import('../runner/audit.js'), import('./progress.js')]);
      const progress = progressCallback(!o.json && Boolean(process.stderr.isTTY));
      const report = await runAudit({ ...opts, onProgress: (done, total) => progress.update(done, total, 'cases') }, head);
      progress.done();
      // The same files as run's, from the same reporters, so CI handles an audit like a run.
      const written = o.reports ? (await import('../report/index.js')).writeReports(report, o.reports, o.reporters) : [];
      if (o.json) {
        const { renderJson } = await import('../report/json.js');
        process.stdout.write(`${renderJson(report)}\n`);
      } else {
        const { renderAuditText } = await import('./audit-text.js');
        process.stdout.write(renderAuditText(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
        if (written.length) process.stdout.write(`\nreports: ${written.join(', ')}\n`);
      }
      const { exitCodeOf, unjudgedLine } = await import('./exit-code.js');
      if (o.json) process.stderr.write(unjudgedLine(report)); // the text report says it already
      process.exitCode = exitCodeOf(report.verdict);
    });
}
