// Contract inference tells "inaccurate" from "another rule" (issue 13, item 6): outputs close to a rule's softmax but
// outside the profile read "within tolerance of no axis rule", not "matches no axis rule".
import { describe, expect, it } from 'vitest';
import { reduceAxes, type AxisRule } from '../contracts.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import { makeOracle } from './evaluate.js';
import { inferRules, nearestRules, summariseInference, type Observation } from './inference.js';

const oracle = makeOracle('ieee');
const profile = getProfile('strict');

const inputs: Tensor[] = [
  fromNumbers('float64', [2, 4], [1, 2, 3, 6, 2, 4, 5, 6]),
  fromNumbers('float64', [3, 2], [0.5, -1.25, 2, 3, 7, -4]),
];

function observe(rule: AxisRule, change: (v: number, i: number) => number = (v) => v): Observation[] {
  return inputs.map((input) => {
    const y = toNumbers(oracle(input, reduceAxes(rule, input.shape)));
    return { input, output: fromNumbers('float64', input.shape, Array.from(y, change)) };
  });
}

function summary(obs: Observation[]): string {
  const inferred = inferRules(obs, profile, oracle);
  return summariseInference(['last'], inferred, obs.map((o) => o.input.shape.length), nearestRules(obs, inferred, oracle));
}

describe('contract inference wording', () => {
  it('an exact other rule: "behaves as"', () => {
    expect(summary(observe('first'))).toBe('claims `last`; behaves as `first` = `first-non-singleton` on rank 2');
  });

  it('merely inaccurate (float32-accurate float64): "within tolerance of no axis rule", closest to the rule it computes', () => {
    const s = summary(observe('last', (v) => Math.fround(v)));
    expect(s).toMatch(/^claims `last`; within tolerance of no axis rule on rank 2 \(inaccurate: closest to `last` = `coerce-2d\(axis=1\)`, a slice off by up to \d\.\de-\d+ in total\)$/);
    expect(s).not.toContain('matches no axis rule');
  });

  it('noise that is not any rule\'s softmax: still "within tolerance of no axis rule" when it is small', () => {
    expect(summary(observe('last', (v, i) => v * (1 + 1e-9 * ((i % 3) - 1))))).toContain('within tolerance of no axis rule');
  });

  it('far from every rule: "matches no axis rule"', () => {
    expect(summary(observe('last', (v, i) => (i % 2 ? v / 2 : v)))).toBe('claims `last`; matches no axis rule on rank 2');
  });
});
