// Metamorphic checks: relations between calls that any softmax obeys, needing no reference values.
import { slicesOver, numbersOf, type Tensor } from '../tensor/tensor.js';
import { mapSlices, reverseAlong, shiftSlices, sliceAlone } from '../tensor/ops.js';
import type { Domains } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check, type Judgement, type JudgeContext, type Probe } from './check.js';
import { agreeElement, type AgreementContext } from './agreement.js';
import { matchingRules, RULE_WORDS } from './axis.js';
import { fmtElement, fmtExact, fmtIndex, fmtPair, valueDType, fmtInput } from './format.js';
import { inExpectedDtype, usableOutput } from './outcome.js';

const representable = (d: Domains) => !d.nan && !d.infinity && !d.overflow && !d.underflow && !d.empty;

function sliceMaxDistance(x: Float64Array, slices: readonly (readonly number[])[]): Float64Array {
  const dist = new Float64Array(x.length);
  for (const s of slices) {
    let max = -Infinity;
    for (let k = 0; k < s.length; k++) max = Math.max(max, x[s[k]]);
    for (let k = 0; k < s.length; k++) dist[s[k]] = max - x[s[k]];
  }
  return dist;
}

/** How two outputs of this unit are compared: in the input's result dtype, under the active profile. */
function agreement(unit: Unit, ctx: JudgeContext): AgreementContext {
  const len = unit.axes.reduce((n, a) => n * unit.case.input.shape[a], 1);
  return { dtype: unit.case.input.dtype, profile: ctx.profile, len, log: ctx.op === 'log-softmax' };
}

/** Judge outputs of several probes; `compare` returns a problem sentence or undefined. */
function judgeProbes(
  unit: Unit,
  probes: Probe[],
  outcomes: CallOutcome[],
  ctx: JudgeContext,
  compare: (outputs: Tensor[]) => { problem: string; evidence: Probe; actual: Tensor; expected?: Tensor } | undefined,
): Judgement {
  const outputs: Tensor[] = [];
  for (let i = 0; i < probes.length; i++) {
    const u = usableOutput(outcomes[i], probes[i], ctx);
    if (!u.ok) return u.judgement.status === 'fail' ? u.judgement : { status: 'unjudged', detail: 'detail' in u.judgement ? u.judgement.detail : 'not judged' };
    outputs.push(u.output);
  }
  const bad = compare(outputs);
  if (!bad) return { status: 'pass' };
  return { status: 'fail', detail: bad.problem, evidence: { input: bad.evidence.input, args: bad.evidence.args, actual: bad.actual, expected: bad.expected } };
}

/** The slices with the largest and the smallest maximum: where a global max or sum hurts most. */
function extremeSlices(x: Float64Array, slices: readonly (readonly number[])[]): number[] {
  // Math.max/min element by element: the same values as over spread arrays (NaN, -0), without the copies.
  const maxes = slices.map((s) => {
    let m = -Infinity;
    for (let k = 0; k < s.length; k++) m = Math.max(m, x[s[k]]);
    return m;
  });
  let top = -Infinity;
  let bottom = Infinity;
  for (const m of maxes) {
    top = Math.max(top, m);
    bottom = Math.min(bottom, m);
  }
  const hi = maxes.indexOf(top);
  const lo = maxes.indexOf(bottom);
  return hi === lo ? [hi] : [hi, lo];
}

export const batchIndependenceCheck: Check = {
  name: 'batch-independence',
  family: 'batch-independence',
  description: 'a slice alone gives the same result as inside the batch (rows of a batch must not depend on each other)',
  applies: (unit, d) => representable(d) && slicesOver(unit.case.input.shape, unit.axes).length > 1,
  probes(unit) {
    const x = numbersOf(unit.case.input);
    const slices = slicesOver(unit.case.input.shape, unit.axes);
    return [primaryProbe(unit), ...extremeSlices(x, slices).map((k) => ({ input: sliceAlone(unit.case.input, unit.axes, k).tensor, args: unit.args }))];
  },
  judge(unit, outcomes, ctx, planned) {
    const probes = planned ?? this.probes(unit);
    const x = numbersOf(unit.case.input);
    const slices = slicesOver(unit.case.input.shape, unit.axes);
    const chosen = extremeSlices(x, slices);
    const agree = agreement(unit, ctx);
    return judgeProbes(unit, probes, outcomes, ctx, ([batch, ...alone]) => {
      const inBatch = numbersOf(batch);
      for (let j = 0; j < chosen.length; j++) {
        const idx = slices[chosen[j]];
        const dist = sliceMaxDistance(x, [idx]);
        const single = numbersOf(alone[j]);
        const k = idx.findIndex((i, n) => !agreeElement(inBatch[i], single[n], dist[i], agree));
        if (k >= 0) {
          const shape = unit.case.input.shape;
          // A cause only where the evidence shows it: the batch's output is another axis rule's softmax.
          const other = matchingRules(inExpectedDtype(batch, unit.case.input), unit.case.input, ctx, unit.axes);
          const cause = other.length ? `; the batch's output is the softmax over ${RULE_WORDS[other[0]]}, so it normalises across slices` : '';
          return {
            problem: `on ${fmtInput(unit.case.input)}, ${fmtElement('output', shape, idx[k])} (in the slice starting at ${fmtIndex(shape, idx[0])}) is ${fmtPair(inBatch[idx[k]], single[k], valueDType(batch), ' inside the batch but ')} when the slice is computed alone${cause}`,
            evidence: probes[0],
            actual: batch,
            expected: ctx.oracle(unit.case.input, unit.axes),
          };
        }
      }
      return undefined;
    });
  },
  diagnose: (f) => `a slice gives a different result inside the batch than alone: ${f[0].detail}`,
};

const SHIFT = { float64: 800, float32: 100, float16: 12, bfloat16: 100, int32: 800, int64: 800, bool: 0 } as const;

function shifted(unit: Unit): Tensor {
  const s = SHIFT[unit.case.input.dtype];
  return shiftSlices(unit.case.input, unit.axes, (k) => (k % 2 === 0 ? s : -s));
}

export const shiftInvarianceCheck: Check = {
  name: 'shift-invariance',
  family: 'shift-invariance',
  description: 'adding a constant to a slice (+S to some slices, -S to others) leaves its softmax unchanged',
  applies: (unit, d) => representable(d) && unit.case.input.dtype !== 'bool' && unit.case.input.shape.length > 0,
  probes: (unit) => [primaryProbe(unit), { input: shifted(unit), args: unit.args }],
  judge(unit, outcomes, ctx, planned) {
    const probes = planned ?? this.probes(unit);
    const x = numbersOf(unit.case.input);
    const y = numbersOf(probes[1].input);
    const slices = slicesOver(unit.case.input.shape, unit.axes);
    const dist = sliceMaxDistance(x, slices);
    // The shifted input is rounded to the dtype: allow for the change that rounding makes to each x_i - max.
    let perturb = 0;
    slices.forEach((s, k) => {
      const c = k % 2 === 0 ? SHIFT[unit.case.input.dtype] : -SHIFT[unit.case.input.dtype];
      for (const i of s) perturb = Math.max(perturb, Math.abs(y[i] - c - x[i]));
    });
    return judgeProbes(unit, probes, outcomes, ctx, ([plain, moved]) => {
      const a = numbersOf(plain);
      const b = numbersOf(moved);
      const agree = agreement(unit, ctx);
      const i = a.findIndex((v, n) => !agreeElement(v, b[n], dist[n], agree, 4 * perturb));
      if (i < 0) return undefined;
      // The cause only where the evidence shows it: finite outputs become NaN/inf once shifted (exp overflowed or
      // every exp of a slice underflowed), which a per-slice max subtraction prevents.
      const broken = b.findIndex((v, n) => Number.isFinite(a[n]) && !Number.isFinite(v));
      const cause = broken >= 0
        ? `; the shifted output is ${fmtExact(b[broken])} at ${fmtIndex(unit.case.input.shape, broken)} where the unshifted one is finite, so the max is not subtracted per slice`
        : '';
      return {
        problem: `shifting the slices of ${fmtInput(unit.case.input)} by ±${SHIFT[unit.case.input.dtype]} changes ${fmtElement('output', unit.case.input.shape, i)} from ${fmtPair(a[i], b[i], valueDType(plain), ' to ')}${cause}`,
        evidence: probes[1],
        actual: moved,
        expected: ctx.oracle(probes[1].input, unit.axes),
      };
    });
  },
  diagnose: (f) => `not shift-invariant: ${f[0].detail}`,
};

export const permutationCheck: Check = {
  name: 'permutation',
  family: 'permutation',
  description: 'reversing the elements of each slice reverses its output',
  applies: (unit, d) => representable(d) && unit.axes.some((a) => unit.case.input.shape[a] > 1),
  probes: (unit) => [primaryProbe(unit), { input: reverseAlong(unit.case.input, unit.axes), args: unit.args }],
  judge(unit, outcomes, ctx, planned) {
    const probes = planned ?? this.probes(unit);
    const x = numbersOf(unit.case.input);
    const dist = sliceMaxDistance(x, slicesOver(unit.case.input.shape, unit.axes));
    return judgeProbes(unit, probes, outcomes, ctx, ([plain, reversed]) => {
      const a = numbersOf(plain);
      const b = numbersOf(reverseAlong(reversed, unit.axes));
      const agree = agreement(unit, ctx);
      const i = a.findIndex((v, n) => !agreeElement(v, b[n], dist[n], agree));
      if (i < 0) return undefined;
      return {
        problem: `on ${fmtInput(unit.case.input)}, ${fmtElement('output', unit.case.input.shape, i)} is ${fmtPair(a[i], b[i], valueDType(plain), ' but ')} when the slice is reversed`,
        evidence: probes[1],
        actual: reversed,
        expected: ctx.oracle(probes[1].input, unit.axes),
      };
    });
  },
  diagnose: (f) => `the result depends on the order of elements within a slice: ${f[0].detail}`,
};

export const temperatureCheck: Check = {
  name: 'temperature',
  family: 'temperature',
  description: 'f(x, theta=2) equals f(2x, theta=1) (theta multiplies the logits)',
  applies: (unit, d) => unit.binding.callStyle === 'x-theta-axis' && representable(d) && !d.zeroD &&
    numbersOf(unit.case.input).every((v) => Math.abs(v) < 1e4),
  probes: (unit) => [
    { input: unit.case.input, args: { ...unit.args, theta: 2 } },
    { input: mapSlices(unit.case.input, unit.axes, (v) => v.map((x) => 2 * x)), args: { ...unit.args, theta: 1 } },
  ],
  judge(unit, outcomes, ctx, planned) {
    const probes = planned ?? this.probes(unit);
    const x2 = numbersOf(probes[1].input);
    const dist = sliceMaxDistance(x2, slicesOver(unit.case.input.shape, unit.axes));
    return judgeProbes(unit, probes, outcomes, ctx, ([withTheta, doubled]) => {
      const a = numbersOf(withTheta);
      const b = numbersOf(doubled);
      const agree = agreement(unit, ctx);
      const i = a.findIndex((v, n) => !agreeElement(v, b[n], dist[n], agree));
      if (i < 0) return undefined;
      return {
        problem: `on ${fmtInput(unit.case.input)}, at ${fmtIndex(unit.case.input.shape, i)} theta=2 gives ${fmtPair(a[i], b[i], valueDType(withTheta), ' but doubling the input gives ')}`,
        evidence: probes[0],
        actual: withTheta,
        expected: ctx.oracle(probes[1].input, unit.axes),
      };
    });
  },
  diagnose: (f) => `theta does not act as a multiplier on the logits: ${f[0].detail}`,
};
