// Entry point of the worker layer: start the right kind of worker for an implementation.
import { startJsWorker } from './js-worker.js';
import { startPythonWorker } from './python-worker.js';
import type { ImplementationWorker, StartFailure, WorkerSpec } from './types.js';

export { checkPython, defaultPython, PYTHON_ENV_VAR, startPythonWorker } from './python-worker.js';
export { startJsWorker } from './js-worker.js';
export type * from './types.js';

export function startWorker(spec: WorkerSpec): Promise<ImplementationWorker | StartFailure> {
  return spec.language === 'python' ? startPythonWorker(spec) : startJsWorker(spec);
}

/** Narrows startWorker's result. */
export function isStartFailure(w: ImplementationWorker | StartFailure): w is StartFailure {
  return !('call' in w);
}
