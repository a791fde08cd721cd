// Settling hang records: the units two workers each timed out on (two per worker, as each learns the hang by
// itself) settle into what one worker would have found: the first two timeouts in the whole order, the rest not run.
import { describe, expect, it } from 'vitest';
import type { Counterexample } from '../model.js';
import { CheckFold, type Ordinal } from './check-fold.js';
import { settleHangs, type HangRecord } from './hang-ledger.js';

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
