// The combined arbitrary: a weighted choice of value family, then shape, dtype and values for it.
//
// Why no fc.chain: chaining values off (shape, dtype) makes fast-check regenerate the values whenever the shape
// shrinks, so a NaN found in a (4, 3, 5) tensor is usually lost when the shape shrinks and shrinking stalls early.
// Instead shape, dtype and value params are three independent arbitraries in one fc.tuple, and the tensor is a pure
// function of them (families.ts): each shrinks on its own while the others stay fixed, and a NaN placed at
// `mark % size` survives every shape shrink down to a single element.
//
// Weights: each family gets weight w out of W = sum of weights (35 with every family, see FAMILY_SPECS). The
// smallest share is 2/35, so a 300-run audit misses a given family with probability (33/35)^300 ≈ 2e-8.
import fc from 'fast-check';
import type { DType } from '../tensor/dtype.js';
import { fromNumbers, type Tensor } from '../tensor/tensor.js';
import { dtypeArb, GENERATABLE_DTYPES, GENERATED_DTYPES } from './dtypes.js';
import { FAMILIES, FAMILY_SPECS, familyValues, valueParamsArb } from './families.js';
import { constantAlong, layoutChoiceArb, resolveLayout } from './layouts.js';
import { longSliceShapeArb, manyRowsShapeArb } from './lengths.js';
import { shapeArb } from './shapes.js';
import type { LayoutKind, MemoryLayout } from '../tensor/layout.js';

export interface GeneratedCase {
  family: string;
  tensor: Tensor;
  /** how the candidate gets the input in memory (absent: C order); the layout check compares it with C order */
  layout?: MemoryLayout;
}

export interface CaseOptions {
  /** input dtypes to draw from (default GENERATED_DTYPES: float64, float32, float16, int32, int64) */
  dtypes?: DType[];
  /** value families to draw from (default all of FAMILIES); families with no allowed dtype are dropped */
  families?: string[];
  minRank?: number;
  maxRank?: number;
  maxSize?: number;
  /**
   * per-case element budget for long slices (up to 65,537) and batches (up to 10,000 rows); absent: no long or
   * batch shapes, only the small ones of shapeArb
   */
  maxElements?: number;
  /** layout kinds to draw (default: none, every case in C order) */
  layouts?: readonly LayoutKind[];
}

/**
 * Share of a family's cases with a long slice and with many rows, out of LONG + BATCH + SMALL. Long slices cost the
 * most to evaluate, so most go to `ordinary`, where a wrong sum (a forgotten block tail) shows as a `values` failure;
 * every other family still gets some.
 */
const SMALL_WEIGHT = 40;
const LONG_WEIGHT: Record<string, number> = { ordinary: 20 };
const LONG_WEIGHT_DEFAULT = 1;
const BATCH_WEIGHT = 1;

export function caseArb(opts: CaseOptions = {}): fc.Arbitrary<GeneratedCase> {
  const dtypes = opts.dtypes ?? [...GENERATED_DTYPES];
  const wanted = opts.families ?? [...FAMILIES];
  for (const f of wanted) if (!FAMILIES.includes(f)) throw new RangeError(`unknown value family "${f}" (known: ${FAMILIES.join(', ')})`);
  const shape = { minRank: opts.minRank, maxRank: opts.maxRank, maxSize: opts.maxSize };
  const layoutArb = opts.layouts?.length ? layoutChoiceArb(opts.layouts) : fc.constant(undefined);
  const shapes = (family: string, allowEmpty: boolean): fc.Arbitrary<number[]> => {
    const small = shapeArb({ ...shape, allowEmpty });
    const maxRank = opts.maxRank ?? 6;
    if (opts.maxElements === undefined) return small;
    const long = longSliceShapeArb(opts.maxElements, { minRank: opts.minRank, maxRank });
    const arms = [{ arbitrary: small, weight: SMALL_WEIGHT }];
    if (long) arms.push({ arbitrary: long, weight: LONG_WEIGHT[family] ?? LONG_WEIGHT_DEFAULT });
    if (maxRank >= 2 && (opts.minRank ?? 0) <= 2) arms.push({ arbitrary: manyRowsShapeArb(opts.maxElements), weight: BATCH_WEIGHT });
    // Cross-shrinking toward the small shapes: a failure that does not need length shrinks to a small case; one
    // that does (a block tail) fails on none of them and keeps its length.
    return fc.oneof({ withCrossShrink: true }, ...arms);
  };
  const arms = FAMILY_SPECS.filter((spec) => wanted.includes(spec.name)).flatMap((spec) => {
    // canonical dtype order (float64 first) so the dtype shrinks toward float64
    const ds = GENERATABLE_DTYPES.filter((d) => spec.dtypes.includes(d) && dtypes.includes(d));
    if (ds.length === 0) return [];
    const arbitrary = fc
      .tuple(shapes(spec.name, !spec.needsElements), dtypeArb(ds), valueParamsArb, layoutArb)
      .map(([s, dtype, params, choice]): GeneratedCase => {
        const layout = choice ? resolveLayout(choice, s) : undefined;
        let values = familyValues(spec.name, s, dtype, params);
        // a broadcast view repeats its values along the axis: the case's values must do the same
        if (layout?.kind === 'broadcast') values = constantAlong(values, s, layout.axis);
        return { family: spec.name, tensor: fromNumbers(dtype, s, values), ...(layout ? { layout } : {}) };
      });
    return [{ arbitrary, weight: spec.weight }];
  });
  if (arms.length === 0) {
    throw new RangeError(`no value family applies to dtypes [${dtypes.join(', ')}] among [${wanted.join(', ')}]`);
  }
  // No cross-shrinking between families: the failing family is part of the diagnosis and must stay.
  return fc.oneof(...arms);
}
