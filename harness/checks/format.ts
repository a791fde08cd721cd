// Small formatting helpers for diagnoses: values, indices and arrays the way NumPy users read them.
// Where a diagnosis puts two values side by side, they are shown round-trip exact (fmtExact) with their distance in
// ULP (fmtApart): eight digits would make "0.46323398 where the correct value is 0.46323398" look like a pass.
import { isFloatDType, type DType, type FloatDType } from '../tensor/dtype.js';
import { roundToHalf } from '../tensor/float16.js';
import { roundToBfloat16 } from '../tensor/bfloat16.js';
import { stridesOf, toNumbers, type Tensor } from '../tensor/tensor.js';
import { ulpDistance } from '../tolerance/metrics.js';

export function fmtNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return Number.isInteger(x) && !s.includes('e') ? `${s}.0`.replace(/\.0\.0$/, '.0') : s;
}

export function fmtShort(x: number): string {
  if (!Number.isFinite(x) || x === 0) return fmtNumber(x);
  const a = Math.abs(x);
  const v = Number(x.toPrecision(8));
  return a >= 1e-4 && a < 1e16 ? String(v) : v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}

const ROUND: Record<FloatDType, (x: number) => number> = { float64: (x) => x, float32: Math.fround, float16: roundToHalf, bfloat16: roundToBfloat16 };
/** At most this many significant digits are needed to round-trip each dtype (NumPy's repr uses the shortest). */
const MAX_DIGITS: Record<FloatDType, number> = { float64: 17, float32: 9, float16: 5, bfloat16: 4 };

/**
 * The shortest decimal that rounds back to exactly this value in `dtype` (as NumPy's repr prints it): 17 significant
 * digits at most for float64, 9 for float32, 5 for float16. Integer dtypes print as integers.
 */
export function fmtExact(x: number, dtype: DType = 'float64'): string {
  if (!Number.isFinite(x) || x === 0) return fmtNumber(x);
  if (!isFloatDType(dtype)) return Number.isInteger(x) ? String(x) : fmtNumber(x);
  const round = ROUND[dtype];
  const v = round(x);
  let p = 1;
  while (p < MAX_DIGITS[dtype] && round(Number(v.toPrecision(p))) !== v) p++;
  // NumPy's repr switches to scientific notation below 1e-4 and from 1e16 on.
  const a = Math.abs(v);
  if (a < 1e-4 || a >= 1e16) return v.toExponential(p - 1).replace(/e([+-])(\d)$/, 'e$10$2');
  const s = String(Number(v.toPrecision(p)));
  return Number.isInteger(v) ? `${s}.0` : s;
}

/** Representable values of `dtype` between a and b (Infinity where one is NaN or infinite and the other is not). */
export function ulpsBetween(a: number, b: number, dtype: DType): number {
  return ulpDistance(a, b, isFloatDType(dtype) ? dtype : 'float64');
}

/** "3 ULP apart" in `dtype`; "an unbounded distance apart" where one is NaN or infinite and the other is not. */
export function fmtApart(a: number, b: number, dtype: DType): string {
  const d = ulpsBetween(a, b, dtype);
  return Number.isFinite(d) ? `${d} ULP apart` : 'an unbounded distance apart';
}

/** "a then b (3 ULP apart)": two values that differ, exact, with their distance. */
export function fmtPair(a: number, b: number, dtype: DType, joiner: string): string {
  return `${fmtExact(a, dtype)}${joiner}${fmtExact(b, dtype)} (${fmtApart(a, b, dtype)})`;
}

/** The multi-index of flat index i, e.g. "[1, 2]" (or "[]" for 0-d). */
export function fmtIndex(shape: readonly number[], i: number): string {
  const strides = stridesOf(shape);
  return `[${shape.map((_, k) => Math.floor(i / strides[k]) % shape[k]).join(', ')}]`;
}

/** An element named for prose: "output[1, 2]", or "the 0-d output" where there is no index to give. */
export function fmtElement(name: string, shape: readonly number[], i: number): string {
  return shape.length === 0 ? `the 0-d ${name}` : `${name}${fmtIndex(shape, i)}`;
}

/** A compact NumPy-like rendering, truncated for long tensors. */
export function fmtTensor(t: Tensor, max = 8): string {
  const v = Array.from(toNumbers(t));
  // Integers exactly (2147483647, not 2147483600: the extremes are often the point); floats to 8 digits.
  const one = isFloatDType(t.dtype) ? fmtShort : (x: number) => String(x);
  const shown = v.slice(0, max).map(one).join(', ');
  const body = v.length > max ? `${shown}, … (${v.length} values)` : shown;
  if (t.shape.length === 0) return `${body} (0-d)`;
  return t.shape.length === 1 ? `[${body}]` : `${t.shape.join('x')} [${body}]`;
}

/** An input for a diagnosis, with its dtype: "[1, 2] (float32)", "2.5 (0-d, float64)". */
export function fmtInput(t: Tensor, max = 8): string {
  const shown = fmtTensor(t, max);
  return t.shape.length === 0 ? shown.replace(/ \(0-d\)$/, ` (0-d, ${t.dtype})`) : `${shown} (${t.dtype})`;
}

/** The dtype values of this tensor are compared in: its own for floats, float64 for integer outputs. */
export function valueDType(t: Tensor): FloatDType {
  return isFloatDType(t.dtype) ? t.dtype : 'float64';
}
