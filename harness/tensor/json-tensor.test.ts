import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { projectPath } from '../paths.js';
import { validateJson } from '../json-files.js';
import type { DType } from './dtype.js';
import { halfBitsToNumber } from './float16.js';
import { decodeTensorJson, encodeTensorJson, type EncodedTensor } from './json-tensor.js';
import { bitwiseEqual, makeTensor, tensorBytes, tensorFromBytes, type Tensor } from './tensor.js';
import { defaultPython } from '../worker/python-worker.js';

/** A tensor from raw element bit patterns (hex, little-endian numeric values), so NaN payloads are exact. */
function fromBits(dtype: DType, shape: number[], bits: bigint[]): Tensor {
  const size = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int64: 8, int32: 4, bool: 1 }[dtype];
  const bytes = new Uint8Array(bits.length * size);
  const dv = new DataView(bytes.buffer);
  bits.forEach((b, i) => {
    for (let k = 0; k < size; k++) dv.setUint8(i * size + k, Number((b >> BigInt(8 * k)) & 0xffn));
  });
  return tensorFromBytes(dtype, shape, bytes);
}

/** Through JSON text, as a file or worker frame would carry it. */
const dataOf = (e: EncodedTensor): (number | string)[] => ('data' in e ? e.data : []);
const viaText = (e: EncodedTensor): unknown => JSON.parse(JSON.stringify(e));
const roundTrip = (t: Tensor, form: 'data' | 'base64'): Tensor => decodeTensorJson(viaText(encodeTensorJson(t, form)), 'x.json', '');

const F64 = [
  0x0000000000000000n, 0x8000000000000000n, // +0, -0
  0x3ff0000000000000n, 0x3fb999999999999an, // 1, 0.1
  0x0000000000000001n, 0x800fffffffffffffn, // smallest subnormal, largest negative subnormal
  0x0010000000000000n, 0x7fefffffffffffffn, // smallest normal, largest finite
  0x7ff0000000000000n, 0xfff0000000000000n, // +inf, -inf
];
const F64_NAN = [0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0x7ff8deadbeef0001n];
const F32 = [0x00000000n, 0x80000000n, 0x3f800000n, 0x3dcccccdn, 0x00000001n, 0x807fffffn, 0x00800000n, 0x7f7fffffn, 0x7f800000n, 0xff800000n];
const F32_NAN = [0x7fc00000n, 0xffc00000n, 0x7f800001n, 0x7fc0beefn];
const I64 = [0n, -1n, 2n ** 53n - 1n, -(2n ** 53n - 1n), 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, 2n ** 63n - 2n, 2n ** 63n]; // last: -2^63
const isHalfNaN = (b: number): boolean => (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0;

describe('encodeTensorJson / decodeTensorJson round trips', () => {
  it('float64: ±0, subnormals, extremes and ±inf are bit-exact in both forms', () => {
    const t = fromBits('float64', [2, 5], F64);
    expect(bitwiseEqual(roundTrip(t, 'data'), t)).toBe(true);
    expect(bitwiseEqual(roundTrip(t, 'base64'), t)).toBe(true);
  });

  it('float32: ±0, subnormals, extremes and ±inf are bit-exact in both forms', () => {
    const t = fromBits('float32', [10], F32);
    expect(bitwiseEqual(roundTrip(t, 'data'), t)).toBe(true);
    expect(bitwiseEqual(roundTrip(t, 'base64'), t)).toBe(true);
  });

  it('NaN payloads survive the base64 form; the data form gives the canonical quiet NaN', () => {
    const t64 = fromBits('float64', [4], F64_NAN);
    const t32 = fromBits('float32', [4], F32_NAN);
    expect(bitwiseEqual(roundTrip(t64, 'base64'), t64)).toBe(true);
    expect(bitwiseEqual(roundTrip(t32, 'base64'), t32)).toBe(true);
    expect(dataOf(encodeTensorJson(t64))).toEqual(['nan', 'nan', 'nan', 'nan']);
    expect(bitwiseEqual(roundTrip(t64, 'data'), fromBits('float64', [4], Array(4).fill(0x7ff8000000000000n)))).toBe(true);
    expect(bitwiseEqual(roundTrip(t32, 'data'), fromBits('float32', [4], Array(4).fill(0x7fc00000n)))).toBe(true);
  });

  it('float16: every one of the 65536 bit patterns (NaNs canonical in the data form, exact in base64)', () => {
    const all = makeTensor('float16', [256, 256], Uint16Array.from({ length: 65536 }, (_, i) => i));
    expect(bitwiseEqual(roundTrip(all, 'base64'), all)).toBe(true);
    const back = roundTrip(all, 'data').data as Uint16Array;
    const mismatches = [...back.keys()].filter((i) => back[i] !== (isHalfNaN(i) ? 0x7e00 : i));
    expect(mismatches).toEqual([]);
  });

  it('float32 and float16 values are written as the double they equal, float64 shortest round-trip', () => {
    expect(JSON.stringify(dataOf(encodeTensorJson(makeTensor('float32', [1], Float32Array.of(0.1)))))).toBe('[0.10000000149011612]');
    expect(JSON.stringify(dataOf(encodeTensorJson(makeTensor('float16', [2], Uint16Array.of(0x2e66, 0x0001)))))).toBe(
      `[${halfBitsToNumber(0x2e66)},5.960464477539063e-8]`,
    );
    expect(JSON.stringify(dataOf(encodeTensorJson(makeTensor('float64', [3], Float64Array.of(0.1, -0, 1e300)))))).toBe('[0.1,"-0",1e+300]');
  });

  it('int64 near ±2^63 and around 2^53: exact, numbers only within ±(2^53-1)', () => {
    const t = fromBits('int64', [10], I64.map((b) => b & 0xffffffffffffffffn));
    const enc = encodeTensorJson(t) as { data: (number | string)[] };
    expect(enc.data).toEqual([
      0, -1, 9007199254740991, -9007199254740991, '9007199254740992', '9007199254740993', '-9007199254740993',
      '9223372036854775807', '9223372036854775806', '-9223372036854775808',
    ]);
    expect(bitwiseEqual(roundTrip(t, 'data'), t)).toBe(true);
    expect(bitwiseEqual(roundTrip(t, 'base64'), t)).toBe(true);
  });

  it('int32 extremes and bool (written 0/1, read from true/false too)', () => {
    const i32 = makeTensor('int32', [4], Int32Array.of(-(2 ** 31), 2 ** 31 - 1, 0, -7));
    expect(bitwiseEqual(roundTrip(i32, 'data'), i32)).toBe(true);
    const b = makeTensor('bool', [2, 2], Uint8Array.of(1, 0, 0, 1));
    expect(encodeTensorJson(b)).toEqual({ dtype: 'bool', shape: [2, 2], data: [1, 0, 0, 1] });
    expect(bitwiseEqual(roundTrip(b, 'data'), b)).toBe(true);
    expect(bitwiseEqual(decodeTensorJson({ dtype: 'bool', shape: [2, 2], data: [true, false, 0, 1] }, 'x', ''), b)).toBe(true);
  });

  it('0-d and empty tensors', () => {
    const scalar = makeTensor('float64', [], Float64Array.of(-0));
    expect(encodeTensorJson(scalar)).toEqual({ dtype: 'float64', shape: [], data: ['-0'] });
    expect(bitwiseEqual(roundTrip(scalar, 'data'), scalar)).toBe(true);
    const empty = makeTensor('float32', [3, 0, 2]);
    expect(encodeTensorJson(empty, 'base64')).toEqual({ dtype: 'float32', shape: [3, 0, 2], base64: '' });
    expect(bitwiseEqual(roundTrip(empty, 'base64'), empty)).toBe(true);
    expect(bitwiseEqual(roundTrip(empty, 'data'), empty)).toBe(true);
  });

  it('decoded data owns an aligned buffer of its own', () => {
    const t = roundTrip(makeTensor('float64', [3], Float64Array.of(1, 2, 3)), 'base64');
    expect(t.data.byteOffset).toBe(0);
    expect(t.data.buffer.byteLength).toBe(tensorBytes(t).length);
  });

  it('every encoding satisfies tensor.schema.json', () => {
    for (const form of ['data', 'base64'] as const) {
      for (const t of [fromBits('float64', [10], F64), fromBits('int64', [10], I64.map((b) => b & 0xffffffffffffffffn)), makeTensor('bool', [0])]) {
        expect(() => validateJson(viaText(encodeTensorJson(t, form)), 'tensor.schema.json', 'x.json')).not.toThrow();
      }
    }
  });
});

/** Malformed encodings, each with the JSON pointer (under /checks/0/input) and a fragment of the message. */
const MALFORMED: { name: string; value: unknown; pointer: string; problem: RegExp }[] = [
  { name: 'bad special string', value: { dtype: 'float64', shape: [4], data: [1, 2, 3, 'NaN'] }, pointer: '/data/3', problem: /expected a number or "nan"\/"inf"\/"-inf"\/"-0"/ },
  { name: 'boolean in floats', value: { dtype: 'float32', shape: [1], data: [true] }, pointer: '/data/0', problem: /expected a number/ },
  { name: 'float32 not exact', value: { dtype: 'float32', shape: [2], data: [0.5, 0.1] }, pointer: '/data/1', problem: /not exactly a float32 value.*0\.10000000149011612/ },
  { name: 'float32 overflow', value: { dtype: 'float32', shape: [1], data: [1e39] }, pointer: '/data/0', problem: /not exactly a float32.*inf/ },
  { name: 'float16 not exact', value: { dtype: 'float16', shape: [3], data: [65504, 1, 1e-8] }, pointer: '/data/2', problem: /not exactly a float16/ },
  { name: 'float16 half-way', value: { dtype: 'float16', shape: [1], data: [1 + 2 ** -11] }, pointer: '/data/0', problem: /not exactly a float16/ },
  { name: 'float64 literal overflow', value: JSON.parse('{"dtype":"float64","shape":[1],"data":[1e400]}'), pointer: '/data/0', problem: /overflows to infinity/ },
  { name: 'too few elements', value: { dtype: 'float64', shape: [2, 3], data: [1, 2, 3, 4, 5] }, pointer: '/data', problem: /has 5 elements; shape \(2, 3\) needs 6/ },
  { name: 'data not array', value: { dtype: 'float64', shape: [1], data: 1 }, pointer: '/data', problem: /expected an array/ },
  { name: 'negative dim', value: { dtype: 'float64', shape: [2, -1], data: [] }, pointer: '/shape/1', problem: /non-negative integer/ },
  { name: 'fractional dim', value: { dtype: 'float64', shape: [1.5], data: [] }, pointer: '/shape/0', problem: /non-negative integer/ },
  { name: 'unknown dtype', value: { dtype: 'float128', shape: [], data: [0] }, pointer: '/dtype', problem: /expected one of float64/ },
  { name: 'bad base64', value: { dtype: 'float64', shape: [1], base64: 'AAAA AAAAAAA=' }, pointer: '/base64', problem: /base64/ },
  { name: 'base64 length', value: { dtype: 'float32', shape: [2, 2], base64: 'AAAAAAAAAAA=' }, pointer: '/base64', problem: /decodes to 8 bytes; shape \(2, 2\) of float32 needs 16/ },
  { name: 'both forms', value: { dtype: 'float64', shape: [0], data: [], base64: '' }, pointer: '', problem: /exactly one of/ },
  { name: 'neither form', value: { dtype: 'float64', shape: [0] }, pointer: '', problem: /exactly one of/ },
  { name: 'extra property', value: { dtype: 'float64', shape: [0], data: [], order: 'C' }, pointer: '', problem: /unexpected property "order"/ },
  { name: 'not an object', value: [1, 2], pointer: '', problem: /expected a tensor object/ },
  { name: 'int64 unsafe number', value: { dtype: 'int64', shape: [2], data: [1, 9007199254740993] }, pointer: '/data/1', problem: /int64/ },
  { name: 'int64 out of range', value: { dtype: 'int64', shape: [1], data: ['9223372036854775808'] }, pointer: '/data/0', problem: /int64/ },
  { name: 'int64 fraction', value: { dtype: 'int64', shape: [1], data: [0.5] }, pointer: '/data/0', problem: /int64/ },
  { name: 'int32 out of range', value: { dtype: 'int32', shape: [1], data: [2147483648] }, pointer: '/data/0', problem: /int32 range/ },
  { name: 'int32 string', value: { dtype: 'int32', shape: [1], data: ['1'] }, pointer: '/data/0', problem: /int32 range/ },
  { name: 'bool 2', value: { dtype: 'bool', shape: [2], data: [1, 2] }, pointer: '/data/1', problem: /true, false, 0 or 1/ },
];

describe('decodeTensorJson rejects malformed input with the exact JSON pointer', () => {
  for (const c of MALFORMED) {
    it(c.name, () => {
      let err: unknown;
      try {
        decodeTensorJson(c.value, 'run.json', '/checks/0/input');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataError);
      const d = err as DataError;
      expect(d.file).toBe('run.json');
      expect(d.pointer).toBe('/checks/0/input' + c.pointer);
      expect(d.problem).toMatch(c.problem);
    });
  }

  it('base64: accepts exactly what the padded standard pattern accepts, and decodes it as Buffer does', () => {
    const PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    // canonical encodings, non-canonical ones the pattern admits (nonzero bits after the last byte), and junk
    const strings = ['', 'AA==', 'AAA=', 'AAAA', 'AB==', 'AAB=', '//8=', '+/+/', 'AP//', 'A===', '====', 'AAA', 'AAAAA',
      'AA=A', 'AA', '-_8=', 'AA==AAAA', ' AAAA', 'AAAA\n', 'AAAA=', 'AA=', 'QUJD', 'QUI=', 'QUJ=', 'Q===', 'ÀAAA'];
    for (let n = 0; n < 12; n++) strings.push(Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 0xff)).toString('base64'));
    for (const b64 of strings) {
      const bytes = Buffer.from(b64, 'base64');
      const value = { dtype: 'bool', shape: [bytes.length], base64: b64 };
      if (PATTERN.test(b64)) {
        const t = decodeTensorJson(value, 'x', '');
        expect(Buffer.from(tensorBytes(t)).equals(bytes), b64).toBe(true);
      } else expect(() => decodeTensorJson(value, 'x', ''), b64).toThrow(/padded standard base64/);
    }
  });

  it('accepts the exact float32/float16 values it rejects neighbours of', () => {
    expect(() => decodeTensorJson({ dtype: 'float32', shape: [1], data: [Math.fround(0.1)] }, 'x', '')).not.toThrow();
    expect(() => decodeTensorJson({ dtype: 'float16', shape: [2], data: [65504, 1 + 2 ** -10] }, 'x', '')).not.toThrow();
  });
});

describe('harness/py/sc_tensor.py decode_array rejects the same inputs at the same pointers', () => {
  it('every malformed case', () => {
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(projectPath('harness', 'py'))})
from sc_tensor import decode_array, TensorDecodeError
out = []
for v in json.load(sys.stdin):
    try:
        decode_array(v, '/checks/0/input')
        out.append(None)
    except TensorDecodeError as e:
        out.append([e.pointer, e.problem])
print(json.dumps(out))
`;
    // JSON text is the boundary; 1e400 must reach Python as a literal, as it would from a file.
    const text = `[${MALFORMED.map((c) => (c.name === 'float64 literal overflow' ? '{"dtype":"float64","shape":[1],"data":[1e400]}' : JSON.stringify(c.value))).join(',')}]`;
    const got = JSON.parse(execFileSync(defaultPython(), ['-c', script], { input: text, encoding: 'utf8' })) as ([string, string] | null)[];
    const rows = MALFORMED.map((c, i) => ({ name: c.name, pointer: got[i]?.[0], matches: c.problem.test(got[i]?.[1] ?? '') }));
    expect(rows).toEqual(MALFORMED.map((c) => ({ name: c.name, pointer: '/checks/0/input' + c.pointer, matches: true })));
  });
});

describe('bfloat16 in JSON', () => {
  it('every pattern round-trips: data form exact for non-NaN (NaN canonical 0x7fc0), base64 bit for bit', () => {
    const all = makeTensor('bfloat16', [65536], Uint16Array.from({ length: 65536 }, (_, i) => i));
    const viaData = decodeTensorJson(JSON.parse(JSON.stringify(encodeTensorJson(all, 'data'))), 'x', '').data as Uint16Array;
    const viaB64 = decodeTensorJson(JSON.parse(JSON.stringify(encodeTensorJson(all, 'base64'))), 'x', '').data as Uint16Array;
    for (let b = 0; b < 65536; b++) {
      const nan = (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;
      expect(viaData[b]).toBe(nan ? 0x7fc0 : b);
      expect(viaB64[b]).toBe(b);
    }
  });

  it('writes values as the double they equal and refuses a value that is not exactly a bfloat16', () => {
    expect(encodeTensorJson(makeTensor('bfloat16', [3], Uint16Array.of(0x3dcd, 0x8000, 0x0001)))).toEqual({
      dtype: 'bfloat16', shape: [3], data: [0.10009765625, '-0', 2 ** -133],
    });
    expect(() => decodeTensorJson({ dtype: 'bfloat16', shape: [1], data: [0.1] }, 'x', '')).toThrow(/not exactly a bfloat16 value.*nearest bfloat16 is 0\.10009765625/);
    expect(() => decodeTensorJson({ dtype: 'bfloat16', shape: [1], data: [1 + 2 ** -8] }, 'x', '')).toThrow(/not exactly a bfloat16/);
    expect(() => decodeTensorJson({ dtype: 'bfloat16', shape: [2], data: [3.3895313892515355e38, 1 + 2 ** -7] }, 'x', '')).not.toThrow();
  });
});
