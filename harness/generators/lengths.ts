// Long slices and many rows: the sizes where kernels switch paths (block and vector widths, tails, tree reductions).
// Lengths are weighted toward 2^k - 1, 2^k and 2^k + 1 and toward multiples of 32 and 128 plus a remainder; batches
// reach 10,000 rows. Every shape stays within a per-case element budget (--max-elements), so memory stays bounded.
//
// Shrinking keeps the boundary: a boundary length is a constant from an ascending list, and fast-check shrinks it
// only toward *earlier* boundaries (31, 32, 33, ..., 1025, ...), never to an arbitrary small length, so a failure
// that needs a row longer than 1,024 shrinks to 1,025, not to 3. A multiple-plus-remainder length shrinks its
// multiple toward 1, so it stops at the smallest multiple that still fails (1,025 = 8 × 128 + 1 for a tail bug).
import fc from 'fast-check';

/** Default per-case element budget: 2^20 elements (8 MiB of float64 per tensor). */
export const DEFAULT_MAX_ELEMENTS = 2 ** 20;

/** Longest slice drawn on purpose (the issue asks for ≥ 65,536; 65,537 is the tail of that boundary). */
export const MAX_SLICE_LENGTH = 65_537;

/** 2^k - 1, 2^k, 2^k + 1 for k = 5..16, ascending. */
export const BOUNDARY_LENGTHS: readonly number[] = Array.from({ length: 12 }, (_, i) => 2 ** (i + 5)).flatMap((p) => [p - 1, p, p + 1]);

/** Past this many elements a long-slice case has one row: the slice length is its point, and each element costs. */
const LONG_ELEMENTS = 16_384;

/** Units whose multiples (plus a remainder) kernels use as vector or block widths. */
const UNITS = [32, 128] as const;

/** Most rows a batch arm draws (the 10,000). */
export const MAX_BATCH_ROWS = 10_000;

/** A batch's rows are its point: past this many elements its rows get shorter (down to 2), not fewer. */
const BATCH_ELEMENTS = 32_768;

function checkBudget(maxElements: number): void {
  if (!(Number.isInteger(maxElements) && maxElements >= 1)) throw new RangeError(`maxElements must be a positive integer, got ${maxElements}`);
}

/**
 * Relative weight of each k (2^k - 1, 2^k, 2^k + 1): the block sizes kernels use most (1,024 to 4,096) weigh most;
 * the longest rows, whose evaluation costs the most, least.
 */
const K_WEIGHT: Record<number, number> = { 5: 3, 6: 3, 7: 3, 8: 3, 9: 3, 10: 8, 11: 8, 12: 8, 13: 1, 14: 1, 15: 1, 16: 1 };

/** Longest multiple-plus-remainder length: past it, boundaries cover the long lengths (evaluation cost grows). */
const MAX_REMAINDER_LENGTH = 8192;

/**
 * An index into `items` drawn with these relative weights, through a monotone map from one integer: shrinking the
 * integer shrinks the index toward 0 in order, so the shrinker visits earlier items (shorter lengths) first.
 */
function weightedIndexArb(weights: readonly number[]): fc.Arbitrary<number> {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return fc.integer({ min: 0, max: total - 1 }).map((u) => cumulative.findIndex((c) => u < c));
}

/** The multiple k of a multiple-plus-remainder length: mostly up to 4,096 elements, shrinking toward 1. */
function multipleArb(unit: number, maxK: number): fc.Arbitrary<number> {
  const common = Math.min(maxK, Math.floor(4096 / unit));
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min: 1, max: common }), weight: 4 },
    { arbitrary: fc.integer({ min: 1, max: maxK }), weight: 1 },
  );
}

/**
 * A slice length in [31, min(maxLength, 65,537)], or undefined when the budget is below the first boundary.
 * Three boundary draws for one multiple-plus-remainder draw.
 */
export function sliceLengthArb(maxLength: number): fc.Arbitrary<number> | undefined {
  const cap = Math.min(maxLength, MAX_SLICE_LENGTH);
  const boundaries = BOUNDARY_LENGTHS.filter((n) => n <= cap);
  if (boundaries.length === 0) return undefined;
  const weights = boundaries.map((n) => K_WEIGHT[Math.round(Math.log2(n))] ?? 1);
  const arms: { arbitrary: fc.Arbitrary<number>; weight: number }[] = [{ arbitrary: weightedIndexArb(weights).map((i) => boundaries[i]), weight: 3 }];
  for (const unit of UNITS) {
    const maxK = Math.floor((Math.min(cap, MAX_REMAINDER_LENGTH) - unit + 1) / unit); // k * unit + (unit - 1) <= cap
    if (maxK < 1) continue;
    // k * unit + r with 1 <= r < unit: never a multiple, so the last block is always partial
    arms.push({
      arbitrary: fc.tuple(multipleArb(unit, maxK), fc.integer({ min: 1, max: unit - 1 })).map(([k, r]) => k * unit + r),
      weight: 1,
    });
  }
  return fc.oneof(...arms);
}

/**
 * Long last-axis slices: [len] mostly, or [rows, len] and [a, b, len] with leading axes of 2 to 16 (no singleton axes:
 * those cases belong to the singleton check's domain) and at most what the budget allows. Rank shrinks toward 1 and
 * leading axes toward 2; the length shrinks as sliceLengthArb says.
 */
export function longSliceShapeArb(maxElements: number = DEFAULT_MAX_ELEMENTS, ranks: { minRank?: number; maxRank?: number } = {}): fc.Arbitrary<number[]> | undefined {
  checkBudget(maxElements);
  const length = sliceLengthArb(maxElements);
  const minLead = Math.max(0, (ranks.minRank ?? 1) - 1);
  const maxLead = Math.min(2, (ranks.maxRank ?? 3) - 1);
  if (!length || minLead > maxLead) return undefined;
  const lead = fc.oneof({ arbitrary: fc.integer({ min: 2, max: 3 }), weight: 3 }, { arbitrary: fc.integer({ min: 4, max: 16 }), weight: 1 });
  const leading = fc.oneof(
    { arbitrary: fc.array(lead, { minLength: minLead, maxLength: minLead }), weight: 3 },
    { arbitrary: fc.array(lead, { minLength: minLead, maxLength: maxLead }), weight: 1 },
  );
  return fc.tuple(leading, length).map(([leading, len]) => {
    const dims = [...leading];
    // Trim the leading axes (the slice length is the point of the case) until the budget holds.
    let room = Math.floor(Math.min(maxElements, Math.max(len, LONG_ELEMENTS)) / len);
    const kept: number[] = [];
    for (const d of dims) {
      if (room < 2) break; // no room for another row: drop the axis rather than make it a singleton
      kept.push(Math.min(d, room));
      room = Math.floor(room / kept[kept.length - 1]);
    }
    return [...kept, len];
  });
}

/**
 * Batch sizes: up to 64 mostly, the boundaries near 1,024 and 4,096, or any count up to 10,000 (shrinks toward 2).
 * At least 2 rows: a batch of one is the singleton check's.
 */
function rowsArb(maxRows: number): fc.Arbitrary<number> {
  const special = [1023, 1024, 1025, 4095, 4096, 4097, MAX_BATCH_ROWS].filter((n) => n <= maxRows);
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min: 2, max: Math.max(2, Math.min(64, maxRows)) }), weight: 3 },
    ...(special.length ? [{ arbitrary: fc.constantFrom(...special), weight: 1 }] : []),
    { arbitrary: fc.integer({ min: 2, max: Math.max(2, maxRows) }), weight: 1 },
  );
}

/**
 * Many short rows: [rows, len] with rows up to 10,000 and len 2..64 (mostly up to 8), within the budget (rows trimmed
 * to fit).
 */
export function manyRowsShapeArb(maxElements: number = DEFAULT_MAX_ELEMENTS): fc.Arbitrary<number[]> {
  checkBudget(maxElements);
  const maxRows = Math.min(MAX_BATCH_ROWS, maxElements);
  const len = fc.oneof({ arbitrary: fc.integer({ min: 2, max: 8 }), weight: 3 }, { arbitrary: fc.integer({ min: 9, max: 64 }), weight: 1 });
  return fc.tuple(rowsArb(maxRows), len).map(([rows, len]) => {
    const l = Math.min(len, maxElements, Math.max(2, Math.floor(BATCH_ELEMENTS / rows)));
    return [Math.max(1, Math.min(rows, Math.floor(maxElements / l))), l];
  });
}
