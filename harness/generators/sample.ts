// The generated cases of an audit, drawn in a worker thread when the harness runs compiled: drawing 2,000 cases
// takes ~150 ms, which then overlaps the main thread's module loading and the Python worker's start, and the main
// thread plans the first cases while the last are drawn. The cases are exactly fc.sample's (same seed, same order),
// so paths and replays do not change.
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { caseArb, type CaseOptions, type GeneratedCase } from './cases.js';

export interface SampleRequest {
  seed: number;
  numRuns: number;
  arb: CaseOptions;
}

/** Cases posted at a time by the thread. */
const CHUNK = 100;

export function sampleNow(req: SampleRequest): GeneratedCase[] {
  return fc.sample(caseArb(req.arb), { seed: req.seed, numRuns: req.numRuns });
}

/**
 * fc.sample's cases in order, handed to `onChunk` a chunk at a time as they are drawn. fc.sample has no streaming
 * form; fc.check of a property that records its input walks the same seeded stream (same runs, same bias), one
 * run at a time. sample.test.ts checks the two agree bit for bit.
 */
export function sampleChunks(req: SampleRequest, onChunk: (cases: GeneratedCase[]) => void): void {
  let chunk: GeneratedCase[] = [];
  const record = fc.property(caseArb(req.arb), (g) => {
    chunk.push(g);
    if (chunk.length === CHUNK) {
      onChunk(chunk);
      chunk = [];
    }
    return true;
  });
  const out = fc.check(record, { seed: req.seed, numRuns: req.numRuns });
  if (out.failed) throw out.errorInstance instanceof Error ? out.errorInstance : new Error('drawing the cases failed');
  if (chunk.length) onChunk(chunk);
}

/** The cases as they arrive: `chunks` grows, `all` resolves when every case is there. */
export interface CaseStream {
  readonly received: GeneratedCase[];
  /** resolves when more cases are in `received` (or all are) */
  next(): Promise<void>;
  readonly all: Promise<GeneratedCase[]>;
}

/**
 * The cases, drawn in a worker thread and streamed in chunks; drawn in this thread (all at once) when the thread's
 * compiled module is not there (the test suite runs the TypeScript sources) or the thread fails to start.
 */
export function sampleInThread(req: SampleRequest): CaseStream {
  const received: GeneratedCase[] = [];
  let wake: () => void = () => undefined;
  const inline = (): GeneratedCase[] => {
    received.splice(0, received.length, ...sampleNow(req));
    return received;
  };
  const all = new Promise<GeneratedCase[]>((resolve, reject) => {
    if (!import.meta.url.endsWith('.js')) {
      resolve(inline());
      return;
    }
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      try {
        fn();
      } catch (e) {
        reject(e);
      }
      wake();
    };
    const worker = new Worker(new URL('./sample-thread.js', import.meta.url), { workerData: req });
    worker.on('message', (chunk: GeneratedCase[] | null) => {
      if (chunk === null) settle(() => resolve(received));
      else {
        received.push(...chunk);
        wake();
      }
    });
    // A thread that cannot start or dies (resource limits) must not cost the audit: draw here instead, which also
    // rethrows the generator's own error for a bad request.
    worker.once('error', () => settle(() => resolve(inline())));
    worker.once('exit', () => settle(() => resolve(inline())));
  });
  all.catch(() => undefined);
  return {
    received,
    all,
    next: () => Promise.race([new Promise<void>((r) => (wake = r)), all.then(() => undefined, () => undefined)]),
  };
}
