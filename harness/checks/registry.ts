// Every check the harness runs, in report order.
import type { Check } from './check.js';
import { infinityCheck, nanCheck, overflowCheck, singletonCheck, underflowCheck, valuesCheck } from './against-oracle.js';
import { axisCheck } from './axis.js';
import { crashCheck, memoryCheck, outputCheck, timeoutCheck, type OutcomeCheck } from './outcome-checks.js';
import { batchIndependenceCheck, permutationCheck, shiftInvarianceCheck, temperatureCheck } from './relations.js';
import { logRangeCheck, logSumToOneCheck, orderCheck, rangeCheck, sumToOneCheck } from './slice-properties.js';
import { layoutCheck } from './layout.js';
import { LOGSUMEXP_CHECKS } from './logsumexp.js';
import type { Op } from '../ops.js';
import { determinismCheck, dtypeCheck, emptyCheck, mutationCheck, rankCheck } from './structure.js';

export const ALL_CHECKS: (Check | OutcomeCheck)[] = [
  valuesCheck, overflowCheck, underflowCheck, axisCheck, batchIndependenceCheck, sumToOneCheck, rangeCheck,
  shiftInvarianceCheck, orderCheck, permutationCheck, temperatureCheck, rankCheck, singletonCheck, emptyCheck,
  dtypeCheck, mutationCheck, layoutCheck, nanCheck, infinityCheck, determinismCheck, crashCheck, timeoutCheck, memoryCheck, outputCheck,
];

/**
 * The checks for one operation. log-softmax: the same checks as softmax (the oracle is log-softmax's) except the
 * probability properties, replaced by their log forms (<= 0; exp sums to one). logsumexp: its own (checks/logsumexp.ts).
 */
export function checksFor(op: Op): (Check | OutcomeCheck)[] {
  if (op === 'softmax') return ALL_CHECKS;
  if (op === 'log-softmax') {
    return ALL_CHECKS.map((c) => (c === sumToOneCheck ? logSumToOneCheck : c === rangeCheck ? logRangeCheck : c));
  }
  return LOGSUMEXP_CHECKS;
}

export function checksNamed(names?: string[]): (Check | OutcomeCheck)[] {
  if (!names || names.length === 0) return ALL_CHECKS;
  return ALL_CHECKS.filter((c) => names.includes(c.name));
}
