// Which input domains a unit touches. Each oracle-comparing check owns one domain, so a failure's family says
// *where* an implementation breaks (overflow, underflow, NaN, ...) rather than only *that* it does.
import { resultDType, type FloatDType } from '../tensor/dtype.js';
import { slicesOver, numbersOf } from '../tensor/tensor.js';
import type { Unit } from './unit.js';

/** ln of the largest finite value: beyond it exp(x) overflows. */
export const EXP_OVERFLOW: Record<FloatDType, number> = { float64: 709.782712893384, float32: 88.72283905206835, float16: 11.089866488461016, bfloat16: 88.71892521235186 };
/** ln of the smallest normal: below it exp(x) is subnormal or 0. */
export const EXP_UNDERFLOW: Record<FloatDType, number> = { float64: -708.3964185322641, float32: -87.3365447505531, float16: -9.704060527839234, bfloat16: -87.3365447505531 };

export interface Domains {
  nan: boolean;
  infinity: boolean;
  /** a finite value whose plain exp overflows in the result dtype */
  overflow: boolean;
  /** a slice whose plain exps are all subnormal or zero, or a difference so large the result is subnormal */
  underflow: boolean;
  empty: boolean;
  /** an axis of length 1 (the shape that `axis=0` answers get wrong) */
  singleton: boolean;
  zeroD: boolean;
}

export function domainsOf(unit: Unit): Domains {
  const x = unit.case.input;
  const values = numbersOf(x);
  const out = resultDType(x.dtype);
  let nan = false;
  let infinity = false;
  let overflow = false;
  const overflowAbove = EXP_OVERFLOW[out];
  // Indexed loops: for-of over a typed array allocates an iterator result per element here (not optimised away).
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) nan = true;
    else if (v === Infinity || v === -Infinity) infinity = true;
    else if (v > overflowAbove) overflow = true;
  }
  let underflow = false;
  const underflowBelow = EXP_UNDERFLOW[out];
  if (values.length > 0) {
    // With no axes (0-d) every element is its own slice: exp of a very negative scalar still underflows.
    for (const slice of slicesOver(x.shape, unit.axes)) {
      let max = -Infinity;
      let min = Infinity;
      for (let k = 0; k < slice.length; k++) {
        const v = values[slice[k]];
        if (Number.isFinite(v)) {
          if (v > max) max = v;
          if (v < min) min = v;
        }
      }
      if (max === -Infinity) continue;
      if (max < underflowBelow || min - max < underflowBelow) underflow = true;
    }
  }
  return {
    nan,
    infinity,
    overflow,
    underflow,
    empty: x.shape.includes(0),
    singleton: x.shape.length > 0 && x.shape.includes(1),
    zeroD: x.shape.length === 0,
  };
}

/** Finite, nonempty, no overflow or underflow risk, no singleton axis: where `values` is the judge. */
export function isOrdinary(d: Domains): boolean {
  return !d.nan && !d.infinity && !d.overflow && !d.underflow && !d.empty && !d.singleton;
}

export function isFiniteInput(d: Domains): boolean {
  return !d.nan && !d.infinity;
}
