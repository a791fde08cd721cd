import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAxisOption, runReferenceCommand } from './command.js';
import { oracle } from './softmax.js';
import { readTensorFile, writeTensorFile } from '../harness/tensor/io.js';
import { bitwiseEqual, fromNumbers, toNumbers } from '../harness/tensor/tensor.js';
import { UsageError } from '../harness/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reference command', () => {
  it('reads .npy and writes .npy in the input dtype, bit for bit the oracle', async () => {
    const x = fromNumbers('float32', [2, 3], [1, 2, 3, -Infinity, 0, 1e30]);
    writeTensorFile(join(dir, 'in.npy'), x);
    await runReferenceCommand({ input: join(dir, 'in.npy'), axis: '-1', op: 'softmax', policy: 'ieee', output: join(dir, 'out.npy') });
    const y = readTensorFile(join(dir, 'out.npy'));
    expect(y.dtype).toBe('float32');
    expect(bitwiseEqual(y, oracle(x, [1], { op: 'softmax', policy: 'ieee' }))).toBe(true);
  });

  it('reads .json and writes .json; integers give float64; --axis all; log-softmax keeps -0 and -inf', async () => {
    writeTensorFile(join(dir, 'in.json'), fromNumbers('int32', [3], [1000, 5, 5]));
    await runReferenceCommand({ input: join(dir, 'in.json'), axis: 'all', op: 'log-softmax', policy: 'ieee', output: join(dir, 'out.json') });
    const y = readTensorFile(join(dir, 'out.json'));
    expect(y.dtype).toBe('float64');
    const v = toNumbers(y);
    expect(Object.is(v[0], -0)).toBe(true);
    expect(v[1]).toBe(-995);
    writeTensorFile(join(dir, 'inf.json'), fromNumbers('float64', [2], [1e308, -1e308]));
    await runReferenceCommand({ input: join(dir, 'inf.json'), axis: '0', op: 'log-softmax', policy: 'ieee', output: join(dir, 'inf-out.npy') });
    expect(toNumbers(readTensorFile(join(dir, 'inf-out.npy')))[1]).toBe(-Infinity);
  });

  it('bfloat16 .npy in and out (descr <V2), and logsumexp drops the reduced axis', async () => {
    const x = fromNumbers('bfloat16', [2, 3], [1, 2, 3, 1000, 0, -1000]);
    writeTensorFile(join(dir, 'bf.npy'), x);
    await runReferenceCommand({ input: join(dir, 'bf.npy'), axis: '-1', op: 'softmax', policy: 'ieee', output: join(dir, 'bf-out.npy') });
    const y = readTensorFile(join(dir, 'bf-out.npy'));
    expect(y.dtype).toBe('bfloat16');
    expect(bitwiseEqual(y, oracle(x, [1], { op: 'softmax', policy: 'ieee' }))).toBe(true);
    await runReferenceCommand({ input: join(dir, 'bf.npy'), axis: '-1', op: 'logsumexp', policy: 'ieee', output: join(dir, 'lse.json') });
    const l = readTensorFile(join(dir, 'lse.json'));
    expect({ dtype: l.dtype, shape: l.shape }).toEqual({ dtype: 'bfloat16', shape: [2] });
    expect(toNumbers(l)[1]).toBe(1000); // 1000 + log(1 + e^-1000 + ...) rounds to 1000 in bfloat16
  });

  it('rejects a bad --axis with a usage error', () => {
    expect(parseAxisOption('all', [2, 3])).toEqual([0, 1]);
    expect(parseAxisOption('-2', [2, 3])).toEqual([0]);
    expect(parseAxisOption('0', [])).toEqual([]);
    expect(() => parseAxisOption('2', [2, 3])).toThrow(UsageError);
    expect(() => parseAxisOption('rows', [2, 3])).toThrow(UsageError);
  });

  it('takes --axis with spaces around it and with several digits, and says which rule a bad one breaks', () => {
    expect(parseAxisOption(' -1 ', [2, 3])).toEqual([1]);
    expect(parseAxisOption('10', Array(11).fill(1))).toEqual([10]);
    expect(parseAxisOption('+1', [2, 3])).toEqual([1]);
    for (const bad of ['x1', '1x', '1.5', '']) expect(() => parseAxisOption(bad, [2, 3]), bad).toThrow(`--axis must be an integer or "all", got "${bad}"`);
    expect(() => parseAxisOption('2', [2, 3])).toThrow('--axis 2 is out of range for an input of rank 2');
  });
});
