// Collects the calls every check wants, runs each distinct call once, and hands outcomes back by probe.
import { createHash } from 'node:crypto';
import { tensorBytes, type Tensor } from '../tensor/tensor.js';
import type { CallArgs, CallOutcome, ImplementationWorker } from '../worker/types.js';

export function tensorKey(t: Tensor): string {
  const h = createHash('sha1').update(tensorBytes(t)).digest('base64');
  return `${t.dtype}|${t.shape.join('x')}|${h}`;
}

function callKey(input: Tensor, args: CallArgs, repeat = 0): string {
  return `${tensorKey(input)}|${args.axis ?? '-'}|${args.theta ?? '-'}|${repeat}`;
}

export class CallPlan {
  private readonly keys = new Map<string, number>();
  private readonly calls: { input: Tensor; args: CallArgs }[] = [];
  private outcomes: CallOutcome[] = [];

  /** Register a call; returns its slot. The same input, args and repeat share a slot. */
  add(input: Tensor, args: CallArgs, repeat = 0): number {
    const key = callKey(input, args, repeat);
    let slot = this.keys.get(key);
    if (slot === undefined) {
      slot = this.calls.length;
      this.keys.set(key, slot);
      this.calls.push({ input, args });
    }
    return slot;
  }

  get size(): number {
    return this.calls.length;
  }

  /** Run every registered call in batches; `onBatch` reports progress. */
  async run(worker: ImplementationWorker, batchSize: number, onBatch?: (done: number, total: number) => void): Promise<void> {
    this.outcomes = [];
    for (let start = 0; start < this.calls.length; start += batchSize) {
      const batch = this.calls.slice(start, start + batchSize);
      this.outcomes.push(...(await worker.call(batch)));
      onBatch?.(this.outcomes.length, this.calls.length);
    }
  }

  outcome(slot: number): CallOutcome {
    const o = this.outcomes[slot];
    if (!o) throw new Error(`call ${slot} has no outcome (the plan was not run)`);
    return o;
  }
}
