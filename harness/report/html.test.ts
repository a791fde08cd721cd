import { describe, expect, it } from 'vitest';
import { sampleReport } from './fixtures.js';
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
});
