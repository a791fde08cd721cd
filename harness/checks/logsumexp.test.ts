// The checks of `--op logsumexp` judged on made-up outcomes (no worker): which inputs each applies to, the oracle
// comparison under each kind of criterion at the edge of its allowance, NaN and the infinities, the overflow and
// underflow explanations, shift-equivariance, the bounds max <= lse <= max + log N, and the reduced shape.
// Written for their mutation score (docs/mutation.md): before it, only test/ audits exercised this file.
import { describe, expect, it } from 'vitest';
import { ctxOf, ok, unitOf } from '../../test/helpers/judging.js';
import { domainsOf } from '../engine/domains.js';
import { makeOracle } from '../engine/evaluate.js';
import type { Unit } from '../engine/unit.js';
import { roundToHalf } from '../tensor/float16.js';
import { fromNumbers, numbersOf, type Tensor } from '../tensor/tensor.js';
import { getProfile, type Criterion, type ToleranceProfile } from '../tolerance/profiles.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check } from './check.js';
import {
  lseBoundsCheck, lseInfinityCheck, lseNanCheck, lseOverflowCheck, lseShapeCheck, lseShiftCheck, lseSingletonCheck, lseUnderflowCheck, lseValuesCheck,
} from './logsumexp.js';

const lse = makeOracle('ieee', 'logsumexp');
const crash: CallOutcome = { kind: 'crash', exitCode: 1, signal: null, stderr: '' };
const f64 = (shape: number[], v: ArrayLike<number>) => fromNumbers('float64', shape, v);
const eps = 2 ** -52;
/** A profile of these criteria for every float dtype. */
const profileOf = (...anyOf: Criterion[]): ToleranceProfile => ({
  name: 'test', description: '', flushedSubnormals: 'fail', dtypes: { float64: { anyOf }, float32: { anyOf }, float16: { anyOf }, bfloat16: { anyOf } },
});
const judgeAll = (check: Check, unit: Unit, outputs: (Tensor | CallOutcome)[], profile: ToleranceProfile = getProfile('strict')) =>
  check.judge(unit, outputs.map((o) => ('kind' in o ? o : ok(o))), { ...ctxOf(unit, { op: 'logsumexp' }), profile });
const judge = (check: Check, unit: Unit, output: Tensor | CallOutcome, profile?: ToleranceProfile) => judgeAll(check, unit, [output], profile);
const detail = (j: ReturnType<Check['judge']>) => (j.status === 'fail' ? j.detail : `(${j.status})`);
/** The correctly rounded logsumexp of a 1-D input plus `d` (a 0-d output). */
const off = (x: Tensor, d: number) => f64([], [numbersOf(lse(x, [0]))[0] + d]);

describe('which inputs each logsumexp check judges', () => {
  it('values, singleton, overflow, underflow, nan, infinity by domain; shift and bounds on representable inputs of rank >= 1', () => {
    const checks = [lseValuesCheck, lseSingletonCheck, lseOverflowCheck, lseUnderflowCheck, lseNanCheck, lseInfinityCheck, lseShiftCheck, lseBoundsCheck, lseShapeCheck];
    const table: [string, Tensor, string[]][] = [
      ['ordinary', f64([2, 3], [1, 2, 3, 4, 5, 6]), ['values', 'shift-equivariance', 'bounds', 'rank']],
      ['int32', fromNumbers('int32', [2], [1, 2]), ['values', 'shift-equivariance', 'bounds', 'rank']],
      ['bool', fromNumbers('bool', [2], [1, 0]), ['values', 'bounds', 'rank']],
      ['0-d', f64([], [3]), ['values', 'rank']],
      ['singleton axis', f64([2, 1], [1, 2]), ['singleton', 'shift-equivariance', 'bounds', 'rank']],
      ['overflow', f64([2], [1000, 999]), ['overflow', 'rank']],
      ['overflow and underflow', f64([2], [1000, -1000]), ['overflow', 'rank']],
      ['underflow', f64([2], [-800, -801]), ['underflow', 'rank']],
      ['singleton, overflow', f64([1], [1000]), ['overflow', 'rank']],
      ['singleton, underflow', f64([1], [-800]), ['underflow', 'rank']],
      ['singleton, nan', f64([1], [NaN]), ['nan', 'rank']],
      ['singleton, infinity', f64([1], [Infinity]), ['infinity', 'rank']],
      ['singleton, empty', f64([1, 0], []), ['infinity', 'rank']],
      ['nan', f64([2], [1, NaN]), ['nan', 'rank']],
      ['nan and infinity', f64([2], [NaN, Infinity]), ['nan', 'rank']],
      ['infinity', f64([2], [1, -Infinity]), ['infinity', 'rank']],
      ['empty', f64([2, 0], []), ['infinity', 'rank']],
    ];
    for (const [what, x, names] of table) {
      const unit = unitOf(x);
      expect(checks.filter((c) => c.applies(unit, domainsOf(unit))).map((c) => c.name), what).toEqual(names);
    }
    expect(checks.map((c) => c.family)).toEqual(['values', 'singleton', 'overflow', 'underflow', 'nan', 'infinity', 'shift-invariance', 'range', 'rank']);
  });

  it('each asks for the plain call (shift also for the shifted one), leaves an unusable outcome unjudged, and diagnoses by the first failure', () => {
    const unit = unitOf(f64([2], [1, 2]));
    for (const check of [lseValuesCheck, lseSingletonCheck, lseOverflowCheck, lseUnderflowCheck, lseNanCheck, lseInfinityCheck, lseBoundsCheck, lseShapeCheck]) {
      expect(check.probes(unit), check.name).toEqual([primaryProbe(unit)]);
      expect(judge(check, unit, crash), check.name).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
      expect(check.diagnose([{ unit, detail: 'first' }, { unit, detail: 'second' }]), check.name).toBe('first');
    }
    expect(lseShiftCheck.diagnose([{ unit, detail: 'first' }, { unit, detail: 'second' }])).toBe('logsumexp is not shift-equivariant: first');
  });
});

describe('the oracle comparison', () => {
  it('passes the correctly rounded value, reduced or with keepdims; fails another, naming the element and the ULP', () => {
    const x = f64([2, 3], [1, 2, 3, 0.5, 0.25, 4]);
    const unit = unitOf(x);
    const y = lse(x, [1]);
    expect(judge(lseValuesCheck, unit, y)).toEqual({ status: 'pass' });
    expect(judge(lseValuesCheck, unit, f64([2, 1], numbersOf(y)))).toEqual({ status: 'pass' });
    const v = Array.from(numbersOf(y));
    v[1] += 1e-9;
    const bad = f64([2, 1], v);
    const j = judge(lseValuesCheck, unit, bad);
    expect(detail(j)).toMatch(/^on 2x3 \[1, 2, 3, 0\.5, 0\.25, 4\], logsumexp\[1\] is 4\.0[0-9]+ where the correctly rounded value is 4\.0[0-9]+ \(1125[0-9]{3} ULP\)$/);
    expect(j).toMatchObject({ evidence: { input: x, args: unit.args, actual: bad, expected: y } });
    expect(judge(lseValuesCheck, unit, f64([3], [1, 2, 3]))).toEqual({ status: 'unjudged', detail: 'not judged: returned shape (3,) (see rank)' });
  });

  it('ulp criterion: ulps + perElement x N, and ulps alone without perElement', () => {
    const x = f64([2], [0, 0]); // lse = ln 2, one ULP 2^-53
    const unit = unitOf(x);
    const perN = profileOf({ kind: 'ulp', ulps: 1, perElement: 1, source: 't' });
    expect(judge(lseValuesCheck, unit, off(x, 3 * 2 ** -53), perN).status).toBe('pass');
    expect(judge(lseValuesCheck, unit, off(x, -4 * 2 ** -53), perN).status).toBe('fail');
    const flat = profileOf({ kind: 'ulp', ulps: 2, source: 't' });
    expect(judge(lseValuesCheck, unit, off(x, -2 * 2 ** -53), flat).status).toBe('pass');
    expect(judge(lseValuesCheck, unit, off(x, 3 * 2 ** -53), flat).status).toBe('fail');
  });

  it('allclose criterion: atol + rtol |expected|, on either side of a negative value', () => {
    const x = f64([2], [-10, -10]); // lse = -9.3069: allowed 1e-3 + 9.3069e-3 = 0.0103069
    const unit = unitOf(x);
    const p = profileOf({ kind: 'allclose', atol: 1e-3, rtol: 1e-3, source: 't' });
    for (const d of [0.0102, -0.0102]) expect(judge(lseValuesCheck, unit, off(x, d), p).status, `${d}`).toBe('pass');
    for (const d of [0.0104, -0.0104]) expect(judge(lseValuesCheck, unit, off(x, d), p).status, `${d}`).toBe('fail');
  });

  it('conditioned criterion: eps (k (|m| + |lse| + 1) + c (N - 1)) + floor subnormal ULP', () => {
    const x = f64([2], [-10, -10]); // m = -10, lse = -9.3069
    const byK = profileOf({ kind: 'conditioned', k: 1000, c: 0, floorUlps: 0, source: 't' });
    const kAllowed = eps * 1000 * (10 + 9.306852819440055 + 1);
    expect(judge(lseValuesCheck, unitOf(x), off(x, 0.98 * kAllowed), byK).status).toBe('pass');
    expect(judge(lseValuesCheck, unitOf(x), off(x, -1.02 * kAllowed), byK).status).toBe('fail');
    const x3 = f64([3], [-10, -10, -10]);
    const byC = profileOf({ kind: 'conditioned', k: 0, c: 1000, floorUlps: 0, source: 't' });
    expect(judge(lseValuesCheck, unitOf(x3), off(x3, -0.98 * eps * 2000), byC).status).toBe('pass');
    expect(judge(lseValuesCheck, unitOf(x3), off(x3, 1.02 * eps * 2000), byC).status).toBe('fail');
    // lse of a single 0 is exactly 0: only the floor allows anything
    const zero = f64([1], [0]);
    const floor = profileOf({ kind: 'conditioned', k: 0, c: 1000, floorUlps: 2, source: 't' });
    expect(judge(lseValuesCheck, unitOf(zero), f64([], [2 * 2 ** -1074]), floor).status).toBe('pass');
    expect(judge(lseValuesCheck, unitOf(zero), f64([], [3 * 2 ** -1074]), floor).status).toBe('fail');
  });

  it('a 0-d input is its own slice, its max the value itself', () => {
    const x = f64([], [3]);
    const unit = unitOf(x);
    // strict: eps (|3| + |3| + 1) = 7 eps, so one ULP of 3 (2 eps) passes and 1 does not
    expect(judge(lseValuesCheck, unit, f64([], [3 + 2 * eps]))).toEqual({ status: 'pass' });
    expect(detail(judge(lseValuesCheck, unit, f64([], [4])))).toBe('on 3 (0-d), logsumexp[] is 4 where the correctly rounded value is 3 (2251799813685248 ULP)');
  });

  it('an element passes when any one criterion allows it', () => {
    const x = f64([2], [0, 0]);
    const p = profileOf({ kind: 'ulp', ulps: 0, source: 't' }, { kind: 'allclose', atol: 1e-3, rtol: 0, source: 't' });
    expect(judge(lseValuesCheck, unitOf(x), off(x, 1e-4), p).status).toBe('pass');
    expect(judge(lseValuesCheck, unitOf(x), off(x, 2e-3), p).status).toBe('fail');
  });

  it('NaN and the infinities must match exactly, whatever the profile allows', () => {
    const x = f64([2, 2], [1, NaN, 1, 2]);
    const unit = unitOf(x);
    const y = lse(x, [1]);
    expect(judge(lseNanCheck, unit, y)).toEqual({ status: 'pass' });
    expect(detail(judge(lseNanCheck, unit, f64([2], [NaN, NaN])))).toMatch(/^on 2x2 \[1, nan, 1, 2\], logsumexp\[1\] is nan where the correctly rounded value is 2\.3132617$/);
    expect(detail(judge(lseNanCheck, unit, f64([2], [1, numbersOf(y)[1]])))).toContain('logsumexp[0] is 1 where the correctly rounded value is nan');
    // +inf in a slice: its lse is inf; a finite answer fails even under a criterion that grows with |lse|
    const inf = f64([2, 2], [1, Infinity, -Infinity, -Infinity]);
    const ui = unitOf(inf);
    expect(judge(lseInfinityCheck, ui, f64([2], [Infinity, -Infinity]))).toEqual({ status: 'pass' });
    expect(detail(judge(lseInfinityCheck, ui, f64([2], [1, -Infinity])))).toContain('logsumexp[0] is 1 where the correctly rounded value is inf');
    expect(detail(judge(lseInfinityCheck, ui, f64([2], [Infinity, -1e308])))).toContain('logsumexp[1] is -1e+308 where the correctly rounded value is -inf');
  });

  it('names a naive log(sum(exp(x))) where the answer overflowed or underflowed, and only then', () => {
    const big = f64([2, 2], [1000, 999, 1, 2]);
    const ub = unitOf(big);
    const yb = numbersOf(lse(big, [1]));
    expect(judge(lseOverflowCheck, ub, f64([2], yb))).toEqual({ status: 'pass' });
    expect(detail(judge(lseOverflowCheck, ub, f64([2], [Infinity, yb[1]])))).toBe(
      'overflows: exp(1000) is inf in float64, and logsumexp comes out inf: on 2x2 [1000, 999, 1, 2], logsumexp[0] is inf where the correctly rounded value is 1000.3133',
    );
    // inf for the row [1, 2], whose exps are finite: nothing in that slice shows an overflow, so none is claimed
    expect(detail(judge(lseOverflowCheck, ub, f64([2], [yb[0], Infinity])))).toMatch(/^on 2x2 .* logsumexp\[1\] is inf where/);
    expect(detail(judge(lseOverflowCheck, ub, f64([2], [-Infinity, yb[1]])))).toMatch(/^on 2x2 .* logsumexp\[0\] is -inf where/);
    expect(detail(judge(lseOverflowCheck, ub, f64([2], [999, yb[1]])))).toMatch(/^on 2x2 .* logsumexp\[0\] is 999 where the correctly rounded value is 1000\.3133 \([0-9]+ ULP\)$/);
    const small = f64([2, 2], [-1000, -1001, 1, 2]);
    const us = unitOf(small);
    const ys = numbersOf(lse(small, [1]));
    expect(detail(judge(lseUnderflowCheck, us, f64([2], [-Infinity, ys[1]])))).toBe(
      'underflows: every exp of the slice is 0 in float64 (its largest value is -1000), and logsumexp comes out -inf: on 2x2 [-1000, -1001, 1, 2], logsumexp[0] is -inf where the correctly rounded value is -999.68674',
    );
    expect(detail(judge(lseUnderflowCheck, us, f64([2], [ys[0], -Infinity])))).toMatch(/^on 2x2 .* logsumexp\[1\] is -inf where/);
    expect(detail(judge(lseUnderflowCheck, us, f64([2], [Infinity, ys[1]])))).toMatch(/^on 2x2 .* logsumexp\[0\] is inf where/);
  });
});

describe('shift-equivariance', () => {
  it('asks for the input plus a shift that carries a naive exp past overflow, in the input\'s dtype', () => {
    const shifted = (x: Tensor) => Array.from(numbersOf(lseShiftCheck.probes(unitOf(x))[1].input));
    expect(shifted(f64([2], [1, 2]))).toEqual([801, 802]);
    expect(shifted(fromNumbers('int32', [2], [1, 2]))).toEqual([801, 802]);
    expect(shifted(fromNumbers('float32', [2], [1, 2]))).toEqual([101, 102]);
    expect(shifted(fromNumbers('float16', [2], [1, 2]))).toEqual([13, 14]);
    const unit = unitOf(f64([2], [1, 2]));
    expect(lseShiftCheck.probes(unit)[0]).toEqual(primaryProbe(unit));
    expect(lseShiftCheck.probes(unit)[1].args).toEqual(unit.args);
  });

  it('passes the correctly rounded pair, with or without the planned probes; fails a lost shift, saying both values', () => {
    const x = f64([2, 2], [1, 2, 3, 5]);
    const unit = unitOf(x);
    const probes = lseShiftCheck.probes(unit);
    const a = lse(x, [1]);
    const b = lse(probes[1].input, [1]);
    expect(judgeAll(lseShiftCheck, unit, [a, b])).toEqual({ status: 'pass' });
    expect(lseShiftCheck.judge(unit, [ok(a), ok(b)], ctxOf(unit, { op: 'logsumexp' }), probes)).toEqual({ status: 'pass' });
    const lost = f64([2], [numbersOf(b)[0], numbersOf(a)[1]]);
    const j = judgeAll(lseShiftCheck, unit, [a, lost]);
    expect(detail(j)).toBe('on 2x2 [1, 2, 3, 5], logsumexp[1] is 5.126928, but adding 800 to the input gives 5.126928, not 805.12693');
    expect(j).toMatchObject({ evidence: { input: probes[1].input, args: unit.args, actual: lost, expected: b } });
    expect(judgeAll(lseShiftCheck, unit, [crash, b])).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
    expect(judgeAll(lseShiftCheck, unit, [a, f64([3], [1, 2, 3])])).toEqual({ status: 'unjudged', detail: 'not judged: returned shape (3,) (see rank)' });
  });

  it('allows 64 roundings of |lse(x + c)| + |lse(x)| + 1, and not more', () => {
    // float16 [1, 1]: lse = 1 + ln 2 (1.6934), shift 12; the allowance is 2^-4 (|b| + 1.6934 + 1): about 1.09 above
    // 12 + lse, 0.96 below
    const x = fromNumbers('float16', [2], [1, 1]);
    const unit = unitOf(x);
    const a = lse(x, [0]);
    const h = (v: number) => fromNumbers('float16', [], [roundToHalf(v)]);
    expect(judgeAll(lseShiftCheck, unit, [a, h(14.75)]).status).toBe('pass');
    expect(judgeAll(lseShiftCheck, unit, [a, h(12.75)]).status).toBe('pass');
    expect(judgeAll(lseShiftCheck, unit, [a, h(14.8125)]).status).toBe('fail');
    expect(judgeAll(lseShiftCheck, unit, [a, h(12.6875)]).status).toBe('fail');
  });
});

describe('bounds: max <= lse <= max + log N', () => {
  it('passes the correct values; fails one below the max or above max + log N, saying which', () => {
    const x = f64([2, 2], [-3, 0, 1, 1]);
    const unit = unitOf(x);
    const y = lse(x, [1]);
    expect(judge(lseBoundsCheck, unit, y)).toEqual({ status: 'pass' });
    const below = judge(lseBoundsCheck, unit, f64([2], [numbersOf(y)[0], 1 - 2 ** -52]));
    expect(detail(below)).toBe('on 2x2 [-3, 0.0, 1, 1], logsumexp[1] is 1, below the slice\'s max 1');
    expect(below).toMatchObject({ evidence: { input: x, args: unit.args, actual: f64([2], [numbersOf(y)[0], 1 - 2 ** -52]), expected: y } });
    expect(detail(judge(lseBoundsCheck, unit, f64([2], [0.7, numbersOf(y)[1]])))).toBe('on 2x2 [-3, 0.0, 1, 1], logsumexp[0] is 0.7, above max + log N = 0.69314718');
    expect(detail(judge(lseBoundsCheck, unit, f64([2], [NaN, numbersOf(y)[1]])))).toContain('logsumexp[0] is nan, below the slice\'s max 0.0');
    expect(judge(lseBoundsCheck, unit, f64([2], [0, 1]))).toEqual({ status: 'pass' });
  });

  it('allows 4 roundings of |max| + log N + 1 above max + log N', () => {
    // [0, 0]: ln 2 + 6.8 eps (one ULP here is eps / 2)
    const zero = unitOf(f64([2], [0, 0]));
    expect(judge(lseBoundsCheck, zero, f64([], [Math.log(2) + 6 * eps])).status).toBe('pass');
    expect(judge(lseBoundsCheck, zero, f64([], [Math.log(2) + 8 * eps])).status).toBe('fail');
    // [-3, -3]: -3 + ln 2 + 18.8 eps (one ULP here is 2 eps)
    const neg = unitOf(f64([2], [-3, -3]));
    expect(judge(lseBoundsCheck, neg, f64([], [-3 + Math.log(2) + 16 * eps])).status).toBe('pass');
    expect(judge(lseBoundsCheck, neg, f64([], [-3 + Math.log(2) + 22 * eps])).status).toBe('fail');
  });
});

describe('rank: the reduced shape', () => {
  it('passes the reduced shape and the keepdims shape, fails any other (even of the right length)', () => {
    const x = f64([2, 3, 4], Array.from({ length: 24 }, (_, i) => i));
    const unit = unitOf(x);
    expect(lseShapeCheck.applies(unit, domainsOf(unit))).toBe(true);
    expect(judge(lseShapeCheck, unit, f64([2, 3], [1, 2, 3, 4, 5, 6]))).toEqual({ status: 'pass' });
    expect(judge(lseShapeCheck, unit, f64([2, 3, 1], [1, 2, 3, 4, 5, 6]))).toEqual({ status: 'pass' });
    const wrong = f64([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]);
    expect(judge(lseShapeCheck, unit, wrong)).toEqual({
      status: 'fail',
      detail: 'returns shape (2, 4) for input (2, 3, 4) reduced over axes (2): expected (2, 3) (or (2, 3, 1) with keepdims)',
      evidence: { input: x, args: unit.args, actual: wrong },
    });
    expect(judge(lseShapeCheck, unit, f64([2, 3, 1, 1], [1, 2, 3, 4, 5, 6])).status).toBe('fail');
    // a shape that agrees with the reduced one as far as it goes is still another shape
    expect(judge(lseShapeCheck, unit, f64([2], [1, 2])).status).toBe('fail');
    expect(detail(judge(lseShapeCheck, unitOf(f64([2, 3], [1, 2, 3, 4, 5, 6]), { rule: 'all' }), f64([2], [1, 2])))).toBe(
      'returns shape (2,) for input (2, 3) reduced over axes (0, 1): expected () (or (1, 1) with keepdims)',
    );
    // an axis counted from the end names the same axis
    expect(judge(lseShapeCheck, { ...unit, axes: [-1] }, f64([2, 3], [1, 2, 3, 4, 5, 6]))).toEqual({ status: 'pass' });
  });
});
