// `softmax-conformance reference`: the oracle on a tensor file, written in the input's float dtype (integers and
// bool give float64), bit-exact (.npy, or .json with NaN / inf / -0 spelled out).
import { reduceAxes, type Policy } from '../harness/contracts.js';
import { UsageError } from '../harness/errors.js';
import { readTensorFile, writeTensorFile } from '../harness/tensor/io.js';
import { resultDType } from '../harness/tensor/dtype.js';
import type { Op } from '../harness/ops.js';
import { logsumexpOracle } from './logsumexp.js';
import { oracle } from './softmax.js';

/** `--axis`: an integer (negative counts from the end) or "all"; rank 0 has no axes (its element is its slice). */
export function parseAxisOption(axis: string, shape: readonly number[]): number[] {
  const a = axis.trim();
  if (a === 'all') return reduceAxes('all', shape);
  if (!/^[+-]?\d+$/.test(a)) throw new UsageError(`--axis must be an integer or "all", got "${axis}"`);
  try {
    return reduceAxes('axis-arg', shape, Number(a));
  } catch {
    throw new UsageError(`--axis ${a} is out of range for an input of rank ${shape.length}`);
  }
}

export async function runReferenceCommand(opts: { input: string; axis: string; op: Op; policy: Policy; output: string }): Promise<void> {
  const x = readTensorFile(opts.input);
  const axes = parseAxisOption(opts.axis, x.shape);
  // logsumexp drops the reduced axes (keepdims=False) and has one special-value rule for every policy
  const y = opts.op === 'logsumexp' ? logsumexpOracle(x, axes) : oracle(x, axes, { op: opts.op, policy: opts.policy, outDtype: resultDType(x.dtype) });
  writeTensorFile(opts.output, y);
}
