// An ImplementationWorker over worker processes: starts one, and after a call times out or kills it, starts
// another and carries on with the remaining calls. Python and JavaScript differ only in their LaunchPlan.
import { EnvironmentError } from '../errors.js';
import { makeWorkerHome, removeWorkerHome } from './env.js';
import { conventions } from './protocol.js';
import { exitWords, Session, type LaunchPlan, type StartResult } from './session.js';
import type { SandboxInfo } from './sandbox.js';
import type { CallOutcome, CallRequest, ImplementationWorker, ModuleLocation, StartFailure, WorkerSpec } from './types.js';

const DEFAULT_START_TIMEOUT_MS = 60_000;
/**
 * A worker whose stream broke the protocol this many times is not started again: a candidate that writes on the
 * harness's descriptors (or a runner that cannot speak the protocol) would otherwise cost a restart per call.
 */
export const PROTOCOL_DEATHS_BEFORE_GIVING_UP = 3;

export interface WorkerKind {
  /** the command line for a worker whose own folder is `dir` (env.ts makeWorkerHome), sandboxed or not (sandbox.ts) */
  plan(dir: string): Promise<LaunchPlan>;
  /** the message for a spawn that failed (e.g. the interpreter does not exist): an environment problem */
  spawnFailed(err: NodeJS.ErrnoException): string;
}

/** A failed start as a StartFailure; throws EnvironmentError when the machine, not the candidate, is at fault. */
function startFailure(r: Extract<StartResult, { ok: false }>, kind: WorkerKind, spec: WorkerSpec): StartFailure {
  if (r.exit?.spawnError) throw new EnvironmentError(kind.spawnFailed(r.exit.spawnError));
  const h = r.header;
  if (h?.type === 'environment') throw new EnvironmentError(String(h.message));
  if (h?.type === 'start-failed') {
    const detail = [h.traceback, h.importOutput, r.stdout, r.stderr].filter((t) => typeof t === 'string' && t !== '').join('\n');
    const kind = h.kind === 'missing-library' || h.kind === 'missing-target' || h.kind === 'no-device' ? h.kind : 'import';
    const failure: StartFailure = { kind, message: String(h.message) };
    if (typeof h.module === 'string') failure.module = h.module;
    if (detail) failure.detail = detail;
    return failure;
  }
  if (r.timedOut) {
    return { kind: 'import', message: `${spec.module ?? spec.file} did not finish loading within ${(spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS) / 1000} s`, detail: r.stderr };
  }
  const how = r.exit ? exitWords(r.exit) : 'exited with code undefined';
  return { kind: 'import', message: `the worker ${how} while loading ${spec.module ?? spec.file}`, detail: [r.stdout, r.stderr].filter(Boolean).join('\n') };
}

class ProcessWorker implements ImplementationWorker {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private protocolDeaths = 0;
  private lastProtocolError = '';

  constructor(
    private session: Session | null,
    readonly importOutput: string,
    readonly runtime: ImplementationWorker['runtime'],
    readonly sandbox: SandboxInfo | undefined,
    private readonly spec: WorkerSpec,
    private readonly kind: WorkerKind,
    private readonly home: string,
  ) {}

  call(requests: CallRequest[], opts: { stopAfterTrouble?: boolean } = {}): Promise<CallOutcome[]> {
    // One batch at a time: the process runs calls strictly in order.
    const next = this.queue.then(() => this.runAll(requests, opts.stopAfterTrouble === true));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runAll(requests: CallRequest[], stopAfterTrouble: boolean): Promise<CallOutcome[]> {
    if (this.closed) throw new Error('call() on a closed worker');
    const out: CallOutcome[] = [];
    while (out.length < requests.length) {
      if (this.session === null && this.protocolDeaths >= PROTOCOL_DEATHS_BEFORE_GIVING_UP) {
        // The calls left are not made (a call never made is no evidence about its input): say why on each.
        const reason = `the worker broke the harness's protocol ${this.protocolDeaths} times and was not started again (last: ${this.lastProtocolError})`;
        while (out.length < requests.length) out.push({ kind: 'not-run', reason });
        break;
      }
      if (this.session === null) {
        const problem = await this.restart();
        if (problem !== null) {
          // Loaded once, cannot load now (the file changed? the machine is out of processes?): not the call's fault
          // alone, but every remaining call is lost, which is what a crash means to the runner.
          while (out.length < requests.length) out.push({ kind: 'crash', exitCode: null, signal: null, stderr: `the worker could not be restarted: ${problem}` });
          break;
        }
      }
      const next = await this.session!.nextLife(this.spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
      if (next !== null) {
        // As a worker that cannot be restarted (restart() below): every remaining call is lost.
        this.session = null;
        while (out.length < requests.length) out.push({ kind: 'crash', exitCode: null, signal: null, stderr: `the worker could not be restarted: ${next}` });
        break;
      }
      const { outcomes, alive, lifeEnded } = await this.session!.run(requests.slice(out.length), this.spec.timeoutMs, this.spec.memoryMb);
      out.push(...outcomes);
      for (const o of outcomes) {
        if (o.kind === 'crash' && o.protocolError !== undefined) {
          this.protocolDeaths++;
          this.lastProtocolError = o.protocolError;
        }
        const found = conventions.get(o);
        if (found && this.runtime) Object.assign(this.runtime, { convention: found.used, conventionProbe: found.probe });
      }
      if (!alive) this.session = null; // dead already: run() resolves only after the exit
      // A life that died in a worker that lives on is trouble all the same: the next call gets a fresh life.
      if (stopAfterTrouble && (!alive || lifeEnded === true)) break;
    }
    return out;
  }

  /** null when a fresh process is ready, else why not. */
  private async restart(): Promise<string | null> {
    try {
      const r = await Session.start(await this.kind.plan(this.home), this.spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
      if (r.ok) {
        this.session = r.session;
        return null;
      }
      const f = startFailure(r, this.kind, this.spec);
      return [f.message, f.detail].filter(Boolean).join('\n');
    } catch (e) {
      return (e as Error).message;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.session?.stop();
    this.session = null;
    await removeWorkerHome(this.home);
  }
}

/** Starts the first process; a candidate that cannot load gives a StartFailure, a broken machine an EnvironmentError. */
export async function startProcessWorker(spec: WorkerSpec, kind: WorkerKind): Promise<ImplementationWorker | StartFailure> {
  const home = await makeWorkerHome();
  let r: StartResult;
  let plan: LaunchPlan;
  try {
    plan = await kind.plan(home);
    r = await Session.start(plan, spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  } catch (e) {
    await removeWorkerHome(home);
    throw e;
  }
  if (!r.ok) {
    await removeWorkerHome(home);
    return startFailure(r, kind, spec);
  }
  const printed = [r.ready.importOutput, r.stdout, r.stderr].filter((t) => typeof t === 'string' && t !== '').join('');
  const runtime: ImplementationWorker['runtime'] = Object.fromEntries(['python', 'numpy', 'convention', 'mlDtypes'].filter((k) => typeof r.ready[k] === 'string').map((k) => [k, String(r.ready[k])]));
  if (Array.isArray(r.ready.conventionProbe)) runtime!.conventionProbe = r.ready.conventionProbe.map(String);
  const located = moduleLocation(r.ready.module);
  if (located) runtime!.module = located;
  return new ProcessWorker(r.session, printed, runtime, plan.sandboxInfo, spec, kind, home);
}

/** The broker's word on where a module target loads from (broker.py locate_module), checked field by field. */
function moduleLocation(m: unknown): ModuleLocation | undefined {
  if (typeof m !== 'object' || m === null || typeof (m as { file?: unknown }).file !== 'string') return undefined;
  const o = m as Record<string, unknown>;
  const out: ModuleLocation = { file: String(o.file) };
  for (const k of ['sha256', 'distribution', 'version'] as const) if (typeof o[k] === 'string') out[k] = o[k] as string;
  return out;
}
