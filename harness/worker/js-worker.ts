// JavaScript implementations: each runs in its own `node js-child.mjs` process, V8's heap capped at spec.memoryMb.
// The calling convention (what the function receives and may return) is documented at the top of js-child.mjs.
import { projectPath } from '../paths.js';
import { workerEnv } from './env.js';
import { startProcessWorker, type WorkerKind } from './process-worker.js';
import type { ImplementationWorker, StartFailure, WorkerSpec } from './types.js';

function jsKind(spec: WorkerSpec): WorkerKind {
  const childArgs = JSON.stringify({ file: spec.file, function: spec.functionName, callStyle: spec.callStyle, convention: spec.convention ?? 'auto' });
  const heap = spec.memoryMb > 0 ? [`--max-old-space-size=${Math.max(16, Math.round(spec.memoryMb))}`] : [];
  return {
    plan: (home) => ({
      command: process.execPath,
      args: [...heap, projectPath('harness', 'worker', 'js-child.mjs'), childArgs],
      env: workerEnv(home),
      cwd: home,
    }),
    spawnFailed: (e) => `cannot run Node.js at ${process.execPath} (${e.code ?? e.message})`,
  };
}

export function startJsWorker(spec: WorkerSpec): Promise<ImplementationWorker | StartFailure> {
  return startProcessWorker(spec, jsKind(spec));
}
