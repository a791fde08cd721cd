// CallPlan.run with a fake worker: every registered call is made once and in order, calls registered while the
// plan runs are made too, a batch goes out as soon as the previous one is back (not after the caller's work), and
// past the budget every remaining call, planned later or not, is recorded as not run.
import { describe, expect, it } from 'vitest';
import { fromNumbers, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome, CallRequest, ImplementationWorker } from '../worker/types.js';
import { CallPlan } from './call-plan.js';

const tensor = (v: number): Tensor => fromNumbers('float64', [1], [v]);

/** A worker that answers each call with its input after `ms`, and logs what it was sent and when. */
function fakeWorker(ms = 0): ImplementationWorker & { batches: number[][]; sentAt: number[] } {
  const batches: number[][] = [];
  const sentAt: number[] = [];
  return {
    batches,
    sentAt,
    importOutput: '',
    async call(requests: CallRequest[]): Promise<CallOutcome[]> {
      batches.push(requests.map((r) => r.input.data[0] as number));
      sentAt.push(performance.now());
      await new Promise((r) => setTimeout(r, ms));
      return requests.map((r) => ({ kind: 'ok', output: r.input, numpyDtype: 'float64', mutated: false, captured: '', ms: 0 }));
    },
    close: async () => undefined,
  };
}

describe('CallPlan.run', () => {
  it('makes each distinct call once, in slot order, in batches that start small', async () => {
    const plan = new CallPlan();
    const slots = [1, 2, 2, 3, 1, 4, 5, 6, 7, 8, 9, 10].map((v) => plan.add(tensor(v), {}));
    expect(plan.size).toBe(10);
    const w = fakeWorker();
    await plan.run(w, { batchSize: 4 });
    expect(w.batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Math.max(...w.batches.map((b) => b.length))).toBe(4);
    slots.forEach((s) => expect(plan.outcome(s).kind).toBe('ok'));
  });

  it('makes the calls that refill registers, including the last ones a refill adds as it runs out', async () => {
    const plan = new CallPlan();
    let next = 0;
    // Each refill adds three calls; the last one adds them and says there is nothing further.
    const refill = (): boolean => {
      if (next < 9) for (let i = 0; i < 3; i++) plan.add(tensor(next++), {});
      return next < 9;
    };
    const w = fakeWorker();
    await plan.run(w, { batchSize: 2, refill });
    expect(w.batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (let s = 0; s < 9; s++) expect(plan.outcome(s).kind).toBe('ok');
  });

  it('sends the next batch when the previous one is back, while the caller is still busy', async () => {
    const plan = new CallPlan();
    for (let v = 0; v < 40; v++) plan.add(tensor(v), {});
    const w = fakeWorker(5);
    const started = performance.now();
    await plan.run(w, {
      batchSize: 8,
      // The caller's work: 60 ms per round, in 1 ms steps that yield to the event loop.
      whileWaiting: async () => {
        for (let i = 0; i < 60; i++) {
          const t = performance.now();
          while (performance.now() - t < 1);
          await new Promise((r) => setImmediate(r));
        }
      },
    });
    // Batches of 8, 8, 8, 8, 8 (the first is 8 already): five batches, each sent right after the previous
    // returned, long before the caller's 60 ms round was over.
    expect(w.batches.map((b) => b.length)).toEqual([8, 8, 8, 8, 8]);
    const gaps = w.sentAt.slice(1).map((t, i) => t - w.sentAt[i]);
    expect(Math.max(...gaps)).toBeLessThan(40);
    // and the run took about one round of the caller's work, not five
    expect(performance.now() - started).toBeLessThan(5 * 60);
  });

  it('past the budget records every remaining call as not run, those registered later included', async () => {
    const plan = new CallPlan();
    for (let v = 0; v < 4; v++) plan.add(tensor(v), {});
    let added = false;
    const refill = (): boolean => {
      if (!added) for (let v = 100; v < 110; v++) plan.add(tensor(v), {});
      added = true;
      return false;
    };
    const w = fakeWorker(30);
    await plan.run(w, { batchSize: 2, budgetMs: 10, refill });
    expect(plan.size).toBe(14);
    const kinds = Array.from({ length: plan.size }, (_, s) => plan.outcome(s).kind);
    expect(kinds.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(kinds.filter((k) => k === 'not-run').length).toBe(12);
    const notRun = plan.outcome(13);
    expect(notRun.kind === 'not-run' && notRun.reason).toMatch(/time budget/);
  });
});
