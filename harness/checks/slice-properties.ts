// Reference-free properties of each normalised slice: sums to one, lies in [0, 1], keeps the order of its inputs.
// They apply where the plain exps are representable (no overflow/underflow inputs): those inputs have their own
// families, and a NaN there would otherwise be reported three times.
import { resultDType } from '../tensor/dtype.js';
import { slicesOver, toNumbers } from '../tensor/tensor.js';
import type { Domains } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import { primaryProbe, type Check, type Judgement } from './check.js';
import { fmtIndex, fmtShort, fmtTensor } from './format.js';
import { usableOutput } from './outcome.js';

const UNIT_ROUNDOFF = { float64: 2 ** -53, float32: 2 ** -24, float16: 2 ** -11, bfloat16: 2 ** -8 } as const;

const representable = (d: Domains) => !d.nan && !d.infinity && !d.overflow && !d.underflow && !d.empty;

function sliceCheck(
  name: 'sum-to-one' | 'range' | 'order',
  description: string,
  judgeSlices: (unit: Unit, x: Float64Array, y: Float64Array, slices: readonly (readonly number[])[]) => string | undefined,
): Check {
  return {
    name,
    family: name,
    description,
    applies: (_unit, d) => representable(d),
    probes: (unit) => [primaryProbe(unit)],
    judge(unit, [outcome], ctx): Judgement {
      const u = usableOutput(outcome, primaryProbe(unit), ctx);
      if (!u.ok) return u.judgement;
      const x = toNumbers(unit.case.input);
      const y = toNumbers(u.output);
      const problem = judgeSlices(unit, x, y, slicesOver(unit.case.input.shape, unit.axes));
      if (!problem) return { status: 'pass' };
      return {
        status: 'fail',
        detail: `on ${fmtTensor(unit.case.input)}, ${problem}`,
        evidence: { input: unit.case.input, args: unit.args, actual: u.output, expected: ctx.oracle(unit.case.input, unit.axes) },
      };
    },
    diagnose: (f) => f[0].detail,
  };
}

/** Sum with Neumaier compensation, so the check's own rounding does not count against the implementation. */
function exactishSum(values: number[]): number {
  let s = 0;
  let c = 0;
  for (const v of values) {
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

export const sumToOneCheck = sliceCheck(
  'sum-to-one',
  'every slice along the contract\'s axes sums to 1 (within a few roundings per element, scaled by the slice\'s spread)',
  (unit, x, y, slices) => {
    const eps = UNIT_ROUNDOFF[resultDType(unit.case.input.dtype)];
    for (const s of slices) {
      const sum = exactishSum(s.map((i) => y[i]));
      // Rounding x_i - max (or a log-sum-exp) costs up to |x_i - max| * eps relative per element: allow for it,
      // since this check looks for normalising over the wrong set, which is off by far more.
      const spread = Math.max(...s.map((i) => x[i])) - Math.min(...s.map((i) => x[i]));
      const allowed = eps * (8 + 2 * s.length) * (1 + spread);
      if (!(Math.abs(sum - 1) <= allowed)) {
        const off = sum - 1;
        const shown = Math.abs(off) < 1e-6 ? `1 ${off < 0 ? '-' : '+'} ${Math.abs(off).toExponential(2)}` : fmtShort(sum);
        return `the slice starting at ${fmtIndex(unit.case.input.shape, s[0])} along axes (${unit.axes.join(', ')}) sums to ${shown}, not 1`;
      }
    }
    return undefined;
  },
);

export const rangeCheck = sliceCheck('range', 'every output lies in [0, 1] and is not NaN', (unit, _x, y) => {
  const i = y.findIndex((v) => !(v >= 0 && v <= 1));
  return i < 0 ? undefined : `output${fmtIndex(unit.case.input.shape, i)} is ${fmtShort(y[i])}, outside [0, 1]`;
});

export const orderCheck = sliceCheck(
  'order',
  'within a slice a larger input never gets a smaller probability, and equal inputs get equal ones',
  (unit, x, y, slices) => {
    for (const s of slices) {
      const sorted = [...s].sort((a, b) => x[a] - x[b]);
      for (let k = 1; k < sorted.length; k++) {
        const lo = sorted[k - 1];
        const hi = sorted[k];
        const bad = x[lo] === x[hi] ? y[lo] !== y[hi] : y[lo] > y[hi];
        if (bad) {
          const shape = unit.case.input.shape;
          return `input${fmtIndex(shape, lo)} = ${fmtShort(x[lo])} ≤ input${fmtIndex(shape, hi)} = ${fmtShort(x[hi])} but the outputs are ${fmtShort(y[lo])} and ${fmtShort(y[hi])}`;
        }
      }
    }
    return undefined;
  },
);

// log-softmax's forms of the two probability properties (registry.ts swaps them in for --op log-softmax).

export const logSumToOneCheck = sliceCheck(
  'sum-to-one',
  'log-softmax: the exp of every slice along the contract\'s axes sums to 1 (within a few roundings per element)',
  (unit, _x, y, slices) => {
    const eps = UNIT_ROUNDOFF[resultDType(unit.case.input.dtype)];
    for (const s of slices) {
      const sum = exactishSum(s.map((i) => Math.exp(y[i])));
      // An absolute error d in y_i moves exp(y_i) by exp(y_i) d, and a careful log-softmax's d is a few roundings of
      // |y_i|; exp(y) |y| <= 1/e, so the slice's spread does not enter (unlike softmax's x_i - max).
      const allowed = eps * (8 + 2 * s.length);
      if (!(Math.abs(sum - 1) <= allowed)) {
        const off = sum - 1;
        const shown = Math.abs(off) < 1e-6 ? `1 ${off < 0 ? '-' : '+'} ${Math.abs(off).toExponential(2)}` : fmtShort(sum);
        return `the exp of the slice starting at ${fmtIndex(unit.case.input.shape, s[0])} along axes (${unit.axes.join(', ')}) sums to ${shown}, not 1`;
      }
    }
    return undefined;
  },
);

export const logRangeCheck = sliceCheck('range', 'log-softmax: every output is <= 0 and is not NaN', (unit, _x, y) => {
  const i = y.findIndex((v) => !(v <= 0));
  return i < 0 ? undefined : `log-softmax output${fmtIndex(unit.case.input.shape, i)} is ${fmtShort(y[i])}, not <= 0`;
});
