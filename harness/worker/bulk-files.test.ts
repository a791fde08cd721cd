// Large tensors through the shared files (bulk-files.ts) instead of the socket: bit-exact both ways, mutation still
// caught bit for bit, deaths and restarts as before, nothing left behind, and the socket when the files cannot be
// made. Inputs are just above the threshold, so these stay fast.
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { bitwiseEqual, fromNumbers, makeTensor, type Tensor } from '../tensor/tensor.js';
import { start } from '../../test/fixtures/candidates/helpers.js';
import { BulkFiles, bulkTransport } from './bulk-files.js';
import { ProtocolError } from './protocol.js';
import type { CallOutcome, CallRequest } from './types.js';

const defaults = { ...bulkTransport };
let dir: string;
beforeEach(() => {
  // A folder of this test's own (any file system will do), so what is left in it is this test's doing.
  dir = mkdtempSync(join(tmpdir(), 'sc-bulk-test-'));
  bulkTransport.dir = dir;
});
afterEach(() => {
  Object.assign(bulkTransport, defaults);
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const call = (input: Tensor): CallRequest => ({ input, args: {} });

/** helpers.ts's expectKind, without printing megabytes of tensor into the message of every assertion. */
function expectKind<K extends CallOutcome['kind']>(o: CallOutcome | undefined, kind: K): Extract<CallOutcome, { kind: K }> {
  expect(o?.kind, o?.kind === 'ok' ? 'ok' : JSON.stringify(o)?.slice(0, 500)).toBe(kind);
  return o as Extract<CallOutcome, { kind: K }>;
}
/** Just over the threshold: 8 MiB + 8 KiB of float64. */
const N = bulkTransport.thresholdBytes / 8 + 1024;

/** Values in [0, 1) with NaN payloads, -0 and infinities sprinkled in (also past the first page). */
function bigInput(first: number[] = []): Tensor {
  const data = new Float64Array(N).map((_, i) => ((i * 7919) % 1000) / 1000);
  const bits = new BigUint64Array(data.buffer);
  for (const i of [3, 4096, 700_001]) bits[i] = 0x7ff4000000000001n + BigInt(i); // signalling NaNs with payloads
  data[5] = -0;
  data[600_000] = -0;
  data[N - 1] = -Infinity;
  first.forEach((v, i) => (data[i] = v));
  return makeTensor('float64', [N / 1024, 1024], data);
}

/** Node's descriptors on files under the test's folder (deleted files read "... (deleted)"). */
function openFiles(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) out.push(target);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** A candidate file written for the test. */
function candidate(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** Flips bit `x.flat[1]` of element `x.flat[0]` of its input (none if the bit is negative), returns a copy of it. */
const FLIPS_A_BIT =
  'import numpy as np\n\ndef softmax(x):\n    flat = x.reshape(-1)\n    i, bit = int(flat[0]), int(flat[1])\n' +
  '    if bit >= 0:\n        flat.view(np.uint64)[i] ^= np.uint64(1) << np.uint64(bit)\n    return x.copy()\n';

/** Keeps every input it is given and returns a copy of the first one: what it kept must not change under it. */
const KEEPS_INPUTS = 'kept = []\n\ndef softmax(x):\n    kept.append(x)\n    return kept[0].copy()\n';

describe('large tensors through shared files', () => {
  test('cross bit-exactly both ways, and the files have no name once the worker is ready', async () => {
    const w = await start('identity.py');
    expect(readdirSync(dir)).toEqual([]); // deleted after the handshake, still open on both sides
    expect(openFiles().sort()).toEqual([expect.stringMatching(/\/in \(deleted\)$/), expect.stringMatching(/\/out \(deleted\)$/)]);
    const x = bigInput();
    const f32 = makeTensor('float32', [N], new Float32Array(N).map((_, i) => i - N / 2));
    const [a, b, c] = await w.call([call(x), call(f32), call(x)]);
    expect(bitwiseEqual(expectKind(a, 'ok').output, x)).toBe(true);
    expect(expectKind(a, 'ok').mutated).toBe(false);
    expect(bitwiseEqual(expectKind(b, 'ok').output, f32)).toBe(true);
    expect(bitwiseEqual(expectKind(c, 'ok').output, x)).toBe(true);
    // Results are the caller's for good: the next call must not overwrite them.
    expect(expectKind(a, 'ok').output.data.buffer).not.toBe(expectKind(c, 'ok').output.data.buffer);
  });

  test('results of any size and kind come back, whatever the input', async () => {
    const w = await start('odd_results.py', {
      file: candidate('odd_results.py', 'import numpy as np\n\ndef softmax(x):\n    return [np.empty(0), np.float32(0.5), x[:1], None][int(x.flat[0])]\n'),
    });
    const [empty, scalar, row, none] = await w.call([0, 1, 2, 3].map((k) => call(bigInput([k]))));
    expect(expectKind(empty, 'ok').output.shape).toEqual([0]);
    expect(expectKind(scalar, 'ok').output.dtype).toBe('float32');
    expect([...expectKind(scalar, 'ok').output.data]).toEqual([0.5]);
    expect(bitwiseEqual(expectKind(row, 'ok').output, makeTensor('float64', [1, 1024], bigInput([2]).data.slice(0, 1024)))).toBe(true);
    expectKind(none, 'bad-output');
  });

  test('small and large calls mixed in one batch come back in order', async () => {
    const w = await start('identity.py');
    const small = (v: number): Tensor => fromNumbers('float64', [3], [v, v + 1, v + 2]);
    const inputs = [small(1), bigInput([1]), small(2), small(3), bigInput([2]), bigInput([3]), small(4)];
    const out = await w.call(inputs.map(call));
    out.forEach((o, i) => expect(bitwiseEqual(expectKind(o, 'ok').output, inputs[i])).toBe(true));
  });

  test('mutation is caught bit for bit: -0 for 0, another NaN payload, a change in the last element', async () => {
    const w = await start('flips_a_bit.py', { file: candidate('flips_a_bit.py', FLIPS_A_BIT) });
    const cases: [number, number][] = [
      [600_000, 63], // -0 back to +0: equal as numbers, not as bits
      [700_001, 0], // a NaN stays a NaN, with another payload
      [N - 1, 0], // -inf becomes a NaN, in the last page
      [2, 51], // on the first page
    ];
    const out = await w.call(cases.map(([i, bit]) => call(bigInput([i, bit]))));
    out.forEach((o, k) => {
      const ok = expectKind(o, 'ok');
      expect(ok.mutated, `case ${k}`).toBe(true);
      expect(bitwiseEqual(ok.inputAfter!, ok.output)).toBe(true);
      expect(bitwiseEqual(ok.inputAfter!, bigInput(cases[k]))).toBe(false);
    });
    const mutates = await start('mutates.py');
    const x = bigInput();
    const ok = expectKind((await mutates.call([call(x)]))[0], 'ok');
    expect(ok.mutated).toBe(true);
    expect(bitwiseEqual(ok.inputAfter!, ok.output)).toBe(true);
    expect(bitwiseEqual(x, bigInput())).toBe(true); // the caller's tensor is untouched
  });

  test('the pages a candidate wrote to are the next input again in the next call', async () => {
    const w = await start('flips_a_bit.py', { file: candidate('flips_a_bit.py', FLIPS_A_BIT) });
    const flip = bigInput([600_000, 63]);
    const keep = bigInput([700_001, -1]);
    const [a, b, c] = await w.call([call(flip), call(keep), call(flip)]);
    expect(expectKind(a, 'ok').mutated).toBe(true);
    expect(expectKind(b, 'ok').mutated).toBe(false);
    expect(bitwiseEqual(expectKind(b, 'ok').output, keep)).toBe(true);
    expect(bitwiseEqual(expectKind(c, 'ok').inputAfter!, expectKind(a, 'ok').inputAfter!)).toBe(true);
  });

  test('inputs a candidate keeps do not change when the next input arrives', async () => {
    const w = await start('keeps_inputs.py', { file: candidate('keeps_inputs.py', KEEPS_INPUTS) });
    const first = bigInput([1]);
    const out = await w.call([call(first), call(bigInput([2])), call(bigInput([3]))]);
    for (const o of out) expect(bitwiseEqual(expectKind(o, 'ok').output, first)).toBe(true);
  });

  test('a crash, a timeout and a memory error on a large input; restarts leave nothing behind', async () => {
    const w = await start('selective.py');
    const [crash, ok, timeout, memory, after] = await w.call([bigInput([2]), bigInput([0]), bigInput([1]), bigInput([5]), bigInput([0])].map(call));
    expect(expectKind(crash, 'crash').exitCode).toBe(7);
    expectKind(ok, 'ok');
    expectKind(timeout, 'timeout');
    expectKind(memory, 'memory');
    expectKind(after, 'ok');
    expect(readdirSync(dir)).toEqual([]);
    expect(openFiles()).toHaveLength(2); // the files of the process now running, none of the three before it
    await w.close();
    expect(openFiles()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('without a usable folder, large tensors take the socket', async () => {
    bulkTransport.dir = join(dir, 'does-not-exist');
    const w = await start('identity.py');
    const x = bigInput();
    expect(bitwiseEqual(expectKind((await w.call([call(x)]))[0], 'ok').output, x)).toBe(true);
    expect(openFiles()).toEqual([]);
  });

  test('an input the file cannot take goes inline, and the next one by file again', async () => {
    const w = await start('mutates.py');
    const write = vi.spyOn(BulkFiles.prototype, 'writeInput').mockReturnValueOnce(false);
    const [a, b] = await w.call([call(bigInput()), call(bigInput())]);
    expect(write).toHaveBeenCalledTimes(2);
    for (const o of [a, b]) expect(expectKind(o, 'ok').mutated).toBe(true);
    expect(bitwiseEqual(expectKind(a, 'ok').output, expectKind(b, 'ok').output)).toBe(true);
  });
});

describe('BulkFiles', () => {
  const bytes = (n: number, seed = 1): Uint8Array => new Uint8Array(n).map((_, i) => (i * 31 + seed) & 0xff);
  const open = (): { files: BulkFiles; folder: string } => {
    const files = BulkFiles.create()!;
    return { files, folder: files.dir! };
  };

  test('the input goes into `in`; a result comes out of `out`, in parts or whole, sizes checked against the file', () => {
    const { files, folder } = open();
    try {
      expect(files.writeInput(bytes(5000))).toBe(true);
      expect(new Uint8Array(readFileSync(join(folder, 'in')))).toEqual(bytes(5000));
      writeFileSync(join(folder, 'out'), bytes(10_000, 7));
      expect(files.result(10_000)).toEqual(bytes(10_000, 7));
      files.progress(4096, 10_000);
      files.progress(8192, 10_000);
      expect(files.result(10_000)).toEqual(bytes(10_000, 7));
      expect(files.result(undefined)).toBeNull();
      expect(() => files.result(10_001)).toThrow(ProtocolError); // more than the worker wrote
      expect(() => files.result(-1)).toThrow(ProtocolError);
      expect(() => files.result('10')).toThrow(ProtocolError);
      files.progress(8192, 10_000);
      expect(() => files.progress(4096, 10_000)).toThrow(ProtocolError); // going backwards
      expect(() => files.progress(20_000, 30_000)).toThrow(ProtocolError); // beyond what is in the file
      files.unlink();
      expect(readdirSync(dir)).toEqual([]);
      writeFileSync(join(dir, 'elsewhere'), 'x'); // the open files are used, not names
      expect(files.result(10_000)).toEqual(bytes(10_000, 7));
    } finally {
      files.close();
    }
  });

  test('a prepared buffer, once a result, is never written again', async () => {
    const { files, folder } = open();
    try {
      const n = 16 * 1024 * 1024;
      const content = bytes(n, 3);
      writeFileSync(join(folder, 'out'), content);
      files.prepare(n); // its pages are touched (written) a slice at a time on later turns of the event loop
      const out = files.result(n)!;
      for (let i = 0; i < 40; i++) await new Promise((r) => setImmediate(r));
      expect(Buffer.compare(out, content)).toBe(0);
    } finally {
      files.close();
    }
  });
});
