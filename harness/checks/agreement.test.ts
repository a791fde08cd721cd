// When two outputs of one implementation agree (the metamorphic checks' comparison): NaN only with NaN, infinities
// only when equal, finite values within the larger of a structural floor and the profile's two allowances. Written
// for the mutation score (docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { allowedAbsError, getProfile } from '../tolerance/profiles.js';
import { agreeElement, agreementBound, type AgreementContext } from './agreement.js';

const strict = getProfile('strict');
const f64: AgreementContext = { dtype: 'float64', profile: strict, len: 4 };
const EPS64 = 2 ** -52;
const TINY64 = 2.2250738585072014e-308;

describe('agreementBound', () => {
  it('log-softmax: 64 roundings of (1 + |dist| + the larger magnitude), absolute, plus extraRel and a tiny floor', () => {
    const log = { ...f64, log: true };
    expect(agreementBound(-1, -1.5, 2, log)).toBe(64 * EPS64 * (1 + 2 + 1.5) + 64 * TINY64);
    expect(agreementBound(-1.5, -1, -2, log)).toBe(64 * EPS64 * (1 + 2 + 1.5) + 64 * TINY64); // symmetric, |dist|
    expect(agreementBound(-1, -1.5, 2, log, 1e-6)).toBe(64 * EPS64 * (1 + 2 + 1.5) + 1e-6 + 64 * TINY64);
    // float32 inputs: float32's epsilon and smallest normal
    expect(agreementBound(-1, -1, 0, { ...log, dtype: 'float32' })).toBe(64 * 2 ** -23 * 2 + 64 * 1.1754943508222875e-38);
    // integer inputs are compared in float64
    expect(agreementBound(-1, -1, 0, { ...log, dtype: 'int32' })).toBe(64 * EPS64 * 2 + 64 * TINY64);
  });

  it('softmax: the larger of the structural floor (relative to the larger magnitude) and both profile allowances', () => {
    const [a, b, d] = [0.25, 0.5, 3];
    const structural = 64 * EPS64 * (1 + d) * 0.5 + 64 * TINY64;
    const profile = allowedAbsError(strict, 'float64', a, d, 4) + allowedAbsError(strict, 'float64', b, d, 4);
    expect(agreementBound(a, b, d, f64)).toBe(Math.max(structural, profile));
    expect(agreementBound(a, b, -d, f64)).toBe(Math.max(structural, profile));
    // extraRel widens both, relative to the larger magnitude
    const s2 = (64 * EPS64 * (1 + d) + 1e-3) * 0.5 + 64 * TINY64;
    const p2 = profile + 1e-3 * 0.5;
    expect(agreementBound(a, b, d, f64, 1e-3)).toBe(Math.max(s2, p2));
    // the larger magnitude, not the first: the bound does not depend on the order
    expect(agreementBound(b, a, d, f64)).toBe(agreementBound(a, b, d, f64));
    expect(agreementBound(-0.5, 0.25, d, f64)).toBeGreaterThanOrEqual(64 * EPS64 * (1 + d) * 0.5);
  });

  it('a looser profile allows more than the structural floor', () => {
    const loose = getProfile('loose');
    const bound = agreementBound(0.25, 0.25, 0, { ...f64, profile: loose });
    expect(bound).toBe(2 * allowedAbsError(loose, 'float64', 0.25, 0, 4));
    expect(bound).toBeGreaterThan(64 * EPS64 * 0.25 + 64 * TINY64);
    // extraRel adds to the profile's side too
    const withExtra = agreementBound(0.25, 0.25, 0, { ...f64, profile: loose }, 1e-3);
    expect(withExtra).toBe(2 * allowedAbsError(loose, 'float64', 0.25, 0, 4) + 1e-3 * 0.25);
  });
});

describe('agreeElement', () => {
  it('NaN agrees only with NaN; an infinity only with itself', () => {
    expect(agreeElement(NaN, NaN, 0, f64)).toBe(true);
    expect(agreeElement(NaN, 1, 0, f64)).toBe(false);
    expect(agreeElement(1, NaN, 0, f64)).toBe(false);
    expect(agreeElement(Infinity, Infinity, 0, f64)).toBe(true);
    expect(agreeElement(Infinity, -Infinity, 0, f64)).toBe(false);
    expect(agreeElement(Infinity, 1e308, 0, f64)).toBe(false);
    expect(agreeElement(1e308, -Infinity, 0, f64)).toBe(false);
  });

  it('finite values agree within the bound and not beyond it', () => {
    const bound = agreementBound(0.5, 0.5, 1, f64);
    expect(agreeElement(0.5, 0.5, 1, f64)).toBe(true);
    expect(agreeElement(0.5, 0.5 + bound / 2, 1, f64)).toBe(true);
    expect(agreeElement(0.5, 0.5 + 4 * bound, 1, f64)).toBe(false);
    expect(agreeElement(0.5 + 4 * bound, 0.5, 1, f64)).toBe(false);
    // extraRel is passed on
    expect(agreeElement(0.5, 0.5 + 4 * bound, 1, f64, 1e-3)).toBe(true);
  });
});
