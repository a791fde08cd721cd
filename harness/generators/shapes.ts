// Shapes of rank 0..6 where singleton (1) and empty (0) axes are common and the total size stays bounded.
import fc from 'fast-check';

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  /** hard bound on the number of elements (default 4096) */
  maxSize?: number;
  /** let axes of length 0 appear (default true); families whose point is a value turn this off */
  allowEmpty?: boolean;
}

export const DEFAULT_MAX_SIZE = 4096;

/**
 * One axis length. oneof with cross-shrinking and the constant 1 first, so any axis shrinks to 1 when the failure
 * allows it; 2..5 shrink toward 2. Weights make 1 and 0 frequent (an axis is 1 in ~23%, 0 in ~8% of draws).
 */
function axisArb(allowEmpty: boolean): fc.Arbitrary<number> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(1), weight: 3 },
    ...(allowEmpty ? [{ arbitrary: fc.constant(0), weight: 1 }] : []),
    { arbitrary: fc.integer({ min: 2, max: 5 }), weight: 6 },
    { arbitrary: fc.integer({ min: 6, max: 16 }), weight: 2 },
    { arbitrary: fc.integer({ min: 17, max: 64 }), weight: 1 },
  );
}

/**
 * A size budget per shape: most cases stay at <= 64 elements (cheap to evaluate against the correctly rounded oracle),
 * some reach 512, a few the hard maximum. Shrinks toward the smallest budget.
 */
function budgetArb(maxSize: number): fc.Arbitrary<number> {
  const budgets = [
    { size: Math.min(64, maxSize), weight: 6 },
    { size: Math.min(512, maxSize), weight: 3 },
    { size: maxSize, weight: 1 },
  ];
  return fc.oneof({ withCrossShrink: true }, ...budgets.map((b) => ({ arbitrary: fc.constant(b.size), weight: b.weight })));
}

/** Halve the longest axis until the shape fits the budget (never turns a nonzero axis into 0). */
export function fitShape(dims: readonly number[], budget: number): number[] {
  const d = [...dims];
  const size = () => d.reduce((a, b) => a * b, 1);
  while (size() > budget) {
    let k = 0;
    for (let i = 1; i < d.length; i++) if (d[i] > d[k]) k = i;
    d[k] = Math.floor(d[k] / 2);
  }
  return d;
}

/**
 * Shapes as plain arrays of axis lengths. Built as an array of axes mapped through a size fit (no chain), so shrinking
 * drops axes (toward rank minRank) and shortens each axis (toward 1) independently.
 */
export function shapeArb(opts: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 6, maxSize = DEFAULT_MAX_SIZE, allowEmpty = true } = opts;
  if (!(Number.isInteger(minRank) && Number.isInteger(maxRank) && minRank >= 0 && minRank <= maxRank)) {
    throw new RangeError(`bad rank range ${minRank}..${maxRank}`);
  }
  if (!(Number.isInteger(maxSize) && maxSize >= 1)) throw new RangeError(`maxSize must be a positive integer, got ${maxSize}`);
  return fc
    .tuple(fc.array(axisArb(allowEmpty), { minLength: minRank, maxLength: maxRank }), budgetArb(maxSize))
    .map(([dims, budget]) => fitShape(dims, budget));
}
