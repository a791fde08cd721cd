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
import { shapeArb } from './shapes.js';

export interface GeneratedCase {
  family: string;
  tensor: Tensor;
}

export interface CaseOptions {
  /** input dtypes to draw from (default GENERATED_DTYPES: float64, float32, float16, int32, int64) */
  dtypes?: DType[];
  /** value families to draw from (default all of FAMILIES); families with no allowed dtype are dropped */
  families?: string[];
  minRank?: number;
  maxRank?: number;
  maxSize?: number;
}

export function caseArb(opts: CaseOptions = {}): fc.Arbitrary<GeneratedCase> {
  const dtypes = opts.dtypes ?? [...GENERATED_DTYPES];
  const wanted = opts.families ?? [...FAMILIES];
  for (const f of wanted) if (!FAMILIES.includes(f)) throw new RangeError(`unknown value family "${f}" (known: ${FAMILIES.join(', ')})`);
  const shape = { minRank: opts.minRank, maxRank: opts.maxRank, maxSize: opts.maxSize };
  const arms = FAMILY_SPECS.filter((spec) => wanted.includes(spec.name)).flatMap((spec) => {
    // canonical dtype order (float64 first) so the dtype shrinks toward float64
    const ds = GENERATABLE_DTYPES.filter((d) => spec.dtypes.includes(d) && dtypes.includes(d));
    if (ds.length === 0) return [];
    const arbitrary = fc
      .tuple(shapeArb({ ...shape, allowEmpty: !spec.needsElements }), dtypeArb(ds), valueParamsArb)
      .map(([s, dtype, params]): GeneratedCase => ({
        family: spec.name,
        tensor: fromNumbers(dtype, s, familyValues(spec.name, s, dtype, params)),
      }));
    return [{ arbitrary, weight: spec.weight }];
  });
  if (arms.length === 0) {
    throw new RangeError(`no value family applies to dtypes [${dtypes.join(', ')}] among [${wanted.join(', ')}]`);
  }
  // No cross-shrinking between families: the failing family is part of the diagnosis and must stay.
  return fc.oneof(...arms);
}
