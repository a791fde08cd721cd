// Units whose calls timed out are not folded when judged but kept aside (a few per input class: after repeated
// timeouts a class is not sent, hang-classes.ts). Each worker learns a hang by itself, so a split evaluation
// (--jobs, --shard) spends a class's timeouts once per share where the whole evaluation spends them once. Settling
// replays the kept units in the whole evaluation's order through the same hang rule: the first timeouts of a class
// count as they were judged, the later ones as the calls the whole evaluation would not have sent. So the timeout
// family, the "not run" counts and the passes of the outcome families do not depend on the split.
// Exact for a candidate that hangs on every input of a class; where some inputs of the class return, the unsplit
// evaluation states the size it gave up from, which the ledger does not know.
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CheckFold, FailureEntry, Ordinal } from './check-fold.js';
import { HangClasses } from './hang-classes.js';
import { StatsFold, type StatsFoldState } from './stats-fold.js';

export type RecordedJudgement =
  | { status: 'pass'; stats?: StatsFoldState }
  | { status: 'fail'; entry: FailureEntry; cause: string; stats?: StatsFoldState }
  | { status: 'rejected'; detail: string }
  | { status: 'unjudged'; detail: string };

export interface HangRecord {
  binding: number;
  ord: Ordinal;
  dtype: DType;
  /** the unit's calls that timed out: their input's rank and element count, in call order */
  hung: { rank: number; size: number }[];
  /** check index in the evaluation's order; `touched`: its judgement saw a call that timed out */
  checks: { check: number; touched: boolean; timeoutFamily: boolean; j: RecordedJudgement }[];
}

/** A stand-in input of this rank and element count: all the hang rule reads of an input. */
function shaped(rank: number, size: number): Tensor {
  const shape = rank === 0 ? [] : [size, ...new Array<number>(rank - 1).fill(1)];
  return { dtype: 'float64', shape, data: new Float64Array(0) } as unknown as Tensor;
}

const before = (a: HangRecord, b: HangRecord) => a.binding - b.binding || a.ord[0] - b.ord[0] || a.ord[1] - b.ord[1];

/** Fold the records into `folds` ([binding][check], copies: the records stay for later settlings and merges). */
export function settleHangs(folds: CheckFold[][], records: HangRecord[]): void {
  const hangs = new HangClasses();
  for (const r of [...records].sort(before)) {
    const inputs = r.hung.map((h) => shaped(h.rank, h.size));
    const reason = inputs.map((i) => hangs.blocks(i)).find((x) => x !== undefined);
    for (const { check, touched, timeoutFamily, j } of r.checks) {
      const f = folds[r.binding][check];
      // Not sent in the whole evaluation: what the timeout decided becomes "not run"; another family's own failure
      // (a crash on another call of the unit) stands.
      if (reason !== undefined && touched && (j.status !== 'fail' || timeoutFamily)) {
        f.unjudge(r.ord, `not run: ${reason}`);
        continue;
      }
      switch (j.status) {
        case 'pass':
          f.pass(r.dtype);
          if (j.stats) f.stats.merge(StatsFold.fromJSON(j.stats));
          break;
        case 'fail':
          f.failEntry(r.dtype, j.entry, j.cause);
          if (j.stats) f.stats.merge(StatsFold.fromJSON(j.stats));
          break;
        case 'rejected': f.reject(r.dtype, r.ord, j.detail); break;
        case 'unjudged': f.unjudge(r.ord, j.detail); break;
      }
    }
    if (reason === undefined) for (const i of inputs) hangs.note(i, { kind: 'timeout', limitMs: 0 });
  }
}
