// Oracle throughput on float64 rows of length 16, 1,024 and 65,536 (elements per second, median of several runs),
// side by side with decimal.js alone (the oracle's fallback path used for every element) and mpmath at 320 bits
// (bench/mpmath_oracle_bench.py) on the same rows. decimal.js and mpmath get a prefix of the rows (they are slow);
// their rate is per element all the same.
//
//   npm run build && node dist/bench/oracle-bench.js
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { oracle, oracleCounters, oracleSliceDecimal, resetOracleCounters } from '../reference/softmax.js';
import { projectPath } from '../harness/paths.js';
import { makeTensor } from '../harness/tensor/tensor.js';
import { writeTensorFile } from '../harness/tensor/io.js';

export interface Throughput {
  elements: number;
  runs: number;
  /** elements per second, median over the runs */
  elementsPerSecond: number;
}

export interface OracleBenchRow {
  length: number;
  oracle: Throughput;
  decimal: Throughput;
  mpmath: Throughput | { skipped: string };
}

export interface OracleBenchResult {
  command: string;
  node: string;
  goalElementsPerSecond: number;
  rows: OracleBenchRow[];
  /** fast-path fallbacks to decimal.js during the oracle runs */
  fallbackElements: number;
  oracleElements: number;
}

const LENGTHS = [16, 1024, 65536];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Rows of N(0, 10^2) logits from a fixed-seed generator. */
function makeRows(length: number, count: number, seed: number): Float64Array {
  const out = new Float64Array(length * count);
  let s = seed;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(rnd())) * 10;
    const t = 2 * Math.PI * rnd();
    out[i] = r * Math.cos(t);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

function time(fn: () => void, runs: number): number[] {
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms;
}

async function mpmathRate(rows: Float64Array, length: number, count: number, runs: number): Promise<Throughput | { skipped: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-'));
  try {
    const file = join(dir, 'rows.npy');
    writeTensorFile(file, makeTensor('float64', [count, length], rows.slice(0, count * length)));
    const { stdout } = await promisify(execFile)('python3', [projectPath('bench', 'mpmath_oracle_bench.py'), file, String(runs)], {
      timeout: 600_000,
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(stdout) as { elements: number; seconds: number[] };
    return { elements: r.elements, runs, elementsPerSecond: r.elements / median(r.seconds) };
  } catch (err) {
    return { skipped: `python3 with numpy and mpmath is needed (${(err as Error).message.split('\n')[0]})` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchOracle(opts: { runs?: number; elementsPerLength?: number } = {}): Promise<OracleBenchResult> {
  const runs = opts.runs ?? 7;
  const total = opts.elementsPerLength ?? 1 << 21;
  resetOracleCounters();
  const rows: OracleBenchRow[] = [];
  let oracleElements = 0;
  for (const length of LENGTHS) {
    const count = Math.max(1, Math.round(total / length));
    const data = makeRows(length, count, 12345 + length);
    const x = makeTensor('float64', [count, length], data);
    oracle(x, [1], { op: 'softmax', policy: 'ieee' }); // warm-up (JIT)
    const ms = time(() => oracle(x, [1], { op: 'softmax', policy: 'ieee' }), runs);
    oracleElements += (runs + 1) * count * length;
    const oracleT: Throughput = { elements: count * length, runs, elementsPerSecond: (count * length) / (median(ms) / 1000) };
    // decimal.js alone and mpmath: a prefix of the same rows, about 4,096 elements (one row at 65,536)
    const slowRows = Math.max(1, Math.floor(4096 / length));
    const slowRuns = length >= 65536 ? 1 : 3;
    const dms = time(() => {
      for (let r = 0; r < slowRows; r++) oracleSliceDecimal(data.subarray(r * length, (r + 1) * length), { op: 'softmax', policy: 'ieee', outDtype: 'float64' });
    }, slowRuns);
    const decimalT: Throughput = { elements: slowRows * length, runs: slowRuns, elementsPerSecond: (slowRows * length) / (median(dms) / 1000) };
    rows.push({ length, oracle: oracleT, decimal: decimalT, mpmath: await mpmathRate(data, length, slowRows, slowRuns) });
  }
  return {
    command: 'npm run build && node dist/bench/oracle-bench.js',
    node: process.version,
    goalElementsPerSecond: 5e6,
    rows,
    fallbackElements: oracleCounters().fallbackElements,
    oracleElements,
  };
}

export function formatOracleBench(r: OracleBenchResult): string {
  const f = (t: Throughput | { skipped: string }) => ('skipped' in t ? 'skipped' : `${(t.elementsPerSecond / 1e6).toPrecision(3)} M/s`);
  const lines = [
    `oracle throughput, float64 softmax rows (node ${r.node}; ${r.command})`,
    '| row length | oracle | decimal.js alone | mpmath (320 bits) |',
    '|---:|---:|---:|---:|',
    ...r.rows.map((x) => `| ${x.length} | ${f(x.oracle)} | ${f(x.decimal)} | ${f(x.mpmath)} |`),
    `fallback to decimal.js: ${r.fallbackElements} of ${r.oracleElements} elements`,
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchOracle();
  process.stdout.write(`${formatOracleBench(r)}\n`);
}
