// Agreement primitives for the differential matrix: which golden result corresponds to an implementation's call,
// and whether the two outputs agree within a tolerance profile.
import { compareToOracle, type ToleranceProfile } from '../tolerance/profiles.js';
import { isFloatDType, type DType, type FloatDType } from '../tensor/dtype.js';
import { bitwiseEqual, fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { resultKey, type GoldenAxis, type GoldenCase, type GoldenLibrary, type GoldenOp, type GoldenResult } from './load.js';

/** The axes (non-negative, ascending) a golden result reduces over: null is every axis; a 0-d array has none. */
export function goldenAxes(shape: readonly number[], axis: GoldenAxis): number[] {
  const rank = shape.length;
  if (rank === 0) return [];
  if (axis === null) return [...Array(rank).keys()];
  return [axis < 0 ? axis + rank : axis];
}

/**
 * The golden axes that mean "reduce over `axes`" on this shape, most specific first: one axis gives that axis
 * (and null too when it is the only axis), every axis gives null. Reductions over some but not all of several
 * axes (ONNX's coerce-2d) have no golden.
 */
export function goldenAxesFor(shape: readonly number[], axes: readonly number[]): GoldenAxis[] {
  const rank = shape.length;
  const red = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (rank === 0) return [null, 0];
  const all = red.length === rank;
  if (red.length === 1) return all ? [red[0], null] : [red[0]];
  return all ? [null] : [];
}

/** A library's result for this case, input dtype, reduction and op, if it exported one. */
export function findGoldenResult(
  index: Map<string, GoldenResult>,
  c: GoldenCase,
  dtype: DType,
  axes: readonly number[],
  op: GoldenOp,
): GoldenResult | undefined {
  for (const a of goldenAxesFor(c.shape, axes)) {
    const r = index.get(resultKey(c.id, dtype, a, op));
    if (r) return r;
  }
  return undefined;
}

export type GoldenAgreement = 'agree' | 'disagree' | 'both-error' | 'golden-error' | 'impl-error';

export interface AgreementResult {
  verdict: GoldenAgreement;
  /** one sentence: what differs (or which errors) */
  detail: string;
  /** the two outputs had different dtypes and were compared in the narrower one */
  comparedIn?: FloatDType;
  /** elements out of tolerance (for `disagree` on values) */
  failing?: number;
}

const WIDTH: Record<FloatDType, number> = { bfloat16: -1, float16: 0, float32: 1, float64: 2 };

function toDtype(t: Tensor, dtype: FloatDType): Tensor {
  return t.dtype === dtype ? t : fromNumbers(dtype, t.shape, toNumbers(t));
}

/**
 * Does an implementation's outcome agree with a golden library's result? Both outputs: within the profile, the
 * golden output taken as the expected value (in the narrower float dtype when they differ; a shape difference
 * disagrees). Both raised: `both-error`. One raised: `impl-error` / `golden-error`.
 */
export function agreeWithGolden(
  impl: { output?: Tensor; error?: string },
  golden: Pick<GoldenResult, 'output' | 'error'> & { library?: string },
  ctx: { input: Tensor; axes: number[] },
  profile: ToleranceProfile,
): AgreementResult {
  const who = golden.library ?? 'the library';
  if (!impl.output && !golden.output) return { verdict: 'both-error', detail: `both raise (${who}: ${golden.error?.type ?? 'error'})` };
  if (!impl.output) return { verdict: 'impl-error', detail: `the implementation raises where ${who} returns an array` };
  if (!golden.output) return { verdict: 'golden-error', detail: `${who} raises ${golden.error?.type ?? 'an error'} where the implementation returns an array` };
  const a = impl.output;
  const g = golden.output;
  if (a.shape.length !== g.shape.length || a.shape.some((n, i) => n !== g.shape[i])) {
    return { verdict: 'disagree', detail: `shape (${a.shape.join(', ')}) where ${who} returns (${g.shape.join(', ')})` };
  }
  if (!isFloatDType(a.dtype) || !isFloatDType(g.dtype)) {
    return { verdict: 'disagree', detail: `dtype ${a.dtype} where ${who} returns ${g.dtype}` };
  }
  // The same bits agree under every profile (every element 0 ULP): common, e.g. two libraries calling the same code.
  if (bitwiseEqual(a, g)) return { verdict: 'agree', detail: `agrees with ${who}` };
  const narrow = WIDTH[a.dtype] <= WIDTH[g.dtype] ? a.dtype : g.dtype;
  const cmp = compareToOracle(toDtype(a, narrow), toDtype(g, narrow), ctx, profile);
  const comparedIn = a.dtype !== g.dtype ? narrow : undefined;
  if (cmp.pass) return { verdict: 'agree', detail: `agrees with ${who}`, ...(comparedIn ? { comparedIn } : {}) };
  return {
    verdict: 'disagree',
    detail: `${cmp.failing} element${cmp.failing === 1 ? '' : 's'} out of tolerance of ${who}${comparedIn ? ` (compared in ${narrow})` : ''}`,
    failing: cmp.failing,
    ...(comparedIn ? { comparedIn } : {}),
  };
}

/** Every library's results indexed by resultKey, for findGoldenResult. */
export function indexLibraries(libraries: readonly GoldenLibrary[]): Map<string, Map<string, GoldenResult>> {
  return new Map(libraries.map((l) => [l.library, new Map(l.results.map((r) => [resultKey(r.case, r.dtype, r.axis, r.op), r]))]));
}
