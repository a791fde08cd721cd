// The launch policy (sandbox.ts) on its own: what a sandboxed candidate is shown, and what it is never shown.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import { bindableDirs, candidateBind, CANDIDATE_DIR, policyOptions, sandboxEnv, tmpfsSizes, workerMemoryMb } from './sandbox.js';
import { workerEnv } from './env.js';

const pairs = (o: string[], flag: string): [string, string][] => o.flatMap((v, i) => (v === flag ? [[o[i + 1], o[i + 2]] as [string, string]] : []));

describe('sandbox policy', () => {
  const options = policyOptions({ binds: [['/opt/py', '/opt/py']], env: sandboxEnv({ X: '1' }), tmpfs: tmpfsSizes(4096) });

  it('unshares every namespace, drops to an unprivileged uid, dies with its parent, in a new session', () => {
    for (const f of ['--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--die-with-parent', '--new-session', '--clearenv']) {
      expect(options).toContain(f);
    }
    expect(options[options.indexOf('--uid') + 1]).not.toBe('0');
    expect(options.slice(-2)).toEqual(['--remount-ro', '/']); // last: the root tmpfs is not writable memory
  });

  it('caps /tmp, /dev/shm and HOME, and takes them out of the memory cap', () => {
    const sizes = options.flatMap((v, i) => (v === '--tmpfs' ? [[options[i - 1], v, options[i + 1]]] : []));
    expect(sizes.map((s) => s[2])).toEqual(['/tmp', '/dev/shm', '/home/user']);
    for (const s of sizes) expect(s[0]).toMatch(/^\d+$/);
    const t = tmpfsSizes(4096);
    expect(workerMemoryMb(4096, true)).toBe(4096 - t.tmp - t.shm - t.home);
    expect(workerMemoryMb(4096, false)).toBe(4096);
  });

  it('binds only /usr, the runtime and what it was given, read-only; its own /proc', () => {
    const ro = pairs(options, '--ro-bind').map(([from]) => from);
    expect(ro.filter((p) => !['/usr', '/opt/py'].includes(p))).toEqual(ro.filter((p) => /^\/(bin|sbin|lib\w*)$/.test(p)));
    expect(pairs(options, '--bind')).toEqual([]);
    expect(options[options.indexOf('--proc') + 1]).toBe('/proc');
  });

  it('builds the environment from scratch: no harness names, HOME apart from TMPDIR', () => {
    const env = sandboxEnv();
    expect(env.HOME).not.toBe(env.TMPDIR);
    expect(JSON.stringify(env)).not.toMatch(/softmax|worker|conformance/i);
    expect(Object.keys(env).every((k) => ['PATH', 'HOME', 'TMPDIR', 'USER', 'LOGNAME', 'LANG', 'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS'].includes(k))).toBe(true);
  });

  it('runs OpenBLAS on one thread unless the user chose a number (workers side by side must not contend)', () => {
    const saved = process.env.OPENBLAS_NUM_THREADS;
    try {
      delete process.env.OPENBLAS_NUM_THREADS;
      expect(sandboxEnv().OPENBLAS_NUM_THREADS).toBe('1');
      expect(workerEnv('/tmp/x').OPENBLAS_NUM_THREADS).toBe('1');
      process.env.OPENBLAS_NUM_THREADS = '3';
      expect(sandboxEnv().OPENBLAS_NUM_THREADS).toBe('3');
      expect(workerEnv('/tmp/x').OPENBLAS_NUM_THREADS).toBe('3');
    } finally {
      if (saved === undefined) delete process.env.OPENBLAS_NUM_THREADS;
      else process.env.OPENBLAS_NUM_THREADS = saved;
    }
  });

  it('never binds HOME, the checkout or the root, even when an interpreter path names them', () => {
    const dirs = bindableDirs(['/', homedir(), projectPath(), projectPath('harness'), '/usr/lib/python3', '/tmp', '/proc/self', '/opt/run/x']);
    expect(dirs).toEqual([]); // /tmp, /proc and /opt/run/x would cover the sandbox's own mounts
    expect(dirs).not.toContain('/');
    expect(dirs).not.toContain(homedir());
    expect(dirs).not.toContain(projectPath());
    expect(dirs).not.toContain(projectPath('harness'));
    expect(dirs).not.toContain('/usr/lib/python3'); // inside /usr, bound already
  });

  it("binds the candidate's folder at a neutral path, or its file alone when the folder is the checkout or HOME", () => {
    const inFixtures = candidateBind(projectPath('test', 'fixtures', 'candidates', 'correct.py'));
    expect(inFixtures).toEqual({ bind: [projectPath('test', 'fixtures', 'candidates'), CANDIDATE_DIR], inside: join(CANDIDATE_DIR, 'correct.py') });
    const atRoot = candidateBind(projectPath('package.json'));
    expect(atRoot.bind).toEqual([projectPath('package.json'), join(CANDIDATE_DIR, 'package.json')]);
  });
});

describe('a CUDA candidate (--device cuda)', () => {
  it('sees the GPU device nodes it is given, after the sandbox\'s own /dev, and no others', () => {
    const o = policyOptions({ binds: [], env: sandboxEnv(), tmpfs: tmpfsSizes(4096), devices: ['/dev/nvidia0', '/dev/nvidiactl'] });
    expect(pairs(o, '--dev-bind-try')).toEqual([['/dev/nvidia0', '/dev/nvidia0'], ['/dev/nvidiactl', '/dev/nvidiactl']]);
    expect(o.indexOf('--dev-bind-try')).toBeGreaterThan(o.indexOf('--dev'));
    expect(pairs(policyOptions({ binds: [], env: sandboxEnv(), tmpfs: tmpfsSizes(4096) }), '--dev-bind-try')).toEqual([]);
  });
});
