// When may an implementation answer an input with an exception instead of a result?
// Outside the core domain most softmax code is not written for (0-d, empty axes, rank >= 3, float16, integers,
// non-finite values), or outside what its manifest declares, a clear exception is a rejection, not a failure.
// Inside, an exception is a failure. `--strict-domain` makes every exception a failure.
import type { Tensor } from '../tensor/tensor.js';
import { isFloatDType } from '../tensor/dtype.js';
import { toNumbers } from '../tensor/tensor.js';

/** What an implementation declares it supports (the manifest's `domain`): ranks [min, max] (max null: unbounded). */
export interface DeclaredDomain {
  ranks?: [number, number | null];
  dtypes?: string[];
  empty?: boolean;
  zeroD?: boolean;
}

export function inCoreDomain(x: Tensor): boolean {
  const rank = x.shape.length;
  return (
    rank >= 1 && rank <= 2 &&
    !x.shape.includes(0) &&
    (x.dtype === 'float64' || x.dtype === 'float32') &&
    toNumbers(x).every(Number.isFinite)
  );
}

export function inDeclaredDomain(x: Tensor, d: DeclaredDomain | undefined): boolean {
  if (!d) return true;
  const rank = x.shape.length;
  if (d.ranks && (rank < d.ranks[0] || (d.ranks[1] !== null && rank > d.ranks[1]))) return false;
  if (d.dtypes && !d.dtypes.includes(x.dtype)) return false;
  if (d.empty === false && x.shape.includes(0)) return false;
  if (d.zeroD === false && rank === 0) return false;
  return true;
}

export function rejectionPolicy(declared: DeclaredDomain | undefined, strict: boolean): (x: Tensor) => boolean {
  if (strict) return () => false;
  return (x) => !inCoreDomain(x) || !inDeclaredDomain(x, declared) || !isFloatDType(x.dtype);
}
