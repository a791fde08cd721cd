import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { watchedFile } from './watch.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-watch-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('watchedFile', () => {
  it('is the candidate file of a FILE:FUNCTION or FILE[:EXPORT] target, made absolute', () => {
    writeFileSync(join(dir, 'cand.py'), '');
    writeFileSync(join(dir, 'cand.mts'), '');
    expect(watchedFile(`${dir}/cand.py:softmax`)).toBe(join(dir, 'cand.py'));
    expect(watchedFile(`${dir}/cand.mts`)).toBe(join(dir, 'cand.mts'));
  });
  it('a module target names no file: a usage error (exit 2) that says so', () => {
    expect(() => watchedFile('scipy.special:softmax')).toThrow(UsageError);
    expect(() => watchedFile('sklearn.utils.extmath:softmax')).toThrow(/names no file \(a module target has nothing to watch\)/);
  });
  it('a file that does not exist is a usage error', () => {
    expect(() => watchedFile(`${dir}/missing.py:softmax`)).toThrow(/no such file/);
  });
});
