// What every reporter needs to say about a RunReport, computed once: verdict counts, the unexpected outcomes, the
// implementation x family matrix, labels. Reporters only format these.
import { CHECK_FAMILIES, type CheckResult, type Counterexample, type Family, type ImplementationResult, type RunReport, type Verdict } from '../model.js';

export const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'xfail', 'xpass', 'error', 'skip'];
/** Verdicts that fail the gate. */
export const UNEXPECTED: readonly Verdict[] = ['fail', 'xpass', 'error'];
/** Most serious first: a matrix cell with several checks takes the colour of the worst. */
export const SEVERITY: readonly Verdict[] = ['error', 'fail', 'xpass', 'xfail', 'skip', 'pass'];

export type VerdictCounts = Record<Verdict, number>;

export const isUnexpected = (v: Verdict): boolean => UNEXPECTED.includes(v);

export function emptyCounts(): VerdictCounts {
  return { pass: 0, fail: 0, xfail: 0, xpass: 0, error: 0, skip: 0 };
}

export function countVerdicts(checks: readonly CheckResult[]): VerdictCounts {
  const c = emptyCounts();
  for (const ch of checks) c[ch.verdict]++;
  return c;
}

export function allChecks(report: RunReport): CheckResult[] {
  return report.implementations.flatMap((i) => i.checks);
}

export function worstVerdict(c: VerdictCounts): Verdict | undefined {
  return SEVERITY.find((v) => c[v] > 0);
}

/** The families that occur in the report: the model's order, then golden:<library> sorted. */
export function familiesOf(report: RunReport): Family[] {
  const present = new Set<Family>(allChecks(report).map((c) => c.family));
  const base = CHECK_FAMILIES.filter((f) => present.has(f));
  const golden = [...present].filter((f) => f.startsWith('golden:')).sort();
  return [...base, ...golden];
}

export interface MatrixCell {
  family: Family;
  counts: VerdictCounts;
  /** the worst verdict, absent when the implementation has no check of this family */
  worst?: Verdict;
  checks: CheckResult[];
}

export interface MatrixRow {
  impl: ImplementationResult;
  cells: MatrixCell[];
}

export interface Matrix {
  families: Family[];
  rows: MatrixRow[];
}

export function buildMatrix(report: RunReport): Matrix {
  const families = familiesOf(report);
  const rows = report.implementations.map((impl) => ({
    impl,
    cells: families.map((family) => {
      const checks = impl.checks.filter((c) => c.family === family);
      const counts = countVerdicts(checks);
      return { family, counts, worst: worstVerdict(counts), checks };
    }),
  }));
  return { families, rows };
}

/** "2 fail, 1 pass": the non-zero counts, most serious first. */
export function describeCounts(c: VerdictCounts): string {
  return SEVERITY.filter((v) => c[v] > 0)
    .map((v) => `${c[v]} ${v}`)
    .join(', ');
}

export interface Unexpected {
  impl: ImplementationResult;
  /** absent when the implementation itself is the problem (it failed to import, errored before any check) */
  check?: CheckResult;
  verdict: Verdict;
  /** what to read: the diagnosis, or for xpass the stale expectation */
  why: string;
}

/** Everything that fails the gate, in report order. */
export function unexpectedOf(report: RunReport): Unexpected[] {
  const out: Unexpected[] = [];
  for (const impl of report.implementations) {
    const bad = impl.checks.filter((c) => isUnexpected(c.verdict));
    for (const check of bad) out.push({ impl, check, verdict: check.verdict, why: whyOf(check) });
    if (bad.length === 0 && isUnexpected(impl.verdict)) {
      out.push({ impl, verdict: impl.verdict, why: impl.statusDetail ?? `implementation ${impl.status}` });
    }
  }
  return out;
}

export function whyOf(check: CheckResult): string {
  if (check.verdict === 'xpass') {
    return `expected to fail${check.expectation ? ` (${check.expectation})` : ''} but passed: the manifest's expectation is stale. ${check.diagnosis}`;
  }
  return check.diagnosis;
}

/** A check's label: "overflow [last]", with the policy when it is not the run's. */
export function checkLabel(check: CheckResult, runPolicy?: string): string {
  const { rule, policy } = check.contract;
  return `${check.name} [${rule}${runPolicy !== undefined && policy !== runPolicy ? `, ${policy}` : ''}]`;
}

export function verdictWord(v: RunReport['verdict']): string {
  return v.toUpperCase();
}

/** One sentence under the verdict: what ran and how it came out. */
export function headline(report: RunReport): string {
  const checks = allChecks(report);
  const counts = describeCounts(countVerdicts(checks));
  const n = report.implementations.length;
  return `${report.kind === 'audit' ? 'audit' : 'run'} of ${n} implementation${n === 1 ? '' : 's'}, ${checks.length} check${checks.length === 1 ? '' : 's'}${counts ? `: ${counts}` : ''}`;
}

/** The largest ULP error over an implementation's checks with statistics. */
export function maxUlpOf(impl: ImplementationResult): number | undefined {
  const xs = impl.checks.flatMap((c) => (c.stats ? [c.stats.maxUlp] : []));
  // The unbounded sentinel (2^53) outranks any finite distance, even one larger than it.
  if (xs.includes(2 ** 53)) return 2 ** 53;
  return xs.length ? Math.max(...xs) : undefined;
}

/** A counterexample's reproduction script and its language (JavaScript candidates get JavaScript). */
export function reproduction(cx: Counterexample): { language: 'python' | 'javascript'; code: string } {
  return cx.javascript !== undefined ? { language: 'javascript', code: cx.javascript } : { language: 'python', code: cx.python ?? '' };
}

/** The status detail without a leading repeat of the status ("skipped: not installed" is said once). */
export function statusDetailOf(impl: ImplementationResult): string | undefined {
  return impl.statusDetail?.replace(new RegExp(`^${impl.status}:\\s*`), '') || undefined;
}

/** "skipped: not installed: module x is missing", the status said once. */
export function statusText(impl: ImplementationResult): string {
  const detail = statusDetailOf(impl);
  return detail ? `${impl.status}: ${detail}` : impl.status;
}
