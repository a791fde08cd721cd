import { describe, expect, it } from 'vitest';
import { makeCheck, makeImpl, makeReport, sampleReport } from './fixtures.js';
import { MAX_COMMENT_CHARS, renderMarkdown } from './markdown.js';

describe('Markdown summary', () => {
  const md = renderMarkdown(sampleReport());

  it('starts with the verdict', () => {
    expect(md.split('\n')[0]).toMatch(/^\*\*FAIL\*\* · /);
    const passing = renderMarkdown(makeReport({ implementations: [makeImpl({ id: 'ok', checks: [makeCheck({ name: 'values' })] })] }));
    expect(passing.split('\n')[0]).toMatch(/^\*\*PASS\*\* · /);
    expect(passing).toContain('Nothing unexpected.');
  });

  it('says why it could not judge under the word ERROR, escaped; a verdict with no reason says nothing more', () => {
    const error = renderMarkdown(makeReport({ verdict: 'error', verdictReason: 'nothing failed, but 1 check judged no case: a: nan [last]: *budget*' }));
    expect(error.split('\n').slice(0, 3)).toEqual([expect.stringMatching(/^\*\*ERROR\*\* · /), '', 'Could not judge: nothing failed, but 1 check judged no case: a: nan \\[last\\]: \\*budget\\*']);
    expect(renderMarkdown(makeReport({ verdict: 'fail', verdictReason: 'stale' }))).not.toContain('Could not judge');
  });

  it('lists what is unexpected before the matrix, with the diagnosis and the xpass reason', () => {
    const unexpected = md.indexOf('### Unexpected (3)');
    const matrix = md.indexOf('### Implementations × check families');
    expect(unexpected).toBeGreaterThan(0);
    expect(matrix).toBeGreaterThan(unexpected);
    expect(md).toMatch(/- \*\*fail\*\* <code>naive-exp<\/code> · <code>overflow \[last\]<\/code>: returns NaN for logits above 709/);
    expect(md).toMatch(/- \*\*xpass\*\* .*expected to fail \(normalises over the whole array\)/);
    expect(md).toMatch(/Expected failures \(1\)[\s\S]*all-large-negative rows underflow/);
  });

  it('has a matrix of implementations x families', () => {
    const header = md.split('\n').find((l) => l.startsWith('| implementation |'))!;
    expect(header).toBe('| implementation | verdict | values | overflow | underflow | axis | sum-to-one | crash | memory | golden:scipy |');
    const row = md.split('\n').find((l) => l.startsWith('| <code>naive-exp</code>'))!;
    expect(row).toBe('| <code>naive-exp</code> | **fail** | pass | **fail** | xfail | **xpass** | – | – | – | – |');
  });

  it('gives details: inference, max ULP, counterexample shape and the Python snippet fenced', () => {
    expect(md).toContain('contract inference: consistent with "all" at rank 1 only');
    expect(md).toContain('max error: 70000 ULP');
    expect(md).toContain('input <code>float64 (2, 3)</code>');
    expect(md).toContain('```python\nimport numpy as np\nfrom naive import softmax');
  });

  it('escapes candidate text: no raw <script, no terminal escapes', () => {
    expect(md).not.toMatch(/<script/i);
    expect(md).not.toContain('\u001b');
    expect(md).toContain('&lt;script&gt;alert');
  });

  it('cuts details to fit a pull-request comment', () => {
    const r = sampleReport();
    const long = 'x'.repeat(20_000);
    for (const c of r.implementations[1].checks) if (c.counterexample) c.counterexample.python = long;
    r.implementations[2].checks[0].counterexample!.python = long;
    const cut = renderMarkdown(r, { htmlReport: 'report.html' });
    expect(cut.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(cut.split('\n')[0]).toMatch(/^\*\*FAIL\*\*/);
    expect(cut).toContain('### Unexpected (3)');
  });

  it('says a skipped status once ("skipped: not installed", never "skipped: skipped:")', () => {
    const md = renderMarkdown(makeReport({ implementations: [makeImpl({ id: 'tf', status: 'skipped', verdict: 'skip', statusDetail: 'skipped: not installed: module tensorflow is missing' })] }));
    expect(md).toContain('- status: skipped: not installed: module tensorflow is missing');
    expect(md).not.toContain('skipped: skipped');
  });
});
