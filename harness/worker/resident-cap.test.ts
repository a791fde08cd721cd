// The resident memory cap (issue 18): for CUDA candidates, whose context reserves far more address space than it
// uses, the broker caps the runner's resident memory from outside instead of its address space (RLIMIT_AS).
import { afterEach, describe, expect, test } from 'vitest';
import { fromNumbers } from '../tensor/tensor.js';
import { start } from '../../test/fixtures/candidates/helpers.js';
import { memoryCapFor, type ImplementationWorker } from './types.js';

const FILE = '../memory-cap/reserves_or_touches.py'; // specFor resolves it from test/fixtures/candidates
const call = { input: fromNumbers('float64', [2], [1000, 5]), args: {} };
let worker: ImplementationWorker | undefined;
afterEach(async () => {
  await worker?.close();
  worker = undefined;
});

describe('memoryCap', () => {
  test('CUDA devices get the resident cap, everything else the address-space cap', () => {
    expect(memoryCapFor('cuda')).toBe('resident');
    expect(memoryCapFor('cuda:1')).toBe('resident');
    expect(memoryCapFor('cpu')).toBe('address-space');
    expect(memoryCapFor(undefined)).toBe('address-space');
  });

  test('resident: 2 GiB of address space it never touches is allowed under a 128 MiB cap', async () => {
    worker = await start(FILE, { functionName: 'reserves', memoryMb: 128, memoryCap: 'resident' });
    const [o] = await worker.call([call]);
    expect(o.kind).toBe('ok');
  });

  test('address-space: the same reservation is refused under the same cap (what the resident cap is for)', async () => {
    worker = await start(FILE, { functionName: 'reserves', memoryMb: 128 });
    const [o] = await worker.call([call]);
    expect(o.kind).not.toBe('ok');
  });

  test('resident: 400 MiB written past a 128 MiB cap is a memory death, and stderr says why', async () => {
    worker = await start(FILE, { functionName: 'touches', memoryMb: 128, memoryCap: 'resident' });
    const [o] = await worker.call([call]);
    expect(o.kind).toBe('memory');
    expect(o.kind === 'memory' && o.stderr).toMatch(/resident memory grew past its cap of \d+ MiB \(\d+ MiB in all\): out of memory, killed/);
  });
});
