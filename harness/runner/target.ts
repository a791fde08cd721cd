// What an audit target names: a file (FILE.py:FUNCTION, FILE.{js,...}[:EXPORT]) or an installed Python module
// (MODULE:FUNCTION, e.g. scipy.special:softmax). The rule, said the same way in --help and the README: an existing
// path, or a name ending in a file extension (.py .mjs .js .cjs .ts .mts .cts), is a file; a dotted identifier
// that is not an existing path is a module.
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';

export const JS_EXTENSIONS = ['mjs', 'js', 'cjs', 'ts', 'mts', 'cts'];

export type ParsedTarget =
  | { kind: 'file'; path: string; language: 'python' | 'javascript'; name?: string }
  | { kind: 'module'; module: string; name: string };

const FILE_RE = /^(.*\.(py|mjs|js|cjs|ts|mts|cts))(?::([A-Za-z_$][\w$]*))?$/;
const MODULE_RE = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):([A-Za-z_]\w*)$/;

export const TARGET_FORMS = `FILE.py:FUNCTION, FILE.{${JS_EXTENSIONS.join(',')}}[:EXPORT], or MODULE:FUNCTION (an installed Python module, e.g. scipy.special:softmax)`;

/** Which kind of target a string is; UsageError when it is neither. Does not check that a file exists. */
export function classifyTarget(target: string): ParsedTarget {
  const m = MODULE_RE.exec(target);
  // A module name is never an existing path and never ends in a file extension (x.py:f is a file, even if absent).
  if (m && !FILE_RE.test(target) && !existsSync(m[1]) && !existsSync(target)) return { kind: 'module', module: m[1], name: m[2] };
  const f = FILE_RE.exec(target);
  if (m && !f) throw new UsageError(`"${m[1]}" is an existing path, so the target names a file, and a file target must be FILE.py:FUNCTION or a JavaScript file; to name a module, run from another folder`);
  if (!f || (f[2] === 'py' && !f[3])) throw new UsageError(`target must be ${TARGET_FORMS}, got "${target}"`);
  return { kind: 'file', path: f[1], language: f[2] === 'py' ? 'python' : 'javascript', ...(f[3] ? { name: f[3] } : {}) };
}

/** Whether a target runs in Python (a .py file or a module), without touching the file system. */
export function isPythonTarget(target: string): boolean {
  return /\.py:[^:]*$/.test(target) || (MODULE_RE.test(target) && !FILE_RE.test(target));
}

// Where a top-level import name and its pip package differ, for the install hint (the common ones only).
const PIP_NAMES: Record<string, string> = { sklearn: 'scikit-learn', cv2: 'opencv-python', PIL: 'pillow', yaml: 'pyyaml', skimage: 'scikit-image' };

/** The command that installs a module's top-level package. */
export function pipHint(module: string): string {
  const top = module.split('.')[0];
  return `pip install ${PIP_NAMES[top] ?? top}`;
}
