// The exit-code contract (DESIGN.md) in one place: 0 conforms, 1 does not, 2 could not judge, 130 interrupted.
import { EXIT_NONCONFORMING, EXIT_OK, EXIT_USAGE_OR_DATA } from '../errors.js';
import type { RunReport } from '../model.js';

export const EXIT_INTERRUPTED = 130;

export function exitCodeOf(verdict: RunReport['verdict']): number {
  switch (verdict) {
    case 'pass': return EXIT_OK;
    case 'fail': return EXIT_NONCONFORMING;
    case 'error': return EXIT_USAGE_OR_DATA;
    case 'incomplete': return EXIT_INTERRUPTED;
  }
}

/**
 * `run --require-all`: the rows the run skipped (a library or a device missing here), one line each, or '' when
 * every selected row ran. A CI gate whose environment must have every library exits 2 on them, so a broken install
 * cannot pass the gate on the rows that happened to import.
 */
export function skippedRows(report: RunReport): string[] {
  return report.implementations.filter((i) => i.status === 'skipped').map((i) => `${i.id}: ${i.statusDetail ?? 'skipped'}`);
}

/** The line that explains an exit 2 (stderr): why the report is not a verdict. */
export function unjudgedLine(report: RunReport): string {
  return report.verdict === 'error' ? `softmax-conformance: could not judge: ${report.verdictReason ?? 'unknown reason'}\n` : '';
}
