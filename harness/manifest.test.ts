import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AXIS_RULES } from './contracts.js';
import { DataError } from './errors.js';
import {
  contractsToEvaluate,
  DEFAULT_MANIFEST_PATH,
  expectedFailure,
  implementationFile,
  loadManifest,
  type ManifestEntry,
} from './manifest.js';
import { CHECK_FAMILIES } from './model.js';
import { projectPath } from './paths.js';

/** Load and expect a DataError; returns it for further assertions. */
function dataError(path: string): DataError {
  try {
    loadManifest(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error(`expected ${path} to be rejected`);
}

describe('the real manifest', () => {
  const manifest = loadManifest();

  it('loads and lists every variant the discussion contains, plus the library rows and the control', () => {
    const ids = manifest.implementations.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'question-global-sum', 'quiz-axis0-naive', 'desertnaut-axis0-global-max', 'newaxis-rows-2d',
      'theta-first-non-singleton', 'logsumexp-all', 'global-max-keepdims-last', 'transpose-max-last',
      'column-max-keepdims', 'inplace-rows', 'softmax-fn-last-no-keepdims', 'amax-axis1-keepdims', 'exp-once-axis0',
      'concise-axis0', 'transpose-sum-last', 'scipy-softmax-default', 'scipy-softmax-axis', 'sklearn-extmath-softmax',
      'tf-nn-softmax', 'torch-softmax', 'jax-nn-softmax', 'tfjs-softmax', 'numpy-stable',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('records the thread\'s own findings as expected failures', () => {
    const byId = new Map(manifest.implementations.map((e) => [e.id, e]));
    const get = (id: string): ManifestEntry => byId.get(id)!;
    expect(expectedFailure(get('quiz-axis0-naive'), 'first', 'overflow')).toBeDefined();
    expect(expectedFailure(get('desertnaut-axis0-global-max'), 'last', 'singleton')?.reason).toContain('[[1, 1, 1, 1]]');
    expect(expectedFailure(get('desertnaut-axis0-global-max'), 'last', 'axis')).toBeDefined();
    expect(expectedFailure(get('question-global-sum'), 'last', 'batch-independence')).toBeDefined();
    expect(expectedFailure(get('inplace-rows'), 'last', 'mutation')).toBeDefined();
    expect(get('numpy-stable').expectedFailures).toEqual([]);
  });

  it('points at files under implementations/ and library rows say how to install what they need', () => {
    for (const e of manifest.implementations) {
      expect(implementationFile(e)).toBe(projectPath('implementations', e.file!));
      if (e.requires.length > 0) expect(e.installHint).toBeTruthy();
    }
  });

  it('keeps the schema\'s enums in step with the code', () => {
    const schema = JSON.parse(readFileSync(projectPath('harness', 'schemas', 'manifest.schema.json'), 'utf8'));
    expect(schema.$defs.axisRule.enum).toEqual([...AXIS_RULES]);
    expect(schema.$defs.expectedFailure.properties.check.anyOf[0].enum).toEqual([...CHECK_FAMILIES]);
  });
});

describe('contractsToEvaluate', () => {
  it('adds last after the claims unless claimed', () => {
    expect(contractsToEvaluate({ claims: ['first'] })).toEqual(['first', 'last']);
    expect(contractsToEvaluate({ claims: ['last', 'axis-arg'] })).toEqual(['last', 'axis-arg']);
  });
});

describe('a broken manifest is a DataError with the file and the JSON pointer', () => {
  let dir: string;
  let path: string;

  const entry = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 'a',
    title: 'A',
    source: 'a test',
    language: 'python',
    file: 'a.py',
    function: 'softmax',
    call: 'x',
    claims: ['first'],
    claimsReason: 'because',
    requires: [],
    expectedFailures: [{ contract: 'last', check: 'values', reason: 'it is wrong' }],
    ...over,
  });
  const write = (implementations: unknown[], extra: Record<string, unknown> = {}): string => {
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, implementations, ...extra }));
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'manifest-test-'));
    path = join(dir, 'manifest.json');
    writeFileSync(join(dir, 'a.py'), 'def softmax(x):\n    return x\n');
    writeFileSync(join(dir, 'b.mjs'), 'export function softmax(x) { return x; }\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a valid fixture', () => {
    const m = loadManifest(write([entry(), entry({ id: 'b', language: 'javascript', file: 'b.mjs', call: 'x-axis', claims: ['axis-arg'] })]));
    expect(m.implementations.map((e) => e.id)).toEqual(['a', 'b']);
    expect(implementationFile(m.implementations[1], path)).toBe(join(dir, 'b.mjs'));
  });

  it('a module row (an installed Python module instead of a file): accepted, and run as that module', async () => {
    const m = loadManifest(write([entry({ file: undefined, module: 'scipy.special', requires: ['scipy'], installHint: 'python3 -m pip install scipy' })]));
    expect(m.implementations[0].module).toBe('scipy.special');
    expect(implementationFile(m.implementations[0], path)).toBe('');
    const { specFromManifest } = await import('./runner/run.js');
    expect(specFromManifest(m.implementations[0], path)).toMatchObject({ file: '', module: 'scipy.special', functionName: 'softmax' });
  });

  it('a module row: exactly one of file and module, a dotted name, Python only', () => {
    expect(dataError(write([entry({ module: 'scipy.special' })])).pointer).toBe('/implementations/0');
    expect(dataError(write([entry({ file: undefined })])).pointer).toBe('/implementations/0');
    expect(dataError(write([entry({ file: undefined, module: 'scipy/special' })])).pointer).toBe('/implementations/0/module');
    const js = dataError(write([entry({ file: undefined, module: 'lodash', language: 'javascript' })]));
    expect(js.pointer).toBe('/implementations/0/module');
    expect(js.message).toContain('Python only');
  });

  it('bad field value', () => {
    const err = dataError(write([entry({ call: 'x-y' })]));
    expect(err.file).toBe(path);
    expect(err.pointer).toBe('/implementations/0/call');
    expect(err.message).toContain('x-theta-axis');
  });

  it('unknown field', () => {
    const err = dataError(write([entry({ contract: 'last' })]));
    expect(err.pointer).toBe('/implementations/0');
    expect(err.message).toContain('unexpected "contract"');
  });

  it('unknown check family', () => {
    const err = dataError(write([entry({ expectedFailures: [{ contract: 'last', check: 'speed', reason: 'r' }] })]));
    expect(err.pointer).toBe('/implementations/0/expectedFailures/0/check');
  });

  it('golden:<library> is a valid check', () => {
    expect(() => loadManifest(write([entry({ expectedFailures: [{ contract: 'last', check: 'golden:numpy', reason: 'r' }] })]))).not.toThrow();
  });

  it('non-kebab id', () => {
    expect(dataError(write([entry({ id: 'Bad_Id' })])).pointer).toBe('/implementations/0/id');
  });

  it('a file outside implementations/', () => {
    expect(dataError(write([entry({ file: '../a.py' })])).pointer).toBe('/implementations/0/file');
  });

  it('requires without installHint', () => {
    const err = dataError(write([entry({ requires: ['scipy'] })]));
    expect(err.pointer).toBe('/implementations/0');
    expect(err.message).toContain('installHint');
  });

  it('bad domain ranks', () => {
    expect(dataError(write([entry({ domain: { ranks: [2] } })])).pointer).toBe('/implementations/0/domain/ranks');
    expect(dataError(write([entry({ domain: { ranks: [3, 2] } })])).pointer).toBe('/implementations/0/domain/ranks');
    expect(dataError(write([entry({ domain: { ranks: [1, -1] } })])).pointer).toBe('/implementations/0/domain/ranks/1');
    expect(() => loadManifest(write([entry({ domain: { ranks: [1, null], zeroD: false } })]))).not.toThrow();
    expect(dataError(write([entry({ domain: {} })])).pointer).toBe('/implementations/0/domain');
    expect(dataError(write([entry({ domain: { ranks: [1, null], zeroD: true } })])).pointer).toBe('/implementations/0/domain/zeroD');
  });

  it('wrong schemaVersion', () => {
    expect(dataError(write([entry()], { schemaVersion: 2 })).pointer).toBe('/schemaVersion');
  });

  it('duplicate id', () => {
    const err = dataError(write([entry(), entry()]));
    expect(err.pointer).toBe('/implementations/1/id');
    expect(err.message).toContain('duplicate id "a"');
  });

  it('missing file', () => {
    const err = dataError(write([entry({ file: 'nope.py' })]));
    expect(err.pointer).toBe('/implementations/0/file');
    expect(err.message).toContain('not found');
  });

  it('file extension that does not match the language', () => {
    expect(dataError(write([entry({ file: 'b.mjs' })])).pointer).toBe('/implementations/0/file');
  });

  it('expected failure under a contract the run never evaluates', () => {
    const err = dataError(write([entry({ expectedFailures: [{ contract: 'all', check: 'values', reason: 'r' }] })]));
    expect(err.pointer).toBe('/implementations/0/expectedFailures/0/contract');
    expect(err.message).toContain('"first", "last"');
  });

  it('duplicate expected failure', () => {
    const f = { contract: 'last', check: 'values', reason: 'r' };
    expect(dataError(write([entry({ expectedFailures: [f, f] })])).pointer).toBe('/implementations/0/expectedFailures/1');
  });

  it('axis-arg claimed by a function called as f(x)', () => {
    const err = dataError(write([entry({ claims: ['axis-arg'] })]));
    expect(err.pointer).toBe('/implementations/0/call');
  });

  it('malformed JSON', () => {
    writeFileSync(path, '{ "schemaVersion": 1, "implementations": [ }');
    const err = dataError(path);
    expect(err.file).toBe(path);
    expect(err.pointer).toBe('');
    expect(err.message).toContain('not valid JSON');
  });

  it('malformed JSON: says the line and the column, not only a character position', () => {
    writeFileSync(path, '{\n  "schemaVersion": 1,\n  "implementations": [\n    { "id": "a", }\n  ]\n}\n');
    const err = dataError(path);
    expect(err.problem).toMatch(/^not valid JSON at line 4, column 18: /);
    expect(err.problem).toContain('\n  ' + '    { "id": "a", }');
    writeFileSync(path, '{ "schemaVersion": 1,\n "implementations": [');
    expect(dataError(path).problem).toMatch(/^not valid JSON at line 2, column 22: /);
  });

  it('missing manifest', () => {
    const err = dataError(join(dir, 'absent.json'));
    expect(err.message).toContain('cannot read');
  });
});

it('DEFAULT_MANIFEST_PATH is implementations/manifest.json', () => {
  expect(DEFAULT_MANIFEST_PATH).toBe(projectPath('implementations', 'manifest.json'));
});

describe('the project manifest', () => {
  it('gives every library row an install command that pastes as is (no prose, no alternatives in parentheses)', () => {
    const rows = loadManifest().implementations.filter((e) => e.requires.length > 0);
    expect(rows.length).toBeGreaterThan(0);
    for (const e of rows) expect(e.installHint, e.id).toMatch(/^(python3 -m pip install( [A-Za-z0-9_.\-[\]=<>~]+)+|npm ci)$/);
  });
});

describe('framework and device of a row (harness/py/sc_framework.py)', () => {
  let dir: string;
  let path: string;
  const row = (over: Record<string, unknown> = {}) => ({
    id: 'a', title: 'A', source: 's', language: 'python', file: 'a.py', function: 'softmax', call: 'x',
    claims: ['last'], claimsReason: 'r', requires: ['torch'], installHint: 'pip install torch', framework: 'torch', device: 'cuda', expectedFailures: [], ...over,
  });
  const load = (r: Record<string, unknown>) => {
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, implementations: [r] }));
    return loadManifest(path);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'manifest-test-'));
    path = join(dir, 'manifest.json');
    writeFileSync(join(dir, 'a.py'), 'def softmax(x):\n    return x\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts torch on cuda:N and keeps both fields', () => {
    expect(load(row({ device: 'cuda:1' })).implementations[0]).toMatchObject({ framework: 'torch', device: 'cuda:1' });
  });
  it('refuses an unknown framework or device, a framework missing from requires, NumPy on CUDA, CuPy on the CPU', () => {
    const pointer = (r: Record<string, unknown>) => {
      try {
        load(r);
      } catch (e) {
        return `${(e as DataError).pointer}: ${(e as DataError).message}`;
      }
      return 'accepted';
    };
    expect(pointer(row({ framework: 'mxnet' }))).toMatch(/^\/implementations\/0\/framework/);
    expect(pointer(row({ device: 'gpu' }))).toMatch(/^\/implementations\/0\/device/);
    expect(pointer(row({ requires: ['numpy-extra'], installHint: 'x' }))).toMatch(/^\/implementations\/0\/requires: .*framework "torch" must be listed in requires/);
    expect(pointer(row({ framework: 'numpy', requires: [], installHint: undefined }))).toMatch(/^\/implementations\/0\/device: .*NumPy runs on the CPU only/);
    expect(pointer(row({ framework: 'cupy', requires: ['cupy'], device: 'cpu' }))).toMatch(/^\/implementations\/0\/device: .*CuPy runs on CUDA devices only/);
  });
  it('the real manifest has the GPU rows on CUDA and the torch CPU rows in float16 and bfloat16', () => {
    const byId = new Map(loadManifest().implementations.map((e) => [e.id, e]));
    expect(byId.get('torch-native-cuda')).toMatchObject({ framework: 'torch', device: 'cuda' });
    expect(byId.get('triton-fused-cuda')).toMatchObject({ framework: 'torch', device: 'cuda', requires: ['torch', 'triton'] });
    expect(byId.get('torch-native-cpu-float16')).toMatchObject({ framework: 'torch', device: 'cpu', domain: { dtypes: ['float16'] } });
    expect(byId.get('torch-native-cpu-bfloat16')).toMatchObject({ framework: 'torch', device: 'cpu', domain: { dtypes: ['bfloat16'] } });
  });
});
