// The budget's words: the call plan writes them on the calls it did not make, and the fold counts them apart.
import { describe, expect, it } from 'vitest';
import { budgetReason, isBudgetOutcome, isLostToBudget } from './budget.js';

describe('the time budget\'s words', () => {
  it('say the budget in whole seconds', () => {
    expect(budgetReason(120_000)).toBe("the implementation's time budget of 120 s was used up");
    expect(budgetReason(1_400)).toBe("the implementation's time budget of 1 s was used up");
  });

  it('are recognised on a call never made, and on the case-check it left unjudged, and nothing else is', () => {
    expect(isBudgetOutcome({ kind: 'not-run', reason: budgetReason(5000) })).toBe(true);
    expect(isBudgetOutcome({ kind: 'not-run', reason: 'the candidate timed out on 2 rank-3 inputs, so the rest of them were not sent' })).toBe(false);
    expect(isBudgetOutcome({ kind: 'timeout', limitMs: 10 })).toBe(false);
    expect(isBudgetOutcome({ kind: 'crash', exitCode: 1, signal: null, stderr: budgetReason(5000) })).toBe(false);
    expect(isLostToBudget(`not run: ${budgetReason(5000)}`)).toBe(true);
    expect(isLostToBudget(budgetReason(5000))).toBe(false); // the case-check's words start "not run: "
    expect(isLostToBudget('not judged: the process crashed (see crash)')).toBe(false);
  });
});
