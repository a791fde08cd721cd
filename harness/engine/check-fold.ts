// One check's judgements under one binding, folded as units are judged: counts, the error statistics, and only the
// failures a report shows (the smallest failing case, the smallest that raised, the smallest per input dtype), not
// every failing case. Folds merge exactly, in any order, so split evaluations (--jobs, --shard + merge) report what
// one evaluation reports: "smallest" is the engine's order (fewest elements, then lowest rank, then first in the
// unsplit case order), and "first" (the rejection or non-judgement quoted) is first in that case order.
import type { Counterexample } from '../model.js';
import type { DType } from '../tensor/dtype.js';
import { isLostToBudget } from './budget.js';
import { StatsFold, type StatsFoldState } from './stats-fold.js';

/** Where a unit stands in the unsplit evaluation: its case's position, then its position among the case's units. */
export type Ordinal = [number, number];

export interface FailureEntry {
  /** elements, rank, then ordinal: the smallest first */
  size: number;
  rank: number;
  ord: Ordinal;
  detail: string;
  raised?: string;
  counterexample: Counterexample;
  /** set by audit's shrinking: the shrunk counterexample and its diagnosis sentence */
  shrunk?: { counterexample: Counterexample; diagnosis: string };
}

export interface FirstDetail {
  ord: Ordinal;
  detail: string;
}

export interface CheckFoldState {
  planned: number;
  passed: number;
  failed: number;
  raised: number;
  rejected: number;
  unjudged: number;
  /** every unjudged case was lost to a hang (timed out, or held back after timeouts) */
  unjudgedAllHang: boolean;
  /** every unjudged case is another check's finding ("(see crash)"): absent in states written before it (false) */
  unjudgedAllDeferred?: boolean;
  /** of the unjudged cases, those whose calls the time budget left unmade (absent in states written before it) */
  outOfBudget?: number;
  /** the first unjudged case the budget did not cut, and whether such cases' details differ (a diagnosis quotes one
   * detail for all of them only when they are all the same) */
  firstOther?: FirstDetail;
  otherMixed?: boolean;
  /** the smallest failure that did not raise, and the smallest that did */
  other?: FailureEntry;
  raisedBest?: FailureEntry;
  firstRejected?: FirstDetail;
  firstUnjudged?: FirstDetail;
  passedByDtype: Partial<Record<DType, number>>;
  rejectedByDtype: Partial<Record<DType, number>>;
  /** per input dtype, the smallest failure's short cause (see summariseByDtype) and its detail (scoped expectations) */
  failCauseByDtype: Partial<Record<DType, DtypeFailure>>;
  stats: StatsFoldState;
  ms: number;
}

/** A dtype's smallest failure: its size, rank and order (to keep the smallest), its short cause, and its detail
 * (absent in states written before it). */
export interface DtypeFailure {
  size: number;
  rank: number;
  ord: Ordinal;
  cause: string;
  detail?: string;
}

const ordLess = (a: Ordinal, b: Ordinal) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
const smaller = (a: { size: number; rank: number; ord: Ordinal }, b: { size: number; rank: number; ord: Ordinal } | undefined): boolean =>
  b === undefined || a.size < b.size || (a.size === b.size && (a.rank < b.rank || (a.rank === b.rank && ordLess(a.ord, b.ord))));
const firstOf = (a: FirstDetail | undefined, b: FirstDetail | undefined) => (a === undefined ? b : b === undefined || ordLess(a.ord, b.ord) ? a : b);

/**
 * An unjudged case that another check judges: the call crashed, ran out of memory, returned the wrong shape or type,
 * timed out (each "... (see crash)"), or its class of input hangs. Not one the time budget cut, nor a harness error.
 */
export function isDeferred(detail: string): boolean {
  // Only the harness's own "not judged: ..." texts: a "not run: ..." reason may quote the candidate's words.
  return (detail.startsWith('not judged: ') && / \(see [a-z-]+\)$/.test(detail)) || isLostToHang(detail);
}

/** An unjudged case whose call timed out, or was not sent because its class of input hangs (hang-classes.ts). */
export function isLostToHang(detail: string): boolean {
  return detail.startsWith('not judged: the call timed out') || detail.startsWith('not run: the candidate timed out on');
}

export class CheckFold {
  planned = 0;
  passed = 0;
  failed = 0;
  raised = 0;
  rejected = 0;
  unjudged = 0;
  unjudgedAllHang = true;
  unjudgedAllDeferred = true;
  outOfBudget = 0;
  firstOther?: FirstDetail;
  otherMixed = false;
  other?: FailureEntry;
  raisedBest?: FailureEntry;
  firstRejected?: FirstDetail;
  firstUnjudged?: FirstDetail;
  passedByDtype = new Map<DType, number>();
  rejectedByDtype = new Map<DType, number>();
  failCauseByDtype = new Map<DType, DtypeFailure>();
  stats = new StatsFold();
  ms = 0;

  pass(dtype: DType): void {
    this.passed++;
    this.passedByDtype.set(dtype, (this.passedByDtype.get(dtype) ?? 0) + 1);
  }

  reject(dtype: DType, ord: Ordinal, detail: string): void {
    this.rejected++;
    this.rejectedByDtype.set(dtype, (this.rejectedByDtype.get(dtype) ?? 0) + 1);
    this.firstRejected = firstOf(this.firstRejected, { ord, detail });
  }

  unjudge(ord: Ordinal, detail: string): void {
    this.unjudged++;
    if (!isLostToHang(detail)) this.unjudgedAllHang = false;
    if (!isDeferred(detail)) this.unjudgedAllDeferred = false;
    if (isLostToBudget(detail)) this.outOfBudget++;
    else {
      // Any one detail seen stands for all until one differs: "mixed" does not depend on the order of the cases.
      if (this.firstOther !== undefined && this.firstOther.detail !== detail) this.otherMixed = true;
      this.firstOther = firstOf(this.firstOther, { ord, detail });
    }
    this.firstUnjudged = firstOf(this.firstUnjudged, { ord, detail });
  }

  /** `build` makes the counterexample: called only for a failure that is the smallest so far. */
  fail(dtype: DType, key: { size: number; rank: number; ord: Ordinal }, detail: string, raised: string | undefined, cause: string, build: () => Counterexample): void {
    this.failed++;
    if (raised !== undefined) this.raised++;
    const best = raised !== undefined ? this.raisedBest : this.other;
    if (smaller(key, best)) {
      const entry: FailureEntry = { ...key, detail, ...(raised !== undefined ? { raised } : {}), counterexample: build() };
      if (raised !== undefined) this.raisedBest = entry;
      else this.other = entry;
    }
    const c = this.failCauseByDtype.get(dtype);
    if (smaller(key, c)) this.failCauseByDtype.set(dtype, { ...key, cause, detail });
  }

  /** A failure whose entry is already built (a settled hang record's: engine/hang-ledger.ts). */
  failEntry(dtype: DType, entry: FailureEntry, cause: string): void {
    this.failed++;
    if (entry.raised !== undefined) this.raised++;
    if (entry.raised !== undefined ? smaller(entry, this.raisedBest) : smaller(entry, this.other)) {
      if (entry.raised !== undefined) this.raisedBest = entry;
      else this.other = entry;
    }
    const c = this.failCauseByDtype.get(dtype);
    if (smaller(entry, c)) this.failCauseByDtype.set(dtype, { size: entry.size, rank: entry.rank, ord: entry.ord, cause, detail: entry.detail });
  }

  /** A copy to settle hang records into; the failure entries are shared, so what shrinking writes on them stays. */
  clone(): CheckFold {
    return CheckFold.fromJSON(this.toJSON());
  }

  merge(o: CheckFold): void {
    this.planned += o.planned;
    this.passed += o.passed;
    this.failed += o.failed;
    this.raised += o.raised;
    this.rejected += o.rejected;
    this.unjudged += o.unjudged;
    this.unjudgedAllHang &&= o.unjudgedAllHang;
    this.unjudgedAllDeferred &&= o.unjudgedAllDeferred;
    this.outOfBudget += o.outOfBudget;
    // Unmixed, a fold's details all equal its first: two folds mix when either does or their firsts differ.
    this.otherMixed ||= o.otherMixed || (this.firstOther !== undefined && o.firstOther !== undefined && this.firstOther.detail !== o.firstOther.detail);
    this.firstOther = firstOf(this.firstOther, o.firstOther);
    if (o.other && smaller(o.other, this.other)) this.other = o.other;
    if (o.raisedBest && smaller(o.raisedBest, this.raisedBest)) this.raisedBest = o.raisedBest;
    this.firstRejected = firstOf(this.firstRejected, o.firstRejected);
    this.firstUnjudged = firstOf(this.firstUnjudged, o.firstUnjudged);
    for (const [d, n] of o.passedByDtype) this.passedByDtype.set(d, (this.passedByDtype.get(d) ?? 0) + n);
    for (const [d, n] of o.rejectedByDtype) this.rejectedByDtype.set(d, (this.rejectedByDtype.get(d) ?? 0) + n);
    for (const [d, c] of o.failCauseByDtype) if (smaller(c, this.failCauseByDtype.get(d))) this.failCauseByDtype.set(d, c);
    this.stats.merge(o.stats);
    this.ms += o.ms;
  }

  toJSON(): CheckFoldState {
    return {
      planned: this.planned,
      passed: this.passed,
      failed: this.failed,
      raised: this.raised,
      rejected: this.rejected,
      unjudged: this.unjudged,
      unjudgedAllHang: this.unjudgedAllHang,
      unjudgedAllDeferred: this.unjudgedAllDeferred,
      ...(this.outOfBudget ? { outOfBudget: this.outOfBudget } : {}),
      ...(this.firstOther ? { firstOther: this.firstOther } : {}),
      ...(this.otherMixed ? { otherMixed: true } : {}),
      ...(this.other ? { other: this.other } : {}),
      ...(this.raisedBest ? { raisedBest: this.raisedBest } : {}),
      ...(this.firstRejected ? { firstRejected: this.firstRejected } : {}),
      ...(this.firstUnjudged ? { firstUnjudged: this.firstUnjudged } : {}),
      passedByDtype: Object.fromEntries(this.passedByDtype),
      rejectedByDtype: Object.fromEntries(this.rejectedByDtype),
      failCauseByDtype: Object.fromEntries(this.failCauseByDtype),
      stats: this.stats.toJSON(),
      ms: this.ms,
    };
  }

  static fromJSON(s: CheckFoldState): CheckFold {
    const f = new CheckFold();
    Object.assign(f, {
      planned: s.planned, passed: s.passed, failed: s.failed, raised: s.raised, rejected: s.rejected, unjudged: s.unjudged,
      unjudgedAllHang: s.unjudgedAllHang, unjudgedAllDeferred: s.unjudgedAllDeferred ?? false, outOfBudget: s.outOfBudget ?? 0, otherMixed: s.otherMixed ?? false,
      // a state written before these fields: its first unjudged case stands for the others when nothing was cut
      firstOther: s.firstOther ?? (s.outOfBudget ? undefined : s.firstUnjudged), other: s.other, raisedBest: s.raisedBest, firstRejected: s.firstRejected, firstUnjudged: s.firstUnjudged,
      ms: s.ms,
    });
    f.passedByDtype = new Map(Object.entries(s.passedByDtype) as [DType, number][]);
    f.rejectedByDtype = new Map(Object.entries(s.rejectedByDtype) as [DType, number][]);
    f.failCauseByDtype = new Map(Object.entries(s.failCauseByDtype) as [DType, DtypeFailure][]);
    f.stats = StatsFold.fromJSON(s.stats);
    return f;
  }
}
