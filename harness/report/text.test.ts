import { describe, expect, it } from 'vitest';
import { cleanText, escapeHtml, escapeXml, mdCode, mdFence, mdText } from './text.js';

describe('text sanitising', () => {
  it('removes terminal escape sequences whole and control characters', () => {
    expect(cleanText('a\u001b[31mred\u001b[0m b\u001b]0;title\u0007c\u0000d\u0007e\u009b2Jf')).toBe('ared bcdef');
    expect(cleanText('x\r\ny\rz\tw')).toBe('x\ny\nz\tw');
    expect(cleanText('bidi\u202eevil')).toBe('bidievil');
    expect(cleanText('lone \ud800 surrogate, pair \ud83d\ude00')).toBe('lone \ufffd surrogate, pair \ud83d\ude00');
  });

  it('escapes HTML specials (after cleaning)', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\u001b[1m</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('makes Markdown prose inert: no HTML, links, emphasis, table breaks, code spans or mentions', () => {
    const s = mdText('<b>x</b> [l](http://e) *em* a|b `c` @alice\nnext');
    expect(s).not.toMatch(/<|`|(?<!\\)[[|*]/);
    expect(s).toContain('&lt;b&gt;');
    expect(s).toContain('@\u200balice');
    expect(s).not.toContain('\n');
  });

  it('puts backticks in inline code safely and picks a fence longer than any run inside', () => {
    expect(mdCode('a`b<c>')).toBe('<code>a`b&lt;c&gt;</code>');
    const fenced = mdFence('x = "```"\nprint(x)', 'python');
    expect(fenced.startsWith('````python\n')).toBe(true);
    expect(fenced.endsWith('\n````')).toBe(true);
  });

  it('produces XML 1.0 legal text', () => {
    expect(escapeXml('a\u0001b\u000bc\ufffe<]]>&')).toBe('abc&lt;]]&gt;&amp;');
  });
});
