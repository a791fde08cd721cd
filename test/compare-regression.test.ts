// Issue 6, "Done when" bullet 2: `compare` on a baseline and a report with one deliberately broken implementation
// exits 1 and names it; a report compared with itself exits 0.
//
// Both runs use a manifest in a temporary folder next to copies of the files it names (a manifest's `file` is
// relative to the manifest's own folder: harness/manifest.ts implementationFile); in the second folder
// numpy_stable.py no longer subtracts the max.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifest, type Manifest } from '../harness/manifest.js';
import type { RunReport } from '../harness/model.js';
import { projectPath } from '../harness/paths.js';
import { compareReports } from '../harness/report/compare.js';



const IDS = ['numpy-stable', 'question-global-sum', 'inplace-rows'];
const BROKEN = 'numpy-stable';

/** A folder with a manifest of IDS and copies of their files; `edit` may change a file's text. */
function implementationsFolder(root: string, name: string, edit?: (file: string, text: string) => string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const real = loadManifest();
  const entries = IDS.map((id) => real.implementations.find((e) => e.id === id)!);
  for (const e of entries) {
    const text = readFileSync(projectPath('implementations', e.file!), 'utf8');
    const edited = edit ? edit(e.file!, text) : text;
    if (edited === text) copyFileSync(projectPath('implementations', e.file!), join(dir, e.file!));
    else writeFileSync(join(dir, e.file!), edited);
  }
  const manifest: Manifest = { schemaVersion: 1, implementations: entries };
  const path = join(dir, 'manifest.json');
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  loadManifest(path); // valid, or this throws
  return path;
}

/** numpy-stable without the max subtraction: exp overflows on [1000, 5]. */
function dropMaxShift(file: string, text: string): string {
  if (file !== 'numpy_stable.py') return text;
  const broken = text.replace('e = np.exp(x - m)', 'e = np.exp(x)');
  if (broken === text) throw new Error('numpy_stable.py changed: cannot find "e = np.exp(x - m)" to break');
  return broken;
}

let root: string;
const tmp = tempDirs('sc-compare-');
let base: { path: string; code: number; report: RunReport };
let next: { path: string; code: number; report: RunReport };

beforeAll(async () => {
  root = tmp();
  const baseManifest = implementationsFolder(root, 'base');
  const brokenManifest = implementationsFolder(root, 'broken', dropMaxShift);
  expect(readFileSync(join(root, 'broken', 'numpy_stable.py'), 'utf8')).toContain('e = np.exp(x)\n');
  const run = async (name: string, manifest: string) => {
    const reports = join(root, `reports-${name}`);
    const r = await cli(['run', '--manifest', manifest, '--num-runs', '10', '--reports', reports, '--reporters', 'json,markdown']);
    if (r.code !== 0 && r.code !== 1) throw new Error(`${name} run: exit ${r.code}\n${r.stderr}`);
    const path = join(reports, 'report.json');
    return { path, code: r.code, report: JSON.parse(readFileSync(path, 'utf8')) as RunReport };
  };
  [base, next] = await Promise.all([run('base', baseManifest), run('broken', brokenManifest)]);
}, 180_000);

describe('compare BASE NEW with one implementation broken', () => {
  it('each run ran the files next to its manifest', () => {
    for (const [run, folder] of [[base, 'base'], [next, 'broken']] as const) {
      for (const impl of run.report.implementations) {
        const file = loadManifest(join(root, folder, 'manifest.json')).implementations.find((e) => e.id === impl.id)!.file!;
        expect(resolve(impl.target!.file), `${folder}: ${impl.id}`).toBe(join(root, folder, file));
      }
    }
  });

  it('the baseline conforms (failures only as expected); the broken run fails the gate', () => {
    expect(base.code).toBe(0);
    expect(base.report.verdict).toBe('pass');
    expect(next.code, 'the run with numpy-stable broken exits 0: the broken file was not the one that ran').toBe(1);
    expect(next.report.verdict).toBe('fail');
  });

  it('exits 1 and names the broken implementation and its new failing checks', async () => {
    const md = join(root, 'comparison.md');
    const html = join(root, 'comparison.html');
    const r = await cli(['compare', base.path, next.path, '--markdown', md, '--html', html]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^\*\*REGRESSION\*\*/);
    expect(r.stdout).toContain('### New failures');
    expect(r.stdout).toContain(`${BROKEN} · overflow [last, ieee]`);
    expect(readFileSync(md, 'utf8')).toBe(r.stdout.replace(/\n$/, ''));
    expect(existsSync(html) && readFileSync(html, 'utf8')).toContain(BROKEN);

    // Only the broken one changed, and the exp overflow is among its new failures, under each contract it claims.
    const c = compareReports(base.report, next.report);
    expect(c.newFailures.length).toBeGreaterThan(0);
    expect(new Set(c.newFailures.map((x) => x.ref.implementation))).toEqual(new Set([BROKEN]));
    const failing = c.newFailures.map((x) => `${x.ref.family} ${x.ref.rule}`);
    expect(failing).toContain('overflow last');
    expect(failing).toContain('overflow axis-arg');
    for (const x of c.newFailures) {
      expect(x.before?.verdict, x.key).toBe('pass');
      expect(x.after?.verdict, x.key).toBe('fail');
      // every new failure is in the output, with its diagnosis
      expect(r.stdout).toContain(`${x.ref.implementation} · ${x.ref.check} [${x.ref.rule}, ${x.ref.policy}]`);
    }
    expect(c.implementationsAdded).toEqual([]);
    expect(c.implementationsRemoved).toEqual([]);
  });

  it('a report compared with itself exits 0', async () => {
    for (const p of [base.path, next.path]) {
      const r = await cli(['compare', p, p]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\*\*NO REGRESSION\*\* · 0 new failures · 0 fixed · 0 drifted · 0 changed diagnoses/);
    }
  });

  it('compared the other way round, the broken implementation\'s failures read as fixed: exit 0', async () => {
    const r = await cli(['compare', next.path, base.path]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('### Fixed');
    expect(r.stdout).toContain(`${BROKEN} · overflow [last, ieee]`);
  });
});
