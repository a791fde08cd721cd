// Metamorphic checks: relations between calls that any softmax obeys, needing no reference values.
import { slicesOver, toNumbers, type Tensor } from '../tensor/tensor.js';
import { mapSlices, reverseAlong, sliceAlone } from '../tensor/ops.js';
import type { Domains } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check, type Judgement, type JudgeContext, type Probe } from './check.js';
import { agreeElement } from './agreement.js';
import { fmtIndex, fmtShort, fmtTensor } from './format.js';
import { usableOutput } from './outcome.js';

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
  const maxes = slices.map((s) => Math.max(...s.map((i) => x[i])));
  const hi = maxes.indexOf(Math.max(...maxes));
  const lo = maxes.indexOf(Math.min(...maxes));
  return hi === lo ? [hi] : [hi, lo];
}

export const batchIndependenceCheck: Check = {
  name: 'batch-independence',
  family: 'batch-independence',
  description: 'a slice alone gives the same result as inside the batch (rows of a batch must not depend on each other)',
  applies: (unit, d) => representable(d) && slicesOver(unit.case.input.shape, unit.axes).length > 1,
  probes(unit) {
    const x = toNumbers(unit.case.input);
    const slices = slicesOver(unit.case.input.shape, unit.axes);
    return [primaryProbe(unit), ...extremeSlices(x, slices).map((k) => ({ input: sliceAlone(unit.case.input, unit.axes, k).tensor, args: unit.args }))];
  },
  judge(unit, outcomes, ctx) {
    const probes = this.probes(unit);
    const x = toNumbers(unit.case.input);
    const slices = slicesOver(unit.case.input.shape, unit.axes);
    const chosen = extremeSlices(x, slices);
    return judgeProbes(unit, probes, outcomes, ctx, ([batch, ...alone]) => {
      const inBatch = toNumbers(batch);
      for (let j = 0; j < chosen.length; j++) {
        const idx = slices[chosen[j]];
        const dist = sliceMaxDistance(x, [idx]);
        const single = toNumbers(alone[j]);
        const k = idx.findIndex((i, n) => !agreeElement(inBatch[i], single[n], dist[i], unit.case.input.dtype, 0, ctx.op === 'log-softmax'));
        if (k >= 0) {
          const shape = unit.case.input.shape;
          return {
            problem: `on ${fmtTensor(unit.case.input)}, the slice at ${fmtIndex(shape, idx[0])} gives ${fmtShort(inBatch[idx[k]])} at ${fmtIndex(shape, idx[k])} inside the batch but ${fmtShort(single[k])} alone`,
            evidence: probes[0],
            actual: batch,
            expected: ctx.oracle(unit.case.input, unit.axes),
          };
        }
      }
      return undefined;
    });
  },
  diagnose: (f) => `rows of a batch depend on each other (it normalises across slices): ${f[0].detail}`,
};

const SHIFT = { float64: 800, float32: 100, float16: 12, bfloat16: 100, int32: 800, int64: 800, bool: 0 } as const;

function shifted(unit: Unit): Tensor {
  const s = SHIFT[unit.case.input.dtype];
  return mapSlices(unit.case.input, unit.axes, (v, k) => v.map((x) => x + (k % 2 === 0 ? s : -s)));
}

export const shiftInvarianceCheck: Check = {
  name: 'shift-invariance',
  family: 'shift-invariance',
  description: 'adding a constant to a slice (+S to some slices, -S to others) leaves its softmax unchanged',
  applies: (unit, d) => representable(d) && unit.case.input.dtype !== 'bool' && unit.case.input.shape.length > 0,
  probes: (unit) => [primaryProbe(unit), { input: shifted(unit), args: unit.args }],
  judge(unit, outcomes, ctx) {
    const probes = this.probes(unit);
    const x = toNumbers(unit.case.input);
    const y = toNumbers(probes[1].input);
    const slices = slicesOver(unit.case.input.shape, unit.axes);
    const dist = sliceMaxDistance(x, slices);
    // The shifted input is rounded to the dtype: allow for the change that rounding makes to each x_i - max.
    let perturb = 0;
    slices.forEach((s, k) => {
      const c = k % 2 === 0 ? SHIFT[unit.case.input.dtype] : -SHIFT[unit.case.input.dtype];
      for (const i of s) perturb = Math.max(perturb, Math.abs(y[i] - c - x[i]));
    });
    return judgeProbes(unit, probes, outcomes, ctx, ([plain, moved]) => {
      const a = toNumbers(plain);
      const b = toNumbers(moved);
      const i = a.findIndex((v, n) => !agreeElement(v, b[n], dist[n], unit.case.input.dtype, 4 * perturb, ctx.op === 'log-softmax'));
      if (i < 0) return undefined;
      return {
        problem: `shifting the slices of ${fmtTensor(unit.case.input)} by ±${SHIFT[unit.case.input.dtype]} changes output${fmtIndex(unit.case.input.shape, i)} from ${fmtShort(a[i])} to ${fmtShort(b[i])}`,
        evidence: probes[1],
        actual: moved,
        expected: ctx.oracle(probes[1].input, unit.axes),
      };
    });
  },
  diagnose: (f) => `not shift-invariant (the max is not subtracted per slice): ${f[0].detail}`,
};

export const permutationCheck: Check = {
  name: 'permutation',
  family: 'permutation',
  description: 'reversing the elements of each slice reverses its output',
  applies: (unit, d) => representable(d) && unit.axes.some((a) => unit.case.input.shape[a] > 1),
  probes: (unit) => [primaryProbe(unit), { input: reverseAlong(unit.case.input, unit.axes), args: unit.args }],
  judge(unit, outcomes, ctx) {
    const probes = this.probes(unit);
    const x = toNumbers(unit.case.input);
    const dist = sliceMaxDistance(x, slicesOver(unit.case.input.shape, unit.axes));
    return judgeProbes(unit, probes, outcomes, ctx, ([plain, reversed]) => {
      const a = toNumbers(plain);
      const b = toNumbers(reverseAlong(reversed, unit.axes));
      const i = a.findIndex((v, n) => !agreeElement(v, b[n], dist[n], unit.case.input.dtype, 0, ctx.op === 'log-softmax'));
      if (i < 0) return undefined;
      return {
        problem: `on ${fmtTensor(unit.case.input)}, output${fmtIndex(unit.case.input.shape, i)} is ${fmtShort(a[i])} but ${fmtShort(b[i])} when the slice is reversed`,
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
    toNumbers(unit.case.input).every((v) => Math.abs(v) < 1e4),
  probes: (unit) => [
    { input: unit.case.input, args: { ...unit.args, theta: 2 } },
    { input: mapSlices(unit.case.input, unit.axes, (v) => v.map((x) => 2 * x)), args: { ...unit.args, theta: 1 } },
  ],
  judge(unit, outcomes, ctx) {
    const probes = this.probes(unit);
    const x2 = toNumbers(probes[1].input);
    const dist = sliceMaxDistance(x2, slicesOver(unit.case.input.shape, unit.axes));
    return judgeProbes(unit, probes, outcomes, ctx, ([withTheta, doubled]) => {
      const a = toNumbers(withTheta);
      const b = toNumbers(doubled);
      const i = a.findIndex((v, n) => !agreeElement(v, b[n], dist[n], unit.case.input.dtype, 0, ctx.op === 'log-softmax'));
      if (i < 0) return undefined;
      return {
        problem: `on ${fmtTensor(unit.case.input)}, theta=2 gives ${fmtShort(a[i])} at ${fmtIndex(unit.case.input.shape, i)} but doubling the input gives ${fmtShort(b[i])}`,
        evidence: probes[0],
        actual: withTheta,
        expected: ctx.oracle(probes[1].input, unit.axes),
      };
    });
  },
  diagnose: (f) => `theta does not act as a multiplier on the logits: ${f[0].detail}`,
};
