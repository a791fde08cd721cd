// Making untrusted text (a candidate's error messages, captured output, diagnoses quoting exceptions, paths)
// safe for each output format. Every reporter goes through these: one place to get escaping right.

// Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), the 8-bit CSI, and other 2-byte ESC
// sequences. Removed whole, so "\u001b[31m" leaves nothing behind, not a stray "[31m".
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]?/g;
// C0 controls except tab and newline, DEL and C1 controls; also what XML 1.0 forbids (U+FFFE, U+FFFF) and bidi
// overrides, which can make shown text read differently from what it is ("trojan source").
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff\u202a-\u202e\u2066-\u2069]/g;
// A surrogate that is not part of a pair cannot be encoded in UTF-8 (and is illegal in XML).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Printable text: terminal escapes, control characters and lone surrogates removed; CRLF/CR become LF. */
export function cleanText(s: string): string {
  return String(s)
    .replace(ANSI, '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

/** Text for HTML element content or a quoted attribute value. Cleans first: there is no unescaped path. */
export function escapeHtml(s: string): string {
  return cleanText(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * One line of Markdown prose (also safe in a GFM table cell). GitHub renders HTML in Markdown, so <, > and & become
 * entities; Markdown syntax characters are backslash-escaped so candidate text cannot make links, emphasis or break
 * a table; backticks become an entity (a backslash would not survive inside code spans); "@" gets a zero-width
 * space so a message cannot mention (notify) people in a pull-request comment.
 */
export function mdText(s: string): string {
  return cleanText(s)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '&#96;')
    .replace(/[\\*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}

/** Inline code in Markdown: an HTML <code> element, so backticks in the text need no fence arithmetic. */
export function mdCode(s: string): string {
  return `<code>${escapeHtml(s).replace(/\n/g, ' ').replace(/\|/g, '&#124;').replace(/@/g, '&#64;')}</code>`;
}

/** A fenced code block whose fence is longer than any backtick run inside, so the text cannot close it. */
export function mdFence(s: string, lang = ''): string {
  const body = cleanText(s).replace(/\n+$/, '');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** A multi-line block of untrusted text in Markdown that GitHub shows verbatim: <pre> with entities. */
export function mdPre(s: string): string {
  return `<pre>${escapeHtml(s.replace(/\n+$/, ''))}</pre>`;
}

/** Text for XML 1.0 element content or attribute values: cleaned (no illegal characters) and entity-escaped. */
export function escapeXml(s: string): string {
  return cleanText(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values additionally keep their newlines and tabs (a parser normalises literal ones to spaces). */
export function escapeXmlAttr(s: string): string {
  return escapeXml(s).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** The first line of a text, cut to `max` characters with an ellipsis. */
export function firstLine(s: string, max = 200): string {
  const line = cleanText(s).split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A count with its noun: "1 check", "3 checks". */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

/** Compact numbers for tables: integers as is, others to 3 significant digits. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/** What an unbounded ULP distance (the JSON's 2^53 sentinel: a NaN or inf where a number is expected) reads as. */
export const UNBOUNDED_ULP_TEXT = 'unbounded (NaN/inf where a number is expected)';

/**
 * A ULP figure for people, the one formatter every reporter uses: "12 ULP", or the unbounded text for the JSON's
 * sentinel, exactly 2^53 (UNBOUNDED_ULP in harness/tolerance/metrics.ts; JSON has no Infinity; finite distances,
 * which can exceed it, are never written as exactly 2^53). `unit: false` drops " ULP" for table cells whose header
 * says it.
 */
export function formatUlp(n: number, unit = true): string {
  if (n === 2 ** 53 || !Number.isFinite(n)) return UNBOUNDED_ULP_TEXT;
  return `${fmtNum(n)}${unit ? ' ULP' : ''}`;
}

/** "; 3 allowed flushes to zero (largest 1.1e-308), not in the ULP figures", or '' when there are none. */
export function formatFlushes(stats: { flushedSubnormals: number; largestFlushed?: number }): string {
  const n = stats.flushedSubnormals;
  if (!n) return '';
  const largest = stats.largestFlushed ? ` (largest ${stats.largestFlushed.toExponential(2)})` : '';
  return `; ${n} allowed flush${n === 1 ? '' : 'es'} to zero${largest}, not in the ULP figures`;
}

/** Milliseconds for people. */
export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
