import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../errors.js';
import { projectPath } from '../paths.js';
import { readTensorFile, writeTensorFile } from './io.js';
import { bitwiseEqual, makeTensor } from './tensor.js';
import { defaultPython } from '../worker/python-worker.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tensor-io-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

// -0, a NaN with a payload, the smallest subnormal, -inf
const special = makeTensor('float64', [2, 2], new Float64Array(BigUint64Array.of(0x8000000000000000n, 0x7ff8000000000123n, 1n, 0xfff0000000000000n).buffer));

describe('readTensorFile / writeTensorFile', () => {
  it('.npy and base64 .json keep every bit, NaN payload included', () => {
    for (const [name, form] of [['a.npy', 'data'], ['b.NPY', 'data'], ['c.json', 'base64']] as const) {
      const path = join(dir, name);
      writeTensorFile(path, special, form);
      expect({ name, same: bitwiseEqual(readTensorFile(path), special) }).toEqual({ name, same: true });
    }
  });

  it('data-form .json is readable text and keeps everything but the NaN payload', () => {
    const path = join(dir, 'd.json');
    writeTensorFile(path, special);
    expect(readFileSync(path, 'utf8')).toBe('{"dtype":"float64","shape":[2,2],"data":["-0","nan",5e-324,"-inf"]}\n');
    const back = readTensorFile(path);
    expect(Array.from(back.data as Float64Array).map(String)).toEqual(['0', 'NaN', '5e-324', '-Infinity']);
    expect(Object.is((back.data as Float64Array)[0], -0)).toBe(true);
  });

  it('reads a JSON file written by Python with sc_tensor.encode_array', () => {
    const path = join(dir, 'py.json');
    execFileSync(defaultPython(), ['-c', `
import json, sys
sys.path.insert(0, ${JSON.stringify(projectPath('harness', 'py'))})
import numpy as np
from sc_tensor import encode_array
json.dump(encode_array(np.array([[1.5, -0.0], [np.inf, 2**-149]], dtype=np.float32)), open(sys.argv[1], 'w'))
`, path]);
    const t = readTensorFile(path);
    expect(t.dtype).toBe('float32');
    expect(bitwiseEqual(t, makeTensor('float32', [2, 2], Float32Array.of(1.5, -0, Infinity, 2 ** -149)))).toBe(true);
  });

  it('rejects other extensions as usage errors', () => {
    expect(caught(() => readTensorFile(join(dir, 'x.csv')))).toBeInstanceOf(UsageError);
    expect(caught(() => writeTensorFile(join(dir, 'x.txt'), special))).toBeInstanceOf(UsageError);
  });

  it('a missing file is a DataError naming it', () => {
    const path = join(dir, 'missing.npy');
    const err = caught(() => readTensorFile(path)) as DataError;
    expect(err).toBeInstanceOf(DataError);
    expect([err.file, err.problem]).toEqual([path, 'cannot read: ENOENT']);
  });

  const badJson: [string, string, string, RegExp][] = [
    ['not JSON', '{"dtype": "float64",', '', /not valid JSON/],
    ['schema: bad item', '{"dtype":"float64","shape":[2],"data":[1,{}]}', '/data/1', /tensor\.schema\.json/],
    ['schema: bad dtype', '{"dtype":"complex128","shape":[1],"data":[1]}', '/dtype', /one of/],
    ['schema: negative dim', '{"dtype":"float64","shape":[-2],"data":[]}', '/shape/0', /tensor\.schema\.json/],
    ['decoder: inexact float32', '{"dtype":"float32","shape":[2],"data":[1,0.2]}', '/data/1', /not exactly a float32/],
    ['decoder: wrong length', '{"dtype":"int32","shape":[3],"data":[1,2]}', '/data', /has 2 elements/],
    ['decoder: base64 length', '{"dtype":"float64","shape":[1],"base64":"AAAA"}', '/base64', /decodes to 3 bytes/],
  ];
  for (const [name, text, pointer, problem] of badJson) {
    it(`malformed .json: ${name} → DataError at "${pointer}"`, () => {
      const path = join(dir, `bad-${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, text);
      const err = caught(() => readTensorFile(path)) as DataError;
      expect(err).toBeInstanceOf(DataError);
      expect({ file: err.file, pointer: err.pointer }).toEqual({ file: path, pointer });
      expect(err.problem).toMatch(problem);
    });
  }
});
