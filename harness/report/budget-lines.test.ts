// A verdict on part of the planned cases says how much the time budget (--budget) cut, where the verdict is read:
// the report's accounting counts the budget's share apart, and the run and audit summaries name it.
import { describe, expect, it } from 'vitest';
import { renderAuditText } from '../cli/audit-text.js';
import { OUT_OF_BUDGET } from '../model.js';
import { buildReport } from '../runner/report-build.js';
import { validateJson } from '../json-files.js';
import { renderConsole } from './console.js';
import { makeCheck, makeImpl } from './fixtures.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

const PY = { python: 'python3', version: '3.11.7', numpy: '2.0.0' };
const SETTINGS = { profile: 'strict', policy: 'ieee' as const, seed: 1, numRuns: 10, command: 'test' };

function report(kind: 'run' | 'audit') {
  const cut = makeImpl({
    id: 'slow',
    checks: [
      // 60 planned: 20 judged, 30 cut by the budget, 10 lost to the candidate's crashes
      makeCheck({ name: 'values', cases: { planned: 60, run: 20, passed: 20, failed: 0, rejected: 0, errors: 40, outOfBudget: 30 } }),
      makeCheck({ name: 'overflow', cases: { planned: 10, run: 5, passed: 5, failed: 0, rejected: 0, errors: 5, outOfBudget: 5 } }),
    ],
  });
  const whole = makeImpl({ id: 'quick', checks: [makeCheck({ name: 'values', cases: { planned: 7, run: 6, passed: 6, failed: 0, rejected: 0, errors: 1 } })] });
  return buildReport(kind, kind === 'run' ? [cut, whole] : [cut], SETTINGS, PY);
}

describe('the time budget in the report', () => {
  it('accounting counts the budget\'s share apart from the candidate\'s, and the report validates', () => {
    const r = report('run');
    expect(r.accounting).toEqual({
      planned: 77, run: 31, notRun: 46,
      notRunReasons: { [OUT_OF_BUDGET]: 35, 'not judged (crash, timeout, memory, bad output or wrong shape)': 11 },
    });
    expect(() => validateJson(JSON.parse(renderJson(r)), 'report.schema.json', 'report.json')).not.toThrow();
  });

  it('the run summary names the implementations it cut, and the Markdown gives the reasons with their counts', () => {
    const r = report('run');
    const text = renderConsole(r, { color: false });
    expect(text).toContain('46 of 77 cases not run (35: the time budget ran out (raise it with --budget); 11: not judged (crash, timeout, memory, bad output or wrong shape))');
    expect(text).toContain('time budget ran out for slow: 35 case-checks not run; their verdicts cover only the rest (raise it with --budget)');
    expect(text).not.toMatch(/ran out for .*quick/);
    expect(renderMarkdown(r)).toContain('35 the time budget ran out (raise it with --budget)');
  });

  it('the audit summary says it under the verdict', () => {
    const text = renderAuditText(report('audit'), { color: false });
    expect(text).toContain('  time budget ran out: 35 of 70 case-checks were not run, so the verdict covers only the rest (raise it with --budget)');
  });

  it('and says nothing of it where it cut nothing', () => {
    const r = buildReport('audit', [makeImpl({ id: 'quick', checks: [makeCheck({ name: 'values' })] })], SETTINGS, PY);
    expect(r.accounting.notRunReasons).toEqual({});
    expect(renderAuditText(r, { color: false })).not.toMatch(/budget/);
    expect(renderConsole(r, { color: false })).not.toMatch(/budget/);
  });
});
