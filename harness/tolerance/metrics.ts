// Per-element error against the correctly rounded value: absolute, relative, and ULP distance in the output dtype.
// ULP distances count the representable values between the two numbers (+0 and -0 are the same point; subnormals
// count one by one), from the ordered bits of each format. The float64 and float32 routines replace stdlib's
// (@stdlib/number-float{64,32}-base-ulp-difference), which loading cost ~50 ms of every short command; metrics.test.ts
// checks they agree with stdlib's on random and edge pairs. Conventions: NaN vs NaN is a match (distance 0); NaN
// against a number, or an infinity against anything but the same infinity, is an unbounded distance (Infinity).
import type { FloatDType } from '../tensor/dtype.js';
import { numberToBf16Bits } from '../tensor/bfloat16.js';
import { numberToHalfBits } from '../tensor/float16.js';
import type { ErrorStats } from '../model.js';

export interface ElementError {
  ulp: number;
  abs: number;
  rel: number;
  /** the correctly rounded value is a nonzero subnormal of the dtype and the actual value is zero */
  flushed: boolean;
}

/** The smallest positive normal value of each dtype (below it: subnormals). */
export const MIN_NORMAL: Record<FloatDType, number> = { float64: 2 ** -1022, float32: 2 ** -126, float16: 2 ** -14, bfloat16: 2 ** -126 };
/** The smallest subnormal of each dtype (the spacing of the subnormal range). */
export const MIN_SUBNORMAL: Record<FloatDType, number> = { float64: 2 ** -1074, float32: 2 ** -149, float16: 2 ** -24, bfloat16: 2 ** -133 };
/** Machine epsilon (spacing of numbers at 1). */
export const EPSILON: Record<FloatDType, number> = { float64: 2 ** -52, float32: 2 ** -23, float16: 2 ** -10, bfloat16: 2 ** -7 };

const F64 = new Float64Array(1);
const F32 = new Float32Array(1);
const W64 = new Uint32Array(F64.buffer);
const W32 = new Uint32Array(F32.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

/** Representable doubles between two finite doubles (exact below 2^53). */
export function ulpdiff64(a: number, b: number): number {
  F64[0] = a;
  const ha = W64[HI];
  const la = W64[LO];
  F64[0] = b;
  const hb = W64[HI];
  const lb = W64[LO];
  const ma = (ha & 0x7fffffff) * 4294967296 + la;
  const mb = (hb & 0x7fffffff) * 4294967296 + lb;
  // Same sign: the magnitudes' difference, taken word by word so it stays exact; opposite signs: their sum.
  if (ha >>> 31 === hb >>> 31) return Math.abs(((ha & 0x7fffffff) - (hb & 0x7fffffff)) * 4294967296 + (la - lb));
  return ma + mb;
}

/** Representable floats between two finite values (each rounded to float32 first). */
export function ulpdiff32(a: number, b: number): number {
  F32[0] = a;
  const wa = W32[0];
  F32[0] = b;
  const wb = W32[0];
  const ma = wa & 0x7fffffff;
  const mb = wb & 0x7fffffff;
  return wa >>> 31 === wb >>> 31 ? Math.abs(ma - mb) : ma + mb;
}

/** Position of a binary16 on the number line, as an integer: adjacent values differ by 1, and -0 = +0. */
function halfKey(x: number): number {
  const b = numberToHalfBits(x);
  return b & 0x8000 ? -(b & 0x7fff) : b;
}

/** Position of a bfloat16 on the number line, as halfKey's. */
function bf16Key(x: number): number {
  const b = numberToBf16Bits(x);
  return b & 0x8000 ? -(b & 0x7fff) : b;
}

export function ulpDistance(actual: number, expected: number, dtype: FloatDType): number {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected) ? 0 : Infinity;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return actual === expected ? 0 : Infinity;
  switch (dtype) {
    case 'float64': return ulpdiff64(actual, expected);
    case 'float32': return ulpdiff32(actual, expected);
    case 'float16': return Math.abs(halfKey(actual) - halfKey(expected));
    case 'bfloat16': return Math.abs(bf16Key(actual) - bf16Key(expected));
  }
}

/**
 * Per-element errors of one comparison, kept for a check's error statistics. Typed arrays: a run keeps hundreds of
 * thousands of these numbers until its statistics are made, and typed arrays keep them off the collected heap.
 */
export interface ElementErrorSample {
  ulps: Float64Array;
  abs: Float64Array;
  rel: Float64Array;
  /** 1 where the element is an allowed flush to zero: reported in `flushed`, left out of the ULP figures */
  excluded: Uint8Array;
  /** allowed flushes to zero (the profile accepts a zero for a tiny correct value) */
  flushed: number;
  /** the largest correct value (in magnitude) among them; 0 when none */
  largestFlushed: number;
}

export function emptySample(n: number): ElementErrorSample {
  return { ulps: new Float64Array(n), abs: new Float64Array(n), rel: new Float64Array(n), excluded: new Uint8Array(n), flushed: 0, largestFlushed: 0 };
}

/** Mark element i as an allowed flush of the correct value `expected` to zero (kept out of the ULP figures). */
export function recordFlush(into: ElementErrorSample, i: number, expected: number): void {
  into.excluded[i] = 1;
  into.flushed++;
  into.largestFlushed = Math.max(into.largestFlushed, Math.abs(expected));
}

/**
 * elementError for element i, written into the sample (no object per element: this runs for every element). Flushes
 * are not counted here: whether a zero is an allowed flush is the profile's call (compareToOracle's recordFlush).
 */
export function recordElementError(actual: number, expected: number, dtype: FloatDType, into: ElementErrorSample, i: number): void {
  const ulp = ulpDistance(actual, expected, dtype);
  if (ulp === 0) {
    into.ulps[i] = 0;
    into.abs[i] = 0;
    into.rel[i] = 0;
    return;
  }
  into.ulps[i] = ulp;
  if (!Number.isFinite(ulp)) {
    into.abs[i] = Infinity;
    into.rel[i] = Infinity;
    return;
  }
  const abs = Math.abs(actual - expected);
  into.abs[i] = abs;
  into.rel[i] = expected === 0 ? Infinity : abs / Math.abs(expected);
}

/** The error of one element (both values already in the dtype). */
export function elementError(actual: number, expected: number, dtype: FloatDType): ElementError {
  const ulp = ulpDistance(actual, expected, dtype);
  const flushed = actual === 0 && expected !== 0 && Math.abs(expected) < MIN_NORMAL[dtype];
  if (ulp === 0) return { ulp: 0, abs: 0, rel: 0, flushed: false };
  if (!Number.isFinite(ulp)) return { ulp, abs: Infinity, rel: Infinity, flushed };
  const abs = Math.abs(actual - expected);
  const rel = expected === 0 ? Infinity : abs / Math.abs(expected);
  return { ulp, abs, rel, flushed };
}

export const ULP_BUCKETS = ['0', '1', '2-3', '4-15', '16-255', '256-65535', '>=65536'] as const;

export function ulpBucket(ulp: number): (typeof ULP_BUCKETS)[number] {
  if (!(ulp < 65536)) return '>=65536';
  if (ulp < 1) return '0';
  if (ulp < 2) return '1';
  if (ulp < 4) return '2-3';
  if (ulp < 16) return '4-15';
  if (ulp < 256) return '16-255';
  return '256-65535';
}

/**
 * JSON cannot carry Infinity: unbounded distances are reported as exactly 2^53 in the maxima and quantiles (the
 * convention of harness/engine/stats.ts; finite distances are never written as exactly 2^53, see finiteUlp), counted
 * in the last histogram bucket, and left out of maxAbs / maxRel. Reporters show it as "unbounded".
 */
export const UNBOUNDED_ULP = 2 ** 53;

/** A finite ULP distance as written to JSON: as it is, except that exactly 2^53 (the sentinel) moves to 2^53 + 2. */
export function finiteUlp(x: number): number {
  return x === UNBOUNDED_ULP ? UNBOUNDED_ULP + 2 : x;
}

function nearestRank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Builds ErrorStats one element at a time. */
export class StatsAccumulator {
  private ulps: number[] = [];
  private readonly histogram: Record<string, number> = Object.fromEntries(ULP_BUCKETS.map((b) => [b, 0]));
  private maxAbs = 0;
  private maxRel = 0;
  private flushed = 0;
  private largestFlushed = 0;

  /** An allowed flush to zero of the correct value `expected`: counted apart, not in the ULP figures. */
  addFlush(expected: number): void {
    this.flushed++;
    this.largestFlushed = Math.max(this.largestFlushed, Math.abs(expected));
  }

  add(e: ElementError): void {
    this.ulps.push(e.ulp); // Infinity sorts last; made JSON-safe in finish()
    this.histogram[ulpBucket(e.ulp)]++;
    if (Number.isFinite(e.abs) && e.abs > this.maxAbs) this.maxAbs = e.abs;
    if (Number.isFinite(e.rel) && e.rel > this.maxRel) this.maxRel = e.rel;
    if (e.flushed) this.flushed++;
  }

  finish(): ErrorStats {
    const sorted = Float64Array.from(this.ulps).sort().map((x) => (Number.isFinite(x) ? finiteUlp(x) : UNBOUNDED_ULP));
    const n = sorted.length;
    const max = n > 0 ? sorted[n - 1] : 0;
    return {
      elements: n,
      maxUlp: max,
      maxAbs: this.maxAbs,
      maxRel: this.maxRel,
      ulpQuantiles: { p50: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9), p99: nearestRank(sorted, 0.99), max },
      ulpHistogram: { ...this.histogram },
      flushedSubnormals: this.flushed,
      largestFlushed: this.largestFlushed,
    };
  }
}

/** ErrorStats of one sample (as StatsAccumulator would make them element by element); allowed flushes apart. */
export function sampleStats(s: ElementErrorSample): ErrorStats {
  const acc = new StatsAccumulator();
  for (let i = 0; i < s.ulps.length; i++) {
    if (s.excluded[i] === 0) acc.add({ ulp: s.ulps[i], abs: s.abs[i], rel: s.rel[i], flushed: false });
  }
  const stats = acc.finish();
  stats.flushedSubnormals = s.flushed;
  stats.largestFlushed = s.largestFlushed;
  return stats;
}

/**
 * ErrorStats over paired elements (actual and expected in the dtype), with no profile: a zero for a nonzero
 * subnormal counts as a flush (in flushedSubnormals and largestFlushed) and, being an error, in the ULP figures too.
 */
export function errorStats(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: FloatDType): ErrorStats {
  if (actual.length !== expected.length) throw new RangeError(`${actual.length} actual values against ${expected.length} expected`);
  const acc = new StatsAccumulator();
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = elementError(actual[i], expected[i], dtype);
    acc.add(e);
    if (e.flushed) largest = Math.max(largest, Math.abs(expected[i]));
  }
  const stats = acc.finish();
  stats.largestFlushed = largest;
  return stats;
}
