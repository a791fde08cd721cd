// The manifest's expected failures make the gate: a failure it expects is xfail (passes the gate), an expected
// failure that no longer happens is xpass (fails the gate: the manifest is stale), anything else stays as it is.
import type { CheckResult } from '../model.js';
import type { DType } from '../tensor/dtype.js';

export interface ExpectedFailure {
  contract: string;
  check: string;
  reason: string;
  /** the input dtypes it fails on: a failure of the check on any other dtype is not expected (absent: any dtype) */
  dtypes?: readonly string[];
}

/** A failing check's input dtypes, each with its smallest failure's sentence: what a scoped expectation is held to. */
export type FailedByDtype = ReadonlyMap<DType, string>;

/** A scoped expectation's failures outside its dtypes: [dtype, sentence]. */
function beyondScope(failed: FailedByDtype | undefined, e: ExpectedFailure): [DType, string][] {
  if (!e.dtypes || !failed) return [];
  return [...failed].filter(([d]) => !e.dtypes!.includes(d));
}

/** `failedByDtype[k]`: the failures by input dtype of results[k] (absent: not known, and no scope is held to them). */
export function applyExpectations(results: CheckResult[], expected: readonly ExpectedFailure[], failedByDtype: readonly (FailedByDtype | undefined)[] = []): CheckResult[] {
  return results.map((r, k) => {
    const e = expected.find((x) => x.check === r.name && x.contract === r.contract.rule);
    if (!e) return r;
    switch (r.verdict) {
      case 'fail': {
        // Expected on some dtypes only: a failure on another one is new, and the expectation must not hide it.
        const beyond = beyondScope(failedByDtype[k], e);
        if (beyond.length) {
          const [dtype, sentence] = beyond[0];
          const others = beyond.slice(1).map(([d]) => d);
          return {
            ...r,
            expectation: e.reason,
            diagnosis: `fails on ${dtype} inputs${others.length ? ` (and ${others.join(', ')})` : ''}, beyond its expected failure on ${e.dtypes!.join(', ')} only: ${sentence}`,
          };
        }
        return { ...r, verdict: 'xfail', expectation: e.reason };
      }
      case 'pass':
        return { ...r, verdict: 'xpass', expectation: e.reason, diagnosis: `expected to fail (${e.reason}) but it passed: ${r.diagnosis}` };
      case 'skip':
        return { ...r, verdict: 'error', expectation: e.reason, diagnosis: `the manifest expects a failure, but no case exercised this check: ${r.diagnosis}` };
      default:
        return { ...r, expectation: e.reason };
    }
  });
}

/** Verdicts that fail the gate. */
export function isGateFailure(v: CheckResult['verdict']): boolean {
  return isFailure(v) || v === 'error';
}

/**
 * Verdicts that show the code does not conform, or no longer fails as the manifest says (exit 1). `error` fails the
 * gate too, but shows nothing about the code: the check judged no case (exit 2 when nothing else failed).
 */
export function isFailure(v: CheckResult['verdict']): boolean {
  return v === 'fail' || v === 'xpass';
}

/**
 * A library row run on a platform its expectations were not verified on (other versions, other kernel-selecting
 * CPU features): an outcome that differs from the manifest is a finding about this platform, not a regression.
 * Unexpected failures become xfail, vanished expected failures pass, each noted; `findings` lists them.
 */
export function applyPlatform(results: CheckResult[], differences: string[]): { checks: CheckResult[]; findings: string[] } {
  const findings: string[] = [];
  const note = `not verified on this platform (${differences.join('; ')})`;
  const checks = results.map((r): CheckResult => {
    const label = `${r.name} [${r.contract.rule}]`;
    if (r.verdict === 'fail') {
      findings.push(`${label} fails here: ${r.diagnosis}`);
      return { ...r, verdict: 'xfail', expectation: `platform finding: ${note}`, diagnosis: `fails on this platform only (${note}): ${r.diagnosis}` };
    }
    if (r.verdict === 'xpass') {
      findings.push(`${label} no longer fails here`);
      return { ...r, verdict: 'pass', diagnosis: `the manifest's expected failure is not seen on this platform (${note}): ${r.diagnosis}` };
    }
    return r;
  });
  return { checks, findings };
}
