// Checks on the form of the result, needing no reference: dtype, shape (rank), mutation, determinism.
import { resultDType } from '../tensor/dtype.js';
import { bitwiseEqual, describeShape, toNumbers } from '../tensor/tensor.js';
import { primaryProbe, type Check, type Judgement } from './check.js';
import { readOnlyProbes, readOnlyWrite } from './layout.js';
import type { Unit } from '../engine/unit.js';
import type { CallOutcome } from '../worker/types.js';
import { fmtElement, fmtExact, fmtPair, fmtTensor, valueDType, fmtInput } from './format.js';
import { sameShape, usableOutput } from './outcome.js';

export const dtypeCheck: Check = {
  name: 'dtype',
  family: 'dtype',
  description: 'the result has the input\'s float dtype (integers give float64), as NumPy\'s own ufuncs do',
  applies: () => true,
  probes: (unit) => [primaryProbe(unit)],
  judge(unit, [outcome], ctx) {
    const u = usableOutput(outcome, primaryProbe(unit), ctx, false);
    if (!u.ok) return u.judgement;
    const want = resultDType(unit.case.input.dtype);
    const got = outcome.kind === 'ok' && outcome.numpyDtype ? outcome.numpyDtype : u.output.dtype;
    if (got === want) return { status: 'pass' };
    return {
      status: 'fail',
      detail: `returns ${got} for ${unit.case.input.dtype} input (expected ${want})`,
      evidence: { input: unit.case.input, args: unit.args, actual: u.output },
    };
  },
  diagnose: (f) => f[0].detail,
};

/** The result must have exactly the input's shape; `empty` is the same rule on inputs with a length-0 axis. */
function shapeCheck(name: 'rank' | 'empty', description: string, applies: Check['applies'], what: string): Check {
  return {
    name,
    family: name,
    description,
    applies,
    probes: (unit) => [primaryProbe(unit)],
    judge(unit, [outcome], ctx) {
      const u = usableOutput(outcome, primaryProbe(unit), ctx, false);
      if (!u.ok) return u.judgement;
      const x = unit.case.input;
      if (sameShape(u.output.shape, x.shape)) return { status: 'pass' };
      return {
        status: 'fail',
        detail: `returns shape ${describeShape(u.output.shape)} for ${what} of shape ${describeShape(x.shape)}`,
        evidence: { input: x, args: unit.args, actual: u.output },
      };
    },
    diagnose: (f) => f[0].detail,
  };
}

export const rankCheck = shapeCheck('rank', 'the result has exactly the input\'s shape (no dropped, added or broadcast axes)', () => true, 'input');

export const emptyCheck = shapeCheck(
  'empty',
  'inputs with a length-0 axis: an empty result of exactly the same shape (or a clear rejection)',
  (_unit, d) => d.empty,
  'the empty input',
);

export const mutationCheck: Check = {
  name: 'mutation',
  family: 'mutation',
  description: 'the input array is left unchanged (and a read-only one is not written to)',
  applies: () => true,
  probes: (unit) => [primaryProbe(unit), ...readOnlyProbes(unit)],
  judge(unit, [outcome, readOnly]) {
    // NumPy's own words for a write to a read-only input say it best; otherwise, the plain call's change.
    return (readOnly && readOnlyWrite(unit, readOnly)) || judgeInPlace(unit, outcome);
  },
  diagnose: (f) => f[0].detail,
};

/** The plain call: did it change the (writable) input it was given? */
function judgeInPlace(unit: Unit, outcome: CallOutcome): Judgement {
  if (outcome.kind !== 'ok') {
    if (outcome.kind === 'not-run') return { status: 'unjudged', detail: `not run: ${outcome.reason}` };
    // Another check's finding, said as such (engine/check-fold.ts isDeferred): a raise is judged by values.
    const see = outcome.kind === 'raised' ? 'values' : outcome.kind === 'bad-output' ? 'output' : outcome.kind;
    return { status: 'unjudged', detail: `not judged: the call ${outcome.kind === 'raised' ? `raised ${outcome.type}` : `ended with ${outcome.kind}`} (see ${see})` };
  }
  if (!outcome.mutated) return { status: 'pass' };
  const x = unit.case.input;
  const after = outcome.inputAfter;
  let change = '';
  if (after) {
    const a = toNumbers(x);
    const b = toNumbers(after);
    const i = a.findIndex((v, k) => !Object.is(v, b[k]));
    if (i >= 0) change = `: ${fmtElement('input', x.shape, i)} changed from ${fmtExact(a[i], x.dtype)} to ${fmtExact(b[i], after.dtype)}`;
  }
  return {
    status: 'fail',
    detail: `modifies its input in place${change}`,
    evidence: { input: x, args: unit.args, actual: outcome.output, error: after ? `input afterwards: ${fmtTensor(after)}` : undefined },
  };
}

export const determinismCheck: Check = {
  name: 'determinism',
  family: 'determinism',
  description: 'the same call twice gives bit-identical results',
  applies: (_unit, d) => !d.empty,
  probes: (unit) => [primaryProbe(unit), { ...primaryProbe(unit), repeat: 1 }],
  judge(unit, [first, second], ctx) {
    const a = usableOutput(first, primaryProbe(unit), ctx, false);
    const b = usableOutput(second, primaryProbe(unit), ctx, false);
    if (!a.ok) return a.judgement;
    if (!b.ok) return b.judgement;
    if (bitwiseEqual(a.output, b.output)) return { status: 'pass' };
    // Show the first element that differs, exactly: "[1] then [1]" hides a difference in the 17th digit.
    const va = toNumbers(a.output);
    const vb = toNumbers(b.output);
    const i = va.findIndex((v, k) => !Object.is(v, vb[k]));
    const where = i >= 0 && sameShape(a.output.shape, b.output.shape)
      ? `${fmtElement('output', a.output.shape, i)} is ${fmtPair(va[i], vb[i], valueDType(a.output), ' then ')}`
      : `${fmtInput(a.output)} then ${fmtInput(b.output)}`;
    return {
      status: 'fail',
      detail: `two identical calls on ${fmtInput(unit.case.input)} gave different results: ${where}`,
      evidence: { input: unit.case.input, args: unit.args, actual: b.output, expected: a.output },
    };
  },
  diagnose: (f) => f[0].detail,
};
