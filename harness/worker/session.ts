// One worker process: spawn (execa), the startup handshake, running calls with a per-call timeout, and telling
// how it died. Restarting after a death is process-worker.ts's job.
import { constants as osConstants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import { join } from 'node:path';
import { BulkFiles, bulkTransport } from './bulk-files.js';
import { onTermination } from './cleanup.js';
import { argsData, type SandboxInfo } from './sandbox.js';
import { encodeFrame, FrameReader, type Frame } from './frames.js';
import { batchFrames, outcomeOf, ProtocolError } from './protocol.js';
import type { CallOutcome, CallRequest } from './types.js';

export interface LaunchPlan {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** the worker takes large tensors through shared files (bulk-files.ts): their folder is appended to args */
  bulk?: boolean;
  /**
   * Run the command in this sandbox (sandbox.ts): bwrap with `options(writable binds)`, sent on fd 5 (--args); then
   * command, args and cwd are paths inside it, env is set by the options, and the bulk files are bound at bulkDir.
   */
  sandbox?: { bwrap: string; options: (writable: [string, string][]) => string[]; bulkDir: string };
  /** what the report says of this launch's sandbox (sandbox.ts) */
  sandboxInfo?: SandboxInfo;
  /**
   * A secret the worker's trusted part receives in the first frame (`hello`) and must put in every frame it sends.
   * For a worker whose candidate shares its process (js-child.mjs: the candidate runs on its own thread): a frame
   * the candidate writes on the descriptor itself lacks it and is that call's protocol error, never its result.
   */
  seal?: string;
  /**
   * The line the worker writes on stderr after a life of its candidate's process died and before it says so in a
   * `died` frame (broker.py, "Lives"): what stderr held before it is that life's. A worker that was given one may
   * outlive its candidate's crashes; one that was not dies with them.
   */
  lifeMarker?: string;
}

interface ExitBox {
  onExit: ((exit: Exit) => void) | null;
}

/** Made outside a batch's scope, so that what waits on the exit holds the box, not the batch. */
const relayExit = (box: ExitBox) => (exit: Exit): void => box.onExit?.(exit);

export interface Exit {
  exitCode: number | null;
  signal: string | null;
  /** the spawn itself failed (e.g. ENOENT: no such interpreter) */
  spawnError?: NodeJS.ErrnoException;
}

/** Frames up to this size are joined into one buffer before they are written. */
const JOIN_FRAME_BYTES = 4 * 1024 * 1024;
/** Characters of stderr kept for crash outcomes. */
const TAIL_CHARS = 4000;
/** How long to wait, after the process exits, for its pipes to drain (a grandchild may hold them open). */
const DRAIN_MS = 1000;
/** Text in stderr that says the process died for lack of memory (Python, C++, V8, glibc). */
const MEMORY_DEATH = /MemoryError|std::bad_alloc|out of memory|Cannot allocate memory|Allocation failed/i;

/** A stderr text as crash outcomes show it: its last TAIL_CHARS characters, saying how many came before. */
function lastChars(t: string): string {
  return t.length <= TAIL_CHARS ? t : `[... ${t.length - TAIL_CHARS} characters before]\n${t.slice(-TAIL_CHARS)}`;
}

/** A process's end in words: "was killed by SIGSEGV", "exited with code 3". */
export function exitWords(exit: Exit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
}

class Tail {
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  private onPush: (() => void) | null = null;
  push(chunk: Buffer): void {
    this.text += this.decoder.write(chunk);
    if (this.text.length > 4 * TAIL_CHARS) this.text = this.text.slice(-TAIL_CHARS);
    this.onPush?.();
  }
  /**
   * Once `marker` has arrived (or waitMs has passed), the text before it is taken away (the tail keeps what came
   * after): one life's stderr. Resolves with the tail as last() would show it.
   */
  async cutAt(marker: string, waitMs: number): Promise<string> {
    const line = `\n${marker}\n`;
    if (!this.text.includes(line)) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        t.unref();
        this.onPush = () => {
          if (this.text.includes(line)) {
            clearTimeout(t);
            resolve();
          }
        };
      });
      this.onPush = null;
    }
    const at = this.text.lastIndexOf(line);
    const before = at < 0 ? this.text : this.text.slice(0, at);
    this.text = at < 0 ? '' : this.text.slice(at + line.length);
    return lastChars(before);
  }
  all(): string {
    return this.text;
  }
  last(): string {
    return lastChars(this.text);
  }
}

// Workers run in their own process group (so a kill reaches their children too), which also means they outlive
// us unless we kill them: do so when Node exits. broker.py also asks Linux to kill it when we die.
// (Also on SIGINT/SIGTERM: cleanup.ts.) Sandboxed, bwrap's --die-with-parent covers a Node that dies of SIGKILL.
const live = new Set<Session>();
let hookInstalled = false;
function track(s: Session): void {
  live.add(s);
  if (!hookInstalled) {
    hookInstalled = true;
    onTermination(() => {
      for (const w of live) w.kill();
    });
  }
}

const safeType = (t: unknown): string => (typeof t === 'string' && /^[a-z-]{1,20}$/.test(t) ? `"${t}"` : 'malformed');

const timeout = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(r, ms, 'timeout').unref());

export type StartResult =
  | { ok: true; session: Session; ready: Frame['header']; stdout: string; stderr: string }
  | { ok: false; header?: Frame['header']; exit?: Exit; timedOut?: boolean; stderr: string; stdout: string };

/** bwrap exits with 128 + n when the command died of signal n: read that back as the signal. */
function unwrapExit(exitCode: number | null, signal: string | null): Exit {
  if (signal === null && exitCode !== null && exitCode > 128 && exitCode < 128 + 65) {
    const name = Object.entries(osConstants.signals).find(([, n]) => n === exitCode - 128)?.[0];
    if (name) return { exitCode: null, signal: name };
  }
  return { exitCode, signal };
}

export class Session {
  private readonly child;
  private readonly toWorker: Writable;
  private readonly reader = new FrameReader((h) => this.checkSeal(h));
  private onFrame: ((f: Frame) => void) | null = null;
  private protocolError: Error | null = null;
  private killed = false;
  private readonly sandboxed: boolean;
  private readonly seal: string | undefined;
  private readonly lifeMarker: string | undefined;
  /** lives of the candidate's process that died before the current one (broker.py, "Lives") */
  private life = 0;
  /** after a death: the worker's word on the next life (its `life` frame), until nextLife() has read it */
  private lifeStart: Promise<Frame['header']> | null = null;
  private onLife: ((header: Frame['header']) => void) | null = null;
  /** null: every tensor goes through the socket */
  private bulk: BulkFiles | null;
  readonly stderr = new Tail();
  readonly stdout = new Tail();
  readonly exited: Promise<Exit>;

  private constructor(plan: LaunchPlan) {
    this.bulk = plan.bulk ? BulkFiles.create() : null;
    const sb = plan.sandbox;
    this.sandboxed = sb !== undefined;
    const bulkArg = this.bulk?.dir ? [sb ? sb.bulkDir : this.bulk.dir] : [];
    let options: Buffer | null = null;
    if (sb) {
      const dir = this.bulk?.dir;
      const writable: [string, string][] = dir ? [[join(dir, 'in'), join(sb.bulkDir, 'in')], [join(dir, 'out'), join(sb.bulkDir, 'out')]] : [];
      options = argsData(sb.options(writable));
    }
    // Sandboxed, bwrap itself gets an empty environment and cwd /: the sandbox's init is a fork of it, visible inside.
    this.child = execa(sb ? sb.bwrap : plan.command, sb ? ['--args', '5', plan.command, ...plan.args, ...bulkArg] : [...plan.args, ...bulkArg], {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', ...(sb ? (['pipe'] as const) : [])],
      env: sb ? {} : plan.env,
      extendEnv: false,
      cwd: sb ? '/' : plan.cwd,
      detached: true,
      buffer: false,
      reject: false,
      cleanup: false,
      stripFinalNewline: false,
    });
    this.child.catch(() => undefined);
    const [, out, err, toWorker, fromWorker] = this.child.stdio as unknown as [unknown, Readable, Readable, Writable, Readable];
    this.toWorker = toWorker;
    for (const s of [out, err, toWorker, fromWorker]) s.on('error', () => undefined); // EPIPE etc.: seen as an exit
    this.seal = plan.seal;
    this.lifeMarker = plan.lifeMarker;
    if (plan.seal !== undefined) for (const b of encodeFrame({ type: 'hello', seal: plan.seal })) toWorker.write(b);
    if (options) {
      const argsPipe = (this.child.stdio as unknown as Writable[])[5];
      argsPipe.on('error', () => undefined);
      argsPipe.end(options);
    }
    out.on('data', (c: Buffer) => this.stdout.push(c));
    err.on('data', (c: Buffer) => this.stderr.push(c));
    fromWorker.on('data', (c: Buffer) => this.receive(c));

    const closed = (s: Readable): Promise<void> => new Promise((r) => (s.readableEnded || s.destroyed ? r() : s.once('close', r)));
    this.exited = new Promise<Exit>((resolve) => {
      this.child.once('error', (e: NodeJS.ErrnoException) => {
        if (e.syscall?.startsWith('spawn')) resolve({ exitCode: null, signal: null, spawnError: e });
      });
      this.child.once('exit', (exitCode, signal) => {
        // Frames and stderr written just before death arrive after 'exit': let them drain first.
        void Promise.race([Promise.all([closed(fromWorker), closed(err)]), timeout(DRAIN_MS)]).then(() =>
          resolve(this.sandboxed ? unwrapExit(exitCode, signal) : { exitCode, signal }),
        );
      });
    }).then((exit) => {
      live.delete(this);
      this.bulk?.close();
      // Whatever is left of it dies now: a plain fork still in its process group (unsandboxed; sandboxed, the pid
      // namespace died with its init already), and a daemon holding our pipes can no longer keep Node waiting.
      this.killGroup();
      for (const s of [out, err, toWorker, fromWorker]) s.destroy();
      return exit;
    });
    track(this);
  }

  /** Spawns and waits for the worker's first frame: `ready`, or why it cannot run the candidate. */
  static async start(plan: LaunchPlan, startTimeoutMs: number): Promise<StartResult> {
    const s = new Session(plan);
    const first = new Promise<Frame>((r) => (s.onFrame = r));
    const r = await Promise.race([first, s.exited, timeout(startTimeoutMs)]);
    s.onFrame = null;
    if (r === 'timeout') {
      s.kill();
      await s.exited;
      return { ok: false, timedOut: true, stderr: s.stderr.last(), stdout: s.stdout.all() };
    }
    if ('header' in r && r.header.type === 'ready') {
      // The worker has opened the files (or could not: then the socket carries everything); their names can go.
      if (r.header.bulk === true) s.bulk?.unlink();
      else {
        s.bulk?.close();
        s.bulk = null;
      }
      return { ok: true, session: s, ready: r.header, stdout: s.stdout.all(), stderr: s.stderr.all() };
    }
    const exit = 'header' in r ? undefined : r;
    if (exit === undefined) {
      s.stop();
      await s.exited;
    }
    return { ok: false, header: 'header' in r ? r.header : undefined, exit, stderr: s.stderr.last(), stdout: s.stdout.all() };
  }

  /** Refuses a frame the worker's trusted part did not write, before its payload is read. */
  private checkSeal(header: Frame['header']): void {
    if (this.seal === undefined) return;
    if (header.seal !== this.seal) throw new ProtocolError(`a ${safeType(header.type)} frame without the worker's seal (written by the candidate's own code, not by the harness's host thread)`);
    delete header.seal;
  }

  private receive(chunk: Buffer): void {
    if (this.protocolError) return;
    try {
      for (const f of this.reader.push(chunk)) {
        if (f.header.type !== 'life') this.onFrame?.(f);
        else if (this.onLife && f.header.life === this.life) this.onLife(f.header);
        else throw new ProtocolError(`a life frame for life ${String(f.header.life)} in life ${this.life}`);
      }
    } catch (e) {
      this.protocolError = e as Error;
      this.kill();
    }
  }

  /**
   * Runs the calls in order. Resolves with the outcomes of a prefix of them: all of them (`alive`), or up to and
   * including the call that timed out or killed the process (then the session is dead), or up to and including
   * the call during which a life of the candidate's process died while the worker lives on (`lifeEnded`: the calls
   * after it were not made; run them again).
   */
  run(requests: readonly CallRequest[], timeoutMs: number, limitMb: number): Promise<{ outcomes: CallOutcome[]; alive: boolean; lifeEnded?: boolean }> {
    return new Promise((resolve) => {
      const outcomes: CallOutcome[] = [];
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      let timedOut = false;
      let dying = false;
      let exitedWhileDying = false;
      const box: ExitBox = { onExit: null };
      const finish = (alive: boolean, lifeEnded = false): void => {
        if (done) return;
        done = true;
        box.onExit = null;
        clearTimeout(timer);
        this.onFrame = null;
        resolve(lifeEnded ? { outcomes, alive, lifeEnded } : { outcomes, alive });
      };
      // A life died and the worker lives on: the outcome is read as a death of the process is (death()), from that
      // life's stderr; the life's results after this are none, and the next batch belongs to the next life.
      const lifeDied = (header: Frame['header']): void => {
        if (header.life !== this.life || this.lifeMarker === undefined) throw new ProtocolError(`a died frame for life ${String(header.life)} in life ${this.life}`);
        const exit: Exit = {
          exitCode: Number.isSafeInteger(header.exitCode) ? (header.exitCode as number) : null,
          signal: typeof header.signal === 'string' && /^SIG[A-Z0-9+]{1,12}$/.test(header.signal) ? header.signal : null,
        };
        dying = true;
        clearTimeout(timer);
        this.onFrame = null;
        this.life++;
        this.lifeStart = new Promise((r) => (this.onLife = r));
        void this.stderr.cutAt(this.lifeMarker, DRAIN_MS).then((stderr) => {
          if (done) return;
          outcomes.push(this.death(exit, limitMb, stderr));
          finish(!exitedWhileDying, true);
        });
      };
      // The clock for call k starts when call k-1's result arrives (or the batch is sent): calls run back to back.
      const arm = (): void => {
        clearTimeout(timer);
        const pending = outcomes.length;
        timer = setTimeout(() => {
          // A busy harness (judging blocks the event loop) may fire this timer after the result has already arrived
          // but before it was read: let pending I/O run first, and kill only if the same call is still unanswered.
          setImmediate(() => {
            if (done || outcomes.length !== pending) return;
            timedOut = true;
            this.onFrame = null;
            this.kill();
          });
        }, timeoutMs);
      };
      this.onFrame = (f) => {
        try {
          const { type, id, bulk } = f.header;
          if (type === 'died') {
            lifeDied(f.header);
            return;
          }
          if ((type !== 'result' && type !== 'progress') || id !== outcomes.length) throw new ProtocolError(`unexpected ${type} frame`);
          if (!this.bulk && (type === 'progress' || bulk !== undefined)) throw new ProtocolError('a bulk result without shared files');
          if (type === 'progress') {
            this.bulk!.progress(f.header.bytes, f.header.of);
            return;
          }
          const payload = this.bulk?.result(bulk);
          outcomes.push(outcomeOf(payload ? { header: f.header, payload } : f, limitMb));
        } catch (e) {
          this.protocolError = e as Error;
          this.kill();
          return;
        }
        if (outcomes.length === requests.length) finish(true);
        else {
          if (outcomes.length === waitingFor) send();
          arm();
        }
      };
      // Through a box emptied when the batch ends: a closure of this scope waiting on `exited` (settled only when the
      // process exits) would keep every batch's requests and outcomes alive for the worker's whole life.
      box.onExit = (exit) => {
        exitedWhileDying = dying;
        if (done || dying) return;
        outcomes.push(timedOut ? { kind: 'timeout', limitMs: timeoutMs } : this.death(exit, limitMb));
        finish(false);
      };
      void this.exited.then(relayExit(box));
      const frames = batchFrames(requests, this.bulk ? bulkTransport.thresholdBytes : Infinity, this.life);
      let next = 0;
      let waitingFor = -1;
      // Sends the frames up to the next one whose input went into the shared file, which holds one input at a
      // time: the frames after it wait for its result (onFrame calls send again). Corked: the buffers of a batch
      // (two per call) leave in one writev, not one system call each.
      const send = (): void => {
        this.toWorker.cork();
        while (next < frames.length) {
          const f = frames[next++];
          const viaFile = f.bulk !== undefined && this.bulk!.writeInput(f.bulk.bytes);
          const buffers = viaFile || !f.bulk ? f.buffers : f.bulk.inline;
          // A frame of many small inputs goes as one buffer: a writev of hundreds of tiny buffers costs more (one
          // write request per buffer in Node) than copying them; big payloads are written as they are.
          const bytes = buffers.reduce((n, b) => n + b.byteLength, 0);
          if (buffers.length > 2 && bytes <= JOIN_FRAME_BYTES) this.toWorker.write(Buffer.concat(buffers, bytes));
          else for (const b of buffers) this.toWorker.write(b);
          if (viaFile) {
            this.bulk!.prepare(f.bulk!.bytes.byteLength);
            waitingFor = f.end;
            break;
          }
        }
        this.toWorker.uncork();
      };
      send();
      arm();
    });
  }

  /**
   * After a life died (run() resolved with `lifeEnded`): waits for the next one to be ready, as start() waits for the
   * first. null when it is; else why not (the worker is then killed: a fresh one is started as after any death).
   */
  async nextLife(startTimeoutMs: number): Promise<string | null> {
    const starting = this.lifeStart;
    if (starting === null) return null;
    const r = await Promise.race([starting, this.exited, timeout(startTimeoutMs)]);
    this.lifeStart = null;
    this.onLife = null;
    if (r !== 'timeout' && 'type' in r && r.ok === true) return null;
    const why = r === 'timeout'
      ? `the next life did not finish loading within ${startTimeoutMs / 1000} s`
      : 'type' in r
        ? String(r.message ?? 'the next life did not start')
        : `the worker ${exitWords(r)} while the next life loaded\n${this.stderr.last()}`;
    this.kill();
    await this.exited;
    return why;
  }

  /** How a death during a call reads as an outcome. */
  private death(exit: Exit, limitMb: number, stderr = this.stderr.last()): CallOutcome {
    if (this.protocolError) {
      const protocolError = this.protocolError.message;
      return { kind: 'crash', exitCode: exit.exitCode, signal: exit.signal, stderr: `harness protocol error: ${protocolError}\n${stderr}`, protocolError };
    }
    // An unexplained SIGKILL is the kernel's OOM killer; the rest say so on stderr.
    if ((exit.signal === 'SIGKILL' && !this.killed) || MEMORY_DEATH.test(stderr)) return { kind: 'memory', limitMb, stderr };
    return { kind: 'crash', exitCode: exit.exitCode, signal: exit.signal, stderr };
  }

  /** SIGKILL to the whole process group, so the candidate's own children die too (sandboxed: bwrap, whose pid namespace dies with it). */
  kill(): void {
    this.killed = true;
    if (!this.killGroup()) {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private killGroup(): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return true;
    try {
      process.kill(-pid, 'SIGKILL');
      return true;
    } catch {
      return false;
    }
  }

  /** Asks the worker to finish (EOF on its request pipe); killed if it has not within graceMs. */
  stop(graceMs = 1000): Promise<Exit> {
    this.toWorker.end();
    const t = setTimeout(() => this.kill(), graceMs);
    t.unref();
    return this.exited.finally(() => clearTimeout(t));
  }
}
