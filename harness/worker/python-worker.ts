// Python implementations: each runs in its own `python3 -u worker.py` process with real NumPy.
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { EnvironmentError } from '../errors.js';
import { projectPath } from '../paths.js';
import { workerCwd, workerEnv } from './env.js';
import { BULK_DIR, pythonSandbox, SANDBOX_HOME, workerMemoryMb } from './sandbox.js';
import { startProcessWorker, type WorkerKind } from './process-worker.js';
import type { ImplementationWorker, StartFailure, WorkerSpec } from './types.js';

export const PYTHON_ENV_VAR = 'SOFTMAX_CONFORMANCE_PYTHON';

export function defaultPython(python?: string): string {
  const chosen = python ?? process.env[PYTHON_ENV_VAR] ?? 'python3';
  // Workers start in their own temp folder: a relative path like .venv/bin/python is the user's, so resolve it here.
  return chosen.includes('/') ? resolve(chosen) : chosen;
}

const HOW_TO_FIX =
  'Install Python 3 with NumPy (for example `apt-get install python3-numpy`, or `pip install numpy`), ' +
  `or point the harness at an interpreter that has it with ${PYTHON_ENV_VAR}=/path/to/python or --python /path/to/python.`;

// The runner script, bound into the sandbox under a neutral name (argv[0] `worker.py` would be a tell).
const RUNNER: [string, string] = [projectPath('harness', 'worker', 'worker.py'), 'main.py'];

function pythonKind(spec: WorkerSpec, python: string): WorkerKind {
  const args = (file: string, memoryMb: number) => JSON.stringify({ file, function: spec.functionName, callStyle: spec.callStyle, memoryMb });
  return {
    plan: async (dir) => {
      let sb: Awaited<ReturnType<typeof pythonSandbox>>;
      try {
        sb = await pythonSandbox({ python, file: spec.file, scripts: [RUNNER], memoryMb: spec.memoryMb, mode: spec.sandbox }, workerEnv(dir));
      } catch (e) {
        if (e instanceof EnvironmentError && !/sandbox/.test(e.message)) throw new EnvironmentError(`${e.message}. ${HOW_TO_FIX}`);
        throw e;
      }
      if (!sb.info.sandboxed) {
        return { command: python, args: ['-u', RUNNER[0], args(spec.file, spec.memoryMb)], env: workerEnv(dir), cwd: workerCwd(dir), bulk: true, sandboxInfo: sb.info };
      }
      // Until the broker lands, the whole worker runs sandboxed (its framing included: see DESIGN.md's trust boundary).
      return {
        command: sb.python,
        args: [...sb.pythonFlags, '-u', sb.scripts[0], args(sb.file, workerMemoryMb(spec.memoryMb, true))],
        env: sb.env,
        cwd: SANDBOX_HOME,
        bulk: true,
        sandbox: { bwrap: sb.argsFd!.bwrap, options: sb.options, bulkDir: BULK_DIR },
        sandboxInfo: sb.info,
      };
    },
    spawnFailed: (e) => `cannot run the Python interpreter "${python}" (${e.code ?? e.message}). ${HOW_TO_FIX}`,
  };
}

export function startPythonWorker(spec: WorkerSpec): Promise<ImplementationWorker | StartFailure> {
  return startProcessWorker(spec, pythonKind(spec, defaultPython(spec.python)));
}

const PROBE = 'import json, sys\nimport numpy\nprint(json.dumps({"version": sys.version.split()[0], "numpy": numpy.__version__}))';

/** The interpreter the workers will use, with its versions; EnvironmentError (exit 2) saying what to do if unusable. */
export async function checkPython(python?: string): Promise<PythonInfo> {
  const py = defaultPython(python);
  // Same scrubbed environment as the workers, so "it works here" means it works there.
  const r = await execa(py, ['-c', PROBE], { env: workerEnv(tmpdir()), extendEnv: false, cwd: tmpdir(), reject: false, timeout: 60_000 });
  if (r.failed && r.exitCode === undefined) {
    throw new EnvironmentError(`cannot run the Python interpreter "${py}" (${r.code ?? r.shortMessage}). ${HOW_TO_FIX}`);
  }
  if (r.exitCode !== 0) {
    const lines = String(r.stderr).trim().split('\n');
    const last = lines[lines.length - 1] ?? '';
    const what = /No module named .?numpy/.test(last) ? 'has no NumPy' : `failed (${last || `exit code ${r.exitCode}`})`;
    throw new EnvironmentError(`the Python interpreter "${py}" ${what}. ${HOW_TO_FIX}`);
  }
  let info: { version: string; numpy: string };
  try {
    info = JSON.parse(String(r.stdout).trim().split('\n').pop() ?? '') as { version: string; numpy: string };
  } catch {
    throw new EnvironmentError(`"${py}" does not behave like a Python interpreter. ${HOW_TO_FIX}`);
  }
  return supportedPython(py, info);
}

export interface PythonInfo {
  python: string;
  version: string;
  numpy: string;
}

/** The interpreter and its versions, or EnvironmentError if the version is too old. */
export function supportedPython(py: string, info: { version: string; numpy: string }): PythonInfo {
  const [major, minor] = info.version.split('.').map(Number);
  if (major !== 3 || minor < 8) throw new EnvironmentError(`"${py}" is Python ${info.version}; the harness needs Python 3.8 or later. ${HOW_TO_FIX}`);
  return { python: py, version: info.version, numpy: info.numpy };
}

/**
 * The interpreter a started Python worker runs on, from what it reported when it started (no separate probe, so
 * no second interpreter start); the probe only when the worker did not start and did not say.
 */
export async function pythonOf(worker: ImplementationWorker | StartFailure, python?: string): Promise<PythonInfo> {
  const rt = 'runtime' in worker ? worker.runtime : undefined;
  if (rt?.python && rt.numpy) return supportedPython(defaultPython(python), { version: rt.python, numpy: rt.numpy });
  return checkPython(python);
}
