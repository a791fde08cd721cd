// Settling hang records: the units two workers each timed out on (two per worker, as each learns the hang by
// itself) settle into what one worker would have found: the first two timeouts in the whole order, the rest not run.
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../model.js';
import { CheckFold, type Ordinal } from './check-fold.js';
import { settleHangs, type HangRecord } from './hang-ledger.js';
import { StatsFold } from './stats-fold.js';
import { emptySample } from '../tolerance/metrics.js';

const cx = (o: number): Counterexample => ({ caseId: `c${o}`, input: { dtype: 'float64', shape: [2, 2, 2], data: [] } as unknown as Counterexample['input'], args: {}, python: '' });

/** A unit of case `o` whose rank-3 call timed out: `timeout` fails on it, `crash` passes, `values` is not judged. */
function hungUnit(o: number): HangRecord {
  const ord: Ordinal = [o, 0];
  return {
    binding: 0, ord, dtype: 'float64', hung: [{ rank: 3, size: 8 }],
    checks: [
      { check: 0, touched: true, timeoutFamily: true, j: { status: 'fail', entry: { size: 8, rank: 3, ord, detail: `timed out on c${o}`, counterexample: cx(o) }, cause: '' } },
      { check: 1, touched: true, timeoutFamily: false, j: { status: 'pass' } },
      { check: 2, touched: true, timeoutFamily: false, j: { status: 'unjudged', detail: 'not judged: the call timed out after 1500 ms (see timeout)' } },
    ],
  };
}

const settle = (records: HangRecord[]) => {
  const folds = [[new CheckFold(), new CheckFold(), new CheckFold()]];
  settleHangs(folds, records);
  return folds[0];
};

describe('settleHangs', () => {
  // worker A had cases 0, 2, 4, 6 and timed out on 0 and 2; worker B had 1, 3, 5, 7 and timed out on 1 and 3
  const split = [hungUnit(2), hungUnit(0), hungUnit(3), hungUnit(1)];

  it('keeps the first two timeouts of the whole order and makes the others not run', () => {
    const [timeout, crash, values] = settle(split);
    expect(timeout.failed).toBe(2);
    expect(timeout.other?.counterexample.caseId).toBe('c0');
    expect(timeout.unjudged).toBe(2);
    expect(timeout.firstUnjudged?.detail).toBe('not run: the candidate timed out on 2 rank-3 inputs, so the rest of them were not sent (see timeout)');
    expect(timeout.firstUnjudged?.ord).toEqual([2, 0]);
    expect(crash.passed).toBe(2);
    expect(crash.unjudged).toBe(2);
    expect(values.unjudged).toBe(4);
    expect(values.firstUnjudged?.detail).toMatch(/^not judged: the call timed out/);
  });

  it('gives what one worker that timed out on cases 0 and 1 gives, in any order of the records', () => {
    const one = settle([hungUnit(0), hungUnit(1)]);
    const reversed = settle([...split].reverse());
    for (const [a, b] of [[one[0], reversed[0]], [one[1], reversed[1]]]) {
      expect(b.failed).toBe(a.failed);
      expect(b.passed).toBe(a.passed);
      expect(b.other?.counterexample.caseId).toBe(a.other?.counterexample.caseId);
    }
  });

  it('leaves the records as they were (a later settling, or a merge, reads them again)', () => {
    const records = [hungUnit(3), hungUnit(1)];
    const before = JSON.stringify(records);
    settle(records);
    expect(JSON.stringify(records)).toBe(before);
    expect(settle(records)[0].failed).toBe(2);
  });
});

describe('settleHangs, judgement by judgement', () => {
  const stats = (ulps: number[]) => {
    const s = new StatsFold();
    const e = emptySample(ulps.length);
    ulps.forEach((u, i) => (e.ulps[i] = u));
    s.add(e);
    return s.toJSON();
  };
  /** a rank-2 unit of case o that hung; its check 0 judged `j`, touched or not, of the timeout family or not */
  const unit = (o: number, j: HangRecord['checks'][number]['j'], touched = true, timeoutFamily = false): HangRecord => ({
    binding: 0, ord: [o, 0], dtype: 'float32', hung: [{ rank: 2, size: 4 }], checks: [{ check: 0, touched, timeoutFamily, j }],
  });
  const entry = (o: number) => ({ size: 4, rank: 2, ord: [o, 0] as Ordinal, detail: `crashed on c${o}`, counterexample: cx(o) });
  const settleOne = (records: HangRecord[]) => {
    const f = new CheckFold();
    settleHangs([[f]], records);
    return f;
  };
  // two timeouts of rank 2 first (cases 0 and 1): the class is given up for case 2 on
  const hangs = [unit(0, { status: 'unjudged', detail: 'not judged: the call timed out after 5 ms (see timeout)' }), unit(1, { status: 'unjudged', detail: 'not judged: the call timed out after 5 ms (see timeout)' })];

  it('before the class is given up, each judgement folds as judged, with its statistics', () => {
    const f = settleOne([unit(0, { status: 'pass', stats: stats([1, 2]) }), unit(1, { status: 'fail', entry: entry(1), cause: 'why', stats: stats([7]) })]);
    expect([f.passed, f.failed, f.unjudged]).toEqual([1, 1, 0]);
    expect(f.toJSON().passedByDtype).toEqual({ float32: 1 });
    expect(f.other?.detail).toBe('crashed on c1');
    expect(f.toJSON().failCauseByDtype.float32?.cause).toBe('why');
    expect(f.stats.summary()!.elements).toBe(3);
    expect(f.stats.summary()!.maxUlp).toBe(7);
    const g = settleOne([unit(0, { status: 'rejected', detail: 'no' }), unit(1, { status: 'unjudged', detail: 'not judged: x' })]);
    expect([g.rejected, g.unjudged]).toEqual([1, 1]);
    expect(g.toJSON().rejectedByDtype).toEqual({ float32: 1 });
    expect(g.firstRejected?.detail).toBe('no');
    expect(g.firstUnjudged?.detail).toBe('not judged: x');
  });

  it('after it: a touched judgement is not run, except another family\'s own failure, which stands', () => {
    const failed = settleOne([...hangs, unit(2, { status: 'fail', entry: entry(2), cause: '' })]);
    expect(failed.failed).toBe(1);
    expect(failed.unjudged).toBe(2);
    const timeoutFail = settleOne([...hangs, unit(2, { status: 'fail', entry: entry(2), cause: '' }, true, true)]);
    expect(timeoutFail.failed).toBe(0);
    expect(timeoutFail.unjudged).toBe(3);
    const passed = settleOne([...hangs, unit(2, { status: 'pass', stats: stats([1]) })]);
    expect([passed.passed, passed.unjudged]).toEqual([0, 3]);
    expect(passed.stats.summary()).toBeUndefined();
  });

  it('a judgement the timeout did not touch stands, even after the class was given up', () => {
    const f = settleOne([...hangs, unit(2, { status: 'pass' }, false)]);
    expect([f.passed, f.unjudged]).toEqual([1, 2]);
  });

  it('records are replayed by binding first, then case, then unit', () => {
    const at = (binding: number, o: number, k: number): HangRecord => ({ ...unit(o, { status: 'fail', entry: { ...entry(o), ord: [o, k] }, cause: '' }, true, true), binding, ord: [o, k] });
    const folds = [[new CheckFold()], [new CheckFold()]];
    settleHangs(folds, [at(1, 0, 0), at(0, 5, 1), at(0, 5, 0), at(0, 9, 0), at(1, 1, 0)]);
    // binding 0: [5,0] and [5,1] fail (the first two), [9,0] is not run; binding 1's own two fail (one rule for all
    // bindings: the hangs are the candidate's, whatever the binding)
    expect(folds[0][0].failed).toBe(2);
    expect(folds[0][0].unjudged).toBe(1);
    expect(folds[0][0].other?.ord).toEqual([5, 0]);
    expect(folds[1][0].failed).toBe(0);
    expect(folds[1][0].unjudged).toBe(2);
  });
});

describe('settleHangs, classes and order', () => {
  const rec = (o: number, k: number, hung: { rank: number; size: number }[]): HangRecord => ({
    binding: 0, ord: [o, k], dtype: 'float64', hung,
    checks: [{ check: 0, touched: true, timeoutFamily: true, j: { status: 'fail', entry: { size: 1, rank: 1, ord: [o, k], detail: `t${o}/${k}`, counterexample: cx(o) }, cause: '' } }],
  });
  const settleOne = (records: HangRecord[]) => {
    const f = new CheckFold();
    settleHangs([[f]], records);
    return f;
  };

  it('rank-0 inputs are a class of their own', () => {
    const f = settleOne([rec(0, 0, [{ rank: 0, size: 1 }]), rec(1, 0, [{ rank: 0, size: 1 }]), rec(2, 0, [{ rank: 0, size: 1 }])]);
    expect(f.failed).toBe(2);
    expect(f.firstUnjudged?.detail).toBe('not run: the candidate timed out on 2 rank-0 inputs, so the rest of them were not sent (see timeout)');
  });

  it('within a case, units replay in their order', () => {
    const f = settleOne([rec(5, 1, [{ rank: 1, size: 2 }]), rec(1, 0, [{ rank: 1, size: 2 }]), rec(5, 0, [{ rank: 1, size: 2 }])]);
    expect(f.failed).toBe(2);
    expect(f.firstUnjudged?.ord).toEqual([5, 1]);
  });

  it('a unit is not sent when any of its hung inputs is of a class given up', () => {
    const f = settleOne([rec(0, 0, [{ rank: 3, size: 8 }]), rec(1, 0, [{ rank: 3, size: 8 }]), rec(2, 0, [{ rank: 2, size: 4 }, { rank: 3, size: 8 }])]);
    expect(f.failed).toBe(2);
    expect(f.firstUnjudged?.detail).toMatch(/^not run: the candidate timed out on 2 rank-3 inputs/);
  });
});
