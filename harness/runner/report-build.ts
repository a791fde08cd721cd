// The RunReport around a run's or an audit's implementation results: settings, environment, accounting, verdict.
// Its own module so that audit does not load run's manifest and golden code to build its report.
import { arch, platform } from 'node:os';
import type { Policy } from '../contracts.js';
import { isFailure } from '../engine/expectations.js';
import { OUT_OF_BUDGET, REPORT_SCHEMA_VERSION, type ImplementationResult, type RunReport } from '../model.js';
import { TOOL_VERSION } from '../version.js';
import type { Judging } from './judging.js';
import type { SandboxInfo } from '../worker/sandbox.js';

export interface ReportSettings {
  profile: string;
  policy: Policy;
  seed: number;
  numRuns: number;
  command: string;
  shard?: { index: number; count: number };
  /** run --only: the rows selected */
  only?: string[];
  /** the options that decide what is judged (runner/judging.ts) */
  judging?: Judging;
}

export function buildReport(
  kind: RunReport['kind'],
  implementations: ImplementationResult[],
  opts: ReportSettings,
  python: { python: string; version: string; numpy: string },
  ms = 0,
  sandbox?: SandboxInfo,
): RunReport {
  const all = implementations.flatMap((i) => i.checks);
  const planned = all.reduce((n, c) => n + c.cases.planned, 0);
  const run = all.reduce((n, c) => n + c.cases.run, 0);
  const reasons: Record<string, number> = {};
  for (const impl of implementations) {
    for (const c of impl.checks) {
      // The budget's share first: a verdict on part of the planned cases says how much the time budget cut.
      const outOfBudget = c.cases.outOfBudget ?? 0;
      if (outOfBudget > 0) reasons[OUT_OF_BUDGET] = (reasons[OUT_OF_BUDGET] ?? 0) + outOfBudget;
      const notRun = c.cases.planned - c.cases.run - outOfBudget;
      if (notRun <= 0) continue;
      const why = impl.statusDetail?.startsWith('not run: the run was interrupted') ? 'interrupted'
        : impl.status === 'skipped' && impl.statusDetail?.startsWith('skipped: no CUDA device') ? 'implementation skipped (no CUDA device)'
        : impl.status === 'skipped' ? 'implementation skipped (library not installed)'
        : impl.status === 'import-error' ? 'implementation failed to import'
        : impl.status === 'config-error' ? 'configuration error (file or function not found)'
        : 'not judged (crash, timeout, memory, bad output or wrong shape)';
      reasons[why] = (reasons[why] ?? 0) + notRun;
    }
  }
  const failing = implementations.some((i) => i.checks.some((c) => isFailure(c.verdict)));
  const unjudged = whyUnjudged(implementations) ?? (failing ? undefined : whyPartlyUnjudged(implementations));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'softmax-conformance', version: TOOL_VERSION },
    kind,
    createdAt: new Date().toISOString(),
    verdict: unjudged ? 'error' : failing ? 'fail' : 'pass',
    ...(unjudged ? { verdictReason: unjudged } : {}),
    settings: {
      profile: opts.profile,
      policy: opts.policy,
      seed: opts.seed,
      numRuns: opts.numRuns,
      ...(opts.shard ? { shard: `${opts.shard.index}/${opts.shard.count}` } : {}),
      ...(opts.only?.length ? { only: [...opts.only] } : {}),
      ...(opts.judging ? { judging: opts.judging } : {}),
      command: opts.command,
    },
    environment: { node: process.version, python: python.version, numpy: python.numpy, platform: `${platform()}-${arch()}` },
    ...(sandbox ? { sandbox } : {}),
    accounting: { planned, run, notRun: planned - run, notRunReasons: reasons },
    implementations,
    ms: Math.round(ms),
  };
}

/**
 * Why the run or audit cannot stand as a verdict (exit 2), or undefined: a target that does not exist is a
 * configuration error, and a run that judged no case at all must never read as a pass (a typo in --only, every
 * row skipped for a missing library, an empty shard).
 */
export function whyUnjudged(implementations: ImplementationResult[]): string | undefined {
  const misconfigured = implementations.filter((i) => i.status === 'config-error');
  if (misconfigured.length) return misconfigured.map((i) => `${i.id}: ${i.statusDetail}`).join('; ');
  if (implementations.length === 0) return 'nothing was judged: no implementation was selected';
  // A file that does not load is judged (it fails) without any case run.
  const judged = implementations.some((i) => i.status === 'import-error' || i.checks.some((c) => c.cases.passed + c.cases.failed > 0));
  if (!judged) {
    const why = implementations.map((i) => `${i.id}: ${i.statusDetail ?? 'no case could be judged'}`).join('; ');
    return `nothing was judged: ${why}`;
  }
  return undefined;
}

/**
 * Why a run or audit in which nothing failed is still no pass (exit 2), or undefined: some check judged no case (the
 * time budget ran out before it, an expected failure no case exercised). Saying "does not conform" there would
 * claim a finding nobody made.
 */
export function whyPartlyUnjudged(implementations: ImplementationResult[]): string | undefined {
  const open = implementations.flatMap((i) => i.checks.filter((c) => c.verdict === 'error').map((c) => `${i.id}: ${c.name} [${c.contract.rule}]: ${c.diagnosis}`));
  if (open.length === 0) return undefined;
  const more = open.length > 1 ? `; and ${open.length - 1} more` : '';
  return `nothing failed, but ${open.length} check${open.length === 1 ? '' : 's'} judged no case: ${open[0]}${more}`;
}
