// The JSON's unbounded-ULP sentinel (2^53: a NaN or inf where a number is expected) reads as words in every
// human-facing output, never as "9007199254740992 ULP" (issue 13, item 4); allowed flushes are shown apart (item 5).
import { describe, expect, it } from 'vitest';
import { renderAuditText } from '../cli/audit-text.js';
import { compareReports } from './compare.js';
import { renderComparisonHtml, renderComparisonMarkdown } from './compare-render.js';
import { makeCheck, makeImpl, makeReport, makeStats } from './fixtures.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { formatUlp, UNBOUNDED_ULP_TEXT } from './text.js';

const SENTINEL = 2 ** 53;

function reportWith(maxUlp: number, verdict: 'pass' | 'fail' = 'fail') {
  const stats = { ...makeStats(maxUlp), flushedSubnormals: 3, largestFlushed: 1.5e-308 };
  const check = makeCheck({ name: 'values', verdict, diagnosis: 'output[0] is nan where the correctly rounded value is 0.5', stats });
  return makeReport({ verdict, implementations: [makeImpl({ id: 'cand', verdict, checks: [check] })] });
}

describe('formatUlp', () => {
  it('words for the sentinel, numbers otherwise (finite distances above 2^53 included)', () => {
    expect(formatUlp(SENTINEL)).toBe(UNBOUNDED_ULP_TEXT);
    expect(formatUlp(Infinity)).toBe(UNBOUNDED_ULP_TEXT);
    expect(formatUlp(12)).toBe('12 ULP');
    expect(formatUlp(12, false)).toBe('12');
    expect(formatUlp(SENTINEL + 2)).toContain('ULP');
  });
});

describe('every reporter shows the sentinel as unbounded', () => {
  const report = reportWith(SENTINEL);
  const outputs: [string, string][] = [
    ['markdown', renderMarkdown(report)],
    ['html', renderHtml(report)],
    ['audit text', renderAuditText({ ...report, kind: 'audit' }, { color: false })],
  ];
  for (const [name, text] of outputs) {
    it(name, () => {
      expect(text).not.toContain('9007199254740992');
      expect(text).not.toContain('9.01e+15');
      expect(text).toContain('unbounded (NaN/inf where a number is expected)');
    });
  }

  it('compare (Markdown and HTML), where the drift goes to unbounded', () => {
    const c = compareReports(reportWith(3, 'pass'), reportWith(SENTINEL));
    for (const text of [renderComparisonMarkdown(c), renderComparisonHtml(c)]) {
      expect(text).not.toContain('9007199254740992');
      expect(text).not.toContain('9.01e+15');
      expect(text).toContain('unbounded (NaN/inf where a number is expected)');
    }
  });

  it('allowed flushes are stated apart, with the largest value flushed', () => {
    const md = renderMarkdown(reportWith(5));
    expect(md).toMatch(/3 allowed flushes to zero \(largest 1\.50e-308\), not in the ULP figures/);
  });
});
