// `replay REPORT.json CASE`: run a reported counterexample again, exactly, and show both outputs.
import type { Command } from 'commander';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-run one counterexample of a report (by its case id, e.g. generated/42/17 or discussion/x2) and print the outcome')
    .argument('<report>', 'a report.json written by run or audit')
    .argument('<case>', 'the counterexample\'s caseId')
    .option('--implementation <id>', 'which implementation, when several have that case')
    .action(async (reportPath: string, caseId: string, o, cmd: Command) => {
      const [{ loadReport }, { replayCase }] = await Promise.all([import('../report/compare.js'), import('../runner/replay.js')]);
      const text = await replayCase(loadReport(reportPath), caseId, { implementation: o.implementation, python: cmd.optsWithGlobals().python });
      process.stdout.write(text.output);
      process.exitCode = text.stillFails ? 1 : 0;
    });
}
