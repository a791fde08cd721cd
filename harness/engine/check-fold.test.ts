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
