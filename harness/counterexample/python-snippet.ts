// A self-contained Python snippet that reproduces a counterexample in a plain Python shell with NumPy: it rebuilds
// the input bit for bit, calls the candidate, prints the result, and shows the oracle's and the candidate's outputs.
// Floats are written as the shortest decimal that parses back to the exact double (every float32/float16 value is
// a double, so NumPy's cast back is exact), or with float.fromhex on request; NaN, inf and -0.0 are spelled out, and a
// NaN whose bits differ from NumPy's default NaN is patched in through a uint view so the bytes still match.
import type { DType } from '../tensor/dtype.js';
import { makeTensor, sizeOf, tensorBytes, valueAt, type Tensor } from '../tensor/tensor.js';
import type { SnippetCheck } from './assertion.js';

export interface SnippetOptions {
  input: Tensor;
  /** Python that brings the candidate into scope, e.g. "from my_softmax import softmax"; may span lines */
  importLine: string;
  /** the call, with the input named `x`, e.g. "softmax(x, axis=-1)" */
  call: string;
  /** the candidate's output as the harness recorded it */
  actual?: Tensor;
  /** why this is a counterexample (one or more lines, written as comments) */
  note?: string;
  /** how finite floats are written: 'decimal' (default, shortest exact decimal) or 'hex' (float.fromhex) */
  floats?: 'decimal' | 'hex';
  /** what the script asserts at its end (default: the result has the input's shape) */
  check?: SnippetCheck;
}

const WIDTH = 100;
const INDENT = '    ';

const NP_DTYPE: Record<DType, string> = {
  float64: 'np.float64',
  float32: 'np.float32',
  float16: 'np.float16',
  bfloat16: 'ml_dtypes.bfloat16',
  int32: 'np.int32',
  int64: 'np.int64',
  bool: 'np.bool_',
};

/** NumPy's bits for float('nan') in each float dtype (what np.array([np.nan], dtype=...) stores). */
const DEFAULT_NAN: Partial<Record<DType, bigint>> = {
  float64: 0x7ff8000000000000n,
  float32: 0x7fc00000n,
  float16: 0x7e00n,
  bfloat16: 0x7fc0n,
};

const UINT_VIEW: Partial<Record<DType, string>> = { float64: 'np.uint64', float32: 'np.uint32', float16: 'np.uint16', bfloat16: 'np.uint16' };

/** Python's float.hex spelling of a finite double, trailing zero digits dropped (float.fromhex reads it back exactly). */
export function hexFloat(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0x0p+0' : '0x0p+0';
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const biased = Number((bits >> 52n) & 0x7ffn);
  const mantissa = (bits & 0xfffffffffffffn).toString(16).padStart(13, '0').replace(/0+$/, '');
  const lead = biased === 0 ? '0' : '1';
  const exp = biased === 0 ? -1022 : biased - 1023;
  return `${sign}0x${lead}${mantissa ? `.${mantissa}` : ''}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/** A Python expression for a double, exact. */
export function pyFloat(x: number, style: 'decimal' | 'hex' = 'decimal'): string {
  if (Number.isNaN(x)) return 'np.nan';
  if (x === Infinity) return 'np.inf';
  if (x === -Infinity) return '-np.inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (style === 'hex') return `float.fromhex('${hexFloat(x)}')`;
  // JS and Python both print the shortest decimal that round-trips; only make integral values look like floats.
  const s = String(x);
  return /^-?\d+$/.test(s) ? `${s}.0` : s;
}

function elementBits(t: Tensor, i: number): bigint {
  const bytes = tensorBytes(t);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (t.dtype) {
    case 'float64': return dv.getBigUint64(i * 8, true);
    case 'float32': return BigInt(dv.getUint32(i * 4, true));
    default: return BigInt(dv.getUint16(i * 2, true));
  }
}

function literal(t: Tensor, i: number, style: 'decimal' | 'hex'): string {
  switch (t.dtype) {
    case 'int64': return (t.data as BigInt64Array)[i].toString();
    case 'int32': return String(t.data[i]);
    case 'bool': return t.data[i] ? 'True' : 'False';
    default: return pyFloat(valueAt(t, i), style);
  }
}

export function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Items packed into lines of at most WIDTH columns (an item longer than that gets a line of its own). */
function pack(items: string[]): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const piece = `${item},`;
    if (line && INDENT.length + line.length + 1 + piece.length > WIDTH) {
      lines.push(INDENT + line);
      line = piece;
    } else {
      line = line ? `${line} ${piece}` : piece;
    }
  }
  if (line) lines.push(INDENT + line);
  return lines;
}

/**
 * Python lines assigning `name` to an array equal to `t`: same dtype, shape and values. With `exactNaN` the bytes
 * match too (NaN sign and payload).
 */
export function pyArray(name: string, t: Tensor, opts: { floats?: 'decimal' | 'hex'; exactNaN?: boolean } = {}): string[] {
  const style = opts.floats ?? 'decimal';
  const n = sizeOf(t.shape);
  const items = Array.from({ length: n }, (_, i) => literal(t, i, style));
  const dtype = `dtype=${NP_DTYPE[t.dtype]}`;
  const lines: string[] = [];
  if (t.shape.length === 0) {
    lines.push(`${name} = np.array(${items[0]}, ${dtype})`);
  } else {
    const tail = `], ${dtype})${t.shape.length === 1 ? '' : `.reshape(${pyShape(t.shape)})`}`;
    const oneLine = `${name} = np.array([${items.join(', ')}${tail}`;
    if (oneLine.length <= WIDTH) lines.push(oneLine);
    else lines.push(`${name} = np.array([`, ...pack(items), tail);
  }
  const defaultNaN = DEFAULT_NAN[t.dtype];
  if (opts.exactNaN && defaultNaN !== undefined) {
    const odd: number[] = [];
    const bits: string[] = [];
    for (let i = 0; i < n; i++) {
      if (!Number.isNaN(valueAt(t, i))) continue;
      const b = elementBits(t, i);
      if (b !== defaultNaN) {
        odd.push(i);
        bits.push(`0x${b.toString(16)}`);
      }
    }
    if (odd.length > 0) {
      lines.push(`# NaNs with a non-default sign or payload, set bit for bit:`);
      lines.push(`${name}.view(${UINT_VIEW[t.dtype]}).flat[[${odd.join(', ')}]] = [${bits.join(', ')}]`);
    }
  }
  return lines;
}

function comment(text: string): string[] {
  return text.split(/\r?\n/).map((l) => (l ? `# ${l}` : '#'));
}

/** The closing lines: the assertion that fails exactly when the defect reproduces, then a line saying it did not. */
function assertion(check: SnippetCheck, call: string): string[] {
  switch (check.kind) {
    case 'unchanged-input':
      return ['# the defect: the call changes its input', "assert x.tobytes() == x_before.tobytes(), 'the call changed its input x'"];
    case 'deterministic':
      return [
        '# the defect: a second identical call gives a different result',
        `out2 = ${call}`,
        "assert np.asarray(out).tobytes() == np.asarray(out2).tobytes(), f'two identical calls differ: {out!r} then {out2!r}'",
      ];
    case 'dtype':
      return [`assert np.asarray(out).dtype == np.${check.dtype}, f'returns {np.asarray(out).dtype}, expected ${check.dtype}'`];
    case 'shape':
      return ["assert np.shape(out) == x.shape, f'returns shape {np.shape(out)} for input of shape {x.shape}'"];
    case 'tolerance': {
      const allowed = makeTensor('float64', [check.allowed.length], check.allowed);
      const same = check.allowed.every((v) => v === check.allowed[0]);
      return [
        `# the check: within the ${check.profile} profile's tolerance of the correctly rounded result, element by element`,
        ...(same ? [`allowed = np.full(${check.allowed.length}, ${pyFloat(check.allowed[0] ?? 0)})  # absolute error allowed per element`] : pyArray('allowed', allowed)),
        'o = np.asarray(out, dtype=np.float64)',
        'e = expected.astype(np.float64)',
        "assert o.shape == e.shape, f'returns shape {o.shape}, expected {e.shape}'",
        'both_finite = np.isfinite(o) & np.isfinite(e)',
        'diff = np.subtract(o, e, out=np.full(e.shape, np.inf), where=both_finite)',
        'ok = (o == e) | (np.isnan(o) & np.isnan(e)) | (np.abs(diff) <= allowed.reshape(e.shape))',
        "bad = np.argwhere(~ok).tolist()",
        "assert ok.all(), f'{len(bad)} element(s) out of tolerance, first at {bad[0]}: {o[~ok][0]!r}, expected {e[~ok][0]!r}'",
      ];
    }
  }
}

/**
 * A script to run with `python3` (or paste into its shell): the input is `x`, the candidate's result `out`, then
 * `expected` and `actual` when known, and an assertion that fails exactly when the defect reproduces, so the exit
 * status says whether it still does. Blank lines only between statements, so a pasted multi-line import (e.g. a
 * `def`) is closed before the next statement, as the interactive shell needs.
 */
export function pythonSnippet(opts: SnippetOptions): string {
  const floats = opts.floats ?? 'decimal';
  const check = opts.check ?? { kind: 'shape' };
  const lines: string[] = ['# softmax-conformance counterexample: exits non-zero (AssertionError) while the defect reproduces'];
  if (opts.note) lines.push(...comment(opts.note));
  lines.push('import numpy as np');
  // bfloat16 is not NumPy's own: it comes from ml_dtypes (pip install ml_dtypes)
  if ([opts.input, opts.actual].some((t) => t?.dtype === 'bfloat16')) lines.push('import ml_dtypes');
  const imp = opts.importLine.replace(/\s+$/, '');
  if (imp) lines.push(...imp.split(/\r?\n/));
  lines.push('');
  lines.push(`# input: ${opts.input.dtype}, shape ${pyShape(opts.input.shape)}`);
  lines.push(...pyArray('x', opts.input, { floats, exactNaN: true }));
  if (check.kind === 'unchanged-input') lines.push('x_before = x.copy()');
  lines.push(`out = ${opts.call}`);
  lines.push('print(repr(out))');
  if (check.kind === 'tolerance') {
    lines.push('# the oracle (correctly rounded):');
    lines.push(...pyArray('expected', check.expected, { floats }));
  }
  if (opts.actual) {
    lines.push("# the candidate's output as the harness recorded it:");
    lines.push(...pyArray('actual', opts.actual, { floats }));
  }
  lines.push(...assertion(check, opts.call));
  lines.push("print('conforms on this input')");
  return `${lines.join('\n')}\n`;
}
