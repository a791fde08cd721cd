import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors.js';
import { projectPath } from '../paths.js';
import { encodeTensorJson, type EncodedTensor } from '../tensor/json-tensor.js';
import { loadGoldens, resultKey } from './load.js';
import { verifyGoldenSets, verifyGoldens } from './verify.js';

const GOLDEN = projectPath('golden');
const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A temp golden dir with corpus.json and the given library files, and checksums for exactly those. */
function goldenCopy(libraries: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  temps.push(dir);
  for (const f of ['corpus.json', ...libraries.map((l) => `${l}.json`)]) copyFileSync(join(GOLDEN, f), join(dir, f));
  rechecksum(dir, ['corpus.json', ...libraries.map((l) => `${l}.json`)]);
  return dir;
}

function rechecksum(dir: string, files: string[]): void {
  const sums = Object.fromEntries(files.sort().map((f) => [f, sha256(join(dir, f))]));
  writeFileSync(join(dir, 'checksums.json'), JSON.stringify({ algorithm: 'sha256', files: sums, schemaVersion: 1 }, null, 2) + '\n');
}

/** Edit one line-oriented golden file as text. */
function edit(dir: string, file: string, fn: (text: string) => string): void {
  const p = join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = fn(before);
  expect(after).not.toBe(before);
  writeFileSync(p, after);
}

function dataErrorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError');
}

describe('verifyGoldens on the committed goldens', () => {
  it('passes and covers the required libraries', () => {
    const r = verifyGoldens();
    expect(r.cases).toBeGreaterThan(40);
    for (const lib of ['numpy', 'scipy', 'tensorflow', 'torch', 'jax', 'jax-x64', 'sklearn', 'mpmath']) expect(r.libraries).toContain(lib);
    expect(r.files).toBe(r.libraries.length + 2);
  });

  it('keeps the goldens well under 20 MB', () => {
    const sums = JSON.parse(readFileSync(join(GOLDEN, 'checksums.json'), 'utf8')) as { files: Record<string, string> };
    const total = Object.keys(sums.files).reduce((acc, f) => acc + readFileSync(join(GOLDEN, f)).length, 0);
    expect(total).toBeLessThan(10 * 1024 * 1024);
  });
});

describe('the bfloat16 golden set (golden/bfloat16/)', () => {
  it('is verified with the main one: torch, JAX and the truth, every input and output bfloat16', () => {
    const sets = verifyGoldenSets();
    expect(sets.map((s) => s.summary.libraries)).toEqual([expect.arrayContaining(['torch', 'jax', 'mpmath']), ['jax', 'mpmath', 'torch']]);
    const g = loadGoldens(join(GOLDEN, 'bfloat16'));
    expect(g.cases.length).toBeGreaterThan(40);
    expect(g.cases.every((c) => [...c.inputs.keys()].join() === 'bfloat16')).toBe(true);
    for (const lib of g.libraries) {
      expect(lib.results.filter((r) => r.output).every((r) => r.output!.dtype === 'bfloat16'), lib.library).toBe(true);
    }
    // the truth is correctly rounded: every softmax output of it is one bfloat16 value from the oracle's
    const oracleOk = g.libraries.find((l) => l.library === 'mpmath')!.results.filter((r) => r.output).length;
    expect(oracleOk).toBe(g.libraries.find((l) => l.library === 'mpmath')!.results.length);
  });
});

describe('verifyGoldens on a corrupted copy', () => {
  it('a flipped value: the checksum names the file', () => {
    const dir = goldenCopy(['sklearn']);
    expect(verifyGoldens(dir).libraries).toEqual(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace('"data":[0.33405210400709523', '"data":[0.43405210400709523'));
    const e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/sklearn\.json$/);
    expect(e.message).toMatch(/sha256 .* does not match checksums\.json at \/files\/sklearn\.json/);
  });

  it('a value that is not exactly its dtype: the pointer names the element', () => {
    const dir = goldenCopy(['scipy']);
    const lines = readFileSync(join(dir, 'scipy.json'), 'utf8').split('\n');
    const start = lines.findIndex((l) => l.includes('"results": ['));
    const k = lines.findIndex((l, i) => i > start && l.includes('"dtype":"float32","op":"softmax","output":{"data":[0.'));
    const idx = k - start - 1;
    lines[k] = lines[k].replace(/"output":\{"data":\[0\.(\d+)/, '"output":{"data":[0.1');
    writeFileSync(join(dir, 'scipy.json'), lines.join('\n'));
    const e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/scipy\.json$/);
    expect(e.pointer).toBe(`/results/${idx}/output/data/0`);
    expect(e.message).toMatch(/not exactly a float32/);
  });

  it('a broken field: the schema pointer', () => {
    const dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace('"op":"softmax"', '"op":"softmaxx"'));
    const e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/sklearn\.json$/);
    expect(e.pointer).toBe('/results/0/op');
    expect(e.message).toMatch(/golden\.schema\.json/);
  });

  it('a result with both output and error, and a provenance without its command', () => {
    let dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace('"op":"softmax","output"', '"error":{"message":"x","type":"Y"},"op":"softmax","output"'));
    expect(dataErrorOf(() => verifyGoldens(dir)).pointer).toBe('/results/0');
    dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace(/\n\s*"command": "[^"]*",/, ''));
    const e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.pointer).toBe('/provenance');
    expect(e.message).toMatch(/command/);
  });

  it('a dropped result: coverage names the missing (case, dtype, axis, op)', () => {
    const dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace(/\n\s*\{"axis":1,"case":"discussion-x2","dtype":"float32"[^\n]*/, ''));
    const e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/sklearn\.json$/);
    expect(e.pointer).toBe('/results');
    expect(e.message).toMatch(/no result for case "discussion-x2", dtype float32, axis 1, op softmax/);
  });

  it('a result the corpus does not declare, and a duplicate', () => {
    let dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace('"case":"discussion-scores2d","dtype":"float64"', '"case":"no-such-case","dtype":"float64"'));
    let e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.pointer).toMatch(/^\/results\/\d+\/case$/);
    dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => {
      const line = t.split('\n').find((l) => l.includes('"case":"discussion-x1"'))!;
      return t.replace(line, `${line}\n${line}`);
    });
    e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.message).toMatch(/a second result/);
  });

  it('a bad checksum entry, an unlisted file, a listed file that is missing', () => {
    let dir = goldenCopy(['sklearn']);
    edit(dir, 'checksums.json', (t) => t.replace(/"sklearn\.json": "[0-9a-f]{4}/, '"sklearn.json": "0000'));
    let e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/sklearn\.json$/);
    dir = goldenCopy(['sklearn']);
    copyFileSync(join(GOLDEN, 'torch.json'), join(dir, 'torch.json'));
    e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/checksums\.json$/);
    expect(e.message).toMatch(/torch\.json is not listed/);
    dir = goldenCopy(['sklearn']);
    const sums = JSON.parse(readFileSync(join(dir, 'checksums.json'), 'utf8'));
    sums.files['torch.json'] = '0'.repeat(64);
    writeFileSync(join(dir, 'checksums.json'), JSON.stringify(sums));
    e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.pointer).toBe('/files/torch.json');
    dir = goldenCopy(['sklearn']);
    unlinkSync(join(dir, 'corpus.json'));
    e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/corpus\.json$/);
  });

  it('a library made from another corpus version, and a corrupt corpus input', () => {
    let dir = goldenCopy(['sklearn']);
    edit(dir, 'sklearn.json', (t) => t.replace('"corpusVersion": 1,', '"corpusVersion": 2,'));
    let e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.pointer).toBe('/corpusVersion');
    dir = goldenCopy(['sklearn']);
    edit(dir, 'corpus.json', (t) => t.replace('"shape":[3,4]}', '"shape":[4,3]}'));
    e = dataErrorOf(() => verifyGoldens(dir));
    expect(e.file).toMatch(/corpus\.json$/);
    expect(e.pointer).toMatch(/^\/cases\/\d+\/inputs\/\d+\/shape$/);
  });
});

describe('loadGoldens', () => {
  const g = loadGoldens();

  it('decodes the corpus inputs as typed tensors', () => {
    const c = g.caseById.get('discussion-scores2d')!;
    expect(c.family).toBe('discussion');
    expect(c.axes).toEqual([null, 0, 1]);
    const x = c.inputs.get('int64')!;
    expect(x.dtype).toBe('int64');
    expect([...(x.data as BigInt64Array)].map(Number)).toEqual([1, 2, 3, 6, 2, 4, 5, 6, 3, 8, 7, 6]);
    const big = g.caseById.get('int64-beyond-2^53')!.inputs.get('int64')!;
    expect((big.data as BigInt64Array)[1]).toBe(2n ** 62n + 1n);
    const nan = g.caseById.get('nans')!.inputs.get('float16')!;
    expect(Number.isNaN(nan.data[0]) || (nan.data[0] as number) === 0x7e00).toBe(true);
  });

  it('round-trips every tensor to the JSON it was read from', () => {
    for (const lib of g.libraries) {
      const raw = JSON.parse(readFileSync(join(GOLDEN, `${lib.library}.json`), 'utf8')) as { results: { output?: EncodedTensor }[] };
      lib.results.forEach((r, i) => {
        const enc = raw.results[i].output;
        if (!enc) return expect(r.output).toBeUndefined();
        const again = encodeTensorJson(r.output!, 'base64' in enc ? 'base64' : 'data');
        expect(again, `${lib.library} /results/${i}`).toEqual(enc);
      });
    }
  });

  it('indexes results and keeps the TensorFlow rank-6 float32 failure as an error', () => {
    const tf = g.libraries.find((l) => l.library === 'tensorflow')!;
    const r = tf.results.find((x) => x.case === 'rank6-1x2x2x1x2x2' && x.dtype === 'float32' && x.op === 'softmax')!;
    expect(resultKey(r.case, r.dtype, r.axis, r.op)).toBe('rank6-1x2x2x1x2x2|float32|0|softmax');
    expect(r.error?.type).toMatch(/Error$/);
    expect(r.output).toBeUndefined();
  });
});
