// Contract inference tells "inaccurate" from "another rule" (issue 13, item 6): outputs close to a rule's softmax but
// outside the profile read "within tolerance of no axis rule", not "matches no axis rule".
import { describe, expect, it } from 'vitest';
import { reduceAxes, type AxisRule } from '../contracts.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import { makeOracle } from './evaluate.js';
import { inferRules, NEAR_L1, nearestRules, summariseInference, type Observation } from './inference.js';

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

// Issue 19 (mutation scores): how ranks group, what is skipped, and the wording's edge cases.
describe('contract inference: ranks, skipped observations and wording', () => {
  const near = (rules: AxisRule[], maxL1: number) => ({ rules, maxL1 });

  it('groups consecutive ranks that behave alike, and only consecutive ones', () => {
    const inferred = [{ rule: 'all' as AxisRule, ranks: [1, 2, 3, 5] }];
    expect(summariseInference(['last', 'first'], inferred, [3, 1, 2, 2, 5, 0])).toBe('claims `last`, `first`; behaves as `all` on ranks 1-3; behaves as `all` on rank 5');
    expect(summariseInference([], [], [])).toBe('claims nothing; no ordinary case to infer from');
    expect(summariseInference(['last'], [], [0])).toBe('claims `last`; no ordinary case to infer from');
  });

  it('a rank close to a rule says how close, with the worst distance of its group; one not close enough matches none', () => {
    const m = new Map([[2, near(['last', 'coerce-2d'], 2e-5)], [3, near(['last'], 3e-4)], [4, near(['first'], NEAR_L1)]]);
    expect(summariseInference(['last'], [], [2, 3, 4], m)).toBe(
      'claims `last`; within tolerance of no axis rule on rank 2 (inaccurate: closest to `last` = `coerce-2d(axis=1)`, a slice off by up to 2.0e-5 in total); '
      + 'within tolerance of no axis rule on rank 3 (inaccurate: closest to `last`, a slice off by up to 3.0e-4 in total); matches no axis rule on rank 4',
    );
    const same = new Map([[2, near(['last'], 2e-5)], [3, near(['last'], 3e-4)]]);
    expect(summariseInference(['last'], [], [2, 3], same)).toBe('claims `last`; within tolerance of no axis rule on ranks 2-3 (inaccurate: closest to `last`, a slice off by up to 3.0e-4 in total)');
    // a rule that holds on the rank wins over any nearness
    expect(summariseInference(['last'], [{ rule: 'last', ranks: [2] }], [2], same)).toBe('claims `last`; behaves as `last` on rank 2');
  });

  it('skips 0-d inputs and outputs of another shape; a rule contradicted once on a rank stays out there', () => {
    const [x] = inputs;
    const last = toNumbers(oracle(x, reduceAxes('last', x.shape)));
    const first = toNumbers(oracle(x, reduceAxes('first', x.shape)));
    const obs: Observation[] = [
      { input: fromNumbers('float64', [], [3]), output: fromNumbers('float64', [], [1]) },
      { input: x, output: fromNumbers('float64', [8], Array.from(last)) },
    ];
    expect(inferRules(obs, profile, oracle)).toEqual([]);
    expect(nearestRules(obs, [], oracle).size).toBe(0);
    // rank 2: first `last`, then `first`: neither stands on rank 2
    const both: Observation[] = [{ input: x, output: fromNumbers('float64', x.shape, Array.from(last)) }, { input: x, output: fromNumbers('float64', x.shape, Array.from(first)) }];
    expect(inferRules(both, profile, oracle)).toEqual([]);
    expect(inferRules(both.slice(0, 1), profile, oracle)).toEqual([{ rule: 'last', ranks: [2] }, { rule: 'coerce-2d', ranks: [2] }]);
  });

  it('nearest rules: the worst slice over every observation of the rank, NaN as unbounded, ties all named', () => {
    const [x] = inputs;
    const last = Array.from(toNumbers(oracle(x, reduceAxes('last', x.shape))));
    const off = (d: number) => fromNumbers('float64', x.shape, last.map((v, i) => (i === 0 ? v + d : v)));
    const m = nearestRules([{ input: x, output: off(1e-3) }, { input: x, output: off(4e-3) }, { input: x, output: off(2e-3) }], [], oracle);
    expect(m.get(2)?.rules).toEqual(['last', 'coerce-2d']);
    expect(m.get(2)?.maxL1).toBeCloseTo(4e-3, 12);
    const nan = nearestRules([{ input: x, output: fromNumbers('float64', x.shape, last.map((v, i) => (i === 0 ? NaN : v))) }], [], oracle);
    expect(nan.get(2)?.maxL1).toBe(Infinity);
    // a rank some rule explains is left out
    expect(nearestRules([{ input: x, output: off(1e-3) }], [{ rule: 'first', ranks: [2] }], oracle).size).toBe(0);
    // NaN where NaN is expected is no distance
    const y = fromNumbers('float64', [1, 2], [NaN, 1]);
    expect(nearestRules([{ input: y, output: fromNumbers('float64', [1, 2], [NaN, NaN]) }], [], oracle).get(2)?.maxL1).toBe(0);
  });
});

describe('contract inference: mutation survivors', () => {
  it('lists each rule on its own ranks, in rank order', () => {
    const inferred = [{ rule: 'all' as AxisRule, ranks: [1] }, { rule: 'last' as AxisRule, ranks: [2] }];
    expect(summariseInference(['last'], inferred, [1, 2])).toBe('claims `last`; behaves as `all` on rank 1; behaves as `last` on rank 2');
    const x3 = fromNumbers('float64', [1, 1, 2], [1, 2]);
    const x1 = fromNumbers('float64', [2], [1, 2]);
    const obs = [x3, x1].map((input) => ({ input, output: oracle(input, reduceAxes('last', input.shape)) }));
    expect(inferRules(obs, profile, oracle).find((r) => r.rule === 'last')?.ranks).toEqual([1, 3]);
  });

  it('compares softmax outputs as softmax unless told they are log-softmax', () => {
    const x = fromNumbers('float64', [2], [0, -46]); // element 1 ~ 1e-20: 1e-28 off is 1e-8 relative, within eps absolute
    const y = Array.from(toNumbers(oracle(x, [0])));
    const obs = [{ input: x, output: fromNumbers('float64', [2], [y[0], y[1] + 1e-28]) }];
    expect(inferRules(obs, profile, oracle)).toEqual([]);
    expect(inferRules(obs, profile, oracle, true).length).toBeGreaterThan(0);
  });
});
