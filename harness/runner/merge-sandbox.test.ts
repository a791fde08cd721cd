import { describe, expect, it } from 'vitest';
import { makeReport } from '../report/fixtures.js';
import { mergedSandbox, mergeReports } from './merge.js';

const SANDBOXED = { sandboxed: true, tool: 'bubblewrap 0.8.0', namespaces: ['user', 'pid'], uid: 1000, gid: 1000 };

describe('merging shards keeps the weakest trust level', () => {
  it('is sandboxed only when every shard was', () => {
    expect(mergedSandbox([makeReport({ sandbox: SANDBOXED }), makeReport({ sandbox: SANDBOXED })])).toEqual(SANDBOXED);
    const merged = mergedSandbox([makeReport({ sandbox: SANDBOXED }), makeReport({ sandbox: { sandboxed: false, reason: 'turned off with --sandbox none' } })]);
    expect(merged).toEqual({ sandboxed: false, reason: 'a shard ran unsandboxed: turned off with --sandbox none' });
    expect(mergedSandbox([makeReport({ sandbox: SANDBOXED }), makeReport({})])).toBeUndefined();
  });

  it('shards all unsandboxed for one reason merge to what the unsharded report says (no bubblewrap on the machine)', () => {
    const none = { sandboxed: false, reason: 'bubblewrap (bwrap) is not installed' };
    expect(mergedSandbox([makeReport({ sandbox: none }), makeReport({ sandbox: { ...none } })])).toEqual(none);
    const other = { sandboxed: false, reason: 'turned off with --sandbox none' };
    expect(mergedSandbox([makeReport({ sandbox: none }), makeReport({ sandbox: other })])).toEqual({ sandboxed: false, reason: `a shard ran unsandboxed: ${none.reason}` });
  });

  it('the merged report carries it', () => {
    const a = makeReport({ sandbox: SANDBOXED, implementations: [], settings: { ...makeReport().settings, shard: '1/1' } });
    expect(mergeReports([a], []).sandbox).toEqual(SANDBOXED);
  });
});
