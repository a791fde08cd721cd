// The generated cases' dtype lists, apart from dtypes.ts so that audit-start (loaded before fast-check) can read them.
import type { DType } from '../tensor/dtype.js';

/** Every dtype a case can be generated in, in shrink order (float64 first: see dtypeArb). */
export const GENERATABLE_DTYPES: readonly DType[] = ['float64', 'float32', 'float16', 'bfloat16', 'int32', 'int64'];

/**
 * `run`'s default. bfloat16 is left out there: the manifest's implementations do not declare what they do with it
 * yet, and NumPy code summing in bfloat16 fails it (see docs/tolerance.md), so adding it is the lead's call.
 */
export const GENERATED_DTYPES: readonly DType[] = GENERATABLE_DTYPES.filter((d) => d !== 'bfloat16');

/**
 * `audit`'s default: every dtype but bfloat16, which is judged when asked (`--dtype ...,bfloat16`). NumPy has no
 * bfloat16 of its own: it comes from ml_dtypes, where it is not even `np.floating`, so a NumPy softmax never meant for
 * it fails on the type alone, and a default that depends on whether ml_dtypes is installed would make the same audit
 * give different verdicts on different machines. The coverage map lists bfloat16 as a gap when it was not asked for.
 */
export const AUDIT_DTYPES: readonly DType[] = GENERATED_DTYPES;
