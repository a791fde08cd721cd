// A gate must not pass by doing nothing (issue 13, items 1-2): a typo, a missing target or a run that judged no case
// is exit 2 with the reason, never "PASS … 0 checks" and never "DOES NOT CONFORM" for a configuration mistake.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../harness/cli/exit-code.js';
import type { ImplementationResult } from '../harness/model.js';
import { projectPath } from '../harness/paths.js';
import { whyUnjudged } from '../harness/runner/report-build.js';
import { closest } from '../harness/suggest.js';
import { cli } from './helpers/cli.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'sc-gate-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A manifest folder holding numpy_stable.py and one entry per given override of the numpy-stable row. */
function manifestWith(rows: Record<string, unknown>[], extraFiles: Record<string, string> = {}): string {
  const dir = tmp();
  cpSync(projectPath('implementations', 'numpy_stable.py'), join(dir, 'numpy_stable.py'));
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text);
  const m = JSON.parse(readFileSync(projectPath('implementations', 'manifest.json'), 'utf8'));
  const base = m.implementations.find((e: { id: string }) => e.id === 'numpy-stable');
  m.implementations = rows.map((r) => ({ ...base, ...r }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  return join(dir, 'manifest.json');
}

const FAST = ['--num-runs', '0', '--parallel', '1'];

describe('run --only', () => {
  it('an unknown id is exit 2 with "did you mean", and runs nothing', async () => {
    const reports = tmp();
    const r = await cli(['run', '--only', 'numpy-stabel', '--reports', reports, ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown implementation id "numpy-stabel" (did you mean "numpy-stable"?)');
    expect(r.stdout).not.toMatch(/PASS/);
  });
  it('an unknown id beside a known one is not dropped silently', async () => {
    const r = await cli(['run', '--only', 'numpy-stable,numpy-stabel', '--reports', tmp(), ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"numpy-stabel"');
    expect(r.stderr).not.toContain('"numpy-stable" (did');
  });
});

describe('a run that judged nothing exits 2 and says why', () => {
  it('every row skipped (its library is missing)', async () => {
    const manifest = manifestWith([{ id: 'needs-missing', file: 'needs_missing.py' }], {
      'needs_missing.py': 'import no_such_module_sc_gate\n\ndef softmax(x, axis=-1):\n    return x\n',
    });
    const reports = tmp();
    const r = await cli(['run', '--manifest', manifest, '--reports', reports, ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could not judge: nothing was judged: needs-missing: skipped: not installed: module no_such_module_sc_gate/);
    const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8'));
    expect(report.verdict).toBe('error');
    expect(report.verdictReason).toMatch(/^nothing was judged/);
  });
  it('an empty shard', async () => {
    const manifest = manifestWith([{ id: 'only-row' }]);
    const r = await cli(['run', '--manifest', manifest, '--shard', '2/2', '--reports', tmp(), ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was judged: no implementation was selected');
  });
});

describe('a target that does not exist is a configuration error (exit 2), not a failing candidate', () => {
  it('run: a manifest row naming a missing function; the other rows are still judged', async () => {
    const manifest = manifestWith([{ id: 'good' }, { id: 'typo', function: 'softmx' }]);
    const reports = tmp();
    const r = await cli(['run', '--manifest', manifest, '--reports', reports, ...FAST]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("typo: configuration error: numpy_stable.py has no function 'softmx' (callables it defines: softmax)");
    const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8'));
    const byId = Object.fromEntries(report.implementations.map((i: ImplementationResult) => [i.id, i]));
    expect(byId.good.verdict).toBe('pass');
    expect(byId.typo.status).toBe('config-error');
    expect(byId.typo.checks.every((c: { verdict: string; cases: { planned: number } }) => c.verdict === 'error' && c.cases.planned > 0)).toBe(true);
  });
  it('audit: a wrong function name lists the callables the file defines', async () => {
    const r = await cli(['audit', `${projectPath('implementations', 'numpy_stable.py')}:softmx`, '--contract', 'last', '--num-runs', '5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('COULD NOT JUDGE');
    expect(r.stdout).toContain("has no function 'softmx' (callables it defines: softmax)");
    expect(r.stdout).not.toContain('DOES NOT CONFORM');
  });
  it('audit --json: the report says error, with the reason', async () => {
    const r = await cli(['audit', `${projectPath('implementations', 'numpy_stable.py')}:softmx`, '--contract', 'last', '--num-runs', '5', '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.verdict).toBe('error');
    expect(report.implementations[0].status).toBe('config-error');
  });
  it('audit: a JavaScript file without that export', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'sm.mjs'), 'export function softmax(x) { return x; }\n');
    const r = await cli(['audit', `${join(dir, 'sm.mjs')}:softmx`, '--contract', 'last', '--num-runs', '5']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("has no export 'softmx' (functions it exports: softmax)");
  });
  it('audit: a missing file', async () => {
    const r = await cli(['audit', join(tmp(), 'nothing-here.py:softmax'), '--contract', 'last']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
  });
});

describe('the rules themselves', () => {
  it('exit codes: pass 0, fail 1, error 2, incomplete 130', () => {
    expect([exitCodeOf('pass'), exitCodeOf('fail'), exitCodeOf('error'), exitCodeOf('incomplete')]).toEqual([0, 1, 2, 130]);
  });
  const impl = (over: Partial<ImplementationResult>, cases: { passed: number; failed: number }): ImplementationResult => ({
    id: 'x', title: 'x', source: 's', language: 'python', status: 'ran', verdict: 'pass',
    checks: [{ name: 'values', family: 'values', contract: { rule: 'last', policy: 'ieee', claimed: true }, verdict: 'pass', diagnosis: '', cases: { planned: 3, run: 3, rejected: 0, errors: 0, ...cases }, ms: 0 }],
    ...over,
  } as ImplementationResult);
  it('one judged case is enough; none is not', () => {
    expect(whyUnjudged([impl({}, { passed: 1, failed: 0 })])).toBeUndefined();
    expect(whyUnjudged([impl({}, { passed: 0, failed: 1 })])).toBeUndefined();
    expect(whyUnjudged([impl({ statusDetail: 'every case rejected' }, { passed: 0, failed: 0 })])).toBe('nothing was judged: x: every case rejected');
    expect(whyUnjudged([])).toBe('nothing was judged: no implementation was selected');
  });
  it('a configuration error wins over judged rows', () => {
    const bad = impl({ id: 'typo', status: 'config-error', statusDetail: 'configuration error: no function' }, { passed: 0, failed: 0 });
    expect(whyUnjudged([impl({}, { passed: 5, failed: 0 }), bad])).toBe('typo: configuration error: no function');
  });
  it('did you mean: close names only', () => {
    expect(closest('numpy-stabel', ['numpy-stable', 'scipy-softmax-axis', 'tfjs-softmax'])).toEqual(['numpy-stable']);
    expect(closest('zzzz', ['numpy-stable'])).toEqual([]);
  });
});
