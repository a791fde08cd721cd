// Issue 14's figures (docs/bench.md, "Blind spots"): not part of `npm test`, each section takes minutes.
//
//   npm run bench -- no-false-alarms [--seeds 1,2,3,4,5] [--num-runs 1000] [--only TEXT]   correct candidates conform
//   npm run bench -- audit-time [--runs 5]                                  whole-command time of a 300-run audit
//   npm run bench -- peak-rss [--num-runs 2000]                             peak memory of a 2,000-run audit
//   npm run bench -- blind-spots                                            all three; [--out FILE] (JSON)
//
// A correct candidate that fails here is a false alarm until shown otherwise: either the harness or the candidate is
// wrong, and the table names the failing family so the finding can be chased.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, relative } from 'node:path';
import { projectPath } from '../harness/paths.js';
import { load, median, timedRun } from './lib.js';

const CLI = projectPath('bin', 'softmax-conformance.js');
/** A command line as a person types it from the project root. */
const shown = (args: string[]): string => `node ${relative(projectPath(), args[0])} ${args.slice(1).join(' ')}`;
const WITH_BF16 = 'float64,float32,float16,bfloat16,int32,int64';

/** How a control is named in the table: its target, and "+ bfloat16" when its audit asked for bfloat16. */
const labelOf = (c: { target: string; args: string[] }): string => `${c.target}${c.args.includes(WITH_BF16) ? ' + bfloat16' : ''}`;

/**
 * The project's correct candidates, plus the two kernel-style ones issue 14 names (online one-pass, reciprocal).
 * Not test/fixtures/candidates/correct.py: it is the worker tests' float-only candidate, and an audit rightly finds
 * that x - max(x) wraps around in int32 (`overflow`).
 */
export const CONTROLS: { target: string; args: string[] }[] = [
  { target: 'test/fixtures/kernels/online_softmax.py:softmax', args: ['--contract', 'last'] },
  { target: 'test/fixtures/kernels/reciprocal_softmax.py:softmax', args: ['--contract', 'last'] },
  { target: 'test/fixtures/broken/correct.py:softmax', args: ['--contract', 'last'] },
  { target: 'test/fixtures/candidates/correct.mjs:softmax', args: ['--contract', 'last'] },
  { target: 'implementations/numpy_stable.py:softmax', args: ['--contract', 'axis-arg'] },
  { target: 'bench/candidates/correct_softmax.py:softmax', args: ['--contract', 'last'] },
  { target: 'test/fixtures/dtype-ops/softmax_f32_accumulator.py:softmax', args: ['--contract', 'last'] },
  { target: 'test/fixtures/dtype-ops/log_softmax_correct.py:log_softmax', args: ['--contract', 'last', '--op', 'log-softmax'] },
  { target: 'test/fixtures/dtype-ops/logsumexp_correct.py:logsumexp', args: ['--contract', 'last', '--op', 'logsumexp'] },
  // bfloat16 is not in audit's default dtypes (harness/generators/dtype-lists.ts): asked for by name for those made for it
  ...[
    ['test/fixtures/kernels/online_softmax.py:softmax'],
    ['test/fixtures/kernels/reciprocal_softmax.py:softmax'],
    ['test/fixtures/broken/correct.py:softmax'],
    ['test/fixtures/dtype-ops/softmax_f32_accumulator.py:softmax'],
    ['test/fixtures/dtype-ops/log_softmax_correct.py:log_softmax', '--op', 'log-softmax'],
    ['test/fixtures/dtype-ops/logsumexp_correct.py:logsumexp', '--op', 'logsumexp'],
  ].map(([target, ...op]) => ({ target, args: ['--contract', 'last', ...op, '--dtype', WITH_BF16] })),
];

export interface AlarmRow {
  target: string;
  seed: number;
  exitCode: number | null;
  verdict: string;
  /** failing checks, "family: diagnosis" (first line) */
  failing: string[];
  seconds: number;
}

/** The verdict and failing checks of one audit's --json report (or why there is none). */
export function readVerdict(stdout: string): { verdict: string; failing: string[] } {
  try {
    const r = JSON.parse(stdout) as { implementations: { verdict: string; checks: { name: string; verdict: string; diagnosis?: string }[] }[] };
    const impl = r.implementations[0];
    const failing = impl.checks.filter((c) => c.verdict === 'fail').map((c) => `${c.name}: ${(c.diagnosis ?? '').split('\n')[0].slice(0, 300)}`);
    return { verdict: impl.verdict, failing };
  } catch {
    return { verdict: 'no report', failing: [] };
  }
}

export async function noFalseAlarms(seeds: number[], numRuns: number, only = '', log = (s: string) => process.stderr.write(`${s}\n`)): Promise<AlarmRow[]> {
  const rows: AlarmRow[] = [];
  for (const c of CONTROLS.filter((x) => labelOf(x).includes(only))) {
    for (const seed of seeds) {
      const t = await timedRun(process.execPath, [CLI, 'audit', c.target, ...c.args, '--json', '--seed', String(seed), '--num-runs', String(numRuns)], { cwd: projectPath() });
      const v = readVerdict(t.stdout);
      const row = { target: labelOf(c), seed, exitCode: t.exitCode, ...v, seconds: +(t.ms / 1000).toFixed(1) };
      if (v.verdict === 'no report') row.failing = [t.stderr.trim().split('\n').slice(-2).join(' ')];
      rows.push(row);
      log(`${labelOf(c)} seed ${seed}: exit ${t.exitCode} ${v.verdict} ${row.failing.join('; ')} (${row.seconds} s)`);
    }
  }
  return rows;
}

export function alarmTable(rows: AlarmRow[], seeds: number[]): string {
  const lines = [`| candidate | ${seeds.map((s) => `seed ${s}`).join(' | ')} | failing families |`, `|---|${seeds.map(() => '---|').join('')}---|`];
  for (const target of [...new Set(rows.map((r) => r.target))]) {
    const mine = rows.filter((r) => r.target === target);
    const cells = seeds.map((s) => {
      const r = mine.find((x) => x.seed === s);
      return r ? `${r.verdict === 'pass' ? 'pass' : `**${r.verdict}**`} (${r.seconds} s)` : '-';
    });
    const fams = [...new Set(mine.flatMap((r) => r.failing.map((f) => f.split(':')[0])))];
    lines.push(`| \`${target}\` | ${cells.join(' | ')} | ${fams.join(', ') || 'none'} |`);
  }
  return lines.join('\n');
}

export interface AuditTime { command: string; runs: number[]; medianSeconds: number; minSeconds: number; loadBefore: number[]; loadAfter: number[] }

/** Whole-command wall time (spawn to exit) of the default 300-run audit of the bench's correct candidate. */
export async function auditTime(runs: number): Promise<AuditTime> {
  const args = [CLI, 'audit', 'bench/candidates/correct_softmax.py:softmax', '--contract', 'last'];
  const loadBefore = load();
  await timedRun(process.execPath, args, { cwd: projectPath() }); // warm-up: page cache, Python's bytecode
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timedRun(process.execPath, args, { cwd: projectPath() });
    if (t.exitCode !== 0) throw new Error(`the audit exited ${t.exitCode}: ${t.stderr.slice(-500)}`);
    times.push(+(t.ms / 1000).toFixed(2));
  }
  return { command: shown(args), runs: times, medianSeconds: median(times), minSeconds: Math.min(...times), loadBefore, loadAfter: load() };
}

// ------------------------------------------------------------------ peak memory of a process tree

/** pid -> [ppid, name] for every process now (from /proc/PID/stat). */
function processTable(): Map<number, [number, string]> {
  const t = new Map<number, [number, string]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = s.lastIndexOf(')');
      const name = s.slice(s.indexOf('(') + 1, close);
      const ppid = Number(s.slice(close + 2).split(' ')[1]);
      t.set(Number(d), [ppid, name]);
    } catch {
      // it exited meanwhile
    }
  }
  return t;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface PeakRss {
  command: string;
  seconds: number;
  exitCode: number | null;
  /** the largest sum of the tree's resident memory seen at one sample (every 50 ms) */
  peakTreeMiB: number;
  /** each process's own high-water mark (VmHWM), last seen: the harness (node) and the worker's processes */
  perProcessPeakMiB: { pid: number; name: string; peakMiB: number }[];
}

/** Runs a command and samples its process tree's resident memory until it exits. */
export function peakRssOf(args: string[]): Promise<PeakRss> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: projectPath(), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err = (err + c.toString('utf8')).slice(-2000); });
    let peakKb = 0;
    const hwm = new Map<number, { name: string; kb: number }>();
    const sample = (): void => {
      const table = processTable();
      const tree = new Set<number>([child.pid!]);
      for (let grew = true; grew;) {
        grew = false;
        for (const [pid, [ppid]] of table) if (!tree.has(pid) && tree.has(ppid)) { tree.add(pid); grew = true; }
      }
      let sum = 0;
      for (const pid of tree) {
        sum += statusKb(pid, 'VmRSS');
        const h = statusKb(pid, 'VmHWM');
        if (h > (hwm.get(pid)?.kb ?? 0)) hwm.set(pid, { name: table.get(pid)?.[1] ?? '?', kb: h });
      }
      peakKb = Math.max(peakKb, sum);
    };
    const timer = setInterval(sample, 50);
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearInterval(timer);
      if (exitCode !== 0 && exitCode !== 1) return reject(new Error(`exit ${exitCode}: ${err}`));
      const mib = (kb: number) => +(kb / 1024).toFixed(1);
      resolve({
        command: shown(args),
        seconds: +((performance.now() - t0) / 1000).toFixed(1),
        exitCode,
        peakTreeMiB: mib(peakKb),
        perProcessPeakMiB: [...hwm].map(([pid, h]) => ({ pid, name: h.name, peakMiB: mib(h.kb) })).filter((p) => p.peakMiB >= 1).sort((a, b) => b.peakMiB - a.peakMiB),
      });
    });
  });
}

export const peakRss = (numRuns: number): Promise<PeakRss> =>
  peakRssOf([CLI, 'audit', 'bench/candidates/correct_softmax.py:softmax', '--contract', 'last', '--num-runs', String(numRuns)]);

// ------------------------------------------------------------------ command line

const SECTIONS = ['no-false-alarms', 'audit-time', 'peak-rss'] as const;

/** `argv`: a section name (or blind-spots for all), then options. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [section, ...rest] = argv;
  const opt = (name: string, dflt: string): string => {
    const i = rest.indexOf(name);
    return i >= 0 && rest[i + 1] !== undefined ? rest[i + 1] : dflt;
  };
  const sections = section === 'blind-spots' ? [...SECTIONS] : SECTIONS.filter((s) => s === section);
  if (sections.length === 0) {
    process.stderr.write(`blind-spots: unknown section ${section} (${SECTIONS.join(', ')}, or blind-spots for all)\n`);
    return 2;
  }
  const out: Record<string, unknown> = { date: new Date().toISOString(), loadAtStart: load() };
  let code = 0;
  if (sections.includes('no-false-alarms')) {
    const seeds = opt('--seeds', '1,2,3,4,5').split(',').map(Number);
    const numRuns = Number(opt('--num-runs', '1000'));
    const rows = await noFalseAlarms(seeds, numRuns, opt('--only', ''));
    out.noFalseAlarms = { seeds, numRuns, rows };
    process.stdout.write(`\nno false alarms: ${numRuns} runs per audit\n${alarmTable(rows, seeds)}\n`);
    if (rows.some((r) => r.verdict !== 'pass')) code = 1;
  }
  if (sections.includes('audit-time')) {
    const t = await auditTime(Number(opt('--runs', '5')));
    out.auditTime = t;
    process.stdout.write(`\n300-run audit, whole command: median ${t.medianSeconds} s, min ${t.minSeconds} s (runs ${t.runs.join(', ')}; load ${t.loadBefore.join(' ')} -> ${t.loadAfter.join(' ')})\n  ${t.command}\n`);
  }
  if (sections.includes('peak-rss')) {
    const p = await peakRss(Number(opt('--num-runs', '2000')));
    out.peakRss = p;
    const byName = new Map<string, number[]>();
    for (const x of p.perProcessPeakMiB) byName.set(x.name, [...(byName.get(x.name) ?? []), x.peakMiB]);
    const per = [...byName].map(([name, v]) => (v.length === 1 ? `${name} ${v[0]} MiB` : `${v.length} × ${name} ≤ ${Math.max(...v)} MiB`));
    process.stdout.write(`\npeak memory, ${p.command}: ${p.peakTreeMiB} MiB resident for the whole tree (${p.seconds} s); each process's own peak: ${per.join(', ')}\n`);
  }
  out.loadAtEnd = load();
  const file = opt('--out', projectPath('reports', 'blind-spots.json'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`written: ${file}\n`);
  return code;
}

if (process.argv[1]?.endsWith('blind-spots.js')) {
  main(process.argv.slice(2)).then((c) => process.exit(c), (e: unknown) => {
    process.stderr.write(`blind-spots failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  });
}
