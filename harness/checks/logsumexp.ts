// The checks of `--op logsumexp`. logsumexp reduces its axes away, so the softmax checks (same-shape outputs,
// probabilities) do not apply; these do: the oracle per input domain (so `overflow` names a naive log(sum(exp(x)))),
// shift-equivariance lse(x + c) = lse(x) + c, the bounds max(x) <= lse(x) <= max(x) + log N, the shape, and the
// form checks that need no reference (dtype, mutation, determinism, and the outcome checks).
import type { Family } from '../model.js';
import { isFiniteInput, isOrdinary, type Domains } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import { resultDType, type FloatDType } from '../tensor/dtype.js';
import { describeShape, fromNumbers, slicesOver, sizeOf, numbersOf, type Tensor } from '../tensor/tensor.js';
import { EPSILON, MIN_SUBNORMAL, ulpDistance } from '../tolerance/metrics.js';
import type { Criterion, ToleranceProfile } from '../tolerance/profiles.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check, type Judgement, type JudgeContext, type Probe } from './check.js';
import { LN_MAX, lnZero } from './exp-limits.js';
import { fmtIndex, fmtShort, fmtTensor } from './format.js';
import { crashCheck, memoryCheck, outputCheck, timeoutCheck, type OutcomeCheck } from './outcome-checks.js';
import { usableOutput } from './outcome.js';
import { determinismCheck, dtypeCheck, mutationCheck } from './structure.js';

/** The reduced shape (keepdims=False) and the keepdims shape for a unit's axes. */
function shapesOf(x: Tensor, axes: readonly number[]): { reduced: number[]; kept: number[] } {
  const rank = x.shape.length;
  const red = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  return { reduced: x.shape.filter((_, a) => !red.has(a)), kept: x.shape.map((n, a) => (red.has(a) ? 1 : n)) };
}

const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

/** The output as a tensor of the reduced shape in the expected dtype, or why it cannot be judged. */
function lseOutput(unit: Unit, outcome: CallOutcome, ctx: JudgeContext): { ok: true; output: Tensor; raw: Tensor } | { ok: false; judgement: Judgement } {
  const u = usableOutput(outcome, primaryProbe(unit), ctx, false);
  if (!u.ok) return u;
  const { reduced, kept } = shapesOf(unit.case.input, unit.axes);
  if (!same(u.output.shape, reduced) && !same(u.output.shape, kept)) {
    return { ok: false, judgement: { status: 'unjudged', detail: `not judged: returned shape ${describeShape(u.output.shape)} (see rank)` } };
  }
  const want = resultDType(unit.case.input.dtype);
  return { ok: true, output: fromNumbers(want, reduced, numbersOf(u.output)), raw: u.output };
}

/**
 * What a criterion allows for one logsumexp value. A careful m + log S errs by a few roundings of |m| + log S plus
 * the sum's (N - 1) roundings of S (an absolute error of log S), plus the final rounding of the result: the
 * `conditioned` rule reads k against |m| + |lse| + 1 and c against N - 1, in the dtype's epsilon.
 */
function allowed(c: Criterion, e: number, m: number, n: number, dtype: FloatDType): { abs?: number; ulps?: number } {
  switch (c.kind) {
    case 'ulp': return { ulps: c.ulps + (c.perElement ?? 0) * n };
    case 'allclose': return { abs: c.atol + c.rtol * Math.abs(e) };
    case 'conditioned': return { abs: EPSILON[dtype] * (c.k * (Math.abs(m) + Math.abs(e) + 1) + c.c * Math.max(n - 1, 0)) + c.floorUlps * MIN_SUBNORMAL[dtype] };
  }
}

/** Index of the first value out of tolerance (NaN and infinities must match exactly), or -1. */
function firstOutOfTolerance(a: Float64Array, e: Float64Array, maxes: Float64Array, lens: number[], dtype: FloatDType, profile: ToleranceProfile): number {
  const rule = profile.dtypes[dtype];
  for (let i = 0; i < e.length; i++) {
    if (Object.is(a[i], e[i]) || a[i] === e[i]) continue;
    if (!Number.isFinite(e[i]) || !Number.isFinite(a[i])) return i;
    const ok = rule.anyOf.some((c) => {
      const al = allowed(c, e[i], maxes[i], lens[i], dtype);
      return al.abs !== undefined ? Math.abs(a[i] - e[i]) <= al.abs : ulpDistance(a[i], e[i], dtype) <= al.ulps!;
    });
    if (!ok) return i;
  }
  return -1;
}

function sliceStats(x: Tensor, axes: readonly number[]): { maxes: Float64Array; lens: number[]; slices: readonly (readonly number[])[] } {
  const v = numbersOf(x);
  const slices = axes.length === 0 ? Array.from({ length: sizeOf(x.shape) }, (_, i) => [i]) : slicesOver(x.shape, axes);
  const maxes = Float64Array.from(slices, (s) => s.reduce((mx, i) => (v[i] > mx ? v[i] : mx), -Infinity));
  return { maxes, lens: slices.map((s) => s.length), slices };
}

/** `explain` gets the failing value, the correct one, the largest input of its slice and the result dtype. */
function lseOracleCheck(name: string, family: Family, description: string, applies: (d: Domains) => boolean, explain: (a: number, e: number, sliceMax: number, dtype: FloatDType) => string | undefined): Check {
  return {
    name,
    family,
    description,
    applies: (_unit, d) => applies(d),
    probes: (unit) => [primaryProbe(unit)],
    judge(unit, [outcome], ctx): Judgement {
      const u = lseOutput(unit, outcome, ctx);
      if (!u.ok) return u.judgement;
      const expected = ctx.oracle(unit.case.input, unit.axes);
      const dtype = resultDType(unit.case.input.dtype);
      const { maxes, lens } = sliceStats(unit.case.input, unit.axes);
      const a = numbersOf(u.output);
      const e = numbersOf(expected);
      const i = firstOutOfTolerance(a, e, maxes, lens, dtype, ctx.profile);
      if (i < 0) return { status: 'pass' };
      const why = explain(a[i], e[i], maxes[i], dtype);
      const ulps = Number.isFinite(a[i]) && Number.isFinite(e[i]) ? ` (${ulpDistance(a[i], e[i], dtype)} ULP)` : '';
      return {
        status: 'fail',
        detail: `${why ? `${why}: ` : ''}on ${fmtTensor(unit.case.input)}, logsumexp${fmtIndex(expected.shape, i)} is ${fmtShort(a[i])} where the correctly rounded value is ${fmtShort(e[i])}${ulps}`,
        evidence: { input: unit.case.input, args: unit.args, actual: u.raw, expected },
      };
    },
    diagnose: (f) => f[0].detail,
  };
}

const none = (): undefined => undefined;

export const lseValuesCheck = lseOracleCheck('values', 'values', 'logsumexp of ordinary finite inputs within the tolerance profile of the correctly rounded value', isOrdinary, none);
export const lseSingletonCheck = lseOracleCheck('singleton', 'singleton', 'logsumexp with a length-1 axis: reduced along the contract axis', (d) => isFiniteInput(d) && !d.overflow && !d.underflow && !d.empty && d.singleton, none);
export const lseOverflowCheck = lseOracleCheck(
  'overflow', 'overflow', 'inputs whose plain exp overflows (e.g. [1000, 5]): logsumexp is still finite (max + log S)',
  (d) => isFiniteInput(d) && d.overflow,
  // What the slice shows, not how the code computed it: a value whose exp is inf, and logsumexp inf.
  (a, e, top, dt) => (a === Infinity && Number.isFinite(e) && top > LN_MAX[dt] ? `overflows: exp(${fmtShort(top)}) is inf in ${dt}, and logsumexp comes out inf` : undefined),
);
export const lseUnderflowCheck = lseOracleCheck(
  'underflow', 'underflow', 'inputs whose plain exps all underflow (e.g. [-1000, -1001]): logsumexp is still finite',
  (d) => isFiniteInput(d) && !d.overflow && d.underflow,
  (a, e, top, dt) => (a === -Infinity && Number.isFinite(e) && top < lnZero(dt) ? `underflows: every exp of the slice is 0 in ${dt} (its largest value is ${fmtShort(top)}), and logsumexp comes out -inf` : undefined),
);
export const lseNanCheck = lseOracleCheck('nan', 'nan', 'a NaN makes its slice\'s logsumexp NaN, and only its slice\'s', (d) => d.nan, none);
export const lseInfinityCheck = lseOracleCheck('infinity', 'infinity', '+inf gives +inf; an all -inf (or empty) slice gives -inf; -inf among finite values drops out', (d) => !d.nan && (d.infinity || d.empty), none);

const representable = (d: Domains) => !d.nan && !d.infinity && !d.overflow && !d.underflow && !d.empty;
// As the softmax shift check's: enough to carry a naive log(sum(exp(x))) past exp's overflow threshold.
const SHIFT = { float64: 800, float32: 100, float16: 12, bfloat16: 100, int32: 800, int64: 800, bool: 0 } as const;

function shiftedInput(unit: Unit): Tensor {
  const s = SHIFT[unit.case.input.dtype];
  const x = unit.case.input;
  const v = numbersOf(x);
  return fromNumbers(x.dtype, x.shape, v.map((t) => t + s));
}

export const lseShiftCheck: Check = {
  name: 'shift-equivariance',
  family: 'shift-invariance',
  description: 'logsumexp(x + c) = logsumexp(x) + c (within roundings, and the rounding of x + c to the dtype)',
  applies: (unit, d) => representable(d) && unit.case.input.dtype !== 'bool' && unit.case.input.shape.length > 0,
  probes: (unit) => [primaryProbe(unit), { input: shiftedInput(unit), args: unit.args }],
  judge(unit, outcomes, ctx, planned): Judgement {
    const probes: Probe[] = planned ?? this.probes(unit);
    const a = lseOutput(unit, outcomes[0], ctx);
    if (!a.ok) return a.judgement;
    const b = lseOutput({ ...unit, case: { ...unit.case, input: probes[1].input } }, outcomes[1], ctx);
    if (!b.ok) return b.judgement;
    const c = SHIFT[unit.case.input.dtype];
    const x = numbersOf(unit.case.input);
    const y = numbersOf(probes[1].input);
    let perturb = 0;
    for (let i = 0; i < x.length; i++) perturb = Math.max(perturb, Math.abs(y[i] - c - x[i]));
    const eps = EPSILON[resultDType(unit.case.input.dtype)];
    const va = numbersOf(a.output);
    const vb = numbersOf(b.output);
    // Coarse on purpose (64 roundings of the larger magnitude): this looks for a lost shift, not for accuracy.
    const i = va.findIndex((v, k) => !(Math.abs(vb[k] - c - v) <= 64 * eps * (Math.abs(vb[k]) + Math.abs(v) + 1) + perturb));
    if (i < 0) return { status: 'pass' };
    return {
      status: 'fail',
      detail: `on ${fmtTensor(unit.case.input)}, logsumexp${fmtIndex(a.output.shape, i)} is ${fmtShort(va[i])}, but adding ${c} to the input gives ${fmtShort(vb[i])}, not ${fmtShort(va[i] + c)}`,
      evidence: { input: probes[1].input, args: unit.args, actual: b.raw, expected: ctx.oracle(probes[1].input, unit.axes) },
    };
  },
  diagnose: (f) => `logsumexp is not shift-equivariant: ${f[0].detail}`,
};

export const lseBoundsCheck: Check = {
  name: 'bounds',
  family: 'range',
  description: 'max(x) <= logsumexp(x) <= max(x) + log N for every slice of N finite values',
  applies: (unit, d) => representable(d) && unit.case.input.shape.length > 0,
  probes: (unit) => [primaryProbe(unit)],
  judge(unit, [outcome], ctx): Judgement {
    const u = lseOutput(unit, outcome, ctx);
    if (!u.ok) return u.judgement;
    const { maxes, lens } = sliceStats(unit.case.input, unit.axes);
    const v = numbersOf(u.output);
    const eps = EPSILON[resultDType(unit.case.input.dtype)];
    for (let i = 0; i < v.length; i++) {
      // max is exact in the output dtype and log S >= 0, so even a rounded m + log S is never below it
      const low = !(v[i] >= maxes[i]);
      const high = !(v[i] <= maxes[i] + Math.log(lens[i]) + 4 * eps * (Math.abs(maxes[i]) + Math.log(lens[i]) + 1));
      if (low || high) {
        return {
          status: 'fail',
          detail: `on ${fmtTensor(unit.case.input)}, logsumexp${fmtIndex(u.output.shape, i)} is ${fmtShort(v[i])}, ${low ? `below the slice's max ${fmtShort(maxes[i])}` : `above max + log N = ${fmtShort(maxes[i] + Math.log(lens[i]))}`}`,
          evidence: { input: unit.case.input, args: unit.args, actual: u.raw, expected: ctx.oracle(unit.case.input, unit.axes) },
        };
      }
    }
    return { status: 'pass' };
  },
  diagnose: (f) => f[0].detail,
};

export const lseShapeCheck: Check = {
  name: 'rank',
  family: 'rank',
  description: 'the result drops the reduced axes (keepdims=False, as SciPy and PyTorch) or keeps them as length 1 (keepdims=True)',
  applies: () => true,
  probes: (unit) => [primaryProbe(unit)],
  judge(unit, [outcome], ctx): Judgement {
    const u = usableOutput(outcome, primaryProbe(unit), ctx, false);
    if (!u.ok) return u.judgement;
    const { reduced, kept } = shapesOf(unit.case.input, unit.axes);
    if (same(u.output.shape, reduced) || same(u.output.shape, kept)) return { status: 'pass' };
    return {
      status: 'fail',
      detail: `returns shape ${describeShape(u.output.shape)} for input ${describeShape(unit.case.input.shape)} reduced over axes (${unit.axes.join(', ')}): expected ${describeShape(reduced)} (or ${describeShape(kept)} with keepdims)`,
      evidence: { input: unit.case.input, args: unit.args, actual: u.output },
    };
  },
  diagnose: (f) => f[0].detail,
};

export const LOGSUMEXP_CHECKS: (Check | OutcomeCheck)[] = [
  lseValuesCheck, lseOverflowCheck, lseUnderflowCheck, lseShiftCheck, lseBoundsCheck, lseShapeCheck, lseSingletonCheck,
  dtypeCheck, mutationCheck, lseNanCheck, lseInfinityCheck, determinismCheck, crashCheck, timeoutCheck, memoryCheck, outputCheck,
];

