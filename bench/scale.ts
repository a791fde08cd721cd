// The `scale` bench section (issue 16): cases/s and peak RSS of an audit as the cases grow, cases/s at --jobs 1
// and 2, the whole-command time of a 2,000-case audit, and an extrapolation to a 16-core runner and a 10-shard
// matrix. Peer: the pytest + Hypothesis suite (bench/hypothesis_suite, NumPy reference) on the same case counts.
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`, KiB); without it the RSS columns say "not measured".
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../harness/paths.js';
import { defaultPython } from '../harness/worker/python-worker.js';
import { load, median, timedRun } from './lib.js';

const TIME = '/usr/bin/time';
const CANDIDATE = 'test/fixtures/broken/correct.py:softmax';

export interface ScaleRun {
  what: string;
  command: string;
  cases: number;
  wallMs: number;
  casesPerSecond: number;
  /** peak resident set of the process tree's largest process, MB; undefined without GNU time */
  peakRssMb?: number;
}

/** A whole-command time measured several times, alternating with its peer: the runs, their median, the load. */
export interface WholeCommand {
  what: string;
  command: string;
  runsMs: number[];
  medianMs: number;
  peer: { what: string; command: string; runsMs: number[]; medianMs: number };
  /** the 1-minute load average before each pair of runs */
  load: number[];
}

export interface ScaleResult {
  harness: ScaleRun[];
  /** the 2,000-case audit and the 0-case one (start-up alone), whole command, medians, each beside its peer */
  wholeCommand?: WholeCommand[];
  jobs: ScaleRun[];
  peer: ScaleRun[];
  extrapolation: { setup: string; casesPerSecond: number; secondsFor200k: number }[];
  note: string;
}

async function measured(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ run: Omit<ScaleRun, 'cases' | 'casesPerSecond'>; stdout: string }> {
  const gnu = existsSync(TIME);
  const rssFile = join(mkdtempSync(join(tmpdir(), 'sc-bench-scale-')), 'rss');
  const r = gnu ? await timedRun(TIME, ['-f', '%M', '-o', rssFile, cmd, ...args], { env, cwd }) : await timedRun(cmd, args, { env, cwd });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${what} failed (exit ${r.exitCode}): ${r.stderr.slice(-2000)}`);
  const peakRssMb = gnu ? Math.round(Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024) : undefined;
  rmSync(join(rssFile, '..'), { recursive: true, force: true });
  return { run: { what, command: [cmd, ...args].join(' '), wallMs: r.ms, ...(peakRssMb !== undefined ? { peakRssMb } : {}) }, stdout: r.stdout };
}

async function audit(cases: number, jobs: number): Promise<ScaleRun> {
  const args = [projectPath('bin', 'softmax-conformance.js'), 'audit', CANDIDATE, '--contract', 'last', '--dtype', 'float64', '--num-runs', String(cases), '--jobs', String(jobs), '--budget', '3600', '--json'];
  const { run, stdout } = await measured(`audit ${cases} generated cases, --jobs ${jobs}`, process.execPath, args, process.env, projectPath());
  const report = JSON.parse(stdout) as { implementations: { checks: { cases: { planned: number } }[] }[] };
  const judged = Math.max(...report.implementations[0].checks.map((c) => c.cases.planned)); // fixed + generated
  return { ...run, command: `node bin/softmax-conformance.js ${args.slice(1).join(' ').replace(projectPath() + '/', '')}`, cases: judged, casesPerSecond: judged / (run.wallMs / 1000) };
}

/** One whole command, wall time from spawn to exit (exit 0 or 1: a verdict). */
async function wall(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const r = await timedRun(cmd, args, { cwd, env });
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.slice(-2000)}`);
  return r.ms;
}

/**
 * The whole-command time of an audit of `cases` generated cases (`--jobs 1`, as `node` runs it), `runs` times,
 * alternating with its peer so that both see the same load: for 2,000 cases, pytest + Hypothesis on 2,000 examples;
 * for 0 cases (start-up: the interpreter, NumPy, the sandbox, the 35 fixed cases), Python importing NumPy.
 */
async function wholeCommand(cases: number, runs: number): Promise<WholeCommand> {
  const args = [projectPath('bin', 'softmax-conformance.js'), 'audit', CANDIDATE, '--contract', 'last', '--dtype', 'float64', '--num-runs', String(cases), '--jobs', '1', '--json'];
  const scratch = mkdtempSync(join(tmpdir(), 'sc-bench-whole-'));
  const env = { ...process.env, BENCH_EXAMPLES: String(cases), BENCH_REFERENCE: 'numpy', BENCH_COUNT_FILE: join(scratch, 'count.json'), PYTHONDONTWRITEBYTECODE: '1' };
  const peer = cases > 0
    ? { what: `pytest + Hypothesis, ${cases} examples`, command: `BENCH_REFERENCE=numpy BENCH_EXAMPLES=${cases} python -m pytest -q bench/hypothesis_suite/test_softmax_hypothesis.py`, args: ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'ignore', projectPath('bench', 'hypothesis_suite', 'test_softmax_hypothesis.py')] }
    : { what: 'python -c "import numpy" (the floor of any NumPy-based check)', command: 'python -c "import numpy"', args: ['-c', 'import numpy'] };
  const mine: number[] = [];
  const theirs: number[] = [];
  const loads: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      loads.push(load()[0]);
      mine.push(await wall(process.execPath, args, projectPath()));
      theirs.push(await wall(defaultPython(), peer.args, scratch, env));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return {
    what: cases > 0 ? `whole-command time of a ${cases.toLocaleString('en')}-case audit (--jobs 1)` : 'whole-command time of a 0-case audit (start-up and the fixed cases, --jobs 1)',
    command: `node bin/softmax-conformance.js ${args.slice(1).join(' ').replace(projectPath() + '/', '')}`,
    runsMs: mine,
    medianMs: median(mine),
    peer: { what: peer.what, command: peer.command, runsMs: theirs, medianMs: median(theirs) },
    load: loads,
  };
}

async function hypothesis(cases: number): Promise<ScaleRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'sc-bench-scale-hyp-'));
  try {
    const countFile = join(scratch, 'count.json');
    const env = { ...process.env, BENCH_EXAMPLES: String(cases), BENCH_REFERENCE: 'numpy', BENCH_COUNT_FILE: countFile, PYTHONDONTWRITEBYTECODE: '1' };
    const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'ignore', projectPath('bench', 'hypothesis_suite', 'test_softmax_hypothesis.py')];
    const { run } = await measured(`pytest + Hypothesis, ${cases} examples`, defaultPython(), args, env, scratch);
    const examples = (JSON.parse(readFileSync(countFile, 'utf8')) as { examples: number }).examples;
    return { ...run, command: `BENCH_REFERENCE=numpy BENCH_EXAMPLES=${cases} python -m pytest -q bench/hypothesis_suite/test_softmax_hypothesis.py`, cases: examples, casesPerSecond: examples / (run.wallMs / 1000) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function benchScale(opts: { sizes: number[]; peerSizes: number[]; wholeRuns?: number; log?: (s: string) => void }): Promise<ScaleResult> {
  const log = opts.log ?? (() => undefined);
  // First, while the machine is as quiet as it will be in this section: medians of alternating runs.
  const whole: WholeCommand[] = [];
  for (const n of opts.sizes.includes(2000) ? [2000, 0] : []) {
    whole.push(await wholeCommand(n, opts.wholeRuns ?? 5));
    const w = whole[whole.length - 1];
    log(`  ${w.what}: median ${(w.medianMs / 1000).toFixed(2)} s of ${w.runsMs.length}; ${w.peer.what}: ${(w.peer.medianMs / 1000).toFixed(2)} s`);
  }
  const harness: ScaleRun[] = [];
  for (const n of opts.sizes) {
    harness.push(await audit(n, 1));
    log(`  ${harness[harness.length - 1].what}: ${(harness[harness.length - 1].wallMs / 1000).toFixed(1)} s, ${harness[harness.length - 1].peakRssMb ?? '?'} MB`);
  }
  const jobsAt = opts.sizes.includes(20000) ? 20000 : opts.sizes[0];
  const jobs = [harness.find((r) => r.what.startsWith(`audit ${jobsAt} `))!, await audit(jobsAt, 2)];
  log(`  ${jobs[1].what}: ${(jobs[1].wallMs / 1000).toFixed(1)} s`);
  const peer: ScaleRun[] = [];
  for (const n of opts.peerSizes) {
    peer.push(await hypothesis(n));
    log(`  ${peer[peer.length - 1].what}: ${(peer[peer.length - 1].wallMs / 1000).toFixed(1)} s`);
  }
  // A linear model from the measured per-process rate at --jobs 2 (two cores busy: the candidate workers and the
  // judging thread). One process judges on one thread, so a wide runner is used by several shard processes.
  const r2 = jobs[1].casesPerSecond;
  const extrapolation = [
    { setup: 'this machine, one process, --jobs 2 (measured)', casesPerSecond: r2 },
    { setup: '16-core runner: 8 shard processes x --jobs 2, then merge', casesPerSecond: 8 * r2 },
    { setup: '10-shard matrix of 2-core runners, --jobs 2 each, then merge', casesPerSecond: 10 * r2 },
  ].map((e) => ({ ...e, secondsFor200k: 200000 / e.casesPerSecond }));
  return {
    harness, ...(whole.length ? { wholeCommand: whole } : {}), jobs, peer, extrapolation,
    note: 'extrapolation is linear in processes (each shard is independent; the merge reads N small reports); it ignores runner start-up and a shared machine\'s load',
  };
}

export function scaleRows(s: ScaleResult): string[][] {
  const mb = (r: ScaleRun) => (r.peakRssMb === undefined ? 'RSS not measured' : `peak RSS ${r.peakRssMb} MB`);
  const rows: string[][] = [];
  for (const h of s.harness) {
    const p = s.peer.find((x) => Math.abs(x.cases - h.cases) / h.cases < 0.2);
    rows.push([
      `scale: ${h.what} (correct candidate, float64, ${h.cases} cases with the fixed ones)`,
      `${Math.round(h.casesPerSecond)} cases/s (${(h.wallMs / 1000).toFixed(1)} s), ${mb(h)}`,
      p ? `pytest + Hypothesis (NumPy reference): ${Math.round(p.casesPerSecond)} cases/s (${(p.wallMs / 1000).toFixed(1)} s), ${mb(p)}` : 'pytest + Hypothesis: not run at this size',
      p ? `${(h.casesPerSecond / p.casesPerSecond).toFixed(1)}×` : '',
      h.cases > 100000 ? '≤ 500 MB' : '',
      h.cases > 100000 && h.peakRssMb !== undefined ? (h.peakRssMb <= 500 ? 'yes' : '**no**') : '',
    ]);
  }
  const [j1, j2] = s.jobs;
  rows.push([`scale: ${j2.what.replace(/, --jobs 2$/, '')}, --jobs 2 vs --jobs 1`, `${Math.round(j2.casesPerSecond)} cases/s`, `--jobs 1: ${Math.round(j1.casesPerSecond)} cases/s`, `${(j2.casesPerSecond / j1.casesPerSecond).toFixed(2)}×`, '', '']);
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  for (const w of s.wholeCommand ?? []) {
    const goal = w.what.includes('2,000-case');
    rows.push([
      `scale: ${w.what}, median of ${w.runsMs.length} (load ${Math.min(...w.load).toFixed(1)}-${Math.max(...w.load).toFixed(1)})`,
      `${sec(w.medianMs)} (runs ${w.runsMs.map(sec).join(', ')})`,
      `${w.peer.what}: ${sec(w.peer.medianMs)}`,
      `${(w.peer.medianMs / w.medianMs).toFixed(1)}×`,
      goal ? '≤ 1.0 s' : '',
      goal ? (w.medianMs <= 1000 ? 'yes' : '**no**') : '',
    ]);
  }
  for (const e of s.extrapolation) rows.push([`scale, extrapolated: ${e.setup}`, `${Math.round(e.casesPerSecond)} cases/s`, `200,000 cases in ${e.secondsFor200k.toFixed(0)} s`, '', '', '']);
  return rows;
}
