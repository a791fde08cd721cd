// The CLI tests run the real command (bin/softmax-conformance.js → dist/): build it once before the suite
// (`npm run build`: tsc, then the schema validators), so they never test a stale build. The build is incremental
// (tsconfig.build.json: dist/.tsbuildinfo), and `tsc -b` first asks whether any source changed since it: after
// `npm ci` built dist/, this one costs 0.2 s of CPU instead of 2.4 s (`tsc -p` re-checks every file), before any
// test can start.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PINNED_BY_SETUP, PYTHON_ENV_VAR } from './helpers/python.js';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The rest of `npm run build`: the schemas' standalone validators, so tests see what the CLI uses.
  execFileSync(process.execPath, ['dist/harness/schemas/standalone.js'], { cwd: root, stdio: 'inherit' });
  pinInterpreter(root);
}

/**
 * Resolves `python3` once, to the interpreter it runs, for every test and every CLI they start (the workers inherit
 * the environment set here). Behind a pyenv shim each start of `python3` runs ~15 bash processes: ~500 such starts
 * in a run of the suite, 20-25 s of CPU on a 2-core machine. A user's own setting is kept.
 */
function pinInterpreter(root: string): void {
  if (process.env[PYTHON_ENV_VAR]) return;
  try {
    const exe = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { cwd: root, encoding: 'utf8' }).trim();
    if (!exe.startsWith('/')) return;
    process.env[PYTHON_ENV_VAR] = exe;
    process.env[PINNED_BY_SETUP] = '1'; // a test that prefers the project's .venv (frameworks) still finds it
  } catch {
    // No python3: the tests that need it say so themselves.
  }
}
