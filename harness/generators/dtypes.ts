// Input dtypes for generated cases. bool is left out: softmax of booleans is not a question anyone asks.
import fc from 'fast-check';
import type { DType } from '../tensor/dtype.js';
import { GENERATED_DTYPES } from './dtype-lists.js';

export { AUDIT_DTYPES, GENERATABLE_DTYPES, GENERATED_DTYPES } from './dtype-lists.js';

const WEIGHT: Partial<Record<DType, number>> = { float64: 3, float32: 2, float16: 2, bfloat16: 2, int32: 1, int64: 1 };

/**
 * One of the given dtypes, float64 weighted up as the main case. Cross-shrinking toward the first listed dtype
 * (pass float64 first) so a counterexample is reported in the simplest dtype that still fails.
 */
export function dtypeArb(dtypes: readonly DType[] = GENERATED_DTYPES): fc.Arbitrary<DType> {
  if (dtypes.length === 0) throw new RangeError('dtypeArb needs at least one dtype');
  return fc.oneof(
    { withCrossShrink: true },
    ...dtypes.map((d) => ({ arbitrary: fc.constant(d), weight: WEIGHT[d] ?? 1 })),
  );
}
