// The implementation manifest (implementations/manifest.json): which implementations run, how they are called,
// the axis rules they claim, what they declare they support, and the failures they are expected to have.
// Shape: harness/schemas/manifest.schema.json (ajv). This module adds the checks a schema cannot express.
import type { PlatformRecord } from './platform.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AxisRule } from './contracts.js';
import { DataError } from './errors.js';
import { loadJsonFile } from './json-files.js';
import type { Family } from './model.js';
import { projectPath } from './paths.js';
import type { DType } from './tensor/dtype.js';
import type { CallStyle, Framework } from './worker/types.js';

export const MANIFEST_SCHEMA = 'manifest.schema.json';
export const DEFAULT_MANIFEST_PATH = projectPath('implementations', 'manifest.json');

/** What an implementation declares it supports; outside it a clear exception is "rejected", not a failure. */
export interface ManifestDomain {
  /** [min, max] input rank, inclusive; max null: no upper bound */
  ranks?: [number, number | null];
  dtypes?: DType[];
  /** inputs with a zero-length axis */
  empty?: boolean;
  /** 0-D (scalar) arrays */
  zeroD?: boolean;
}

export interface ExpectedFailure {
  /** the axis rule it fails under: one of the entry's claims, or 'last' */
  contract: AxisRule;
  /** the check family that fails */
  check: Family;
  /** one sentence with the evidence */
  reason: string;
  /** the input dtypes it fails on; a failure of the check on any other dtype fails the gate (absent: any dtype) */
  dtypes?: DType[];
}

export interface ManifestEntry {
  id: string;
  title: string;
  source: string;
  language: 'python' | 'javascript';
  /** relative to the manifest's folder (implementations/); exactly one of file and module */
  file?: string;
  /** Python: an installed module that defines the function (scipy.special), instead of a file */
  module?: string;
  function: string;
  call: CallStyle;
  claims: AxisRule[];
  claimsReason: string;
  /** modules needed beyond the baseline (Python: beyond numpy; JavaScript: npm packages) */
  requires: string[];
  /** present whenever requires is not empty */
  installHint?: string;
  domain?: ManifestDomain;
  /** Python: the tensor type the function takes (default numpy; harness/py/sc_framework.py) */
  framework?: Framework;
  /** Python: the device that tensor is on (default cpu); a row on cuda is skipped where there is none */
  device?: string;
  /** what a library row's expectations were verified on (harness/platform.ts) */
  verifiedOn?: PlatformRecord & { date: string };
  expectedFailures: ExpectedFailure[];
}

export interface Manifest {
  schemaVersion: 1;
  implementations: ManifestEntry[];
}

const EXTENSIONS: Record<ManifestEntry['language'], readonly string[]> = {
  python: ['.py'],
  javascript: ['.mjs', '.js'],
};

/** Read, validate (schema, then the semantic rules below) and return the manifest. Problems are DataError. */
export function loadManifest(path: string = DEFAULT_MANIFEST_PATH): Manifest {
  const manifest = loadJsonFile<Manifest>(path, MANIFEST_SCHEMA);
  checkManifest(manifest, path);
  return manifest;
}

/**
 * The rules the schema cannot express. Throws DataError naming `path` and the JSON pointer of the first problem.
 * `path` is also where files are looked up from (its folder).
 */
export function checkManifest(manifest: Manifest, path: string): void {
  const fail = (pointer: string, problem: string): never => {
    throw new DataError(path, pointer, problem);
  };
  const firstById = new Map<string, number>();
  manifest.implementations.forEach((entry, i) => {
    const at = `/implementations/${i}`;

    const seen = firstById.get(entry.id);
    if (seen !== undefined) fail(`${at}/id`, `duplicate id "${entry.id}" (first used at /implementations/${seen}/id)`);
    firstById.set(entry.id, i);

    if (entry.module !== undefined) {
      // An installed module is found when the worker imports it (a missing one is skipped like any absent library).
      if (entry.language !== 'python') fail(`${at}/module`, `a module target is Python only; a ${entry.language} implementation names a file`);
    } else {
      const ext = EXTENSIONS[entry.language];
      if (!ext.some((e) => entry.file!.endsWith(e))) {
        fail(`${at}/file`, `a ${entry.language} implementation must be a ${ext.join(' or ')} file, not "${entry.file}"`);
      }
      const file = implementationFile(entry, path);
      if (!existsSync(file) || !statSync(file).isFile()) fail(`${at}/file`, `file not found: ${file}`);
    }

    const framework = entry.framework ?? 'numpy';
    if (framework !== 'numpy' || entry.device !== undefined) {
      if (entry.language !== 'python') fail(`${at}/framework`, `framework and device are for Python rows; "${entry.id}" is ${entry.language}`);
      if (framework !== 'numpy' && !entry.requires.includes(framework)) {
        fail(`${at}/requires`, `framework "${framework}" must be listed in requires (so a machine without it skips the row)`);
      }
      const device = entry.device ?? 'cpu';
      if (framework === 'numpy' && device !== 'cpu') fail(`${at}/device`, `NumPy runs on the CPU only, not on "${device}"`);
      if (framework === 'cupy' && device === 'cpu') fail(`${at}/device`, 'CuPy runs on CUDA devices only: device must be cuda or cuda:N');
    }

    if (entry.claims.includes('axis-arg') && entry.call === 'x') {
      fail(`${at}/call`, `claims "axis-arg" but is called as f(x): the call style must be "x-axis" or "x-theta-axis"`);
    }

    const ranks = entry.domain?.ranks;
    if (ranks) {
      const [min, max] = ranks;
      if (max !== null && max < min) fail(`${at}/domain/ranks`, `min rank ${min} is greater than max rank ${max}`);
      const zeroD = entry.domain?.zeroD;
      if (zeroD !== undefined && zeroD !== (min === 0)) {
        fail(`${at}/domain/zeroD`, `zeroD is ${zeroD} but ranks [${min}, ${max}] ${min === 0 ? 'include' : 'exclude'} rank 0`);
      }
    }

    const evaluated = contractsToEvaluate(entry);
    const seenFailures = new Map<string, number>();
    entry.expectedFailures.forEach((f, j) => {
      const fat = `${at}/expectedFailures/${j}`;
      if (!evaluated.includes(f.contract)) {
        fail(
          `${fat}/contract`,
          `contract "${f.contract}" is never evaluated for "${entry.id}" (the run evaluates ${evaluated.map((c) => `"${c}"`).join(', ')})`,
        );
      }
      const key = `${f.contract}\u0000${f.check}`;
      const prev = seenFailures.get(key);
      if (prev !== undefined) {
        fail(fat, `duplicate expected failure "${f.check}" under "${f.contract}" (first at ${at}/expectedFailures/${prev})`);
      }
      seenFailures.set(key, j);
    });
  });
}

/** Absolute path of an entry's file; '' for a module target. */
export function implementationFile(entry: Pick<ManifestEntry, 'file'>, manifestPath: string = DEFAULT_MANIFEST_PATH): string {
  return entry.file === undefined ? '' : join(dirname(manifestPath), entry.file);
}

/** The contracts the run evaluates for an entry: its claims, then 'last' if it does not claim it. */
export function contractsToEvaluate(entry: Pick<ManifestEntry, 'claims'>): AxisRule[] {
  return entry.claims.includes('last') ? [...entry.claims] : [...entry.claims, 'last'];
}

/** The manifest's expected failure for this contract and check family, if any. */
export function expectedFailure(
  entry: Pick<ManifestEntry, 'expectedFailures'>,
  contract: AxisRule,
  check: Family,
): ExpectedFailure | undefined {
  return entry.expectedFailures.find((f) => f.contract === contract && f.check === check);
}
