// The exit-code contract's small parts, beside them: the verdict's code, the line that explains an exit 2, and the
// rows --require-all holds a run to.
import { describe, expect, it } from 'vitest';
import { makeImpl, makeReport } from '../report/fixtures.js';
import { exitCodeOf, skippedRows, unjudgedLine } from './exit-code.js';

describe('exit-code', () => {
  it('maps each verdict to its code', () => {
    expect([exitCodeOf('pass'), exitCodeOf('fail'), exitCodeOf('error'), exitCodeOf('incomplete')]).toEqual([0, 1, 2, 130]);
  });
  it('explains an exit 2 with the report\'s reason, and says nothing for a verdict', () => {
    expect(unjudgedLine(makeReport({ verdict: 'error', verdictReason: 'nothing was judged: an empty shard' }))).toBe('softmax-conformance: could not judge: nothing was judged: an empty shard\n');
    expect(unjudgedLine(makeReport({ verdict: 'error' }))).toBe('softmax-conformance: could not judge: unknown reason\n');
    for (const verdict of ['pass', 'fail', 'incomplete'] as const) expect(unjudgedLine(makeReport({ verdict }))).toBe('');
  });
  it('lists the rows skipped here, with what they lacked, and only those', () => {
    const r = makeReport({
      implementations: [
        makeImpl({ id: 'a' }),
        makeImpl({ id: 'tf', status: 'skipped', statusDetail: 'skipped: not installed: module tensorflow is missing', verdict: 'skip' }),
        makeImpl({ id: 'cuda', status: 'skipped', verdict: 'skip' }),
        makeImpl({ id: 'broken', status: 'import-error', verdict: 'fail' }),
      ],
    });
    expect(skippedRows(r)).toEqual(['tf: skipped: not installed: module tensorflow is missing', 'cuda: skipped']);
    expect(skippedRows(makeReport({ implementations: [makeImpl({ id: 'a' })] }))).toEqual([]);
  });
});
