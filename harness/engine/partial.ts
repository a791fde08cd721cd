// What one evaluation (or one share of it: a --jobs worker's, a --shard's) found, before it becomes CheckResults:
// per binding and check a CheckFold, the contract inference fold, and the distinct calls made. Partials of the
// shares of one evaluation merge into the partial of the whole, so the report does not depend on the split.
import { CheckFold, type CheckFoldState } from './check-fold.js';
import { InferenceFold, type InferenceFoldState } from './inference-fold.js';
import { settleHangs, type HangRecord } from './hang-ledger.js';

export interface EvaluationPartialState {
  /** [binding index][check index], in the evaluation's binding and check order */
  checks: CheckFoldState[][];
  inference: InferenceFoldState;
  /** 53-bit hashes of the distinct calls' keys, ascending (their union's size is the distinct calls made) */
  calls: number[];
  /** units with a call that timed out, not folded yet (engine/hang-ledger.ts); absent when none */
  hangs?: HangRecord[];
}

export class EvaluationPartial {
  constructor(
    readonly checks: CheckFold[][],
    readonly inference: InferenceFold,
    readonly calls: Set<number>,
    readonly hangs: HangRecord[] = [],
  ) {}

  /** The check folds with the hang records settled into copies of them: what the report is built from. */
  settled(): CheckFold[][] {
    const folds = this.checks.map((cs) => cs.map((c) => c.clone()));
    settleHangs(folds, this.hangs);
    return folds;
  }

  merge(o: EvaluationPartial): void {
    if (o.checks.length !== this.checks.length || o.checks.some((cs, b) => cs.length !== this.checks[b].length)) {
      throw new Error('cannot merge evaluations of different bindings or checks');
    }
    o.checks.forEach((cs, b) => cs.forEach((c, k) => this.checks[b][k].merge(c)));
    this.inference.merge(o.inference);
    for (const h of o.calls) this.calls.add(h);
    this.hangs.push(...o.hangs);
  }

  toJSON(): EvaluationPartialState {
    return {
      checks: this.checks.map((cs) => cs.map((c) => c.toJSON())),
      inference: this.inference.toJSON(),
      calls: [...this.calls].sort((a, b) => a - b),
      ...(this.hangs.length ? { hangs: this.hangs } : {}),
    };
  }

  static fromJSON(s: EvaluationPartialState): EvaluationPartial {
    return new EvaluationPartial(s.checks.map((cs) => cs.map((c) => CheckFold.fromJSON(c))), InferenceFold.fromJSON(s.inference), new Set(s.calls), s.hangs ?? []);
  }
}

/** cyrb53: a fast 53-bit string hash (a collision among a million calls has odds of about 1 in 10^4). */
export function hash53(str: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
