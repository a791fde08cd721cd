// The JSON encoding is shared by TypeScript (json-tensor.ts) and Python (harness/py/sc_tensor.py): each side must
// read what the other writes bit for bit, and both must write the same JSON values for the same tensor.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import type { DType } from './dtype.js';
import { decodeTensorJson, encodeTensorJson, type EncodedTensor } from './json-tensor.js';
import { makeTensor, tensorBytes, type Tensor } from './tensor.js';
import { defaultPython } from '../worker/python-worker.js';
import { PYTHON } from '../../test/helpers/python.js';

const PRELUDE = `
import json, sys
sys.path.insert(0, ${JSON.stringify(projectPath('harness', 'py'))})
import numpy as np
from sc_tensor import decode_array, encode_array
`;
/** Runs a script; it must succeed silently on stderr (a NumPy warning there would pollute a worker's output). */
function python(script: string, input: string): string {
  const r = spawnSync(defaultPython(), ['-c', PRELUDE + script], { encoding: 'utf8', input, maxBuffer: 256 << 20 });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  return r.stdout;
}
const hex = (t: Tensor): string => Buffer.from(tensorBytes(t)).toString('hex');

/** Tensors from raw bit patterns (so NaN payloads, -0 and subnormals are exact). */
function bits(dtype: DType, shape: number[], values: bigint[] | number[]): Tensor {
  switch (dtype) {
    case 'float64': return makeTensor(dtype, shape, new Float64Array(BigUint64Array.from(values as bigint[]).buffer));
    case 'float32': return makeTensor(dtype, shape, new Float32Array(Uint32Array.from(values as number[]).buffer));
    case 'float16':
    case 'bfloat16': return makeTensor(dtype, shape, Uint16Array.from(values as number[]));
    case 'int64': return makeTensor(dtype, shape, BigInt64Array.from(values as bigint[]));
    case 'int32': return makeTensor(dtype, shape, Int32Array.from(values as number[]));
    case 'bool': return makeTensor(dtype, shape, Uint8Array.from(values as number[]));
  }
}

const TS_TENSORS: Record<string, Tensor> = {
  f64: bits('float64', [2, 7], [
    0x0n, 0x8000000000000000n, 0x1n, 0x800fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0x7ff0000000000000n,
    0xfff0000000000000n, 0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff0000000000001n, 0x7ff8deadbeef0001n, 0x3fb999999999999an, 0x3fd5555555555555n,
  ]),
  f32: bits('float32', [2, 1, 6], [0x0, 0x80000000, 0x1, 0x807fffff, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x3dcccccd, 0x3eaaaaab]),
  f16_all: makeTensor('float16', [65536], Uint16Array.from({ length: 65536 }, (_, i) => i)),
  i64: bits('int64', [9], [0n, -1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 123456789012345678n]),
  i32: bits('int32', [3], [-(2 ** 31), 2 ** 31 - 1, 0]),
  bool: bits('bool', [2, 2], [1, 0, 0, 1]),
  scalar: bits('float64', [], [0x8000000000000000n]),
  empty: makeTensor('float16', [0, 4]),
};

/** The bits the data form keeps: every NaN becomes the canonical quiet NaN of its dtype. */
function canonicalNaN(t: Tensor): Tensor {
  if (t.dtype === 'float16') {
    const d = (t.data as Uint16Array).map((b) => ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0 ? 0x7e00 : b));
    return makeTensor('float16', t.shape, d);
  }
  if (t.dtype === 'float32' || t.dtype === 'float64') {
    const wide = t.dtype === 'float64';
    const raw = wide ? new BigUint64Array(t.data.slice().buffer) : new Uint32Array(t.data.slice().buffer);
    const isNaN = (i: number): boolean => Number.isNaN(t.data[i] as number);
    for (let i = 0; i < raw.length; i++) if (isNaN(i)) raw[i] = (wide ? 0x7ff8000000000000n : 0x7fc00000) as never;
    return makeTensor(t.dtype, t.shape, wide ? new Float64Array(raw.buffer) : new Float32Array(raw.buffer));
  }
  return t;
}

describe('TypeScript → Python', () => {
  it('Python decodes every TS encoding bit-exact and re-encodes it to the same JSON values', () => {
    const sent: Record<string, EncodedTensor> = {};
    const want: Record<string, { dtype: string; shape: number[]; hex: string }> = {};
    const numpyName: Record<DType, string> = { float64: '<f8', float32: '<f4', float16: '<f2', bfloat16: '<V2', int64: '<i8', int32: '<i4', bool: '|b1' };
    for (const [name, t] of Object.entries(TS_TENSORS)) {
      for (const form of ['data', 'base64'] as const) {
        sent[`${name}/${form}`] = encodeTensorJson(t, form);
        want[`${name}/${form}`] = { dtype: numpyName[t.dtype], shape: [...t.shape], hex: hex(form === 'data' ? canonicalNaN(t) : t) };
      }
    }
    const out = JSON.parse(
      python(
        `
got = {}
for key, enc in json.load(sys.stdin).items():
    a = decode_array(enc)
    got[key] = {'dtype': a.dtype.str, 'shape': list(a.shape), 'hex': a.tobytes().hex(),
                'again': encode_array(a, key.split('/')[1])}
print(json.dumps(got, allow_nan=False))
`,
        JSON.stringify(sent),
      ),
    ) as Record<string, { dtype: string; shape: number[]; hex: string; again: unknown }>;
    for (const key of Object.keys(sent)) {
      const { again, ...decoded } = out[key];
      expect({ key, ...decoded }).toEqual({ key, ...want[key] });
      expect({ key, again }).toEqual({ key, again: JSON.parse(JSON.stringify(sent[key])) });
    }
  });
});

describe('Python → TypeScript', () => {
  it('TS decodes every Python encoding bit-exact and re-encodes it to the same JSON values', () => {
    const out = JSON.parse(
      python(
        `
rng = np.random.default_rng(20240607)
arrays = {
    # random bit patterns: every exponent, so subnormals, infinities and NaN payloads all occur
    'f64_bits': rng.integers(0, 2**64, size=(40, 25), dtype=np.uint64).view(np.float64),
    'f32_bits': rng.integers(0, 2**32, size=(10, 10, 10), dtype=np.uint32).view(np.float32),
    'f16_all': np.arange(65536, dtype=np.uint16).view(np.float16).reshape(256, 256),
    'f64_values': np.array([0.1, 1 / 3, -0.0, 5e-324, 1.7976931348623157e308, np.inf, -np.inf, np.nan, 1e-7, 1e21, 123.0]),
    'f32_big_endian': np.array([0.1, -0.0, 1e-45, np.inf], dtype='>f4'),
    'f64_fortran': np.asfortranarray(np.arange(12.0).reshape(3, 4)),
    'i64': np.array([0, -1, 2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63)], dtype=np.int64),
    'i32': np.array([[-(2**31), 2**31 - 1]], dtype=np.int32),
    'bool': np.array([True, False, True]),
    'scalar': np.float32(-0.0).reshape(()),
    'empty': np.zeros((2, 0, 3), dtype=np.int64),
}
got = {}
for name, a in arrays.items():
    c = np.array(a, dtype=a.dtype.newbyteorder('<'), order='C')
    kept = c.copy()
    if kept.dtype.kind == 'f':
        kept[np.isnan(kept)] = np.nan  # what the data form keeps
    for form in ('data', 'base64'):
        got[f'{name}/{form}'] = {'enc': encode_array(a, form), 'hex': (kept if form == 'data' else c).tobytes().hex(),
                                 'shape': list(a.shape)}
print(json.dumps(got, allow_nan=False))
`,
        '',
      ),
    ) as Record<string, { enc: unknown; hex: string; shape: number[] }>;
    expect(Object.keys(out)).toHaveLength(22);
    let nanPayloads = 0;
    for (const [key, { enc, hex: want, shape }] of Object.entries(out)) {
      const t = decodeTensorJson(enc, `python:${key}`, '');
      expect({ key, shape: t.shape, hex: hex(t) }).toEqual({ key, shape, hex: want });
      const form = key.endsWith('/data') ? 'data' : 'base64';
      expect({ key, enc: JSON.parse(JSON.stringify(encodeTensorJson(t, form))) }).toEqual({ key, enc });
      if (key === 'f64_bits/base64') nanPayloads = (t.data as Float64Array).filter(Number.isNaN).length;
    }
    expect(nanPayloads).toBeGreaterThan(0); // the random patterns did include NaNs with payloads
  });
});

// bfloat16 crosses through ml_dtypes on the Python side: these run where it is installed (pip install ml_dtypes).
const hasMlDtypes = spawnSync(PYTHON, ['-c', 'import ml_dtypes'], { encoding: 'utf8' }).status === 0;
const BF16_NAN = 0x7fc0; // what ml_dtypes stores for np.nan, and what json-tensor.ts writes for "nan"
const bf16All = makeTensor('bfloat16', [256, 256], Uint16Array.from({ length: 65536 }, (_, i) => i));
const isBf16NaN = (b: number): boolean => (b & 0x7f80) === 0x7f80 && (b & 0x7f) !== 0;

describe('bfloat16 across the languages', () => {
  it.skipIf(!hasMlDtypes)('all 65,536 patterns, both forms, both directions, bit for bit (NaNs canonical in the data form)', () => {
    const sent = { data: encodeTensorJson(bf16All, 'data'), base64: encodeTensorJson(bf16All, 'base64') };
    const out = JSON.parse(
      python(
        `
import ml_dtypes
got = {}
for form, enc in json.load(sys.stdin).items():
    a = decode_array(enc)
    assert a.dtype == np.dtype(ml_dtypes.bfloat16), a.dtype
    got[form] = {'hex': a.tobytes().hex(), 'again': encode_array(a, form)}
mine = np.arange(65536, dtype=np.uint16).view(ml_dtypes.bfloat16).reshape(256, 256)
got['python'] = {form: encode_array(mine, form) for form in ('data', 'base64')}
print(json.dumps(got, allow_nan=False))
`,
        JSON.stringify(sent),
      ),
    ) as Record<string, { hex: string; again: unknown }> & { python: Record<'data' | 'base64', unknown> };
    const canon = makeTensor('bfloat16', [256, 256], (bf16All.data as Uint16Array).map((b) => (isBf16NaN(b) ? BF16_NAN : b)));
    expect(out.data.hex).toBe(hex(canon));
    expect(out.base64.hex).toBe(hex(bf16All));
    for (const form of ['data', 'base64'] as const) {
      expect(out[form].again).toEqual(JSON.parse(JSON.stringify(sent[form])));
      expect(out.python[form]).toEqual(JSON.parse(JSON.stringify(sent[form])));
      expect(hex(decodeTensorJson(out.python[form], 'python', ''))).toBe(hex(form === 'data' ? canon : bf16All));
    }
  });

  it('without ml_dtypes, Python refuses a bfloat16 tensor and says what to install', () => {
    const r = spawnSync(PYTHON, ['-c', `
import sys
sys.modules['ml_dtypes'] = None  # as if it were not installed
sys.path.insert(0, ${JSON.stringify(projectPath('harness', 'py'))})
from sc_tensor import decode_array, TensorDecodeError
try:
    decode_array({'dtype': 'bfloat16', 'shape': [1], 'data': [1]})
except TensorDecodeError as e:
    print(e)
`], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^\/dtype: bfloat16 needs the ml_dtypes package.*pip install ml_dtypes/);
  });
});
