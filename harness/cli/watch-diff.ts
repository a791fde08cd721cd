// `audit --watch`: what changed between two audits of the same candidate (same seed, so the same inputs): the verdict,
// the checks that newly fail or newly pass, and failing checks whose shrunk counterexample changed.
import { isGateFailure } from '../engine/expectations.js';
import type { CheckResult, RunReport } from '../model.js';
import { sanitizeTerminal } from './terminal.js';

interface CheckState {
  /** "overflow [last]": the family and the contract it was judged against */
  label: string;
  failing: boolean;
  diagnosis: string;
  /** the counterexample's input, call and outcome as one string; equal strings, same counterexample */
  counterexample?: string;
  caseId?: string;
}

export interface AuditSnapshot {
  verdict: RunReport['verdict'];
  /** why it could not judge (verdict error): the candidate may not even import mid-edit */
  reason?: string;
  /** undefined when nothing was judged */
  checks?: Map<string, CheckState>;
}

// Encoded tensors already write NaN and the infinities as strings; this keeps a bare number from collapsing to null.
const exact = (_key: string, v: unknown): unknown => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? String(v) : v);

const labelOf = (c: CheckResult): string => `${c.family} [${c.contract.rule}]`;

export function snapshotOf(report: RunReport): AuditSnapshot {
  const impl = report.implementations[0];
  if (report.verdict === 'error' || !impl || impl.status !== 'ran') {
    return { verdict: 'error', reason: report.verdictReason ?? impl?.statusDetail ?? 'unknown reason' };
  }
  const checks = new Map<string, CheckState>();
  for (const c of impl.checks) {
    const ce = c.counterexample;
    checks.set(`${c.name}\u0000${c.contract.rule}`, {
      label: labelOf(c),
      failing: isGateFailure(c.verdict),
      diagnosis: c.diagnosis,
      ...(ce ? { counterexample: JSON.stringify([ce.input, ce.args, ce.actual, ce.error], exact), caseId: ce.caseId } : {}),
    });
  }
  return { verdict: report.verdict, checks };
}

/** An audit that threw (a usage or environment error, say the file was deleted mid-save) as a snapshot. */
export const errorSnapshot = (message: string): AuditSnapshot => ({ verdict: 'error', reason: message });

export type Change =
  | { kind: 'verdict'; from: AuditSnapshot['verdict']; to: AuditSnapshot['verdict']; reason?: string }
  | { kind: 'now-fails'; label: string; diagnosis: string }
  | { kind: 'now-passes'; label: string }
  | { kind: 'counterexample'; label: string; caseId?: string; diagnosis: string };

/**
 * The changes from `before` to `after`. Checks are compared with `lastJudged`, the latest audit that judged
 * anything: after an audit that could not judge (a syntax error mid-edit), the next one is compared with the one
 * before it, not reported as every check failing anew.
 */
export function diffAudits(before: AuditSnapshot, lastJudged: AuditSnapshot | undefined, after: AuditSnapshot): Change[] {
  const changes: Change[] = [];
  if (before.verdict !== after.verdict || (after.verdict === 'error' && before.reason !== after.reason)) {
    changes.push({ kind: 'verdict', from: before.verdict, to: after.verdict, ...(after.reason ? { reason: after.reason } : {}) });
  }
  if (!after.checks) return changes;
  const old = lastJudged?.checks ?? new Map<string, CheckState>();
  for (const [key, now] of after.checks) {
    const was = old.get(key);
    if (now.failing && !was?.failing) changes.push({ kind: 'now-fails', label: now.label, diagnosis: now.diagnosis });
    else if (!now.failing && was?.failing) changes.push({ kind: 'now-passes', label: now.label });
    else if (now.failing && was?.failing && now.counterexample !== was.counterexample) {
      changes.push({ kind: 'counterexample', label: now.label, diagnosis: now.diagnosis, ...(now.caseId ? { caseId: now.caseId } : {}) });
    }
  }
  // a failing check that is no longer run at all (a different contract set) has stopped failing too
  for (const [key, was] of old) if (was.failing && !after.checks.has(key)) changes.push({ kind: 'now-passes', label: `${was.label} (no longer checked)` });
  return changes;
}

const WORDS: Record<AuditSnapshot['verdict'], string> = { pass: 'CONFORMS', fail: 'DOES NOT CONFORM', error: 'COULD NOT JUDGE', incomplete: 'INCOMPLETE' };

/** The lines printed after a re-audit: one per change, or one saying nothing changed. Candidate text is sanitised. */
export function renderChanges(changes: Change[], after: AuditSnapshot): string[] {
  if (changes.length === 0) {
    const failing = [...(after.checks?.values() ?? [])].filter((c) => c.failing).length;
    return [`  no change: ${WORDS[after.verdict]}${failing ? ` (${failing} failing)` : ''}`];
  }
  return changes.map((c) => {
    switch (c.kind) {
      case 'verdict':
        // a reason can be a whole traceback: its lines indented under the verdict line
        return `  verdict: ${WORDS[c.from]} → ${WORDS[c.to]}${c.to === 'error' && c.reason ? `:\n${sanitizeTerminal(c.reason).trimEnd().split('\n').map((l) => `    ${l}`).join('\n')}` : ''}`;
      case 'now-fails':
        return `  ✗ now fails: ${c.label}: ${sanitizeTerminal(c.diagnosis)}`;
      case 'now-passes':
        return `  ✓ now passes: ${c.label}`;
      case 'counterexample':
        return `  ~ counterexample changed: ${c.label}${c.caseId ? ` (now ${sanitizeTerminal(c.caseId)})` : ''}: ${sanitizeTerminal(c.diagnosis)}`;
    }
  });
}
