// Transport: a 4096 x 4096 tensor through a warm Python worker and back (ImplementationWorker.call), against the
// candidate's own softmax time on the same tensor measured inside a separate python3 (time.perf_counter around the
// call). With the identity candidate (x.copy()) the round trip is almost all harness; with the softmax candidate
// the harness overhead is (round trip - candidate's own time) / candidate's own time. Tensors this large travel
// through shared files, not the socket (harness/worker/bulk-files.ts); the raw socket echo shows what the socket
// alone would cost, and the fresh-buffer figure what Node pays for the new buffer every result needs.
//
//   npm run build && node dist/bench/transport.js [--runs N] [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../harness/paths.js';
import type { DType } from '../harness/tensor/dtype.js';
import { writeTensorFile } from '../harness/tensor/io.js';
import { makeTensor, type Tensor } from '../harness/tensor/tensor.js';
import { defaultPython } from '../harness/worker/python-worker.js';
import { isStartFailure, startWorker } from '../harness/worker/index.js';
import { fmt, load, median, timedRun } from './lib.js';

export const SIDE = 4096;

export interface RoundTrip {
  candidate: string;
  /** wall time of worker.call([{ input }]) per run, after one warm-up call */
  roundTripMs: number[];
  /** the candidate's time as the worker measured it around the call, per run */
  inWorkerMs: number[];
  medianRoundTripMs: number;
  /** bytes in + bytes out per median round trip, in MB/s (1 MB = 10^6 bytes) */
  mbPerSecond: number;
}

export interface TransportRow {
  dtype: DType;
  shape: [number, number];
  bytes: number;
  /** the same bytes echoed by bench/socket_echo.py over the same kind of pipes, no harness: the floor of the socket path */
  socketFloor: { roundTripMs: number[]; medianRoundTripMs: number; mbPerSecond: number };
  /**
   * Allocating a fresh buffer of this many bytes in Node and touching each 4 KiB page, per run: what the result
   * buffer costs the harness (page faults; the worker touches it while the candidate computes when it can). On
   * this VM the figure swings with the host's memory (freed guest memory is handed back to the host).
   */
  freshBuffer: { ms: number[]; medianMs: number };
  identity: RoundTrip;
  softmax: RoundTrip;
  /** the softmax candidate's own time in a separate python3, per run (after one warm-up) */
  candidateOwnMs: number[];
  medianCandidateOwnMs: number;
  /** (softmax round trip - candidate's own time) / candidate's own time; the goal is <= 1 */
  overheadRatio: number;
  /** the same ratio per run against the candidate's time measured by the worker in that run (same moment, same load) */
  pairedOverheadRatio: number;
  load: [number, number, number];
}

export interface TransportResult {
  command: string;
  runs: number;
  /** GLIBC_TUNABLES of the process that ran it (glibc.malloc.hugetlb=1 gives Node's buffers huge pages) */
  glibcTunables?: string;
  rows: TransportRow[];
}

/** Deterministic logits in [-10, 10) (xorshift32), so every run and the separate python3 see the same tensor. */
export function bigTensor(dtype: 'float64' | 'float32'): Tensor {
  const n = SIDE * SIDE;
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  let s = 2463534242;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = ((s >>> 0) / 2 ** 32) * 20 - 10;
  }
  return makeTensor(dtype, [SIDE, SIDE], data);
}

async function roundTrips(file: string, fn: string, x: Tensor, runs: number): Promise<RoundTrip> {
  const w = await startWorker({ language: 'python', file: projectPath('bench', 'candidates', file), functionName: fn, callStyle: 'x', timeoutMs: 120_000, memoryMb: 8192 });
  if (isStartFailure(w)) throw new Error(`cannot start ${file}: ${w.message}`);
  const rt: number[] = [];
  const inWorker: number[] = [];
  try {
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      const [o] = await w.call([{ input: x, args: {} }]);
      const ms = performance.now() - t0;
      if (o.kind !== 'ok') throw new Error(`${file}: ${o.kind}: ${JSON.stringify(o).slice(0, 500)}`);
      if (o.output.data.byteLength !== x.data.byteLength) throw new Error(`${file}: output of ${o.output.data.byteLength} bytes`);
      if (r === 0) continue; // warm-up: first-touch page faults, NumPy's first allocation of this size
      rt.push(ms);
      inWorker.push(o.ms);
    }
  } finally {
    await w.close();
  }
  const m = median(rt);
  return { candidate: `bench/candidates/${file}:${fn}`, roundTripMs: rt, inWorkerMs: inWorker, medianRoundTripMs: m, mbPerSecond: (2 * x.data.byteLength) / 1e6 / (m / 1000) };
}

/**
 * Round trips of `bytes` raw bytes through bench/socket_echo.py, over pipes made the way the harness makes them
 * (child_process stdio 'pipe': a Unix socketpair), received into a fresh buffer as the harness must.
 */
async function socketFloor(bytes: number, runs: number): Promise<TransportRow['socketFloor']> {
  const child = spawn(defaultPython(), [projectPath('bench', 'socket_echo.py'), String(bytes), String(runs + 1)], { stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'] });
  const toChild = child.stdio[3] as Writable;
  const fromChild = child.stdio[4] as Readable;
  const src = new Uint8Array(bytes).fill(7);
  let got = 0;
  let out: Uint8Array | null = null;
  let done: () => void = () => undefined;
  fromChild.on('data', (c: Buffer) => {
    out ??= new Uint8Array(bytes);
    out.set(c, got);
    got += c.length;
    if (got === bytes) done();
  });
  const times: number[] = [];
  try {
    for (let r = 0; r <= runs; r++) {
      got = 0;
      out = null;
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        done = resolve;
        toChild.write(src);
      });
      if (r > 0) times.push(performance.now() - t0);
    }
  } finally {
    toChild.end();
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
  const m = median(times);
  return { roundTripMs: times, medianRoundTripMs: m, mbPerSecond: (2 * bytes) / 1e6 / (m / 1000) };
}

function freshBuffer(bytes: number, runs: number): TransportRow['freshBuffer'] {
  const ms: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const b = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i += 4096) b[i] = 1;
    if (r > 0) ms.push(performance.now() - t0);
  }
  return { ms, medianMs: median(ms) };
}

async function candidateOwnTime(x: Tensor, runs: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-transport-'));
  try {
    const file = join(dir, 'x.npy');
    writeTensorFile(file, x);
    const r = await timedRun(defaultPython(), [projectPath('bench', 'candidate_time.py'), file, projectPath('bench', 'candidates', 'correct_softmax.py') + ':softmax', String(runs)]);
    if (r.exitCode !== 0) throw new Error(`bench/candidate_time.py failed: ${r.stderr.slice(-2000)}`);
    return (JSON.parse(r.stdout) as { seconds: number[] }).seconds.map((s) => s * 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTransport(opts: { runs: number; dtypes?: ('float64' | 'float32')[]; log?: (s: string) => void }): Promise<TransportResult> {
  const log = opts.log ?? (() => undefined);
  const rows: TransportRow[] = [];
  for (const dtype of opts.dtypes ?? (['float64', 'float32'] as const)) {
    const l = load();
    const x = bigTensor(dtype);
    const identity = await roundTrips('identity.py', 'identity', x, opts.runs);
    log(`  transport ${dtype}: identity round trip ${fmt.ms(identity.medianRoundTripMs)}`);
    const softmax = await roundTrips('correct_softmax.py', 'softmax', x, opts.runs);
    log(`  transport ${dtype}: softmax round trip ${fmt.ms(softmax.medianRoundTripMs)}`);
    const own = await candidateOwnTime(x, opts.runs);
    const ownMs = median(own);
    log(`  transport ${dtype}: candidate's own time ${fmt.ms(ownMs)}`);
    const floor = await socketFloor(x.data.byteLength, opts.runs);
    log(`  transport ${dtype}: raw socket echo ${fmt.ms(floor.medianRoundTripMs)}`);
    const fresh = freshBuffer(x.data.byteLength, opts.runs);
    log(`  transport ${dtype}: fresh ${(x.data.byteLength / 1e6).toFixed(0)} MB buffer, every page touched: ${fmt.ms(fresh.medianMs)}`);
    rows.push({
      dtype,
      shape: [SIDE, SIDE],
      bytes: x.data.byteLength,
      socketFloor: floor,
      freshBuffer: fresh,
      identity,
      softmax,
      candidateOwnMs: own,
      medianCandidateOwnMs: ownMs,
      overheadRatio: (softmax.medianRoundTripMs - ownMs) / ownMs,
      pairedOverheadRatio: median(softmax.roundTripMs.map((rt, i) => (rt - softmax.inWorkerMs[i]) / softmax.inWorkerMs[i])),
      load: l,
    });
  }
  return {
    command: 'npm run build && node dist/bench/transport.js',
    runs: opts.runs,
    ...(process.env.GLIBC_TUNABLES ? { glibcTunables: process.env.GLIBC_TUNABLES } : {}),
    rows,
  };
}

export function formatTransport(t: TransportResult): string[] {
  return t.rows.map((r) => {
    const mb = (r.bytes / 1e6).toFixed(0);
    return `transport ${r.dtype} ${r.shape.join('×')} (${mb} MB each way): identity ${fmt.ms(r.identity.medianRoundTripMs)} = ${r.identity.mbPerSecond.toFixed(0)} MB/s; ` +
      `softmax ${fmt.ms(r.softmax.medianRoundTripMs)} vs its own ${fmt.ms(r.medianCandidateOwnMs)}: overhead ${fmt.ratio(r.overheadRatio)} ` +
      `(paired with the in-worker time: ${fmt.ratio(r.pairedOverheadRatio)}); raw socket echo ${fmt.ms(r.socketFloor.medianRoundTripMs)}; ` +
      `fresh ${mb} MB buffer in Node ${fmt.ms(r.freshBuffer.medianMs)}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const dtypesAt = args.indexOf('--dtypes');
  const dtypes = dtypesAt >= 0 ? (args[dtypesAt + 1].split(',') as ('float64' | 'float32')[]) : undefined;
  const json = args.includes('--json');
  const r = await benchTransport({ runs, dtypes, log: json ? undefined : (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(json ? `${JSON.stringify(r)}\n` : `${formatTransport(r).join('\n')}\n`);
}
