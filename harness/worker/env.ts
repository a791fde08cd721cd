// The scrubbed environment a worker runs in: nothing of the user's environment leaks in except what the
// interpreter needs to start, so runs are reproducible and a candidate cannot read the caller's secrets.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTermination } from './cleanup.js';

/** Kept when set: they stop OpenBLAS from crashing or oversubscribing on some CPUs. */
const KEPT = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS'];

/**
 * The thread settings of a worker's interpreter: those of KEPT the user set, and OpenBLAS on one thread unless the
 * user set it. NumPy's OpenBLAS starts one thread per core when it is imported, at every worker (re)start (0.05 s of
 * CPU on 2 cores, more on big runners), and `--jobs N` runs N workers side by side: N x cores threads would contend
 * for the cores. Softmax does no BLAS work; a candidate that does (a matrix product) is judged on one thread, which
 * is also the deterministic order of its sums.
 */
export function threadEnv(): Record<string, string> {
  const env: Record<string, string> = { OPENBLAS_NUM_THREADS: '1' };
  for (const k of KEPT) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}

// Folders of workers not closed yet: removed when Node exits or is stopped by a signal, so an aborted run leaves
// no litter.
const homes = new Set<string>();
let exitHookInstalled = false;

/**
 * A fresh folder for an unsandboxed worker: `home` is its HOME and cwd, `tmp` its TMPDIR (apart: HOME equal to
 * TMPDIR is a tell that a defeat device looks for; so is a harness name, hence the neutral prefix). Removed by
 * close(). Made synchronously (microseconds): the worker is then spawned within the microtasks of startWorker().
 */
export async function makeWorkerHome(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tmp'));
  mkdirSync(join(dir, 'home'));
  mkdirSync(join(dir, 'tmp'));
  homes.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    onTermination(() => {
      for (const d of homes) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** The cwd of an unsandboxed worker whose folder is dir. */
export const workerCwd = (dir: string): string => join(dir, 'home');

export async function removeWorkerHome(dir: string): Promise<void> {
  homes.delete(dir);
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

/** The scrubbed environment of an unsandboxed worker (and of the probes): dir is its folder (makeWorkerHome). */
export function workerEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: join(dir, 'home'),
    TMPDIR: join(dir, 'tmp'),
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    ...threadEnv(),
  };
  // HOME moves, so `pip install --user` packages (NumPy included) would vanish: point Python at the real user base.
  const userBase = process.env.PYTHONUSERBASE ?? join(homedir(), '.local');
  if (existsSync(userBase)) env.PYTHONUSERBASE = userBase;
  return env;
}
