import { describe, expect, it } from 'vitest';
import type { RunReport } from '../model.js';
import { compareReports } from './compare.js';
import { renderComparisonFor, renderComparisonText } from './compare-text.js';
import { sampleReport } from './fixtures.js';

const clone = (r: RunReport): RunReport => JSON.parse(JSON.stringify(r));

function regression() {
  const base = sampleReport();
  const next = clone(base);
  next.implementations[0].checks[2] = {
    ...next.implementations[0].checks[2], verdict: 'fail',
    diagnosis: `rows sum to 1.5 on [1, 2] with *emphasis* and a | pipe, ${'long words '.repeat(20)}\u001b[31m`,
  };
  next.implementations[1].checks[1].verdict = 'pass';
  next.settings.seed = 7; // a setting that may differ (another profile or policy would leave no gate verdict)
  return compareReports(base, next);
}

describe('comparison as plain text', () => {
  const text = renderComparisonText(regression());

  it('has no Markdown: no <code>, no backslash escapes, no tables, no escape sequences', () => {
    expect(text).not.toMatch(/<code>|<\/?[a-z]+>|\\[[\]*_|]|^\|.*\|$|\*\*/m);
    expect(text).not.toContain('\u001b');
  });

  it('says the gate first, then each change on its own line with the diagnosis wrapped under it', () => {
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^REGRESSION {2}1 new failure · 1 fixed/);
    expect(text).toContain('New failures (1):\n  numpy-stable · sum-to-one [last, ieee]: pass -> fail');
    expect(text).toContain('      rows sum to 1.5 on [1, 2] with *emphasis* and a | pipe,');
    expect(text).toContain('Fixed (1):\n  naive-exp · overflow [last, ieee]: fail -> pass');
    expect(text).toContain('Settings that differ:\n  seed: 42 -> 7');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
  });

  it('is what a terminal gets; a pipe gets Markdown', () => {
    const c = regression();
    expect(renderComparisonFor(c, { isTTY: true })).toBe(text);
    expect(renderComparisonFor(c, { isTTY: false })).toMatch(/^\*\*REGRESSION\*\*/);
    expect(renderComparisonFor(c, {})).toContain('<code>');
  });
});
