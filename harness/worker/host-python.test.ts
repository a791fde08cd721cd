// A worker starts the Python interpreter itself, not the shim or wrapper script named as the interpreter: a pyenv
// shim runs about fifteen bash processes per start, which a worker restarted after every crash used to pay each time
// (a crashing candidate's audit: 4.8 s of CPU and 18 s before, 2.6 s and 8 s after). The wrapper runs once, for the
// probe that finds the interpreter behind it.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fromNumbers } from '../tensor/tensor.js';
import { expectKind, start } from '../../test/fixtures/candidates/helpers.js';
import { defaultPython } from './python-worker.js';
import { hostPython } from './sandbox.js';

const dir = mkdtempSync(join(tmpdir(), 'sc-host-python-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const real = execFileSync(defaultPython(), ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

/** A wrapper script that counts its runs in `log`, then runs the real interpreter. */
function wrapper(name: string): { python: string; runs: () => number } {
  const python = join(dir, name);
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  writeFileSync(python, `#!/bin/sh\necho run >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(python, 0o755);
  return { python, runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

const rank3 = fromNumbers('float64', [1, 2, 2], [1, 2, 3, 4]);
const row = fromNumbers('float64', [3], [1, 2, 3]);

describe('the interpreter a worker starts', () => {
  for (const sandbox of ['none', 'auto'] as const) {
    test(`--sandbox ${sandbox}: the wrapper runs once (the probe), not once per start of the worker`, async () => {
      const w = wrapper(`python-${sandbox}`);
      const worker = await start('../broken/dies_on_3d.py', { python: w.python, sandbox });
      // each rank-3 call kills the candidate's process, and the worker starts it again
      const out = await worker.call([{ input: rank3, args: {} }, { input: rank3, args: {} }, { input: rank3, args: {} }, { input: row, args: {} }]);
      for (const o of out.slice(0, 3)) expectKind(o, 'crash');
      expectKind(out[3], 'ok');
      expect(w.runs()).toBe(1);
    }, 120_000);
  }

  test('hostPython: sys.executable behind the wrapper; the name itself when the probe cannot run it', async () => {
    const w = wrapper('python-probe');
    expect(await hostPython(w.python, { PATH: process.env.PATH ?? '' })).toEqual({ command: real, flags: [] });
    expect(await hostPython(join(dir, 'no-such-python'), { PATH: process.env.PATH ?? '' })).toEqual({ command: join(dir, 'no-such-python'), flags: [] });
  });
});
