// What decides which cases a run or an audit judges, and how: recorded in the report (settings.judging) so that
// `merge` joins only shards that are parts of one and the same run. Shards of a CI matrix judged with another
// --timeout, --max-elements, --contract or manifest are not parts of one run: merged, they would read as a verdict
// that no command gave.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { RunReport } from '../model.js';

export type Judging = Record<string, string | number | boolean | string[]>;

/** The option each recorded setting comes from, for the message that names what differs. */
const OPTION: Record<string, string> = {
  op: '--op',
  contract: '--contract',
  call: '--call',
  alsoLast: '--also-last',
  dtypes: '--dtype',
  maxElements: '--max-elements',
  strictDomain: '--strict-domain',
  timeoutMs: '--timeout',
  startTimeoutMs: '--start-timeout',
  budgetMs: '--budget',
  memoryMb: '--memory',
  shrinkSeconds: '--shrink-seconds',
  convention: '--js-input',
  pythonPath: '--python-path',
  framework: '--framework',
  device: '--device',
  manifestSha256: '--manifest (its contents)',
};

/** Drops the settings not given (undefined): a report keeps only what was set or defaulted. */
function defined(o: Record<string, Judging[string] | undefined>): Judging {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Judging;
}

export interface AuditJudgingOptions {
  op?: string;
  contract: string;
  call?: string;
  alsoLast: boolean;
  dtypes?: string[];
  maxElements?: number;
  strictDomain: boolean;
  timeoutMs: number;
  budgetMs?: number;
  memoryMb: number;
  shrinkSeconds?: number;
  convention?: string;
  pythonPath?: string[];
  framework?: string;
  device?: string;
}

export function auditJudging(o: AuditJudgingOptions): Judging {
  return defined({
    op: o.op, contract: o.contract, call: o.call, alsoLast: o.alsoLast, dtypes: o.dtypes, maxElements: o.maxElements,
    strictDomain: o.strictDomain, timeoutMs: o.timeoutMs, budgetMs: o.budgetMs, memoryMb: o.memoryMb,
    shrinkSeconds: o.shrinkSeconds, convention: o.convention, pythonPath: o.pythonPath?.length ? o.pythonPath : undefined,
    framework: o.framework, device: o.device,
  });
}

export interface RunJudgingOptions {
  maxElements?: number;
  strictDomain: boolean;
  timeoutMs: number;
  startTimeoutMs?: number;
  budgetMs?: number;
  memoryMb: number;
}

/** `manifest`: the manifest file run read (its bytes decide the rows, their claims and their expected failures). */
export function runJudging(o: RunJudgingOptions, manifest: string): Judging {
  return defined({
    manifestSha256: createHash('sha256').update(readFileSync(manifest)).digest('hex'),
    maxElements: o.maxElements, strictDomain: o.strictDomain, timeoutMs: o.timeoutMs, startTimeoutMs: o.startTimeoutMs,
    budgetMs: o.budgetMs, memoryMb: o.memoryMb,
  });
}

const shown = (v: Judging[string] | undefined) => (v === undefined ? '(not recorded)' : JSON.stringify(v));

/** Each setting that differs, as `--option (a vs b)`. */
export function judgingDifferences(a: Judging | undefined, b: Judging | undefined): string[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  return keys
    .filter((k) => JSON.stringify(a?.[k]) !== JSON.stringify(b?.[k]))
    .map((k) => `${OPTION[k] ?? k} (${shown(a?.[k])} vs ${shown(b?.[k])})`);
}

/**
 * UsageError (exit 2) unless every shard report was judged like the first: the same profile, policy, seed and
 * number of runs, the same judging settings, and the same interpreter and NumPy (a library row's verdict is about
 * the NumPy it ran on). `what`: "shard reports" or "audit shards", for the message.
 */
export function assertSameJudging(reports: RunReport[], what: string): void {
  const first = reports[0];
  const s0 = first.settings;
  for (const r of reports.slice(1)) {
    const s = r.settings;
    const differs = [
      ...(s.profile !== s0.profile ? [`--profile (${s0.profile} vs ${s.profile})`] : []),
      ...(s.policy !== s0.policy ? [`--policy (${s0.policy} vs ${s.policy})`] : []),
      ...(s.seed !== s0.seed ? [`--seed (${s0.seed} vs ${s.seed})`] : []),
      ...(s.numRuns !== s0.numRuns ? [`--num-runs (${s0.numRuns} vs ${s.numRuns})`] : []),
      ...judgingDifferences(s0.judging, s.judging),
      ...(['python', 'numpy', 'platform'] as const)
        .filter((k) => r.environment[k] !== first.environment[k])
        .map((k) => `${k === 'numpy' ? 'NumPy' : k === 'python' ? 'Python' : 'platform'} (${first.environment[k] ?? '?'} vs ${r.environment[k] ?? '?'})`),
    ];
    if (differs.length) {
      throw new UsageError(`merge: the ${what} were not judged alike, so together they are not one run: ${differs.join(', ')} (${s0.shard ?? 'the first'} against ${s.shard ?? 'another'})`);
    }
  }
}

/** UsageError (exit 2) unless the reports are the shards 1/N ... N/N of one run, each exactly once. */
export function assertWholeSet(reports: RunReport[], what: string): void {
  const shards = reports.map((r) => r.settings.shard);
  if (shards.some((s) => s === undefined)) {
    throw new UsageError(`merge: ${reports.length === 1 ? 'the report is' : 'a report is'} not a shard (it was not run with --shard K/N): there is nothing to merge it with`);
  }
  const count = Number(shards[0]!.split('/')[1]);
  const seen = new Set<number>();
  for (const s of shards) {
    const [k, n] = s!.split('/').map(Number);
    if (n !== count) throw new UsageError(`merge: shard ${s} is not one of ${count} shards`);
    if (seen.has(k)) throw new UsageError(`merge: shard ${s} is given twice`);
    seen.add(k);
  }
  if (seen.size !== count) {
    const missing = [...Array(count).keys()].map((i) => i + 1).filter((k) => !seen.has(k));
    throw new UsageError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: a merge of some of the ${what} is not the whole run`);
  }
}
