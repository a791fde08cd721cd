// merge joins only the whole set of shards of one run, each judged alike: what judging.ts checks, one way to
// differ at a time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { RunReport } from '../model.js';
import { makeReport } from '../report/fixtures.js';
import { assertSameJudging, assertWholeSet, auditJudging, judgingDifferences, runJudging } from './judging.js';

const JUDGING = { manifestSha256: 'a'.repeat(64), maxElements: 1000, strictDomain: false, timeoutMs: 10000, memoryMb: 4096 };
const shard = (k: number, n: number, over: Partial<RunReport['settings']> = {}, env: Partial<RunReport['environment']> = {}): RunReport => {
  const r = makeReport();
  return { ...r, settings: { ...r.settings, shard: `${k}/${n}`, judging: { ...JUDGING }, ...over }, environment: { ...r.environment, ...env } };
};
function messageOf(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('assertWholeSet', () => {
  it('accepts shards 1/N ... N/N in any order', () => {
    expect(() => assertWholeSet([shard(3, 3), shard(1, 3), shard(2, 3)], 'shard reports')).not.toThrow();
    expect(() => assertWholeSet([shard(1, 1)], 'shard reports')).not.toThrow();
  });
  it('refuses a missing shard, naming each one missing', () => {
    expect(messageOf(() => assertWholeSet([shard(1, 2)], 'shard reports'))).toBe('merge: shard 2/2 missing: a merge of some of the shard reports is not the whole run');
    expect(messageOf(() => assertWholeSet([shard(2, 4)], 'audit shards'))).toBe('merge: shards 1/4, 3/4, 4/4 missing: a merge of some of the audit shards is not the whole run');
  });
  it('refuses a shard given twice, one of another split, and a report that is no shard', () => {
    expect(messageOf(() => assertWholeSet([shard(1, 2), shard(1, 2), shard(2, 2)], 'shard reports'))).toBe('merge: shard 1/2 is given twice');
    expect(messageOf(() => assertWholeSet([shard(1, 2), shard(2, 3)], 'shard reports'))).toBe('merge: shard 2/3 is not one of 2 shards');
    expect(messageOf(() => assertWholeSet([makeReport()], 'shard reports'))).toMatch(/^merge: the report is not a shard/);
    expect(messageOf(() => assertWholeSet([shard(1, 2), makeReport()], 'shard reports'))).toMatch(/^merge: a report is not a shard/);
  });
});

describe('assertSameJudging', () => {
  it('accepts shards judged alike', () => {
    expect(() => assertSameJudging([shard(1, 2), shard(2, 2)], 'shard reports')).not.toThrow();
  });
  it.each([
    [{ profile: 'loose' }, {}, '--profile (strict vs loose)'],
    [{ policy: 'limit' as const }, {}, '--policy (ieee vs limit)'],
    [{ seed: 7 }, {}, '--seed (42 vs 7)'],
    [{ numRuns: 5 }, {}, '--num-runs (100 vs 5)'],
    [{ judging: { ...JUDGING, timeoutMs: 500 } }, {}, '--timeout (10000 vs 500)'],
    [{ judging: { ...JUDGING, maxElements: 10 } }, {}, '--max-elements (1000 vs 10)'],
    [{ judging: { ...JUDGING, strictDomain: true } }, {}, '--strict-domain (false vs true)'],
    [{ judging: { ...JUDGING, manifestSha256: 'b'.repeat(64) } }, {}, `--manifest (its contents) ("${'a'.repeat(64)}" vs "${'b'.repeat(64)}")`],
    [{ judging: undefined }, {}, '--manifest (its contents) ("' + 'a'.repeat(64) + '" vs (not recorded))'],
    [{}, { numpy: '2.0.0' }, 'NumPy (1.26.4 vs 2.0.0)'],
    [{}, { python: '3.12.1' }, 'Python (3.11.2 vs 3.12.1)'],
    [{}, { platform: 'darwin arm64' }, 'platform (linux x64 vs darwin arm64)'],
  ])('refuses a shard with %o %o, naming %s', (settings, env, said) => {
    const m = messageOf(() => assertSameJudging([shard(1, 2), shard(2, 2, settings, env)], 'shard reports'));
    expect(m).toMatch(/^merge: the shard reports were not judged alike, so together they are not one run: /);
    expect(m).toContain(said);
    expect(m).toMatch(/\(1\/2 against 2\/2\)$/);
  });
  it('a different Node alone is no difference (the oracle does not depend on it)', () => {
    expect(() => assertSameJudging([shard(1, 2), shard(2, 2, {}, { node: 'v22.1.0' })], 'shard reports')).not.toThrow();
  });
});

describe('what a report records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-judging-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('run: the manifest by its bytes, and the options that change outcomes', () => {
    const m = join(dir, 'manifest.json');
    writeFileSync(m, '{"a": 1}');
    const j = runJudging({ maxElements: 5, strictDomain: true, timeoutMs: 100, startTimeoutMs: 200, budgetMs: 300, memoryMb: 400 }, m);
    // sha256 of the bytes {"a": 1} (printf '{"a": 1}' | sha256sum)
    expect(j).toEqual({ manifestSha256: 'f9d86028c6e0d64e225186f96acb69338b2c59764df79162107f5c4bb34d1310', maxElements: 5, strictDomain: true, timeoutMs: 100, startTimeoutMs: 200, budgetMs: 300, memoryMb: 400 });
    writeFileSync(m, '{"a": 2}');
    expect(runJudging({ strictDomain: false, timeoutMs: 1, memoryMb: 1 }, m).manifestSha256).not.toBe(j.manifestSha256);
  });
  it('audit: the contract, call, dtypes and limits; what was not set is left out', () => {
    const j = auditJudging({ contract: 'first', alsoLast: true, dtypes: ['float32'], strictDomain: false, timeoutMs: 9, memoryMb: 8, pythonPath: [] });
    expect(j).toEqual({ contract: 'first', alsoLast: true, dtypes: ['float32'], strictDomain: false, timeoutMs: 9, memoryMb: 8 });
  });
  it('judgingDifferences names each option that differs, and nothing when they agree', () => {
    expect(judgingDifferences({ contract: 'last', dtypes: ['float64'] }, { contract: 'last', dtypes: ['float64'] })).toEqual([]);
    expect(judgingDifferences({ contract: 'last', dtypes: ['float64'] }, { contract: 'all', call: 'x-axis' })).toEqual([
      '--contract ("last" vs "all")', '--dtype (["float64"] vs (not recorded))', '--call ((not recorded) vs "x-axis")',
    ]);
  });
});
