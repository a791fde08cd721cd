// A check's fold keeps what the report shows (counts, the smallest failure, the first rejection and non-judgement)
// and merges to the same fold whatever the split and the order, also through JSON (shard reports carry it).
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../model.js';
import { CheckFold, type Ordinal } from './check-fold.js';

const cx = (id: string): Counterexample => ({ caseId: id, input: { dtype: 'float64', shape: [1], data: [] } as unknown as Counterexample['input'], args: {}, python: '' });

type Event = { kind: 'pass' } | { kind: 'fail'; size: number; rank: number; raised?: string } | { kind: 'reject' } | { kind: 'unjudge'; detail: string };

function fold(events: [Ordinal, Event][]): CheckFold {
  const f = new CheckFold();
  for (const [ord, e] of events) {
    f.planned++;
    if (e.kind === 'pass') f.pass('float64');
    else if (e.kind === 'fail') f.fail('float32', { size: e.size, rank: e.rank, ord }, `fails on ${ord}`, e.raised, 'cause', () => cx(`case ${ord[0]}/${ord[1]}`));
    else if (e.kind === 'reject') f.reject('int32', ord, `rejected ${ord}`);
    else f.unjudge(ord, e.detail);
  }
  return f;
}

const events: [Ordinal, Event][] = [
  [[0, 0], { kind: 'pass' }],
  [[1, 0], { kind: 'fail', size: 8, rank: 2 }],
  [[2, 0], { kind: 'fail', size: 4, rank: 2 }],
  [[3, 0], { kind: 'fail', size: 4, rank: 1 }],
  [[3, 1], { kind: 'fail', size: 4, rank: 1 }], // a tie: the earlier ordinal wins
  [[4, 0], { kind: 'reject' }],
  [[5, 0], { kind: 'unjudge', detail: 'not judged: the process crashed (see crash)' }],
  [[6, 0], { kind: 'fail', size: 1, rank: 1, raised: 'ValueError: no' }],
  [[7, 0], { kind: 'unjudge', detail: 'not judged: the call timed out after 10 ms (see timeout)' }],
];

const shown = (f: CheckFold) => ({ ...f.toJSON(), ms: 0 });

describe('CheckFold', () => {
  const whole = fold(events);

  it('keeps the counts, the smallest failure (elements, rank, then ordinal) and the first of the rest', () => {
    expect([whole.planned, whole.passed, whole.failed, whole.raised, whole.rejected, whole.unjudged]).toEqual([9, 1, 5, 1, 1, 2]);
    expect(whole.other?.counterexample.caseId).toBe('case 3/0');
    expect(whole.raisedBest?.counterexample.caseId).toBe('case 6/0');
    expect(whole.firstRejected?.detail).toBe('rejected 4,0');
    expect(whole.firstUnjudged?.detail).toMatch(/crashed/);
    expect(whole.unjudgedAllHang).toBe(false);
  });

  it('merges the folds of any split, in any order and through JSON, into the whole fold', () => {
    const evens = events.filter((_, i) => i % 2 === 0);
    const odds = events.filter((_, i) => i % 2 === 1);
    for (const [a, b] of [[evens, odds], [odds, evens], [events.slice(0, 3), events.slice(3)], [events.slice(5), events.slice(0, 5)], [events.slice(8), events.slice(0, 8)], [events.slice(4, 6), [...events.slice(0, 4), ...events.slice(6)]]]) {
      const m = CheckFold.fromJSON(JSON.parse(JSON.stringify(fold(a).toJSON())));
      m.merge(CheckFold.fromJSON(JSON.parse(JSON.stringify(fold(b).toJSON()))));
      expect(shown(m)).toEqual(shown(whole));
    }
  });
});

describe('CheckFold, what it holds (not only that splits agree)', () => {
  it('counts per input dtype, the smallest failure per dtype with its cause, and the first of the rest', () => {
    const f = fold(events);
    const s = f.toJSON();
    expect(s.passedByDtype).toEqual({ float64: 1 });
    expect(s.rejectedByDtype).toEqual({ int32: 1 });
    expect(s.failCauseByDtype).toEqual({ float32: { size: 1, rank: 1, ord: [6, 0], cause: 'cause', detail: 'fails on 6,0' } });
    expect(s.firstRejected).toEqual({ ord: [4, 0], detail: 'rejected 4,0' });
    expect(s.firstUnjudged).toEqual({ ord: [5, 0], detail: 'not judged: the process crashed (see crash)' });
    expect(s.other?.ord).toEqual([3, 0]);
    expect(s.other?.detail).toBe('fails on 3,0');
    expect(s.other).not.toHaveProperty('raised');
    expect(s.raisedBest?.raised).toBe('ValueError: no');
    expect([s.other?.size, s.other?.rank]).toEqual([4, 1]);
  });

  it('builds a counterexample only for a failure smaller than the one kept', () => {
    const f = new CheckFold();
    const built: string[] = [];
    const failAt = (size: number, rank: number, ord: Ordinal, raised?: string) =>
      f.fail('float64', { size, rank, ord }, 'd', raised, 'c', () => (built.push(`${size}/${rank}/${ord}`), cx(`${size}`)));
    failAt(4, 2, [0, 0]);
    failAt(4, 2, [1, 0]); // same size and rank, later: not smaller
    failAt(5, 1, [2, 0]); // more elements: not smaller, whatever its rank
    failAt(4, 1, [3, 0]); // fewer ranks: smaller
    failAt(4, 1, [3, 1], 'E'); // the first raise: kept apart
    failAt(4, 1, [3, 2], 'E');
    failAt(4, 1, [2, 5], 'E'); // an earlier case: smaller
    expect(built).toEqual(['4/2/0,0', '4/1/3,0', '4/1/3,1', '4/1/2,5']);
    expect([f.failed, f.raised]).toEqual([7, 3]);
  });

  it('only hangs keep unjudgedAllHang: a timeout or a class not sent, and merges keep it only if both did', () => {
    const hang = new CheckFold();
    hang.unjudge([0, 0], 'not judged: the call timed out after 10 ms (see timeout)');
    hang.unjudge([1, 0], 'not run: the candidate timed out on 2 rank-3 inputs, so the rest of them were not sent (see timeout)');
    expect(hang.unjudgedAllHang).toBe(true);
    const other = new CheckFold();
    other.unjudge([2, 0], 'not run: the implementation\'s time budget of 1 s was used up');
    expect(other.unjudgedAllHang).toBe(false);
    const m = CheckFold.fromJSON(hang.toJSON());
    m.merge(other);
    expect(m.unjudgedAllHang).toBe(false);
    const n = CheckFold.fromJSON(hang.toJSON());
    n.merge(new CheckFold());
    expect(n.unjudgedAllHang).toBe(true);
  });

  it("unjudgedAllDeferred: every unjudged case another check's finding; a budget cut, a harness error or a not-run reason is not", () => {
    const deferred = new CheckFold();
    deferred.unjudge([0, 0], 'not judged: the process crashed (see crash)');
    deferred.unjudge([1, 0], 'not judged: the C-order call is not right either (see values)');
    deferred.unjudge([2, 0], 'not run: the candidate timed out on 2 rank-3 inputs, so the rest of them were not sent (see timeout)');
    expect(deferred.unjudgedAllDeferred).toBe(true);
    for (const detail of [
      "not run: the implementation's time budget of 1 s was used up",
      'harness error while judging: boom (see crash)',
      'not run: the worker could not be restarted: a message the candidate wrote (see crash)',
      'not judged: the call raised ValueError',
      'not judged: returned shape (2) (see rank) for input (2, 1)',
    ]) {
      const f = CheckFold.fromJSON(deferred.toJSON());
      f.unjudge([3, 0], detail);
      expect(f.unjudgedAllDeferred, detail).toBe(false);
      const m = CheckFold.fromJSON(deferred.toJSON());
      m.merge(f);
      expect(m.unjudgedAllDeferred, detail).toBe(false);
    }
    const kept = CheckFold.fromJSON(deferred.toJSON());
    kept.merge(new CheckFold());
    expect(kept.unjudgedAllDeferred).toBe(true);
    // A state written before the field: not known to be deferred, so "could not judge" as before.
    const { unjudgedAllDeferred: _, ...old } = deferred.toJSON();
    expect(CheckFold.fromJSON(old).unjudgedAllDeferred).toBe(false);
  });

  it('failEntry (a settled hang\'s failure) keeps raised and other failures apart, smallest first, with its cause', () => {
    const f = new CheckFold();
    const entry = (size: number, ord: Ordinal, raised?: string) => ({ size, rank: 1, ord, detail: `d${size}`, ...(raised ? { raised } : {}), counterexample: cx(`${size}`) });
    f.failEntry('float64', entry(8, [0, 0]), 'big');
    f.failEntry('float64', entry(2, [1, 0], 'E: x'), 'raised');
    f.failEntry('float64', entry(4, [2, 0]), 'small');
    f.failEntry('float64', entry(6, [3, 0]), 'bigger');
    f.failEntry('float64', entry(9, [4, 0], 'E: y'), 'later');
    expect([f.failed, f.raised]).toEqual([5, 2]);
    expect(f.other?.counterexample.caseId).toBe('4');
    expect(f.raisedBest?.counterexample.caseId).toBe('2');
    expect(f.toJSON().failCauseByDtype).toEqual({ float64: { size: 2, rank: 1, ord: [1, 0], cause: 'raised', detail: 'd2' } });
  });

  it('merging adds the times and the per-dtype counts, and keeps each dtype\'s smallest failure', () => {
    const a = new CheckFold();
    a.pass('float64');
    a.reject('int32', [0, 0], 'r');
    a.fail('float16', { size: 3, rank: 1, ord: [5, 0] }, 'd', undefined, 'late', () => cx('a'));
    a.ms = 5;
    const b = new CheckFold();
    b.pass('float64');
    b.pass('float32');
    b.reject('int32', [1, 0], 'r');
    b.fail('float16', { size: 3, rank: 1, ord: [2, 0] }, 'd', undefined, 'early', () => cx('b'));
    b.ms = 7;
    a.merge(b);
    const s = a.toJSON();
    expect(s.ms).toBe(12);
    expect(s.passedByDtype).toEqual({ float64: 2, float32: 1 });
    expect(s.rejectedByDtype).toEqual({ int32: 2 });
    expect(s.failCauseByDtype.float16?.cause).toBe('early');
    expect(s.other?.counterexample.caseId).toBe('b');
  });

  it('an empty fold\'s state has no failure, rejection or non-judgement in it', () => {
    const s = new CheckFold().toJSON();
    expect(Object.keys(s).sort()).toEqual(['failCauseByDtype', 'failed', 'ms', 'passed', 'passedByDtype', 'planned', 'raised', 'rejected', 'rejectedByDtype', 'stats', 'unjudged', 'unjudgedAllDeferred', 'unjudgedAllHang']);
  });
});

describe('CheckFold orders', () => {
  it('the first rejection and non-judgement are first in case order, whatever order they arrive in', () => {
    const ords: Ordinal[] = [[3, 1], [3, 0], [5, 0], [2, 4]];
    for (const perm of [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]]) {
      const f = new CheckFold();
      for (const k of perm) {
        f.reject('float64', ords[k], `r${ords[k]}`);
        f.unjudge(ords[k], `u${ords[k]}`);
      }
      expect(f.firstRejected?.ord).toEqual([2, 4]);
      expect(f.firstUnjudged?.detail).toBe('u2,4');
    }
    const g = new CheckFold();
    g.reject('float64', [3, 0], 'a');
    g.reject('float64', [3, 1], 'b');
    expect(g.firstRejected?.detail).toBe('a');
  });

  it('of two failures of one size, the lower rank is smaller even when it comes later in case order', () => {
    const f = new CheckFold();
    f.fail('float64', { size: 4, rank: 1, ord: [5, 0] }, 'rank 1', undefined, 'c1', () => cx('rank1'));
    f.fail('float64', { size: 4, rank: 2, ord: [0, 0] }, 'rank 2', undefined, 'c2', () => cx('rank2'));
    expect(f.other?.counterexample.caseId).toBe('rank1');
    expect(f.toJSON().failCauseByDtype.float64?.cause).toBe('c1');
  });

  it('failEntry compares a raised failure with the raised ones only', () => {
    const f = new CheckFold();
    const entry = (size: number, ord: Ordinal, raised?: string) => ({ size, rank: 1, ord, detail: `d${size}`, ...(raised ? { raised } : {}), counterexample: cx(`${size}`) });
    f.failEntry('float64', entry(2, [0, 0]), 'plain');
    f.failEntry('float64', entry(5, [1, 0], 'E: x'), 'raised');
    expect(f.raisedBest?.counterexample.caseId).toBe('5');
    expect(f.other?.counterexample.caseId).toBe('2');
  });
});

describe('CheckFold, the time budget\'s share of what was not judged', () => {
  const BUDGET = "not run: the implementation's time budget of 60 s was used up";

  it('is read from the detail (evaluate.ts words a budget-cut case so), and counted within the unjudged', () => {
    const f = new CheckFold();
    f.unjudge([0, 0], BUDGET);
    f.unjudge([1, 0], 'not judged: the C-order call is not right either (unjudged)');
    f.unjudge([2, 0], 'not judged: the process crashed (see crash)');
    f.unjudge([3, 0], BUDGET);
    expect([f.unjudged, f.outOfBudget]).toEqual([4, 2]);
    expect(f.unjudgedAllHang).toBe(false);
  });

  it('merges, and survives the JSON of a shard; a state written before it had the field reads as 0', () => {
    const a = new CheckFold();
    a.unjudge([0, 0], BUDGET);
    const b = new CheckFold();
    b.unjudge([1, 0], BUDGET);
    b.unjudge([2, 0], BUDGET);
    const m = CheckFold.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    m.merge(CheckFold.fromJSON(JSON.parse(JSON.stringify(b.toJSON()))));
    expect(m.outOfBudget).toBe(3);
    expect(m.toJSON().outOfBudget).toBe(3);
    const old = { ...b.toJSON() };
    delete old.outOfBudget;
    expect(CheckFold.fromJSON(old).outOfBudget).toBe(0);
    expect(new CheckFold().toJSON()).not.toHaveProperty('outOfBudget');
  });
});

describe('CheckFold, whether the cases not judged share one reason', () => {
  const fold = (details: [Ordinal, string][]) => {
    const f = new CheckFold();
    for (const [ord, d] of details) f.unjudge(ord, d);
    return f;
  };
  const A = 'not judged: the process crashed (see crash)';
  const B = 'not judged: the call timed out after 10 ms (see timeout)';
  const BUDGET = "not run: the implementation's time budget of 60 s was used up";

  it('is mixed when any two details differ, in any order; the budget\'s cases are apart', () => {
    expect(fold([[[0, 0], A], [[1, 0], A]]).otherMixed).toBe(false);
    expect(fold([[[1, 0], A], [[0, 0], B]]).otherMixed).toBe(true);
    expect(fold([[[0, 0], B], [[1, 0], A]]).otherMixed).toBe(true);
    const cut = fold([[[0, 0], BUDGET], [[1, 0], A], [[2, 0], A]]);
    expect([cut.otherMixed, cut.firstOther?.detail, cut.firstUnjudged?.detail]).toEqual([false, A, BUDGET]);
  });

  it('merges to what one fold of all the cases says, through JSON', () => {
    const cases: [Ordinal, string][] = [[[0, 0], A], [[1, 0], A], [[2, 0], B], [[3, 0], BUDGET]];
    for (let k = 0; k <= cases.length; k++) {
      const whole = fold(cases);
      const m = CheckFold.fromJSON(JSON.parse(JSON.stringify(fold(cases.slice(0, k)).toJSON())));
      m.merge(CheckFold.fromJSON(JSON.parse(JSON.stringify(fold(cases.slice(k)).toJSON()))));
      expect([m.otherMixed, m.firstOther]).toEqual([whole.otherMixed, whole.firstOther]);
    }
    // two folds, each of one reason, mix when their reasons differ, and not when they agree
    const ab = fold([[[0, 0], A]]);
    ab.merge(fold([[[1, 0], B]]));
    expect(ab.otherMixed).toBe(true);
    const aa = fold([[[0, 0], A]]);
    aa.merge(fold([[[1, 0], A]]));
    expect(aa.otherMixed).toBe(false);
    // a fold with no such case (empty, or only the budget's) takes the other's reason, on either side
    for (const none of [new CheckFold(), fold([[[5, 0], BUDGET]])]) {
      const left = CheckFold.fromJSON(none.toJSON());
      left.merge(fold([[[1, 0], A]]));
      const right = fold([[[1, 0], A]]);
      right.merge(CheckFold.fromJSON(none.toJSON()));
      for (const m of [left, right]) expect([m.otherMixed, m.firstOther?.detail]).toEqual([false, A]);
    }
  });
});
