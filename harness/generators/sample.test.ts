// The audit draws its cases in a worker thread (compiled harness only): the thread must give exactly the cases
// fc.sample gives in this thread (same seed, same order, same bits), or paths and replays would point elsewhere.
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import { tensorBytes } from '../tensor/tensor.js';
import type { GeneratedCase } from './cases.js';
import { sampleInThread, sampleNow, type SampleRequest } from './sample.js';

const fingerprint = (cases: GeneratedCase[]): string[] =>
  cases.map((c) => `${c.family}|${c.tensor.dtype}|${c.tensor.shape.join('x')}|${Buffer.from(tensorBytes(c.tensor)).toString('base64')}`);

describe('drawing the audit cases in a thread', () => {
  const req: SampleRequest = { seed: 7, numRuns: 300, arb: { maxRank: 6, maxSize: 512 } };

  it('the compiled module (dist/, built by the global setup) draws them in a thread, identical to fc.sample here', async () => {
    const built = (await import(projectPath('dist', 'harness', 'generators', 'sample.js'))) as typeof import('./sample.js');
    const inThread = await built.sampleInThread(req);
    expect(inThread).toHaveLength(300);
    expect(fingerprint(inThread)).toEqual(fingerprint(sampleNow(req)));
    // every dtype crosses the thread boundary as its own typed array
    expect(new Set(inThread.map((c) => c.tensor.data.constructor.name)).size).toBeGreaterThan(3);
  });

  it('run from the TypeScript sources it draws in this thread, with the same result', async () => {
    expect(fingerprint(await sampleInThread(req))).toEqual(fingerprint(sampleNow(req)));
  });

  it('an invalid request rejects with the generator\'s own error', async () => {
    const built = (await import(projectPath('dist', 'harness', 'generators', 'sample.js'))) as typeof import('./sample.js');
    await expect(built.sampleInThread({ ...req, arb: { families: ['no-such-family'] } })).rejects.toThrow(/unknown value family/);
  });
});
