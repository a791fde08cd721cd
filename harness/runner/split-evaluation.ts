// One subject's evaluation split across several workers of the same candidate (audit --jobs N): the cases are dealt
// out by position (case i to share i mod N), each share is evaluated on its own worker, and the shares' partials are
// merged. The merge is exact (engine/partial.ts), so the result does not depend on N.
import type { Case } from '../cases/case.js';
import { finishEvaluation, prepareEvaluation, type UnitSource } from '../engine/evaluate.js';
import type { Ordinal } from '../engine/check-fold.js';
import type { Binding } from '../engine/unit.js';
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
 * The cases at ordinals start, start + step, ... below total, drawn on demand (`get` may draw them a chunk at a
 * time): an audit's 200,000 cases are never all in memory.
 */
export interface CaseSource {
  total: number;
  start: number;
  step: number;
  get(ordinal: number): Case;
}

export function arraySource(cases: Case[]): CaseSource {
  return { total: cases.length, start: 0, step: 1, get: (o) => ({ ...cases[o], ordinal: o }) };
}

/** The k-th of n shares (1-based) of a source: every n-th of its cases. */
export function shareSource(src: CaseSource, k: number, n: number): CaseSource {
  return { ...src, start: src.start + src.step * (k - 1), step: src.step * n };
}

export function countOf(src: CaseSource): number {
  return src.start >= src.total ? 0 : Math.ceil((src.total - src.start) / src.step);
}

/** The units of a source's cases under each binding; each case is counted once in `coverage` as it is drawn. */
export function unitSource(src: CaseSource, bindings: Binding[], coverage: CoverageFold): UnitSource {
  function* walk() {
    for (const [b, binding] of bindings.entries()) {
      for (let o = src.start; o < src.total; o += src.step) {
        const c = src.get(o);
        if (b === 0) coverage.add(c);
        const units = unitsFor(c, binding);
        for (const [i, unit] of units.entries()) yield { binding: b, unit, ord: [o, i] as Ordinal };
      }
    }
  }
  return { bindings, units: walk(), total: countOf(src) * bindings.length };
}

/** A share judged elsewhere (share-thread-client.ts): what it found, as the main thread's shares give it. */
export interface RemoteShare {
  partial: EvaluationPartial;
  coverage: CoverageFold;
}

/** Judges the k-th of n shares (1-based) elsewhere, with its own worker, reporting the cases it has judged. */
export type ShareOnThread = (k: number, n: number, onProgress: (done: number) => void) => Promise<RemoteShare | StartFailure>;

/**
 * Evaluate `spec` on the cases of `source` with `jobs` workers. `first` is a worker already starting (audit starts
 * one before the rest of the harness loads); the others start here. A unit's ordinal (its case's position in the
 * whole list) orders failures the same way however the cases are split.
 */
export async function evaluateSplit(
  spec: SubjectSpec,
  source: CaseSource,
  settings: SubjectSettings,
  jobs: number,
  first?: Promise<ImplementationWorker | StartFailure>,
  elsewhere?: ShareOnThread,
): Promise<SplitEvaluation> {
  const n = Math.max(1, Math.min(jobs, countOf(source)));
  const bindings = bindingsOf(spec, settings.policy);
  const starting = [first ?? startWorker(workerSpecOf(spec, settings))];
  // With `elsewhere`, only the first share is judged here; the others start their own workers where they run.
  const local = elsewhere ? 1 : n;
  for (let k = 1; k < local; k++) starting.push(startWorker(workerSpecOf(spec, settings)));
  const done = new Array<number>(n).fill(0);
  // The whole total from the start: the progress bar is sized by its first update, before every share has reported.
  const total = countOf(source) * bindings.length;
  const progress = (k: number) => (d: number): void => {
    done[k] = d;
    settings.onProgress?.(done.reduce((a, b) => a + b, 0), total);
  };
  const options = evaluationOptions(spec, settings);
  const coverage = [...Array(local).keys()].map(() => new CoverageFold());
  const remote = elsewhere ? [...Array(n - 1).keys()].map((i) => elsewhere(i + 2, n, progress(i + 1))) : [];
  remote.forEach((r) => r.catch(() => undefined)); // awaited below; a failure meanwhile must not count as unhandled
  const shares = [...Array(local).keys()].map((k) => prepareEvaluation(unitSource(shareSource(source, k + 1, n), bindings, coverage[k]), settings.checks, { ...options, onProgress: progress(k) }));
  // Plan on this core while the interpreters start, a chunk at a time so that a ready message is read promptly.
  let ready = false;
  void Promise.all(starting).then(() => (ready = true), () => (ready = true));
  for (let more = true; !ready && more;) {
    more = shares.map((s) => s.planMore(PLAN_AHEAD_CHUNK)).some(Boolean);
    await new Promise((r) => setImmediate(r));
  }
  const workers = await Promise.all(starting);
  let failed = workers.find(isStartFailure);
  if (failed) {
    await Promise.all(workers.map((w) => (isStartFailure(w) ? undefined : w.close())));
    await Promise.allSettled(remote);
    const cases = [...Array(countOf(source)).keys()].map((i) => source.get(source.start + i * source.step));
    return { result: notStarted(spec, failed, bindings, cases, settings) };
  }
  const live = workers as ImplementationWorker[];
  try {
    const results = await Promise.all(shares.map((s, k) => s.run(live[k])));
    const partial = results[0].partial;
    for (const r of results.slice(1)) partial.merge(r.partial);
    for (const c of coverage.slice(1)) coverage[0].merge(c);
    // Shares judged elsewhere merge in share order, as the local ones do (the merge is exact in any order anyway).
    for (const r of await Promise.all(remote)) {
      if (!('partial' in r)) {
        failed = r;
        break;
      }
      partial.merge(r.partial);
      coverage[0].merge(r.coverage);
    }
    if (failed) {
      const cases = [...Array(countOf(source)).keys()].map((i) => source.get(source.start + i * source.step));
      return { result: notStarted(spec, failed, bindings, cases, settings) };
    }
    const extras = { ...conventionOf(live[0]), coverage: coverageOf(coverage[0], { ...settings.coverage, language: spec.language }), located: live[0].runtime?.module };
    return { result: resultOf(spec, finishEvaluation(partial, bindings, settings.checks, settings), extras), partial, coverage: coverage[0] };
  } finally {
    await Promise.all(live.map((w) => w.close()));
  }
}
