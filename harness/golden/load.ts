// Loading the committed goldens (golden/*.json, written by golden/export.py): the corpus and each library's results,
// every tensor decoded bit-exactly. Loading checks everything `golden verify` checks (schema, checksums, coverage),
// so the harness never runs on a damaged golden: any problem is a DataError naming the file and the JSON pointer.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { DataError } from '../errors.js';
import { parseJsonText, validateJson } from '../json-files.js';
import { projectPath } from '../paths.js';
import type { DType } from '../tensor/dtype.js';
import { decodeTensorJson, type EncodedTensor } from '../tensor/json-tensor.js';
import type { Tensor } from '../tensor/tensor.js';

export const GOLDEN_SCHEMA_VERSION = 1;
export const CORPUS_FILE = 'corpus.json';
export const CHECKSUMS_FILE = 'checksums.json';

export type GoldenOp = 'softmax' | 'log-softmax';
/** null: the whole array (SciPy's axis=None). */
export type GoldenAxis = number | null;

export interface GoldenCase {
  id: string;
  family: string;
  description: string;
  shape: number[];
  axes: GoldenAxis[];
  ops: GoldenOp[];
  /** the input per dtype, in the corpus's order */
  inputs: Map<DType, Tensor>;
}

export interface GoldenScope {
  ops: GoldenOp[];
  axisNull: boolean;
  /** explicit axes that apply; null: every axis the corpus lists */
  axes: number[] | null;
  /** ranks that apply; null: all */
  ranks: number[] | null;
}

export interface GoldenProvenance {
  libraryVersion: string;
  python: string;
  numpy: string;
  platform: string;
  machine: string;
  cpuFlags: string[];
  env: Record<string, string>;
  date: string;
  command: string;
  note: string;
  details?: Record<string, unknown>;
}

export interface GoldenResult {
  case: string;
  op: GoldenOp;
  /** the input's dtype */
  dtype: DType;
  axis: GoldenAxis;
  /** the library's output (absent when it raised) */
  output?: Tensor;
  error?: { type: string; message: string };
  warnings?: { category: string; message: string }[];
  inputMutated?: true;
}

export interface GoldenLibrary {
  library: string;
  title: string;
  corpusVersion: number;
  scope: GoldenScope;
  provenance: GoldenProvenance;
  results: GoldenResult[];
  /** the file it was read from, as shown in messages */
  file: string;
}

export interface Goldens {
  dir: string;
  corpusVersion: number;
  seed: number;
  cases: GoldenCase[];
  caseById: Map<string, GoldenCase>;
  /** sorted by library key */
  libraries: GoldenLibrary[];
  /** every file checked, checksums.json included */
  files: string[];
}

// The JSON shapes, as the schemas admit them.
interface RawCorpus {
  schemaVersion: 1;
  corpusVersion: number;
  seed: number;
  generator: string;
  cases: { id: string; family: string; description: string; shape: number[]; axes: GoldenAxis[]; ops: GoldenOp[]; inputs: EncodedTensor[] }[];
}
interface RawResult extends Omit<GoldenResult, 'output'> {
  output?: EncodedTensor;
}
interface RawLibrary extends Omit<GoldenLibrary, 'results' | 'file'> {
  schemaVersion: 1;
  results: RawResult[];
}
interface RawChecksums {
  schemaVersion: 1;
  algorithm: 'sha256';
  files: Record<string, string>;
}

/** The key of one result: case, input dtype, axis ("null" for the whole array) and op. */
export function resultKey(caseId: string, dtype: DType, axis: GoldenAxis, op: GoldenOp): string {
  return `${caseId}|${dtype}|${axis === null ? 'null' : axis}|${op}`;
}

function describeKey(caseId: string, dtype: DType, axis: GoldenAxis, op: GoldenOp): string {
  return `case "${caseId}", dtype ${dtype}, axis ${axis === null ? 'null (whole array)' : axis}, op ${op}`;
}

/** Whether a (case, axis, op) of the corpus is within a library's declared scope. */
export function inScope(scope: GoldenScope, c: GoldenCase, axis: GoldenAxis, op: GoldenOp): boolean {
  if (!scope.ops.includes(op) || !c.ops.includes(op)) return false;
  if (scope.ranks !== null && !scope.ranks.includes(c.shape.length)) return false;
  if (axis === null) return scope.axisNull;
  return scope.axes === null || scope.axes.includes(axis);
}

/** Every (case, dtype, axis, op) a library with this scope must cover, in export order. */
export function expectedResults(cases: readonly GoldenCase[], scope: GoldenScope): { caseId: string; dtype: DType; axis: GoldenAxis; op: GoldenOp }[] {
  const out: { caseId: string; dtype: DType; axis: GoldenAxis; op: GoldenOp }[] = [];
  for (const c of cases) {
    for (const dtype of c.inputs.keys()) {
      for (const axis of c.axes) {
        for (const op of c.ops) if (inScope(scope, c, axis, op)) out.push({ caseId: c.id, dtype, axis, op });
      }
    }
  }
  return out;
}

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function readBytes(path: string, file: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new DataError(file, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

function loadCorpus(file: string, bytes: Buffer): { raw: RawCorpus; cases: GoldenCase[] } {
  const raw = validateJson<RawCorpus>(parseJsonText(bytes.toString('utf8'), file), 'golden-corpus.schema.json', file);
  const seen = new Set<string>();
  const cases = raw.cases.map((c, i): GoldenCase => {
    const at = `/cases/${i}`;
    if (seen.has(c.id)) throw new DataError(file, `${at}/id`, `duplicate case id "${c.id}"`);
    seen.add(c.id);
    const rank = c.shape.length;
    c.axes.forEach((a, k) => {
      // A 0-d array has no axes, but the corpus may ask for axis 0 on it (NumPy rejects it; the oracle treats the
      // element as its own slice), so rank 0 admits axis 0.
      if (a !== null && !(a >= 0 && a < Math.max(rank, 1))) {
        throw new DataError(file, `${at}/axes/${k}`, `axis ${a} is out of range for shape (${c.shape.join(', ')}): expected 0..${Math.max(rank, 1) - 1} or null`);
      }
    });
    const inputs = new Map<DType, Tensor>();
    c.inputs.forEach((enc, k) => {
      const t = decodeTensorJson(enc, file, `${at}/inputs/${k}`);
      if (inputs.has(t.dtype)) throw new DataError(file, `${at}/inputs/${k}/dtype`, `a second ${t.dtype} input for case "${c.id}"`);
      if (!sameShape(t.shape, c.shape)) {
        throw new DataError(file, `${at}/inputs/${k}/shape`, `input shape (${t.shape.join(', ')}) differs from the case's (${c.shape.join(', ')})`);
      }
      inputs.set(t.dtype, t);
    });
    return { id: c.id, family: c.family, description: c.description, shape: c.shape, axes: c.axes, ops: c.ops, inputs };
  });
  return { raw, cases };
}

function loadLibrary(name: string, file: string, bytes: Buffer, corpusVersion: number, cases: GoldenCase[], caseById: Map<string, GoldenCase>): GoldenLibrary {
  const raw = validateJson<RawLibrary>(parseJsonText(bytes.toString('utf8'), file), 'golden.schema.json', file);
  const stem = name.replace(/\.json$/, '');
  if (raw.library !== stem) throw new DataError(file, '/library', `library "${raw.library}" does not match the file name (expected "${stem}")`);
  if (raw.corpusVersion !== corpusVersion) {
    throw new DataError(file, '/corpusVersion', `corpus version ${raw.corpusVersion} differs from corpus.json's ${corpusVersion}: re-export the goldens`);
  }
  const wanted = expectedResults(cases, raw.scope);
  const expected = new Set(wanted.map((e) => resultKey(e.caseId, e.dtype, e.axis, e.op)));
  const seen = new Set<string>();
  const results = raw.results.map((r, i): GoldenResult => {
    const at = `/results/${i}`;
    const c = caseById.get(r.case);
    if (!c) throw new DataError(file, `${at}/case`, `no case "${r.case}" in corpus.json`);
    if (!c.inputs.has(r.dtype)) throw new DataError(file, `${at}/dtype`, `case "${r.case}" has no ${r.dtype} input in corpus.json`);
    if (!c.axes.includes(r.axis)) throw new DataError(file, `${at}/axis`, `case "${r.case}" does not list axis ${r.axis} in corpus.json`);
    const key = resultKey(r.case, r.dtype, r.axis, r.op);
    if (!expected.has(key)) throw new DataError(file, at, `${describeKey(r.case, r.dtype, r.axis, r.op)} is outside the file's scope`);
    if (seen.has(key)) throw new DataError(file, at, `a second result for ${describeKey(r.case, r.dtype, r.axis, r.op)}`);
    seen.add(key);
    const out: GoldenResult = { case: r.case, op: r.op, dtype: r.dtype, axis: r.axis };
    if (r.output !== undefined) out.output = decodeTensorJson(r.output, file, `${at}/output`);
    if (r.error !== undefined) out.error = r.error;
    if (r.warnings !== undefined) out.warnings = r.warnings;
    if (r.inputMutated) out.inputMutated = true;
    return out;
  });
  for (const e of wanted) {
    if (!seen.has(resultKey(e.caseId, e.dtype, e.axis, e.op))) {
      throw new DataError(file, '/results', `no result for ${describeKey(e.caseId, e.dtype, e.axis, e.op)}: every (case, dtype, axis, op) of the corpus within the scope needs an output or an error`);
    }
  }
  return { library: raw.library, title: raw.title, corpusVersion: raw.corpusVersion, scope: raw.scope, provenance: raw.provenance, results, file };
}

/**
 * Reads and checks every golden/*.json: the schemas (ajv), the corpus's own consistency, each library's coverage of
 * the corpus within its scope, and checksums.json. Throws DataError (file + JSON pointer) on the first problem.
 */
export function loadGoldens(dir: string = projectPath('golden')): Goldens {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(shown(dir), '', 'no such golden directory');
  const names = readdirSync(dir).filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile()).sort();
  for (const required of [CORPUS_FILE, CHECKSUMS_FILE]) {
    if (!names.includes(required)) throw new DataError(shown(join(dir, required)), '', 'missing: re-export the goldens (golden/README.md)');
  }
  const bytes = new Map<string, Buffer>();
  for (const n of names) bytes.set(n, readBytes(join(dir, n), shown(join(dir, n))));

  const corpusFile = shown(join(dir, CORPUS_FILE));
  const { raw: corpus, cases } = loadCorpus(corpusFile, bytes.get(CORPUS_FILE)!);
  const caseById = new Map(cases.map((c) => [c.id, c]));

  const libraries: GoldenLibrary[] = [];
  for (const n of names) {
    if (n === CORPUS_FILE || n === CHECKSUMS_FILE) continue;
    libraries.push(loadLibrary(n, shown(join(dir, n)), bytes.get(n)!, corpus.corpusVersion, cases, caseById));
  }
  if (libraries.length === 0) throw new DataError(shown(dir), '', 'no library files (golden/<library>.json)');

  const checksumsFile = shown(join(dir, CHECKSUMS_FILE));
  const sums = validateJson<RawChecksums>(parseJsonText(bytes.get(CHECKSUMS_FILE)!.toString('utf8'), checksumsFile), 'golden-checksums.schema.json', checksumsFile);
  for (const n of names) {
    if (n === CHECKSUMS_FILE) continue;
    const want = sums.files[n];
    if (want === undefined) throw new DataError(checksumsFile, '/files', `${n} is not listed: re-export the goldens (golden/README.md)`);
    const got = createHash('sha256').update(bytes.get(n)!).digest('hex');
    if (got !== want) {
      throw new DataError(shown(join(dir, n)), '', `sha256 ${got} does not match ${CHECKSUMS_FILE} at /files/${n} (${want}): the file changed after export`);
    }
  }
  for (const listed of Object.keys(sums.files).sort()) {
    if (!names.includes(listed)) throw new DataError(checksumsFile, `/files/${listed.replace(/~/g, '~0').replace(/\//g, '~1')}`, `lists ${listed}, which is missing from ${shown(dir)}`);
  }
  libraries.sort((a, b) => (a.library < b.library ? -1 : a.library > b.library ? 1 : 0));
  return { dir, corpusVersion: corpus.corpusVersion, seed: corpus.seed, cases, caseById, libraries, files: names.map((n) => shown(join(dir, n))) };
}

/** A library's result for a (case, dtype, axis, op), if it has one. */
export function indexResults(lib: GoldenLibrary): Map<string, GoldenResult> {
  return new Map(lib.results.map((r) => [resultKey(r.case, r.dtype, r.axis, r.op), r]));
}
