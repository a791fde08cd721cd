// Audit throughput: checked cases per second for a correct candidate, the harness's `audit` against the
// pytest + Hypothesis suite a user would otherwise write (bench/hypothesis_suite/), run alternately in the same
// invocation so both see the same machine load. One generated input is one case on both sides.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../harness/paths.js';
import { defaultPython } from '../harness/worker/python-worker.js';
import { load, median, timedRun } from './lib.js';

export interface AuditRun {
  /** wall time of the whole command (process start to exit) */
  wallMs: number;
  /** inputs checked */
  cases: number;
  /** the part of wallMs spent checking (the harness: runAudit's own clock; Hypothesis: first to last example) */
  loopMs: number;
  /** harness only: candidate calls made (several per case: shifted, reversed, sliced and repeated inputs), from its report */
  calls?: number;
  /** Hypothesis only: the part of loopMs spent in the test body (the checks and the candidate's calls); the rest is generation */
  checkMs?: number;
  load: [number, number, number];
}

export interface AuditSide {
  command: string;
  runs: AuditRun[];
  /** median over runs of cases / wall time */
  casesPerSecond: number;
  /** median over runs of cases / loop time */
  loopCasesPerSecond: number;
  medianWallMs: number;
}

export type PeerSide = AuditSide & { reference: string };

export interface AuditThroughput {
  generatedCases: number;
  candidate: string;
  harness: AuditSide & { fixedCases: number; verdict: string; checks: number };
  /** the peer that performs the same checks: its values check is against the correctly rounded softmax (mpmath) */
  hypothesisExact: PeerSide;
  /** the peer as a user would write it: its values reference is a float64 NumPy softmax (cheaper, weaker) */
  hypothesis: PeerSide;
  /** harness cases/s ÷ same-checks Hypothesis cases/s (whole commands): the headline */
  ratio: number;
  /** the same ratio over the checking loops only (startup excluded on both sides) */
  loopRatio: number;
  /** harness cases/s ÷ NumPy-reference Hypothesis cases/s (whole commands) */
  ratioNumpyPeer: number;
  loopRatioNumpyPeer: number;
}

const REFERENCES = {
  exact: 'the correctly rounded softmax (golden/oracle-truth/exact.py, mpmath) within the harness\'s strict bound: the same values check as the harness',
  numpy: 'float64 NumPy max-subtracted softmax with a tolerance (what a user writes); weaker than the harness\'s correctly rounded oracle',
} as const;

const CANDIDATE = 'bench/candidates/correct_softmax.py:softmax';

interface AuditReportJson {
  verdict: string;
  ms: number;
  implementations: { calls?: number; checks: { name: string; verdict: string; cases: { planned: number } }[] }[];
}

function side(command: string, runs: AuditRun[]): AuditSide {
  return {
    command,
    runs,
    casesPerSecond: median(runs.map((r) => r.cases / (r.wallMs / 1000))),
    loopCasesPerSecond: median(runs.map((r) => r.cases / (r.loopMs / 1000))),
    medianWallMs: median(runs.map((r) => r.wallMs)),
  };
}

export async function benchAuditThroughput(opts: { runs: number; cases: number; seed?: number; log?: (s: string) => void }): Promise<AuditThroughput> {
  const log = opts.log ?? (() => undefined);
  const seed = opts.seed ?? 42;
  const python = defaultPython();
  const harnessArgs = [
    projectPath('bin', 'softmax-conformance.js'), 'audit', CANDIDATE, '--contract', 'last', '--dtype', 'float64,float32',
    '--num-runs', String(opts.cases), '--seed', String(seed), '--json',
  ];
  const suite = projectPath('bench', 'hypothesis_suite', 'test_softmax_hypothesis.py');
  const pytestArgs = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-W', 'ignore', suite];
  // Hypothesis writes .hypothesis/ (patches of failing examples) into its working directory: keep it out of the repo.
  const scratch = mkdtempSync(join(tmpdir(), 'sc-bench-hypothesis-'));
  const harnessRuns: AuditRun[] = [];
  const peerRuns: Record<keyof typeof REFERENCES, AuditRun[]> = { exact: [], numpy: [] };
  let fixedCases = 0;
  let verdict = '';
  let checks = 0;
  const runPeer = async (reference: keyof typeof REFERENCES, r: number): Promise<void> => {
    const l = load();
    const countFile = join(scratch, `count-${reference}-${r}.json`);
    const p = await timedRun(python, pytestArgs, {
      cwd: scratch,
      env: { ...process.env, BENCH_EXAMPLES: String(opts.cases), BENCH_REFERENCE: reference, BENCH_COUNT_FILE: countFile, PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (p.exitCode !== 0) throw new Error(`the Hypothesis suite (${reference} reference) failed (exit ${p.exitCode}):\n${p.stdout.slice(-3000)}${p.stderr.slice(-1000)}`);
    const count = JSON.parse(readFileSync(countFile, 'utf8')) as { examples: number; seconds: number; checkSeconds: number };
    peerRuns[reference].push({ wallMs: p.ms, cases: count.examples, loopMs: count.seconds * 1000, checkMs: count.checkSeconds * 1000, load: l });
    log(`  audit run ${r + 1}/${opts.runs}: Hypothesis (${reference} reference) ${count.examples} cases in ${(p.ms / 1000).toFixed(2)} s`);
  };
  try {
    for (let r = 0; r < opts.runs; r++) {
      // harness
      const l = load();
      const h = await timedRun(process.execPath, harnessArgs, { cwd: projectPath() });
      if (h.exitCode === 2 || !h.stdout.trim()) throw new Error(`audit failed (exit ${h.exitCode}): ${h.stderr.slice(-2000)}`);
      const report = JSON.parse(h.stdout) as AuditReportJson;
      const impl = report.implementations[0];
      // Every check is planned once per case (one binding, `last`), so the largest planned count is the case count.
      const cases = Math.max(...impl.checks.map((c) => c.cases.planned));
      fixedCases = cases - opts.cases;
      verdict = report.verdict;
      checks = impl.checks.filter((c) => c.verdict !== 'skip').length;
      const calls = impl.calls;
      harnessRuns.push({ wallMs: h.ms, cases, loopMs: report.ms, ...(calls !== undefined ? { calls } : {}), load: l });
      log(`  audit run ${r + 1}/${opts.runs}: harness ${cases} cases in ${(h.ms / 1000).toFixed(2)} s (verdict ${report.verdict})`);
      // the two pytest + Hypothesis peers, right after, under the same load
      await runPeer('exact', r);
      await runPeer('numpy', r);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const harness = side(`node bin/softmax-conformance.js ${harnessArgs.slice(1).join(' ')}`, harnessRuns);
  const peer = (reference: keyof typeof REFERENCES): PeerSide => ({
    ...side(`BENCH_REFERENCE=${reference} BENCH_EXAMPLES=${opts.cases} ${python} -m pytest -q -p no:cacheprovider bench/hypothesis_suite/test_softmax_hypothesis.py`, peerRuns[reference]),
    reference: REFERENCES[reference],
  });
  const hypothesisExact = peer('exact');
  const hypothesis = peer('numpy');
  return {
    generatedCases: opts.cases,
    candidate: CANDIDATE,
    harness: { ...harness, fixedCases, verdict, checks },
    hypothesisExact,
    hypothesis,
    ratio: harness.casesPerSecond / hypothesisExact.casesPerSecond,
    loopRatio: harness.loopCasesPerSecond / hypothesisExact.loopCasesPerSecond,
    ratioNumpyPeer: harness.casesPerSecond / hypothesis.casesPerSecond,
    loopRatioNumpyPeer: harness.loopCasesPerSecond / hypothesis.loopCasesPerSecond,
  };
}
