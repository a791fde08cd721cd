// Collects the calls every check wants, runs each distinct call once, and hands outcomes back by probe.
import { createHash } from 'node:crypto';
import { tensorBytes, type Tensor } from '../tensor/tensor.js';
import type { CallArgs, CallOutcome, ImplementationWorker } from '../worker/types.js';
import { budgetReason } from './budget.js';
import { HangClasses } from './hang-classes.js';
import { hash53 } from './partial.js';

// Tensors are never mutated once built, and most probes pass the case's own input object: remember its key.
const keys = new WeakMap<Tensor, string>();
/** stands in for a released call's input */
const EMPTY: Tensor = { dtype: 'float64', shape: [0], data: new Float64Array(0) } as unknown as Tensor;

export function tensorKey(t: Tensor): string {
  let key = keys.get(t);
  if (key === undefined) {
    const h = createHash('sha1').update(tensorBytes(t)).digest('base64');
    key = `${t.dtype}|${t.shape.join('x')}|${h}`;
    keys.set(t, key);
  }
  return key;
}

function argsKey(args: CallArgs, repeat: number): string {
  return `${args.axis ?? '-'}|${args.theta ?? '-'}|${repeat}${args.layout ? `|${JSON.stringify(args.layout)}` : ''}`;
}

export interface RunOptions {
  batchSize?: number;
  budgetMs?: number;
  /** the caller's work while a batch is out; `changed()` tells when more outcomes have come in (see run) */
  whileWaiting?: (done: number, changed: () => boolean) => void | Promise<void>;
  /** called when every registered call has been sent: register more; false once there is nothing further to add */
  refill?: () => boolean;
  /**
   * true while the caller is too far behind to take more calls (it judges slower than the worker computes): once
   * every registered call is sent, the next batch waits until it is false. Keeps memory flat: outcomes not yet
   * judged are held.
   */
  hold?: () => boolean;
}

/** What a released slot holds: its outcome has been judged by every unit that asked for it. */
const RELEASED: CallOutcome = { kind: 'not-run', reason: 'released' };

export class CallPlan {
  /** content key -> slot, for slots still held (a released slot's key is dropped: memory stays flat) */
  private readonly keys = new Map<string, number>();
  /** the same lookup by tensor object: most checks probe the case's own input object, and need no content key */
  private readonly byObject = new WeakMap<Tensor, Map<string, number>>();
  private readonly calls: { input: Tensor; args: CallArgs }[] = [];
  /** what a released slot's call becomes (one shared object: a released call costs one array entry) */
  private static readonly RELEASED_CALL = { input: EMPTY, args: {} };
  private outcomes: CallOutcome[] = [];
  /** units planned and not yet judged that need the slot */
  private readonly holders: number[] = [];
  private readonly slotKeys: (string | undefined)[] = [];
  /** hashes of every distinct call's key: the distinct calls made, also after their slots are released */
  private readonly distinct = new Set<number>();

  /**
   * Register a call; returns its slot. The same input (by content), args and repeat share a slot while it is held;
   * a call asked for again after its slot was released is made again (and still counted once in `callHashes`).
   */
  add(input: Tensor, args: CallArgs, repeat = 0): number {
    const ak = argsKey(args, repeat);
    let seen = this.byObject.get(input);
    if (seen === undefined) this.byObject.set(input, (seen = new Map()));
    let slot = seen.get(ak);
    if (slot === undefined || this.slotKeys[slot] === undefined) {
      const key = `${tensorKey(input)}|${ak}`;
      slot = this.keys.get(key);
      if (slot === undefined) {
        slot = this.calls.length;
        this.keys.set(key, slot);
        this.slotKeys.push(key);
        this.holders.push(0);
        this.calls.push({ input, args });
        this.distinct.add(hash53(key));
      }
      seen.set(ak, slot);
    }
    this.holders[slot]++;
    return slot;
  }

  /** The slot of a call already registered and held, if any (registers nothing). */
  find(input: Tensor, args: CallArgs, repeat = 0): number | undefined {
    const ak = argsKey(args, repeat);
    const slot = this.byObject.get(input)?.get(ak) ?? this.keys.get(`${tensorKey(input)}|${ak}`);
    return slot !== undefined && this.slotKeys[slot] !== undefined ? slot : undefined;
  }

  /** A judged unit lets go of its slots (one per `add`): a slot no unit holds drops its input and outcome. */
  release(slots: number[]): void {
    for (const slot of slots) {
      if (--this.holders[slot] > 0 || slot >= this.outcomes.length) continue;
      const key = this.slotKeys[slot];
      if (key === undefined) continue;
      this.keys.delete(key);
      this.slotKeys[slot] = undefined;
      this.calls[slot] = CallPlan.RELEASED_CALL;
      this.outcomes[slot] = RELEASED;
    }
  }

  /** Hashes of the distinct calls' keys (see EvaluationPartial). */
  callHashes(): Set<number> {
    return new Set(this.distinct);
  }

  get size(): number {
    return this.calls.length;
  }

  /**
   * Run every registered call in batches. Past `budgetMs` the remaining calls are not
   * made but recorded as `not-run`, so a candidate that hangs on every input cannot stall a run for hours. After a
   * timeout the batches shrink, so the budget is checked between few calls rather than between hundreds.
   *
   * Each batch is sent the moment the one before it comes back (from that batch's callback), so the worker never
   * waits for what this thread does meanwhile: `whileWaiting(done, changed)` is the caller's work between batches.
   * The first `done` outcomes are final when it starts, so it can judge them on this core while the worker computes
   * on the other, and do work that can wait (planning ahead) until `changed()` says more outcomes are in. It should
   * yield to the event loop often (every few milliseconds), since a returning batch is only seen when it does.
   */
  async run(worker: ImplementationWorker, opts: RunOptions = {}): Promise<void> {
    const { batchSize = 256, budgetMs = Infinity, whileWaiting, refill, hold } = opts;
    let paused = false;
    this.outcomes = [];
    const started = performance.now();
    let sent = 0;
    // Calls may be registered while the plan runs (refill, whileWaiting): there is more to send while calls remain
    // unsent or the caller can add some.
    const more = (): boolean => {
      // refill may register calls and still say that it has nothing further: look at the calls, not its answer.
      while (sent >= this.calls.length) if (!refill?.()) return sent < this.calls.length;
      return true;
    };
    // Start small and double while calls return in time: a candidate that hangs is noticed after a few calls,
    // not after a whole batch of per-call timeouts.
    let size = Math.min(batchSize, 8);
    const hangs = new HangClasses();
    // Calls whose timeout is being confirmed: the per-call timeout is wall-clock, and on a machine loaded far past its
    // cores a runner can be starved for all of it (seen at load 18 on 2 cores: a 48-element logsumexp "hung" for
    // 10 s, and returned at once when run again). So a timeout counts only when the same call, sent once more, alone,
    // to the fresh process the worker starts after killing the hung one, times out again. A real hang costs two
    // timeouts instead of one.
    const confirming = new Set<number>();
    let overBudget = false;
    let finished = false;
    let failure: unknown;
    let wake: () => void = () => undefined;
    const sendNext = (): void => {
      if (sent >= this.calls.length && hold?.()) {
        paused = true;
        wake();
        return;
      }
      const left = more();
      if (!left || performance.now() - started > budgetMs) {
        overBudget = left;
        finished = true;
        wake();
        return;
      }
      // Calls of a class the candidate hangs on are answered here, not sent (hang-classes.ts).
      while (sent < this.calls.length && this.outcomes.length === sent) {
        const reason = hangs.blocks(this.calls[sent].input);
        if (reason === undefined) break;
        this.outcomes.push({ kind: 'not-run', reason });
        sent++;
      }
      if (sent >= this.calls.length) {
        sendNext();
        wake();
        return;
      }
      const batch: { input: Tensor; args: CallArgs }[] = [];
      while (batch.length < size && sent < this.calls.length && hangs.blocks(this.calls[sent].input) === undefined) batch.push(this.calls[sent++]);
      worker.call(batch, { stopAfterTrouble: true }).then(
        (got) => {
          // The batch ends at a call that hung or crashed: the calls after it go back into the queue, where the
          // hang classes may now hold them back.
          const first = sent - batch.length;
          sent = first + got.length;
          const last = first + got.length - 1;
          const unconfirmed = got[got.length - 1]?.kind === 'timeout' && !confirming.has(last);
          if (unconfirmed) {
            // not an outcome yet: the call goes back to the front of the queue, to be sent alone (size 1 below)
            confirming.add(last);
            got = got.slice(0, -1);
            sent--;
          }
          this.outcomes.push(...got);
          got.forEach((o, k) => hangs.note(batch[k].input, o));
          // A call that hung, crashed or ran out of memory costs a restart: go back to single calls, so the next
          // hang of the same class is noticed before a batch of them is queued behind it.
          const troubled = unconfirmed || got.some((o) => o.kind === 'timeout' || o.kind === 'crash' || o.kind === 'memory');
          size = troubled ? 1 : Math.min(size * 2, batchSize);
          sendNext();
          wake();
        },
        (err: unknown) => {
          failure = err;
          finished = true;
          wake();
        },
      );
    };
    sendNext();
    while (!finished) {
      if (paused && (sent < this.calls.length || !hold?.())) {
        paused = false;
        sendNext();
      }
      const seen = this.outcomes.length;
      await whileWaiting?.(seen, () => finished || this.outcomes.length > seen);
      if (!finished && !paused && this.outcomes.length === seen) await new Promise<void>((r) => (wake = r));
    }
    if (failure !== undefined) throw failure;
    if (overBudget) {
      const reason = budgetReason(budgetMs);
      for (;;) {
        while (this.outcomes.length < this.calls.length) this.outcomes.push({ kind: 'not-run', reason });
        if (!refill?.() && this.outcomes.length === this.calls.length) break;
      }
    }
  }

  outcome(slot: number): CallOutcome {
    const o = this.outcomes[slot];
    if (!o) throw new Error(`call ${slot} has no outcome (the plan was not run)`);
    return o;
  }
}
