// Contract inference: which axis rules an implementation's outputs are consistent with, rank by rank, so that
// "claims rows but computes columns" is measured, not argued.
import { INFERABLE_RULES, reduceAxes, type AxisRule } from '../contracts.js';
import { compareToOracle } from '../tolerance/profiles.js';
import type { ToleranceProfile } from '../tolerance/profiles.js';
import type { Tensor } from '../tensor/tensor.js';
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

/** "claims `first`; behaves as `all` on rank 1; as `first` on rank 2; matches no axis rule on rank 3". */
export function summariseInference(claims: readonly string[], inferred: { rule: AxisRule; ranks: number[] }[], observedRanks: number[]): string {
  // Group consecutive ranks that behave alike: "as `all` on ranks 2-6" rather than five clauses.
  const groups: { text: string; ranks: number[] }[] = [];
  for (const rank of [...new Set(observedRanks)].sort((a, b) => a - b)) {
    if (rank === 0) continue;
    const rules = inferred.filter((r) => r.ranks.includes(rank)).map((r) => `\`${r.rule}\``);
    const text = rules.length ? `behaves as ${rules.join(' = ')}` : 'matches no axis rule';
    const last = groups[groups.length - 1];
    if (last && last.text === text && last.ranks[last.ranks.length - 1] === rank - 1) last.ranks.push(rank);
    else groups.push({ text, ranks: [rank] });
  }
  const parts = groups.map((g) => `${g.text} on rank${g.ranks.length > 1 ? `s ${g.ranks[0]}-${g.ranks[g.ranks.length - 1]}` : ` ${g.ranks[0]}`}`);
  const claimText = claims.length ? `claims ${claims.map((c) => `\`${c}\``).join(', ')}` : 'claims nothing';
  return parts.length ? `${claimText}; ${parts.join('; ')}` : `${claimText}; no ordinary case to infer from`;
}
