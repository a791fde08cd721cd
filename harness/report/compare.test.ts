import { describe, expect, it } from 'vitest';
import type { RunReport } from '../model.js';
import { compareReports, comparisonExitCode, renderComparisonHtml, renderComparisonMarkdown } from './compare.js';
import { makeCheck, makeImpl, makeReport, makeStats, sampleReport } from './fixtures.js';

const clone = (r: RunReport): RunReport => JSON.parse(JSON.stringify(r));
const labels = (xs: { ref: { implementation: string; check: string } }[]) => xs.map((x) => `${x.ref.implementation}/${x.ref.check}`);

describe('compareReports', () => {
  const base = sampleReport();

  it('finds nothing between a report and itself, and exits 0', () => {
    const c = compareReports(base, clone(base));
    expect(c.newFailures).toEqual([]);
    expect(c.fixed).toEqual([]);
    expect(c.drift).toEqual([]);
    expect(c.unchanged).toBe(11);
    expect(comparisonExitCode(c)).toBe(0);
  });

  it('finds a new failure (pass -> fail, xfail -> error) and exits 1', () => {
    const next = clone(base);
    next.implementations[0].checks[2] = { ...next.implementations[0].checks[2], verdict: 'fail', diagnosis: 'rows sum to 1.5' };
    next.implementations[1].checks[2].verdict = 'error';
    const c = compareReports(base, next);
    expect(labels(c.newFailures)).toEqual(['numpy-stable/sum-to-one', 'naive-exp/underflow']);
    expect(comparisonExitCode(c)).toBe(1);
    const md = renderComparisonMarkdown(c);
    expect(md.split('\n')[0]).toMatch(/^\*\*REGRESSION\*\* · 2 new failures/);
    expect(md).toContain('<code>numpy-stable · sum-to-one [last, ieee]</code> | pass | **fail**');
  });

  it('finds a fix (fail -> pass, xpass -> xfail) without failing', () => {
    const next = clone(base);
    next.implementations[1].checks[1].verdict = 'pass';
    next.implementations[1].checks[3].verdict = 'xfail';
    const c = compareReports(base, next);
    expect(labels(c.fixed)).toEqual(['naive-exp/overflow', 'naive-exp/axis']);
    expect(comparisonExitCode(c)).toBe(0);
  });

  it('finds error drift while still passing (3 -> 40 ULP), but not small changes', () => {
    const next = clone(base);
    next.implementations[0].checks[3].stats = makeStats(40); // golden:scipy 3 -> 40
    next.implementations[0].checks[0].stats = makeStats(2); // values 1 -> 2: ratio 2, drift
    next.implementations[0].checks[1].stats = makeStats(3); // overflow 2 -> 3: ratio 1.5, +1: no drift
    const c = compareReports(base, next);
    expect(c.drift.map((d) => [d.ref.check, d.fromUlp, d.toUlp, d.direction])).toEqual([
      ['golden:scipy', 3, 40, 'worse'],
      ['values', 1, 2, 'worse'],
    ]);
    expect(c.newFailures).toEqual([]);
    expect(comparisonExitCode(c)).toBe(0);
    expect(renderComparisonMarkdown(c)).toMatch(/golden:scipy \[last, ieee\]<\/code> \| 3 → \*\*40\*\* \| worse \| pass → pass/);
  });

  it('uses an absolute threshold for large errors (100 -> 108 drifts, 100 -> 107 does not)', () => {
    const at = (ulp: number) => makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'values', stats: makeStats(ulp) })] })] });
    expect(compareReports(at(100), at(108)).drift).toHaveLength(1);
    expect(compareReports(at(100), at(107)).drift).toHaveLength(0);
    expect(compareReports(at(0), at(1)).drift).toHaveLength(0);
  });

  it('finds changed diagnoses, added and removed checks and implementations', () => {
    const next = clone(base);
    next.implementations[1].checks[1].diagnosis = 'returns inf';
    next.implementations[0].checks.pop();
    next.implementations[0].checks.push(makeCheck({ name: 'order', family: 'order' }));
    next.implementations = next.implementations.filter((i) => i.id !== 'tfjs');
    next.implementations.push(makeImpl({ id: 'jax', checks: [makeCheck({ name: 'values' })] }));
    const c = compareReports(base, next);
    expect(labels(c.changedDiagnoses)).toEqual(['naive-exp/overflow']);
    expect(labels(c.checksAdded)).toEqual(['numpy-stable/order']);
    expect(labels(c.checksRemoved)).toEqual(['numpy-stable/memory']);
    expect(c.implementationsAdded).toEqual(['jax']);
    expect(c.implementationsRemoved).toEqual(['tfjs']);
    // what the base judged and this report does not: an implementation and a check, gone without a new baseline
    expect(c.lost.implementations).toEqual(['tfjs']);
    expect(labels(c.lost.checks)).toEqual(['numpy-stable/memory']);
    expect(comparisonExitCode(c)).toBe(1);
  });

  it('counts a new implementation that fails, or one that stops importing, as a new failure', () => {
    const next = clone(base);
    next.implementations.push(makeImpl({ id: 'broken', verdict: 'fail', checks: [makeCheck({ name: 'values', verdict: 'fail' })] }));
    next.implementations[0] = makeImpl({ id: 'numpy-stable', status: 'import-error', verdict: 'error', statusDetail: 'ModuleNotFoundError: numpy' });
    const c = compareReports(base, next);
    expect(labels(c.newFailures)).toEqual(['numpy-stable/(implementation)', 'broken/values']);
    expect(comparisonExitCode(c)).toBe(1);
  });

  it('renders escaped, self-contained HTML', () => {
    const next = clone(base);
    next.implementations[0].checks[0] = { ...next.implementations[0].checks[0], verdict: 'error', diagnosis: 'raised <script>alert(1)</script>\u001b[31m' };
    const html = renderComparisonHtml(compareReports(base, next));
    expect(html).toContain('<span class="word">REGRESSION</span>');
    expect(html).toMatch(/data-testid="new-failures" data-count="1"/);
    expect(html).toContain('raised &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('\u001b');
    expect(renderComparisonMarkdown(compareReports(base, next))).not.toMatch(/<script/i);
  });
});
