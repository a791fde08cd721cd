// A virtualenv's interpreter inside the sandbox: its own site-packages must be there (torch in the golden venv was
// "not installed" when the sandbox ran the venv's resolved base interpreter instead).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker } from './index.js';
import { fromNumbers } from '../tensor/tensor.js';
import { resolveSandbox } from './sandbox.js';
import { PYTHON } from '../../test/helpers/python.js';

// Not under /tmp: the sandbox has a /tmp of its own, so a venv there is not shown inside.
const dir = mkdtempSync(existsSync('/var/tmp') ? '/var/tmp/venv-test-' : join(tmpdir(), 'venv-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a virtualenv interpreter, sandboxed', () => {
  it('sees the venv\'s own site-packages', async () => {
    const sandbox = await resolveSandbox('auto');
    if (!sandbox.bwrap) return; // unsandboxed, the venv's python runs as itself: nothing to show here
    const venv = join(dir, 'venv');
    const made = spawnSync(PYTHON, ['-m', 'venv', '--without-pip', '--system-site-packages', venv]);
    expect(made.status, String(made.stderr)).toBe(0);
    const python = join(venv, 'bin', 'python');
    const site = spawnSync(python, ['-c', 'import site; print(site.getsitepackages()[0])'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(site, 'only_in_this_venv.py'), 'VALUE = 7.0\n');
    writeFileSync(join(dir, 'cand.py'), 'import numpy as np\nimport only_in_this_venv\n\ndef softmax(x):\n    return np.full(x.shape, only_in_this_venv.VALUE)\n');
    const w = await startWorker({ language: 'python', file: join(dir, 'cand.py'), functionName: 'softmax', callStyle: 'x', timeoutMs: 5000, memoryMb: 512, python, sandbox: 'bwrap' });
    if (!('call' in w)) throw new Error(`did not start: ${JSON.stringify(w)}`);
    try {
      expect(w.sandbox?.sandboxed).toBe(true);
      const [o] = await w.call([{ input: fromNumbers('float64', [2], [1, 2]), args: {} }]);
      expect(o.kind === 'ok' && [...(o.output.data as Float64Array)]).toEqual([7, 7]);
    } finally {
      await w.close();
    }
  });
});
