// `replay REPORT.json CASE`: run a reported counterexample again, exactly, and show both outputs.
import type { Command } from 'commander';
import { parseSandboxMode, REQUIRE_SANDBOX_HELP, SANDBOX_HELP, sandboxModeOf } from './options.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-run one counterexample of a report (by its case id, e.g. generated/42/17 or discussion/x2) and print the outcome')
    .argument('<report>', 'a report.json written by run or audit')
    .argument('<case>', 'the counterexample\'s caseId')
    .option('--implementation <id>', 'which implementation, when several have that case')
    // The replayed candidate is as untrusted as the audited one: the same sandbox choice, the same gate.
    .option('--sandbox <mode>', SANDBOX_HELP, parseSandboxMode, 'auto')
    .option('--require-sandbox', REQUIRE_SANDBOX_HELP, false)
    .action(async (reportPath: string, caseId: string, o, cmd: Command) => {
      const sandbox = sandboxModeOf(o);
      const [{ loadReport }, { replayCase }] = await Promise.all([import('../report/compare.js'), import('../runner/replay.js')]);
      const text = await replayCase(loadReport(reportPath), caseId, { implementation: o.implementation, python: cmd.optsWithGlobals().python, sandbox });
      process.stdout.write(text.output);
      process.exitCode = text.stillFails ? 1 : 0;
    });
}
