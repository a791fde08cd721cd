// Contract inference: which axis rules an implementation's outputs are consistent with, rank by rank, so that
// "claims rows but computes columns" is measured, not argued.
import { INFERABLE_RULES, inferredRuleName, reduceAxes, type AxisRule } from '../contracts.js';
import { compareToOracle } from '../tolerance/profiles.js';
import type { ToleranceProfile } from '../tolerance/profiles.js';
import { slicesOver, numbersOf, type Tensor } from '../tensor/tensor.js';
import { inExpectedDtype, sameShape } from '../checks/outcome.js';

export interface Observation {
  input: Tensor;
  output: Tensor;
}

export function inferRules(observations: Observation[], profile: ToleranceProfile, oracle: (x: Tensor, axes: number[]) => Tensor, log = false): { rule: AxisRule; ranks: number[] }[] {
  const byRank = new Map<number, Set<AxisRule>>();
  for (const { input, output } of observations) {
    const rank = input.shape.length;
    if (rank === 0 || !sameShape(output.shape, input.shape)) continue;
    const actual = inExpectedDtype(output, input);
    // A rule contradicted once on a rank stays out on that rank: only the rules still standing need the oracle.
    const standing = byRank.get(rank) ?? INFERABLE_RULES;
    const consistent = new Set<AxisRule>();
    for (const rule of standing) {
      const axes = reduceAxes(rule, input.shape);
      if (compareToOracle(actual, oracle(input, axes), { input, axes, log }, profile).pass) consistent.add(rule);
    }
    byRank.set(rank, consistent);
  }
  return INFERABLE_RULES.map((rule) => ({
    rule,
    ranks: [...byRank.entries()].filter(([, rules]) => rules.has(rule)).map(([rank]) => rank).sort((a, b) => a - b),
  })).filter((r) => r.ranks.length > 0);
}

/** Where no rule is within tolerance on a rank: the closest rules (tied) and how far off they are. */
export interface NearestRule {
  rules: AxisRule[];
  /** the largest per-slice L1 distance, sum |a_i - e_i| over a slice of the rule's softmax (which sums to 1) */
  maxL1: number;
}

/**
 * Outputs this close to a rule's softmax are that rule computed inaccurately, not another rule. Each slice of a
 * softmax sums to 1, so the per-slice L1 distance is a scale-free yardstick that tiny elements cannot dominate
 * (a flushed 1e-300 is off by all of itself relatively, and by nothing here); normalising over the wrong set moves
 * a slice's mass by a sizeable fraction of its total.
 */
export const NEAR_L1 = 1e-2;

export function sliceL1(a: Float64Array, e: Float64Array, input: Tensor, axes: number[]): number {
  let worst = 0;
  for (const idx of slicesOver(input.shape, axes)) {
    let d = 0;
    for (const i of idx) {
      if (Object.is(a[i], e[i]) || (Number.isNaN(a[i]) && Number.isNaN(e[i]))) continue;
      d += Math.abs(a[i] - e[i]); // NaN against a number makes it NaN, treated as unbounded below
    }
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

/** For each rank where no rule is consistent: the rules whose softmax the outputs are closest to. */
export function nearestRules(
  observations: Observation[],
  inferred: { rule: AxisRule; ranks: number[] }[],
  oracle: (x: Tensor, axes: number[]) => Tensor,
): Map<number, NearestRule> {
  const explained = new Set(inferred.flatMap((r) => r.ranks));
  const worst = new Map<number, Map<AxisRule, number>>();
  for (const { input, output } of observations) {
    const rank = input.shape.length;
    if (rank === 0 || explained.has(rank) || !sameShape(output.shape, input.shape)) continue;
    const a = numbersOf(inExpectedDtype(output, input));
    const perRule = worst.get(rank) ?? new Map<AxisRule, number>();
    for (const rule of INFERABLE_RULES) {
      const axes = reduceAxes(rule, input.shape);
      const l1 = sliceL1(a, numbersOf(oracle(input, axes)), input, axes);
      perRule.set(rule, Math.max(perRule.get(rule) ?? 0, l1));
    }
    worst.set(rank, perRule);
  }
  const out = new Map<number, NearestRule>();
  for (const [rank, perRule] of worst) {
    const best = Math.min(...perRule.values());
    out.set(rank, { rules: INFERABLE_RULES.filter((r) => perRule.get(r) === best), maxL1: best });
  }
  return out;
}

/**
 * "claims `first`; behaves as `all` on rank 1; as `first` on rank 2; within tolerance of no axis rule on rank 3
 * (closest: `last`, ...)". "Matches no axis rule" is kept for outputs that are not even close to any rule's softmax;
 * outputs that are merely inaccurate (`near`: the closest rule per rank) say so instead.
 */
export function summariseInference(
  claims: readonly string[],
  inferred: { rule: AxisRule; ranks: number[] }[],
  observedRanks: number[],
  near: Map<number, NearestRule> = new Map(),
): string {
  // Group consecutive ranks that behave alike: "as `all` on ranks 2-6" rather than five clauses.
  const groups: { text: string; ranks: number[]; closest?: string; maxL1: number }[] = [];
  for (const rank of [...new Set(observedRanks)].sort((a, b) => a - b)) {
    if (rank === 0) continue;
    const rules = inferred.filter((r) => r.ranks.includes(rank)).map((r) => `\`${inferredRuleName(r.rule)}\``);
    const n = rules.length ? undefined : near.get(rank);
    const closest = n && n.maxL1 < NEAR_L1 ? n.rules.map((r) => `\`${inferredRuleName(r)}\``).join(' = ') : undefined;
    const text = rules.length ? `behaves as ${rules.join(' = ')}` : closest ? 'within tolerance of no axis rule' : 'matches no axis rule';
    const last = groups[groups.length - 1];
    if (last && last.text === text && last.closest === closest && last.ranks[last.ranks.length - 1] === rank - 1) {
      last.ranks.push(rank);
      last.maxL1 = Math.max(last.maxL1, n?.maxL1 ?? 0);
    } else groups.push({ text, ranks: [rank], closest, maxL1: n?.maxL1 ?? 0 });
  }
  const parts = groups.map((g) => {
    const where = `on rank${g.ranks.length > 1 ? `s ${g.ranks[0]}-${g.ranks[g.ranks.length - 1]}` : ` ${g.ranks[0]}`}`;
    const close = g.closest ? ` (inaccurate: closest to ${g.closest}, a slice off by up to ${g.maxL1.toExponential(1)} in total)` : '';
    return `${g.text} ${where}${close}`;
  });
  const claimText = claims.length ? `claims ${claims.map((c) => `\`${c}\``).join(', ')}` : 'claims nothing';
  return parts.length ? `${claimText}; ${parts.join('; ')}` : `${claimText}; no ordinary case to infer from`;
}
