// One subject's evaluation split across several workers of the same candidate (audit --jobs N): the cases are dealt
// out by position (case i to share i mod N), each share is evaluated on its own worker, and the shares' partials are
// merged. The merge is exact (engine/partial.ts), so the result does not depend on N.
import type { Case } from '../cases/case.js';
import { finishEvaluation, prepareEvaluation } from '../engine/evaluate.js';
import type { EvaluationPartial } from '../engine/partial.js';
import { unitsFor } from '../engine/unit.js';
import type { ImplementationResult } from '../model.js';
import { isStartFailure, startWorker } from '../worker/index.js';
import type { ImplementationWorker, StartFailure } from '../worker/types.js';
import { CoverageFold, coverageOf } from '../engine/coverage.js';
import { bindingsOf, conventionOf, evaluationOptions, notStarted, resultOf, type SubjectSettings, type SubjectSpec } from './subject.js';
import { workerSpecOf } from './worker-spec.js';

const PLAN_AHEAD_CHUNK = 32;

export interface SplitEvaluation {
  result: ImplementationResult;
  /** the merged partial, when the subject ran (audit's shrinking and --shard write into it) */
  partial?: EvaluationPartial;
  /** the cases judged, for the coverage map (a shard's travels to the merge) */
  coverage?: CoverageFold;
}

/** Deal items out: the k-th of n shares (1-based) holds the items at positions k-1, k-1+n, ... */
export function shareOf<T>(items: T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === k - 1);
}

/**
 * Evaluate `spec` on `cases` with `jobs` workers. `first` is a worker already starting (audit starts one before the
 * rest of the harness loads); the others start here. Every case must carry its `ordinal` (its position in the whole
 * list), which orders failures the same way however the cases are split. The caller should keep no other reference
 * to `cases`: each case is let go once judged.
 */
export async function evaluateSplit(
  spec: SubjectSpec,
  cases: Case[],
  settings: SubjectSettings,
  jobs: number,
  first?: Promise<ImplementationWorker | StartFailure>,
): Promise<SplitEvaluation> {
  const n = Math.max(1, Math.min(jobs, cases.length));
  const bindings = bindingsOf(spec, settings.policy);
  const starting = [first ?? startWorker(workerSpecOf(spec, settings))];
  for (let k = 1; k < n; k++) starting.push(startWorker(workerSpecOf(spec, settings)));
  const done = new Array<number>(n).fill(0);
  const total = new Array<number>(n).fill(0);
  const progress = (k: number) => (d: number, t: number): void => {
    done[k] = d;
    total[k] = t;
    settings.onProgress?.(done.reduce((a, b) => a + b, 0), total.reduce((a, b) => a + b, 0));
  };
  const options = evaluationOptions(spec, settings);
  const shares = [...Array(n).keys()].map((k) => {
    const mine = shareOf(cases, k + 1, n);
    return prepareEvaluation(bindings.map((binding) => ({ binding, units: mine.flatMap((c) => unitsFor(c, binding)) })), settings.checks, { ...options, onProgress: progress(k) });
  });
  // Plan on this core while the interpreters start, a chunk at a time so that a ready message is read promptly.
  let ready = false;
  void Promise.all(starting).then(() => (ready = true), () => (ready = true));
  for (let more = true; !ready && more;) {
    more = shares.map((s) => s.planMore(PLAN_AHEAD_CHUNK)).some(Boolean);
    await new Promise((r) => setImmediate(r));
  }
  const workers = await Promise.all(starting);
  const failed = workers.find(isStartFailure);
  const coverage = new CoverageFold();
  for (const c of cases) coverage.add(c);
  // The units hold the cases now: let each go once it is judged (the caller passes its only reference).
  const notStartedResult = failed ? notStarted(spec, failed, bindings, cases, settings) : undefined;
  cases = [];
  if (failed) {
    await Promise.all(workers.map((w) => (isStartFailure(w) ? undefined : w.close())));
    return { result: notStartedResult! };
  }
  const live = workers as ImplementationWorker[];
  try {
    const results = await Promise.all(shares.map((s, k) => s.run(live[k])));
    const partial = results[0].partial;
    for (const r of results.slice(1)) partial.merge(r.partial);
    const extras = { ...conventionOf(live[0]), coverage: coverageOf(coverage, settings.coverage) };
    return { result: resultOf(spec, finishEvaluation(partial, bindings, settings.checks, settings), extras), partial, coverage };
  } finally {
    await Promise.all(live.map((w) => w.close()));
  }
}
