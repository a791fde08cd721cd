// The launch policy for every candidate process, in one place: which sandbox runs it (bubblewrap, or none), what it
// sees, and what the report says about it.
//
// Under bubblewrap a candidate gets new user, pid, network, ipc, uts and mount namespaces (cgroup too where the
// kernel allows), an unprivileged uid, an environment built from scratch, read-only binds of exactly what it needs
// (/usr, its interpreter's prefixes, its own file and folder, the runner script), its own /proc, and private tmpfs
// for /tmp, /dev/shm and HOME whose sizes come out of its memory cap. Its pid namespace is why no signal it sends can
// reach Node (the SIGUSR1 that would open Node's inspector, a SIGSTOP that would hang the harness): Node's pid does
// not exist in its namespace, and its parent is the sandbox's own init. --die-with-parent ends the sandbox if Node
// dies, and the kernel kills every process of a pid namespace when its init exits, so nothing outlives a worker.
//
// bwrap's own options (which name host paths) go through a pipe (--args), never on a command line: the sandbox's
// init is a fork of bwrap, so its /proc/1/cmdline is visible inside.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { projectPath } from '../paths.js';
import { onTermination } from './cleanup.js';
import { threadEnv } from './env.js';

export type SandboxMode = 'auto' | 'bwrap' | 'none';
export const SANDBOX_MODES: readonly SandboxMode[] = ['auto', 'bwrap', 'none'];
export const INSTALL_COMMAND = 'apt-get install bubblewrap';

/** What a report records of the sandbox in force. */
export interface SandboxInfo {
  sandboxed: boolean;
  /** sandboxed: the tool and its version, e.g. "bubblewrap 0.8.0" */
  tool?: string;
  /** sandboxed: the namespaces the candidate gets, e.g. ["user", "pid", "net", "ipc", "uts", "mount", "cgroup"] */
  namespaces?: string[];
  uid?: number;
  gid?: number;
  /** sandboxed: sizes of the private tmpfs, MiB; they are part of the memory cap (workerMemoryMb) */
  tmpfsMiB?: { tmp: number; shm: number; home: number };
  /** not sandboxed: why (what was asked, what is missing, what to do) */
  reason?: string;
}

/** The identity and paths a sandboxed candidate sees: neutral names, nothing of the harness. */
export const SANDBOX_UID = 1000;
export const SANDBOX_GID = 1000;
export const SANDBOX_HOME = '/home/user';
export const SANDBOX_TMP = '/tmp';
/** where the candidate's folder (or, for a folder too wide to show, its file alone) is bound */
export const CANDIDATE_DIR = '/src/app';
/** where the --python-path folders are bound: LIB_DIR/0, LIB_DIR/1, ... in order */
export const LIB_DIR = '/src/lib';
/** where runner scripts are bound */
export const RUNNER_DIR = '/opt/run';
/** where the large-tensor files are bound (the worker opens them once, then Node deletes their names) */
export const BULK_DIR = '/run/io';
const HOME_MIB = 8;

/** Private tmpfs sizes for a memory cap of memoryMb: a sixteenth each for /tmp and /dev/shm (8..256 MiB), HOME 8 MiB. */
export function tmpfsSizes(memoryMb: number): { tmp: number; shm: number; home: number } {
  const share = Math.max(8, Math.min(256, Math.floor(memoryMb / 16)));
  return { tmp: share, shm: share, home: HOME_MIB };
}

/** The memory the candidate's own process may use: the cap less the tmpfs it may fill (both count against it). */
export function workerMemoryMb(memoryMb: number, sandboxed: boolean): number {
  if (!sandboxed || memoryMb <= 0) return memoryMb;
  const t = tmpfsSizes(memoryMb);
  return Math.max(16, memoryMb - t.tmp - t.shm - t.home);
}

// ------------------------------------------------------------------ detection

interface Bwrap {
  path: string;
  version: string;
  cgroup: boolean;
}

const run = (cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }> =>
  new Promise((res) => {
    execFile(cmd, args, { env: opts.env ?? {}, cwd: '/', timeout: 20_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
      res({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout: String(stdout), stderr: String(stderr), error: e && typeof e.code === 'string' ? e : undefined });
    });
  });

function findBwrap(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/bin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, 'bwrap');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

let detected: Promise<Bwrap | { reason: string }> | null = null;

/** Whether bubblewrap is installed and a trial sandbox with the real policy starts here; cached for the process. */
export function detectBwrap(): Promise<Bwrap | { reason: string }> {
  detected ??= (async () => {
    const path = process.env.SOFTMAX_CONFORMANCE_BWRAP ?? findBwrap();
    if (!path || !existsSync(path)) return { reason: `bubblewrap (bwrap) is not installed; install it with \`${INSTALL_COMMAND}\`` };
    const v = await run(path, ['--version']);
    const version = /bubblewrap\s+(\S+)/.exec(v.stdout)?.[1];
    if (v.code !== 0 || !version) return { reason: `${path} --version failed (${(v.stderr || v.error?.message || '').trim()})` };
    // The trial runs the policy itself (binds of /usr only), and tells whether the cgroup namespace was new.
    const options = policyOptions({ binds: [], env: { PATH: '/usr/bin:/bin' }, tmpfs: tmpfsSizes(64) });
    const t = await trialRun(path, options);
    if (t.code !== 0) return { reason: `bubblewrap is installed but cannot start a sandbox here: ${(t.stderr || `exit code ${t.code}`).trim().split('\n').pop()}` };
    let own = '';
    try {
      own = readlinkSync('/proc/self/ns/cgroup');
    } catch {
      // no cgroup namespaces at all
    }
    return { path, version, cgroup: own !== '' && t.stdout.trim() !== '' && t.stdout.trim() !== own };
  })();
  return detected;
}

/** Runs /usr/bin/readlink /proc/self/ns/cgroup in a sandbox with these options (fed on fd 3). */
function trialRun(bwrap: string, options: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(bwrap, ['--args', '3', '/usr/bin/readlink', '/proc/self/ns/cgroup'], { env: {}, cwd: '/', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c));
    child.stderr!.on('data', (c: Buffer) => (stderr += c));
    const argsPipe = child.stdio[3] as NodeJS.WritableStream;
    argsPipe.on('error', () => undefined);
    argsPipe.end(argsData(options));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      res({ code: null, stdout, stderr: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}

/**
 * The sandbox a command runs its candidates in. 'auto': bubblewrap when it works here, else none (the report then
 * says NOT SANDBOXED and why); 'bwrap': bubblewrap or EnvironmentError (exit 2) with the install command; 'none':
 * none, on purpose.
 */
export async function resolveSandbox(mode: SandboxMode = 'auto'): Promise<{ bwrap: Bwrap | null; info: SandboxInfo }> {
  if (mode === 'none') return { bwrap: null, info: { sandboxed: false, reason: 'turned off with --sandbox none' } };
  const b = await detectBwrap();
  if ('reason' in b) {
    if (mode === 'bwrap') throw new EnvironmentError(`the sandbox is required but cannot be had: ${b.reason}. Install bubblewrap (\`${INSTALL_COMMAND}\`), or run without --require-sandbox / --sandbox bwrap to audit trusted code unsandboxed.`);
    return { bwrap: null, info: { sandboxed: false, reason: b.reason } };
  }
  return { bwrap: b, info: bwrapInfo(b) };
}

function bwrapInfo(b: Bwrap, memoryMb?: number): SandboxInfo {
  return {
    sandboxed: true,
    tool: `bubblewrap ${b.version}`,
    namespaces: ['user', 'pid', 'net', 'ipc', 'uts', 'mount', ...(b.cgroup ? ['cgroup'] : [])],
    uid: SANDBOX_UID,
    gid: SANDBOX_GID,
    ...(memoryMb !== undefined ? { tmpfsMiB: tmpfsSizes(memoryMb) } : {}),
  };
}

/** The report's info for a command whose candidates get memoryMb each. */
export function sandboxInfoFor(resolved: { bwrap: Bwrap | null; info: SandboxInfo }, memoryMb: number): SandboxInfo {
  return resolved.bwrap ? bwrapInfo(resolved.bwrap, memoryMb) : resolved.info;
}

// ------------------------------------------------------------------ runtimes

/** Read-only folders an interpreter needs, found by asking it (outside the sandbox). */
export interface PythonRuntime {
  /** the real interpreter (a pyenv shim or a wrapper script resolved away) */
  executable: string;
  /** folders to bind read-only at their own paths */
  dirs: string[];
  /** PYTHONUSERBASE to set inside, when its site-packages is bound */
  userBase?: string;
  /** the interpreter options it was started with (a wrapper script's `exec python3 -S "$@"`): kept inside */
  flags: string[];
  /** sys.executable as it is (a venv's python stays the venv's): what starts this interpreter on the host directly */
  launcher: string;
}

const PY_PROBE = [
  'import json, os, site, sys',
  'user = site.getusersitepackages() if site.ENABLE_USER_SITE else None',
  // A virtualenv's python is a symlink that finds its pyvenv.cfg (its site-packages) by the path it was started as:
  // resolved, it would be the bare base interpreter inside, without the venv's libraries (torch, jax...).
  'venv = sys.executable if sys.prefix != sys.base_prefix else None',
  'print(json.dumps({"executable": os.path.realpath(sys.executable), "launcher": sys.executable, "venv": venv, "prefixes": [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix],',
  '  "path": [p for p in sys.path if p], "userBase": site.getuserbase(), "userSite": user,',
  '  "argv": getattr(sys, "orig_argv", None)}))',
].join('\n');

const runtimes = new Map<string, Promise<PythonRuntime>>();

/** The interpreter's real path and the folders it loads from; env is the scrubbed worker environment. Cached. */
export function pythonRuntime(python: string, env: Record<string, string>): Promise<PythonRuntime> {
  let r = runtimes.get(python);
  if (!r) {
    r = (async () => {
      const p = await run(python, ['-c', PY_PROBE], { env });
      if (p.code !== 0) {
        // Let the worker's own start report the broken interpreter: sandboxing it cannot make it work.
        throw new EnvironmentError(`cannot run the Python interpreter "${python}" (${(p.stderr || p.error?.code || p.error?.message || `exit code ${p.code}`).toString().trim().split('\n').pop()})`);
      }
      const info = JSON.parse(p.stdout.trim().split('\n').pop() ?? '{}') as { executable: string; launcher: string; venv: string | null; prefixes: string[]; path: string[]; userBase: string; userSite: string | null; argv: string[] | null };
      // Inside, the real interpreter runs directly (a shim or wrapper script would need what it lives in): keep the
      // options a wrapper gave it, those before our -c (Python 3.10+ tells them).
      const c = info.argv?.lastIndexOf('-c') ?? -1;
      const flags = c > 0 ? info.argv!.slice(1, c) : [];
      const dirs = [...info.prefixes, dirname(dirname(info.executable)), ...info.path].filter((d) => isAbsoluteDir(d));
      const userBound = info.userSite !== null && existsSync(info.userSite);
      const bound = bindableDirs(dirs);
      // The venv's own path when the sandbox shows it (a venv under /tmp or HOME is not bound: its base interpreter
      // runs then, without the venv's packages, as before).
      const venvShown = info.venv !== null && bound.some((d) => within(info.venv!, d));
      return { executable: venvShown ? info.venv! : info.executable, launcher: info.launcher, dirs: bound, flags, ...(userBound ? { userBase: info.userBase } : {}) };
    })();
    runtimes.set(python, r);
    r.catch(() => runtimes.delete(python));
  }
  return r;
}

/**
 * The command line that starts `python` on the host without what stands in front of it: a pyenv shim runs about
 * fifteen bash processes per start (0.05 s of CPU, 0.15 s or more of wall time on a busy machine), paid again at
 * every restart of a worker after a crash. `python` itself when the probe fails: the worker's own start then says
 * what is wrong with it.
 */
export async function hostPython(python: string, env: Record<string, string>): Promise<{ command: string; flags: string[] }> {
  try {
    const rt = await pythonRuntime(python, env);
    return rt.launcher && isAbsolute(rt.launcher) ? { command: rt.launcher, flags: rt.flags } : { command: python, flags: [] };
  } catch {
    return { command: python, flags: [] };
  }
}

function isAbsoluteDir(d: string): boolean {
  try {
    return d.startsWith('/') && statSync(d).isDirectory();
  } catch {
    return false;
  }
}

/** Where the sandbox mounts its own things: no host folder is bound over or above them. */
const OWN_MOUNTS = [SANDBOX_TMP, '/dev', '/proc', SANDBOX_HOME, CANDIDATE_DIR, LIB_DIR, RUNNER_DIR, BULK_DIR, '/node_modules'];

const within = (child: string, parent: string): boolean => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
};

/**
 * Folders safe to show read-only: real paths, deduplicated, none inside one already bound, and never one that would
 * show HOME, the checkout or the whole disk (a `.pth` naming HOME, an interpreter at /opt/x/python): those are left
 * out, and what the interpreter needs from them is missing inside rather than the host shown.
 */
export function bindableDirs(dirs: string[]): string[] {
  const home = safeReal(homedir());
  const checkout = safeReal(projectPath());
  const real = [...new Set(dirs.map(safeReal).filter((d): d is string => d !== null))].sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const d of real) {
    if (d === '/' || within(d, '/usr') || out.some((o) => within(d, o))) continue; // /usr is bound already
    // Nothing over or above the sandbox's own mounts (a host /tmp bound over its private one, its own /proc).
    if (OWN_MOUNTS.some((m) => within(m, d) || within(d, m))) continue;
    if ((home && within(home, d)) || (checkout && within(checkout, d))) continue; // would show HOME or the checkout
    if (checkout && within(d, checkout) && !within(d, join(checkout, 'node_modules')) && !/\.venv|venv|env/.test(relative(checkout, d))) continue;
    out.push(d);
  }
  return out;
}

function safeReal(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** Where the candidate's file shows inside, and what to bind: its folder, or its file alone when the folder is too wide. */
export function candidateBind(file: string): { bind: [string, string]; inside: string } {
  const real = safeReal(file) ?? resolve(file);
  const folder = dirname(real);
  const home = safeReal(homedir());
  const checkout = safeReal(projectPath());
  // HOME, the checkout, the root or a folder above them would show them: bind only the file then.
  const tooWide = folder === '/' || (home !== null && within(home, folder)) || (checkout !== null && within(checkout, folder));
  return tooWide
    ? { bind: [real, join(CANDIDATE_DIR, basename(real))], inside: join(CANDIDATE_DIR, basename(real)) }
    : { bind: [folder, CANDIDATE_DIR], inside: join(CANDIDATE_DIR, basename(real)) };
}

/**
 * A private copy of a runner script, made once per process: a bind's source path shows inside (in
 * /proc/self/mountinfo), and `.../harness/worker/worker.py` would tell the candidate where it runs.
 */
let runnerCopies: string | null = null;
export function neutralCopy(script: string, name: string): string {
  if (runnerCopies === null) {
    const dir = mkdtempSync(join(tmpdir(), 'tmp'));
    runnerCopies = dir;
    onTermination(() => rmSync(dir, { recursive: true, force: true }));
  }
  const to = join(runnerCopies, name);
  if (!existsSync(to)) copyFileSync(script, to);
  return to;
}

// ------------------------------------------------------------------ the policy

export interface PolicyInput {
  /** read-only binds [host path, path inside]; folders of the interpreter are bound at their own paths */
  binds: [string, string][];
  /** writable binds (the large-tensor files); added before the root is made read-only */
  writable?: [string, string][];
  /** the candidate's environment, whole: nothing of the caller's comes in */
  env: Record<string, string>;
  tmpfs: { tmp: number; shm: number; home: number };
  /** device nodes to show (a CUDA candidate's /dev/nvidia*), bound over the sandbox's minimal /dev */
  devices?: string[];
}

const MiB = 1024 * 1024;

/** bwrap's options for one sandbox: everything but the command. */
export function policyOptions(p: PolicyInput): string[] {
  const o: string[] = [
    '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--uid', String(SANDBOX_UID), '--gid', String(SANDBOX_GID),
    '--hostname', 'localhost',
    '--die-with-parent', '--new-session',
    '--clearenv',
  ];
  for (const [k, v] of Object.entries(p.env)) o.push('--setenv', k, v);
  o.push('--ro-bind', '/usr', '/usr');
  // Merged /usr: /bin, /lib... are symlinks into it; otherwise they are folders of their own.
  for (const top of ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32']) {
    let target: string | null = null;
    try {
      target = readlinkSync(top);
    } catch {
      // not a link
    }
    if (target !== null) o.push('--symlink', target, top);
    else if (existsSync(top)) o.push('--ro-bind', top, top);
  }
  // The dynamic loader's cache and the little name-service data libc may read; no passwd, no host names.
  for (const f of ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/nsswitch.conf', '/etc/localtime']) o.push('--ro-bind-try', f, f);
  o.push('--proc', '/proc', '--dev', '/dev');
  for (const d of p.devices ?? []) o.push('--dev-bind-try', d, d);
  o.push('--size', String(p.tmpfs.tmp * MiB), '--tmpfs', SANDBOX_TMP);
  o.push('--size', String(p.tmpfs.shm * MiB), '--tmpfs', '/dev/shm');
  o.push('--size', String(p.tmpfs.home * MiB), '--tmpfs', SANDBOX_HOME);
  for (const [from, to] of p.binds) o.push('--ro-bind', from, to);
  for (const [from, to] of p.writable ?? []) o.push('--bind', from, to);
  o.push('--chdir', SANDBOX_HOME);
  // The root is bwrap's own tmpfs, owned by the sandbox's uid: read-only, or it would be uncapped memory.
  o.push('--remount-ro', '/');
  return o;
}

/** The environment inside: built from scratch, neutral names, HOME apart from TMPDIR. */
export function sandboxEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: SANDBOX_HOME,
    TMPDIR: SANDBOX_TMP,
    USER: 'user',
    LOGNAME: 'user',
    LANG: 'C.UTF-8',
    ...threadEnv(),
  };
  return { ...env, ...extra };
}

/** NUL-separated, as bwrap's --args reads them. */
export function argsData(options: string[]): Buffer {
  for (const o of options) if (o.includes('\0')) throw new Error('a sandbox option contains a NUL byte');
  return Buffer.from(options.map((o) => `${o}\0`).join(''), 'utf8');
}

/**
 * What runs a command sandboxed, as argv: `[bwrap, ...options]`, to which the caller appends the command (inside
 * paths). Host paths then show on bwrap's command line (and so in the sandbox's /proc/1/cmdline); Node's own launch
 * uses `argsFd` instead, which sends the options on a descriptor.
 */
export interface SandboxLaunch {
  /** prefix that runs an inner command sandboxed: [bwrap, ...options]; [] when not sandboxed */
  argv: string[];
  /** the same sandbox with the options on a descriptor: spawn [bwrap, '--args', String(fd), ...command] and write data to fd */
  argsFd: { bwrap: string; data: Buffer } | null;
  /** the options again with writable binds added ([host path, path inside]: the large-tensor files); [] when not sandboxed */
  options: (writable?: [string, string][]) => string[];
  info: SandboxInfo;
}

/** The launch for one sandbox policy: its options (more writable binds may be added per process) and their report. */
function sandboxLaunch(bwrap: Bwrap, p: Omit<PolicyInput, 'tmpfs'>, memoryMb: number): SandboxLaunch {
  const optionsWith = (writable: [string, string][] = []): string[] => policyOptions({ ...p, writable: [...(p.writable ?? []), ...writable], tmpfs: tmpfsSizes(memoryMb) });
  const options = optionsWith();
  return { argv: [bwrap.path, ...options], argsFd: { bwrap: bwrap.path, data: argsData(options) }, options: optionsWith, info: bwrapInfo(bwrap, memoryMb) };
}

export interface PythonLaunchInput {
  python: string;
  /** the candidate's file (host path); '' for a module target (the interpreter's own folders hold it) */
  file: string;
  /** folders for the candidate's import path (--python-path, host paths): each bound read-only under LIB_DIR */
  pythonPath?: string[];
  /** runner scripts: [host path, name inside RUNNER_DIR] */
  scripts: [string, string][];
  memoryMb: number;
  /** large-tensor files to bind writable: [host path, path inside] */
  writable?: [string, string][];
  mode?: SandboxMode;
  /** --device cuda: the GPU's device nodes are shown inside (nothing else of /dev is) */
  cuda?: boolean;
}

/** The NVIDIA device nodes of this machine (/dev/nvidia0, nvidiactl, nvidia-uvm...): none where there is no GPU. */
export function nvidiaDevices(): string[] {
  try {
    return readdirSync('/dev').filter((n) => n.startsWith('nvidia')).map((n) => join('/dev', n));
  } catch {
    return [];
  }
}

/** Where things are inside a Python sandbox, for the command that follows the prefix. */
export interface PythonLaunch extends SandboxLaunch {
  /** the interpreter to run inside (the real one: shims resolved) */
  python: string;
  /** interpreter options to put before the script (what a wrapper script added) */
  pythonFlags: string[];
  /** the candidate's file inside */
  file: string;
  /** the --python-path folders inside, in the order given */
  pythonPath: string[];
  /** each runner script inside, in the order given */
  scripts: string[];
  /** the environment inside (already set by the options; for the unsandboxed case, use your own) */
  env: Record<string, string>;
}

/**
 * The sandbox for a Python candidate. Throws EnvironmentError for mode 'bwrap' when bubblewrap cannot run.
 *
 * Two ways to use it, the same sandbox:
 *  - Node wraps a whole command (today's worker.py): LaunchPlan.sandbox in session.ts, options on fd 5.
 *  - A broker outside the sandbox runs only the candidate's runner in it: it gets `options()` (in SPEC_JSON), writes
 *    them NUL-separated into a pipe, and runs [bwrap, '--args', str(pipe_r), python, ...pythonFlags, '-u',
 *    scripts[0], ...] with pass_fds=(pipe_r, its socketpair end): bwrap keeps inherited descriptors. `argv` is the
 *    same prefix with the options on the command line, where the sandbox's /proc/1/cmdline would show host paths.
 */
export async function pythonSandbox(input: PythonLaunchInput, scrubbedEnv: Record<string, string>): Promise<PythonLaunch> {
  // The interpreter's probe (a pyenv shim costs a bash and a pyenv run) overlaps bubblewrap's trial run.
  const runtime = input.mode === 'none' ? null : pythonRuntime(input.python, scrubbedEnv);
  runtime?.catch(() => undefined); // awaited below when it is used
  const resolved = await resolveSandbox(input.mode);
  if (!resolved.bwrap) return { argv: [], argsFd: null, options: () => [], info: resolved.info, python: input.python, pythonFlags: [], file: input.file, pythonPath: input.pythonPath ?? [], scripts: input.scripts.map(([h]) => h), env: scrubbedEnv };
  const rt = await runtime!;
  // A module target has no file of its own: what it imports comes from the interpreter's folders (bound below) and
  // the --python-path folders, each at a neutral place.
  const cand = input.file ? candidateBind(input.file) : null;
  const libs = (input.pythonPath ?? []).map((d, i): [string, string] => [libraryBind(d), join(LIB_DIR, String(i))]);
  const scripts = input.scripts.map(([, name]) => join(RUNNER_DIR, name));
  const env = sandboxEnv({
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    ...(rt.userBase ? { PYTHONUSERBASE: rt.userBase } : {}),
  });
  const binds: [string, string][] = [...rt.dirs.map((d): [string, string] => [d, d]), ...(cand ? [cand.bind] : []), ...libs, ...input.scripts.map(([h, name], i): [string, string] => [neutralCopy(h, name), scripts[i]])];
  const devices = input.cuda ? nvidiaDevices() : [];
  return {
    ...sandboxLaunch(resolved.bwrap, { binds, writable: input.writable, env, devices }, input.memoryMb),
    python: rt.executable,
    pythonFlags: rt.flags,
    file: cand?.inside ?? '',
    pythonPath: libs.map(([, inside]) => inside),
    scripts,
    env,
  };
}

/**
 * A --python-path folder's real path, to bind read-only; EnvironmentError when showing it would show HOME, the
 * checkout or the whole disk (a folder at or above them): name the package's own folder instead.
 */
export function libraryBind(dir: string): string {
  const real = safeReal(dir) ?? resolve(dir);
  const home = safeReal(homedir());
  const checkout = safeReal(projectPath());
  if (real === '/' || (home !== null && within(home, real)) || (checkout !== null && within(checkout, real))) {
    throw new EnvironmentError(`--python-path ${dir} cannot be shown inside the sandbox: it would show ${real === '/' ? 'the whole disk' : home !== null && within(home, real) ? 'HOME' : "the harness's checkout"}; name a folder that holds only the candidate's packages`);
  }
  return real;
}

export interface JsLaunchInput {
  file: string;
  /** the child script: [host path, name inside RUNNER_DIR] */
  script: [string, string];
  /** modules the child script imports from its own folder: [host path, the same file name] */
  siblings?: [string, string][];
  memoryMb: number;
  mode?: SandboxMode;
}

/** The sandbox for a JavaScript candidate: Node's own install, the harness's node_modules at /node_modules. */
export async function jsSandbox(input: JsLaunchInput): Promise<Omit<PythonLaunch, 'python' | 'pythonFlags' | 'pythonPath'> & { node: string }> {
  const resolved = await resolveSandbox(input.mode);
  if (!resolved.bwrap) return { argv: [], argsFd: null, options: () => [], info: resolved.info, node: process.execPath, file: input.file, scripts: [input.script[0]], env: {} };
  const node = safeReal(process.execPath) ?? process.execPath;
  const nodePrefix = dirname(dirname(node));
  const cand = candidateBind(input.file);
  const script = join(RUNNER_DIR, input.script[1]);
  // Bare imports from the candidate's folder or the child script resolve upwards to /node_modules.
  const modules = safeReal(projectPath('node_modules'));
  const binds: [string, string][] = [
    ...bindableDirs([nodePrefix]).map((d): [string, string] => [d, d]),
    cand.bind,
    [neutralCopy(input.script[0], input.script[1]), script],
    ...(input.siblings ?? []).map(([h, name]): [string, string] => [neutralCopy(h, name), join(RUNNER_DIR, name)]),
    ...(modules ? [[modules, '/node_modules'] as [string, string]] : []),
  ];
  const env = sandboxEnv();
  return {
    ...sandboxLaunch(resolved.bwrap, { binds, env }, input.memoryMb),
    node,
    file: cand.inside,
    scripts: [script],
    env,
  };
}
