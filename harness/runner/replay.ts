// Replaying a counterexample: the exact input and arguments from the report, sent to the same function again, and
// judged again by what the failing check's family asks (within tolerance of the oracle, input unchanged, the same
// twice, the dtype, the shape), so that after a fix it says "now conforms" and exits 0.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { CheckResult, RunReport } from '../model.js';
import { decodeTensorJson } from '../tensor/json-tensor.js';
import { isStartFailure, startWorker } from '../worker/index.js';
import { fmtTensor } from '../checks/format.js';
import { sanitizeTerminal } from '../cli/terminal.js';
import { reduceAxes } from '../contracts.js';
import { getProfile } from '../tolerance/profiles.js';
import { compareToOracle } from '../tolerance/profiles.js';
import { isFloatDType, resultDType } from '../tensor/dtype.js';
import { bitwiseEqual, type Tensor } from '../tensor/tensor.js';
import { inExpectedDtype, sameShape } from '../checks/outcome.js';
import type { CallOutcome } from '../worker/types.js';
import { reproduction } from '../report/summary.js';
import { sandboxLine } from '../report/sandbox-line.js';
import type { SandboxMode } from '../worker/sandbox.js';

/** Whether the new outcome still shows the defect the check reported, and why (one line). */
export function judgeReplay(
  check: CheckResult,
  input: Tensor,
  expected: Tensor | undefined,
  axes: number[],
  profileName: string,
  outcome: CallOutcome,
  again?: CallOutcome,
): { conforms: boolean; why: string } {
  if (outcome.kind !== 'ok') return { conforms: false, why: `the call ended with ${outcome.kind}${'message' in outcome && outcome.message ? `: ${outcome.message}` : ''}` };
  const out = outcome.output;
  switch (check.family) {
    case 'mutation':
      return outcome.mutated ? { conforms: false, why: 'the call still changes its input' } : { conforms: true, why: 'the input is left unchanged' };
    case 'determinism':
      if (again?.kind !== 'ok') return { conforms: false, why: `the second call ended with ${again?.kind ?? 'nothing'}` };
      return bitwiseEqual(out, again.output) ? { conforms: true, why: 'two identical calls give identical results' } : { conforms: false, why: 'two identical calls still differ' };
    case 'dtype': {
      const want = resultDType(input.dtype);
      const got = outcome.numpyDtype ?? out.dtype;
      return got === want ? { conforms: true, why: `returns ${got}` } : { conforms: false, why: `returns ${got}, expected ${want}` };
    }
  }
  if (!sameShape(out.shape, input.shape)) return { conforms: false, why: `returns shape [${out.shape.join(', ')}] for input of shape [${input.shape.join(', ')}]` };
  if (!expected || !isFloatDType(expected.dtype)) return { conforms: true, why: 'returns a result of the input\'s shape' };
  const cmp = compareToOracle(inExpectedDtype(out, input), expected, { input, axes }, getProfile(profileName));
  if (cmp.pass) return { conforms: true, why: `every element is within the ${profileName} profile's tolerance of the correctly rounded result` };
  const w = cmp.worst;
  return { conforms: false, why: `${cmp.failing} element(s) out of tolerance${w ? `, e.g. ${w.actual} where the correctly rounded value is ${w.expected}` : ''}` };
}

export async function replayCase(report: RunReport, caseId: string, opts: { implementation?: string; python?: string; sandbox?: SandboxMode }): Promise<{ output: string; stillFails: boolean }> {
  const hits = report.implementations.flatMap((impl) =>
    impl.checks.filter((c) => c.counterexample?.caseId === caseId && (!opts.implementation || impl.id === opts.implementation)).map((c) => ({ impl, check: c })));
  if (hits.length === 0) throw new UsageError(`no counterexample with case id "${caseId}" in the report${opts.implementation ? ` for ${opts.implementation}` : ''}`);
  const { impl, check } = hits[0];
  if (!impl.target) throw new UsageError(`the report does not say how to call ${impl.id} (no target)`);
  const ce = check.counterexample!;
  const input = decodeTensorJson(ce.input, 'report', `/counterexample/input`);
  const expected = ce.expected ? decodeTensorJson(ce.expected, 'report', '/counterexample/expected') : undefined;
  const t = impl.target;
  // A module target is imported again by name (from the same --python-path folders), not from the file it loaded from.
  const worker = await startWorker({
    language: impl.language,
    file: t.module ? '' : resolve(t.file),
    ...(t.module ? { module: t.module } : {}),
    ...(t.pythonPath?.length ? { pythonPath: t.pythonPath } : {}),
    functionName: t.functionName,
    callStyle: t.callStyle,
    ...(t.framework ? { framework: t.framework } : {}),
    ...(t.device ? { device: t.device } : {}),
    timeoutMs: 30_000,
    memoryMb: 4096,
    python: opts.python,
    sandbox: opts.sandbox,
  });
  if (isStartFailure(worker)) return { output: `cannot load ${t.module ?? t.file}: ${sanitizeTerminal(worker.message)}\n`, stillFails: true };
  const w = worker;
  try {
    const calls = check.family === 'determinism' ? [{ input, args: ce.args }, { input, args: ce.args }] : [{ input, args: ce.args }];
    const [outcome, again] = await w.call(calls);
    const axes = reduceAxes(check.contract.rule, input.shape, ce.args.axis);
    const verdict = judgeReplay(check, input, expected, axes, report.settings.profile, outcome, again);
    const repro = reproduction(ce);
    const lines = [
      sandboxLine(w.sandbox),
      `${impl.id} — ${check.name} [${check.contract.rule}]: ${sanitizeTerminal(check.diagnosis)}`,
      `input:    ${fmtTensor(input, 64)}`,
      `args:     ${JSON.stringify(ce.args)}`,
      outcome.kind === 'ok' ? `now:      ${fmtTensor(outcome.output, 64)}` : `now:      ${outcome.kind}${'message' in outcome ? `: ${sanitizeTerminal(outcome.message)}` : ''}`,
      ce.actual ? `reported: ${fmtTensor(decodeTensorJson(ce.actual, 'report', '/counterexample/actual'), 64)}` : '',
      expected ? `expected: ${fmtTensor(expected, 64)}` : '',
      '',
      `${repro.language === 'python' ? 'Python' : 'JavaScript'} reproduction:`,
      repro.code,
      '',
    ].filter((l) => l !== '');
    const same = outcome.kind === 'ok' && ce.actual !== undefined &&
      JSON.stringify(decodeTensorJson(ce.actual, 'report', '').data) === JSON.stringify(outcome.output.data);
    const last = verdict.conforms
      ? `now conforms: ${sanitizeTerminal(verdict.why)}`
      : `still fails: ${sanitizeTerminal(verdict.why)}${same ? ' (the output is identical to the report\'s)' : ''}`;
    return { output: `${lines.join('\n')}\n${last}\n`, stillFails: !verdict.conforms };
  } finally {
    await w.close();
  }
}
