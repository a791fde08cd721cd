// A Comparison for a terminal: plain text, no Markdown (no <code>, no backslash escapes, no tables wider than the
// screen). Each change is a line with its label and verdicts, the diagnosis indented under it. Untrusted text is
// cleaned of escape sequences and control characters.
import type { CheckChange, Comparison, Drift } from './compare.js';
import { gateLine, gateWord, LOST_HINT, lostLabels, membershipChanges, refLabel, renderComparisonMarkdown, ulp, verdictOf } from './compare-render.js';
import { cleanText, fmtNum } from './text.js';

export interface ComparisonTextOptions {
  color?: boolean;
  /** wrap diagnoses to this width (default 100) */
  width?: number;
}

const oneLine = (s: string) => cleanText(s).replace(/\s*\n\s*/g, ' ').trim();

/** `text` wrapped to `width` columns, each line indented. */
function wrapped(text: string, indent: string, width: number): string[] {
  const words = oneLine(text).split(' ').filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      out.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(indent + line);
  return out;
}

export function renderComparisonText(c: Comparison, opts: ComparisonTextOptions = {}): string {
  const width = opts.width ?? 100;
  const paint = (code: number, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  const regression = gateWord(c) !== 'NO REGRESSION';
  out.push(`${paint(regression ? 31 : 32, gateWord(c))}  ${gateLine(c)}`);
  out.push(`base: ${oneLine(c.base.version)}, ${oneLine(c.base.createdAt)}, ${c.base.verdict}  ->  new: ${oneLine(c.next.version)}, ${oneLine(c.next.createdAt)}, ${c.next.verdict}`);
  const section = (title: string, changes: CheckChange[], both = false) => {
    if (changes.length === 0) return;
    out.push('', `${title} (${changes.length}):`);
    for (const x of changes) {
      const ulps = x.before?.maxUlp !== undefined || x.after?.maxUlp !== undefined ? `, max ULP ${ulp(x.before)} -> ${ulp(x.after)}` : '';
      out.push(`  ${oneLine(refLabel(x.ref))}: ${verdictOf(x.before)} -> ${verdictOf(x.after)}${ulps}`);
      if (both) {
        out.push(...wrapped(`before: ${x.before?.diagnosis ?? ''}`, '      ', width));
        out.push(...wrapped(`after: ${x.after?.diagnosis ?? ''}`, '      ', width));
      } else {
        const d = x.after?.diagnosis ?? x.before?.diagnosis;
        if (d) out.push(...wrapped(d, '      ', width));
      }
    }
  };
  section('New failures', c.newFailures);
  const lost = lostLabels(c);
  if (lost.length) {
    out.push('', `Evidence lost (${lost.length}):`, ...wrapped(LOST_HINT, '  ', width));
    for (const i of lost) out.push(`  ${oneLine(i)}`);
  }
  section('Fixed', c.fixed);
  if (c.drift.length) {
    out.push('', `Error drift (${c.drift.length}):`);
    for (const d of c.drift as Drift[]) {
      out.push(`  ${oneLine(refLabel(d.ref))}: max ULP ${fmtNum(d.fromUlp)} -> ${fmtNum(d.toUlp)} (${d.direction}), ${d.before.verdict} -> ${d.after.verdict}`);
    }
  }
  section('Changed diagnoses', c.changedDiagnoses, true);
  section('Other verdict changes', c.otherVerdictChanges);
  for (const [title, items] of membershipChanges(c)) {
    if (items.length) out.push('', `${title} (${items.length}):`, ...items.map((i) => `  ${oneLine(i)}`));
  }
  if (c.settingsChanged.length) {
    out.push('', 'Settings that differ:', ...c.settingsChanged.map((s) => `  ${oneLine(s.name)}: ${oneLine(s.before)} -> ${oneLine(s.after)}`));
  }
  out.push('', `${c.unchanged} check${c.unchanged === 1 ? '' : 's'} unchanged.`);
  return `${out.join('\n')}\n`;
}

/** What to print on stdout: plain text on a terminal, Markdown when piped (a CI step that posts it as a comment). */
export function renderComparisonFor(c: Comparison, stream: { isTTY?: boolean }, color = false): string {
  return stream.isTTY ? renderComparisonText(c, { color }) : renderComparisonMarkdown(c);
}
