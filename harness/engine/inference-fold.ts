// Contract inference folded one observation at a time, so no candidate output is kept: per rank, the rules every
// output so far is consistent with (an intersection), and per rank and rule the largest slice L1 distance (for the
// nearest rule where none is consistent). Intersections and maxima merge exactly and ignore repeats, so split
// evaluations infer what one evaluation infers.
import { INFERABLE_RULES, reduceAxes, type AxisRule } from '../contracts.js';
import { compareToOracle, type ToleranceProfile } from '../tolerance/profiles.js';
import { numbersOf, type Tensor } from '../tensor/tensor.js';
import { inExpectedDtype, sameShape } from '../checks/outcome.js';
import { sliceL1, type NearestRule } from './inference.js';

export interface InferenceFoldState {
  ranks: number[];
  consistent: [number, AxisRule[]][];
  l1: [number, [AxisRule, number | 'inf'][]][];
}

export class InferenceFold {
  /** ranks of every observation (for the summary's "on rank N") */
  ranks = new Set<number>();
  consistent = new Map<number, Set<AxisRule>>();
  l1 = new Map<number, Map<AxisRule, number>>();

  add(input: Tensor, output: Tensor, profile: ToleranceProfile, oracle: (x: Tensor, axes: number[]) => Tensor, log = false): void {
    const rank = input.shape.length;
    this.ranks.add(rank);
    if (rank === 0 || !sameShape(output.shape, input.shape)) return;
    const actual = inExpectedDtype(output, input);
    const standing = this.consistent.get(rank) ?? new Set(INFERABLE_RULES);
    const a = numbersOf(actual);
    const perRule = this.l1.get(rank) ?? new Map<AxisRule, number>();
    const consistent = new Set<AxisRule>();
    // Rules that reduce the same axes (every rule, on rank 1) have the same oracle result and the same distance.
    const l1ByAxes = new Map<string, number>();
    for (const rule of INFERABLE_RULES) {
      const axes = reduceAxes(rule, input.shape);
      const expected = oracle(input, axes);
      if (standing.has(rule) && compareToOracle(actual, expected, { input, axes, log }, profile).pass) consistent.add(rule);
      const key = axes.join(',');
      let l1 = l1ByAxes.get(key);
      if (l1 === undefined) l1ByAxes.set(key, (l1 = sliceL1(a, numbersOf(expected), input, axes)));
      perRule.set(rule, Math.max(perRule.get(rule) ?? 0, l1));
    }
    this.consistent.set(rank, consistent);
    this.l1.set(rank, perRule);
  }

  merge(o: InferenceFold): void {
    for (const r of o.ranks) this.ranks.add(r);
    for (const [rank, rules] of o.consistent) {
      const mine = this.consistent.get(rank);
      this.consistent.set(rank, mine ? new Set([...mine].filter((r) => rules.has(r))) : new Set(rules));
    }
    for (const [rank, perRule] of o.l1) {
      const mine = this.l1.get(rank) ?? new Map<AxisRule, number>();
      for (const [rule, d] of perRule) mine.set(rule, Math.max(mine.get(rule) ?? 0, d));
      this.l1.set(rank, mine);
    }
  }

  /** What inferRules returns for the same observations. */
  inferred(): { rule: AxisRule; ranks: number[] }[] {
    return INFERABLE_RULES.map((rule) => ({
      rule,
      ranks: [...this.consistent.entries()].filter(([, rules]) => rules.has(rule)).map(([rank]) => rank).sort((a, b) => a - b),
    })).filter((r) => r.ranks.length > 0);
  }

  /** What nearestRules returns for the same observations. */
  nearest(): Map<number, NearestRule> {
    const out = new Map<number, NearestRule>();
    for (const [rank, perRule] of this.l1) {
      if ((this.consistent.get(rank)?.size ?? 0) > 0) continue;
      const best = Math.min(...perRule.values());
      out.set(rank, { rules: INFERABLE_RULES.filter((r) => perRule.get(r) === best), maxL1: best });
    }
    return out;
  }

  toJSON(): InferenceFoldState {
    const inf = (x: number) => (Number.isFinite(x) ? x : 'inf' as const);
    return {
      ranks: [...this.ranks].sort((a, b) => a - b),
      consistent: [...this.consistent.entries()].map(([r, s]) => [r, [...s]]),
      l1: [...this.l1.entries()].map(([r, m]) => [r, [...m.entries()].map(([rule, d]) => [rule, inf(d)] as [AxisRule, number | 'inf'])]),
    };
  }

  static fromJSON(s: InferenceFoldState): InferenceFold {
    const f = new InferenceFold();
    f.ranks = new Set(s.ranks);
    f.consistent = new Map(s.consistent.map(([r, rules]) => [r, new Set(rules)]));
    f.l1 = new Map(s.l1.map(([r, m]) => [r, new Map(m.map(([rule, d]) => [rule, d === 'inf' ? Infinity : d]))]));
    return f;
  }
}
