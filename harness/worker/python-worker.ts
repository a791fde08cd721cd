// Python implementations: each runs in its own pair of processes. `python3 -u broker.py` (trusted, imports no candidate
// code) speaks the protocol and checks every call; it starts harness/py/runner.py, which imports the candidate and
// calls it with real NumPy, and can reach nothing but its one channel to the broker (see broker.py).
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { EnvironmentError } from '../errors.js';
import { projectPath } from '../paths.js';
import { workerCwd, workerEnv } from './env.js';
import { hostPython, pythonSandbox, workerMemoryMb } from './sandbox.js';
import { startProcessWorker, type WorkerKind } from './process-worker.js';
import { memoryCapFor, type ImplementationWorker, type StartFailure, type WorkerSpec } from './types.js';

export const PYTHON_ENV_VAR = 'SOFTMAX_CONFORMANCE_PYTHON';

export function defaultPython(python?: string): string {
  const chosen = python ?? process.env[PYTHON_ENV_VAR] ?? 'python3';
  // Workers start in their own temp folder: a relative path like .venv/bin/python is the user's, so resolve it here.
  return chosen.includes('/') ? resolve(chosen) : chosen;
}

const HOW_TO_FIX =
  'Install Python 3 with NumPy (for example `apt-get install python3-numpy`, or `pip install numpy`), ' +
  `or point the harness at an interpreter that has it with ${PYTHON_ENV_VAR}=/path/to/python or --python /path/to/python.`;

/**
 * What broker.py needs to start the runner inside a sandbox: the command-line prefix (bwrap ...), and where the
 * runner's interpreter, script and candidate file are as the sandbox shows them. Absent: no sandbox, same paths.
 */
export interface RunnerLaunch {
  sandboxArgv?: string[];
  /** bubblewrap with its options on a pipe (`bwrap --args FD`), so they stay off the sandbox's command line */
  sandboxArgsFd?: { bwrap: string; options: string[] };
  runnerPython?: string;
  runnerFlags?: string[];
  runnerScript?: string;
  runnerFile?: string;
  /** the --python-path folders as the runner sees them (default: "pythonPath") */
  runnerPythonPath?: string[];
  /** lets the runner's sandbox outlive a crash (broker.py, "Lives"; session.ts LaunchPlan.lifeMarker) */
  lifeMarker?: string;
}

/** The runner script the broker starts (what a sandbox must bind read-only, with the candidate and the interpreter). */
export const RUNNER_SCRIPT = projectPath('harness', 'py', 'runner.py');
// Bound into the sandbox under a neutral name (argv `runner.py` or `worker.py` would be a tell).
const RUNNER: [string, string] = [RUNNER_SCRIPT, 'main.py'];
// Modules the runner imports from its own folder.
const RUNNER_SIBLINGS: [string, string][] = [
  [projectPath('harness', 'py', 'sc_layout.py'), 'sc_layout.py'],
  [projectPath('harness', 'py', 'sc_framework.py'), 'sc_framework.py'],
  [projectPath('harness', 'py', 'sc_zygote.py'), 'sc_zygote.py'],
];

/**
 * The trusted broker runs here, outside any sandbox: it alone holds the protocol descriptors and the bulk files.
 * Only the runner (the candidate's process) is sandboxed: the broker starts it as `bwrap --args FD python main.py`.
 */
function pythonKind(spec: WorkerSpec, python: string, launch: RunnerLaunch = {}): WorkerKind {
  const brokerScript = projectPath('harness', 'worker', 'broker.py');
  const workerArgs = (l: RunnerLaunch, memoryMb: number, host: { command: string; flags: string[] }) =>
    JSON.stringify({
      file: spec.file, function: spec.functionName, callStyle: spec.callStyle, memoryMb, runnerPython: host.command, ...(host.flags.length ? { runnerFlags: host.flags } : {}), framework: spec.framework ?? 'numpy', device: spec.device ?? 'cpu', memoryCap: spec.memoryCap ?? memoryCapFor(spec.device),
      ...(spec.module ? { module: spec.module } : {}), ...(spec.pythonPath?.length ? { pythonPath: spec.pythonPath } : {}), ...l,
    });
  return {
    plan: async (dir) => {
      let sb: Awaited<ReturnType<typeof pythonSandbox>>;
      try {
        sb = await pythonSandbox({ python, file: spec.file, pythonPath: spec.pythonPath, scripts: [RUNNER, ...RUNNER_SIBLINGS], memoryMb: spec.memoryMb, mode: spec.sandbox, cuda: spec.device?.startsWith('cuda') }, workerEnv(dir));
      } catch (e) {
        if (e instanceof EnvironmentError && !/sandbox/.test(e.message)) throw new EnvironmentError(`${e.message}. ${HOW_TO_FIX}`);
        throw e;
      }
      // The broker (and an unsandboxed runner) start the interpreter itself, not a shim in front of it (probed once).
      const host = await hostPython(python, workerEnv(dir));
      // -S: the broker needs the standard library only, not site's work (a .pth that imports certifi costs more than
      // the broker's own imports here); it is started again after every crash of the candidate. A module target
      // keeps site: the broker finds the module on the interpreter's full import path for the report. So does an
      // interpreter started with options of its own (a wrapper's: they may name a script that runs the rest).
      const brokerFlags = spec.module || host.flags.length ? [] : ['-S'];
      const broker = (l: RunnerLaunch, memoryMb: number) => ({ command: host.command, args: [...host.flags, ...brokerFlags, '-u', brokerScript, workerArgs(l, memoryMb, host)], env: workerEnv(dir), cwd: workerCwd(dir), bulk: true, sandboxInfo: sb.info });
      if (!sb.info.sandboxed || Object.keys(launch).length) return broker(launch, spec.memoryMb);
      const sandboxed: RunnerLaunch = {
        sandboxArgsFd: { bwrap: sb.argsFd!.bwrap, options: sb.options() },
        runnerPython: sb.python,
        runnerFlags: sb.pythonFlags,
        runnerScript: sb.scripts[0],
        runnerFile: sb.file,
        ...(sb.pythonPath.length ? { runnerPythonPath: sb.pythonPath } : {}),
      };
      // Sandboxed, a crash of the candidate may cost a fork instead of a new worker (broker.py, "Lives"): the marker
      // is fresh per process, so what the candidate prints cannot be mistaken for it by chance.
      const lifeMarker = `--- ${randomBytes(12).toString('hex')} ---`;
      return { ...broker({ ...sandboxed, lifeMarker }, workerMemoryMb(spec.memoryMb, true)), lifeMarker };
    },
    spawnFailed: (e) => `cannot run the Python interpreter "${python}" (${e.code ?? e.message}). ${HOW_TO_FIX}`,
  };
}

export function startPythonWorker(spec: WorkerSpec, launch?: RunnerLaunch): Promise<ImplementationWorker | StartFailure> {
  return startProcessWorker(spec, pythonKind(spec, defaultPython(spec.python), launch));
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
