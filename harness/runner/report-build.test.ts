// The report's settings say what the run selected: `only` (run --only) lets a comparison with the baseline tell rows
// that were not selected from rows that were lost (report/compare.ts).
import { describe, expect, it } from 'vitest';
import { validateJson } from '../json-files.js';
import { makeCheck, makeImpl } from '../report/fixtures.js';
import { renderJson } from '../report/json.js';
import { buildReport } from './report-build.js';

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
