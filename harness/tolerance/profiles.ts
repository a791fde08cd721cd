// Tolerance profiles (profiles.json, validated by harness/schemas/tolerance.schema.json) and the comparison of an
// implementation's output with the oracle under a profile. docs/tolerance.md explains the profiles and the
// calibration of `strict`, the default.
import { DataError, UsageError } from '../errors.js';
import { loadJsonFile } from '../json-files.js';
import { projectPath } from '../paths.js';
import { isFloatDType, type FloatDType } from '../tensor/dtype.js';
import { slicesOver, numbersOf, type Tensor } from '../tensor/tensor.js';
import type { ErrorStats } from '../model.js';
import { emptySample, EPSILON, MIN_NORMAL, MIN_SUBNORMAL, recordElementError, recordFlush, sampleStats, type ElementErrorSample } from './metrics.js';

export type Criterion =
  /** ULP distance <= ulps + perElement * N (N: the slice length) */
  | { kind: 'ulp'; ulps: number; perElement?: number; source: string }
  /** |a - e| <= atol + rtol |e| */
  | { kind: 'allclose'; rtol: number; atol: number; source: string }
  /** |a - e| <= eps (k (1 + |x_i - max|) + c (N - 1)) |e| + floorUlps * smallest subnormal */
  | { kind: 'conditioned'; k: number; c: number; floorUlps: number; source: string };

export interface DTypeRule {
  /** an element passes when it meets any one criterion */
  anyOf: Criterion[];
}

export interface ToleranceProfile {
  name: string;
  description: string;
  /**
   * allow: a zero where the correctly rounded value is below twice the smallest normal passes. Flush-to-zero
   * arithmetic (TensorFlow, JAX on CPU) loses such results, also through flushed intermediates (TensorFlow float32
   * returns 0 for values up to ~1.18 x 2^-126). Allowed flushes are reported apart (ErrorStats.flushedSubnormals,
   * largestFlushed) and kept out of the ULP figures; under `fail` a flush is an error like any other.
   */
  flushedSubnormals: 'allow' | 'fail';
  dtypes: Record<FloatDType, DTypeRule>;
}

interface ProfilesFile {
  schemaVersion: 1;
  default: string;
  profiles: Record<string, Omit<ToleranceProfile, 'name'>>;
}

export const DEFAULT_PROFILE = 'strict';
export const PROFILES_PATH = projectPath('harness', 'tolerance', 'profiles.json');

const cache = new Map<string, Record<string, ToleranceProfile>>();

/** Every profile in the file (default: the project's profiles.json), by name. */
export function loadProfiles(path: string = PROFILES_PATH): Record<string, ToleranceProfile> {
  let profiles = cache.get(path);
  if (!profiles) {
    const file = loadJsonFile<ProfilesFile>(path, 'tolerance.schema.json');
    if (!(file.default in file.profiles)) {
      throw new DataError(path, '/default', `"${file.default}" is not one of the profiles (${Object.keys(file.profiles).join(', ')})`);
    }
    profiles = Object.fromEntries(Object.entries(file.profiles).map(([name, p]) => [name, { name, ...p }]));
    cache.set(path, profiles);
  }
  return profiles;
}

export function getProfile(name: string, path?: string): ToleranceProfile {
  const profiles = loadProfiles(path);
  const p = profiles[name];
  if (!p) throw new UsageError(`unknown tolerance profile "${name}"; the profiles are: ${Object.keys(profiles).join(', ')}`);
  return p;
}

export interface Comparison {
  pass: boolean;
  /** elements out of tolerance */
  failing: number;
  /** the element furthest out of tolerance (relative to what it was allowed) */
  worst?: { index: number; actual: number; expected: number; ulp: number; abs: number; rel: number; allowedDescription: string };
  /** every element's error (a check keeps it for its statistics) */
  sample: ElementErrorSample;
  /** statistics of `sample`, made when first read (most callers only want `pass`) */
  readonly stats: ErrorStats;
}

const conditioned = new WeakMap<Tensor, Map<string, { dist: Float64Array; len: Float64Array }>>();

/**
 * Per element: |x_i - max| over its slice (0 when not finite) and the slice length. Kept per input and axes (shared:
 * never write to it): the goldens compare every library's output for one input, and each unit's checks compare
 * several outputs for one input, against the same conditioning. Tensors are not changed once built.
 */
export function conditioning(input: Tensor, axes: number[]): { dist: Float64Array; len: Float64Array } {
  const key = axes.join(',');
  let byAxes = conditioned.get(input);
  let c = byAxes?.get(key);
  if (c === undefined) {
    c = computeConditioning(input, axes);
    if (byAxes === undefined) conditioned.set(input, (byAxes = new Map()));
    byAxes.set(key, c);
  }
  return c;
}

function computeConditioning(input: Tensor, axes: number[]): { dist: Float64Array; len: Float64Array } {
  const x = numbersOf(input);
  const n = x.length;
  const dist = new Float64Array(n);
  const len = new Float64Array(n);
  const fill = (get: (j: number) => number, count: number) => {
    let m = -Infinity;
    for (let j = 0; j < count; j++) {
      const v = x[get(j)];
      if (v > m && v !== Infinity) m = v;
    }
    for (let j = 0; j < count; j++) {
      const i = get(j);
      const d = m - x[i];
      dist[i] = Number.isFinite(d) ? d : 0;
      len[i] = count;
    }
  };
  const rank = input.shape.length;
  const red = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (red.length > 0 && red.every((a, i) => a === rank - red.length + i)) {
    const L = red.reduce((acc, a) => acc * input.shape[a], 1);
    for (let off = 0; off < n && L > 0; off += L) fill((j) => off + j, L);
  } else {
    for (const idx of slicesOver(input.shape, axes)) fill((j) => idx[j], idx.length);
  }
  return { dist, len };
}

/** The absolute error a criterion allows for this element (Infinity: none; for ULP criteria, in ULPs). */
export function allowance(c: Criterion, expected: number, dist: number, len: number, dtype: FloatDType, log = false): number {
  switch (c.kind) {
    case 'ulp':
      return c.ulps + (c.perElement ?? 0) * len;
    case 'allclose':
      return c.atol + c.rtol * Math.abs(expected);
    case 'conditioned':
      // log-softmax: an absolute error in log p is a relative error in p, so the softmax's relative allowance is
      // its absolute one, plus the rounding of |log p| itself (y = (x - max) - log S errs by roundings of each term).
      if (log) return EPSILON[dtype] * (c.k * (1 + dist + Math.abs(expected)) + c.c * Math.max(len - 1, 0)) + c.floorUlps * MIN_SUBNORMAL[dtype];
      return EPSILON[dtype] * (c.k * (1 + dist) + c.c * Math.max(len - 1, 0)) * Math.abs(expected) + c.floorUlps * MIN_SUBNORMAL[dtype];
  }
}

/** The spacing of `dtype` at |x| (one ULP there; the smallest subnormal at and below the normal range's start). */
export function ulpSize(x: number, dtype: FloatDType): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a) || a < MIN_NORMAL[dtype]) return MIN_SUBNORMAL[dtype];
  return 2 ** Math.floor(Math.log2(a)) * EPSILON[dtype];
}

/**
 * The absolute error the profile lets an element with correct value `expected` have (the most lenient of its
 * criteria, ULP criteria converted at that value's spacing; a flushable value may be 0, so an error of its size).
 * The checks that compare an implementation's outputs with each other, not with the oracle, use it to allow what
 * the profile allows: two outputs each within it of the truth may differ by the sum of both allowances.
 */
export function allowedAbsError(profile: ToleranceProfile, dtype: FloatDType, expected: number, dist: number, len: number): number {
  let allowed = 0;
  for (const c of profile.dtypes[dtype].anyOf) {
    const a = allowance(c, expected, dist, len, dtype);
    allowed = Math.max(allowed, c.kind === 'ulp' ? a * ulpSize(expected, dtype) : a);
  }
  if (profile.flushedSubnormals === 'allow' && Math.abs(expected) < 2 * MIN_NORMAL[dtype]) allowed = Math.max(allowed, Math.abs(expected));
  return allowed;
}

function describe(c: Criterion, allowed: number, dist: number, len: number, profile: string, log = false): string {
  const g = (x: number) => Number(x.toPrecision(3)).toString();
  switch (c.kind) {
    case 'ulp':
      return `${profile} allows ${g(allowed)} ULP here (${c.ulps}${c.perElement ? ` + ${c.perElement} x N, N = ${len}` : ''}; ${c.source})`;
    case 'allclose':
      return `${profile} allows ${g(allowed)} absolute here (atol ${c.atol} + rtol ${c.rtol} x |expected|; ${c.source})`;
    case 'conditioned':
      if (log) return `${profile} allows ${g(allowed)} absolute here (log-softmax: eps x (${c.k} x (1 + |x - max| = ${g(dist)} + |expected|) + ${c.c} x (N - 1), N = ${len}), floor ${c.floorUlps} subnormal ULP)`;
      return `${profile} allows ${g(allowed)} absolute here (eps x (${c.k} x (1 + |x - max| = ${g(dist)}) + ${c.c} x (N - 1), N = ${len}) relative, floor ${c.floorUlps} subnormal ULP)`;
  }
}

/**
 * Compare an implementation's output (already cast to the expected float dtype) with the oracle's, element by
 * element, under the profile. A NaN where NaN is expected matches; a NaN or an infinity where a finite value is
 * expected (or the wrong infinity) fails under every profile.
 */
export function compareToOracle(actual: Tensor, expected: Tensor, ctx: { input: Tensor; axes: number[]; log?: boolean }, profile: ToleranceProfile): Comparison {
  // A unit's output is compared with the same oracle result by its oracle check, the axis and layout checks and the
  // contract inference: compare once. Tensors are not changed once built, so a comparison is a pure function of
  // these objects; the entries go with the output tensor.
  const axes = ctx.axes.join(',');
  const log = ctx.log === true;
  let made = comparisons.get(actual);
  const hit = made?.find((m) => m.expected === expected && m.input === ctx.input && m.axes === axes && m.log === log && m.profile === profile);
  if (hit) return hit.result;
  const result = compareOnce(actual, expected, ctx, profile);
  if (made === undefined) comparisons.set(actual, (made = []));
  if (made.length < COMPARISONS_KEPT) made.push({ expected, input: ctx.input, axes, log, profile, result });
  return result;
}

/** per output: every rule's oracle (inference), the claimed one again (checks): a handful at most */
const COMPARISONS_KEPT = 8;
const comparisons = new WeakMap<Tensor, { expected: Tensor; input: Tensor; axes: string; log: boolean; profile: ToleranceProfile; result: Comparison }[]>();

function compareOnce(actual: Tensor, expected: Tensor, ctx: { input: Tensor; axes: number[]; log?: boolean }, profile: ToleranceProfile): Comparison {
  if (!isFloatDType(expected.dtype)) throw new TypeError(`the oracle's output must be a float tensor, got ${expected.dtype}`);
  const dtype = expected.dtype;
  const a = numbersOf(actual);
  const e = numbersOf(expected);
  if (a.length !== e.length || ctx.input.data.length !== e.length) {
    throw new RangeError(`compareToOracle: ${a.length} actual, ${e.length} expected and ${ctx.input.data.length} input elements`);
  }
  const { dist, len } = conditioning(ctx.input, ctx.axes);
  const rule = profile.dtypes[dtype];
  const sample = emptySample(e.length);
  let failing = 0;
  let worst: Comparison['worst'];
  let worstExcess = -Infinity;
  let worstAt = -1;
  let worstBest = rule.anyOf[0];
  let worstAllowed = 0;
  for (let i = 0; i < e.length; i++) {
    recordElementError(a[i], e[i], dtype, sample, i);
    const ulp = sample.ulps[i];
    if (ulp === 0) continue;
    if (a[i] === 0 && profile.flushedSubnormals === 'allow' && e[i] !== 0 && Math.abs(e[i]) < 2 * MIN_NORMAL[dtype]) {
      recordFlush(sample, i, e[i]); // allowed: reported apart, kept out of the ULP figures
      continue;
    }
    // excess = error / allowance of the most lenient criterion (> 1: out of tolerance)
    let excess = Infinity;
    let best = rule.anyOf[0];
    let bestAllowed = 0;
    if (Number.isFinite(ulp)) {
      for (const c of rule.anyOf) {
        const allowed = allowance(c, e[i], dist[i], len[i], dtype, ctx.log);
        const ratio = (c.kind === 'ulp' ? ulp : sample.abs[i]) / allowed;
        if (ratio < excess || (excess === Infinity && ratio === Infinity)) {
          excess = ratio;
          best = c;
          bestAllowed = allowed;
        }
      }
    }
    if (excess <= 1) continue;
    failing++;
    if (excess > worstExcess) {
      worstExcess = excess;
      worstAt = i;
      worstBest = best;
      worstAllowed = bestAllowed;
    }
  }
  // The sentence for the worst element only (not for each element that was the worst so far).
  if (worstAt >= 0) {
    const i = worstAt;
    const ulp = sample.ulps[i];
    worst = {
      index: i,
      actual: a[i],
      expected: e[i],
      ulp: ulp,
      abs: sample.abs[i],
      rel: sample.rel[i],
      allowedDescription: Number.isFinite(ulp)
        ? describe(worstBest, worstAllowed, dist[i], len[i], profile.name, ctx.log)
        : `${profile.name} allows no ${Number.isNaN(a[i]) ? 'NaN' : 'infinity'} where the correctly rounded value is ${Number.isNaN(e[i]) ? 'NaN' : e[i]}`,
    };
  }
  let stats: ErrorStats | undefined;
  return {
    pass: failing === 0,
    failing,
    worst,
    sample,
    get stats() {
      return (stats ??= sampleStats(sample));
    },
  };
}
