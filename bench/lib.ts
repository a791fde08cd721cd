// Small helpers shared by the bench sections: medians, timed child processes, the machine and its load.
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { defaultPython } from '../harness/worker/python-worker.js';

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Timed {
  ms: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and measures its wall time (spawn to exit), stdout and stderr collected. */
export function timedRun(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (exitCode) =>
      resolve({ ms: performance.now() - t0, exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/** The 1, 5 and 15 minute load averages, rounded: the machine is shared, so every figure says what else ran. */
export function load(): [number, number, number] {
  const [a, b, c] = loadavg();
  return [+a.toFixed(2), +b.toFixed(2), +c.toFixed(2)];
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  /** `uptime` when the bench started */
  uptime: string;
  transparentHugepages?: string;
}

export function machine(): Machine {
  const c = cpus();
  let kernel = '';
  let uptime = '';
  let thp: string | undefined;
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    kernel = process.platform;
  }
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average: ${load().join(', ')}`;
  }
  try {
    thp = readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').trim();
  } catch {
    thp = undefined;
  }
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    kernel,
    uptime,
    ...(thp ? { transparentHugepages: thp } : {}),
  };
}

export interface Versions {
  node: string;
  python: string;
  numpy: string;
  hypothesis: string;
  pytest: string;
  mpmath: string;
}

const PROBE = `import json, sys
out = {"python": sys.version.split()[0]}
for m in ("numpy", "hypothesis", "pytest", "mpmath"):
    try:
        out[m] = __import__(m).__version__
    except Exception as e:
        out[m] = "not installed"
print(json.dumps(out))`;

export function versions(python = defaultPython()): Versions {
  let py: Omit<Versions, 'node'>;
  try {
    py = JSON.parse(execFileSync(python, ['-c', PROBE], { encoding: 'utf8' })) as Omit<Versions, 'node'>;
  } catch (e) {
    const none = `unavailable (${(e as Error).message.split('\n')[0]})`;
    py = { python: none, numpy: none, hypothesis: none, pytest: none, mpmath: none };
  }
  return { node: process.version, ...py };
}

export const fmt = {
  ms: (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`),
  rate: (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)),
  ratio: (x: number): string => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`,
};
