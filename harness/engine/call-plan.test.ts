// CallPlan.run with a fake worker: every registered call is made once and in order, calls registered while the
// plan runs are made too, a batch goes out as soon as the previous one is back (not after the caller's work), and
// past the budget every remaining call, planned later or not, is recorded as not run.
import { describe, expect, it } from 'vitest';
import { fromNumbers, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome, CallRequest, ImplementationWorker } from '../worker/types.js';
import { CallPlan } from './call-plan.js';

const tensor = (v: number): Tensor => fromNumbers('float64', [1], [v]);

/** A worker that answers each call with its input after `ms`, and logs what it was sent (also into `events`). */
function fakeWorker(ms = 0, events: string[] = []): ImplementationWorker & { batches: number[][] } {
  const batches: number[][] = [];
  return {
    batches,
    importOutput: '',
    async call(requests: CallRequest[]): Promise<CallOutcome[]> {
      batches.push(requests.map((r) => r.input.data[0] as number));
      events.push(`send ${requests.length}`);
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
    const events: string[] = [];
    const w = fakeWorker(5, events);
    await plan.run(w, {
      batchSize: 8,
      // The caller's work: 200 steps of 1 ms that each yield to the event loop (the five 5 ms answers need 25).
      whileWaiting: async () => {
        events.push('work starts');
        for (let i = 0; i < 200; i++) {
          const t = performance.now();
          while (performance.now() - t < 1);
          await new Promise((r) => setImmediate(r));
        }
        events.push('work ends');
      },
    });
    // Order, not milliseconds (a busy machine stretches both sides alike): five batches of 8 (the first is 8
    // already), each sent right after the previous returned, all within the caller's first round of work, so the
    // run took one round of it, not five.
    expect(events).toEqual(['send 8', 'work starts', 'send 8', 'send 8', 'send 8', 'send 8', 'work ends']);
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

describe('CallPlan.run confirms a timeout before it counts', () => {
  /** Answers like fakeWorker, but a call of `value` times out (ending the batch, as a killed process does) `times` times. */
  function stallingWorker(value: number, times: number): ImplementationWorker & { batches: number[][] } {
    const batches: number[][] = [];
    let stalls = 0;
    return {
      batches,
      importOutput: '',
      async call(requests: CallRequest[]): Promise<CallOutcome[]> {
        batches.push(requests.map((r) => r.input.data[0] as number));
        const out: CallOutcome[] = [];
        for (const r of requests) {
          if (r.input.data[0] === value && stalls < times) {
            stalls++;
            out.push({ kind: 'timeout', limitMs: 10_000 });
            break;
          }
          out.push({ kind: 'ok', output: r.input, numpyDtype: 'float64', mutated: false, captured: '', ms: 0 });
        }
        return out;
      },
      close: async () => undefined,
    };
  }

  it('a call starved once (a loaded machine) is sent again alone, and its answer is the outcome', async () => {
    const plan = new CallPlan();
    const slots = [1, 2, 3, 4, 5, 6].map((v) => plan.add(tensor(v), {}));
    const w = stallingWorker(3, 1);
    await plan.run(w, { batchSize: 8 });
    expect(w.batches).toEqual([[1, 2, 3, 4, 5, 6], [3], [4, 5], [6]]); // 4..6 were sent, but not run, with the first
    slots.forEach((s) => expect(plan.outcome(s).kind).toBe('ok'));
  });

  it('a call that times out again is a timeout, and the calls after it still run', async () => {
    const plan = new CallPlan();
    const slots = [1, 2, 3, 4].map((v) => plan.add(tensor(v), {}));
    const w = stallingWorker(2, Infinity);
    await plan.run(w, { batchSize: 8 });
    expect(w.batches.slice(0, 2)).toEqual([[1, 2, 3, 4], [2]]);
    expect(slots.map((s) => plan.outcome(s).kind)).toEqual(['ok', 'timeout', 'ok', 'ok']);
  });
});

describe('CallPlan.run, batch sizes and endings', () => {
  /** Answers each call with its input; `bad(v)` picks an outcome that ends the batch (as a restarted process does). */
  function endingWorker(bad: (v: number) => CallOutcome | undefined): ImplementationWorker & { batches: number[][] } {
    const batches: number[][] = [];
    const seen = new Set<number>();
    return {
      batches,
      importOutput: '',
      async call(requests: CallRequest[]): Promise<CallOutcome[]> {
        batches.push(requests.map((r) => r.input.data[0] as number));
        const out: CallOutcome[] = [];
        for (const r of requests) {
          const v = r.input.data[0] as number;
          const b = seen.has(v) ? undefined : bad(v);
          seen.add(v);
          if (b) {
            out.push(b);
            break;
          }
          out.push({ kind: 'ok', output: r.input, numpyDtype: 'float64', mutated: false, captured: '', ms: 0 });
        }
        return out;
      },
      close: async () => undefined,
    };
  }

  for (const [kind, outcome] of [
    ['crash', { kind: 'crash', exitCode: 1, signal: null, stderr: '' }],
    ['memory', { kind: 'memory', limitMb: 64, stderr: '' }],
  ] as const) {
    it(`after a ${kind} the batches start again from one call`, async () => {
      const plan = new CallPlan();
      const slots = Array.from({ length: 12 }, (_, i) => plan.add(tensor(i + 1), {}));
      const w = endingWorker((v) => (v === 3 ? (outcome as CallOutcome) : undefined));
      await plan.run(w, { batchSize: 8 });
      expect(w.batches).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], [4], [5, 6], [7, 8, 9, 10], [11, 12]]);
      expect(plan.outcome(slots[2]).kind).toBe(kind);
    });
  }

  it('after a confirmed timeout too, and the timeout\'s own resend is alone', async () => {
    const plan = new CallPlan();
    [1, 2, 3, 4].forEach((v) => plan.add(tensor(v), {}));
    let stalls = 0;
    const w = endingWorker((v) => (v === 2 && stalls++ < 2 ? { kind: 'timeout', limitMs: 5 } : undefined));
    // the worker here forgets nothing between calls except through `seen`: let value 2 stall on both sends
    const call = w.call.bind(w);
    w.call = async (rs) => {
      const out = await call(rs);
      if (rs[0].input.data[0] === 2 && rs.length === 1) return [{ kind: 'timeout', limitMs: 5 }];
      return out;
    };
    await plan.run(w, { batchSize: 8 });
    expect(w.batches).toEqual([[1, 2, 3, 4], [2], [3], [4]]);
  });

  it('never sends an empty batch, also when the calls left are all held back as a hanging class', async () => {
    const plan = new CallPlan();
    [1, 2, 3, 4, 5].forEach((v) => plan.add(v < 3 ? tensor(v) : fromNumbers('float64', [1, 1], [v]), {}));
    const w = endingWorker((v) => (v >= 3 ? { kind: 'timeout', limitMs: 5 } : undefined));
    const call = w.call.bind(w);
    w.call = async (rs) => {
      const out = await call(rs);
      // rank-2 calls hang every time they are sent
      return out.map((o, k) => (rs[k].input.shape.length === 2 ? { kind: 'timeout', limitMs: 5 } as CallOutcome : o));
    };
    await plan.run(w, { batchSize: 8 });
    expect(w.batches.every((b) => b.length > 0)).toBe(true);
    expect(Array.from({ length: 5 }, (_, s) => plan.outcome(s).kind)).toEqual(['ok', 'ok', 'timeout', 'timeout', 'not-run']);
  });

  it('a worker that fails makes the run fail with its error', async () => {
    const plan = new CallPlan();
    plan.add(tensor(1), {});
    const broken: ImplementationWorker = { importOutput: '', call: async () => Promise.reject(new Error('worker broke')), close: async () => undefined };
    await expect(plan.run(broken)).rejects.toThrow('worker broke');
  });

  it('past the budget without a refill, the rest is not run, with the budget in seconds', async () => {
    const plan = new CallPlan();
    for (let v = 0; v < 6; v++) plan.add(tensor(v), {});
    await plan.run(fakeWorker(30), { batchSize: 2, budgetMs: 10 });
    const last = plan.outcome(5);
    expect(last).toEqual({ kind: 'not-run', reason: 'the implementation\'s time budget of 0 s was used up' });
  });
});
