// An evaluation's partial: the shares of one evaluation (--jobs, --shard) merge into the whole, through JSON too,
// and refuse to merge evaluations of other bindings or checks. The distinct calls travel as cyrb53 hashes in shard
// reports, so the hash must be cyrb53 itself (two builds merging each other's shards must hash alike).
import { describe, expect, it } from 'vitest';
import { CheckFold } from './check-fold.js';
import type { HangRecord } from './hang-ledger.js';
import { InferenceFold } from './inference-fold.js';
import { EvaluationPartial, hash53 } from './partial.js';

const folds = (shape: number[]) => shape.map((n) => Array.from({ length: n }, () => new CheckFold()));
const hang = (o: number): HangRecord => ({ binding: 0, ord: [o, 0], dtype: 'float64', hung: [{ rank: 1, size: 2 }], checks: [{ check: 0, touched: true, timeoutFamily: true, j: { status: 'unjudged', detail: 'not judged: the call timed out after 1 ms (see timeout)' } }] });

describe('hash53', () => {
  it('is cyrb53 (seed 0): pinned values (shard reports carry them), 53 bits, different for near strings', () => {
    expect(hash53('a')).toBe(7929297801672961);
    expect(hash53('')).toBe(3338908027751811);
    expect(hash53('float64|2|AAAA|-1|-|0')).toBe(6037392114991803);
    expect(hash53('float64|2|AAAA|-1|-|1')).not.toBe(hash53('float64|2|AAAA|-1|-|0'));
    for (const s of ['x', 'xy', 'a much longer key|with|parts']) expect(hash53(s)).toBeLessThan(2 ** 53);
  });
});

describe('EvaluationPartial', () => {
  it('merges the folds check by check, the calls as a union and the hang records, and round-trips through JSON', () => {
    const a = new EvaluationPartial(folds([2]), new InferenceFold(), new Set([5, 1]), [hang(0)]);
    const b = new EvaluationPartial(folds([2]), new InferenceFold(), new Set([1, 3]), [hang(1)]);
    a.checks[0][1].pass('float64');
    b.checks[0][1].pass('float32');
    b.checks[0][0].reject('int32', [1, 0], 'r');
    b.inference.ranks.add(2);
    a.merge(EvaluationPartial.fromJSON(JSON.parse(JSON.stringify(b.toJSON()))));
    expect(a.checks[0][1].passed).toBe(2);
    expect(a.checks[0][0].rejected).toBe(1);
    expect(a.checks[0][0].passed).toBe(0);
    expect([...a.inference.ranks]).toEqual([2]);
    const s = a.toJSON();
    expect(s.calls).toEqual([1, 3, 5]);
    expect(s.hangs?.map((h) => h.ord[0])).toEqual([0, 1]);
    expect(EvaluationPartial.fromJSON(JSON.parse(JSON.stringify(s))).toJSON()).toEqual(s);
  });

  it('writes no hangs field when nothing hung, and reads its absence as none', () => {
    const p = new EvaluationPartial(folds([1]), new InferenceFold(), new Set());
    expect(p.toJSON()).not.toHaveProperty('hangs');
    expect(EvaluationPartial.fromJSON(p.toJSON()).hangs).toEqual([]);
  });

  it('refuses to merge an evaluation of other bindings or other checks', () => {
    const p = () => new EvaluationPartial(folds([2, 2]), new InferenceFold(), new Set());
    expect(() => p().merge(new EvaluationPartial(folds([2]), new InferenceFold(), new Set()))).toThrow('cannot merge evaluations of different bindings or checks');
    expect(() => p().merge(new EvaluationPartial(folds([2, 3]), new InferenceFold(), new Set()))).toThrow('cannot merge evaluations of different bindings or checks');
    expect(() => p().merge(new EvaluationPartial(folds([3, 2]), new InferenceFold(), new Set()))).toThrow('cannot merge evaluations of different bindings or checks');
    expect(() => p().merge(p())).not.toThrow();
  });

  it('settles its hang records into copies: the folds it holds stay as they were', () => {
    const p = new EvaluationPartial(folds([1]), new InferenceFold(), new Set(), [hang(0)]);
    const settled = p.settled();
    expect(settled[0][0].unjudged).toBe(1);
    expect(p.checks[0][0].unjudged).toBe(0);
    expect(p.settled()[0][0].unjudged).toBe(1); // again: the records are still there
  });
});
