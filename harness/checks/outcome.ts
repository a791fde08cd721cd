// Shared first steps of judging: turn a call outcome that is not a usable array into the right judgement,
// and bring a usable output to the dtype the contract expects so values can be compared.
import { resultDType } from '../tensor/dtype.js';
import { describeShape, fromNumbers, numbersOf, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';
import { fmtInput } from './format.js';
import type { Judgement, JudgeContext, Probe } from './check.js';

export type Usable = { ok: true; output: Tensor } | { ok: false; judgement: Judgement };

/** The output if the call returned an array of the input's shape; otherwise the judgement this case gets. */
export function usableOutput(outcome: CallOutcome, probe: Probe, ctx: JudgeContext, strictShape = true): Usable {
  const { input, args } = probe;
  switch (outcome.kind) {
    case 'ok':
      break;
    case 'raised': {
      const exception = `${outcome.type}${outcome.message ? `: ${firstLine(outcome.message)}` : ''}`;
      const text = `raised ${exception}`;
      return ctx.mayReject(input)
        ? { ok: false, judgement: { status: 'rejected', detail: text } }
        : { ok: false, judgement: { status: 'fail', detail: `${text} on ${fmtInput(input)}, an ordinary input it must support`, evidence: { input, args, error: text }, raised: exception } };
    }
    case 'bad-output':
      return { ok: false, judgement: { status: 'unjudged', detail: `not judged: ${outcome.problem} (see output)` } };
    case 'timeout':
      return { ok: false, judgement: { status: 'unjudged', detail: `not judged: the call timed out after ${outcome.limitMs} ms (see timeout)` } };
    case 'crash':
      return { ok: false, judgement: { status: 'unjudged', detail: outcome.device ? `not judged: ${outcome.device} (see crash)` : 'not judged: the process crashed (see crash)' } };
    case 'memory':
      return { ok: false, judgement: { status: 'unjudged', detail: outcome.device ? `not judged: ${outcome.device} (see memory)` : `not judged: the call exceeded the ${outcome.limitMb} MiB memory cap (see memory)` } };
    case 'not-run':
      return { ok: false, judgement: { status: 'unjudged', detail: `not run: ${outcome.reason}` } };
  }
  const out = outcome.output;
  if (strictShape && !sameShape(out.shape, input.shape)) {
    return {
      ok: false,
      judgement: { status: 'unjudged', detail: `not judged: returned shape ${describeShape(out.shape)} for input ${describeShape(input.shape)} (see rank)` },
    };
  }
  return { ok: true, output: out };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** The output's values in the dtype the contract expects for this input (exact when widening). */
export function inExpectedDtype(output: Tensor, input: Tensor): Tensor {
  const want = resultDType(input.dtype);
  return output.dtype === want ? output : fromNumbers(want, output.shape, numbersOf(output));
}

export function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
