// JSON encoding of tensors, bit-exact (see README "Exact encoding"). OWNER: encoding helper fills in the functions.
import type { DType } from './dtype.js';

/**
 * `data` form: row-major flat list; finite floats as JSON numbers (the shortest text that parses back to the same
 * double; float32/float16 values are written as the double they equal), and the strings "nan", "inf", "-inf", "-0";
 * int64 outside ±2^53 as decimal strings. NaN payloads are not kept in this form.
 * `base64` form: the little-endian element bytes, keeping every bit (NaN payloads included).
 */
export type EncodedTensor =
  | { dtype: DType; shape: number[]; data: (number | string)[] }
  | { dtype: DType; shape: number[]; base64: string };
