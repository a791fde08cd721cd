// A Comparison for people: Markdown (a pull-request comment) and a self-contained HTML page. The gate line comes
// first; then new failures, fixes, drift, changed diagnoses, other changes, additions and removals. All text from
// the reports is untrusted (diagnoses quote candidates' exceptions) and escaped.
import { comparisonExitCode, lostCount, type CheckChange, type CheckRef, type CheckSide, type Comparison, type Drift } from './compare.js';
import { htmlPage, tag } from './html-page.js';
import { escapeHtml as h, formatUlp, mdCode, mdText } from './text.js';

/** "impl · check [rule, policy]" for people. */

/** What came or went between the two reports, as titled lists (the Markdown and the terminal text share them). */
export function membershipChanges(c: Comparison): [string, string[]][] {
  return [
    ['Implementations added', c.implementationsAdded],
    ['Implementations removed', c.implementationsRemoved],
    ['Checks added', c.checksAdded.map((x) => refLabel(x.ref))],
    ['Checks removed', c.checksRemoved.map((x) => refLabel(x.ref))],
  ];
}

export function refLabel(ref: CheckRef): string {
  return ref.rule === '-' ? `${ref.implementation} (implementation)` : `${ref.implementation} · ${ref.check} [${ref.rule}, ${ref.policy}]`;
}

export function gateLine(c: Comparison): string {
  if (c.incomparable) return c.incomparable;
  const lost = lostCount(c);
  const parts = [
    `${c.newFailures.length} new failure${c.newFailures.length === 1 ? '' : 's'}`,
    // shown only when there is some: what was judged before and is not now fails the gate too
    ...(lost ? [`${lost} lost (judged in the base, not here)`] : []),
    `${c.fixed.length} fixed`,
    `${c.drift.length} drifted`,
    `${c.changedDiagnoses.length} changed diagnos${c.changedDiagnoses.length === 1 ? 'is' : 'es'}`,
  ];
  return parts.join(' · ');
}

export const gateWord = (c: Comparison): string => ({ 0: 'NO REGRESSION', 1: 'REGRESSION', 2: 'NOT COMPARABLE' } as const)[comparisonExitCode(c)];

/** What the base judged and the new report lost (they fail the gate), as one list for people. */
export function lostLabels(c: Comparison): string[] {
  return [...c.lost.implementations.map((i) => `${i} (implementation)`), ...c.lost.checks.map((x) => `${refLabel(x.ref)}${x.after ? ` (${x.before?.verdict} → skip)` : ''}`)];
}

/** Says why lost evidence fails the gate, and what to do when the removal is intended. */
export const LOST_HINT = 'judged in the base, not here: removed from the manifest (a row or a claim), or skipped now (no case of this run reached it, e.g. fewer runs, or the candidate rejects them all). If that is intended, refresh the baseline with the new report and review the diff; otherwise it hides what the base found.';

export const ulp = (s?: CheckSide) => (s?.maxUlp === undefined ? '–' : formatUlp(s.maxUlp, false));
export const verdictOf = (s?: CheckSide) => s?.verdict ?? 'absent';

// ---- Markdown ----

function mdTable(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), ''];
}

function mdChanges(title: string, changes: CheckChange[], diagnosis: 'after' | 'both' = 'after'): string[] {
  if (changes.length === 0) return [];
  const head = diagnosis === 'both' ? ['check', 'verdict', 'before', 'after'] : ['check', 'was', 'now', 'max ULP', 'diagnosis'];
  const rows = changes.map((x) =>
    diagnosis === 'both'
      ? [mdCode(refLabel(x.ref)), verdictOf(x.after), mdText(x.before?.diagnosis ?? ''), mdText(x.after?.diagnosis ?? '')]
      : [mdCode(refLabel(x.ref)), verdictOf(x.before), `**${verdictOf(x.after)}**`, `${ulp(x.before)} → ${ulp(x.after)}`, mdText(x.after?.diagnosis ?? x.before?.diagnosis ?? '')],
  );
  return [`### ${title} (${changes.length})`, '', ...mdTable(head, rows)];
}

function mdDrift(drift: Drift[]): string[] {
  if (drift.length === 0) return [];
  const rows = drift.map((d) => [mdCode(refLabel(d.ref)), `${formatUlp(d.fromUlp, false)} → **${formatUlp(d.toUlp, false)}**`, d.direction, `${d.before.verdict} → ${d.after.verdict}`]);
  return [`### Error drift (${drift.length})`, '', ...mdTable(['check', 'max ULP', 'direction', 'verdict'], rows)];
}

export function renderComparisonMarkdown(c: Comparison): string {
  const out: string[] = [];
  out.push(`**${gateWord(c)}** · ${gateLine(c)}`);
  out.push('');
  out.push(`Base: ${mdText(c.base.version)}, ${mdText(c.base.createdAt)}, ${c.base.verdict} → new: ${mdText(c.next.version)}, ${mdText(c.next.createdAt)}, ${c.next.verdict}.`);
  out.push('');
  out.push(...mdChanges('New failures', c.newFailures));
  const lost = lostLabels(c);
  if (lost.length) out.push(`### Evidence lost (${lost.length})`, '', mdText(LOST_HINT), '', ...lost.map((i) => `- ${mdCode(i)}`), '');
  out.push(...mdChanges('Fixed', c.fixed));
  out.push(...mdDrift(c.drift));
  out.push(...mdChanges('Changed diagnoses', c.changedDiagnoses, 'both'));
  out.push(...mdChanges('Other verdict changes', c.otherVerdictChanges));
  for (const [title, items] of membershipChanges(c)) {
    if (items.length) out.push(`### ${title} (${items.length})`, '', ...items.map((i) => `- ${mdCode(i)}`), '');
  }
  if (c.settingsChanged.length) {
    out.push('### Settings that differ', '', ...mdTable(['setting', 'base', 'new'], c.settingsChanged.map((s) => [mdText(s.name), mdCode(s.before), mdCode(s.after)])));
  }
  out.push(`${c.unchanged} check${c.unchanged === 1 ? '' : 's'} unchanged.`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

// ---- HTML ----

function htmlTable(testid: string, title: string, head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return `<section data-testid="${testid}" data-count="${rows.length}"><h2>${h(title)} (${rows.length})</h2><table><thead><tr>${head.map((x) => `<th>${h(x)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody></table></section>`;
}

const vtag = (s?: CheckSide) => (s ? tag(s.verdict) : tag('none', 'absent'));

function htmlChanges(testid: string, title: string, changes: CheckChange[]): string {
  return htmlTable(testid, title, ['check', 'was', 'now', 'max ULP', 'diagnosis'], changes.map((x) => [
    `<code>${h(refLabel(x.ref))}</code>`, vtag(x.before), vtag(x.after), h(`${ulp(x.before)} → ${ulp(x.after)}`), h(x.after?.diagnosis ?? x.before?.diagnosis ?? ''),
  ]));
}

export function renderComparisonHtml(c: Comparison): string {
  const word = gateWord(c);
  const regression = comparisonExitCode(c) !== 0;
  const cls = regression ? 'v-fail' : 'v-pass';
  const body = [
    `<header data-testid="verdict" data-verdict="${c.incomparable ? 'incomparable' : regression ? 'regression' : 'ok'}" class="banner ${cls}"><span class="word">${h(word)}</span><span>${h(gateLine(c))}</span></header>`,
    `<p class="meta">Base: ${h(c.base.version)}, ${h(c.base.createdAt)}, ${h(c.base.verdict)} (<code>${h(c.base.command)}</code>) → new: ${h(c.next.version)}, ${h(c.next.createdAt)}, ${h(c.next.verdict)} (<code>${h(c.next.command)}</code>)</p>`,
    htmlChanges('new-failures', 'New failures', c.newFailures),
    htmlTable('lost', 'Evidence lost', ['what', 'why it fails the gate'], lostLabels(c).map((i) => [`<code>${h(i)}</code>`, h(LOST_HINT)])),
    htmlChanges('fixed', 'Fixed', c.fixed),
    htmlTable('drift', 'Error drift', ['check', 'max ULP', 'direction', 'verdict'], c.drift.map((d) => [
      `<code>${h(refLabel(d.ref))}</code>`, h(`${formatUlp(d.fromUlp, false)} → ${formatUlp(d.toUlp, false)}`), tag(d.direction === 'worse' ? 'fail' : 'pass', d.direction), `${tag(d.before.verdict)} → ${tag(d.after.verdict)}`,
    ])),
    htmlTable('changed-diagnoses', 'Changed diagnoses', ['check', 'verdict', 'before', 'after'], c.changedDiagnoses.map((x) => [
      `<code>${h(refLabel(x.ref))}</code>`, vtag(x.after), h(x.before?.diagnosis ?? ''), h(x.after?.diagnosis ?? ''),
    ])),
    htmlChanges('other-changes', 'Other verdict changes', c.otherVerdictChanges),
    htmlTable('added-removed', 'Added and removed', ['what', 'name'], [
      ...c.implementationsAdded.map((i) => ['implementation added', `<code>${h(i)}</code>`]),
      ...c.implementationsRemoved.map((i) => ['implementation removed', `<code>${h(i)}</code>`]),
      ...c.checksAdded.map((x) => ['check added', `<code>${h(refLabel(x.ref))}</code>`]),
      ...c.checksRemoved.map((x) => ['check removed', `<code>${h(refLabel(x.ref))}</code>`]),
    ]),
    htmlTable('settings', 'Settings that differ', ['setting', 'base', 'new'], c.settingsChanged.map((s) => [h(s.name), `<code>${h(s.before)}</code>`, `<code>${h(s.after)}</code>`])),
    `<p class="meta">${c.unchanged} check${c.unchanged === 1 ? '' : 's'} unchanged.</p>`,
  ].filter(Boolean);
  return htmlPage(`softmax-conformance compare: ${h(word)}`, body.join('\n'));
}
