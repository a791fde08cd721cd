// Families about how a call ended rather than what it returned: crash, timeout, memory, output.
// They look at every call the unit made (the engine hands them all outcomes), so a crash in any probe is seen.
import type { CallOutcome } from '../worker/types.js';
import type { Check, Judgement, Probe } from './check.js';
import { fmtInput } from './format.js';
import { primaryProbe } from './check.js';

export interface OutcomeCheck extends Omit<Check, 'probes' | 'judge'> {
  observesAllProbes: true;
  judgeAll(probes: Probe[], outcomes: CallOutcome[]): Judgement;
  probes: Check['probes'];
  judge: Check['judge'];
}

function outcomeCheck(
  name: 'crash' | 'timeout' | 'memory' | 'output',
  description: string,
  describe: (o: CallOutcome) => string | undefined,
): OutcomeCheck {
  const judgeAll = (probes: Probe[], outcomes: CallOutcome[]): Judgement => {
    for (let i = 0; i < outcomes.length; i++) {
      const what = describe(outcomes[i]);
      if (what) {
        return { status: 'fail', detail: `${what} on ${fmtInput(probes[i].input)}`, evidence: { input: probes[i].input, args: probes[i].args, error: what } };
      }
    }
    // A call never made (time budget, a class of input that hangs) shows nothing about how calls end.
    const notRun = outcomes.find((o) => o.kind === 'not-run');
    if (notRun) return { status: 'unjudged', detail: `not run: ${notRun.reason}` };
    return { status: 'pass' };
  };
  return {
    name,
    family: name,
    description,
    observesAllProbes: true,
    applies: () => true,
    probes: (unit) => [primaryProbe(unit)],
    judge: (unit, outcomes) => judgeAll([primaryProbe(unit)], outcomes),
    judgeAll,
    diagnose: (failures) => failures[0].detail,
  };
}

export const crashCheck = outcomeCheck('crash', 'the process must not die during a call', (o) => {
  if (o.kind !== 'crash') return undefined;
  if (o.protocolError) return `the process broke the worker protocol (${o.protocolError})`;
  if (o.device) return o.device;
  return `the process died (${o.signal ? `signal ${o.signal}` : `exit code ${o.exitCode}`})`;
});

export const timeoutCheck = outcomeCheck('timeout', 'every call must return within the per-call timeout', (o) =>
  o.kind === 'timeout' ? `a call did not return within ${o.limitMs} ms` : undefined);

export const memoryCheck = outcomeCheck('memory', 'a call must stay within the memory cap', (o) =>
  o.kind === 'memory' ? (o.device ?? `a call exceeded the ${o.limitMb} MiB memory cap`) : undefined);

export const outputCheck = outcomeCheck('output', 'the function must return a real NumPy array (not None, a list, complex values...)', (o) =>
  o.kind === 'bad-output' ? o.problem : undefined);

export function isOutcomeCheck(c: Check | OutcomeCheck): c is OutcomeCheck {
  return (c as OutcomeCheck).observesAllProbes === true;
}
