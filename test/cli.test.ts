// The command line as a user meets it: exit codes, precise errors for bad input, and the main commands end to end.
import { readFileSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { cli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp.js';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { validateJson } from '../harness/json-files.js';



const tmp = tempDirs('sc-cli-');

describe('usage', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'audit', 'compare', 'reference', 'golden', 'replay', 'merge']) expect(r.stdout).toContain(c);
  });
  it('an unknown option is bad usage: exit 2', async () => {
    const r = await cli(['run', '--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });
  it('a bad option value is bad usage: exit 2', async () => {
    const r = await cli(['audit', 'x.py:f', '--contract', 'diagonal']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--contract must be one of/);
  });
});

describe('bad data gets exit 2 naming the file and the JSON pointer', () => {
  it('malformed manifest JSON', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), '{"schemaVersion": 1, "implementations": [');
    const r = await cli(['run', '--manifest', join(dir, 'manifest.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'manifest.json'));
    expect(r.stderr).toMatch(/not valid JSON/);
  });
  it('a manifest that breaks its schema', async () => {
    const dir = tmp();
    const m = JSON.parse(readFileSync(projectPath('implementations', 'manifest.json'), 'utf8'));
    m.implementations[2].call = 'x-y-z';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    const r = await cli(['run', '--manifest', join(dir, 'manifest.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/implementations/2/call');
  });
  it('a corrupted golden file', async () => {
    const dir = tmp();
    cpSync(projectPath('golden'), dir, { recursive: true });
    const f = join(dir, 'scipy.json');
    const g = JSON.parse(readFileSync(f, 'utf8'));
    g.results[5].dtype = 'float128';
    writeFileSync(f, JSON.stringify(g));
    const r = await cli(['golden', 'verify', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scipy.json');
    expect(r.stderr).toContain('/results/5/dtype');
  });
  it('a report that breaks the report schema', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ schemaVersion: 1, verdict: 'maybe' }));
    const r = await cli(['compare', join(dir, 'a.json'), join(dir, 'a.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('a.json');
  });
  it('a --baseline that does not exist: exit 2 before anything runs (no report written), never a pass', async () => {
    const dir = tmp();
    const r = await cli(['run', '--only', 'numpy-stable', '--reports', join(dir, 'out'), '--baseline', join(dir, 'typo.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--baseline ${join(dir, 'typo.json')}: no such file`);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
  it('a --reports folder that cannot be made: exit 2 before anything runs, naming the path (not a bare ENOTDIR after the run)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'afile'), 'x');
    const target = join(dir, 'afile', 'out');
    for (const args of [
      ['run', '--only', 'numpy-stable', '--num-runs', '5', '--reports', target],
      ['audit', projectPath('test', 'fixtures', 'broken', 'correct.py') + ':softmax', '--contract', 'last', '--num-runs', '5', '--reports', target],
    ]) {
      const r = await cli(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr).toContain(`cannot write the reports to --reports "${target}": "${join(dir, 'afile')}" exists and is not a folder`);
      expect(r.stdout, args[0]).toBe(''); // no verdict printed: nothing was judged
      expect(r.stderr).not.toMatch(/done:|progress:/);
    }
  });
  it('compare --markdown under a file: exit 2 naming it, before any comparison is printed', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'afile'), 'x');
    const base = projectPath('reports', 'baseline.json');
    const r = await cli(['compare', base, base, '--markdown', join(dir, 'afile', 'c.md')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`softmax-conformance: cannot write the comparison to --markdown "${join(dir, 'afile')}": "${join(dir, 'afile')}" exists and is not a folder\n`);
  });
  it('golden export --out that cannot be written: exit 2 naming it, before the exporter\'s libraries run', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'afile'), 'x');
    const r = await cli(['golden', 'export', '--out', join(dir, 'afile', 'g'), '--library', 'numpy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`softmax-conformance: cannot write the goldens to --out "${join(dir, 'afile', 'g')}": "${join(dir, 'afile')}" exists and is not a folder\n`);
  });
  it('a --reports folder on a file system that refuses it (procfs) ends with exit 2, not in an endless mkdir', async () => {
    // Node 20's mkdirSync(..., { recursive: true }) retries forever when a mkdir under an existing folder says ENOENT.
    const r = await cli(['audit', projectPath('test', 'fixtures', 'broken', 'correct.py') + ':softmax', '--contract', 'last', '--num-runs', '5', '--reports', '/proc/sc-no-such/out'], {}, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot make the folder "/proc/sc-no-such"');
  });
  it('an unknown tolerance profile', async () => {
    const r = await cli(['run', '--profile', 'whatever', '--only', 'numpy-stable']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/whatever/);
  });
  it('a missing Python says what to install and how to point elsewhere', async () => {
    const r = await cli(['run', '--only', 'numpy-stable'], { SOFTMAX_CONFORMANCE_PYTHON: '/nonexistent/python3' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/numpy/i);
    expect(r.stderr).toMatch(/SOFTMAX_CONFORMANCE_PYTHON|--python/);
  });
});

describe('audit', () => {
  it('a correct candidate conforms: exit 0, one valid JSON report on stdout', async () => {
    const r = await cli(['audit', projectPath('test', 'fixtures', 'broken', 'correct.py') + ':softmax', '--contract', 'last', '--json', '--num-runs', '100']);
    expect(r.code, r.stderr).toBe(0);
    const report = validateJson<{ verdict: string; kind: string; implementations: unknown[] }>(JSON.parse(r.stdout), 'report.schema.json', 'stdout');
    expect(report.kind).toBe('audit');
    expect(report.verdict).toBe('pass');
    expect(report.implementations).toHaveLength(1);
  });
  it('a file that does not load fails (exit 1) without claiming a case was judged: every planned case not run, and why', async () => {
    const r = await cli(['audit', projectPath('test', 'fixtures', 'broken', 'import_fails.py') + ':softmax', '--contract', 'last', '--json', '--num-runs', '5']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { verdict: string; accounting: { planned: number; run: number; notRun: number; notRunReasons: Record<string, number> }; implementations: { status: string; checks: { name: string; verdict: string; diagnosis: string; cases: Record<string, number> }[] }[] };
    expect(report.verdict).toBe('fail');
    expect(report.implementations[0].status).toBe('import-error');
    const [check] = report.implementations[0].checks;
    expect(check.name).toBe('import');
    expect(check.verdict).toBe('fail');
    expect(check.diagnosis).toContain('this module cannot be loaded');
    expect(check.cases).toMatchObject({ run: 0, passed: 0, failed: 0 });
    expect(check.cases.planned).toBeGreaterThan(30);
    const { planned } = report.accounting;
    expect(report.accounting).toEqual({ planned, run: 0, notRun: planned, notRunReasons: { 'implementation failed to import': planned } });
  });
  it('the quiz version does not conform: exit 1, the overflow failure with a reproduction', async () => {
    const r = await cli(['audit', projectPath('implementations', 'quiz_axis0_naive.py') + ':softmax', '--contract', 'first', '--num-runs', '50']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DOES NOT CONFORM/);
    expect(r.stdout).toMatch(/overflow/);
    expect(r.stdout).toContain('import numpy as np');
  });
});

describe('run, reference', () => {
  it('run on a subset writes every report and exits 0 when failures are as expected', async () => {
    const dir = tmp();
    const r = await cli(['run', '--only', 'numpy-stable,question-global-sum,inplace-rows', '--num-runs', '10', '--reports', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const f of ['report.json', 'summary.md', 'report.html', 'junit.xml']) expect(existsSync(join(dir, f))).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    const inplace = report.implementations.find((i: { id: string }) => i.id === 'inplace-rows');
    expect(inplace.checks.find((c: { name: string }) => c.name === 'mutation').verdict).toBe('xfail');
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(dir, 'junit.xml'), 'utf8'));
    // one suite per implementation, and inplace-rows's expected mutation failure is a skipped (xfail) case
    const suites = [junit.testsuites.testsuite].flat() as { '@_name': string; testcase: { '@_name': string; skipped?: { '@_type'?: string } }[] }[];
    expect(suites.map((s) => s['@_name']).sort()).toEqual(['inplace-rows', 'numpy-stable', 'question-global-sum']);
    const mutation = suites.find((s) => s['@_name'] === 'inplace-rows')!.testcase.find((c) => c['@_name'] === 'mutation [last]');
    expect(mutation?.skipped?.['@_type']).toBe('xfail');
  });
  it('reference writes the correctly rounded softmax, bit-exact through .npy', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ dtype: 'float64', shape: [2], data: [1000, 5] }));
    const r = await cli(['reference', '--input', join(dir, 'in.json'), '--axis', '-1', '--output', join(dir, 'out.json')]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(out.data).toEqual([1, 0]);
  });
});
