// The Markdown summary, sized for a pull-request comment: the verdict on the first line, then what fails the gate
// with its diagnosis, then the implementation x family matrix, then collapsible details. All report text goes
// through text.ts (GitHub renders HTML inside Markdown, and candidate text is untrusted).
import { goldenMarkdown } from './golden-section.js';
import { externalMarkdown } from './external-section.js';
import type { CheckResult, ImplementationResult, RunReport } from '../model.js';
import {
  buildMatrix, checkLabel, countVerdicts, describeCounts, headline, isUnexpected, maxUlpOf, SEVERITY, unexpectedOf, verdictWord,
  type MatrixCell,
  reproduction, statusText,
} from './summary.js';
import { tensorHeader } from './tensor-view.js';
import { fmtMs, fmtNum, formatFlushes, formatUlp, mdCode, mdFence, mdPre, mdText, plural } from './text.js';

/** GitHub rejects comments over 65536 characters; leave room for a bot's own wrapper. */
export const MAX_COMMENT_CHARS = 60_000;

export interface MarkdownOptions {
  /** where the full report lives, named in a note when details had to be cut */
  htmlReport?: string;
}

type Detail = 'full' | 'no-snippets' | 'compact' | 'none';

export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  for (const detail of ['full', 'no-snippets', 'compact', 'none'] as Detail[]) {
    const text = render(report, detail, options);
    if (text.length <= MAX_COMMENT_CHARS || detail === 'none') return text;
  }
  throw new Error('unreachable');
}

function render(report: RunReport, detail: Detail, options: MarkdownOptions): string {
  const out: string[] = [];
  out.push(`**${verdictWord(report.verdict)}** · softmax-conformance ${mdText(report.tool.version)} · ${mdText(headline(report))}`);
  out.push('');
  // An ERROR is no verdict on the code: the reviewer reads why where the word is, not only on the job's stderr.
  if (report.verdict === 'error' && report.verdictReason) out.push(`Could not judge: ${mdText(report.verdictReason)}`, '');
  out.push(...unexpectedSection(report));
  out.push(...expectedSection(report, detail === 'none'));
  out.push(...matrixSection(report));
  out.push(...goldenMarkdown(report));
  out.push(...externalMarkdown(report));
  if (detail === 'full' || detail === 'no-snippets') out.push(...detailsSection(report, detail === 'full'));
  else out.push(`_Details omitted to fit a comment; see ${options.htmlReport ? mdCode(options.htmlReport) : 'the HTML report'}._`, '');
  out.push(...runSection(report));
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function unexpectedSection(report: RunReport): string[] {
  const items = unexpectedOf(report);
  if (items.length === 0) {
    return report.verdict === 'incomplete' ? ['The run was interrupted before every check ran.', ''] : ['Nothing unexpected.', ''];
  }
  const lines = [`### Unexpected (${items.length})`, ''];
  for (const u of items) {
    const where = u.check ? `${mdCode(u.impl.id)} · ${mdCode(checkLabel(u.check, report.settings.policy))}` : mdCode(u.impl.id);
    lines.push(`- **${u.verdict}** ${where}: ${mdText(u.why)}`);
  }
  return [...lines, ''];
}

/** Known failures stay visible with their reasons, folded away: they pass the gate. */
function expectedSection(report: RunReport, compact: boolean): string[] {
  const xfails = report.implementations.flatMap((impl) => impl.checks.filter((c) => c.verdict === 'xfail').map((c) => ({ impl, c })));
  if (xfails.length === 0) return [];
  const lines = [`<details><summary>Expected failures (${xfails.length})</summary>`, ''];
  if (compact) {
    // Too long for a comment with every reason: one line per implementation, the reasons are in the HTML report.
    for (const impl of report.implementations) {
      const names = impl.checks.filter((c) => c.verdict === 'xfail').map((c) => checkLabel(c, report.settings.policy));
      if (names.length) lines.push(`- ${mdCode(impl.id)} (${names.length}): ${names.map(mdCode).join(', ')}`);
    }
  } else {
    for (const { impl, c } of xfails) {
      lines.push(`- ${mdCode(impl.id)} · ${mdCode(checkLabel(c, report.settings.policy))}: ${mdText(c.expectation ?? 'expected by the manifest')}. ${mdText(c.diagnosis)}`);
    }
  }
  return [...lines, '', '</details>', ''];
}

/** A cell: "–" for no check, else the counts, bold when something in it fails the gate. */
function cellText(cell: MatrixCell): string {
  if (!cell.worst) return '–';
  const text = SEVERITY.filter((v) => cell.counts[v] > 0)
    .map((v) => (cell.counts[v] === 1 && cell.checks.length === 1 ? v : `${cell.counts[v]} ${v}`))
    .join(' / ');
  return isUnexpected(cell.worst) ? `**${text}**` : text;
}

function matrixSection(report: RunReport): string[] {
  const m = buildMatrix(report);
  if (m.rows.length === 0) return ['No implementations ran.', ''];
  const head = ['implementation', 'verdict', ...m.families.map((f) => mdText(f))];
  const lines = ['### Implementations × check families', '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of m.rows) {
    const verdict = isUnexpected(row.impl.verdict) ? `**${row.impl.verdict}**` : row.impl.verdict;
    const status = row.impl.status === 'ran' ? verdict : `${verdict} (${row.impl.status})`;
    lines.push(`| ${mdCode(row.impl.id)} | ${status} | ${row.cells.map(cellText).join(' | ')} |`);
  }
  lines.push('', 'Cells count checks by verdict; **bold** fails the gate; – means no check of that family.', '');
  return lines;
}

function detailsSection(report: RunReport, snippets: boolean): string[] {
  const lines = ['### Details', ''];
  for (const impl of report.implementations) lines.push(...implDetails(report, impl, snippets));
  return lines;
}

function implDetails(report: RunReport, impl: ImplementationResult, snippets: boolean): string[] {
  const counts = describeCounts(countVerdicts(impl.checks));
  const lines = [`<details><summary><b>${mdCode(impl.id)}</b> · ${impl.verdict}${counts ? ` · ${counts}` : ''}</summary>`, ''];
  lines.push(`- ${mdText(impl.title)} (${impl.language}, ${mdCode(impl.source)})`);
  if (impl.status !== 'ran') lines.push(`- status: ${mdText(statusText(impl))}`);
  if (impl.inferenceSummary) lines.push(`- contract inference: ${mdText(impl.inferenceSummary)}`);
  if (impl.dtypeSummary) lines.push(`- by input dtype: ${mdText(impl.dtypeSummary)}`);
  else if (impl.inference?.length) lines.push(`- consistent with: ${impl.inference.map((i) => `${i.rule} (ranks ${i.ranks.join(', ')})`).join('; ')}`);
  const ulp = maxUlpOf(impl);
  if (ulp !== undefined) lines.push(`- max error: ${formatUlp(ulp)}`);
  lines.push('');
  for (const c of impl.checks.filter((ch) => ch.verdict !== 'pass' && ch.verdict !== 'skip')) {
    lines.push(...checkDetails(report, c, snippets));
  }
  return [...lines, '</details>', ''];
}

function checkDetails(report: RunReport, c: CheckResult, snippets: boolean): string[] {
  const lines = [`#### ${mdCode(checkLabel(c, report.settings.policy))} · ${c.verdict} · ${mdText(c.family)}`, '', mdText(c.diagnosis), ''];
  if (c.expectation) lines.push(`Expected by the manifest: ${mdText(c.expectation)}`, '');
  if (c.stats) {
    const q = c.stats.ulpQuantiles;
    lines.push(`Error over ${c.stats.elements} elements: max ${formatUlp(c.stats.maxUlp)} (p50 ${formatUlp(q.p50)}, p99 ${formatUlp(q.p99)}), max abs ${fmtNum(c.stats.maxAbs)}, max rel ${fmtNum(c.stats.maxRel)}${formatFlushes(c.stats)}.`, '');
  }
  const cx = c.counterexample;
  if (cx) {
    const args = Object.entries(cx.args).map(([k, v]) => `${k}=${v}`).join(', ');
    const replay = cx.seed !== undefined ? `, seed ${cx.seed}${cx.path ? `, path ${mdCode(cx.path)}` : ''}` : '';
    lines.push(`Counterexample ${mdCode(cx.caseId)}: input ${mdCode(tensorHeader(cx.input))}${args ? ` with ${mdCode(args)}` : ''}${replay}.`, '');
    if (cx.error) lines.push(mdPre(cx.error), '');
    if (snippets) { const repro = reproduction(cx); lines.push(mdFence(repro.code, repro.language), ''); }
  }
  return lines;
}

function runSection(report: RunReport): string[] {
  const s = report.settings;
  const e = report.environment;
  const a = report.accounting;
  const env = [`Node ${e.node}`, e.python && `Python ${e.python}`, e.numpy && `NumPy ${e.numpy}`, e.platform].filter(Boolean).join(', ');
  const notRun = a.notRun > 0 ? ` (${Object.entries(a.notRunReasons).map(([r, n]) => `${n} ${mdText(r)}`).join(', ')})` : '';
  return [
    '<details><summary>Run</summary>',
    '',
    `- command: ${mdCode(s.command)}`,
    `- profile ${mdCode(s.profile)}, policy ${mdCode(s.policy)}, seed ${s.seed}, ${plural(s.numRuns, 'run')} per property${s.shard ? `, shard ${mdCode(s.shard)}` : ''}`,
    `- cases: ${a.run} of ${a.planned} run, ${a.notRun} not run${notRun}`,
    `- ${mdText(env)}; ${mdText(report.createdAt)}; took ${fmtMs(report.ms)}`,
    '',
    '</details>',
  ];
}
