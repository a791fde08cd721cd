// The worker's mutation check, one row per way a candidate can change its input in place, on a small input (through
// the socket) and on a large one (at least bulkTransport.thresholdBytes: through the shared files). Only what the
// engine sees is asserted (CallOutcome.mutated, and inputAfter when mutated), so these rows stay valid however the
// worker is split (a broker checking against its own copy of the input). Fixtures: test/fixtures/mutation/.
import { describe, expect, test } from 'vitest';
import { projectPath } from '../paths.js';
import { bitwiseEqual, makeTensor, sizeOf, type Tensor } from '../tensor/tensor.js';
import { start } from '../../test/fixtures/candidates/helpers.js';
import { bulkTransport } from './bulk-files.js';
import type { CallOutcome } from './types.js';

const fixture = (name: string) => projectPath('test', 'fixtures', 'mutation', name);

/** Values in [0, 1) with +0 at every multiple of 1000 (index 0 included) and one NaN, never at the first or last place. */
function input(shape: number[]): Tensor {
  const n = sizeOf(shape);
  const data = new Float64Array(n).map((_, i) => ((i * 7919) % 1000) / 1000);
  data[n - 3] = NaN;
  return makeTensor('float64', shape, data);
}

const SMALL = [2, 4];
/** Just over the threshold of the large path, and two rows so that a reshape is visible. */
const LARGE = [2, bulkTransport.thresholdBytes / 16 + 512];

/** The outcome the engine gets for one call, without printing megabytes of tensor into a failing assertion. */
function okOutcome(o: CallOutcome | undefined): Extract<CallOutcome, { kind: 'ok' }> {
  expect(o?.kind, o?.kind === 'ok' ? 'ok' : JSON.stringify(o)?.slice(0, 500)).toBe('ok');
  return o as Extract<CallOutcome, { kind: 'ok' }>;
}

// [fixture, reported as mutated, what the input looks like afterwards (when mutated)]
const WAYS: [string, boolean, string][] = [
  ['writes_value.py', true, 'another value in the last element'],
  ['writes_negative_zero.py', true, '-0 where +0 was'],
  ['changes_nan_payload.py', true, 'a NaN with another payload'],
  ['sets_dtype.py', true, 'the same bytes as int64 (x.dtype = ...)'],
  ['sets_shape.py', true, 'the same bytes with a leading axis of 1 (x.shape = ...)'],
  // Every bit, the dtype and the shape are as they came in: the caller's array is unchanged, so no mutation (a
  // report would be a false accusation; nothing the caller can see tells the two apart).
  ['writes_then_restores.py', false, 'as it came in'],
  ['reads_only.py', false, 'as it came in'],
];

describe.each([
  ['small', SMALL],
  ['large', LARGE],
])('the mutation check on a %s input', (_, shape) => {
  test('the large input is over the threshold of the large path, the small one under it', () => {
    const bytes = sizeOf(shape) * 8;
    expect(bytes >= bulkTransport.thresholdBytes).toBe(shape === LARGE);
  });

  test.each(WAYS)('%s: mutated %s (%s)', async (file, mutated) => {
    const w = await start(file, { file: fixture(file), timeoutMs: 30_000, memoryMb: 2048 });
    const x = input(shape);
    // Twice in one batch: the second call must see the input as sent again, whatever the first did to its copy.
    const outcomes = await w.call([{ input: x, args: {} }, { input: x, args: {} }]);
    for (const o of outcomes) {
      const ok = okOutcome(o);
      expect(ok.mutated).toBe(mutated);
      if (mutated) {
        expect(ok.inputAfter?.data.length, 'the input as the candidate left it comes back').toBe(x.data.length);
        expect(bitwiseEqual(ok.inputAfter!, x)).toBe(false);
      } else {
        expect(ok.inputAfter).toBeUndefined();
      }
    }
    expect(bitwiseEqual(x, input(shape)), "the caller's tensor is untouched").toBe(true);
    await w.close();
  });
});
