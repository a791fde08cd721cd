// Contracts (DESIGN.md "Contracts"): an axis rule plus a special-value policy.
// Every axis rule reduces to "normalise over this set of axes" for a given shape; the oracle and the checks
// only ever see that set.

export const AXIS_RULES = ['last', 'first', 'all', 'first-non-singleton', 'axis-arg', 'coerce-2d'] as const;
export type AxisRule = (typeof AXIS_RULES)[number];

export const POLICIES = ['ieee', 'limit', 'masked'] as const;
export type Policy = (typeof POLICIES)[number];

export interface Contract {
  rule: AxisRule;
  policy: Policy;
}

export function isAxisRule(s: string): s is AxisRule {
  return (AXIS_RULES as readonly string[]).includes(s);
}

export function isPolicy(s: string): s is Policy {
  return (POLICIES as readonly string[]).includes(s);
}

/**
 * The axes (non-negative, ascending) a rule normalises over on this shape.
 * `axis` is the swept axis for `axis-arg` and the split point for `coerce-2d` (default 1, as ONNX < 13).
 * Rank 0 has no axes: the single element is its own slice, so every rule gives [].
 */
export function reduceAxes(rule: AxisRule, shape: readonly number[], axis?: number): number[] {
  const rank = shape.length;
  if (rank === 0) return [];
  const norm = (a: number) => {
    const k = a < 0 ? a + rank : a;
    if (k < 0 || k >= rank) throw new RangeError(`axis ${a} is out of range for rank ${rank}`);
    return k;
  };
  switch (rule) {
    case 'last':
      return [rank - 1];
    case 'first':
      return [0];
    case 'all':
      return [...Array(rank).keys()];
    case 'first-non-singleton': {
      const k = shape.findIndex((n) => n !== 1);
      // All axes singleton: every choice gives the same one-element slices.
      return k < 0 ? [rank - 1] : [k];
    }
    case 'axis-arg':
      if (axis === undefined) throw new Error('axis-arg needs an axis');
      return [norm(axis)];
    case 'coerce-2d': {
      const k = norm(axis ?? 1);
      return [...Array(rank).keys()].slice(k);
    }
  }
}

/** Rules that can be told apart by looking at outputs alone (used by contract inference). */
export const INFERABLE_RULES: readonly AxisRule[] = ['last', 'first', 'all', 'first-non-singleton'];
