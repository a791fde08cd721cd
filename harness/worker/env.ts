// The scrubbed environment a worker runs in: nothing of the user's environment leaks in except what the
// interpreter needs to start, so runs are reproducible and a candidate cannot read the caller's secrets.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Kept when set: they stop OpenBLAS from crashing or oversubscribing on some CPUs. */
const KEPT = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OMP_NUM_THREADS'];

// Folders of workers not closed yet: removed when Node exits, so an aborted run leaves no litter.
const homes = new Set<string>();
let exitHookInstalled = false;

/**
 * A fresh folder used as the worker's HOME, cwd and TMPDIR; removed by close(). Made synchronously (a few
 * microseconds): the worker is then spawned within the microtasks of startWorker(), so a caller that yields once
 * has its interpreter starting while it goes on with other work.
 */
export async function makeWorkerHome(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'softmax-worker-'));
  homes.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const d of homes) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export async function removeWorkerHome(dir: string): Promise<void> {
  homes.delete(dir);
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

export function workerEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: home,
    TMPDIR: home,
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  for (const k of KEPT) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  // HOME moves, so `pip install --user` packages (NumPy included) would vanish: point Python at the real user base.
  const userBase = process.env.PYTHONUSERBASE ?? join(homedir(), '.local');
  if (existsSync(userBase)) env.PYTHONUSERBASE = userBase;
  return env;
}
