// `reference`: the oracle as a command, correctly rounded, bit-exact file in and out.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { isOp, OPS } from '../ops.js';
import { parsePolicy } from './options.js';

export function registerReference(program: Command): void {
  program
    .command('reference')
    .description('compute the correctly rounded softmax, log-softmax or logsumexp of a tensor file (.npy or .json)')
    .requiredOption('--input <file>', 'input tensor, IN.npy or IN.json')
    .requiredOption('--axis <axis>', 'axis to normalise along (integer, negative allowed) or "all"')
    .option('--op <op>', 'softmax, log-softmax or logsumexp (which drops the reduced axes)', 'softmax')
    .option('--policy <policy>', 'special-value policy: ieee, limit, masked', parsePolicy, 'ieee')
    .requiredOption('--output <file>', 'output tensor, OUT.npy or OUT.json')
    .action(async (o) => {
      if (!isOp(o.op)) throw new UsageError(`--op must be one of ${OPS.join(', ')}, got "${o.op}"`);
      // Loaded on use: the oracle's tables are only needed by this command.
      const { runReferenceCommand } = await import('../../reference/command.js');
      await runReferenceCommand({ input: o.input, axis: o.axis, op: o.op, policy: o.policy, output: o.output });
    });
}
