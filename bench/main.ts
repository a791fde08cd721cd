// `npm run bench`: the harness's performance, side by side with what it replaces. Prints a table and writes
// reports/bench.json (machine, load, versions, command, every run and the medians). Not part of `npm test`.
//
//   npm run bench [-- --runs N] [--transport-runs N] [--cases N] [--only audit,sandbox,transport,e2e,oracle] [--out FILE]
//                 [--hugetlb-variant]
//
// Sections (docs/bench.md says what each figure means and what limited it):
//   audit      harness `audit` vs a pytest + Hypothesis suite on the same correct candidate, same number of cases
//   sandbox    the same audit with --sandbox bwrap and --sandbox none: what the sandbox costs (bench/sandbox-cost.ts)
//   transport  4096 x 4096 float64/float32 through a worker and back vs the candidate's own softmax time
//   e2e        wall time of `softmax-conformance run` (default settings) and the cases it checked
//   oracle     the oracle's elements/s vs mpmath (bench/oracle-bench.ts)
//   scale      cases/s and peak RSS at 2k/20k (--scale-max 200000 adds 200k) cases, --jobs 1 vs 2, a 2k and a
//              0-case audit's whole-command time (medians of 5, beside their peers), an extrapolation to a 16-core
//              runner and a 10-shard matrix (bench/scale.ts)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { projectPath } from '../harness/paths.js';
import { benchAuditThroughput, type AuditThroughput } from './audit-throughput.js';
import { benchEndToEnd, type EndToEnd } from './end-to-end.js';
import { benchSandboxCost, type SandboxCost } from './sandbox-cost.js';
import { fmt, load, machine, median, timedRun, versions } from './lib.js';
import { benchTransport, type TransportResult } from './transport.js';
import { benchScale, scaleRows, type ScaleResult } from './scale.js';
// Issue 14's sections live in bench/blind-spots.ts: `npm run bench -- no-false-alarms|audit-time|peak-rss|blind-spots`.
if (/^(blind-spots|no-false-alarms|audit-time|peak-rss)$/.test(process.argv[2] ?? '')) process.exit(await (await import('./blind-spots.js')).main(process.argv.slice(2)));

const SECTIONS = ['audit', 'sandbox', 'transport', 'e2e', 'oracle', 'scale'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  runs: number;
  transportRuns: number;
  cases: number;
  only: Section[];
  out: string;
  hugetlbVariant: boolean;
  scaleMax: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { runs: 3, transportRuns: 5, cases: 2000, only: [...SECTIONS], out: projectPath('reports', 'bench.json'), hugetlbVariant: false, scaleMax: 20000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} must be a positive integer, got ${v}`);
      return n;
    };
    if (a === '--runs') o.runs = int(next());
    else if (a === '--transport-runs') o.transportRuns = int(next());
    else if (a === '--cases') o.cases = int(next());
    else if (a === '--out') o.out = next();
    else if (a === '--hugetlb-variant') o.hugetlbVariant = true;
    else if (a === '--scale-max') o.scaleMax = int(next());
    else if (a === '--only') {
      const list = next().split(',');
      for (const s of list) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (sections: ${SECTIONS.join(', ')})`);
      o.only = list as Section[];
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('npm run bench [-- --runs N] [--transport-runs N] [--cases N] [--only audit,sandbox,transport,e2e,oracle,scale] [--out FILE] [--hugetlb-variant] [--scale-max N]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/** The oracle section comes from bench/oracle-bench.ts (written separately); loaded only if it is there. */
interface OracleRowLike {
  length: number;
  oracle: { elementsPerSecond: number };
  decimal: { elementsPerSecond: number };
  mpmath: { elementsPerSecond: number } | { skipped: string };
}
interface OracleLike {
  command: string;
  goalElementsPerSecond: number;
  rows: OracleRowLike[];
  fallbackElements?: number;
  oracleElements?: number;
}
type OracleSection = { available: true; result: OracleLike; load: [number, number, number] } | { available: false; note: string };

async function oracleSection(): Promise<OracleSection> {
  const NOT_YET = 'oracle: see bench/oracle-bench.ts (not yet available)';
  let mod: { benchOracle?: (o?: { runs?: number }) => Promise<OracleLike> };
  try {
    mod = (await import(new URL('./oracle-bench.js', import.meta.url).href)) as typeof mod;
  } catch {
    return { available: false, note: NOT_YET };
  }
  if (typeof mod.benchOracle !== 'function') return { available: false, note: NOT_YET };
  const l = load();
  return { available: true, result: await mod.benchOracle({ runs: 3 }), load: l };
}

function log(s: string): void {
  process.stderr.write(`${s}\n`);
}

const yesNo = (ok: boolean): string => (ok ? 'yes' : '**no**');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

function table(r: {
  audit?: AuditThroughput;
  sandbox?: SandboxCost;
  transport?: TransportResult;
  transportHugetlb?: TransportResult | { error: string };
  e2e?: EndToEnd;
  oracle?: OracleSection;
  scale?: ScaleResult;
}): string {
  const rows: string[][] = [];
  if (r.audit) {
    const a = r.audit;
    const cases = a.harness.runs[0]?.cases ?? 0;
    const peers: [string, AuditThroughput['hypothesis'], number, number][] = [
      ['same checks (values against the correctly rounded softmax, mpmath)', a.hypothesisExact, a.ratio, a.loopRatio],
      ['values against a float64 NumPy softmax, as a user would write it', a.hypothesis, a.ratioNumpyPeer, a.loopRatioNumpyPeer],
    ];
    for (const [what, p, ratio, loopRatio] of peers) {
      rows.push([
        `audit throughput, correct candidate, whole command; peer: ${what} (harness: ${int(cases)} cases = ${int(a.generatedCases)} generated + ${a.harness.fixedCases} fixed; Hypothesis: ${int(p.runs[0]?.cases ?? 0)} examples)`,
        `${fmt.rate(a.harness.casesPerSecond)} cases/s (${fmt.ms(a.harness.medianWallMs)})`,
        `pytest + Hypothesis: ${fmt.rate(p.casesPerSecond)} cases/s (${fmt.ms(p.medianWallMs)})`,
        fmt.ratio(ratio),
        '≥ 10×',
        yesNo(ratio >= 10),
      ]);
      rows.push([
        'the same, checking loop only (startup excluded on both sides)',
        `${fmt.rate(a.harness.loopCasesPerSecond)} cases/s (${int(a.harness.runs[0]?.calls ?? NaN)} candidate calls)`,
        `${fmt.rate(p.loopCasesPerSecond)} cases/s (of which the checks: ${fmt.ms(median(p.runs.map((x) => x.checkMs ?? NaN)))}, the rest generation)`,
        fmt.ratio(loopRatio),
        '',
        '',
      ]);
    }
  }
  if (r.sandbox) {
    const s = r.sandbox;
    rows.push([
      `sandbox cost: whole-command audit, correct candidate, ${int(s.cases)} generated cases, ${s.sandbox} vs --sandbox none`,
      `${fmt.ms(median(s.sandboxedMs))} sandboxed`,
      `${fmt.ms(median(s.unsandboxedMs))} unsandboxed`,
      `+${(s.cost * 100).toFixed(1)}% (paired: +${(s.pairedCost * 100).toFixed(1)}%)`,
      '≤ +15%',
      yesNo(s.cost <= s.goal),
    ]);
  }
  const transportRows = (t: TransportResult, tag: string): void => {
    for (const x of t.rows) {
      const mb = (x.bytes / 1e6).toFixed(0);
      rows.push([
        `transport ${x.dtype} ${x.shape.join('×')} (${mb} MB each way), identity candidate${tag}`,
        `round trip ${fmt.ms(x.identity.medianRoundTripMs)} = ${int(x.identity.mbPerSecond)} MB/s`,
        `raw socket echo (the floor of the socket path, which tensors of 8 MiB and more no longer take): ${fmt.ms(x.socketFloor.medianRoundTripMs)} = ${int(x.socketFloor.mbPerSecond)} MB/s; a fresh ${mb} MB buffer in Node, every page touched: ${fmt.ms(x.freshBuffer.medianMs)}`,
        fmt.ratio(x.identity.medianRoundTripMs / x.socketFloor.medianRoundTripMs),
        '',
        '',
      ]);
      rows.push([
        `transport ${x.dtype} ${x.shape.join('×')}, softmax candidate${tag}`,
        `round trip ${fmt.ms(x.softmax.medianRoundTripMs)} = ${int(x.softmax.mbPerSecond)} MB/s`,
        `candidate's own softmax: ${fmt.ms(x.medianCandidateOwnMs)} (in the worker: ${fmt.ms(median(x.softmax.inWorkerMs))})`,
        `overhead ${fmt.ratio(x.overheadRatio)} (paired: ${fmt.ratio(x.pairedOverheadRatio)})`,
        x.dtype === 'float64' ? '≤ 1×' : '',
        x.dtype === 'float64' ? yesNo(x.overheadRatio <= 1) : '',
      ]);
    }
  };
  if (r.transport) transportRows(r.transport, '');
  if (r.transportHugetlb) {
    if ('error' in r.transportHugetlb) rows.push(['transport with GLIBC_TUNABLES=glibc.malloc.hugetlb=1', `not measured: ${r.transportHugetlb.error}`, '', '', '', '']);
    else transportRows(r.transportHugetlb, ', Node started with GLIBC_TUNABLES=glibc.malloc.hugetlb=1');
  }
  if (r.e2e) {
    const e = r.e2e;
    const last = e.runs[e.runs.length - 1];
    rows.push([
      `end to end: \`softmax-conformance run\`, default settings (${last?.implementations ?? '?'} implementations; exit ${last?.exitCode})`,
      `${fmt.ms(e.medianWallMs)}, ${int(e.casesRun)} check × case judgements (accounting.run)`,
      '',
      '',
      '≤ 60 s',
      yesNo(e.medianWallMs <= e.goalMs),
    ]);
  }
  if (r.oracle) {
    if (!r.oracle.available) rows.push([`oracle — TODO: ${r.oracle.note}`, '', '', '', '', '']);
    else {
      for (const x of r.oracle.result.rows) {
        const mp = 'skipped' in x.mpmath ? undefined : x.mpmath.elementsPerSecond;
        rows.push([
          `oracle, float64 softmax rows of ${int(x.length)}`,
          `${(x.oracle.elementsPerSecond / 1e6).toPrecision(3)} M elements/s`,
          mp === undefined ? 'mpmath: skipped' : `mpmath (320 bits): ${(mp / 1e3).toPrecision(3)} k elements/s`,
          mp === undefined ? '' : fmt.ratio(x.oracle.elementsPerSecond / mp),
          `≥ ${(r.oracle.result.goalElementsPerSecond / 1e6).toFixed(0)} M/s`,
          yesNo(x.oracle.elementsPerSecond >= r.oracle.result.goalElementsPerSecond),
        ]);
      }
    }
  }
  if (r.scale) rows.push(...scaleRows(r.scale));
  const head = ['figure', 'harness', 'peer / yardstick', 'ratio', 'goal', 'met'];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const m = machine();
  const v = versions();
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  log(`bench: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.uptime}`);
  const result: Record<string, unknown> = {
    schema: 'softmax-conformance bench 1',
    createdAt: new Date().toISOString(),
    command,
    machine: m,
    versions: v,
    settings: { runs: o.runs, transportRuns: o.transportRuns, cases: o.cases, sections: o.only },
  };
  const parts: Parameters<typeof table>[0] = {};

  if (o.only.includes('audit')) {
    log(`audit throughput: ${o.cases} generated cases, ${o.runs} runs of each side, alternating`);
    parts.audit = await benchAuditThroughput({ runs: o.runs, cases: o.cases, log });
    result.audit = parts.audit;
  }
  if (o.only.includes('sandbox')) {
    log(`sandbox cost: ${o.cases} generated cases, ${o.runs} runs of each side, alternating`);
    parts.sandbox = await benchSandboxCost({ runs: o.runs, cases: o.cases, log });
    result.sandbox = parts.sandbox;
  }
  if (o.only.includes('transport')) {
    log(`transport: ${o.transportRuns} runs after a warm-up`);
    parts.transport = await benchTransport({ runs: o.transportRuns, log });
    result.transport = parts.transport;
    if (o.hugetlbVariant && process.platform === 'linux' && !process.env.GLIBC_TUNABLES) {
      // Opt-in: the same float64 measurement in a Node whose malloc asks for transparent huge pages, to see how much
      // of the round trip is Node's page faults on fresh result buffers (docs/bench.md).
      log('transport, float64 again with GLIBC_TUNABLES=glibc.malloc.hugetlb=1');
      const t = await timedRun(process.execPath, [projectPath('dist', 'bench', 'transport.js'), '--json', '--runs', String(o.transportRuns), '--dtypes', 'float64'], {
        env: { ...process.env, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' },
      });
      parts.transportHugetlb = t.exitCode === 0 ? (JSON.parse(t.stdout) as TransportResult) : { error: t.stderr.split('\n').slice(-3).join(' ') };
      result.transportHugetlb = parts.transportHugetlb;
    }
  }
  if (o.only.includes('e2e')) {
    log(`end to end: ${o.runs} runs of softmax-conformance run`);
    parts.e2e = await benchEndToEnd({ runs: o.runs, log });
    result.endToEnd = parts.e2e;
  }
  if (o.only.includes('oracle')) {
    log('oracle');
    parts.oracle = await oracleSection();
    result.oracle = parts.oracle;
  }
  if (o.only.includes('scale')) {
    const sizes = [2000, 20000, 200000].filter((n) => n <= o.scaleMax);
    log(`scale: a 2,000- and a 0-case audit's whole command (medians of 5, alternating with their peers), audits of ${sizes.join(', ')} cases, --jobs 1 and 2, and the Hypothesis peer at 2,000 and 20,000`);
    parts.scale = await benchScale({ sizes, peerSizes: [2000, 20000].filter((n) => n <= o.scaleMax), wholeRuns: 5, log });
    result.scale = parts.scale;
  }
  result.benchSeconds = +((performance.now() - started) / 1000).toFixed(1);
  result.loadAtEnd = load();
  const text = table(parts);
  result.table = text;
  mkdirSync(dirname(o.out), { recursive: true });
  writeFileSync(o.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${text}\n\n`);
  process.stdout.write(`machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}; at start: ${m.uptime}; load at end ${load().join(', ')}\n`);
  process.stdout.write(`versions: node ${v.node}, python ${v.python}, numpy ${v.numpy}, hypothesis ${v.hypothesis}, pytest ${v.pytest}, mpmath ${v.mpmath}\n`);
  process.stdout.write(`command: ${command} (${result.benchSeconds} s); medians of ${o.runs} runs (transport: ${o.transportRuns} after a warm-up)\n`);
  process.stdout.write(`written: ${relative(process.cwd(), o.out) || o.out}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
