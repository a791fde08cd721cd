// The report's settings say what the run selected: `only` (run --only) lets a comparison with the baseline tell rows
// that were not selected from rows that were lost (report/compare.ts).
import { describe, expect, it } from 'vitest';
import { validateJson } from '../json-files.js';
import { makeCheck, makeImpl } from '../report/fixtures.js';
import { renderJson } from '../report/json.js';
import { buildReport, whyUnjudged } from './report-build.js';

const PY = { python: 'python3', version: '3.11.7', numpy: '2.0.0' };
const SETTINGS = { profile: 'strict', policy: 'ieee' as const, seed: 1, numRuns: 10, command: 'test' };
const impls = [makeImpl({ id: 'a', checks: [makeCheck({ name: 'values' })] })];

describe('buildReport settings', () => {
  it('record run --only, as given, and the report validates', () => {
    const r = buildReport('run', impls, { ...SETTINGS, only: ['a'] }, PY);
    expect(r.settings.only).toEqual(['a']);
    expect(() => validateJson(JSON.parse(renderJson(r)), 'report.schema.json', 'report.json')).not.toThrow();
  });

  it('leave it out when every row was selected (no --only, or an empty list)', () => {
    expect(buildReport('run', impls, SETTINGS, PY).settings).not.toHaveProperty('only');
    expect(buildReport('run', impls, { ...SETTINGS, only: [] }, PY).settings).not.toHaveProperty('only');
  });
});

describe('whyUnjudged', () => {
  const none = { planned: 40, run: 0, passed: 0, failed: 0, rejected: 0, errors: 0 };
  it('a file that does not load is judged (it fails) though no case ran', () => {
    const broken = makeImpl({ id: 'b', status: 'import-error', verdict: 'fail', checks: [makeCheck({ name: 'import', verdict: 'fail', cases: none })] });
    expect(whyUnjudged([broken])).toBeUndefined();
    expect(buildReport('audit', [broken], SETTINGS, PY).verdict).toBe('fail');
  });
  it('a skipped row with no case run is not judged: error, never a pass', () => {
    const skipped = makeImpl({ id: 's', status: 'skipped', statusDetail: 'skipped: not installed', verdict: 'skip', checks: [makeCheck({ name: 'import', verdict: 'skip', cases: none })] });
    expect(whyUnjudged([skipped])).toBe('nothing was judged: s: skipped: not installed');
  });
});
