// The seam between the runner and the processes that run implementations (Python or JavaScript).
import type { MemoryLayout } from '../tensor/layout.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SandboxInfo, SandboxMode } from './sandbox.js';

/** Keyword arguments the harness passes; how they map onto the function is the implementation's call style. */
export interface CallArgs {
  axis?: number;
  theta?: number;
  /** how the worker lays the input out in memory (default C order); the values are the input's either way */
  layout?: MemoryLayout;
}

/**
 * How an implementation is called:
 *  - `x`: f(x)
 *  - `x-axis`: f(x, axis=A) (A omitted when the harness has none, so the function's default applies)
 *  - `x-theta-axis`: f(x, theta=T, axis=A)
 */
/** How a candidate is called: f(x), f(x, axis=A), f(x, theta=T, axis=A) (the CLI's --call, the API's call). */
export const CALL_STYLES = ['x', 'x-axis', 'x-theta-axis'] as const;
export type CallStyle = (typeof CALL_STYLES)[number];

export interface CallRequest {
  input: Tensor;
  args: CallArgs;
}

/** What one call did. Exactly one kind; the runner turns these into check outcomes. */
export type CallOutcome =
  /**
   * `output` crosses in a wire dtype (types.ts DType): other integer dtypes widen to int64, longdouble rounds to
   * float64; `numpyDtype` is what the function really returned (NumPy's dtype name, e.g. "int8", "float128"; for
   * JavaScript the NumPy name of the returned typed array). `inputAfter` is set when `mutated`.
   */
  | { kind: 'ok'; output: Tensor; numpyDtype: string; mutated: boolean; inputAfter?: Tensor; captured: string; ms: number }
  /** The function raised: type is the exception class name, message its str(). */
  | { kind: 'raised'; type: string; message: string; traceback: string; captured: string; ms: number }
  /** The function returned something that is not an array of real numbers (None, list, complex, object, ...). */
  | { kind: 'bad-output'; problem: string; captured: string; ms: number }
  | { kind: 'timeout'; limitMs: number }
  /**
   * The process died during the call (exit code or signal), or ran out of its memory cap. `protocolError`: the
   * candidate's process sent what the protocol does not allow during this call (a forged or corrupt frame); it was
   * replaced, and the text says what it sent. `device`: the candidate's device failed (a device-side assert, a CUDA
   * error, sc_framework.py), said in one line; the process itself lives on.
   */
  | { kind: 'crash'; exitCode: number | null; signal: string | null; stderr: string; protocolError?: string; device?: string }
  /** `device`: the framework's device ran out of its memory (CUDA out of memory), not the process's cap */
  | { kind: 'memory'; limitMb: number; stderr: string; device?: string }
  /** The harness did not make the call: the implementation's time budget was used up (set by the engine, not a worker). */
  | { kind: 'not-run'; reason: string };

/**
 * A JavaScript worker's first call also finds the input form (js-conventions.mjs) within that call's timeout, so a
 * candidate that hangs or exits is judged as a call, not as a failed start; the result says what it found.
 */
export interface ConventionFound {
  used: string;
  probe: string[];
}

export interface WorkerSpec {
  /** 'python' runs a .py file's function in python3; 'javascript' an ES module's export in its own Node process. */
  language: 'python' | 'javascript';
  /** absolute path of the file that defines the function; '' for a module target */
  file: string;
  /** Python: an installed module that defines the function (a module target), imported instead of a file */
  module?: string;
  /** Python: folders put first on the candidate's import path (absolute; bound read-only in the sandbox) */
  pythonPath?: string[];
  /** the function (Python) or export (JavaScript) name */
  functionName: string;
  callStyle: CallStyle;
  /** per-call timeout */
  timeoutMs: number;
  /**
   * memory cap, in MiB. Python: RLIMIT_AS set to what the worker maps after loading NumPy plus this much, so it is
   * the candidate's headroom whatever the machine's BLAS maps. JavaScript: V8's --max-old-space-size.
   */
  memoryMb: number;
  /**
   * Python: how memoryMb is enforced. 'address-space' (the default): RLIMIT_AS, as above. 'resident': the broker
   * watches the runner's resident memory from outside (every 20 ms) and kills the sandbox past the cap; for CUDA,
   * whose context reserves far more address space than it touches (the default there, see memoryCapFor).
   */
  memoryCap?: 'address-space' | 'resident';
  /** how long loading the file may take (default 60 s: TensorFlow and friends import slowly) */
  startTimeoutMs?: number;
  /** the interpreter for Python workers (default: $SOFTMAX_CONFORMANCE_PYTHON or python3) */
  python?: string;
  /** JavaScript: the input form (harness/worker/js-conventions.mjs), or 'auto' (default) to probe for it */
  convention?: string;
  /** the sandbox the process runs in (sandbox.ts; default auto: bubblewrap when it works here, else none) */
  sandbox?: SandboxMode;
  /** Python: the tensor type the candidate gets (harness/py/sc_framework.py); default numpy */
  framework?: Framework;
  /** Python: where that tensor lives: cpu (default), cuda or cuda:N */
  device?: string;
}

export const FRAMEWORKS = ['numpy', 'torch', 'jax', 'tensorflow', 'cupy'] as const;
export type Framework = (typeof FRAMEWORKS)[number];
/** How to install each framework (a missing one is a configuration error that says this). */
export const FRAMEWORK_PIP: Record<Framework, string> = {
  numpy: 'pip install numpy',
  torch: 'pip install torch',
  jax: 'pip install jax',
  tensorflow: 'pip install tensorflow',
  cupy: 'pip install cupy-cuda12x',
};

/** A started worker. Implementations are the Python and JavaScript workers in this folder. */
export interface ImplementationWorker {
  /**
   * Runs the calls in order, batched into as few round trips as possible. Never rejects for candidate faults.
   * With `stopAfterTrouble`, a call that times out, crashes or runs out of memory ends the batch: the outcomes
   * returned stop with it, and the caller decides whether to send the rest (hang-classes.ts).
   */
  call(requests: CallRequest[], opts?: { stopAfterTrouble?: boolean }): Promise<CallOutcome[]>;
  /** Text the process printed outside calls (import time, etc.), for diagnostics. */
  readonly importOutput: string;
  /** What the worker said it runs on when it started (Python workers: the Python and NumPy versions). */
  readonly runtime?: { python?: string; numpy?: string; convention?: string; conventionProbe?: string[]; mlDtypes?: string; module?: ModuleLocation };
  /** The sandbox its process runs in, or why none. */
  readonly sandbox?: SandboxInfo;
  close(): Promise<void>;
}

/** Where a module target loads from, as the trusted broker found it without running the module's code. */
export interface ModuleLocation {
  /** the module's file (a package's __init__.py) */
  file: string;
  sha256?: string;
  /** the installed distribution that holds it and its version (importlib.metadata), when it is one */
  distribution?: string;
  version?: string;
}

/** Why a worker could not be started: the file does not load, the function is missing, or the library is absent. */
export interface StartFailure {
  /**
   * missing-target: the file, module or function named does not exist (a configuration error, not a defect);
   * no-device: the framework sees no CUDA device (--device cuda), so nothing can run here
   */
  kind: 'import' | 'missing-library' | 'missing-target' | 'no-device';
  message: string;
  /** for missing-library: the module that was not found, e.g. "tensorflow" */
  module?: string;
  /** the traceback and whatever the file printed while loading, for diagnostics */
  detail?: string;
}

/** A CUDA device's context maps a huge address space it never uses: its candidates are capped by resident memory. */
export function memoryCapFor(device: string | undefined): 'address-space' | 'resident' {
  return device?.startsWith('cuda') ? 'resident' : 'address-space';
}
