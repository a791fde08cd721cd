// `softmax-conformance golden verify`: the committed goldens are intact and complete. Needs no Python library.
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
