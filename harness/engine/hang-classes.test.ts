// A candidate that hangs on one class of input: after repeated timeouts its remaining calls of that class are not
// sent (recorded as not run), calls of other classes still are, and a batch stops at the call that hung.
import { describe, expect, it } from 'vitest';
import { fromNumbers, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome, CallRequest, ImplementationWorker } from '../worker/types.js';
import { CallPlan } from './call-plan.js';
import { HangClasses, TIMEOUTS_TO_STOP } from './hang-classes.js';

const ofShape = (shape: number[], v: number): Tensor => fromNumbers('float64', shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(v));
const ok = (input: Tensor): CallOutcome => ({ kind: 'ok', output: input, numpyDtype: 'float64', mutated: false, captured: '', ms: 0 });
const timeout: CallOutcome = { kind: 'timeout', limitMs: 10 };

/** Times out (at once) on the inputs `hangs` picks; honours stopAfterTrouble like the process worker. */
function hangingWorker(hangs: (t: Tensor) => boolean): ImplementationWorker & { sent: Tensor[] } {
  const sent: Tensor[] = [];
  return {
    sent,
    importOutput: '',
    async call(requests: CallRequest[], opts?: { stopAfterTrouble?: boolean }): Promise<CallOutcome[]> {
      const out: CallOutcome[] = [];
      for (const r of requests) {
        sent.push(r.input);
        const o = hangs(r.input) ? timeout : ok(r.input);
        out.push(o);
        if (o.kind === 'timeout' && opts?.stopAfterTrouble) break;
      }
      return out;
    },
    close: async () => undefined,
  };
}

describe('HangClasses', () => {
  it(`gives a rank up after ${TIMEOUTS_TO_STOP} timeouts when no call of that rank returned`, () => {
    const h = new HangClasses();
    const a = ofShape([1, 1, 2], 0);
    h.note(a, timeout);
    expect(h.blocks(a)).toBeUndefined();
    h.note(a, timeout);
    expect(h.blocks(ofShape([3, 3, 3], 0))).toMatch(/^the candidate timed out on 2 rank-3 inputs/);
    expect(h.blocks(ofShape([2, 2], 0))).toBeUndefined();
  });
  it('a rank whose small inputs returned gives up only the sizes from the smallest that hung', () => {
    const h = new HangClasses();
    h.note(ofShape([1, 4], 0), ok(ofShape([1, 4], 0)));
    h.note(ofShape([64, 64], 0), timeout);
    h.note(ofShape([32, 64], 0), timeout);
    expect(h.blocks(ofShape([2, 2], 0))).toBeUndefined();
    expect(h.blocks(ofShape([64, 32], 0))).toMatch(/rank-2 inputs of 2048 elements or more/);
  });
  it('after one rank was given up, one timeout is enough for another', () => {
    const h = new HangClasses();
    h.note(ofShape([1, 1, 1], 0), timeout);
    h.note(ofShape([1, 1, 1], 0), timeout);
    h.note(ofShape([1, 1, 1, 1], 0), timeout);
    expect(h.blocks(ofShape([1, 1, 1, 1], 0))).toBeDefined();
  });
  it('a not-run outcome is no evidence either way', () => {
    const h = new HangClasses();
    const a = ofShape([2], 0);
    h.note(a, { kind: 'not-run', reason: 'x' });
    h.note(a, { kind: 'not-run', reason: 'x' });
    expect(h.blocks(a)).toBeUndefined();
  });
});

describe('CallPlan with a candidate that hangs on rank 3', () => {
  it('sends two rank-3 calls (each twice: a timeout is confirmed), answers the rest as not run, and still sends every other call', async () => {
    const plan = new CallPlan();
    const inputs = Array.from({ length: 40 }, (_, i) => (i % 2 ? ofShape([1, 2, 2], i) : ofShape([2, 2], i)));
    const slots = inputs.map((t) => plan.add(t, {}));
    const w = hangingWorker((t) => t.shape.length === 3);
    await plan.run(w, { batchSize: 8 });
    expect(w.sent.filter((t) => t.shape.length === 3)).toHaveLength(2 * TIMEOUTS_TO_STOP);
    expect(w.sent.filter((t) => t.shape.length === 2)).toHaveLength(20);
    const kinds = slots.map((s) => plan.outcome(s).kind);
    expect(kinds.filter((k) => k === 'timeout')).toHaveLength(TIMEOUTS_TO_STOP);
    expect(kinds.filter((k) => k === 'not-run')).toHaveLength(20 - TIMEOUTS_TO_STOP);
    expect(kinds.filter((k) => k === 'ok')).toHaveLength(20);
    const notRun = plan.outcome(slots[39]);
    expect(notRun.kind === 'not-run' && notRun.reason).toMatch(/not sent \(see timeout\)$/);
  });
});

describe('HangClasses, what it says and when', () => {
  it('names the count and the rank; a rank none of whose calls returned is given up whole', () => {
    const h = new HangClasses();
    h.note(ofShape([4, 4], 0), timeout);
    h.note(ofShape([8, 8], 0), timeout);
    expect(h.blocks(ofShape([1, 1], 0))).toBe('the candidate timed out on 2 rank-2 inputs, so the rest of them were not sent (see timeout)');
    h.note(ofShape([9, 9], 0), timeout);
    expect(h.blocks(ofShape([1, 1], 0))).toMatch(/^the candidate timed out on 3 rank-2 inputs,/);
  });

  it('the smallest size that hung is the bound, at it inputs are given up, and a rank-0 input is its own class', () => {
    const h = new HangClasses();
    h.note(ofShape([2], 0), ok(ofShape([2], 0)));
    h.note(ofShape([50], 0), timeout);
    h.note(ofShape([30], 0), timeout);
    h.note(ofShape([40], 0), timeout);
    expect(h.blocks(ofShape([29], 0))).toBeUndefined();
    expect(h.blocks(ofShape([30], 0))).toBe('the candidate timed out on 3 rank-1 inputs of 30 elements or more, so the rest of them were not sent (see timeout)');
    expect(h.blocks(ofShape([], 0))).toBeUndefined();
  });

  it('a call that returned after the rank was given up moves the bound it states, not the decision', () => {
    const h = new HangClasses();
    h.note(ofShape([10], 0), timeout);
    h.note(ofShape([10], 0), timeout);
    h.note(ofShape([3], 0), { kind: 'crash', exitCode: 1, signal: null, stderr: '' });
    expect(h.blocks(ofShape([2], 0))).toBeUndefined();
    expect(h.blocks(ofShape([10], 0))).toMatch(/rank-1 inputs of 10 elements or more/);
  });

  it('the one-timeout rule for further ranks starts only once a rank was given up, and counts it once', () => {
    const h = new HangClasses();
    h.note(ofShape([1, 1, 1], 0), timeout);
    h.note(ofShape([1, 1, 1, 1], 0), timeout);
    expect(h.blocks(ofShape([1, 1, 1], 0))).toBeUndefined(); // one timeout each: no rank given up yet
    expect(h.blocks(ofShape([1, 1, 1, 1], 0))).toBeUndefined();
    h.note(ofShape([1, 1, 1], 0), timeout);
    expect(h.blocks(ofShape([1, 1, 1], 0))).toBeDefined();
    expect(h.blocks(ofShape([1, 1, 1, 1], 0))).toBeDefined(); // now one is enough
    expect(h.blocks(ofShape([1, 1, 1, 1, 1], 0))).toBeUndefined(); // no timeout at rank 5
  });
});

describe('HangClasses, evidence', () => {
  it('a call not sent after the class was given up does not count as one that returned', () => {
    const h = new HangClasses();
    h.note(ofShape([10], 0), timeout);
    h.note(ofShape([10], 0), timeout);
    h.note(ofShape([50], 0), { kind: 'not-run', reason: 'x' });
    expect(h.blocks(ofShape([5], 0))).toBe('the candidate timed out on 2 rank-1 inputs, so the rest of them were not sent (see timeout)');
  });

  it('an empty input that returned is a size that returned (0 elements)', () => {
    const h = new HangClasses();
    h.note(ofShape([0], 0), ok(ofShape([0], 0)));
    h.note(ofShape([4], 0), timeout);
    h.note(ofShape([4], 0), timeout);
    expect(h.blocks(ofShape([2], 0))).toBeUndefined();
    expect(h.blocks(ofShape([4], 0))).toMatch(/rank-1 inputs of 4 elements or more/);
  });
});
