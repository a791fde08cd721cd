// `softmax-conformance golden verify`: the committed goldens are intact and complete. Needs no Python library.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../paths.js';
import { loadGoldens } from './load.js';

export interface GoldenVerifySummary {
  /** golden files checked (corpus, libraries, checksums) */
  files: number;
  /** corpus cases */
  cases: number;
  /** library keys, sorted */
  libraries: string[];
}

/**
 * Checks golden/: every file against its schema (ajv), the corpus's consistency, each library's coverage of every
 * (case, dtype, axis, op) the corpus declares within the library's scope (an output or a recorded error), and the
 * sha256 of each file against checksums.json. Throws DataError naming the file and the JSON pointer (exit 2).
 */
export function verifyGoldens(dir: string = projectPath('golden')): GoldenVerifySummary {
  const g = loadGoldens(dir);
  return { files: g.files.length, cases: g.cases.length, libraries: g.libraries.map((l) => l.library) };
}

/**
 * Golden sets kept in sub-folders of golden/, each with its own corpus.json and version: bfloat16 (torch, JAX and the
 * truth on the corpus rounded to bfloat16), apart so that adding it did not invalidate goldens recorded on GPUs.
 */
export const GOLDEN_SUBSETS = ['bfloat16'] as const;

/** verifyGoldens on `dir` and on each of its golden sub-folders that exists. */
export function verifyGoldenSets(dir: string = projectPath('golden')): { dir: string; summary: GoldenVerifySummary }[] {
  const subs = GOLDEN_SUBSETS.map((s) => join(dir, s)).filter((d) => existsSync(join(d, 'corpus.json')));
  return [dir, ...subs].map((d) => ({ dir: d, summary: verifyGoldens(d) }));
}
