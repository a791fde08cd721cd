// The words for calls left unmade when an implementation's time budget (--budget) runs out. One place, because
// the report counts such cases apart from the candidate's own crashes and timeouts (accounting.notRunReasons, each
// check's cases.outOfBudget): a verdict on part of the planned cases must say how much the budget cut.
import type { CallOutcome } from '../worker/types.js';

const PREFIX = "the implementation's time budget of ";

/** The reason a call that the budget left unmade carries (its CallOutcome `not-run`). */
export function budgetReason(budgetMs: number): string {
  return `${PREFIX}${Math.round(budgetMs / 1000)} s was used up`;
}

/** A case-check's unjudged detail (checks/outcome.ts: "not run: <reason>") that the budget, not the candidate, caused. */
export function isLostToBudget(detail: string): boolean {
  return detail.startsWith(`not run: ${PREFIX}`);
}

/** A call the budget left unmade: a check that needed it could not judge its case for want of time. */
export function isBudgetOutcome(o: CallOutcome): boolean {
  return o.kind === 'not-run' && o.reason.startsWith(PREFIX);
}
