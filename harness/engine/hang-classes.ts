// Input classes a candidate hangs on. A candidate that hangs on every 3-D input would otherwise cost one per-call
// timeout per 3-D case and exhaust the time budget, and the families that happen to come last would read as
// failures of the budget. After repeated timeouts in one class (the rank; the sizes from the smallest that hung up)
// its remaining calls are not sent: the hang is reported once, under `timeout`, and the rest as not run.
import type { Tensor } from '../tensor/tensor.js';
import type { CallOutcome } from '../worker/types.js';

/** Timeouts at one rank, with no call of that rank ever returning, before the rank is given up. */
export const TIMEOUTS_TO_STOP = 2;

interface RankRecord {
  timeouts: number;
  /** smallest element count that timed out */
  smallestHung: number;
  /** largest element count that returned (any outcome but a timeout) */
  largestReturned: number;
}

const sizeOf = (t: Tensor) => t.shape.reduce((n, d) => n * d, 1);

export class HangClasses {
  private readonly ranks = new Map<number, RankRecord>();
  private stoppedRanks = 0;

  private record(rank: number): RankRecord {
    let r = this.ranks.get(rank);
    if (!r) this.ranks.set(rank, (r = { timeouts: 0, smallestHung: Infinity, largestReturned: -1 }));
    return r;
  }

  note(input: Tensor, outcome: CallOutcome): void {
    if (outcome.kind === 'not-run') return;
    const r = this.record(input.shape.length);
    const wasStopped = this.stopped(r);
    if (outcome.kind === 'timeout') {
      r.timeouts++;
      r.smallestHung = Math.min(r.smallestHung, sizeOf(input));
    } else {
      r.largestReturned = Math.max(r.largestReturned, sizeOf(input));
    }
    if (!wasStopped && this.stopped(r)) this.stoppedRanks++;
  }

  /** Once one rank was given up, one timeout is evidence enough for the next (a candidate that hangs on rank >= 3). */
  private stopped(r: RankRecord): boolean {
    return r.timeouts >= (this.stoppedRanks > 0 ? 1 : TIMEOUTS_TO_STOP);
  }

  /** Why this input is not sent, or undefined to send it. */
  blocks(input: Tensor): string | undefined {
    const rank = input.shape.length;
    const r = this.ranks.get(rank);
    if (!r || !this.stopped(r)) return undefined;
    const size = sizeOf(input);
    // Inputs of this rank returned up to some size: only sizes from the smallest that hung are given up.
    if (r.largestReturned >= 0 && size < r.smallestHung) return undefined;
    const which = r.largestReturned >= 0 ? `rank-${rank} inputs of ${r.smallestHung} elements or more` : `rank-${rank} inputs`;
    return `the candidate timed out on ${r.timeouts} ${which}, so the rest of them were not sent (see timeout)`;
  }
}
