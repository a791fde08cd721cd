// Small formatting helpers for diagnoses: values, indices and arrays the way NumPy users read them.
import { stridesOf, toNumbers, type Tensor } from '../tensor/tensor.js';

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
  return a >= 1e-4 && a < 1e6 ? String(Number(x.toPrecision(8))) : x.toExponential(6);
}

/** The multi-index of flat index i, e.g. "[1, 2]" (or "[]" for 0-d). */
export function fmtIndex(shape: readonly number[], i: number): string {
  const strides = stridesOf(shape);
  return `[${shape.map((_, k) => Math.floor(i / strides[k]) % shape[k]).join(', ')}]`;
}

/** A compact NumPy-like rendering, truncated for long tensors. */
export function fmtTensor(t: Tensor, max = 8): string {
  const v = Array.from(toNumbers(t));
  const shown = v.slice(0, max).map(fmtShort).join(', ');
  const body = v.length > max ? `${shown}, … (${v.length} values)` : shown;
  return t.shape.length <= 1 ? `[${body}]` : `${t.shape.join('x')} [${body}]`;
}
