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
