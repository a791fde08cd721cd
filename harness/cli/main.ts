// The softmax-conformance command line. Each command lives in its own module; this file only wires them.
// Exit codes (DESIGN.md): 0 conforms / as expected, 1 a conformance regression, 2 usage, data or environment error.
import { Command, CommanderError, Option } from 'commander';
import { EXIT_USAGE_OR_DATA, exitCodeOf } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { registerRun } from './run-command.js';
import { registerAudit } from './audit-command.js';
import { registerCompare } from './compare-command.js';
import { registerReference } from './reference-command.js';
import { registerGolden } from './golden-command.js';
import { registerReplay } from './replay-command.js';
import { registerMerge } from './merge-command.js';
import { sanitizeTerminal } from './terminal.js';

const program = new Command('softmax-conformance')
  .description('Differential conformance testing for softmax implementations: runs real code against a correctly rounded oracle and library goldens.')
  .version(TOOL_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
program.addOption(new Option('--python <path>', 'Python interpreter with NumPy (default: $SOFTMAX_CONFORMANCE_PYTHON or python3)'));

registerRun(program);
registerAudit(program);
registerCompare(program);
registerReference(program);
registerGolden(program);
registerReplay(program);
registerMerge(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end through here with exit code 0; every other commander error is bad usage.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE_OR_DATA);
  }
  process.stderr.write(`softmax-conformance: ${sanitizeTerminal((err as Error).message)}\n`);
  if (process.env.SOFTMAX_CONFORMANCE_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(exitCodeOf(err));
}
