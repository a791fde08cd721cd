// The terminal summary: verdict, counts per verdict, one line per unexpected outcome. Colour only on a TTY and
// never when NO_COLOR is set (https://no-color.org) or TERM=dumb; candidate text is cleaned of escape sequences
// either way, so a candidate cannot repaint the terminal.
import { OUT_OF_BUDGET, type RunReport, type Verdict } from '../model.js';
import { checkLabel, countVerdicts, allChecks, SEVERITY, unexpectedOf, verdictWord } from './summary.js';
import { cleanText, firstLine, fmtMs, plural } from './text.js';
import { sandboxLine } from './sandbox-line.js';
import { coverageSummary } from '../engine/coverage.js';

export interface ConsoleOptions {
  color: boolean;
}

/** Whether to colour output written to a stream with this TTY-ness under this environment. */
export function shouldColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

const CODES: Record<string, [number, number]> = { red: [31, 39], green: [32, 39], yellow: [33, 39], magenta: [35, 39], gray: [90, 39], bold: [1, 22] };
const VERDICT_COLOR: Record<Verdict | 'incomplete', string> = {
  pass: 'green', fail: 'red', xfail: 'yellow', xpass: 'magenta', error: 'red', skip: 'gray', incomplete: 'red',
};

export function renderConsole(report: RunReport, options: ConsoleOptions): string {
  const paint = (style: string, s: string) => (options.color ? `\u001b[${CODES[style][0]}m${s}\u001b[${CODES[style][1]}m` : s);
  const verdict = (v: Verdict | 'incomplete', text: string = v) => paint(VERDICT_COLOR[v], text);
  const counts = countVerdicts(allChecks(report));
  const lines: string[] = [];
  // The trust level first: a verdict on candidates that ran unsandboxed is only as good as their good faith.
  lines.push(report.sandbox?.sandboxed === false ? paint('bold', sandboxLine(report.sandbox)) : sandboxLine(report.sandbox));
  lines.push(`${paint('bold', verdict(report.verdict, verdictWord(report.verdict)))}  softmax-conformance ${report.kind}: ${plural(report.implementations.length, 'implementation')}, ${plural(allChecks(report).length, 'check')} in ${fmtMs(report.ms)}`);
  lines.push(`  ${SEVERITY.filter((v) => counts[v] > 0).map((v) => `${verdict(v, String(counts[v]))} ${v}`).join(', ') || 'no checks'}`);
  const bad = unexpectedOf(report);
  if (bad.length) {
    lines.push('', `Unexpected (${bad.length}):`);
    for (const u of bad) {
      const where = u.check ? `${u.impl.id} ${checkLabel(u.check, report.settings.policy)}` : u.impl.id;
      lines.push(`  ${verdict(u.verdict, u.verdict.padEnd(5))} ${cleanText(where)}: ${firstLine(u.why, 160)}`);
    }
  }
  const elsewhere = report.implementations.filter((i) => i.platform);
  if (elsewhere.length) {
    lines.push('', `Platform findings (rows verified on another platform; not regressions):`);
    for (const i of elsewhere) {
      lines.push(`  ${cleanText(i.id)}: verified with ${cleanText(i.platform!.verifiedOn)}; here ${cleanText(i.platform!.differences.join('; '))}`);
      for (const f of i.platform!.findings) lines.push(`    ${firstLine(f, 160)}`);
    }
  }
  lines.push(...skippedLines(report, paint));
  // One coverage line per implementation (the cases are the same for all in a run, but a skipped one reached none).
  const covered = report.implementations.filter((i) => i.coverage);
  if (covered.length) {
    lines.push('', 'Coverage:');
    for (const impl of covered) lines.push(`  ${cleanText(impl.id)}: ${coverageSummary(impl.coverage!, 3)}`);
  }
  const a = report.accounting;
  if (a.notRun > 0) lines.push('', paint('gray', `${a.notRun} of ${a.planned} cases not run (${Object.entries(a.notRunReasons).map(([why, n]) => `${n}: ${why}`).join('; ')})`));
  // Where the time budget cut an implementation short, its verdict covers only what ran: said where it is read.
  const cut = report.implementations.filter((i) => i.checks.some((c) => (c.cases.outOfBudget ?? 0) > 0)).map((i) => cleanText(i.id));
  if (cut.length) lines.push(paint('yellow', `time budget ran out for ${cut.join(', ')}: ${a.notRunReasons[OUT_OF_BUDGET] ?? 0} case-checks not run; their verdicts cover only the rest (raise it with --budget)`));
  return `${lines.join('\n')}\n`;
}

const PIP = 'python3 -m pip install ';

/**
 * The implementations that did not run, each with why, then the commands that install what they need: pip installs
 * merged into one line, each a command to paste as is (nothing else on its line).
 */
export function skippedLines(report: RunReport, paint: (style: string, s: string) => string = (_s, t) => t): string[] {
  const skipped = report.implementations.filter((i) => i.status === 'skipped');
  if (skipped.length === 0) return [];
  const lines = ['', `Skipped (${skipped.length}):`];
  for (const impl of skipped) {
    const why = (impl.statusDetail ?? 'skipped').replace(/^skipped:\s*/, '').replace(/;\s*install it with `[^`]*`$/, '');
    lines.push(`  ${paint('gray', 'skip ')} ${cleanText(impl.id)}: ${firstLine(why, 160)}`);
  }
  const commands = [...new Set(skipped.flatMap((i) => (i.installCommand ? [cleanText(i.installCommand).trim()] : [])))];
  const pip = commands.filter((c) => c.startsWith(PIP)).flatMap((c) => c.slice(PIP.length).trim().split(/\s+/));
  const merged = [...(pip.length ? [`${PIP}${[...new Set(pip)].join(' ')}`] : []), ...commands.filter((c) => !c.startsWith(PIP))];
  if (merged.length) lines.push(`To run ${skipped.length === 1 ? 'it' : 'them'}, install what ${skipped.length === 1 ? 'it needs' : 'they need'}:`, ...merged.map((c) => `  ${c}`));
  return lines;
}
