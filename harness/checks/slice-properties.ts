// Reference-free properties of each normalised slice: sums to one, lies in [0, 1], keeps the order of its inputs.
// They apply where the plain exps are representable (no overflow/underflow inputs): those inputs have their own
// families, and a NaN there would otherwise be reported three times.
import { resultDType, type FloatDType } from '../tensor/dtype.js';
import { slicesOver, numbersOf } from '../tensor/tensor.js';
import type { Domains } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import { primaryProbe, type Check, type Judgement } from './check.js';
import { ulpsBetween, fmtElement, fmtExact, fmtIndex, fmtPair, fmtShort, valueDType, fmtInput } from './format.js';
import { allowedAbsError, type ToleranceProfile } from '../tolerance/profiles.js';
import { usableOutput } from './outcome.js';

const UNIT_ROUNDOFF = { float64: 2 ** -53, float32: 2 ** -24, float16: 2 ** -11, bfloat16: 2 ** -8 } as const;

const representable = (d: Domains) => !d.nan && !d.infinity && !d.overflow && !d.underflow && !d.empty;

function sliceCheck(
  name: 'sum-to-one' | 'range' | 'order',
  description: string,
  judgeSlices: (unit: Unit, x: Float64Array, y: Float64Array, slices: readonly (readonly number[])[], profile: ToleranceProfile, yDtype: FloatDType) => string | undefined,
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
      const x = numbersOf(unit.case.input);
      const y = numbersOf(u.output);
      const problem = judgeSlices(unit, x, y, slicesOver(unit.case.input.shape, unit.axes), ctx.profile, valueDType(u.output));
      if (!problem) return { status: 'pass' };
      return {
        status: 'fail',
        detail: `on ${fmtInput(unit.case.input)}, ${problem}`,
        evidence: { input: unit.case.input, args: unit.args, actual: u.output, expected: ctx.oracle(unit.case.input, unit.axes) },
      };
    },
    diagnose: (f) => f[0].detail,
  };
}

/**
 * Sum with Neumaier compensation, so the check's own rounding does not count against the implementation; with `at`,
 * of values[at[0]], values[at[1]], ... (a slice, in its order, without copying it out).
 */
function exactishSum(values: ArrayLike<number>, at?: readonly number[]): number {
  let s = 0;
  let c = 0;
  const n = at ? at.length : values.length;
  for (let k = 0; k < n; k++) {
    const v = values[at ? at[k] : k];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

export const sumToOneCheck = sliceCheck(
  'sum-to-one',
  'every slice along the contract\'s axes sums to 1 (within a few roundings per element, scaled by the slice\'s spread)',
  (unit, x, y, slices, profile) => {
    const out = resultDType(unit.case.input.dtype);
    const eps = UNIT_ROUNDOFF[out];
    for (const s of slices) {
      const sum = exactishSum(y, s);
      // Rounding x_i - max (or a log-sum-exp) costs up to |x_i - max| * eps relative per element: allow for it,
      // since this check looks for normalising over the wrong set, which is off by far more.
      let max = -Infinity;
      let min = Infinity;
      // Math.max/min element by element: the same result as over the spread slice (NaN, -0), without the copies.
      for (let k = 0; k < s.length; k++) {
        max = Math.max(max, x[s[k]]);
        min = Math.min(min, x[s[k]]);
      }
      const spread = max - min;
      const structural = eps * (8 + 2 * s.length) * (1 + spread);
      // ...and never less than the profile lets the elements be off in all: each y_i may be off by its allowance.
      let byProfile = 0;
      for (const i of s) byProfile += allowedAbsError(profile, out, y[i], max - x[i], s.length);
      const allowed = Math.max(structural, byProfile);
      if (!(Math.abs(sum - 1) <= allowed)) {
        const off = sum - 1;
        const shown = Math.abs(off) < 1e-6 ? `${fmtExact(sum)} (1 ${off < 0 ? '-' : '+'} ${Math.abs(off).toExponential(2)})` : fmtExact(sum);
        const which = unit.case.input.shape.length === 0
          ? 'the 0-d output (its own slice)'
          : `the slice starting at ${fmtIndex(unit.case.input.shape, s[0])} along axes (${unit.axes.join(', ')})`;
        return `${which} sums to ${shown}, not 1`;
      }
    }
    return undefined;
  },
);

export const rangeCheck = sliceCheck('range', 'every output lies in [0, 1] (within what the profile allows at 0 and 1) and is not NaN', (unit, _x, y, slices, profile, yDtype) => {
  const out = resultDType(unit.case.input.dtype);
  const len = slices[0]?.length ?? 1;
  // A value the profile accepts next to a correct 0 or 1 is in range: the profile decides how close is close.
  const below = allowedAbsError(profile, out, 0, 0, len);
  const above = allowedAbsError(profile, out, 1, 0, len);
  const i = y.findIndex((v) => !(v >= -below && v <= 1 + above));
  if (i < 0) return undefined;
  const v = y[i];
  const edge = v > 1 ? ` (${ulpsBetween(v, 1, yDtype)} ULP above 1)` : v < 0 ? ` (${ulpsBetween(v, 0, yDtype)} ULP below 0)` : '';
  return `${fmtElement('output', unit.case.input.shape, i)} is ${fmtExact(v, yDtype)}${edge}, outside [0, 1]`;
});

export const orderCheck = sliceCheck(
  'order',
  'within a slice a larger input never gets a smaller probability, and equal inputs get equal ones',
  (unit, x, y, slices, _profile, yDtype) => {
    for (const s of slices) {
      const sorted = [...s].sort((a, b) => x[a] - x[b]);
      for (let k = 1; k < sorted.length; k++) {
        const lo = sorted[k - 1];
        const hi = sorted[k];
        const bad = x[lo] === x[hi] ? y[lo] !== y[hi] : y[lo] > y[hi];
        if (bad) {
          const shape = unit.case.input.shape;
          const dt = unit.case.input.dtype;
          const inputs = x[lo] === x[hi]
            ? `input${fmtIndex(shape, lo)} = input${fmtIndex(shape, hi)} = ${fmtExact(x[lo], dt)}`
            : `input${fmtIndex(shape, lo)} = ${fmtExact(x[lo], dt)} < input${fmtIndex(shape, hi)} = ${fmtExact(x[hi], dt)}`;
          return `${inputs} but the outputs are ${fmtPair(y[lo], y[hi], yDtype, ' and ')}`;
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
