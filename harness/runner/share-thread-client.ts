// Experimental (SOFTMAX_CONFORMANCE_SHARE_THREADS=1, off by default; docs/bench.md): an audit's --jobs share judged
// on a worker thread of its own, with its own candidate worker, so that two shares judge on two cores. The thread
// (share-thread.ts) rebuilds the audit's cases and settings from the options, and sends back its partial and
// coverage as a shard would (their JSON forms merge exactly), so the report is the one the main thread would write.
import { Worker } from 'node:worker_threads';
import { CoverageFold } from '../engine/coverage.js';
import { EvaluationPartial } from '../engine/partial.js';
import type { StartFailure } from '../worker/types.js';
import type { AuditOptions } from './audit.js';
import type { RemoteShare, ShareOnThread } from './split-evaluation.js';
import type { SubjectSpec } from './subject.js';
import type { ShareReply, ShareRequest } from './share-thread.js';

export function shareOnThread(opts: AuditOptions, spec: SubjectSpec): ShareOnThread {
  // What crosses to the thread is plain data: the callbacks stay here.
  const { onProgress: _p, ...plain } = opts;
  return (k, n, onProgress) =>
    new Promise<RemoteShare | StartFailure>((resolve, reject) => {
      const request: ShareRequest = { opts: plain, spec, k, n };
      const thread = new Worker(new URL('./share-thread.js', import.meta.url), { workerData: request });
      let settled = false;
      thread.on('message', (m: ShareReply) => {
        if (m.kind === 'progress') onProgress(m.done);
        else if (m.kind === 'failed') {
          settled = true;
          resolve(m.failure);
        } else {
          settled = true;
          resolve({ partial: EvaluationPartial.fromJSON(m.partial), coverage: CoverageFold.fromJSON(m.coverage) });
        }
      });
      thread.on('error', reject);
      thread.on('exit', (code) => {
        if (!settled) reject(new Error(`the judging thread of share ${k}/${n} exited (${code}) before it finished`));
      });
    });
}
