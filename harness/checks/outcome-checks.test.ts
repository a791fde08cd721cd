// The outcome families (crash, timeout, memory, output) judge how every call of a unit ended: the first call that
// ended badly fails the unit, naming what happened and on which input; a call never made leaves it unjudged.
import { describe, expect, it } from 'vitest';
import { fromNumbers } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';
import type { Unit } from '../engine/unit.js';
import { crashCheck, isOutcomeCheck, memoryCheck, outputCheck, timeoutCheck } from './outcome-checks.js';
import { ALL_CHECKS } from './registry.js';

const a = fromNumbers('float64', [2], [1, 2]);
const b = fromNumbers('float32', [1], [3]);
const probes = [{ input: a, args: {} }, { input: b, args: { axis: 0 } }];
const ok: CallOutcome = { kind: 'ok', output: a, numpyDtype: 'float64', mutated: false, captured: '', ms: 1 };
const raised: CallOutcome = { kind: 'raised', type: 'ValueError', message: 'no', traceback: '', captured: '', ms: 1 };
const crash: CallOutcome = { kind: 'crash', exitCode: 139, signal: null, stderr: 'boom' };
const killed: CallOutcome = { kind: 'crash', exitCode: null, signal: 'SIGKILL', stderr: '' };
const timeout: CallOutcome = { kind: 'timeout', limitMs: 250 };
const memory: CallOutcome = { kind: 'memory', limitMb: 64, stderr: '' };
const badOutput: CallOutcome = { kind: 'bad-output', problem: 'returned None', captured: '', ms: 1 };
const notRun: CallOutcome = { kind: 'not-run', reason: 'time budget used up' };

describe('outcome checks', () => {
  it('each fails on its own kind of ending only, naming it and the input of that call', () => {
    const table = [
      [crashCheck, crash, 'the process died (exit code 139) on [3] (float32)'],
      [crashCheck, killed, 'the process died (signal SIGKILL) on [3] (float32)'],
      [timeoutCheck, timeout, 'a call did not return within 250 ms on [3] (float32)'],
      [memoryCheck, memory, 'a call exceeded the 64 MiB memory cap on [3] (float32)'],
      [outputCheck, badOutput, 'returned None on [3] (float32)'],
    ] as const;
    for (const [check, bad, detail] of table) {
      const j = check.judgeAll(probes, [ok, bad]);
      expect(j, `${check.name}: ${bad.kind}`).toEqual({ status: 'fail', detail, evidence: { input: b, args: { axis: 0 }, error: detail.replace(/ on \[3\] \(float32\)$/, '') } });
      for (const other of [ok, raised, crash, timeout, memory, badOutput]) {
        if (other.kind === bad.kind) continue;
        expect(check.judgeAll(probes, [ok, other]).status, `${check.name} on ${other.kind}`).toBe('pass');
      }
    }
  });

  it('the first bad call is the one reported', () => {
    const j = crashCheck.judgeAll(probes, [killed, crash]);
    expect(j).toMatchObject({ status: 'fail', detail: 'the process died (signal SIGKILL) on [1, 2] (float64)' });
  });

  it('a call never made leaves the unit unjudged, unless a call made already failed', () => {
    expect(timeoutCheck.judgeAll(probes, [ok, notRun])).toEqual({ status: 'unjudged', detail: 'not run: time budget used up' });
    expect(timeoutCheck.judgeAll(probes, [notRun, timeout])).toMatchObject({ status: 'fail', detail: 'a call did not return within 250 ms on [3] (float32)' });
    expect(timeoutCheck.judgeAll(probes, [ok, ok])).toEqual({ status: 'pass' });
  });

  it('as checks: apply to every unit, probe the plain call, judge it, and diagnose by the first failure', () => {
    const unit = { case: { input: a }, args: { axis: -1 } } as unknown as Unit;
    for (const [check, family] of [[crashCheck, 'crash'], [timeoutCheck, 'timeout'], [memoryCheck, 'memory'], [outputCheck, 'output']] as const) {
      expect(check.name).toBe(family);
      expect(check.family).toBe(family);
      expect(check.description.length).toBeGreaterThan(10);
      expect(isOutcomeCheck(check)).toBe(true);
      expect(check.applies(unit, {} as never)).toBe(true);
      expect(check.probes(unit)).toEqual([{ input: a, args: { axis: -1 } }]);
      expect(check.diagnose([{ unit, detail: 'first' }, { unit, detail: 'second' }])).toBe('first');
    }
    expect(memoryCheck.judge(unit, [memory], {} as never)).toMatchObject({ status: 'fail', detail: 'a call exceeded the 64 MiB memory cap on [1, 2] (float64)', evidence: { args: { axis: -1 } } });
    expect(memoryCheck.judge(unit, [ok], {} as never)).toEqual({ status: 'pass' });
  });

  it('only the outcome checks observe every probe', () => {
    const outcome = ALL_CHECKS.filter(isOutcomeCheck).map((c) => c.name).sort();
    expect(outcome).toEqual(['crash', 'memory', 'output', 'timeout']);
  });
});
