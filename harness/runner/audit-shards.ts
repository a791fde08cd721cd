// audit --shard K/N and its merge: each shard judges the cases at positions K-1, K-1+N, ... of the whole audit's
// fixed-then-generated list (the generated cases are drawn in full by every shard, so their ids and replay paths are
// the whole audit's), and carries its unfinished findings; `merge` combines them into the unsharded audit's report.
import type { AxisRule } from '../contracts.js';
import { checksFor } from '../checks/registry.js';
import { CoverageFold, coverageOf, type CoverageUniverse } from '../engine/coverage.js';
import type { Op } from '../ops.js';
import type { SandboxInfo } from '../worker/sandbox.js';
import { finishEvaluation } from '../engine/evaluate.js';
import { EvaluationPartial, type EvaluationPartialState } from '../engine/partial.js';
import type { Binding } from '../engine/unit.js';
import { UsageError } from '../errors.js';
import type { ImplementationResult, RunReport } from '../model.js';
import { getProfile } from '../tolerance/profiles.js';
import { buildReport } from './report-build.js';
import { assertSameJudging, assertWholeSet } from './judging.js';
import { resultOf, type SubjectSpec } from './subject.js';

export interface ShardState {
  bindings: Binding[];
  /** the checks' names, in the evaluation's order */
  checks: string[];
  claims: AxisRule[];
  /** the function audited (absent: softmax): which checks the names are looked up in */
  op?: Op;
  partial: EvaluationPartialState;
  /** the share's cases by coverage coordinate (engine/coverage.ts), and the universe the map is drawn over */
  coverage: { cases: [string[], number][]; universe: CoverageUniverse };
}

export function shardStateOf(spec: SubjectSpec, bindings: Binding[], checks: string[], partial: EvaluationPartial, coverage: CoverageFold, universe: CoverageUniverse = {}, op?: Op): ShardState {
  return { bindings, checks, claims: spec.claims, ...(op ? { op } : {}), partial: partial.toJSON(), coverage: { cases: coverage.toJSON(), universe } };
}

export function isAuditShard(r: RunReport): boolean {
  return r.kind === 'audit' && r.settings.shard !== undefined;
}

/**
 * The report the unsharded audit writes, from the reports of its shards 1/N ... N/N (timings and command aside);
 * `sandbox` is the weakest the shards ran in (merge.ts).
 */
export function mergeAuditShards(reports: RunReport[], sandbox?: SandboxInfo): RunReport {
  const first = reports[0];
  const s0 = first.settings;
  const count = Number(s0.shard!.split('/')[1]);
  for (const r of reports) {
    if (!isAuditShard(r)) throw new UsageError('merge: audit shard reports cannot be merged with other reports');
    if (r.implementations.length !== 1 || r.implementations[0].id !== first.implementations[0].id) {
      throw new UsageError('merge: the audit shards audited different candidates');
    }
    // The same name but other code (the file changed between two shards' jobs) is another candidate too.
    const sha = (x: RunReport) => x.implementations[0].target?.sha256;
    if (sha(r) !== sha(first)) throw new UsageError(`merge: the audit shards audited different code: ${first.implementations[0].id} has sha256 ${sha(first) ?? '?'} in one and ${sha(r) ?? '?'} in another`);
  }
  assertWholeSet(reports, 'audit shards');
  // Another --contract, --timeout or --dtype is another audit: its findings do not add up with these.
  assertSameJudging(reports, 'audit shards');
  const impls = reports.map((r) => r.implementations[0]);
  const stateless = impls.find((i) => !i.shardState);
  if (stateless) throw new UsageError(`merge: a shard of ${stateless.id} did not run (${stateless.statusDetail ?? stateless.status}); nothing to merge`);
  const state = impls[0].shardState!;
  const partial = EvaluationPartial.fromJSON(state.partial);
  for (const i of impls.slice(1)) partial.merge(EvaluationPartial.fromJSON(i.shardState!.partial));
  const all = checksFor(state.op ?? 'softmax');
  const coverage = CoverageFold.fromJSON(state.coverage.cases);
  for (const i of impls.slice(1)) coverage.merge(CoverageFold.fromJSON(i.shardState!.coverage.cases));
  const checks = state.checks.map((n) => {
    const c = all.find((x) => x.name === n);
    if (!c) throw new UsageError(`merge: the shards ran a check this version does not have: ${n}`);
    return c;
  });
  // The target as the shards wrote it (relative to where they ran), not re-resolved here.
  const extras = { convention: impls[0].convention, conventionNote: impls[0].conventionNote, coverage: coverageOf(coverage, state.coverage.universe) };
  const result: ImplementationResult = { ...resultOf(specOf(impls[0], state), finishEvaluation(partial, state.bindings, checks, { profile: getProfile(s0.profile) }), extras), target: impls[0].target };
  const env = first.environment;
  return buildReport(
    'audit',
    [result],
    { ...s0, shard: undefined, command: `softmax-conformance merge (${count} audit shards)` },
    { python: '', version: env.python ?? '', numpy: env.numpy ?? '' },
    Math.max(...reports.map((r) => r.ms)),
    sandbox,
  );
}

/** What resultOf needs of the audited candidate, from a shard's own result. */
function specOf(i: ImplementationResult, state: ShardState): SubjectSpec {
  return {
    id: i.id,
    title: i.title,
    source: i.source,
    language: i.language,
    file: i.target?.file ?? '',
    functionName: i.target?.functionName ?? '',
    callStyle: i.target?.callStyle ?? 'x',
    claims: state.claims,
    alsoLast: state.bindings.some((b) => !b.claimed),
    expectedFailures: [],
  };
}
