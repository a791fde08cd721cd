// Which targets are files and which are installed Python modules: the rule --help and the README state.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTarget } from './audit-start.js';
import { classifyTarget, isPythonTarget, pipHint } from './target.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('classifyTarget', () => {
  it('reads a dotted identifier that is not an existing path as a module', () => {
    expect(classifyTarget('scipy.special:softmax')).toEqual({ kind: 'module', module: 'scipy.special', name: 'softmax' });
    expect(classifyTarget('sklearn.utils.extmath:softmax')).toEqual({ kind: 'module', module: 'sklearn.utils.extmath', name: 'softmax' });
    expect(classifyTarget('numpy_stable_mod:fn')).toEqual({ kind: 'module', module: 'numpy_stable_mod', name: 'fn' });
  });

  it('reads a name ending in a file extension as a file, whether or not it exists', () => {
    expect(classifyTarget('cand.py:softmax')).toEqual({ kind: 'file', path: 'cand.py', language: 'python', name: 'softmax' });
    expect(classifyTarget('pkg.mjs:softmax')).toMatchObject({ kind: 'file', path: 'pkg.mjs', language: 'javascript' });
    expect(classifyTarget('dir/x.ts')).toMatchObject({ kind: 'file', path: 'dir/x.ts', language: 'javascript' });
  });

  it('reads an existing path as a file, even when it looks like a module name', () => {
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      mkdirSync(join(dir, 'mylib.core'));
      expect(() => classifyTarget('mylib.core:softmax')).toThrow(/"mylib\.core" is an existing path, so the target names a file/);
      expect(classifyTarget('other.core:softmax')).toMatchObject({ kind: 'module', module: 'other.core' });
    } finally {
      process.chdir(cwd);
    }
  });

  it('rejects what is neither, naming the three forms', () => {
    for (const t of ['scipy.special', 'scipy.special:', 'scipy..special:softmax', '1abc:f', 'a.py', 'x.py:f:g', 'scipy.special:soft-max']) {
      expect(() => classifyTarget(t), t).toThrow(/target must be FILE\.py:FUNCTION, .*MODULE:FUNCTION/);
    }
  });

  it('says which targets run in Python', () => {
    expect(isPythonTarget('scipy.special:softmax')).toBe(true);
    expect(isPythonTarget('a/b.py:f')).toBe(true);
    expect(isPythonTarget('a/b.mjs:f')).toBe(false);
    expect(isPythonTarget('a/b.ts')).toBe(false);
  });

  it('installs a module by its distribution name where the two differ', () => {
    expect(pipHint('sklearn.utils.extmath')).toBe('pip install scikit-learn');
    expect(pipHint('scipy.special')).toBe('pip install scipy');
  });
});

describe('parseTarget', () => {
  it('makes a module target a Python subject with no file, the pip hint and the --python-path folders made absolute', () => {
    const spec = parseTarget('scipy.special:softmax', 'axis-arg', undefined, false, 'auto', [dir]);
    expect(spec).toMatchObject({ id: 'scipy.special:softmax', language: 'python', file: '', module: 'scipy.special', functionName: 'softmax', callStyle: 'x-axis', installHint: 'pip install scipy', pythonPath: [dir] });
    expect(spec.convention).toBeUndefined();
  });

  it('refuses a --python-path folder that does not exist, and one given to a JavaScript file', () => {
    expect(() => parseTarget('scipy.special:softmax', 'last', undefined, false, undefined, [join(dir, 'absent')])).toThrow(/--python-path: no such folder/);
    writeFileSync(join(dir, 'c.mjs'), 'export default (x) => x;');
    expect(() => parseTarget(join(dir, 'c.mjs'), 'last', undefined, false, undefined, [dir])).toThrow(/Python candidates only/);
  });
});
