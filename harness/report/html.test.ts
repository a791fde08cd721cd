import { describe, expect, it } from 'vitest';
import { makeImpl, makeReport, sampleReport, wideReport } from './fixtures.js';
import { renderHtml } from './html.js';

describe('HTML report', () => {
  const html = renderHtml(sampleReport());

  it('has the verdict banner and title', () => {
    expect(html).toMatch(/<header id="verdict" data-testid="verdict" data-verdict="fail" class="banner v-fail">\s*<span class="word">FAIL<\/span>/);
    expect(html).toContain('<title>softmax-conformance run: FAIL</title>');
  });

  it('has the matrix with text in every coloured cell', () => {
    expect(html).toContain('data-testid="matrix"');
    const row = html.match(/<tr data-impl="naive-exp">.*?<\/tr>/s)![0];
    expect(row).toContain('<td class="cell v-fail" data-family="overflow" data-verdict="fail"');
    expect(row).toMatch(/data-family="overflow"[^>]*>1 fail<\/td>/);
    expect(row).toMatch(/data-family="underflow"[^>]*>1 xfail<\/td>/);
  });

  it('draws one ULP plot per implementation with statistics, with axis labels and log-scaled bars', () => {
    const plots = html.match(/<svg data-testid="ulp-plot"[\s\S]*?<\/svg>/g) ?? [];
    expect(plots).toHaveLength(2);
    expect(plots[1]).toContain('ULP distance from the correctly rounded result');
    expect(plots[1]).toContain('elements (log scale)');
    // naive-exp: 500+10 elements at 0 ULP (values + overflow), 3 at >=65536; on a log axis the 3 stays visible
    const height = (bucket: string) => Number(plots[1].match(new RegExp(`data-bucket="${bucket}"[^>]*height="([\\d.]+)"`))![1]);
    expect(plots[1]).toMatch(/data-bucket="0" data-count="510"/);
    expect(height('&gt;=65536')).toBeGreaterThan(height('0') / 10); // linear would be 1/170
    expect(height('&gt;=65536')).toBeLessThan(height('0'));
    expect(height('256-65535')).toBe(0);
  });

  it('shows counterexamples with values and their reproduction snippet', () => {
    expect(html).toMatch(/data-testid="cx-input">\[\[1000, 1001, 1002\],\n \[-0, inf, nan\]\]<\/pre>/);
    expect(html).toMatch(/data-testid="cx-actual">\[\[nan, nan, nan\]/);
    expect(html).toMatch(/data-testid="cx-input">\[-1000, -1000, -1000\]<\/pre>/); // decoded from base64 float32
    expect(html).toContain('from naive import softmax');
  });

  it('shows run provenance', () => {
    expect(html).toMatch(/data-testid="provenance"[\s\S]*<dt>seed<\/dt><dd><code>42<\/code>/);
  });

  it('escapes candidate text everywhere: no raw <script, no terminal escapes, no scripts at all', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('\u001b');
    expect(html).toContain('ValueError: &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is self-contained: no external URL anywhere but the SVG namespace', () => {
    const urls = html.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>]*/gi) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(html).toContain("default-src 'none'");
  });

  it('lists the implementations with the failing ones first, and opens only their sections', () => {
    const wide = renderHtml(wideReport());
    const nav = wide.match(/<nav id="contents"[\s\S]*?<\/nav>/)![0];
    expect(nav.match(/<li data-verdict="(\w+)"/)![1]).toBe('fail');
    expect(nav.match(/<li /g)).toHaveLength(12);
    const sections = wide.match(/<details class="impl"[^>]*>/g)!;
    expect(sections).toHaveLength(12);
    expect(sections.filter((d) => d.includes(' open'))).toEqual([expect.stringContaining('data-verdict="fail"')]);
  });

  it('links each unexpected failure to its counterexample', () => {
    const wide = renderHtml(wideReport());
    expect(wide).toMatch(/<a class="cx-link" href="#impl-9-cx-0">counterexample<\/a>/);
    expect(wide).toContain('<article class="cx" id="impl-9-cx-0"');
  });

  it('has a legend for the matrix colours and gives every counterexample its own id', () => {
    expect(html).toContain('data-testid="legend"');
    const ids = [...renderHtml(wideReport()).matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(20);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows code spans as code, not as literal backticks, and says a status once', () => {
    const wide = renderHtml(wideReport());
    expect(wide).toContain('<b>Contract inference:</b> claims <code>last</code>; behaves as <code>last</code> on ranks 1-4');
    const skipped = renderHtml(makeReport({ implementations: [makeImpl({ id: 'tf', status: 'skipped', verdict: 'skip', statusDetail: 'skipped: not installed: module tensorflow is missing' })] }));
    expect(skipped).not.toContain('skipped: skipped');
    expect(skipped).toContain('Status: <b>skipped</b>: <span class="status-detail">not installed: module tensorflow is missing</span>');
  });

  it('colours golden agreement as a measurement, never with the gate\'s fail colour', () => {
    const g = renderHtml(wideReport('pass')).match(/data-testid="golden-matrix"[\s\S]*?<\/table>/)![0];
    expect(g).toContain('class="agree-low"');
    expect(g).not.toMatch(/v-fail/);
  });
});

describe('the banner of a report that could not judge', () => {
  it('says why, escaped, beside the word; other verdicts have no such line', () => {
    const html = renderHtml(makeReport({ verdict: 'error', verdictReason: 'nothing was judged: <b>x</b>' }));
    expect(html).toContain('<span data-testid="verdict-reason">could not judge: nothing was judged: &lt;b&gt;x&lt;/b&gt;</span>');
    expect(renderHtml(makeReport({ verdict: 'pass', verdictReason: 'stale' }))).not.toContain('verdict-reason');
  });
});
