// A StrykerJS reporter that writes the mutation score per file and per module into docs/mutation.md, between the
// markers below, next to the hand-written notes on the survivors. A run of a subset (--mutate) replaces only the rows
// of the files it mutated, so the table adds up subsets measured on different days; each row says when.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const DOC = 'docs/mutation.md';
const START = '<!-- mutation-score:start (written by npm run mutate) -->';
const END = '<!-- mutation-score:end -->';
const ROW = /^\| `([^`]+)` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| [^|]+ \| ([^|]+) \|$/;

/** killed + timeout over everything that was judged (ignored, compile and runtime errors are not). */
const score = (r) => {
  const detected = r.killed + r.timeout;
  const valid = detected + r.survived + r.noCoverage;
  return valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
};

/** The module a file belongs to: its folder, except harness/report/compare.ts, the only file of its folder mutated. */
const moduleOf = (file) => (file === 'harness/report/compare.ts' ? file : file.split('/').slice(0, -1).join('/'));

export function countMutants(files) {
  const rows = {};
  for (const [file, { mutants }] of Object.entries(files)) {
    const r = { killed: 0, timeout: 0, survived: 0, noCoverage: 0 };
    for (const m of mutants) {
      if (m.status === 'Killed') r.killed++;
      else if (m.status === 'Timeout') r.timeout++;
      else if (m.status === 'Survived') r.survived++;
      else if (m.status === 'NoCoverage') r.noCoverage++;
    }
    rows[file.replaceAll('\\', '/')] = r;
  }
  return rows;
}

export function renderBlock(rows) {
  const line = (name, r, when) => `| ${name} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${score(r)} | ${when} |`;
  const head = ['| file | killed | timeout | survived | no coverage | score | measured |', '|---|--:|--:|--:|--:|--:|---|'];
  const files = Object.keys(rows).sort();
  const modules = {};
  for (const f of files) {
    const m = (modules[moduleOf(f)] ??= { killed: 0, timeout: 0, survived: 0, noCoverage: 0 });
    for (const k of Object.keys(m)) m[k] += rows[f][k];
  }
  return [
    START,
    'Per module (the sum of the file rows below):',
    '',
    ...head.map((h) => h.replace('file', 'module').replace(' measured |', '').replace('|---|\n', '').replace(/\|---\|$/, '|')),
    ...Object.entries(modules).map(([m, r]) => line(`**${m}**`, r, '').replace(/ \|  \|$/, ' |')),
    '',
    'Per file:',
    '',
    ...head,
    ...files.map((f) => line(`\`${f}\``, rows[f], rows[f].when)),
    END,
  ].join('\n');
}

export function parseRows(text) {
  const rows = {};
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return rows;
  for (const l of text.slice(a, b).split('\n')) {
    const m = ROW.exec(l.trim());
    if (m) rows[m[1]] = { killed: +m[2], timeout: +m[3], survived: +m[4], noCoverage: +m[5], when: m[6].trim() };
  }
  return rows;
}

export function updateDoc(text, fresh, when) {
  const rows = { ...parseRows(text) };
  for (const [f, r] of Object.entries(fresh)) rows[f] = { ...r, when };
  const block = renderBlock(rows);
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return `${text.trimEnd()}\n\n## Scores\n\n${block}\n`;
  return text.slice(0, a) + block + text.slice(b + END.length);
}

/** The files a run mutated only in part (`--mutate file:10-20`): their counts are not the file's score. */
export function rangedFiles(mutate = []) {
  const RANGE = /:\d+(?::\d+)?-\d+(?::\d+)?$/;
  return new Set(mutate.filter((m) => RANGE.test(m)).map((m) => m.replace(RANGE, '').replaceAll('\\', '/')));
}

class ScoreMarkdownReporter {
  static inject = ['options'];
  constructor(options) {
    this.ranged = rangedFiles(options?.mutate);
  }
  onMutationTestReportReady(report) {
    const rows = countMutants(report.files);
    // A line range's counts would stand in the table as the whole file's: such files keep their row.
    for (const f of this.ranged) delete rows[f];
    const text = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Mutation testing\n';
    writeFileSync(DOC, updateDoc(text, rows, new Date().toISOString().slice(0, 10)));
  }
}

export const strykerPlugins = [{ kind: 'Reporter', name: 'score-markdown', injectableClass: ScoreMarkdownReporter }];
