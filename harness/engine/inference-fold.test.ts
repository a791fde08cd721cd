// Contract inference folded one observation at a time says what inferRules and nearestRules say over all of them,
// and the folds of any split, merged in any order (also through JSON, as shard reports carry them), say it too.
import { describe, expect, it } from 'vitest';
import { reduceAxes, type AxisRule } from '../contracts.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import { makeOracle } from './evaluate.js';
import { inferRules, nearestRules, summariseInference, type Observation } from './inference.js';
import { InferenceFold } from './inference-fold.js';

const oracle = makeOracle('ieee');
const profile = getProfile('strict');

const inputs: Tensor[] = [
  fromNumbers('float64', [2, 4], [1, 2, 3, 6, 2, 4, 5, 6]),
  fromNumbers('float64', [3, 2], [0.5, -1.25, 2, 3, 7, -4]),
  fromNumbers('float64', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
  fromNumbers('float64', [5], [1, -2, 3, 0.5, 9]),
  fromNumbers('float64', [1, 3], [2, -1, 0.25]),
];

/**
 * Rank 2 computed as `first`, except on a 1x3 input where it is the row's softmax (so only first-non-singleton
 * explains rank 2, and a share holding the 1x3 alone is consistent with more rules); rank 3 float32-accurate `last`
 * (inaccurate); rank 1 exact.
 */
function observations(): Observation[] {
  const as = (input: Tensor, rule: AxisRule, change: (v: number) => number = (v) => v) =>
    ({ input, output: fromNumbers('float64', input.shape, Array.from(toNumbers(oracle(input, reduceAxes(rule, input.shape))), change)) });
  return [as(inputs[0], 'first'), as(inputs[1], 'first'), as(inputs[2], 'last', Math.fround), as(inputs[3], 'last'), as(inputs[4], 'last')];
}

const foldOf = (obs: Observation[]) => {
  const f = new InferenceFold();
  for (const o of obs) f.add(o.input, o.output, profile, oracle);
  return f;
};

const summaryOf = (f: InferenceFold) => summariseInference(['last'], f.inferred(), [...f.ranks], f.nearest());

describe('InferenceFold', () => {
  const obs = observations();
  const inferred = inferRules(obs, profile, oracle);
  const whole = summariseInference(['last'], inferred, obs.map((o) => o.input.shape.length), nearestRules(obs, inferred, oracle));

  it('infers what inferRules and nearestRules infer', () => {
    const f = foldOf(obs);
    expect(f.inferred()).toEqual(inferred);
    expect(summaryOf(f)).toBe(whole);
    expect(whole).toMatch(/behaves as `first-non-singleton` on rank 2/);
    expect(whole).toMatch(/within tolerance of no axis rule on rank 3/);
  });

  it('merges the folds of a split exactly, in either order and through JSON', () => {
    const a = foldOf([obs[2], obs[0]]);
    const b = foldOf([obs[4], obs[3]]);
    expect(b.inferred().find((r) => r.rule === 'last')?.ranks).toContain(2); // this share alone: more rules
    b.add(obs[1].input, obs[1].output, profile, oracle);
    const ab = InferenceFold.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    ab.merge(InferenceFold.fromJSON(JSON.parse(JSON.stringify(b.toJSON()))));
    const ba = foldOf([obs[1], obs[3], obs[4]]);
    ba.merge(foldOf([obs[2], obs[0]]));
    for (const m of [ab, ba]) {
      expect(m.inferred()).toEqual(inferred);
      expect(summaryOf(m)).toBe(whole);
    }
  });
});
