// The manifest's expected failures make the gate: a failure it expects is xfail (passes the gate), an expected
// failure that no longer happens is xpass (fails the gate: the manifest is stale), anything else stays as it is.
import type { CheckResult } from '../model.js';

export interface ExpectedFailure {
  contract: string;
  check: string;
  reason: string;
}

export function applyExpectations(results: CheckResult[], expected: readonly ExpectedFailure[]): CheckResult[] {
  return results.map((r) => {
    const e = expected.find((x) => x.check === r.name && x.contract === r.contract.rule);
    if (!e) return r;
    switch (r.verdict) {
      case 'fail':
        return { ...r, verdict: 'xfail', expectation: e.reason };
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
  return v === 'fail' || v === 'xpass' || v === 'error';
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
