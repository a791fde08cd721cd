// Data types a tensor can carry across the harness's boundaries.
// float16 has no native typed array on Node 20: its elements are stored as raw IEEE binary16 bits (Uint16Array);
// bfloat16 likewise as its raw bits (the top half of a binary32), and crosses .npy as ml_dtypes writes it ('<V2').

export const FLOAT_DTYPES = ['float64', 'float32', 'float16', 'bfloat16'] as const;
export const INT_DTYPES = ['int32', 'int64'] as const;
export const DTYPES = [...FLOAT_DTYPES, ...INT_DTYPES, 'bool'] as const;

export type FloatDType = (typeof FLOAT_DTYPES)[number];
export type IntDType = (typeof INT_DTYPES)[number];
export type DType = (typeof DTYPES)[number];

export type TensorData = Float64Array | Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;

export interface DTypeInfo {
  /** bytes per element */
  itemsize: number;
  /** NumPy's array-protocol type string (little-endian), as written in a .npy header */
  npyDescr: string;
}

export const DTYPE_INFO: Record<DType, DTypeInfo> = {
  float64: { itemsize: 8, npyDescr: '<f8' },
  float32: { itemsize: 4, npyDescr: '<f4' },
  float16: { itemsize: 2, npyDescr: '<f2' },
  // ml_dtypes registers bfloat16 as a void-kind dtype: np.save writes its dtype.str, '<V2' (see npy.ts)
  bfloat16: { itemsize: 2, npyDescr: '<V2' },
  int32: { itemsize: 4, npyDescr: '<i4' },
  int64: { itemsize: 8, npyDescr: '<i8' },
  bool: { itemsize: 1, npyDescr: '|b1' },
};

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

export function isFloatDType(d: DType): d is FloatDType {
  return (FLOAT_DTYPES as readonly string[]).includes(d);
}

/** NumPy's softmax result dtype for an input dtype: floats keep theirs, integers and bool promote to float64. */
export function resultDType(input: DType): FloatDType {
  return isFloatDType(input) ? input : 'float64';
}

export function allocate(dtype: DType, length: number): TensorData {
  switch (dtype) {
    case 'float64': return new Float64Array(length);
    case 'float32': return new Float32Array(length);
    case 'float16':
    case 'bfloat16': return new Uint16Array(length);
    case 'int32': return new Int32Array(length);
    case 'int64': return new BigInt64Array(length);
    case 'bool': return new Uint8Array(length);
  }
}

/** A typed array of the dtype viewing (not copying) little-endian bytes; copies only when unaligned. */
export function viewBytes(dtype: DType, bytes: Uint8Array): TensorData {
  const { itemsize } = DTYPE_INFO[dtype];
  if (bytes.byteLength % itemsize !== 0) {
    throw new RangeError(`${bytes.byteLength} bytes is not a whole number of ${dtype} elements`);
  }
  const aligned = bytes.byteOffset % itemsize === 0 ? bytes : bytes.slice();
  const n = aligned.byteLength / itemsize;
  switch (dtype) {
    case 'float64': return new Float64Array(aligned.buffer, aligned.byteOffset, n);
    case 'float32': return new Float32Array(aligned.buffer, aligned.byteOffset, n);
    case 'float16':
    case 'bfloat16': return new Uint16Array(aligned.buffer, aligned.byteOffset, n);
    case 'int32': return new Int32Array(aligned.buffer, aligned.byteOffset, n);
    case 'int64': return new BigInt64Array(aligned.buffer, aligned.byteOffset, n);
    case 'bool': return new Uint8Array(aligned.buffer, aligned.byteOffset, n);
  }
}
