// Memory layouts: the same values handed over in Fortran order, as a transposed, strided or negative-stride view,
// misaligned, read-only or as a 0-stride broadcast must give a result as right as C order. A function that reads
// the buffer in memory order (a C extension or a Numba kernel that assumes C order) fails here and only here.
import { compareToOracle } from '../tolerance/profiles.js';
import { describeLayout, type MemoryLayout } from '../tensor/layout.js';
import { valueAt } from '../tensor/tensor.js';
import type { Unit } from '../engine/unit.js';
import { judgeAgainstOracle } from './against-oracle.js';
import { primaryProbe, type Check, type Judgement, type Probe } from './check.js';
import type { CallOutcome } from '../worker/types.js';
import { fmtIndex, fmtShort, fmtTensor } from './format.js';
import { firstLine, inExpectedDtype, usableOutput } from './outcome.js';

/** The plain call with the input in the case's layout. */
export function layoutProbe(unit: Unit): Probe {
  return { input: unit.case.input, args: { ...unit.args, layout: unit.case.layout } };
}

/** NumPy's messages for a write to a read-only array (in-place ufunc, item assignment, out=). */
const READ_ONLY = /read-only|readonly|not writeable|non-writeable/i;

const isReadOnly = (l: MemoryLayout | undefined): boolean => l?.kind === 'readonly' || l?.kind === 'broadcast';

export const layoutCheck: Check = {
  name: 'layout',
  family: 'layout',
  description:
    'the same values in another memory layout (Fortran order, transposed and swapped-axes views, negative and non-unit strides, misaligned, read-only, broadcast) give a result as right as in C order',
  applies: (unit, d) => unit.case.layout !== undefined && unit.case.layout.kind !== 'c' && !d.empty,
  probes: (unit) => [primaryProbe(unit), layoutProbe(unit)],
  judge(unit, [plain, laid], ctx) {
    const layout = unit.case.layout!;
    const where = describeLayout(layout, ctx.language);
    // Only a right C-order result makes a layout difference a finding; a wrong one belongs to another family.
    const c = judgeAgainstOracle(unit, plain, ctx);
    if (c.status === 'unjudged') return c; // the C-order call crashed, timed out...: that family's finding
    if (c.status !== 'pass') return { status: 'unjudged', detail: `not judged: the C-order call ${c.status === 'rejected' ? 'rejected the input' : 'is not right either'} (see values)` };
    if (laid.kind === 'raised' && isReadOnly(layout) && READ_ONLY.test(laid.message)) {
      return { status: 'unjudged', detail: 'not judged: it writes to its read-only input (see mutation)' };
    }
    const probe = layoutProbe(unit);
    if (laid.kind === 'raised') {
      const text = `raised ${laid.type}${laid.message ? `: ${firstLine(laid.message)}` : ''}`;
      return {
        status: 'fail',
        detail: `fails on the same values in ${where} (C order: right): ${text} on ${fmtTensor(unit.case.input)}`,
        evidence: { input: unit.case.input, args: probe.args, error: text },
      };
    }
    const usable = usableOutput(laid, probe, ctx);
    if (!usable.ok) return usable.judgement; // a raise is handled above: the rest are other families' findings
    const actual = inExpectedDtype(usable.output, unit.case.input);
    const expected = ctx.oracle(unit.case.input, unit.axes);
    const cmp = compareToOracle(actual, expected, { input: unit.case.input, axes: unit.axes, log: ctx.op === 'log-softmax' }, ctx.profile);
    if (cmp.pass) return { status: 'pass' };
    const w = cmp.worst;
    const plainOut = plain.kind === 'ok' ? inExpectedDtype(plain.output, unit.case.input) : undefined;
    const at = w
      ? `at ${fmtIndex(actual.shape, w.index)} it returns ${fmtShort(w.actual)} where C order gives ${plainOut ? fmtShort(valueAt(plainOut, w.index)) : '?'} and the correctly rounded value is ${fmtShort(w.expected)}`
      : `${cmp.failing} elements are out of tolerance`;
    return {
      status: 'fail',
      detail: `gives a different result for the same values in ${where} (C order: right): on ${fmtTensor(unit.case.input)}, ${at}`,
      evidence: { input: unit.case.input, args: probe.args, actual: usable.output, expected },
    };
  },
  diagnose: (f) => f[0].detail,
};

/**
 * For the mutation check: a read-only input (writeable=False, or a broadcast view) that the function writes to
 * raises NumPy's ValueError; that is a mutation, reported with its message. Undefined when the call shows none.
 */
export function readOnlyWrite(unit: Unit, outcome: CallOutcome): Judgement | undefined {
  if (outcome.kind !== 'raised' || !READ_ONLY.test(outcome.message)) return undefined;
  const text = `${outcome.type}: ${firstLine(outcome.message)}`;
  return {
    status: 'fail',
    detail: `writes to its input: given ${describeLayout(unit.case.layout!)} it raises ${text}`,
    evidence: { input: unit.case.input, args: layoutProbe(unit).args, error: text },
  };
}

/** The extra probe the mutation check makes: the call with a read-only input, where the case has one. */
export function readOnlyProbes(unit: Unit): Probe[] {
  return isReadOnly(unit.case.layout) && !unit.case.input.shape.includes(0) ? [layoutProbe(unit)] : [];
}
