// The worker thread of share-thread-client.ts: one --jobs share of an audit, from its options to its partial.
import { parentPort, workerData } from 'node:worker_threads';
import { prepareEvaluation } from '../engine/evaluate.js';
import { CoverageFold } from '../engine/coverage.js';
import type { EvaluationPartialState } from '../engine/partial.js';
import { getProfile } from '../tolerance/profiles.js';
import { defaultPython } from '../worker/python-worker.js';
import { isStartFailure, startWorker } from '../worker/index.js';
import type { StartFailure } from '../worker/types.js';
import { DEFAULT_MAX_ELEMENTS } from '../generators/lengths.js';
import { auditSource, type AuditOptions } from './audit.js';
import { shareSource, unitSource } from './split-evaluation.js';
import { bindingsOf, evaluationOptions, subjectSettings, type SubjectSpec } from './subject.js';
import { workerSpecOf } from './worker-spec.js';

export interface ShareRequest {
  opts: Omit<AuditOptions, 'onProgress'>;
  spec: SubjectSpec;
  /** the share, 1-based, of n */
  k: number;
  n: number;
}

export type ShareReply =
  | { kind: 'progress'; done: number }
  | { kind: 'failed'; failure: StartFailure }
  | { kind: 'done'; partial: EvaluationPartialState; coverage: [string[], number][] };

async function main(req: ShareRequest): Promise<ShareReply> {
  const { opts, spec, k, n } = req;
  // The same settings and cases runAudit builds (audit.ts), from the same options.
  const profile = getProfile(opts.profile);
  const settings = {
    ...subjectSettings(opts, profile, defaultPython(opts.python)),
    coverage: { dtypes: opts.dtypes, maxRank: 6, beyond65536: (opts.maxElements ?? DEFAULT_MAX_ELEMENTS) > 65536 },
  };
  const worker = await startWorker(workerSpecOf(spec, settings));
  if (isStartFailure(worker)) return { kind: 'failed', failure: worker };
  try {
    const coverage = new CoverageFold();
    const source = shareSource(auditSource(opts), k, n);
    const onProgress = (done: number): void => parentPort!.postMessage({ kind: 'progress', done } satisfies ShareReply);
    const evaluation = prepareEvaluation(unitSource(source, bindingsOf(spec, settings.policy), coverage), settings.checks, { ...evaluationOptions(spec, settings), onProgress });
    const { partial } = await evaluation.run(worker);
    return { kind: 'done', partial: partial.toJSON(), coverage: coverage.toJSON() };
  } finally {
    await worker.close();
  }
}

main(workerData as ShareRequest).then((reply) => parentPort!.postMessage(reply));
