import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { readNpy, writeNpy } from './npy.js';
import { makeTensor, tensorBytes, type Tensor } from './tensor.js';
import { defaultPython } from '../worker/python-worker.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const python = (script: string, input?: string, args: string[] = []): string =>
  execFileSync(defaultPython(), ['-c', script, ...args], { encoding: 'utf8', input, maxBuffer: 64 << 20 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npy-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Special values per float dtype, from raw bits so NaN payloads, -0 and subnormals are exact. */
const NUMPY_CASES = String.raw`
import json, sys, numpy as np
from numpy.lib import format as fmt
d = sys.argv[1]
f64 = np.array([0x0, 0x8000000000000000, 0x1, 0x800fffffffffffff, 0x7fefffffffffffff, 0x7ff0000000000000,
                0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001, 0xfff8deadbeef0001, 0x3fb999999999999a,
                0x0010000000000000], dtype='<u8').view('<f8').reshape(3, 4)
f32 = np.array([0x0, 0x80000000, 0x1, 0x807fffff, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc0beef,
                0x3dcccccd, 0x00800000], dtype='<u4').view('<f4').reshape(2, 6)
f16 = np.arange(65536, dtype='<u2').view('<f2').reshape(16, 64, 64)
i64 = np.array([0, -1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63)], dtype='<i8')
i32 = np.array([[0, -1, 2**31 - 1], [-(2**31), 7, 123456789]], dtype='<i4')
b1 = np.array([[True, False], [False, True], [True, True]])
cases = {}  # name -> (array to save, expected dtype name, expected array in that dtype)
def case(name, a, dtype, expected=None, save=np.save):
    path = f'{d}/{name}.npy'
    save(path, a)
    e = np.array(a if expected is None else expected, order='C')  # ascontiguousarray would make 0-d arrays 1-d
    e = e.astype(e.dtype.newbyteorder('<'))
    cases[name] = {'file': path, 'dtype': dtype, 'shape': list(e.shape), 'hex': e.tobytes().hex()}
for name, a, dt in [('f8', f64, 'float64'), ('f4', f32, 'float32'), ('f2', f16, 'float16'), ('i8', i64, 'int64'),
                    ('i4', i32, 'int32'), ('b1', b1, 'bool')]:
    case(name, a, dt)
    if a.dtype.itemsize > 1:
        case(name + '_be', a.astype(a.dtype.newbyteorder('>')), dt, a)
    case(name + '_fortran', np.asfortranarray(a.reshape(a.shape + (1,)).repeat(2, axis=-1)), dt)
    case(name + '_fortran_be', np.asfortranarray(a.astype(a.dtype.newbyteorder('>')).reshape(a.shape + (1,)).repeat(2, axis=-1)), dt,
         a.reshape(a.shape + (1,)).repeat(2, axis=-1))
    case(name + '_0d', a.reshape(-1)[1].reshape(()), dt)
    case(name + '_empty', a.reshape(-1)[:0].reshape(3, 0, 2), dt)
case('fortran_3d', np.asfortranarray(np.arange(24, dtype='<f8').reshape(2, 3, 4)), 'float64')
case('fortran_empty', np.asfortranarray(np.zeros((0, 3), dtype='<f4')), 'float32')
case('v2', f64, 'float64', save=lambda p, a: fmt.write_array(open(p, 'wb'), a, version=(2, 0)))
case('v3', f32, 'float32', save=lambda p, a: fmt.write_array(open(p, 'wb'), a, version=(3, 0)))
case('v2_f2', f16[:1, :3, :5], 'float16', save=lambda p, a: fmt.write_array(open(p, 'wb'), a, version=(2, 0)))
for code in ['|i1', '<i2', '>i2', '|u1', '<u2', '>u2']:
    info = np.iinfo(code)
    a = np.array([info.min, info.max, 0, 1], dtype=code)
    case('widen_' + code[1:] + ('_be' if code[0] == '>' else ''), a, 'int32', a.astype('<i4'))
for code in ['<u4', '>u4']:
    a = np.array([0, 2**32 - 1, 2**31], dtype=code)
    case('widen_u4' + ('_be' if code[0] == '>' else ''), a, 'int64', a.astype('<i8'))
a = np.array([0, 2**63 - 1], dtype='<u8')
case('widen_u8', a, 'int64', a.astype('<i8'))
case('widen_u8_be', a.astype('>u8'), 'int64', a.astype('<i8'))
# unsupported: each must be refused naming its descr
bad = {}
def refuse(name, a, **kw):
    path = f'{d}/bad_{name}.npy'
    np.save(path, a, **kw)
    bad[name] = {'file': path, 'descr': repr(np.lib.format.dtype_to_descr(a.dtype))}
refuse('u8_big', np.array([2**63], dtype='<u8'))
refuse('c16', np.array([1 + 2j]))
refuse('c8', np.array([1 + 2j], dtype='<c8'))
refuse('object', np.array([1, 'a'], dtype=object), allow_pickle=True)
refuse('unicode', np.array(['abc']))
refuse('bytes', np.array([b'abc']))
refuse('structured', np.zeros(2, dtype=[('a', '<i4'), ('b', '<f8')]))
refuse('datetime', np.array(['2020-01-01'], dtype='datetime64[D]'))
refuse('longdouble', np.zeros(2, dtype=np.longdouble))
print(json.dumps({'cases': cases, 'bad': bad}))
`;

interface Expected {
  file: string;
  dtype: string;
  shape: number[];
  hex: string;
}

describe('readNpy reads files written by NumPy, bit-exact', () => {
  let made: { cases: Record<string, Expected>; bad: Record<string, { file: string; descr: string }> };
  beforeAll(() => {
    made = JSON.parse(python(NUMPY_CASES, undefined, [dir]));
  }, 60_000);
  // beforeAll runs after collection, so list the names here; the first test checks the lists agree.
  const names = ['f8', 'f4', 'f2', 'i8', 'i4', 'b1'].flatMap((n) =>
    [n, `${n}_be`, `${n}_fortran`, `${n}_fortran_be`, `${n}_0d`, `${n}_empty`].filter((x) => x !== 'b1_be'),
  );
  names.push('fortran_3d', 'fortran_empty', 'v2', 'v3', 'v2_f2');
  names.push('widen_i1', 'widen_i2', 'widen_i2_be', 'widen_u1', 'widen_u2', 'widen_u2_be', 'widen_u4', 'widen_u4_be', 'widen_u8', 'widen_u8_be');

  it('the generator made exactly the listed files', () => {
    expect(Object.keys(made.cases).sort()).toEqual([...names].sort());
  });

  for (const name of names) {
    it(name, () => {
      const e = made.cases[name];
      const t = readNpy(readFileSync(e.file), e.file);
      expect({ dtype: t.dtype, shape: t.shape, hex: hex(tensorBytes(t)) }).toEqual({ dtype: e.dtype, shape: e.shape, hex: e.hex });
    });
  }

  it('headers really are v2 and v3 where asked, and NumPy pads the v1 header', () => {
    expect(readFileSync(made.cases.v2.file)[6]).toBe(2);
    expect(readFileSync(made.cases.v3.file)[6]).toBe(3);
    expect(readFileSync(made.cases.f8_fortran.file).subarray(0, 8).toString('latin1')).toBe('\x93NUMPY\x01\x00');
  });

  for (const name of ['u8_big', 'c16', 'c8', 'object', 'unicode', 'bytes', 'structured', 'datetime', 'longdouble']) {
    it(`refuses ${name} with a DataError naming the file and the descr`, () => {
      const b = made.bad[name];
      let err: unknown;
      try {
        readNpy(readFileSync(b.file), b.file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DataError);
      expect((err as DataError).file).toBe(b.file);
      expect((err as DataError).message).toContain(b.descr.replace(/^'|'$/g, ''));
    });
  }
});

describe('writeNpy', () => {
  // -0, smallest subnormal, -inf, a signalling NaN with payload, 0.1, -max
  const f64Bits = BigUint64Array.of(0x8000000000000000n, 1n, 0xfff0000000000000n, 0x7ff0000000000001n, 0x3fb999999999999an, 0xffefffffffffffffn);
  const f64 = makeTensor('float64', [2, 3], new Float64Array(f64Bits.buffer));
  const tensors: Record<string, Tensor> = {
    f8: f64,
    f4: makeTensor('float32', [3], new Float32Array(Uint32Array.of(0x80000000, 1, 0xffc00001).buffer)),
    f2: makeTensor('float16', [65536], Uint16Array.from({ length: 65536 }, (_, i) => i)),
    i8: makeTensor('int64', [2, 2], BigInt64Array.of(2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, -1n)),
    i4: makeTensor('int32', [1, 1, 1, 2], Int32Array.of(-(2 ** 31), 2 ** 31 - 1)),
    b1: makeTensor('bool', [3], Uint8Array.of(1, 0, 1)),
    scalar: makeTensor('float64', [], Float64Array.of(-0)),
    empty: makeTensor('float32', [4, 0]),
    big_first_axis: makeTensor('int32', [123456789012, 0]),
  };

  it('NumPy reads every file back bit-exact, and np.save writes the very same bytes', () => {
    const expected: Record<string, { file: string; descr: string; shape: number[]; hex: string }> = {};
    for (const [name, t] of Object.entries(tensors)) {
      const file = join(dir, `ts_${name}.npy`);
      writeFileSync(file, writeNpy(t));
      expected[name] = { file, descr: { float64: '<f8', float32: '<f4', float16: '<f2', bfloat16: '<V2', int32: '<i4', int64: '<i8', bool: '|b1' }[t.dtype], shape: [...t.shape], hex: hex(tensorBytes(t)) };
    }
    const script = `
import io, json, sys, numpy as np
out = {}
for name, e in json.load(sys.stdin).items():
    raw = open(e['file'], 'rb').read()
    a = np.load(e['file'], allow_pickle=False)
    buf = io.BytesIO()
    np.save(buf, a)
    out[name] = {'descr': a.dtype.str, 'shape': list(a.shape), 'hex': a.tobytes().hex(), 'c': a.flags.c_contiguous,
                 'same_as_np_save': buf.getvalue() == raw}
print(json.dumps(out))
`;
    const got = JSON.parse(python(script, JSON.stringify(expected)));
    for (const [name, e] of Object.entries(expected)) {
      expect({ name, ...got[name] }).toEqual({ name, descr: e.descr, shape: e.shape, hex: e.hex, c: true, same_as_np_save: true });
    }
  });

  it('round-trips through readNpy', () => {
    for (const [name, t] of Object.entries(tensors)) {
      const back = readNpy(writeNpy(t), name);
      expect({ name, dtype: back.dtype, shape: back.shape, hex: hex(tensorBytes(back)) }).toEqual({ name, dtype: t.dtype, shape: t.shape, hex: hex(tensorBytes(t)) });
    }
  });

  // NumPy caps rank at 64, so only a harness-made tensor can get here; the header stays readable all the same.
  it('switches to a v2 header when the header outgrows 64 KiB, as NumPy does', () => {
    const t = makeTensor('float64', Array(30000).fill(1));
    const bytes = writeNpy(t);
    expect(bytes[6]).toBe(2);
    expect(readNpy(bytes, 'x').shape).toHaveLength(30000);
  });
});

describe('readNpy rejects malformed files with a DataError naming the file', () => {
  /** A v1 .npy file from a header dict text and raw data bytes. */
  const npy = (dict: string, data: number[] = []): Uint8Array => {
    const header = dict + ' '.repeat(63 - ((10 + dict.length) % 64)) + '\n';
    const out = Buffer.alloc(10 + header.length + data.length);
    Buffer.from('\x93NUMPY\x01\x00', 'latin1').copy(out);
    out.writeUInt16LE(header.length, 8);
    out.write(header, 10, 'latin1');
    Buffer.from(data).copy(out, 10 + header.length);
    return out;
  };
  const reject = (bytes: Uint8Array, problem: RegExp): void => {
    let err: unknown;
    try {
      readNpy(bytes, 'in.npy');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe('in.npy');
    expect((err as DataError).problem).toMatch(problem);
  };

  it('reads a Python 2 header (long-int shape, double quotes)', () => {
    const t = readNpy(npy(`{"descr": "<i4", "fortran_order": False, "shape": (2L,), }`, [1, 0, 0, 0, 255, 255, 255, 255]), 'py2.npy');
    expect(Array.from(t.data as Int32Array)).toEqual([1, -1]);
  });
  it('no magic', () => reject(Buffer.from('PK\x03\x04 not npy at all'), /not a \.npy file/));
  it('unknown version', () => {
    const b = npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }`);
    b[6] = 4;
    reject(b, /version 4\.0/);
  });
  it('truncated header', () => reject(npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (0,), }`).subarray(0, 30), /truncated/));
  it('too little data', () => reject(npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }`, Array(15).fill(0)), /needs 16 data bytes, the file has 15/));
  it('trailing data', () => reject(npy(`{'descr': '<f2', 'fortran_order': False, 'shape': (), }`, [0, 0, 0]), /needs 2 data bytes, the file has 3/));
  it('missing key', () => reject(npy(`{'descr': '<f8', 'shape': (0,), }`), /keys \{descr,shape\}/));
  it('extra key', () => reject(npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (0,), 'x': 1}`), /keys/));
  it('negative dimension', () => reject(npy(`{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }`), /shape \(-1,\) is not a tuple of non-negative integers/));
  it('not a literal', () => reject(npy(`{'descr': np.float64, 'fortran_order': False, 'shape': (0,), }`), /malformed \.npy header/));
  it('unsupported descr is quoted', () => reject(npy(`{'descr': '>c16', 'fortran_order': False, 'shape': (0,), }`), /unsupported dtype '>c16'/));
  it('a multi-byte descr with the | order', () => reject(npy(`{'descr': '|f8', 'fortran_order': False, 'shape': (0,), }`), /unsupported dtype '\|f8'/));
});

// bfloat16 is ml_dtypes' void-kind dtype: np.save writes descr '<V2'; np.load gives back raw '|V2' pairs of bytes.
const hasMlDtypes = (() => {
  try {
    python('import ml_dtypes');
    return true;
  } catch {
    return false;
  }
})();

describe('bfloat16 .npy', () => {
  const all = makeTensor('bfloat16', [256, 256], Uint16Array.from({ length: 65536 }, (_, i) => i));
  const header = (descr: string, shape: string): Uint8Array => {
    const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
    const text = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n';
    const out = new Uint8Array(10 + text.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
    new DataView(out.buffer).setUint16(8, text.length, true);
    for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
    return out;
  };
  const withData = (h: Uint8Array, data: number[]): Uint8Array => {
    const out = new Uint8Array(h.length + data.length);
    out.set(h);
    out.set(data, h.length);
    return out;
  };

  it("reads '<V2' and '|V2' as bfloat16, little-endian bits kept; refuses '>V2' and other voids", () => {
    for (const descr of ['<V2', '|V2']) {
      const t = readNpy(withData(header(descr, '(2,)'), [0x80, 0x3f, 0xc0, 0x7f]), 'x.npy'); // 1.0, NaN
      expect(t.dtype).toBe('bfloat16');
      expect(Array.from(t.data as Uint16Array)).toEqual([0x3f80, 0x7fc0]);
    }
    expect(() => readNpy(withData(header('>V2', '(1,)'), [0, 0]), 'x.npy')).toThrow(/unsupported dtype '>V2'/);
    expect(() => readNpy(withData(header('|V4', '(1,)'), [0, 0, 0, 0]), 'x.npy')).toThrow(/unsupported dtype '\|V4'/);
  });

  it("writes descr '<V2', as np.save of an ml_dtypes array does", () => {
    expect(new TextDecoder().decode(writeNpy(all).subarray(10, 40))).toContain("'descr': '<V2'");
  });

  it.skipIf(!hasMlDtypes)('np.save of an ml_dtypes bfloat16 array gives the very bytes writeNpy writes; both read back bit-exact', () => {
    const file = join(dir, 'ts_bf16.npy');
    writeFileSync(file, writeNpy(all));
    const out = python(
      String.raw`
import sys, io, numpy as np, ml_dtypes
d = sys.argv[1]
a = np.arange(65536, dtype='<u2').view(ml_dtypes.bfloat16).reshape(256, 256)
np.save(f'{d}/py_bf16.npy', a)
b = np.load(f'{d}/ts_bf16.npy').view(ml_dtypes.bfloat16)  # np.load hands back |V2: view it as bfloat16
np.save(f'{d}/py_resaved.npy', np.load(f'{d}/py_bf16.npy'))  # a re-save of the loaded |V2 array
print(b.dtype, b.shape, np.array_equal(b.view('<u2'), a.view('<u2')))
`,
      undefined,
      [dir],
    );
    expect(out.trim()).toBe('bfloat16 (256, 256) True');
    expect(hex(readFileSync(join(dir, 'py_bf16.npy')))).toBe(hex(writeNpy(all)));
    for (const f of ['py_bf16.npy', 'py_resaved.npy']) {
      const t = readNpy(new Uint8Array(readFileSync(join(dir, f))), f);
      expect(t.dtype).toBe('bfloat16');
      expect(hex(tensorBytes(t))).toBe(hex(tensorBytes(all)));
    }
  });
});
