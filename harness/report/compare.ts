// Regression review: what changed between two run reports. Checks are matched by implementation id, check name and
// contract (rule and policy: a contract is both, DESIGN.md). The gate is `comparisonExitCode`: 1 on any new failure, or on evidence lost (Comparison.lost).
import type { AxisRule, Policy } from '../contracts.js';
import type { CheckResult, Family, ImplementationResult, RunReport, Verdict } from '../model.js';
import { isUnexpected } from './summary.js';

export { loadReport } from './json.js';
export { refLabel, renderComparisonHtml, renderComparisonMarkdown } from './compare-render.js';

/** Drift is reported when max ULP changes by this factor or more (with 1 as the floor, so 0 -> 1 is not drift)... */
export const DRIFT_RATIO = 2;
/** ...or by at least this many ULPs. */
export const DRIFT_ABS_ULP = 8;

export interface CheckRef {
  implementation: string;
  /** the check name; "(implementation)" stands for an implementation that has no checks (skipped, import error) */
  check: string;
  rule: AxisRule | '-';
  policy: Policy | '-';
  family: Family | '-';
}

export interface CheckSide {
  verdict: Verdict;
  diagnosis: string;
  maxUlp?: number;
  expectation?: string;
}

export interface CheckChange {
  key: string;
  ref: CheckRef;
  before?: CheckSide;
  after?: CheckSide;
}

export interface Drift extends CheckChange {
  before: CheckSide;
  after: CheckSide;
  fromUlp: number;
  toUlp: number;
  direction: 'worse' | 'better';
}

export interface ReportInfo {
  version: string;
  createdAt: string;
  verdict: RunReport['verdict'];
  command: string;
}

export interface Comparison {
  base: ReportInfo;
  next: ReportInfo;
  /** was pass/xfail/skip (or absent), now fail/xpass/error: these fail the gate */
  newFailures: CheckChange[];
  /** was fail/xpass/error, now pass/xfail */
  fixed: CheckChange[];
  /** any other verdict change (fail -> error, xfail -> pass, skip -> pass, ...) */
  otherVerdictChanges: CheckChange[];
  /** same verdict (not pass), different diagnosis */
  changedDiagnoses: CheckChange[];
  drift: Drift[];
  implementationsAdded: string[];
  implementationsRemoved: string[];
  /** checks of implementations present in both reports */
  checksAdded: CheckChange[];
  checksRemoved: CheckChange[];
  /**
   * What the base judged and the new report does not, unexplained by the new run's own selection (`--only`, a
   * shard) or by an implementation that no longer runs here (skipped for a missing library: its status says so):
   * an implementation or a check removed without refreshing the baseline, or a check judged in the base (pass,
   * fail, xfail, xpass) that is `skip` now (no case reached it, or every case was rejected). These fail the gate: a
   * gate that judged less must not pass as if it judged the same (a manifest row or a claim deleted to hide a
   * failure; a run cut to fewer cases).
   */
  lost: { implementations: string[]; checks: CheckChange[] };
  /** set when the reports were judged against different standards: then there is no gate verdict (exit 2) */
  incomparable?: string;
  /** settings that differ between the runs (they can explain drift) */
  settingsChanged: { name: string; before: string; after: string }[];
  unchanged: number;
}

interface Entry {
  ref: CheckRef;
  side: CheckSide;
}

/** The check name standing for an implementation without checks. */
export const IMPLEMENTATION = '(implementation)';

function sideOf(c: CheckResult): CheckSide {
  return { verdict: c.verdict, diagnosis: c.diagnosis, maxUlp: c.stats?.maxUlp, expectation: c.expectation };
}

function entriesOf(report: RunReport): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const add = (ref: CheckRef, side: CheckSide) => {
    let key = [ref.implementation, ref.check, ref.rule, ref.policy].join('\u0000');
    // A report should never repeat a check; if one does, keep both rather than silently dropping one.
    for (let n = 2; out.has(key); n++) key = `${key}\u0000#${n}`;
    out.set(key, { ref, side });
  };
  for (const impl of report.implementations) {
    for (const c of impl.checks) {
      add({ implementation: impl.id, check: c.name, rule: c.contract.rule, policy: c.contract.policy, family: c.family }, sideOf(c));
    }
    // Without checks, the implementation's own verdict is what there is to compare (e.g. it stopped importing).
    if (impl.checks.length === 0) add(implementationRef(impl), { verdict: impl.verdict, diagnosis: impl.statusDetail ?? `implementation ${impl.status}` });
  }
  return out;
}

function implementationRef(impl: ImplementationResult): CheckRef {
  return { implementation: impl.id, check: IMPLEMENTATION, rule: '-', policy: '-', family: '-' };
}

function isDrift(a: number, b: number): boolean {
  if (a === b) return false;
  const ratio = Math.max(a, b) / Math.max(Math.min(a, b), 1);
  return ratio >= DRIFT_RATIO || Math.abs(a - b) >= DRIFT_ABS_ULP;
}

const isFixedTo = (v: Verdict) => v === 'pass' || v === 'xfail';

function infoOf(r: RunReport): ReportInfo {
  return { version: r.tool.version, createdAt: r.createdAt, verdict: r.verdict, command: r.settings.command };
}

function settingsChanges(base: RunReport, next: RunReport): Comparison['settingsChanged'] {
  const pairs: [string, unknown, unknown][] = [
    ['tool version', base.tool.version, next.tool.version],
    ['profile', base.settings.profile, next.settings.profile],
    ['policy', base.settings.policy, next.settings.policy],
    ['seed', base.settings.seed, next.settings.seed],
    ['runs per property', base.settings.numRuns, next.settings.numRuns],
    ['shard', base.settings.shard, next.settings.shard],
    ['python', base.environment.python, next.environment.python],
    ['numpy', base.environment.numpy, next.environment.numpy],
    ['platform', base.environment.platform, next.environment.platform],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([name, a, b]) => ({ name, before: String(a ?? '-'), after: String(b ?? '-') }));
}

export function compareReports(base: RunReport, next: RunReport): Comparison {
  const before = entriesOf(base);
  const after = entriesOf(next);
  const baseImpls = new Set(base.implementations.map((i) => i.id));
  const nextImpls = new Set(next.implementations.map((i) => i.id));
  const c: Comparison = {
    base: infoOf(base),
    next: infoOf(next),
    newFailures: [],
    fixed: [],
    otherVerdictChanges: [],
    changedDiagnoses: [],
    drift: [],
    implementationsAdded: [...nextImpls].filter((id) => !baseImpls.has(id)),
    implementationsRemoved: [...baseImpls].filter((id) => !nextImpls.has(id)),
    checksAdded: [],
    checksRemoved: [],
    settingsChanged: settingsChanges(base, next),
    lost: { implementations: [], checks: [] },
    unchanged: 0,
  };
  const judgedToSkip: CheckChange[] = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    const change: CheckChange = { key, ref: a.ref, before: b?.side, after: a.side };
    if (!b) {
      // Something new that already fails the gate is a new failure, whether its implementation is new or not.
      if (isUnexpected(a.side.verdict)) c.newFailures.push(change);
      if (baseImpls.has(a.ref.implementation)) c.checksAdded.push(change);
      continue;
    }
    const was = b.side.verdict;
    const now = a.side.verdict;
    let noted = false;
    if (was !== now) {
      noted = true;
      if (now === 'skip' && was !== 'error') judgedToSkip.push(change);
      else if (isUnexpected(now) && !isUnexpected(was)) c.newFailures.push(change);
      else if (isUnexpected(was) && isFixedTo(now)) c.fixed.push(change);
      else c.otherVerdictChanges.push(change);
    } else if (now !== 'pass' && a.side.diagnosis !== b.side.diagnosis) {
      noted = true;
      c.changedDiagnoses.push(change);
    }
    const from = b.side.maxUlp;
    const to = a.side.maxUlp;
    if (from !== undefined && to !== undefined && isDrift(from, to)) {
      noted = true;
      c.drift.push({ ...change, before: b.side, after: a.side, fromUlp: from, toUlp: to, direction: to > from ? 'worse' : 'better' });
    }
    if (!noted) c.unchanged++;
  }
  for (const [key, b] of before) {
    if (after.has(key) || !nextImpls.has(b.ref.implementation)) continue;
    c.checksRemoved.push({ key, ref: b.ref, before: b.side });
  }
  c.lost = lostEvidence(c, next, judgedToSkip);
  const why = unfinished(base, next) ?? unjudged(base, next) ?? otherKind(base, next) ?? incomparable(base.settings, next.settings);
  if (why) c.incomparable = why;
  // Worst drift first: that is what a reviewer reads first.
  c.drift.sort((x, y) => y.toUlp / Math.max(y.fromUlp, 1) - x.toUlp / Math.max(x.fromUlp, 1));
  return c;
}

/** The removals that count against the gate (Comparison.lost). */
function lostEvidence(c: Comparison, next: RunReport, judgedToSkip: CheckChange[]): Comparison['lost'] {
  // A shard judges a share of the rows, and --only the rows it names: the others are not lost, just not selected.
  const selected = next.settings.shard !== undefined ? () => false : next.settings.only ? (id: string) => next.settings.only!.includes(id) : () => true;
  const ran = new Set(next.implementations.filter((i) => i.status === 'ran').map((i) => i.id));
  return {
    implementations: c.implementationsRemoved.filter(selected),
    // A check of an implementation that no longer runs here is that implementation's own (skipped or failing)
    // outcome, already compared; the "(implementation)" entry of one that did not run before is not evidence.
    checks: [...judgedToSkip, ...c.checksRemoved.filter((x) => x.ref.check !== IMPLEMENTATION && ran.has(x.ref.implementation))],
  };
}

/**
 * Why two reports cannot be compared for the gate: they were judged against different standards (the tolerance
 * profile, the special-value policy). A verdict that a looser profile turned into a pass is no fix, and one a
 * stricter profile turned into a failure no regression; a CI gate run under another profile than its baseline must
 * not pass on that. Seeds and run counts may differ: the standard is the same.
 */
export function incomparable(base: Pick<RunReport['settings'], 'profile' | 'policy'>, next: Pick<RunReport['settings'], 'profile' | 'policy'>): string | undefined {
  const diffs = ([['tolerance profile', base.profile, next.profile], ['special-value policy', base.policy, next.policy]] as const).filter(([, a, b]) => a !== b);
  if (diffs.length === 0) return undefined;
  return `the reports were judged against different standards (${diffs.map(([n, a, b]) => `${n} ${a} -> ${b}`).join(', ')}), so a changed verdict may be the standard's, not the code's: compare reports of the same profile and policy, or refresh the baseline under the new one`;
}

/** A run's report and an audit's judge different things (a manifest's rows, one candidate). */
function otherKind(base: RunReport, next: RunReport): string | undefined {
  return base.kind !== next.kind ? `the base is the report of ${an(base.kind)}, the new one of ${an(next.kind)}: compare reports of the same command` : undefined;
}
const an = (kind: RunReport['kind']) => (kind === 'audit' ? 'an audit' : 'a run');

/**
 * A report whose verdict is `error` (the tool could not judge: nothing judged, a target that does not exist) is no
 * standard to hold another to, and none to be held: "no regression" against a baseline that judged nothing would be
 * a pass on no evidence.
 */
function unjudged(base: RunReport, next: RunReport): string | undefined {
  const said = (r: RunReport) => (r.verdictReason ? ` (${r.verdictReason})` : '');
  if (base.verdict === 'error') return `the base could not be judged${said(base)}: there is nothing to compare with; keep the report of a run that judged its rows`;
  if (next.verdict === 'error') return `the new report could not be judged${said(next)}: there is no verdict to compare`;
  return undefined;
}

/** A report of an interrupted run is no verdict, so a comparison with it is none either. */
function unfinished(base: RunReport, next: RunReport): string | undefined {
  const which = [base.verdict === 'incomplete' ? 'the base' : '', next.verdict === 'incomplete' ? 'the new report' : ''].filter(Boolean);
  return which.length ? `${which.join(' and ')} ${which.length > 1 ? 'are' : 'is'} incomplete (an interrupted run, written as far as it got): no regression verdict can be drawn from it; run it again to the end` : undefined;
}

/** How many things the base judged that the new report lost (Comparison.lost). */
export const lostCount = (c: Comparison): number => c.lost.implementations.length + c.lost.checks.length;

/** The review gate: 2 when the reports cannot be compared, 1 when the new one has a failure the base did not or lost what the base judged. */
export function comparisonExitCode(c: Comparison): 0 | 1 | 2 {
  if (c.incomparable) return 2;
  return c.newFailures.length > 0 || lostCount(c) > 0 ? 1 : 0;
}
