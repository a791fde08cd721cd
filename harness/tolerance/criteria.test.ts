// compareToOracle criterion by criterion, with hand-made profiles: what each allows (its formula at its boundary),
// how the conditioning reads the slice (trailing axes and others), which element is the worst, and the sentence that
// says what was allowed.
import { describe, expect, it } from 'vitest';
import { fromNumbers, makeTensor, type Tensor } from '../tensor/tensor.js';
import { allowance, allowedAbsError, compareToOracle, conditioning, getProfile, loadProfiles, PROFILES_PATH, ulpSize, type Criterion, type ToleranceProfile } from './profiles.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EPSILON, MIN_SUBNORMAL, StatsAccumulator, elementError, errorStats, sampleStats, emptySample, recordElementError, ulpBucket, UNBOUNDED_ULP } from './metrics.js';

const profile = (c: Criterion, flushedSubnormals: 'allow' | 'fail' = 'fail'): ToleranceProfile => ({
  name: 'p',
  description: 'd',
  flushedSubnormals,
  dtypes: { float64: { anyOf: [c] }, float32: { anyOf: [c] }, float16: { anyOf: [c] }, bfloat16: { anyOf: [c] } },
});
const f64 = (shape: number[], v: number[]): Tensor => fromNumbers('float64', shape, v);
/** One element compared: actual vs expected, the input giving its conditioning. */
const one = (actual: number, expected: number, p: ToleranceProfile, input: Tensor = f64([1], [0])) =>
  compareToOracle(f64([...input.shape], [actual, ...Array(input.data.length - 1).fill(0.5)]), f64([...input.shape], [expected, ...Array(input.data.length - 1).fill(0.5)]), { input, axes: [input.shape.length - 1] }, p);
/** k ULP above 0.5 (its ULP is 2^-53) */
const up = (x: number, k = 1) => x * (1 + k * 2 ** -52);

describe('criteria at their boundaries', () => {
  it('ulp: at most ulps + perElement x N, N the slice length', () => {
    const c: Criterion = { kind: 'ulp', ulps: 2, perElement: 1, source: 'src' };
    const x3 = f64([3], [0, 1, 2]);
    // 0.5 -> next doubles: 1 ULP each step of 2^-53
    expect(one(0.5 + 5 * 2 ** -53, 0.5, profile(c), x3).pass).toBe(true); // 5 <= 2 + 3
    const bad = one(0.5 + 6 * 2 ** -53, 0.5, profile(c), x3);
    expect(bad.pass).toBe(false);
    expect(bad.worst).toMatchObject({ index: 0, ulp: 6, allowedDescription: 'p allows 5 ULP here (2 + 1 x N, N = 3; src)' });
    const plain = one(0.5 + 3 * 2 ** -53, 0.5, profile({ kind: 'ulp', ulps: 2, source: 's' }), x3);
    expect(plain.worst?.allowedDescription).toBe('p allows 2 ULP here (2; s)');
  });

  it('allclose: |a - e| <= atol + rtol |e|', () => {
    const c: Criterion = { kind: 'allclose', rtol: 0.5, atol: 0.25, source: 'numpy' };
    expect(one(1.75, 1, profile(c)).pass).toBe(true); // 0.75 <= 0.25 + 0.5
    expect(one(0.25, 1, profile(c)).pass).toBe(true);
    expect(one(-0.5, -1, profile(c)).pass).toBe(true); // |e| for a negative expected value
    const bad = one(1.875, 1, profile(c));
    expect(bad.worst).toMatchObject({ abs: 0.875, rel: 0.875, allowedDescription: 'p allows 0.75 absolute here (atol 0.25 + rtol 0.5 x |expected|; numpy)' });
  });

  it('conditioned: eps (k (1 + |x - max|) + c (N - 1)) |e| + floor x smallest subnormal', () => {
    const c: Criterion = { kind: 'conditioned', k: 2, c: 3, floorUlps: 4, source: 's' };
    // the element is 1 below the max of a slice of 3: eps (2 x 2 + 3 x 2) = 10 eps relative, + 4 subnormal ULP
    const x = f64([3], [1, 2, 0]);
    const allowed = 10 * EPSILON.float64 * 0.5 + 4 * MIN_SUBNORMAL.float64;
    expect(one(0.5 + 10 * 2 ** -53, 0.5, profile(c), x).pass).toBe(true);
    const bad = one(0.5 + 12 * 2 ** -53, 0.5, profile(c), x);
    expect(bad.pass).toBe(false);
    expect(bad.worst?.allowedDescription).toBe(`p allows ${Number(allowed.toPrecision(3))} absolute here (eps x (2 x (1 + |x - max| = 1) + 3 x (N - 1), N = 3) relative, floor 4 subnormal ULP)`);
    // the floor alone, for an expected value of 0 (a lone element: N - 1 = 0 and |x - max| = 0)
    expect(one(4 * MIN_SUBNORMAL.float64, 0, profile(c)).pass).toBe(true);
    expect(one(5 * MIN_SUBNORMAL.float64, 0, profile(c)).pass).toBe(false);
  });

  it('conditioned: the max ignores +inf and NaN, and a non-finite distance counts as 0', () => {
    const c: Criterion = { kind: 'conditioned', k: 1, c: 0, floorUlps: 0, source: 's' };
    // element 0 is 3 below the finite max (4): allowed eps (1 + 3) |e| = 4 ULP at 0.5; with +inf as the max it
    // would be unbounded
    const x = f64([3], [1, 4, Infinity]);
    expect(one(up(0.5, 4), 0.5, profile(c), x).pass).toBe(true);
    expect(one(up(0.5, 5), 0.5, profile(c), x).pass).toBe(false);
    // -inf: its distance is infinite, counted as 0: allowed eps x 1 x |e| = 1 ULP
    const y = f64([2], [-Infinity, 0]);
    expect(one(up(0.5, 1), 0.5, profile(c), y).pass).toBe(true);
    expect(one(up(0.5, 2), 0.5, profile(c), y).pass).toBe(false);
  });

  it('conditioning follows the axes: trailing ones as runs, others through their slices', () => {
    const c: Criterion = { kind: 'conditioned', k: 1, c: 0, floorUlps: 0, source: 's' };
    const input = f64([2, 2], [0, 100, 90, 0]); // element 0: 100 below its row's max, 90 below its column's
    const e = f64([2, 2], [0.5, 0.5, 0.5, 0.5]);
    const a = f64([2, 2], [up(0.5, 95), 0.5, 0.5, 0.5]); // 95 ULP
    expect(compareToOracle(a, e, { input, axes: [1] }, profile(c)).pass).toBe(true); // 101 eps x 0.5 = 101 ULP
    expect(compareToOracle(a, e, { input, axes: [0] }, profile(c)).pass).toBe(false); // 91 ULP
    expect(compareToOracle(a, e, { input, axes: [-1] }, profile(c)).pass).toBe(true);
    expect(compareToOracle(a, e, { input, axes: [0, 1] }, profile(c)).pass).toBe(true);
    // the slice length N in a non-trailing reduction is the column's
    const n = compareToOracle(f64([2, 2], [up(0.5, 3), 0.5, 0.5, 0.5]), e, { input: f64([2, 2], [0, 0, 0, 0]), axes: [0] }, profile({ kind: 'ulp', ulps: 0, perElement: 1, source: 's' }));
    expect(n.worst?.allowedDescription).toBe('p allows 2 ULP here (0 + 1 x N, N = 2; s)');
  });

  it('the most lenient criterion decides, and the worst element is the one furthest past its allowance', () => {
    const p: ToleranceProfile = { ...profile({ kind: 'ulp', ulps: 1, source: 'a' }), dtypes: { ...profile({ kind: 'ulp', ulps: 1, source: 'a' }).dtypes, float64: { anyOf: [{ kind: 'ulp', ulps: 1, source: 'a' }, { kind: 'allclose', rtol: 0, atol: 2 ** -50, source: 'b' }] } } };
    const input = f64([3], [0, 0, 0]);
    const e = f64([3], [0.5, 0.5, 0.5]);
    // 3 ULP (1.5 x 2^-52 abs): within atol 2^-50; 40 ULP: out of both, 20 ULP: out of both, less so
    const c = compareToOracle(f64([3], [0.5 + 3 * 2 ** -53, 0.5 + 40 * 2 ** -53, 0.5 + 20 * 2 ** -53]), e, { input, axes: [0] }, p);
    expect(c.failing).toBe(2);
    expect(c.worst).toMatchObject({ index: 1, ulp: 40 });
    expect(c.worst?.allowedDescription).toMatch(/^p allows 8\.88e-16 absolute here \(atol 8\.881784197001252e-16/);
  });

  it('names what no profile allows: a NaN, or an infinity, where the correctly rounded value is finite (or NaN)', () => {
    const p = getProfile('loose');
    expect(one(NaN, 0.5, p).worst?.allowedDescription).toBe('loose allows no NaN where the correctly rounded value is 0.5');
    expect(one(Infinity, 0.5, p).worst?.allowedDescription).toBe('loose allows no infinity where the correctly rounded value is 0.5');
    expect(one(0.5, NaN, p).worst?.allowedDescription).toBe('loose allows no infinity where the correctly rounded value is NaN');
    expect(one(-Infinity, Infinity, p).failing).toBe(1);
  });

  it('refuses a non-float expected tensor and mismatched lengths', () => {
    const p = getProfile('strict');
    expect(() => compareToOracle(f64([1], [1]), makeTensor('int32', [1], Int32Array.of(1)), { input: f64([1], [0]), axes: [0] }, p)).toThrow("the oracle's output must be a float tensor, got int32");
    expect(() => compareToOracle(f64([2], [1, 1]), f64([1], [1]), { input: f64([1], [0]), axes: [0] }, p)).toThrow('compareToOracle: 2 actual, 1 expected and 1 input elements');
    expect(() => compareToOracle(f64([1], [1]), f64([1], [1]), { input: f64([2], [0, 0]), axes: [0] }, p)).toThrow('compareToOracle: 1 actual, 1 expected and 2 input elements');
  });

  it('caches the profiles file it read', () => {
    expect(loadProfiles()).toBe(loadProfiles());
  });
});

describe('error statistics', () => {
  it('buckets ULP distances at every boundary', () => {
    const cases: [number, string][] = [[0, '0'], [0.5, '0'], [1, '1'], [2, '2-3'], [3, '2-3'], [4, '4-15'], [15, '4-15'], [16, '16-255'], [255, '16-255'], [256, '256-65535'], [65535, '256-65535'], [65536, '>=65536'], [NaN, '>=65536'], [Infinity, '>=65536']];
    for (const [u, b] of cases) expect(ulpBucket(u), `${u}`).toBe(b);
  });

  it('takes nearest-rank quantiles, caps unbounded distances at 2^53 and leaves them out of the absolute maxima', () => {
    const acc = new StatsAccumulator();
    for (let u = 1; u <= 100; u++) acc.add({ ulp: u, abs: u * 1e-3, rel: u * 1e-2, flushed: u === 7 });
    acc.add({ ulp: Infinity, abs: Infinity, rel: Infinity, flushed: false });
    acc.add({ ulp: 2 ** 60, abs: 1, rel: 2, flushed: false });
    const s = acc.finish();
    expect(s).toMatchObject({ elements: 102, maxUlp: UNBOUNDED_ULP, maxAbs: 1, maxRel: 2, flushedSubnormals: 1 });
    // a finite distance above 2^53 is kept as it is (only NaN/inf where a number is expected is the sentinel)
    expect(s.ulpQuantiles).toEqual({ p50: 51, p90: 92, p99: 2 ** 60, max: UNBOUNDED_ULP });
    expect(s.ulpHistogram).toEqual({ '0': 0, '1': 1, '2-3': 2, '4-15': 12, '16-255': 85, '256-65535': 0, '>=65536': 2 });
    expect(new StatsAccumulator().finish()).toMatchObject({ elements: 0, maxUlp: 0, maxAbs: 0, maxRel: 0, ulpQuantiles: { p50: 0, p90: 0, p99: 0, max: 0 } });
  });

  it('records per-element errors into a sample as elementError computes them', () => {
    const pairs: [number, number][] = [[1, 1], [0.5 + 2 ** -53, 0.5], [0, 5e-324], [-0, 2 ** -1023], [0, 2 ** -1022], [NaN, 1], [1e-300, 0]];
    const s = emptySample(pairs.length);
    pairs.forEach(([a, e], i) => recordElementError(a, e, 'float64', s, i));
    pairs.forEach(([a, e], i) => {
      const want = elementError(a, e, 'float64');
      expect([s.ulps[i], s.abs[i], s.rel[i]], `${a} vs ${e}`).toEqual([want.ulp, want.abs, want.rel]);
    });
    // flushes are counted where the profile allows them (compareToOracle; profiles.test.ts), not in the raw sample
    expect(elementError(0, 2 ** -1023, 'float64')).toEqual({ ulp: 2 ** 51, abs: 2 ** -1023, rel: 1, flushed: true });
    expect(sampleStats(s)).toMatchObject({ elements: 7, maxUlp: UNBOUNDED_ULP });
    expect(errorStats([0.5 + 2 ** -53], [0.5], 'float64')).toMatchObject({ elements: 1, maxUlp: 1, maxAbs: 2 ** -53, maxRel: 2 ** -52 });
    expect(() => errorStats([1, 2], [1], 'float64')).toThrow('2 actual values against 1 expected');
  });
});

// Issue 19 (mutation scores): what the checks that compare outputs with each other allow (allowedAbsError), in
// absolute terms, and the spacing it converts ULP criteria with (ulpSize).
describe('absolute allowances', () => {
  it('ulpSize: one ULP at |x|, the smallest subnormal below the normal range and for non-finite x', () => {
    expect(ulpSize(1, 'float64')).toBe(2 ** -52);
    expect(ulpSize(1.99, 'float64')).toBe(2 ** -52);
    expect(ulpSize(0.75, 'float64')).toBe(2 ** -53);
    expect(ulpSize(-3, 'float32')).toBe(2 ** -22);
    expect(ulpSize(1, 'float16')).toBe(2 ** -10);
    expect(ulpSize(1, 'bfloat16')).toBe(2 ** -7);
    expect(ulpSize(2 ** -1022, 'float64')).toBe(2 ** -1074);
    expect(ulpSize(2 ** -1021, 'float64')).toBe(2 ** -1073);
    expect(ulpSize(2 ** -1030, 'float64')).toBe(2 ** -1074);
    expect(ulpSize(-(2 ** -15), 'float16')).toBe(2 ** -24);
    expect(ulpSize(0, 'float32')).toBe(2 ** -149);
    expect(ulpSize(Infinity, 'float64')).toBe(2 ** -1074);
    expect(ulpSize(NaN, 'float16')).toBe(2 ** -24);
  });

  it('allowedAbsError: each criterion in absolute terms, the most lenient of them, |expected| for negative values', () => {
    const ulp = profile({ kind: 'ulp', ulps: 2, perElement: 1, source: 's' });
    expect(allowedAbsError(ulp, 'float64', 1, 0, 3)).toBe(5 * 2 ** -52);
    expect(allowedAbsError(ulp, 'float64', -0.5, 0, 3)).toBe(5 * 2 ** -53);
    expect(allowedAbsError(profile({ kind: 'ulp', ulps: 2, source: 's' }), 'float64', 1, 0, 3)).toBe(2 * 2 ** -52);
    expect(allowedAbsError(profile({ kind: 'allclose', rtol: 0.5, atol: 0.25, source: 's' }), 'float64', -1, 0, 3)).toBe(0.75);
    const cond = profile({ kind: 'conditioned', k: 2, c: 3, floorUlps: 4, source: 's' });
    expect(allowedAbsError(cond, 'float64', 0.5, 1, 3)).toBe(10 * EPSILON.float64 * 0.5 + 4 * MIN_SUBNORMAL.float64);
    expect(allowedAbsError(cond, 'float64', 0.5, 1, 1)).toBe(4 * EPSILON.float64 * 0.5 + 4 * MIN_SUBNORMAL.float64);
    const both: ToleranceProfile = { ...ulp, dtypes: { ...ulp.dtypes, float64: { anyOf: [{ kind: 'ulp', ulps: 1, source: 'a' }, { kind: 'allclose', rtol: 0, atol: 1e-10, source: 'b' }] } } };
    expect(allowedAbsError(both, 'float64', 1, 0, 3)).toBe(1e-10);
    expect(allowedAbsError(both, 'float64', 2 ** 40, 0, 3)).toBe(2 ** -12);
  });

  it('allowedAbsError: a flushable value may be 0 (an error of its whole size) only where the profile allows flushing', () => {
    const c: Criterion = { kind: 'ulp', ulps: 1, source: 's' };
    const tiny = 1.5 * 2 ** -1022;
    expect(allowedAbsError(profile(c, 'allow'), 'float64', tiny, 0, 2)).toBe(tiny);
    expect(allowedAbsError(profile(c, 'allow'), 'float64', -tiny, 0, 2)).toBe(tiny);
    expect(allowedAbsError(profile(c, 'fail'), 'float64', tiny, 0, 2)).toBe(2 ** -1074);
    // from twice the smallest normal on, no flush: one ULP there
    expect(allowedAbsError(profile(c, 'allow'), 'float64', 2 ** -1021, 0, 2)).toBe(2 ** -1073);
    expect(allowedAbsError(profile(c, 'allow'), 'float32', 2 ** -126, 0, 2)).toBe(2 ** -126);
  });
});

describe('allowances and conditioning, directly (mutation survivors)', () => {
  it('conditioning: |x - max| per slice (trailing axes, other axes, all axes, 0-d) and the slice length', () => {
    const x = f64([2, 2], [0, 1, 5, 6]);
    const at = (axes: number[], input = x) => {
      const { dist, len } = conditioning(input, axes);
      return [Array.from(dist), Array.from(len)];
    };
    expect(at([1])).toEqual([[1, 0, 1, 0], [2, 2, 2, 2]]);
    expect(at([-1])).toEqual([[1, 0, 1, 0], [2, 2, 2, 2]]);
    expect(at([0])).toEqual([[5, 5, 0, 0], [2, 2, 2, 2]]);
    expect(at([0, 1])).toEqual([[6, 5, 1, 0], [4, 4, 4, 4]]);
    expect(at([], f64([], [3]))).toEqual([[0], [1]]);
    // +inf is no max, and a distance that is not finite counts as 0
    expect(at([0], f64([4], [1, Infinity, NaN, -Infinity]))).toEqual([[0, 0, 0, 0], [4, 4, 4, 4]]);
    expect(at([0], f64([3], [1, 3, Infinity]))).toEqual([[2, 0, 0], [3, 3, 3]]);
  });

  it('conditioning is made once per input and axes, and kept apart per axes', () => {
    const x = f64([2, 2], [0, 1, 5, 6]);
    const a = conditioning(x, [1]);
    expect(conditioning(x, [1])).toBe(a); // the goldens compare every library's output for one input: once
    expect(conditioning(x, [0])).not.toBe(a);
    expect(Array.from(conditioning(x, [0]).dist)).toEqual([5, 5, 0, 0]);
    expect(Array.from(conditioning(f64([2, 2], [0, 1, 5, 6]), [1]).dist)).toEqual(Array.from(a.dist)); // another tensor: its own
  });

  it('allowance: each formula, log-softmax\'s absolute one included', () => {
    const cond: Criterion = { kind: 'conditioned', k: 2, c: 3, floorUlps: 4, source: 's' };
    expect(allowance(cond, -0.5, 1, 3, 'float64', true)).toBe(EPSILON.float64 * (2 * 2.5 + 6) + 4 * MIN_SUBNORMAL.float64);
    expect(allowance(cond, -0.5, 1, 0, 'float64', true)).toBe(EPSILON.float64 * (2 * 2.5) + 4 * MIN_SUBNORMAL.float64);
    // the subnormal floor alone (no relative terms): added, in both forms
    const floor: Criterion = { kind: 'conditioned', k: 0, c: 0, floorUlps: 4, source: 's' };
    expect(allowance(floor, 0, 0, 1, 'float64', true)).toBe(4 * MIN_SUBNORMAL.float64);
    expect(allowance(floor, 0, 0, 1, 'float64')).toBe(4 * MIN_SUBNORMAL.float64);
    expect(allowance(cond, -0.5, 1, 3, 'float64')).toBe(EPSILON.float64 * (2 * 2 + 6) * 0.5 + 4 * MIN_SUBNORMAL.float64);
    expect(allowance({ kind: 'allclose', rtol: 0.5, atol: 0.25, source: 's' }, -2, 0, 1, 'float64')).toBe(1.25);
    expect(allowance({ kind: 'ulp', ulps: 2, perElement: 1, source: 's' }, 5, 0, 3, 'float64')).toBe(5);
  });

  it('log-softmax failures say which allowance they were held to', () => {
    const c: Criterion = { kind: 'conditioned', k: 1, c: 0, floorUlps: 0, source: 's' };
    const r = compareToOracle(f64([1], [-1e-10]), f64([1], [-2e-10]), { input: f64([1], [0]), axes: [0], log: true }, profile(c));
    expect(r.worst?.allowedDescription).toMatch(/^p allows [\d.e-]+ absolute here \(log-softmax: eps x \(1 x \(1 \+ \|x - max\| = 0 \+ \|expected\|\) \+ 0 x \(N - 1\), N = 1\), floor 0 subnormal ULP\)$/);
  });

  it('of elements equally far out, the first is the worst', () => {
    const c = compareToOracle(f64([2], [up(0.5, 9), up(0.5, 9)]), f64([2], [0.5, 0.5]), { input: f64([2], [0, 0]), axes: [0] }, profile({ kind: 'ulp', ulps: 1, source: 's' }));
    expect(c.worst?.index).toBe(0);
  });

  it('a sample records equal values as no error, NaN and zero included', () => {
    const s = emptySample(2);
    recordElementError(NaN, NaN, 'float64', s, 0);
    recordElementError(0, 0, 'float64', s, 1);
    expect([Array.from(s.ulps), Array.from(s.abs), Array.from(s.rel)]).toEqual([[0, 0], [0, 0], [0, 0]]);
  });

  it('a profiles file whose default is none of its profiles is a data error naming them', () => {
    const file = JSON.parse(readFileSync(PROFILES_PATH, 'utf8'));
    file.default = 'nope';
    const d = mkdtempSync(join(tmpdir(), 'sc-profiles-'));
    try {
      const path = join(d, 'profiles.json');
      writeFileSync(path, JSON.stringify(file));
      expect(() => loadProfiles(path)).toThrow(`${path} at /default: "nope" is not one of the profiles (${Object.keys(file.profiles).join(', ')})`);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
