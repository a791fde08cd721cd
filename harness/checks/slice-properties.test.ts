// The reference-free slice properties judged on made-up outcomes (no worker): sum-to-one, range and order, and
// log-softmax's forms of the first two, each kept and broken, at the edge of what it allows, with its sentence.
// Written for their mutation score (docs/mutation.md): before it, only test/ audits and two cases of
// diagnoses.test.ts exercised this file.
import { describe, expect, it } from 'vitest';
import { ctxOf, ok, unitOf } from '../../test/helpers/judging.js';
import { domainsOf } from '../engine/domains.js';
import { makeOracle } from '../engine/evaluate.js';
import type { Unit } from '../engine/unit.js';
import { fromNumbers, numbersOf, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import type { CallOutcome } from '../worker/types.js';
import { primaryProbe, type Check } from './check.js';
import { logRangeCheck, logSumToOneCheck, orderCheck, rangeCheck, sumToOneCheck } from './slice-properties.js';

const oracle = makeOracle('ieee');
const logOracle = makeOracle('ieee', 'log-softmax');
const crash: CallOutcome = { kind: 'crash', exitCode: 1, signal: null, stderr: '' };
const judge = (check: Check, unit: Unit, output: Tensor, profile = 'strict', op?: 'log-softmax') =>
  check.judge(unit, [ok(output)], { ...ctxOf(unit, op ? { op } : {}), profile: getProfile(profile) });
const detail = (j: ReturnType<Check['judge']>) => (j.status === 'fail' ? j.detail : `(${j.status})`);
const f64 = (shape: number[], v: number[]) => fromNumbers('float64', shape, v);
const u = 2 ** -53; // float64's unit roundoff

describe('what the slice checks apply to and ask for', () => {
  it('only inputs whose plain exps are representable: no NaN, infinity, overflow, underflow or empty axis', () => {
    const inputs: [string, Tensor, boolean][] = [
      ['ordinary', f64([2, 2], [1, 2, 3, 4]), true],
      ['singleton axis', f64([2, 1], [1, 2]), true],
      ['nan', f64([2], [1, NaN]), false],
      ['infinity', f64([2], [1, -Infinity]), false],
      ['overflow', f64([2], [1000, 999]), false],
      ['underflow', f64([2], [-800, -801]), false],
      ['empty', f64([2, 0], []), false],
    ];
    for (const check of [sumToOneCheck, rangeCheck, orderCheck, logSumToOneCheck, logRangeCheck]) {
      for (const [what, x, applies] of inputs) {
        const unit = unitOf(x);
        expect(check.applies(unit, domainsOf(unit)), `${check.name} on ${what}`).toBe(applies);
      }
      const unit = unitOf(f64([2], [1, 2]));
      expect(check.probes(unit)).toEqual([primaryProbe(unit)]);
      expect(check.judge(unit, [crash], ctxOf(unit))).toEqual({ status: 'unjudged', detail: 'not judged: the process crashed (see crash)' });
      expect(check.diagnose([{ unit, detail: 'first' }, { unit, detail: 'second' }])).toBe('first');
    }
    expect([sumToOneCheck, rangeCheck, orderCheck, logSumToOneCheck, logRangeCheck].map((c) => [c.name, c.family])).toEqual([
      ['sum-to-one', 'sum-to-one'], ['range', 'range'], ['order', 'order'], ['sum-to-one', 'sum-to-one'], ['range', 'range'],
    ]);
  });
});

describe('sum-to-one', () => {
  it('passes the correctly rounded softmax; fails a slice normalised wrongly, with the input, the slice and the evidence', () => {
    const x = f64([2, 3], [1, 2, 3, 0.5, 0.25, 4]);
    const unit = unitOf(x);
    const y = oracle(x, [1]);
    expect(judge(sumToOneCheck, unit, y)).toEqual({ status: 'pass' });
    const v = Array.from(numbersOf(y));
    v[4] *= 2; // the second slice only
    const bad = f64([2, 3], v);
    const j = judge(sumToOneCheck, unit, bad);
    expect(j).toMatchObject({ status: 'fail', evidence: { input: x, args: unit.args, actual: bad, expected: y } });
    expect(detail(j)).toMatch(/^on 2x3 \[1, 2, 3, 0\.5, 0\.25, 4\] \(float64\), the slice starting at \[1, 0\] along axes \(1\) sums to 1\.0[0-9]+, not 1$/);
  });

  it('says how far a sum within 1e-6 of 1 is off, with its sign; a 0-d output is its own slice', () => {
    const unit = unitOf(f64([2], [0, 0]));
    expect(detail(judge(sumToOneCheck, unit, f64([2], [0.5, 0.5 + 2 ** -30])))).toContain('sums to 1.0000000009313226 (1 + 9.31e-10), not 1');
    expect(detail(judge(sumToOneCheck, unit, f64([2], [0.5, 0.5 - 2 ** -30])))).toContain('sums to 0.9999999990686774 (1 - 9.31e-10), not 1');
    expect(detail(judge(sumToOneCheck, unit, f64([2], [0.5, 0.25])))).toContain('sums to 0.75, not 1');
    const s = f64([], [3]);
    expect(detail(judge(sumToOneCheck, unitOf(s), f64([], [0.5])))).toBe('on 3 (0-d, float64), the 0-d output (its own slice) sums to 0.5, not 1');
  });

  it('sums each slice with compensation: a large value that cancels does not swallow the rest', () => {
    // Under `exact` (no allowance from the profile) a plain left-to-right sum gives 0 here; the slice sums to 1.
    const unit = unitOf(f64([3], [0, 0, 0]));
    expect(judge(sumToOneCheck, unit, f64([3], [2 ** 60, 1, -(2 ** 60)]), 'exact')).toEqual({ status: 'pass' });
    expect(judge(sumToOneCheck, unit, f64([3], [1, 2 ** 60, -(2 ** 60)]), 'exact')).toEqual({ status: 'pass' });
    expect(judge(sumToOneCheck, unit, f64([3], [2 ** 60, 0.5, -(2 ** 60)]), 'exact').status).toBe('fail');
  });

  it('allows (8 + 2N) unit roundoffs per unit of the slice\'s spread, and not one more', () => {
    // Under `exact` only the structural allowance counts. N = 2, spread 0: 12 u; spread 2 (inputs 1 and 3): 36 u.
    const flat = unitOf(f64([2], [0, 0]));
    expect(judge(sumToOneCheck, flat, f64([2], [0.5, 0.5 + 12 * u]), 'exact').status).toBe('pass');
    expect(judge(sumToOneCheck, flat, f64([2], [0.5, 0.5 + 14 * u]), 'exact').status).toBe('fail');
    const spread = unitOf(f64([2], [1, 3]));
    expect(judge(sumToOneCheck, spread, f64([2], [0.5, 0.5 + 36 * u]), 'exact').status).toBe('pass');
    expect(judge(sumToOneCheck, spread, f64([2], [0.5, 0.5 + 38 * u]), 'exact').status).toBe('fail');
    // N = 4, spread 0: 16 u
    const four = unitOf(f64([4], [0, 0, 0, 0]));
    expect(judge(sumToOneCheck, four, f64([4], [0.25, 0.25, 0.25, 0.25 + 16 * u]), 'exact').status).toBe('pass');
    expect(judge(sumToOneCheck, four, f64([4], [0.25, 0.25, 0.25, 0.25 + 18 * u]), 'exact').status).toBe('fail');
  });

  it('in the result dtype\'s roundoff: a float32 slice may be off by what float32 rounds', () => {
    const unit = unitOf(fromNumbers('float32', [2], [0, 0]));
    expect(judge(sumToOneCheck, unit, fromNumbers('float32', [2], [0.5, 0.5 + 2 ** -22])).status).toBe('pass');
    expect(judge(sumToOneCheck, unit, fromNumbers('float32', [2], [0.5, 0.5 + 2 ** -19])).status).toBe('fail');
  });

  it('never allows less than the profile lets the elements be off, each at its own distance from the max', () => {
    // framework: 1e-7 + 1e-7 |y| per element, 3e-7 for two halves
    const unit = unitOf(f64([2], [0, 0]));
    expect(judge(sumToOneCheck, unit, f64([2], [0.5, 0.5 + 2.9e-7]), 'framework').status).toBe('pass');
    expect(judge(sumToOneCheck, unit, f64([2], [0.5, 0.5 + 3.1e-7]), 'framework').status).toBe('fail');
    // strict at inputs near 500: each element's distance from the max is 0, so the profile adds ~3 u, not ~1000 eps
    const high = unitOf(f64([2], [500, 500]));
    expect(judge(sumToOneCheck, high, f64([2], [0.5, 0.5 + 2 ** -47])).status).toBe('fail');
  });
});

describe('range', () => {
  it('passes outputs in [0, 1] and what the profile accepts next to 0 and 1, fails beyond, saying by how many ULP', () => {
    const unit = unitOf(f64([2, 2], [0, 0, 0, 0]));
    // strict, N = 2: at 1 the allowance is eps (1 + 0.5 (N - 1)) = 1.5 ULP; at 0 two subnormal ULP
    expect(judge(rangeCheck, unit, f64([2, 2], [0.5, 0.5, 1 + 2 ** -52, 2 ** -1074 * -2]))).toEqual({ status: 'pass' });
    // (1 + 1.5 ULP rounds to 1 + 2 ULP: 2 ULP above passes, 3 do not)
    expect(judge(rangeCheck, unit, f64([2, 2], [0.5, 0.5, 0.5, 1 + 2 ** -51]))).toEqual({ status: 'pass' });
    const above = judge(rangeCheck, unit, f64([2, 2], [0.5, 0.5, 0.5, 1 + 3 * 2 ** -52]));
    expect(detail(above)).toBe('on 2x2 [0.0, 0.0, 0.0, 0.0] (float64), output[1, 1] is 1.0000000000000007 (3 ULP above 1), outside [0, 1]');
    expect(above).toMatchObject({ evidence: { input: unit.case.input, actual: f64([2, 2], [0.5, 0.5, 0.5, 1 + 3 * 2 ** -52]), expected: oracle(unit.case.input, [1]) } });
    expect(detail(judge(rangeCheck, unit, f64([2, 2], [0.5, -3 * 2 ** -1074, 0.5, 0.5])))).toContain('output[0, 1] is -1.5e-323 (3 ULP below 0), outside [0, 1]');
    expect(detail(judge(rangeCheck, unit, f64([2, 2], [0.5, 0.5, NaN, 0.5])))).toContain('output[1, 0] is nan, outside [0, 1]');
  });

  it('reads the allowance at 1 for the slice\'s length', () => {
    // N = 6: 3.5 ULP at 1 (1 + 3.5 ULP rounds to 1 + 4 ULP), so 3 and 4 ULP above pass (3 failed with N = 2 above)
    const unit = unitOf(f64([6], [0, 0, 0, 0, 0, 0]));
    expect(judge(rangeCheck, unit, f64([6], [0, 0, 0, 0, 0, 1 + 3 * 2 ** -52])).status).toBe('pass');
    expect(judge(rangeCheck, unit, f64([6], [0, 0, 0, 0, 0, 1 + 4 * 2 ** -52])).status).toBe('pass');
    expect(judge(rangeCheck, unit, f64([6], [0, 0, 0, 0, 0, 1 + 5 * 2 ** -52])).status).toBe('fail');
  });
});

describe('order', () => {
  it('passes the correct softmax of unsorted slices; fails a larger input given a smaller probability', () => {
    const x = f64([2, 3], [3, 1, 2, 0.5, 2, -1]);
    const unit = unitOf(x);
    const y = oracle(x, [1]);
    expect(judge(orderCheck, unit, y)).toEqual({ status: 'pass' });
    const v = Array.from(numbersOf(y));
    [v[3], v[4]] = [v[4], v[3]]; // second slice: 0.5 now gets more than 2
    const j = judge(orderCheck, unit, f64([2, 3], v));
    expect(detail(j)).toMatch(/^on 2x3 \[3, 1, 2, 0\.5, 2, -1\] \(float64\), input\[1, 0\] = 0\.5 < input\[1, 1\] = 2\.0 but the outputs are 0\.7[0-9]+ and 0\.1[0-9]+ \([0-9]+ ULP apart\)$/);
  });

  it('equal inputs must get equal outputs, to the bit; different inputs may share one', () => {
    const x = f64([3], [1, 0, 1]);
    const unit = unitOf(x);
    expect(detail(judge(orderCheck, unit, f64([3], [0.25, 0.125, 0.25 + 2 ** -54])))).toBe('on [1, 0.0, 1] (float64), input[0] = input[2] = 1.0 but the outputs are 0.25 and 0.25000000000000006 (1 ULP apart)');
    // 1e-300 apart: both exps round to 1, so equal outputs for different inputs are right
    const near = unitOf(f64([2], [0, 1e-300]));
    expect(judge(orderCheck, near, f64([2], [0.5, 0.5]))).toEqual({ status: 'pass' });
    // equal inputs with equal outputs pass
    expect(judge(orderCheck, unit, oracle(x, [0]))).toEqual({ status: 'pass' });
  });
});

describe('log-softmax: sum-to-one of the exps, and range <= 0', () => {
  it('passes the correctly rounded log-softmax; fails one off by 1e-13, saying the sum and the slice', () => {
    const x = f64([2, 2], [0, 1, 2, 3]);
    const unit = unitOf(x);
    const y = logOracle(x, [1]);
    expect(judge(logSumToOneCheck, unit, y, 'strict', 'log-softmax')).toEqual({ status: 'pass' });
    const v = Array.from(numbersOf(y));
    v[2] += 1e-13;
    v[3] += 1e-13;
    expect(detail(judge(logSumToOneCheck, unit, f64([2, 2], v), 'strict', 'log-softmax'))).toMatch(
      /^on 2x2 \[0\.0, 1, 2, 3\] \(float64\), the exp of the slice starting at \[1, 0\] along axes \(1\) sums to 1 \+ (1\.0[0-9]e-13|9\.9[0-9]e-14), not 1$/,
    );
    v[2] -= 0.1;
    expect(detail(judge(logSumToOneCheck, unit, f64([2, 2], v), 'strict', 'log-softmax'))).toContain('sums to 0.97440684, not 1');
    expect(detail(judge(logSumToOneCheck, unit, f64([2, 2], [0, 0, -1, -1]), 'strict', 'log-softmax'))).toContain('the slice starting at [0, 0] along axes (1) sums to 2, not 1');
    expect(detail(judge(logSumToOneCheck, unitOf(f64([1], [2])), f64([1], [-1e-10]), 'strict', 'log-softmax'))).toContain('sums to 1 - 1.00e-10, not 1');
  });

  it('allows (8 + 2N) unit roundoffs whatever the spread', () => {
    const unit = unitOf(f64([2], [0, 0]));
    const half = Math.log(0.5);
    // each exp moves by ~d/2: 9e-16 in all is inside 12 u (1.3e-15), 3e-15 is not, even with a spread of 700
    expect(judge(logSumToOneCheck, unit, f64([2], [half + 9e-16, half + 9e-16]), 'strict', 'log-softmax').status).toBe('pass');
    expect(judge(logSumToOneCheck, unit, f64([2], [half + 3e-15, half + 3e-15]), 'strict', 'log-softmax').status).toBe('fail');
    const spread = unitOf(f64([2], [0, 700]));
    expect(judge(logSumToOneCheck, spread, f64([2], [half + 3e-15, half + 3e-15]), 'strict', 'log-softmax').status).toBe('fail');
    // N = 8: 24 u (2.7e-15)
    const eight = unitOf(f64([8], [0, 0, 0, 0, 0, 0, 0, 0]));
    const e8 = (d: number) => f64([8], Array.from({ length: 8 }, () => Math.log(1 / 8) + d));
    expect(judge(logSumToOneCheck, eight, e8(2e-15), 'strict', 'log-softmax').status).toBe('pass');
    expect(judge(logSumToOneCheck, eight, e8(3.5e-15), 'strict', 'log-softmax').status).toBe('fail');
  });

  it('range: 0 is in range (a length-1 slice), anything above 0 or NaN is not', () => {
    const unit = unitOf(f64([2, 1], [5, 6]));
    expect(judge(logRangeCheck, unit, f64([2, 1], [0, -0]), 'strict', 'log-softmax')).toEqual({ status: 'pass' });
    expect(detail(judge(logRangeCheck, unit, f64([2, 1], [0, 2 ** -1074]), 'strict', 'log-softmax'))).toBe(
      'on 2x1 [5, 6] (float64), log-softmax output[1, 0] is 5e-324, not <= 0',
    );
    expect(detail(judge(logRangeCheck, unit, f64([2, 1], [NaN, 0]), 'strict', 'log-softmax'))).toContain('log-softmax output[0, 0] is nan, not <= 0');
  });
});

describe('slices over several axes, and no slices at all', () => {
  it('names the slice by its first element and every axis it runs along', () => {
    const x = f64([2, 2], [0, 0, 0, 0]);
    const unit = unitOf(x, { rule: 'all' });
    expect(unit.axes).toEqual([0, 1]);
    expect(detail(judge(sumToOneCheck, unit, f64([2, 2], [0.25, 0.25, 0.25, 0.5])))).toContain('the slice starting at [0, 0] along axes (0, 1) sums to 1.25, not 1');
    expect(detail(judge(logSumToOneCheck, unit, f64([2, 2], [0, 0, 0, 0]), 'strict', 'log-softmax'))).toContain('the exp of the slice starting at [0, 0] along axes (0, 1) sums to 4, not 1');
  });

  it('an input with no slices (a length-0 batch axis) has nothing out of range', () => {
    const e = f64([0, 2], []);
    expect(judge(rangeCheck, unitOf(e), f64([0, 2], []))).toEqual({ status: 'pass' });
  });
});
