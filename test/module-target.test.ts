// Issue 15 item 4: `audit MODULE:FUNCTION` imports an installed Python module (scipy.special:softmax), or one from a
// --python-path folder (test/fixtures/modpkg), through the real command line: the verdict, the report's record of
// which code it judged (module, file, sha256, distribution version), each way the target can be wrong (exit 2 and
// what Python said), the sandbox (the module works inside, the checkout stays hidden) and replay.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { detectBwrap } from '../harness/worker/sandbox.js';
import { BIN, cli } from './helpers/cli.js';
import { PYTHON } from './helpers/python.js';

const HAVE_BWRAP = !('reason' in (await detectBwrap()));
const MODPKG = projectPath('test', 'fixtures', 'modpkg');
const QUICK = ['--num-runs', '40', '--shrink-seconds', '1', '--budget', '60'];
const python = (code: string): string => execFileSync(PYTHON, ['-c', code], { encoding: 'utf8' }).trim();
// SciPy is installed wherever this project's CI and engineers run; elsewhere its tests say they are skipped.
const HAVE_SCIPY = python('import importlib.util; print(importlib.util.find_spec("scipy") is not None)') === 'True';

/** The CLI run from another working folder (test/helpers/cli.ts runs it from this one). */
function cliIn(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
      res({ code: e ? Number((e as { code?: number }).code) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

interface Target { module?: string; file: string; sha256?: string; distribution?: string; version?: string; pythonPath?: string[] }
type Report = { verdict: string; sandbox: { sandboxed: boolean }; implementations: { target: Target; checks: { verdict: string; family: string; counterexample?: { caseId: string; python?: string } }[] }[] };

async function auditJson(args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await cli(['audit', ...args, ...QUICK, '--json']);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('a module target', () => {
  test.skipIf(!HAVE_SCIPY)('scipy.special:softmax --call x-axis: its verdict, and the report names the module, its file, sha256 and version', async () => {
    const { code, report } = await auditJson(['scipy.special:softmax', '--contract', 'axis-arg', '--call', 'x-axis', '--dtype', 'float64,float32']);
    expect(report.verdict).toBe('pass');
    expect(code).toBe(0);
    const t = report.implementations[0].target;
    const [file, version] = python('import scipy, scipy.special as s; print(s.__file__); print(scipy.__version__)').split('\n');
    expect(t).toMatchObject({ module: 'scipy.special', file, distribution: 'scipy', version });
    expect(t.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  }, 120_000);

  test('a --python-path package: a correct function conforms, a naive one does not and its reproduction imports the module', async () => {
    const ok = await auditJson(['sc_modpkg.stable:softmax', '--contract', 'last', '--python-path', MODPKG]);
    expect(ok.report.verdict).toBe('pass');
    expect(ok.code).toBe(0);
    const file = join(MODPKG, 'sc_modpkg', 'stable.py');
    expect(ok.report.implementations[0].target).toMatchObject({ module: 'sc_modpkg.stable', file, pythonPath: [MODPKG], sha256: createHash('sha256').update(readFileSync(file)).digest('hex') });
    expect(ok.report.implementations[0].target.distribution).toBeUndefined(); // not an installed distribution

    const r = await cli(['audit', 'sc_modpkg.stable:naive_softmax', '--contract', 'last', '--python-path', MODPKG, ...QUICK]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('DOES NOT CONFORM  naive_softmax from sc_modpkg.stable');
    expect(r.stdout).toContain(`module sc_modpkg.stable, loaded from ${file}`);
    expect(r.stdout).toContain(`sys.path.insert(0, ${JSON.stringify(MODPKG)})`);
    expect(r.stdout).toContain('from sc_modpkg.stable import naive_softmax');
  }, 180_000);

  test('the working folder is not on the import path: a module beside it is not found without --python-path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-cwd-'));
    made.push(dir);
    writeFileSync(join(dir, 'beside_mod.py'), readFileSync(join(MODPKG, 'sc_modpkg', 'stable.py')));
    const r = await cliIn(dir, ['audit', 'beside_mod:softmax', '--contract', 'last', ...QUICK]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No module named 'beside_mod'");
    const ok = await cliIn(dir, ['audit', 'beside_mod:softmax', '--contract', 'last', '--python-path', '.', ...QUICK]);
    expect(ok.stdout).toContain('CONFORMS  softmax from beside_mod');
    expect(ok.code).toBe(0);
  }, 180_000);
});

describe('the library API', () => {
  test('audit(MODULE:FUNCTION, { pythonPath }) imports the module from that folder', async () => {
    const { audit } = await import('../harness/index.js');
    const report = await audit('sc_modpkg.stable:naive_softmax', { contract: 'last', numRuns: 20, shrinkSeconds: 1, pythonPath: [MODPKG] });
    expect(report.implementations[0].target).toMatchObject({ module: 'sc_modpkg.stable', functionName: 'naive_softmax', pythonPath: [MODPKG] });
    expect(report.verdict).toBe('fail');
  }, 120_000);
});

describe('a manifest row with `module` instead of `file`', () => {
  test.skipIf(!HAVE_SCIPY)('run imports the installed module and the report names it, with the version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-modrow-'));
    made.push(dir);
    const overflow = { check: 'overflow', reason: 'x - max(x) wraps around in int32: scipy computes in the input\'s integer dtype' };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ schemaVersion: 1, implementations: [{
      id: 'scipy-module', title: 'scipy.special.softmax, by module', source: 'SciPy', language: 'python', module: 'scipy.special', function: 'softmax',
      call: 'x-axis', claims: ['axis-arg'], claimsReason: 'its axis argument', requires: ['scipy'], installHint: 'python3 -m pip install scipy',
      expectedFailures: [{ contract: 'axis-arg', ...overflow }, { contract: 'last', ...overflow }],
    }] }));
    const r = await cli(['run', '--manifest', join(dir, 'manifest.json'), '--num-runs', '20', '--reports', join(dir, 'out'), '--reporters', 'json']);
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report;
    expect(report.implementations[0].target).toMatchObject({ module: 'scipy.special', distribution: 'scipy', version: python('import scipy; print(scipy.__version__)') });
    expect(report.verdict).toBe('pass');
    expect(r.code).toBe(0);
  }, 120_000);
});

describe('a module target that cannot be audited: exit 2, and what Python said', () => {
  test('module not installed: "No module named" and the pip install hint', async () => {
    const r = await cli(['audit', 'sc_no_such_module.core:softmax', '--contract', 'last', ...QUICK]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("No module named 'sc_no_such_module'");
    expect(r.stderr).toContain('install it with `pip install sc_no_such_module`');
    expect(r.stderr).toContain('--python-path DIR');
  });

  test('sklearn.utils.extmath:softmax: audited where scikit-learn is installed, else its pip name in the hint', async () => {
    const has = python('import importlib.util; print(importlib.util.find_spec("sklearn") is not None)') === 'True';
    const r = await cli(['audit', 'sklearn.utils.extmath:softmax', '--contract', 'last', ...QUICK, '--json']);
    if (has) {
      expect((JSON.parse(r.stdout) as Report).implementations[0].target).toMatchObject({ module: 'sklearn.utils.extmath', distribution: 'scikit-learn' });
      expect(r.code).not.toBe(2);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("No module named 'sklearn'");
      expect(r.stderr).toContain('`pip install scikit-learn`');
    }
  }, 120_000);

  test.skipIf(!HAVE_SCIPY)('a submodule the package does not have', async () => {
    const r = await cli(['audit', 'scipy.specal:softmax', '--contract', 'last', ...QUICK]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("configuration error: No module named 'scipy.specal' (scipy is installed, but has no 'specal')");
  });

  test.skipIf(!HAVE_SCIPY)('an attribute the module does not have: the callables that look like softmax', async () => {
    const r = await cli(['audit', 'scipy.special:softmaxx', '--contract', 'last', ...QUICK]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("module scipy.special has no attribute 'softmaxx' (callables it defines that look like softmax: log_softmax, logsumexp, softmax)");
  });

  test('an attribute that is not callable', async () => {
    const r = await cli(['audit', 'sc_modpkg.stable:NOT_A_FUNCTION', '--contract', 'last', '--python-path', MODPKG, ...QUICK]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('sc_modpkg.stable.NOT_A_FUNCTION is of type int, not a function');
  });
});

describe.skipIf(!HAVE_BWRAP)(`a module target in the sandbox${HAVE_BWRAP ? '' : ' (skipped: bubblewrap is not installed here)'}`, () => {
  // sc_modpkg.peeks returns zeros when it can read the checkout's package.json (walking up from its own file).
  test('works under --sandbox bwrap with the checkout hidden; unsandboxed the same module sees the checkout', async () => {
    const boxed = await auditJson(['sc_modpkg.peeks:softmax', '--contract', 'last', '--python-path', MODPKG, '--sandbox', 'bwrap']);
    expect(boxed.report.sandbox.sandboxed).toBe(true);
    expect(boxed.report.verdict).toBe('pass');
    expect(boxed.code).toBe(0);
    const open = await auditJson(['sc_modpkg.peeks:softmax', '--contract', 'last', '--python-path', MODPKG, '--sandbox', 'none']);
    expect(open.report.verdict).toBe('fail');
    expect(open.code).toBe(1);
  }, 180_000);

  test.skipIf(!HAVE_SCIPY)('scipy.special:softmax under --require-sandbox: the interpreter\'s site-packages are there, read-only', async () => {
    const { code, report } = await auditJson(['scipy.special:softmax', '--contract', 'axis-arg', '--dtype', 'float64', '--require-sandbox']);
    expect(report.sandbox.sandboxed).toBe(true);
    expect(report.verdict).toBe('pass');
    expect(code).toBe(0);
  }, 120_000);

  test('a --python-path folder that would show the checkout is refused (exit 2), not bound', async () => {
    const r = await cli(['audit', 'sc_modpkg.stable:softmax', '--contract', 'last', '--python-path', projectPath(), '--sandbox', 'bwrap', ...QUICK]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot be shown inside the sandbox: it would show the harness's checkout");
  });

  test('replay --sandbox bwrap runs a module target\'s counterexample again, in the sandbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-replay-'));
    made.push(dir);
    const { report } = await auditJson(['sc_modpkg.stable:naive_softmax', '--contract', 'last', '--python-path', MODPKG, '--sandbox', 'none']);
    const failing = report.implementations[0].checks.find((c) => c.verdict === 'fail' && c.family === 'overflow' && c.counterexample)!;
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(report));
    const r = await cli(['replay', file, failing.counterexample!.caseId, '--sandbox', 'bwrap']);
    expect(r.stdout).toMatch(/^sandbox: bubblewrap /);
    expect(r.stdout).toContain('still fails');
    expect(r.code).toBe(1);
    const off = await cli(['replay', file, failing.counterexample!.caseId, '--sandbox', 'none']);
    expect(off.stdout).toMatch(/^NOT SANDBOXED: .*turned off with --sandbox none/);
    // The reproduction script imports the module from its --python-path folder, from any directory, and fails.
    const script = join(dir, 'repro.py');
    writeFileSync(script, failing.counterexample!.python!);
    const run = await new Promise<{ code: number; out: string }>((res) =>
      execFile(PYTHON, [script], { cwd: tmpdir() }, (e, stdout, stderr) => res({ code: e ? Number((e as { code?: number }).code) : 0, out: `${stdout}${stderr}` })));
    expect(run.out).toContain('AssertionError');
    expect(run.code).toBe(1);
  }, 180_000);
});
