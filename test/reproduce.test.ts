// Reproduction scripts end to end: the script a report gives for a broken candidate exits non-zero from any
// directory while the defect is there and 0 once the file is fixed, and `replay` then says "now conforms".
// JavaScript candidates get a JavaScript script.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import type { RunReport } from '../harness/model.js';
import { cli } from './helpers/cli.js';
import { PYTHON } from './helpers/python.js';

const exec = promisify(execFile);
const dirs: string[] = [];
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'sc-repro-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs a script from an unrelated directory; returns its exit status and output. */
async function runScript(cmd: string, file: string): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(cmd, [file], { cwd: scratch(), timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

async function audit(target: string): Promise<RunReport> {
  const r = await cli(['audit', target, '--contract', 'last', '--json', '--num-runs', '20', '--shrink-seconds', '2']);
  expect(r.code, r.stderr).toBe(1);
  return JSON.parse(r.stdout) as RunReport;
}

const NAIVE_MJS = `export function softmax(x) {
  const out = new Float64Array(x.data.length);
  const n = x.shape.length ? x.shape[x.shape.length - 1] : 1;
  for (let s = 0; s < x.data.length; s += n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(Number(x.data[s + i]));
    for (let i = 0; i < n; i++) out[s + i] = Math.exp(Number(x.data[s + i])) / sum;
  }
  return { dtype: 'float64', shape: [...x.shape], data: out };
}
`;

/** Audits a copy of a broken fixture; each failing check's script must exit 1 now and 0 once the file is fixed. */
async function scriptsFollowTheFix(fixture: string, families: string[]): Promise<void> {
  const dir = scratch();
  const file = join(dir, 'cand.py');
  copyFileSync(projectPath('test', 'fixtures', 'broken', fixture), file);
  const report = await audit(`${file}:softmax`);
  const failing = report.implementations[0].checks.filter((c) => c.verdict === 'fail' && c.counterexample);
  expect(failing.map((c) => c.family)).toEqual(expect.arrayContaining(families));
  const scripts = failing.map((c, k) => {
    const path = join(dir, `repro-${k}.py`);
    writeFileSync(path, c.counterexample!.python!);
    return { check: c, path };
  });
  for (const s of scripts) expect((await runScript(PYTHON, s.path)).code, `${fixture} ${s.check.name}`).toBe(1);
  copyFileSync(projectPath('test', 'fixtures', 'broken', 'correct.py'), file);
  for (const s of scripts) {
    const r = await runScript(PYTHON, s.path);
    expect(r.code, `${fixture} ${s.check.name} after the fix: ${r.out}`).toBe(0);
  }
}

describe('reproduction scripts', () => {
  it('a file whose name is code (`x import os; os.system(...); from x.py`) goes into the script as a string, never as a statement', async () => {
    const dir = scratch();
    // The injected statement would create a file named pwned in the folder the script runs from.
    const name = 'x import os; os.system("touch pwned"); from x.py';
    const file = join(dir, name);
    copyFileSync(projectPath('test', 'fixtures', 'broken', 'global_max.py'), file);
    const report = await audit(`${file}:softmax`);
    const c = report.implementations[0].checks.find((k) => k.verdict === 'fail' && k.counterexample?.python)!;
    const script = c.counterexample!.python!;
    expect(script).toContain(`spec_from_file_location("candidate", ${JSON.stringify(file)})`);
    expect(script).not.toMatch(/^from x import/m);
    const path = join(dir, 'repro.py');
    writeFileSync(path, script);
    const cwd = scratch();
    let out = '';
    let code = 0;
    try {
      await exec(PYTHON, [path], { cwd, timeout: 60_000 });
    } catch (err) {
      ({ code } = err as { code: number });
      out = String((err as { stderr: string }).stderr);
    }
    expect(code, out).toBe(1);
    expect(out).toContain('AssertionError'); // it still reproduces the defect
    expect(existsSync(join(cwd, 'pwned'))).toBe(false);
  }, 120_000);

  it('assert what the family means: the input unchanged (mutation), the dtype, the shape', async () => {
    await scriptsFollowTheFix('mutates.py', ['mutation']);
    await scriptsFollowTheFix('returns_float32.py', ['dtype']);
    await scriptsFollowTheFix('squeezes.py', ['rank']);
  }, 300_000);

  it('Python: absolute paths, exit 1 while the defect reproduces, 0 after the fix; replay says "now conforms"', async () => {
    const dir = scratch();
    const file = join(dir, 'cand.py');
    copyFileSync(projectPath('test', 'fixtures', 'broken', 'no_max_shift.py'), file);
    const report = await audit(`${file}:softmax`);
    const failing = report.implementations[0].checks.filter((c) => c.verdict === 'fail' && c.counterexample);
    expect(failing.length).toBeGreaterThan(0);
    const scripts = failing.map((c, k) => {
      const path = join(dir, `repro-${k}.py`);
      expect(c.counterexample!.python).toContain(`sys.path.insert(0, ${JSON.stringify(dir)})`);
      writeFileSync(path, c.counterexample!.python!);
      return { check: c, path };
    });
    for (const s of scripts) {
      const r = await runScript(PYTHON, s.path);
      expect(r.code, `${s.check.name}: ${r.out}`).toBe(1);
      expect(r.out).toContain('AssertionError');
    }
    const reportFile = join(dir, 'report.json');
    writeFileSync(reportFile, JSON.stringify(report));
    const overflow = failing.find((c) => c.family === 'overflow')!;
    const before = await cli(['replay', reportFile, overflow.counterexample!.caseId]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('still fails');

    copyFileSync(projectPath('test', 'fixtures', 'broken', 'correct.py'), file);
    for (const s of scripts) {
      const r = await runScript(PYTHON, s.path);
      expect(r.code, `${s.check.name} after the fix: ${r.out}`).toBe(0);
      expect(r.out).toContain('conforms on this input');
    }
    const after = await cli(['replay', reportFile, overflow.counterexample!.caseId]);
    expect(after.stdout).toContain('now conforms');
    expect(after.code).toBe(0);
  }, 180_000);

  it('JavaScript: a .mjs candidate gets a JavaScript script that fails while the defect reproduces', async () => {
    const dir = scratch();
    const file = join(dir, 'cand.mjs');
    writeFileSync(file, NAIVE_MJS);
    const report = await audit(`${file}:softmax`);
    const failing = report.implementations[0].checks.filter((c) => c.verdict === 'fail' && c.counterexample);
    expect(failing.length).toBeGreaterThan(0);
    const scripts = failing.map((c, k) => {
      expect(c.counterexample!.python).toBeUndefined();
      const path = join(dir, `repro-${k}.mjs`);
      writeFileSync(path, c.counterexample!.javascript!);
      return { check: c, path };
    });
    for (const s of scripts) {
      const r = await runScript(process.execPath, s.path);
      expect(r.code, `${s.check.name}: ${r.out}`).toBe(1);
      expect(r.out).toContain('defect reproduces');
    }
    copyFileSync(projectPath('test', 'fixtures', 'candidates', 'correct.mjs'), file);
    for (const s of scripts) {
      const r = await runScript(process.execPath, s.path);
      expect(r.code, `${s.check.name} after the fix: ${r.out}`).toBe(0);
    }
  }, 180_000);
});
