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
      // ONNX < 13 splits at axis 1 by default; a vector has no axis 1 and is one slice.
      const k = norm(axis ?? defaultCoerceAxis(rank));
      return [...Array(rank).keys()].slice(k);
    }
  }
}

/** Where `coerce-2d` splits when no axis is passed: 1 (ONNX before opset 13), or 0 for a vector. */
export function defaultCoerceAxis(rank: number): number {
  return rank >= 2 ? 1 : 0;
}

/** Rules that can be told apart by looking at outputs alone (used by contract inference). */
// coerce-2d at its default split (ONNX before opset 13) is a fixed reduction too: "claims `last`, behaves as
// `coerce-2d(axis=1)` on ranks 3-6" is the opset confusion of a model exported under one opset and run under another.
export const INFERABLE_RULES: readonly AxisRule[] = ['last', 'first', 'all', 'first-non-singleton', 'coerce-2d'];

/** How inference names a rule: coerce-2d with its default split. */
export function inferredRuleName(rule: AxisRule): string {
  return rule === 'coerce-2d' ? 'coerce-2d(axis=1)' : rule;
}
