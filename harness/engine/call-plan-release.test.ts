// What keeps an audit's memory flat (issue 16): a judged unit releases its call slots (a later request of the same
// call is made again but counted once), and the plan holds its batches back while the caller is behind.
import { describe, expect, it } from 'vitest';
import { fromNumbers, type Tensor } from '../tensor/tensor.js';
import type { CallOutcome, CallRequest, ImplementationWorker } from '../worker/types.js';
import { CallPlan } from './call-plan.js';

const tensor = (v: number): Tensor => fromNumbers('float64', [1], [v]);

function echoWorker(): ImplementationWorker & { sent: number[] } {
  const sent: number[] = [];
  return {
    sent,
    importOutput: '',
    async call(requests: CallRequest[]): Promise<CallOutcome[]> {
      sent.push(...requests.map((r) => r.input.data[0] as number));
      await new Promise((r) => setTimeout(r, 1));
      return requests.map((r) => ({ kind: 'ok', output: r.input, numpyDtype: 'float64', mutated: false, captured: '', ms: 0 }));
    },
    close: async () => undefined,
  };
}

describe('CallPlan slot release', () => {
  it('drops a slot once every holder has released it; the same call asked again is made again, counted once', async () => {
    const plan = new CallPlan();
    const a = plan.add(tensor(1), {});
    expect(plan.add(tensor(1), {})).toBe(a); // two holders
    const w = echoWorker();
    await plan.run(w);
    plan.release([a]);
    expect(plan.find(tensor(1), {})).toBe(a); // one holder left
    expect(plan.outcome(a).kind).toBe('ok');
    plan.release([a]);
    expect(plan.find(tensor(1), {})).toBeUndefined();
    const again = plan.add(tensor(1), {});
    expect(again).not.toBe(a); // a new slot: the call will be made again
    expect(plan.size).toBe(2);
    expect(plan.callHashes().size).toBe(1);
  });
});

async function runAhead(hold: boolean): Promise<{ sent: number[]; ahead: number }> {
  const plan = new CallPlan();
  let next = 0;
  let judged = 0;
  let ahead = 0;
  const w = echoWorker();
  await plan.run(w, {
    batchSize: 4,
    // registers 4 calls at a time, 40 in all
    refill: () => {
      if (next >= 40) return false;
      for (let k = 0; k < 4; k++) plan.add(tensor(next++), {});
      return next < 40;
    },
    // the caller is behind while more than 8 calls are registered and not judged
    ...(hold ? { hold: () => plan.size - judged > 8 } : {}),
    whileWaiting: async (done) => {
      ahead = Math.max(ahead, w.sent.length - judged);
      await new Promise((r) => setTimeout(r, 8)); // a judge slower than the worker
      judged = done;
    },
  });
  return { sent: w.sent, ahead };
}

describe('CallPlan hold', () => {
  it('sends no further batch while the caller is behind, and still makes every call', async () => {
    const held = await runAhead(true);
    expect(held.sent).toEqual([...Array(40).keys()]);
    expect(held.ahead).toBeLessThanOrEqual(12); // 8 unjudged + one refill of 4
    const free = await runAhead(false);
    expect(free.ahead).toBeGreaterThan(12); // without it the worker runs ahead of the judge
  });
});
