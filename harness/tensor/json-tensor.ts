// JSON encoding of tensors, bit-exact (see README "Exact encoding"). harness/py/sc_tensor.py is its Python twin:
// any change here must be made there too (the cross-language test checks they agree).
import { DataError } from '../errors.js';
import { DTYPE_INFO, isDType, isFloatDType, type DType } from './dtype.js';
import { BF16_NAN_BITS, bf16BitsToNumber, numberToBf16Bits } from './bfloat16.js';
import { halfBitsToNumber, numberToHalfBits } from './float16.js';
import { describeShape, makeTensor, sizeOf, tensorBytes, tensorFromBytes, type Tensor } from './tensor.js';

/**
 * `data` form: row-major flat list; finite floats as JSON numbers (the shortest text that parses back to the same
 * double; float32/float16/bfloat16 values are written as the double they equal), and the strings "nan", "inf", "-inf", "-0";
 * int64 outside ±2^53 as decimal strings. NaN payloads are not kept in this form.
 * `base64` form: the little-endian element bytes, keeping every bit (NaN payloads included).
 */
export type EncodedTensor =
  | { dtype: DType; shape: number[]; data: (number | string)[] }
  | { dtype: DType; shape: number[]; base64: string };

const FLOAT_EXPECTED = 'expected a number or "nan"/"inf"/"-inf"/"-0"';
// Canonical quiet NaNs, the same bits NumPy produces for float('nan') in each dtype, so "nan" decodes identically
// in TypeScript and Python.
const NAN32_BITS = 0x7fc00000;
const NAN16_BITS = 0x7e00;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;
// Strict: Buffer.from(s, 'base64') silently skips junk, which would hide a corrupted file.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A float as its data-form item: a JS number (which JSON.stringify writes shortest round-trip) or a special string. */
function floatItem(x: number): number | string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0'; // JSON.stringify(-0) is "0", and Python reads "-0" as the int 0
  return x;
}

export function encodeTensorJson(t: Tensor, form: 'data' | 'base64' = 'data'): EncodedTensor {
  const shape = [...t.shape];
  if (form === 'base64') return { dtype: t.dtype, shape, base64: Buffer.from(tensorBytes(t)).toString('base64') };
  const n = t.data.length;
  const data = new Array<number | string>(n);
  for (let i = 0; i < n; i++) {
    const v = t.data[i];
    switch (t.dtype) {
      case 'float16': data[i] = floatItem(halfBitsToNumber(v as number)); break;
      case 'bfloat16': data[i] = floatItem(bf16BitsToNumber(v as number)); break;
      case 'float32':
      case 'float64': data[i] = floatItem(v as number); break;
      case 'int32': data[i] = v as number; break;
      case 'int64': {
        const b = v as bigint;
        // Beyond ±(2^53-1) a JSON number no longer names one integer (2^53+1 parses as 2^53).
        data[i] = b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b.toString();
        break;
      }
      case 'bool': data[i] = (v as number) !== 0 ? 1 : 0; break; // EncodedTensor items are numbers or strings: 0/1
    }
  }
  return { dtype: t.dtype, shape, data };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decodes (and validates) one encoded tensor found at `pointer` in `file`; every problem names its JSON pointer. */
export function decodeTensorJson(value: unknown, file: string, pointer: string): Tensor {
  const fail = (where: string, problem: string): never => {
    throw new DataError(file, pointer + where, problem);
  };
  if (!isObject(value)) return fail('', 'expected a tensor object {dtype, shape, data | base64}');
  for (const key of Object.keys(value)) {
    if (!['dtype', 'shape', 'data', 'base64'].includes(key)) fail('', `unexpected property "${key}" in a tensor`);
  }
  const { dtype, shape } = value;
  if (typeof dtype !== 'string' || !isDType(dtype)) {
    return fail('/dtype', `expected one of float64, float32, float16, bfloat16, int32, int64, bool; got ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape)) return fail('/shape', 'expected an array of non-negative integers');
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) fail(`/shape/${i}`, 'expected a non-negative integer');
  });
  const dims = shape as number[];
  const size = sizeOf(dims);
  const hasData = 'data' in value;
  const hasBase64 = 'base64' in value;
  if (hasData === hasBase64) return fail('', 'a tensor needs exactly one of "data" and "base64"');

  if (hasBase64) {
    const b64 = value.base64;
    if (typeof b64 !== 'string') return fail('/base64', 'expected a padded standard base64 string');
    const decoded = Buffer.from(b64, 'base64');
    // A string that is its own bytes' encoding is padded standard base64 (Buffer writes nothing else): re-encoding
    // costs a tenth of the pattern, which is left for the rest (e.g. nonzero bits after the last byte, or junk).
    if (decoded.toString('base64') !== b64 && !BASE64.test(b64)) return fail('/base64', 'expected a padded standard base64 string');
    const bytes = new Uint8Array(decoded); // a copy: Buffer may share its pooled memory
    const want = size * DTYPE_INFO[dtype].itemsize;
    if (bytes.length !== want) {
      fail('/base64', `decodes to ${bytes.length} bytes; shape ${describeShape(dims)} of ${dtype} needs ${want}`);
    }
    return tensorFromBytes(dtype, dims, bytes);
  }

  const data = value.data;
  if (!Array.isArray(data)) return fail('/data', 'expected an array of elements in row-major order');
  if (data.length !== size) {
    fail('/data', `has ${data.length} elements; shape ${describeShape(dims)} needs ${size}`);
  }
  const t = makeTensor(dtype, dims);
  const out = t.data;
  const fails = (i: number, problem: string): never => fail(`/data/${i}`, problem); // the pointer made on failure only
  for (let i = 0; i < size; i++) {
    const item: unknown = data[i];
    if (isFloatDType(dtype)) {
      const x = floatValue(item);
      if (x === undefined) return fails(i, FLOAT_EXPECTED);
      if (typeof item === 'number' && !Number.isFinite(x)) fails(i, `${dtype} number overflows to infinity; write "inf" or "-inf"`);
      if (dtype === 'float64') (out as Float64Array)[i] = x;
      else if (dtype === 'float32') {
        if (Number.isNaN(x)) new DataView(out.buffer, out.byteOffset).setUint32(i * 4, NAN32_BITS, true);
        else if (Math.fround(x) !== x) fails(i, inexact(item, 'float32', Math.fround(x)));
        else (out as Float32Array)[i] = x;
      } else if (dtype === 'bfloat16') {
        const bits = Number.isNaN(x) ? BF16_NAN_BITS : numberToBf16Bits(x);
        if (!Number.isNaN(x) && !Object.is(bf16BitsToNumber(bits), x)) fails(i, inexact(item, 'bfloat16', bf16BitsToNumber(bits)));
        (out as Uint16Array)[i] = bits;
      } else {
        const bits = Number.isNaN(x) ? NAN16_BITS : numberToHalfBits(x);
        if (!Number.isNaN(x) && !Object.is(halfBitsToNumber(bits), x)) fails(i, inexact(item, 'float16', halfBitsToNumber(bits)));
        (out as Uint16Array)[i] = bits;
      }
    } else if (dtype === 'int32') {
      if (typeof item !== 'number' || !Number.isInteger(item) || item < -(2 ** 31) || item >= 2 ** 31) {
        fails(i, 'expected an integer in int32 range');
      }
      (out as Int32Array)[i] = item as number;
    } else if (dtype === 'int64') {
      (out as BigInt64Array)[i] = int64Value(item) ?? fails(i, 'expected an int64: an integer within ±(2^53-1), or a decimal string');
    } else {
      const b = item === true || item === 1 ? 1 : item === false || item === 0 ? 0 : undefined;
      (out as Uint8Array)[i] = b ?? fails(i, 'expected true, false, 0 or 1');
    }
  }
  return t;
}

function floatValue(item: unknown): number | undefined {
  if (typeof item === 'number') return item;
  switch (item) {
    case 'nan': return NaN;
    case 'inf': return Infinity;
    case '-inf': return -Infinity;
    case '-0': return -0;
    default: return undefined;
  }
}

function inexact(item: unknown, dtype: string, nearest: number): string {
  return `${JSON.stringify(item)} is not exactly a ${dtype} value (the encoding is exact, not a rounding; the nearest ${dtype} is ${floatItem(nearest)})`;
}

function int64Value(item: unknown): bigint | undefined {
  if (typeof item === 'number') return Number.isSafeInteger(item) ? BigInt(item) : undefined;
  if (typeof item !== 'string' || !DECIMAL.test(item)) return undefined;
  const b = BigInt(item);
  return b >= INT64_MIN && b <= INT64_MAX ? b : undefined;
}
