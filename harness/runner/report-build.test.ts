// The report's settings say what the run selected: `only` (run --only) lets a comparison with the baseline tell rows
// that were not selected from rows that were lost (report/compare.ts).
import { describe, expect, it } from 'vitest';
import { validateJson } from '../json-files.js';
import { makeCheck, makeImpl } from '../report/fixtures.js';
import { renderJson } from '../report/json.js';
import { buildReport, whyPartlyUnjudged, whyUnjudged } from './report-build.js';
import { verdictOf } from './subject.js';

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

describe('a check that judged no case', () => {
  const some = { planned: 40, run: 40, passed: 40, failed: 0, rejected: 0, errors: 0 };
  const none = { planned: 40, run: 0, passed: 0, failed: 0, rejected: 0, errors: 40, outOfBudget: 40 };
  const starved = makeCheck({ name: 'nan', family: 'nan', verdict: 'error', diagnosis: "no case could be judged: not run: the implementation's time budget of 1 s was used up", cases: none });
  const passing = makeCheck({ name: 'values', verdict: 'pass', cases: some });
  const failing = makeCheck({ name: 'overflow', family: 'overflow', verdict: 'fail', cases: { ...some, passed: 39, failed: 1 } });

  it('where nothing failed, is no finding: the verdict is error (exit 2) and says which check, not fail', () => {
    const impl = makeImpl({ id: 'slow', verdict: verdictOf([passing, starved]), checks: [passing, starved] });
    expect(impl.verdict).toBe('error');
    const r = buildReport('audit', [impl], SETTINGS, PY);
    expect(r.verdict).toBe('error');
    expect(r.verdictReason).toBe("nothing failed, but 1 check judged no case: slow: nan [last]: no case could be judged: not run: the implementation's time budget of 1 s was used up");
    expect(whyPartlyUnjudged([impl, impl])).toMatch(/^nothing failed, but 2 checks judged no case: slow: nan .*; and 1 more$/);
  });

  it('beside a failure, the failure decides: fail (exit 1)', () => {
    const checks = [passing, starved, failing];
    expect(verdictOf(checks)).toBe('fail');
    const r = buildReport('audit', [makeImpl({ id: 'f', verdict: 'fail', checks })], SETTINGS, PY);
    expect(r.verdict).toBe('fail');
    expect(r).not.toHaveProperty('verdictReason');
    expect(verdictOf([passing, makeCheck({ name: 'range', verdict: 'xpass' })])).toBe('fail');
  });

  it('without one, a run of passes and expected failures is what it was', () => {
    expect(verdictOf([passing])).toBe('pass');
    expect(verdictOf([passing, makeCheck({ name: 'range', verdict: 'xfail' })])).toBe('xfail');
    expect(whyPartlyUnjudged([makeImpl({ id: 'p', checks: [passing] })])).toBeUndefined();
    expect(buildReport('audit', [makeImpl({ id: 'p', checks: [passing] })], SETTINGS, PY).verdict).toBe('pass');
  });
});
