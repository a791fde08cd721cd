// Issue 6: `run --shard K/N` runs a deterministic share of the implementations, and `merge` combines the shard
// reports into one that reads exactly like an unsharded run of the same implementations.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateJson } from '../harness/json-files.js';
import { loadManifest } from '../harness/manifest.js';
import type { ImplementationResult, RunReport } from '../harness/model.js';



// Five numpy-only implementations, named out of manifest order: the shards follow the manifest, not --only.
const IDS = ['numpy-stable', 'quiz-axis0-naive', 'question-global-sum', 'inplace-rows', 'transpose-max-last'];
const COMMON = ['--only', IDS.join(','), '--num-runs', '10', '--seed', '20161127'];

const tmp = tempDirs('sc-shard-');
const readReport = (dir: string): RunReport => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;

/** Everything a verdict matrix holds, per implementation × check × contract. */
function verdicts(r: RunReport) {
  return r.implementations.map((i: ImplementationResult) => ({
    id: i.id,
    status: i.status,
    verdict: i.verdict,
    checks: i.checks.map((c) => ({
      check: `${c.name} [${c.contract.rule}, ${c.contract.policy}]`,
      verdict: c.verdict,
      diagnosis: c.diagnosis,
      expectation: c.expectation,
      cases: c.cases,
    })),
  }));
}

let shard1: RunReport;
let shard2: RunReport;
let unsharded: RunReport;
let merged: RunReport;
let mergedDir: string;
let codes: { shard1: number; shard2: number; unsharded: number; merge: number };
const ms: Record<string, number> = {};

beforeAll(async () => {
  const [d1, d2, du] = [tmp(), tmp(), tmp()];
  mergedDir = tmp();
  const timed = async (name: string, args: string[]) => {
    const t = performance.now();
    const r = await cli(args);
    ms[name] = Math.round(performance.now() - t);
    if (r.code !== 0 && r.code !== 1) throw new Error(`${name}: exit ${r.code}\n${r.stderr}`);
    return r;
  };
  // The two shards side by side, as a CI matrix runs them; the unsharded run after them (two cores).
  const [r1, r2] = await Promise.all([
    timed('shard 1/2', ['run', ...COMMON, '--shard', '1/2', '--reports', d1]),
    timed('shard 2/2', ['run', ...COMMON, '--shard', '2/2', '--reports', d2]),
  ]);
  const ru = await timed('unsharded', ['run', ...COMMON, '--reports', du]);
  const rm = await timed('merge', ['merge', join(d1, 'report.json'), join(d2, 'report.json'), '--reports', mergedDir]);
  codes = { shard1: r1.code, shard2: r2.code, unsharded: ru.code, merge: rm.code };
  [shard1, shard2, unsharded, merged] = [readReport(d1), readReport(d2), readReport(du), readReport(mergedDir)];
  console.log(`shard-merge: ${Object.entries(ms).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
}, 180_000);

describe('sharded, then merged', () => {
  it('each shard runs a deterministic, disjoint share, in manifest order, and together they cover the run', () => {
    const order = loadManifest().implementations.map((e) => e.id).filter((id) => IDS.includes(id));
    expect(shard1.implementations.map((i) => i.id)).toEqual(order.filter((_, k) => k % 2 === 0));
    expect(shard2.implementations.map((i) => i.id)).toEqual(order.filter((_, k) => k % 2 === 1));
    expect(shard1.settings.shard).toBe('1/2');
    expect(shard2.settings.shard).toBe('2/2');
    expect(unsharded.implementations.map((i) => i.id)).toEqual(order);
  });

  it('the merged report validates against report.schema.json and has every report file', () => {
    validateJson(merged, 'report.schema.json', join(mergedDir, 'report.json'));
    for (const f of ['report.json', 'summary.md', 'report.html', 'junit.xml']) expect(existsSync(join(mergedDir, f)), f).toBe(true);
    expect(merged.settings.shard).toBeUndefined();
  });

  it('has the unsharded run\'s verdicts, per implementation × check, in the same order', () => {
    expect(verdicts(merged)).toEqual(verdicts(unsharded));
    expect(merged.verdict).toBe(unsharded.verdict);
    expect(codes.merge).toBe(codes.unsharded);
  });

  it('has the unsharded run\'s accounting', () => {
    expect(merged.accounting).toEqual(unsharded.accounting);
    expect(merged.accounting.planned).toBe(shard1.accounting.planned + shard2.accounting.planned);
    expect(merged.accounting.planned).toBe(merged.accounting.run + merged.accounting.notRun);
  });

  it('keeps the settings that make runs comparable', () => {
    for (const k of ['profile', 'policy', 'seed', 'numRuns', 'judging'] as const) expect(merged.settings[k]).toEqual(unsharded.settings[k]);
    expect(merged.settings.judging).toMatchObject({ timeoutMs: 10000, maxElements: 1048576, strictDomain: false });
    expect(merged.settings.judging?.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('merge refuses what is not one whole run (exit 2)', () => {
  const write = (r: RunReport) => {
    const f = join(tmp(), 'report.json');
    writeFileSync(f, JSON.stringify(r));
    return f;
  };
  it('a shard missing (a CI job that failed to upload its report): never a pass on half the rows', async () => {
    const m = await cli(['merge', write(shard1), '--reports', tmp()]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('merge: shard 2/2 missing');
    expect(m.stdout).toBe('');
  });
  it('a shard judged with other options or another manifest, named in the message', async () => {
    const slower = { ...shard2, settings: { ...shard2.settings, judging: { ...shard2.settings.judging, timeoutMs: 500 } } };
    const edited = { ...shard2, settings: { ...shard2.settings, judging: { ...shard2.settings.judging, manifestSha256: '0'.repeat(64) } } };
    for (const [r, said] of [[slower, '--timeout (10000 vs 500)'], [edited, '--manifest (its contents)']] as const) {
      const m = await cli(['merge', write(shard1), write(r), '--reports', tmp()]);
      expect(m.code).toBe(2);
      expect(m.stderr).toContain(said);
    }
  });

  it('has the unsharded run\'s golden matrix (implementations × libraries)', () => {
    // Each shard report carries the golden rows of its own implementations; the merge must not drop them.
    expect(unsharded.golden?.matrix.length).toBe(IDS.length);
    expect(merged.golden?.matrix, 'the merged report has no golden matrix').toEqual(unsharded.golden?.matrix);
  });

  it('has the unsharded run\'s rows of ONNX\'s node tests', () => {
    expect(unsharded.external?.rows.length).toBe(IDS.length);
    expect(merged.external?.rows, 'the merged report has no ONNX node-test rows').toEqual(unsharded.external?.rows);
  });
});
