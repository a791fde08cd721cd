import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures.js';
import { REPORTERS, writeReports } from './index.js';
import { tempDirs } from '../../test/helpers/temp.js';

const tmp = tempDirs('sc-reports-');

describe('writeReports', () => {
  it('writes report.json, summary.md, report.html and junit.xml', () => {
    const dir = join(tmp(), 'reports');
    const paths = writeReports(sampleReport(), dir);
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    expect(paths).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).verdict).toBe('fail');
    expect(Object.keys(REPORTERS).sort()).toEqual(['html', 'json', 'junit', 'markdown']);
  });

  it('writes nothing when the report is invalid', () => {
    const dir = join(tmp(), 'reports');
    const bad = sampleReport();
    (bad as unknown as { verdict: string }).verdict = 'green';
    expect(() => writeReports(bad, dir)).toThrow(/\/verdict/);
    expect(existsSync(dir)).toBe(false);
  });
});
