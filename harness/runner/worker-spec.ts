// The worker that runs a subject: its own module (types only besides) so that audit-start can build it before the
// engine and the checks are loaded.
import type { SandboxMode } from '../worker/sandbox.js';
import type { WorkerSpec } from '../worker/types.js';
import type { SubjectSpec } from './subject.js';

export function workerSpecOf(
  spec: SubjectSpec,
  settings: { timeoutMs: number; startTimeoutMs?: number; memoryMb: number; python?: string; sandbox?: SandboxMode },
): WorkerSpec {
  return {
    language: spec.language,
    file: spec.file,
    ...(spec.module ? { module: spec.module } : {}),
    ...(spec.pythonPath?.length ? { pythonPath: spec.pythonPath } : {}),
    functionName: spec.functionName,
    callStyle: spec.callStyle,
    timeoutMs: settings.timeoutMs,
    startTimeoutMs: settings.startTimeoutMs,
    memoryMb: settings.memoryMb,
    python: settings.python,
    ...(spec.convention ? { convention: spec.convention } : {}),
    ...(spec.framework && spec.framework !== 'numpy' ? { framework: spec.framework } : {}),
    ...(spec.device && spec.device !== 'cpu' ? { device: spec.device } : {}),
    sandbox: settings.sandbox,
  };
}
