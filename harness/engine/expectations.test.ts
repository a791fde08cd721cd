// The manifest's expected failures decide the gate: these tests pin each verdict's mapping and which verdicts fail it.
import { describe, expect, it } from 'vitest';
import type { CheckResult, Verdict } from '../model.js';
import { applyExpectations, applyPlatform, isFailure, isGateFailure, type ExpectedFailure } from './expectations.js';

function check(name: string, rule: 'last' | 'all', verdict: Verdict, diagnosis = `${name} diagnosis`): CheckResult {
  return {
    name,
    family: 'values',
    contract: { rule, policy: 'ieee', claimed: true },
    verdict,
    diagnosis,
    cases: { planned: 1, run: 1, passed: 0, failed: 0, rejected: 0, errors: 0 },
    ms: 1,
  };
}

const EXPECTED: ExpectedFailure[] = [{ contract: 'last', check: 'overflow', reason: 'exp overflows above 709' }];

describe('applyExpectations', () => {
  it('turns an expected failure into xfail, with the reason, and leaves its diagnosis alone', () => {
    const [r] = applyExpectations([check('overflow', 'last', 'fail', 'returns NaN for x = 1000')], EXPECTED);
    expect(r).toMatchObject({ verdict: 'xfail', expectation: 'exp overflows above 709', diagnosis: 'returns NaN for x = 1000' });
    expect(isGateFailure(r.verdict)).toBe(false);
  });

  it('turns an expected failure that now passes into xpass, which fails the gate and says why', () => {
    const [r] = applyExpectations([check('overflow', 'last', 'pass', 'all 40 cases within tolerance')], EXPECTED);
    expect(r.verdict).toBe('xpass');
    expect(r.expectation).toBe('exp overflows above 709');
    expect(r.diagnosis).toBe('expected to fail (exp overflows above 709) but it passed: all 40 cases within tolerance');
    expect(isGateFailure(r.verdict)).toBe(true);
  });

  it('turns an expected failure that no case exercised (skip) into an error, which fails the gate', () => {
    const [r] = applyExpectations([check('overflow', 'last', 'skip', 'no case applies')], EXPECTED);
    expect(r.verdict).toBe('error');
    expect(r.expectation).toBe('exp overflows above 709');
    expect(r.diagnosis).toBe('the manifest expects a failure, but no case exercised this check: no case applies');
    expect(isGateFailure(r.verdict)).toBe(true);
  });

  it.each(['error', 'xfail', 'xpass'] as const)('keeps a %s verdict as it is and records the reason', (verdict) => {
    const [r] = applyExpectations([check('overflow', 'last', verdict, 'd')], EXPECTED);
    expect(r).toMatchObject({ verdict, diagnosis: 'd', expectation: 'exp overflows above 709' });
  });

  it('matches on both the check and the contract: another contract or another check is left untouched', () => {
    const other = [check('overflow', 'all', 'fail'), check('underflow', 'last', 'fail'), check('underflow', 'last', 'pass')];
    const out = applyExpectations(other, EXPECTED);
    expect(out.map((r) => r.verdict)).toEqual(['fail', 'fail', 'pass']);
    expect(out.map((r) => r.expectation)).toEqual([undefined, undefined, undefined]);
    expect(out[0]).toBe(other[0]);
  });

  it('applies each expectation to its own check among several', () => {
    const expected: ExpectedFailure[] = [...EXPECTED, { contract: 'all', check: 'axis', reason: 'sums over everything' }];
    const out = applyExpectations([check('axis', 'all', 'fail'), check('overflow', 'last', 'pass'), check('axis', 'last', 'fail')], expected);
    expect(out.map((r) => [r.verdict, r.expectation])).toEqual([
      ['xfail', 'sums over everything'],
      ['xpass', 'exp overflows above 709'],
      ['fail', undefined],
    ]);
  });
});

describe('isGateFailure', () => {
  it.each([
    ['pass', false],
    ['xfail', false],
    ['skip', false],
    ['fail', true],
    ['xpass', true],
    ['error', true],
  ] as const)('%s fails the gate: %s', (verdict, fails) => {
    expect(isGateFailure(verdict)).toBe(fails);
  });
});

describe('isFailure: a finding about the code (exit 1), which a check that judged nothing is not', () => {
  it.each([
    ['pass', false],
    ['xfail', false],
    ['skip', false],
    ['error', false],
    ['fail', true],
    ['xpass', true],
  ] as const)('%s: %s', (verdict, finding) => {
    expect(isFailure(verdict)).toBe(finding);
  });
});

describe('an expected failure scoped to input dtypes', () => {
  const SCOPED: ExpectedFailure[] = [{ contract: 'last', check: 'overflow', reason: 'x - max wraps in int32', dtypes: ['int32'] }];
  const failing = [check('overflow', 'last', 'fail', 'wraps around: on [...] (int32) (3 of 9 cases)')];
  it('is xfail while every failure is on its dtypes', () => {
    const [r] = applyExpectations(failing, SCOPED, [new Map([['int32', 'wraps around: on [2147483647, -2] (int32)']])]);
    expect(r).toMatchObject({ verdict: 'xfail', expectation: 'x - max wraps in int32', diagnosis: 'wraps around: on [...] (int32) (3 of 9 cases)' });
  });
  it('fails the gate on a failure of another dtype, quoting that dtype\'s smallest failure and naming the rest', () => {
    const failed = new Map([['int32', 'wraps: on int32'], ['float64', 'overflows: on [1000, 5] (float64)'], ['float16', 'on [12, 0] (float16)']] as const);
    const [r] = applyExpectations(failing, SCOPED, [failed]);
    expect(r.verdict).toBe('fail');
    expect(isGateFailure(r.verdict)).toBe(true);
    expect(r.expectation).toBe('x - max wraps in int32');
    expect(r.diagnosis).toBe('fails on float64 inputs (and float16), beyond its expected failure on int32 only: overflows: on [1000, 5] (float64)');
  });
  it('one dtype beyond the scope is named alone; without the failures by dtype no scope can be held (xfail)', () => {
    const [r] = applyExpectations(failing, SCOPED, [new Map([['int32', 'w'], ['float32', 'on [100, 0] (float32)']] as const)]);
    expect(r.diagnosis).toBe('fails on float32 inputs, beyond its expected failure on int32 only: on [100, 0] (float32)');
    expect(applyExpectations(failing, SCOPED)[0].verdict).toBe('xfail');
  });
  it('an unscoped expectation covers every dtype, and a pass is still xpass', () => {
    const failed = new Map([['float64', 'on float64']] as const);
    expect(applyExpectations(failing, EXPECTED, [failed])[0].verdict).toBe('xfail');
    expect(applyExpectations([check('overflow', 'last', 'pass')], SCOPED, [undefined])[0].verdict).toBe('xpass');
  });
});

describe('applyPlatform: a library row on a platform its expectations were not verified on', () => {
  const note = 'not verified on this platform (x 2 (verified with 1))';
  it('turns changed outcomes into findings, each said in the check and in the list, and leaves the rest alone', () => {
    const rows = [check('nan', 'last', 'fail', 'd-nan'), check('overflow', 'last', 'xpass', 'd-overflow'), check('values', 'last', 'pass'), check('rank', 'last', 'xfail'), check('empty', 'last', 'error')];
    const { checks, findings } = applyPlatform(rows, ['x 2 (verified with 1)']);
    expect(checks.map((k) => k.verdict)).toEqual(['xfail', 'pass', 'pass', 'xfail', 'error']);
    expect(checks[0]).toMatchObject({ expectation: `platform finding: ${note}`, diagnosis: `fails on this platform only (${note}): d-nan` });
    expect(checks[1].diagnosis).toBe(`the manifest's expected failure is not seen on this platform (${note}): d-overflow`);
    expect(checks.slice(2)).toEqual(rows.slice(2));
    expect(findings).toEqual(['nan [last] fails here: d-nan', 'overflow [last] no longer fails here']);
  });
  it('no finding where every outcome is as the manifest says', () => {
    expect(applyPlatform([check('values', 'last', 'pass'), check('rank', 'last', 'xfail')], ['y'])).toEqual({ checks: [check('values', 'last', 'pass'), check('rank', 'last', 'xfail')], findings: [] });
  });
});
