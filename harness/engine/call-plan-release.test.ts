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
      // Answers on a microtask: always before the judge's timer below, however loaded the machine. (With a 1 ms timer
      // both timers could fire in the same turn after a stall, and at load 9 the worker did not get ahead: a flake.)
      await Promise.resolve();
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
      ahead = Math.max(ahead, w.sent.length - judged); // how far the worker got while the judge worked
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

describe('CallPlan slots: which calls are the same call', () => {
  it('the same content shares a slot whatever the object; another dtype, shape, value, axis, theta, repeat or layout does not', () => {
    const plan = new CallPlan();
    const a = plan.add(fromNumbers('float64', [2], [1, 2]), { axis: -1 });
    expect(plan.add(fromNumbers('float64', [2], [1, 2]), { axis: -1 })).toBe(a); // another object, same content
    const others = [
      plan.add(fromNumbers('float32', [2], [1, 2]), { axis: -1 }),
      plan.add(fromNumbers('float64', [2, 1], [1, 2]), { axis: -1 }),
      plan.add(fromNumbers('float64', [2], [1, 3]), { axis: -1 }),
      plan.add(fromNumbers('float64', [2], [1, 2]), { axis: 0 }),
      plan.add(fromNumbers('float64', [2], [1, 2]), {}),
      plan.add(fromNumbers('float64', [2], [1, 2]), { axis: -1, theta: 1 }),
      plan.add(fromNumbers('float64', [2], [1, 2]), { axis: -1 }, 1),
      plan.add(fromNumbers('float64', [2], [1, 2]), { axis: -1, layout: { kind: 'f' } as never }),
    ];
    expect(new Set([a, ...others]).size).toBe(9);
    expect(plan.size).toBe(9);
    expect(plan.callHashes().size).toBe(9);
    expect(plan.find(fromNumbers('float64', [2], [1, 2]), { axis: -1 }, 1)).toBe(others[6]);
    expect(plan.find(fromNumbers('float64', [2], [1, 2]), { axis: 1 })).toBeUndefined();
  });

  it('the same object with other arguments is another call; found again by object or by content', async () => {
    const plan = new CallPlan();
    const x = tensor(5);
    const s0 = plan.add(x, { axis: 0 });
    const s1 = plan.add(x, { axis: -1 });
    expect(s1).not.toBe(s0);
    expect(plan.add(x, { axis: 0 })).toBe(s0);
    expect(plan.find(x, { axis: -1 })).toBe(s1);
    expect(plan.find(tensor(5), { axis: 0 })).toBe(s0);
    const w = echoWorker();
    await plan.run(w);
    expect(w.sent).toEqual([5, 5]);
  });

  it('releasing a slot before the plan ran keeps it (its call is still to be made)', async () => {
    const plan = new CallPlan();
    const s = plan.add(tensor(1), {});
    plan.release([s]);
    expect(plan.find(tensor(1), {})).toBe(s);
    await plan.run(echoWorker());
    expect(plan.outcome(s).kind).toBe('ok');
  });

  it('a released slot answers as released, and asking for an outcome of a plan not run is an error naming the call', async () => {
    const plan = new CallPlan();
    expect(() => plan.outcome(0)).toThrow('call 0 has no outcome (the plan was not run)');
    const s = plan.add(tensor(1), {});
    await plan.run(echoWorker());
    plan.release([s]);
    expect(plan.outcome(s)).toEqual({ kind: 'not-run', reason: 'released' });
    plan.release([s]); // released twice: nothing more happens
    expect(plan.find(tensor(1), {})).toBeUndefined();
  });
});

describe('CallPlan slots: the same tensor object after its slot was released', () => {
  it('is a new call when asked again, and is not found', async () => {
    const plan = new CallPlan();
    const x = tensor(7);
    const s = plan.add(x, { axis: -1, theta: 0.5 });
    expect(plan.add(x, { axis: -1, theta: 2 })).not.toBe(s); // another theta: another call
    await plan.run(echoWorker());
    plan.release([s]);
    expect(plan.find(x, { axis: -1, theta: 0.5 })).toBeUndefined();
    const again = plan.add(x, { axis: -1, theta: 0.5 });
    expect(again).not.toBe(s);
    expect(plan.size).toBe(3);
  });
});
