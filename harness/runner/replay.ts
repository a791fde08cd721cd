// Replaying a counterexample: the exact input and arguments from the report, sent to the same function again.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { RunReport } from '../model.js';
import { decodeTensorJson } from '../tensor/json-tensor.js';
import { isStartFailure, startWorker } from '../worker/index.js';
import { fmtTensor } from '../checks/format.js';
import { sanitizeTerminal } from '../cli/terminal.js';

export async function replayCase(report: RunReport, caseId: string, opts: { implementation?: string; python?: string }): Promise<{ output: string; stillFails: boolean }> {
  const hits = report.implementations.flatMap((impl) =>
    impl.checks.filter((c) => c.counterexample?.caseId === caseId && (!opts.implementation || impl.id === opts.implementation)).map((c) => ({ impl, check: c })));
  if (hits.length === 0) throw new UsageError(`no counterexample with case id "${caseId}" in the report${opts.implementation ? ` for ${opts.implementation}` : ''}`);
  const { impl, check } = hits[0];
  if (!impl.target) throw new UsageError(`the report does not say how to call ${impl.id} (no target)`);
  const ce = check.counterexample!;
  const input = decodeTensorJson(ce.input, 'report', `/counterexample/input`);
  const worker = await startWorker({
    language: impl.language,
    file: resolve(impl.target.file),
    functionName: impl.target.functionName,
    callStyle: impl.target.callStyle,
    timeoutMs: 30_000,
    memoryMb: 4096,
    python: opts.python,
  });
  if (isStartFailure(worker)) return { output: `cannot load ${impl.target.file}: ${sanitizeTerminal(worker.message)}\n`, stillFails: true };
  const w = worker;
  try {
    const [outcome] = await w.call([{ input, args: ce.args }]);
    const lines = [
      `${impl.id} — ${check.name} [${check.contract.rule}]: ${sanitizeTerminal(check.diagnosis)}`,
      `input:    ${fmtTensor(input, 64)}`,
      `args:     ${JSON.stringify(ce.args)}`,
      outcome.kind === 'ok' ? `now:      ${fmtTensor(outcome.output, 64)}` : `now:      ${outcome.kind}${'message' in outcome ? `: ${sanitizeTerminal(outcome.message)}` : ''}`,
      ce.actual ? `reported: ${fmtTensor(decodeTensorJson(ce.actual, 'report', '/counterexample/actual'), 64)}` : '',
      ce.expected ? `expected: ${fmtTensor(decodeTensorJson(ce.expected, 'report', '/counterexample/expected'), 64)}` : '',
      '',
      'Python reproduction:',
      ce.python,
      '',
    ].filter((l) => l !== '');
    const same = outcome.kind === 'ok' && ce.actual !== undefined &&
      JSON.stringify(decodeTensorJson(ce.actual, 'report', '').data) === JSON.stringify(outcome.output.data);
    return { output: `${lines.join('\n')}\n${same ? 'reproduced: the output is identical to the report\'s\n' : ''}`, stillFails: outcome.kind !== 'ok' || same };
  } finally {
    await w.close();
  }
}
