import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { prepareOutputDir } from './output-dir.js';

const root = mkdtempSync(join(tmpdir(), 'sc-outdir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareOutputDir', () => {
  it('makes every missing folder and leaves no probe file behind', () => {
    const dir = join(root, 'a', 'b', 'c');
    prepareOutputDir(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('accepts an existing folder and keeps what is in it', () => {
    const dir = join(root, 'kept');
    prepareOutputDir(dir);
    writeFileSync(join(dir, 'report.json'), '{}');
    prepareOutputDir(dir);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
  it('a file where a folder must be: UsageError (exit 2) naming the file and the option', () => {
    writeFileSync(join(root, 'file'), 'x');
    for (const dir of [join(root, 'file'), join(root, 'file', 'below')]) {
      let err: unknown;
      try {
        prepareOutputDir(dir, '--reports');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(2);
      expect((err as Error).message).toBe(`cannot write the reports to --reports ${JSON.stringify(dir)}: ${JSON.stringify(join(root, 'file'))} exists and is not a folder`);
    }
    expect(existsSync(join(root, 'file', 'below'))).toBe(false);
  });
  it('says what was to be written where the caller is not writing reports (golden export --out)', () => {
    expect(() => prepareOutputDir(join(root, 'file', 'g'), '--out', 'the goldens')).toThrow(`cannot write the goldens to --out ${JSON.stringify(join(root, 'file', 'g'))}: `);
  });
  it('without an option name the message names the folder alone (the library API)', () => {
    expect(() => prepareOutputDir(join(root, 'file'))).toThrow(`cannot write the reports to ${JSON.stringify(join(root, 'file'))}: `);
  });
});
