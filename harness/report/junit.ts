// JUnit XML for CI test-report parsers: one <testsuite> per implementation, one <testcase> per check
// (classname = implementation id, name = "check [rule]").
//
// Verdict mapping (the conventions of pytest's junitxml, which every CI parser already handles):
//   pass  -> plain testcase
//   fail  -> <failure message=diagnosis type=family>, body = counterexample and Python snippet
//   xpass -> <failure type="xpass">: the manifest's expected failure is stale, which fails the gate
//   error -> <error message=diagnosis>: the harness could not judge
//   xfail -> <skipped type="xfail" message="expected failure: reason">. Not a plain pass: dashboards (GitHub test
//            reporters, GitLab, Jenkins) then count known failures separately and show the reason, and they still
//            do not fail the build.
//   skip  -> <skipped message=reason>
//
// A small writer rather than junit-report-builder (v5), because that package cannot put a message on <skipped>
// (so skip and xfail reasons would be lost to parsers), replaces only the first "]]>" in CDATA (candidate text with
// two breaks the XML), and its default export is a shared mutable builder. Here text is escaped, never CDATA, and
// cleaned of characters XML 1.0 forbids (text.ts), and the counts come from the same list the cases are written from.
import type { CheckResult, ImplementationResult, RunReport } from '../model.js';
import { checkLabel, reproduction } from './summary.js';
import { tensorHeader } from './tensor-view.js';
import { escapeXml, escapeXmlAttr, firstLine } from './text.js';

type Outcome =
  | { kind: 'pass' }
  | { kind: 'failure' | 'error'; message: string; type: string; body: string }
  | { kind: 'skipped'; message: string; type?: string };

interface Case {
  classname: string;
  name: string;
  seconds: number;
  outcome: Outcome;
  systemOut?: string;
}

const attr = (name: string, value: string | number) => ` ${name}="${escapeXmlAttr(String(value))}"`;
const secs = (ms: number) => (ms / 1000).toFixed(3);

function counterexampleText(c: CheckResult): string {
  const cx = c.counterexample;
  if (!cx) return c.diagnosis;
  const lines = [c.diagnosis, '', `counterexample ${cx.caseId}: input ${tensorHeader(cx.input)}`];
  const args = Object.entries(cx.args).map(([k, v]) => `${k}=${v}`).join(', ');
  if (args) lines.push(`arguments: ${args}`);
  if (cx.seed !== undefined) lines.push(`replay: seed ${cx.seed}${cx.path ? `, path ${cx.path}` : ''}`);
  if (cx.error) lines.push('', 'error:', cx.error);
  const repro = reproduction(cx);
  lines.push('', `# reproduce (${repro.language}):`, repro.code);
  return lines.join('\n');
}

function outcomeOf(c: CheckResult): Outcome {
  switch (c.verdict) {
    case 'pass':
      return { kind: 'pass' };
    case 'fail':
      return { kind: 'failure', message: firstLine(c.diagnosis, 500), type: c.family, body: counterexampleText(c) };
    case 'xpass':
      return {
        kind: 'failure',
        type: 'xpass',
        message: `expected to fail${c.expectation ? ` (${firstLine(c.expectation, 300)})` : ''} but passed: update the manifest`,
        body: c.diagnosis,
      };
    case 'error':
      return { kind: 'error', message: firstLine(c.diagnosis, 500), type: c.family, body: counterexampleText(c) };
    case 'xfail':
      return { kind: 'skipped', type: 'xfail', message: `expected failure: ${firstLine(c.expectation ?? c.diagnosis, 500)}` };
    case 'skip':
      return { kind: 'skipped', message: firstLine(c.diagnosis, 500) };
  }
}

function casesOf(report: RunReport, impl: ImplementationResult): Case[] {
  const cases: Case[] = impl.checks.map((c) => ({
    classname: impl.id,
    name: checkLabel(c, report.settings.policy),
    seconds: c.ms,
    outcome: outcomeOf(c),
    systemOut: c.verdict === 'xfail' ? counterexampleText(c) : undefined,
  }));
  // An implementation without checks (skipped, failed to import) still shows up, so CI sees it.
  if (cases.length === 0) {
    const detail = impl.statusDetail ?? `implementation ${impl.status}`;
    const v = impl.verdict;
    const outcome: Outcome =
      v === 'pass' ? { kind: 'pass' }
      : v === 'skip' || v === 'xfail' ? { kind: 'skipped', message: firstLine(detail, 500), type: v === 'xfail' ? 'xfail' : undefined }
      : { kind: v === 'error' ? 'error' : 'failure', message: firstLine(detail, 500), type: impl.status, body: detail };
    cases.push({ classname: impl.id, name: `(implementation) [${impl.status}]`, seconds: 0, outcome });
  }
  return cases;
}

function caseXml(c: Case): string {
  const open = `    <testcase${attr('classname', c.classname)}${attr('name', c.name)}${attr('time', secs(c.seconds))}`;
  const inner: string[] = [];
  const o = c.outcome;
  if (o.kind === 'failure' || o.kind === 'error') {
    inner.push(`      <${o.kind}${attr('message', o.message)}${attr('type', o.type)}>${escapeXml(o.body)}</${o.kind}>`);
  } else if (o.kind === 'skipped') {
    inner.push(`      <skipped${attr('message', o.message)}${o.type ? attr('type', o.type) : ''}/>`);
  }
  if (c.systemOut) inner.push(`      <system-out>${escapeXml(c.systemOut)}</system-out>`);
  return inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  seconds: number;
}

function countsOf(cases: Case[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
    seconds: cases.reduce((s, c) => s + c.seconds, 0),
  };
}

const countAttrs = (n: Counts) =>
  `${attr('tests', n.tests)}${attr('failures', n.failures)}${attr('errors', n.errors)}${attr('skipped', n.skipped)}${attr('time', secs(n.seconds))}`;

function properties(report: RunReport): string {
  const s = report.settings;
  const e = report.environment;
  const props: [string, string | undefined][] = [
    ['command', s.command], ['profile', s.profile], ['policy', s.policy], ['seed', String(s.seed)], ['numRuns', String(s.numRuns)],
    ['shard', s.shard], ['node', e.node], ['python', e.python], ['numpy', e.numpy], ['platform', e.platform],
    ['tool', `${report.tool.name} ${report.tool.version}`],
  ];
  const items = props.filter(([, v]) => v !== undefined).map(([k, v]) => `      <property${attr('name', k)}${attr('value', v!)}/>`);
  return `    <properties>\n${items.join('\n')}\n    </properties>`;
}

export function renderJunit(report: RunReport): string {
  // JUnit's timestamp is ISO 8601 without a zone; createdAt is UTC.
  const timestamp = report.createdAt.replace(/(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, '');
  const suites = report.implementations.map((impl) => {
    const cases = casesOf(report, impl);
    const n = countsOf(cases);
    return { xml: `  <testsuite${attr('name', impl.id)}${countAttrs(n)}${attr('timestamp', timestamp)}>\n${properties(report)}\n${cases.map(caseXml).join('\n')}\n  </testsuite>`, n };
  });
  const total = suites.reduce<Counts>(
    (t, { n }) => ({ tests: t.tests + n.tests, failures: t.failures + n.failures, errors: t.errors + n.errors, skipped: t.skipped + n.skipped, seconds: t.seconds + n.seconds }),
    { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 },
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${attr('name', 'softmax-conformance')}${countAttrs(total)}>\n${suites.map((s) => s.xml).join('\n')}\n</testsuites>\n`;
}
