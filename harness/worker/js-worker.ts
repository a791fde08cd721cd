// JavaScript implementations: each runs in its own `node js-child.mjs` process, V8's heap capped at spec.memoryMb.
// The calling convention (what the function receives and may return) is documented at the top of js-child.mjs.
import { randomBytes } from 'node:crypto';
import { projectPath } from '../paths.js';
import { workerCwd, workerEnv } from './env.js';
import { BULK_DIR, jsSandbox, SANDBOX_HOME, workerMemoryMb } from './sandbox.js';
import { startProcessWorker, type WorkerKind } from './process-worker.js';
import type { ImplementationWorker, StartFailure, WorkerSpec } from './types.js';

// The child script, bound into the sandbox under a neutral name.
const CHILD: [string, string] = [projectPath('harness', 'worker', 'js-child.mjs'), 'main.mjs'];
// What it loads from its own folder: the candidate's thread, the input forms, the text limits, the TypeScript hooks.
const SIBLINGS: [string, string][] = ['js-candidate.mjs', 'js-conventions.mjs', 'js-text.mjs', 'ts-hooks.mjs'].map((n) => [projectPath('harness', 'worker', n), n]);

function jsKind(spec: WorkerSpec): WorkerKind {
  const childArgs = (file: string) => JSON.stringify({ file, function: spec.functionName, callStyle: spec.callStyle, convention: spec.convention ?? 'auto' });
  const heap = (mb: number) => (mb > 0 ? [`--max-old-space-size=${Math.max(16, Math.round(mb))}`] : []);
  return {
    plan: async (dir) => {
      // A fresh seal per process: js-child.mjs puts it in every frame its host thread writes (session.ts checks).
      const seal = randomBytes(16).toString('hex');
      const sb = await jsSandbox({ file: spec.file, script: CHILD, siblings: SIBLINGS, memoryMb: spec.memoryMb, mode: spec.sandbox });
      if (!sb.info.sandboxed) {
        return { command: process.execPath, args: [...heap(spec.memoryMb), CHILD[0], childArgs(spec.file)], env: workerEnv(dir), cwd: workerCwd(dir), sandboxInfo: sb.info, seal };
      }
      return {
        command: sb.node,
        args: [...heap(workerMemoryMb(spec.memoryMb, true)), sb.scripts[0], childArgs(sb.file)],
        env: sb.env,
        cwd: SANDBOX_HOME,
        sandbox: { bwrap: sb.argsFd!.bwrap, options: sb.options, bulkDir: BULK_DIR },
        sandboxInfo: sb.info,
        seal,
      };
    },
    spawnFailed: (e) => `cannot run Node.js at ${process.execPath} (${e.code ?? e.message})`,
  };
}

export function startJsWorker(spec: WorkerSpec): Promise<ImplementationWorker | StartFailure> {
  return startProcessWorker(spec, jsKind(spec));
}
