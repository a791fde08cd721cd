// Merging shard reports into one: implementations in manifest order, accounting and verdict recomputed,
// so a sharded-then-merged run reads exactly like an unsharded one.
import { UsageError } from '../errors.js';
import type { RunReport } from '../model.js';
import type { SandboxInfo } from '../worker/sandbox.js';
import { buildReport } from './run.js';
import { isAuditShard, mergeAuditShards } from './audit-shards.js';
import { assertSameJudging, assertWholeSet } from './judging.js';

/** The weakest trust level of the shards: sandboxed only if every shard was; not recorded if one did not say. */
export function mergedSandbox(reports: RunReport[]): SandboxInfo | undefined {
  if (reports.some((r) => r.sandbox === undefined)) return undefined;
  const weak = reports.find((r) => !r.sandbox!.sandboxed);
  if (!weak) return reports[0].sandbox;
  // Every shard unsandboxed for the same reason: the unsharded run would have said just that.
  if (reports.every((r) => !r.sandbox!.sandboxed && r.sandbox!.reason === weak.sandbox!.reason)) return weak.sandbox;
  return { sandboxed: false, reason: `a shard ran unsandboxed: ${weak.sandbox!.reason ?? 'no reason given'}` };
}

export function mergeReports(reports: RunReport[], order: string[]): RunReport {
  if (reports.length === 0) throw new UsageError('merge needs at least one report');
  const first = reports[0];
  // Shards of one audit split its cases, not a list of implementations: their findings are merged check by check.
  if (reports.some(isAuditShard)) return mergeAuditShards(reports, mergedSandbox(reports));
  if (reports.some((r) => r.kind !== 'run')) throw new UsageError('merge: an audit report that is not a shard cannot be merged with run shards');
  // Only the whole set of shards of one run is that run: a missing shard (a CI job that failed to upload) or one
  // judged with other options would make a verdict no command gave.
  assertWholeSet(reports, 'shard reports');
  assertSameJudging(reports, 'shard reports');
  const impls = reports.flatMap((r) => r.implementations);
  const ids = impls.map((i) => i.id);
  const dup = ids.find((id, k) => ids.indexOf(id) !== k);
  if (dup) throw new UsageError(`implementation ${dup} appears in more than one shard report`);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  impls.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  const merged = buildReport(
    first.kind,
    impls,
    { ...first.settings, shard: undefined, command: `softmax-conformance merge (${reports.length} shards)` },
    { python: '', version: first.environment.python ?? '', numpy: first.environment.numpy ?? '' },
    Math.max(...reports.map((r) => r.ms)),
    mergedSandbox(reports),
  );
  if (reports.some((r) => r.verdict === 'incomplete')) merged.verdict = 'incomplete';
  // Each shard holds the golden rows of its own implementations: put them back together in the same order.
  const goldens = reports.map((r) => r.golden).filter((g) => g !== undefined);
  if (goldens.length) {
    const rows = goldens.flatMap((g) => g.matrix);
    rows.sort((a, b) => rank(a.implementation) - rank(b.implementation) || a.implementation.localeCompare(b.implementation));
    merged.golden = { ...goldens[0], matrix: rows };
  }
  // The same for the rows of ONNX's node tests.
  const externals = reports.map((r) => r.external).filter((x) => x !== undefined);
  if (externals.length) {
    const rows = externals.flatMap((x) => x.rows);
    rows.sort((a, b) => rank(a.implementation) - rank(b.implementation) || a.implementation.localeCompare(b.implementation));
    merged.external = { ...externals[0], rows };
  }
  return merged;
}
