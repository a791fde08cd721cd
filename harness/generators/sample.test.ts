// The audit draws its cases in a worker thread (compiled harness only) and streams them in chunks: the thread
// must give exactly the cases fc.sample gives in this thread (same seed, same order, same bits), or paths and
// replays would point elsewhere.
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import { tensorBytes } from '../tensor/tensor.js';
import type { GeneratedCase } from './cases.js';
import { sampleChunks, sampleInThread, sampleNow, type SampleRequest } from './sample.js';

const fingerprint = (cases: GeneratedCase[]): string[] =>
  cases.map((c) => `${c.family}|${c.tensor.dtype}|${c.tensor.shape.join('x')}|${Buffer.from(tensorBytes(c.tensor)).toString('base64')}`);

const built = async (): Promise<typeof import('./sample.js')> => import(projectPath('dist', 'harness', 'generators', 'sample.js'));

describe('drawing the audit cases in a thread', () => {
  const req: SampleRequest = { seed: 7, numRuns: 350, arb: { maxRank: 6, maxSize: 512 } };

  it('sampleChunks walks exactly fc.sample\'s cases, in chunks', () => {
    const chunks: GeneratedCase[][] = [];
    sampleChunks(req, (c) => chunks.push(c));
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 100, 50]);
    expect(fingerprint(chunks.flat())).toEqual(fingerprint(sampleNow(req)));
  });

  it('the compiled module (dist/, built by the global setup) streams them from a thread, identical to fc.sample', async () => {
    const stream = (await built()).sampleInThread(req);
    // The first chunk arrives before the whole set.
    await stream.next();
    const firstSeen = stream.received.length;
    const all = await stream.all;
    expect(firstSeen).toBeGreaterThan(0);
    expect(all).toBe(stream.received);
    expect(fingerprint(all)).toEqual(fingerprint(sampleNow(req)));
    // every dtype crosses the thread boundary as its own typed array
    expect(new Set(all.map((c) => c.tensor.data.constructor.name)).size).toBeGreaterThan(3);
  });

  it('run from the TypeScript sources it draws in this thread, with the same result', async () => {
    expect(fingerprint(await sampleInThread(req).all)).toEqual(fingerprint(sampleNow(req)));
  });

  it('an invalid request rejects with the generator\'s own error', async () => {
    await expect((await built()).sampleInThread({ ...req, arb: { families: ['no-such-family'] } }).all).rejects.toThrow(/unknown value family/);
  });
});
