// The generated cases of an audit, drawn in a worker thread when the harness runs compiled: drawing 2,000 cases
// takes ~150 ms, which then overlaps the main thread's module loading and the Python worker's start instead of
// delaying both. The cases are exactly fc.sample's (same seed, same order), so paths and replays do not change.
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { caseArb, type CaseOptions, type GeneratedCase } from './cases.js';

export interface SampleRequest {
  seed: number;
  numRuns: number;
  arb: CaseOptions;
}

export function sampleNow(req: SampleRequest): GeneratedCase[] {
  return fc.sample(caseArb(req.arb), { seed: req.seed, numRuns: req.numRuns });
}

/**
 * The cases, drawn in a worker thread; in this thread when the thread's compiled module is not there (the test
 * suite runs the TypeScript sources) or the thread fails to start.
 */
export function sampleInThread(req: SampleRequest): Promise<GeneratedCase[]> {
  const threadFile = new URL('./sample-thread.js', import.meta.url);
  if (!import.meta.url.endsWith('.js')) return Promise.resolve(sampleNow(req));
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(threadFile, { workerData: req });
    worker.once('message', (cases: GeneratedCase[]) => {
      settled = true;
      resolve(cases);
    });
    worker.once('error', (err) => {
      if (settled) return;
      settled = true;
      // A thread that cannot start (resource limits) must not cost the audit: draw here instead.
      try {
        resolve(sampleNow(req));
      } catch {
        reject(err);
      }
    });
    worker.once('exit', (code) => {
      if (!settled) {
        settled = true;
        try {
          resolve(sampleNow(req));
        } catch (e) {
          reject(new Error(`the case generator thread exited with code ${code}: ${(e as Error).message}`));
        }
      }
    });
  });
}
