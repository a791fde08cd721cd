// The Python worker against the candidate corpus in test/fixtures/candidates: every way a candidate can go wrong
// must come back as exactly one outcome kind, and the calls after it must still run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EnvironmentError } from '../errors.js';
import { bitwiseEqual, fromNumbers, makeTensor, toNumbers, type Tensor } from '../tensor/tensor.js';
import { expectKind, specFor, start, startFails } from '../../test/fixtures/candidates/helpers.js';
import { checkPython, defaultPython, startPythonWorker } from './python-worker.js';
import type { CallRequest } from './types.js';
import type { MemoryLayout } from '../tensor/layout.js';
import { PYTHON } from '../../test/helpers/python.js';

const x23 = fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]);
const call = (input: Tensor, args: CallRequest['args'] = {}): CallRequest => ({ input, args });
/** A row for selective.py: its first element picks the behaviour. */
const mode = (m: number): CallRequest => call(fromNumbers('float64', [3], [m, 1, 2]));

function softmaxRows(t: Tensor): number[] {
  const v = [...toNumbers(t)];
  const n = t.shape[t.shape.length - 1];
  const out: number[] = [];
  for (let i = 0; i < v.length; i += n) {
    const row = v.slice(i, i + n);
    const m = Math.max(...row);
    const e = row.map((a) => Math.exp(a - m));
    const s = e.reduce((a, b) => a + b, 0);
    out.push(...e.map((a) => a / s));
  }
  return out;
}

/** Dead, or a zombie waiting for a reaper. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; !isGone(pid) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
  return isGone(pid);
}

function expectClose(actual: Tensor, expected: number[], tol = 1e-12): void {
  const a = [...toNumbers(actual)];
  expect(a.length).toBe(expected.length);
  a.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(tol));
}

describe('checkPython', () => {
  test('finds python3 with NumPy', async () => {
    const info = await checkPython();
    expect(info.version).toMatch(/^3\.\d+/);
    expect(info.numpy).toMatch(/^\d+\.\d+/);
  });

  test('a missing interpreter is an EnvironmentError that says what to do', async () => {
    const err = await checkPython('/nonexistent/python3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    const message = (err as Error).message;
    expect(message).toContain('SOFTMAX_CONFORMANCE_PYTHON');
    expect(message).toContain('--python');
    expect(message).toMatch(/apt-get install python3-numpy|pip install numpy/);
  });

  test('an interpreter that cannot run the probe is an EnvironmentError', async () => {
    // `false` starts and fails: stands in for any interpreter that cannot import numpy.
    const err = await checkPython('false').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
  });

  test('an interpreter without NumPy is an EnvironmentError, for the check and for a worker', async () => {
    // python -S skips site-packages, where NumPy lives: a stand-in for a Python without NumPy.
    const dir = mkdtempSync(join(tmpdir(), 'sc-no-numpy-'));
    const python = join(dir, 'python');
    writeFileSync(python, `#!/bin/sh\nexec '${defaultPython()}' -S "$@"\n`, { mode: 0o755 });
    try {
      const err = await checkPython(python).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EnvironmentError);
      expect((err as Error).message).toContain('has no NumPy');
      await expect(startPythonWorker(specFor('correct.py', { python }))).rejects.toBeInstanceOf(EnvironmentError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('starting a worker on a missing interpreter is an EnvironmentError, not a candidate failure', async () => {
    const err = await startPythonWorker(specFor('correct.py', { python: '/nonexistent/python3' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
  });
});

const hasMlDtypes = (() => {
  try {
    return spawnSync(PYTHON, ['-c', 'import ml_dtypes']).status === 0;
  } catch {
    return false;
  }
})();

describe('bfloat16 (ml_dtypes)', () => {
  test.skipIf(!hasMlDtypes)('a bfloat16 input reaches NumPy as ml_dtypes.bfloat16, and a bfloat16 result comes back bit for bit', async () => {
    const w = await start('identity.py');
    const x = makeTensor('bfloat16', [2, 2], Uint16Array.of(0x3f80, 0x7fc1, 0x8001, 0xff80)); // 1, NaN payload, -2^-133, -inf
    const big = makeTensor('bfloat16', [300_000], Uint16Array.from({ length: 300_000 }, (_, i) => i & 0x7f7f)); // the bulk path
    const [a, b] = await w.call([call(x), call(big)]);
    for (const [o, t] of [[a, x], [b, big]] as const) {
      const ok = expectKind(o, 'ok');
      expect(ok.numpyDtype).toBe('bfloat16');
      expect(ok.output.dtype).toBe('bfloat16');
      expect(bitwiseEqual(ok.output, t)).toBe(true);
    }
  });
});

describe('correct candidates', () => {
  test('values, dtypes and shapes come back', async () => {
    const w = await start('correct.py');
    const f32 = fromNumbers('float32', [2, 2], [0, 1, 1000, 1001]);
    const f16 = fromNumbers('float16', [4], [0, 0.5, 1, -1]);
    const i32 = fromNumbers('int32', [3], [1, 2, 3]);
    const [a, b, c, d, e, f] = await w.call([call(x23), call(f32), call(f16), call(i32), call(makeTensor('float64', [0, 3])), call(fromNumbers('float64', [], [5]))]);
    const ok = expectKind(a, 'ok');
    expect(ok.output.dtype).toBe('float64');
    expect(ok.numpyDtype).toBe('float64');
    expect(ok.output.shape).toEqual([2, 3]);
    expect(ok.mutated).toBe(false);
    expect(ok.inputAfter).toBeUndefined();
    expectClose(ok.output, softmaxRows(x23));
    expect(expectKind(b, 'ok').output.dtype).toBe('float32');
    expectClose(expectKind(b, 'ok').output, softmaxRows(f32), 1e-6);
    expect(expectKind(c, 'ok').output.dtype).toBe('float16');
    expect(expectKind(d, 'ok').output.dtype).toBe('float64'); // NumPy promotes int32
    expect(expectKind(e, 'ok').output.shape).toEqual([0, 3]);
    expect(expectKind(f, 'ok').output.shape).toEqual([]);
    expect([...toNumbers(expectKind(f, 'ok').output)]).toEqual([1]);
  });

  test('every dtype crosses bit-exactly both ways (NaN payloads, -0, infinities, int64 extremes)', async () => {
    const w = await start('identity.py');
    const f64 = new Float64Array([NaN, -0, Infinity, -Infinity, 5e-324, 1.7976931348623157e308]);
    new DataView(f64.buffer).setBigUint64(0, 0x7ff4000000000001n, true); // a signalling NaN with a payload
    const inputs: Tensor[] = [
      makeTensor('float64', [6], f64),
      makeTensor('float32', [3], new Float32Array([NaN, -0, 1e-45])),
      makeTensor('float16', [3], new Uint16Array([0x7e01, 0x8000, 0x0001])),
      makeTensor('int32', [2], new Int32Array([-(2 ** 31), 2 ** 31 - 1])),
      makeTensor('int64', [2], new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n])),
      makeTensor('bool', [2, 1], new Uint8Array([1, 0])),
    ];
    const out = await w.call(inputs.map((t) => call(t)));
    out.forEach((o, i) => expect(bitwiseEqual(expectKind(o, 'ok').output, inputs[i])).toBe(true));
  });

  test('a large input crosses in one piece', async () => {
    const w = await start('identity.py');
    const big = makeTensor('float64', [1000, 1000]);
    (big.data as Float64Array).forEach((_, i, a) => (a[i] = i * 0.5));
    const [o] = await w.call([call(big)]);
    expect(bitwiseEqual(expectKind(o, 'ok').output, big)).toBe(true);
  });

  test('prints at import and per call are captured, not mistaken for protocol', async () => {
    const w = await start('chatty.py');
    expect(w.importOutput).toContain('chatty: loading');
    expect(w.importOutput).toContain('chatty: loading on stderr');
    expect(w.importOutput).toContain('\u0000\u0001not a frame');
    const [a, b] = await w.call([call(x23), call(x23)]);
    for (const o of [a, b]) {
      const ok = expectKind(o, 'ok');
      expectClose(ok.output, softmaxRows(x23));
      expect(ok.captured).toBe('chatty: called with shape (2, 3)\nchatty: stderr too\n');
    }
  });

  test('bytes written to sys.stdout.buffer are captured too', async () => {
    const w = await start('chatty.py', { functionName: 'softmax_bytes' });
    expect(expectKind((await w.call([call(x23)]))[0], 'ok').captured).toContain('chatty: bytes é\n');
  });

  test('keyword arguments follow the call style, and are omitted when absent', async () => {
    const w = await start('axis_theta.py', { callStyle: 'x-theta-axis' });
    const [a, b, c] = await w.call([call(x23, { axis: 0, theta: 2 }), call(x23, {}), call(x23, { theta: -Infinity })]);
    expect(expectKind(a, 'ok').captured).toBe('theta=2.0 axis=0\n');
    expect(expectKind(b, 'ok').captured).toBe('theta=None axis=None\n');
    expect(expectKind(c, 'ok').captured).toBe('theta=-inf axis=None\n');
    const plain = await start('axis_theta.py', { callStyle: 'x-axis' });
    const [d] = await plain.call([call(x23, { axis: -1, theta: 3 })]);
    expect(expectKind(d, 'ok').captured).toBe('theta=None axis=-1\n');
  });

  test('other integer dtypes widen to int64, and numpyDtype tells what was returned', async () => {
    const w = await start('int_output.py');
    const ok = expectKind((await w.call([call(x23)]))[0], 'ok');
    expect(ok.numpyDtype).toBe('int8');
    expect(ok.output.dtype).toBe('int64');
  });

  test('the worker runs in a scrubbed environment, in its own folder, without the protocol fds 3 and 4', async () => {
    process.env.SC_TEST_SECRET = 'do-not-leak';
    try {
      const w = await start('env_probe.py');
      const seen = JSON.parse(expectKind((await w.call([call(x23)]))[0], 'ok').captured) as { env: Record<string, string>; cwd: string; fds: number[] };
      expect(seen.env.SC_TEST_SECRET).toBeUndefined();
      expect(seen.env.HOME).toBe(seen.cwd);
      expect(seen.env.PYTHONHASHSEED).toBe('0');
      expect(seen.env.LANG).toBe('C.UTF-8');
      expect(seen.fds).not.toContain(3);
      expect(seen.fds).not.toContain(4);
    } finally {
      delete process.env.SC_TEST_SECRET;
    }
  });
});

// Concurrent: most of these wait on timers or process deaths, not on the CPU.
describe.concurrent('candidates that fail', () => {
  test('raises', async () => {
    const w = await start('raises.py');
    const [a, b] = await w.call([call(x23), call(x23)]);
    for (const o of [a, b]) {
      const r = expectKind(o, 'raised');
      expect(r.type).toBe('ValueError');
      expect(r.message).toBe('softmax needs a 2-D input');
      expect(r.traceback).toContain('raises.py", line 2, in softmax');
      expect(r.traceback).not.toContain('worker.py');
    }
  });

  test('a hostile error message comes back verbatim', async () => {
    const w = await start('hostile_message.py');
    const r = expectKind((await w.call([call(x23)]))[0], 'raised');
    expect(r.message).toBe('<script>alert(1)</script> \u001b[31mred\u001b[0m \u001b]0;title\u0007 & "quotes"');
  });

  test.each([
    ['returns_list.py', 'returned a list, not a NumPy array'],
    ['returns_none.py', 'returned None, not a NumPy array'],
    ['returns_complex.py', 'returned complex128 values'],
    ['huge_output.py', 'returned 50000000 elements for an input of 6'],
  ])('%s is bad output', async (file, problem) => {
    const w = await start(file);
    const [a, b] = await w.call([call(x23), call(x23)]);
    expect(expectKind(a, 'bad-output').problem).toBe(problem);
    expect(expectKind(b, 'bad-output').problem).toBe(problem);
  });

  test('mutating the input is reported, with the input as the function left it', async () => {
    const w = await start('mutates.py');
    const before = fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]);
    const ok = expectKind((await w.call([call(before)]))[0], 'ok');
    expect(ok.mutated).toBe(true);
    expect(ok.inputAfter?.shape).toEqual([2, 3]);
    expect(bitwiseEqual(ok.inputAfter!, ok.output)).toBe(true);
    expect([...toNumbers(before)]).toEqual([1, 2, 3, 4, 5, 6]); // the harness's own copy is untouched
  });

  test('an infinite loop times out, and so does the next call', async () => {
    const w = await start('spins.py');
    const [a, b] = await w.call([call(x23), call(x23)]);
    expect(expectKind(a, 'timeout').limitMs).toBe(1500);
    expectKind(b, 'timeout');
  });

  test('sleeping forever times out', async () => {
    const w = await start('sleeps.py');
    expectKind((await w.call([call(x23)]))[0], 'timeout');
  });

  test('os._exit is a crash with its exit code', async () => {
    const w = await start('exits.py');
    const [a, b] = await w.call([call(x23), call(x23)]);
    for (const o of [a, b]) {
      const c = expectKind(o, 'crash');
      expect(c.exitCode).toBe(3);
      expect(c.signal).toBeNull();
    }
  });

  test('a segfault is a crash with the signal and a stderr tail', async () => {
    const w = await start('segfault.py');
    const c = expectKind((await w.call([call(x23)]))[0], 'crash');
    expect(c.signal).toBe('SIGSEGV');
    expect(c.stderr).toContain('Segmentation fault');
    expect(c.stderr).toContain('segfault.py');
  });

  test('allocating 10 GiB under a 512 MiB cap is memory', async () => {
    const w = await start('memory_hog.py');
    const [a, b] = await w.call([call(x23), call(x23)]);
    expect(expectKind(a, 'memory').limitMb).toBe(512);
    expect(expectKind(a, 'memory').stderr).toContain('Unable to allocate');
    expectKind(b, 'memory');
  });

  test('after a timeout, a crash, a segfault or running out of memory, the rest of the batch still runs', async () => {
    const w = await start('selective.py');
    const out = await w.call([mode(0), mode(1), mode(0), mode(2), mode(0), mode(3), mode(0), mode(4), mode(5), mode(6), mode(0)]);
    expect(out.map((o) => o.kind)).toEqual(['ok', 'timeout', 'ok', 'crash', 'ok', 'crash', 'ok', 'timeout', 'memory', 'raised', 'ok']);
    expect((out[3] as { exitCode: number }).exitCode).toBe(7);
    expect((out[5] as { signal: string }).signal).toBe('SIGSEGV');
    expectClose(expectKind(out[10], 'ok').output, softmaxRows(mode(0).input));
    // and the worker is still usable for the next batch
    expect((await w.call([mode(0)])).map((o) => o.kind)).toEqual(['ok']);
  });

  test('monkeypatching np.exp stays inside its own process', async () => {
    const [patched, clean] = await Promise.all([start('patches_exp.py'), start('correct.py')]);
    const [p] = await patched.call([call(x23)]);
    expect([...toNumbers(expectKind(p, 'ok').output)]).toEqual([0, 0, 0, 0, 0, 0]);
    const [c] = await clean.call([call(x23)]);
    expectClose(expectKind(c, 'ok').output, softmaxRows(x23));
  });
});

describe('candidates that do not load', () => {
  test('an exception at import', async () => {
    const f = await startFails('import_error.py');
    expect(f.kind).toBe('import');
    expect(f.message).toContain('RuntimeError: configuration file not found');
    expect(f.detail).toContain('import_error.py", line 1');
  });

  test('a syntax error', async () => {
    const f = await startFails('syntax_error.py');
    expect(f.kind).toBe('import');
    expect(f.message).toContain('SyntaxError');
  });

  test('no such function', async () => {
    const f = await startFails('no_function.py');
    expect(f.kind).toBe('missing-target');
    expect(f.message).toContain("has no function 'softmax'");
    expect(f.message).toContain('soft_max');
  });

  test('not a function', async () => {
    const f = await startFails('correct.py', { functionName: 'np' });
    expect(f.kind).toBe('missing-target');
    expect(f.message).toContain("correct.py: 'np' is of type module, not a function");
  });

  test('no such file', async () => {
    const f = await startFails('does_not_exist.py');
    expect(f.kind).toBe('missing-target');
  });

  test('a file that never finishes loading', async () => {
    const f = await startFails('hangs_at_import.py', { startTimeoutMs: 1000 });
    expect(f.kind).toBe('import');
    expect(f.message).toContain('did not finish loading within 1 s');
  });

  test('a missing library', async () => {
    const f = await startFails('missing_library.py');
    expect(f.kind).toBe('missing-library');
    expect(f.module).toBe('tensorflow_doesnotexist');
  });
});

describe('lifecycle', () => {
  test('close() ends the process; calls after it are refused', async () => {
    const w = await start('correct.py');
    await w.close();
    await expect(w.call([call(x23)])).rejects.toThrow(/closed/);
  });

  // Unsandboxed: the child's pid is one Node can see (sandboxed it is a pid of the sandbox's own namespace, which
  // dies whole: test/hostile-sandbox.test.ts).
  test("a timeout kills the candidate's own child processes too", async () => {
    const w = await start('spawns_child.py', { sandbox: 'none' });
    const [a, b] = await w.call([call(x23), call(x23)]);
    const pid = Number(expectKind(a, 'ok').captured.trim());
    expect(pid).toBeGreaterThan(0);
    expectKind(b, 'timeout');
    // SIGKILL is sent to the group when the worker's death is read; the kernel ends the child a moment later (on a
    // busy machine, after this line would run): wait for that, a bounded while.
    expect(await goneWithin(pid, 5000)).toBe(true);
  });

  test('an empty batch starts nothing', async () => {
    const w = await start('correct.py');
    expect(await w.call([])).toEqual([]);
  });
});

describe('memory layouts (harness/py/sc_layout.py)', () => {
  // [C-contiguous, F-contiguous, writeable, aligned, negative stride, zero stride, sum, first element in memory]
  const probe = async (layouts: (MemoryLayout | undefined)[], input: Tensor = fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6])) => {
    const w = await start('layout_probe.py');
    const out = await w.call(layouts.map((layout) => ({ input, args: layout ? { layout } : {} })));
    return out.map((o) => [...toNumbers(expectKind(o, 'ok').output)]);
  };

  test('the candidate gets the same values in the layout asked for', async () => {
    const [c, f, t, neg, strided, mis, ro, bc] = await probe([
      undefined,
      { kind: 'fortran' },
      { kind: 'transposed' },
      { kind: 'negative-stride', axis: 1 },
      { kind: 'strided', axis: 1 },
      { kind: 'misaligned' },
      { kind: 'readonly' },
    ]);
    expect(c).toEqual([1, 0, 1, 1, 0, 0, 21, 1]);
    expect(f).toEqual([0, 1, 1, 1, 0, 0, 21, 1]);
    expect(t).toEqual([0, 1, 1, 1, 0, 0, 21, 1]);
    expect(neg).toEqual([0, 0, 1, 1, 1, 0, 21, 1]); // ravel(order='K') undoes the negative stride
    expect(strided).toEqual([0, 0, 1, 1, 0, 0, 21, 1]);
    expect(mis.slice(2, 4)).toEqual([1, 0]);
    expect(mis[6]).toBe(21);
    expect(ro.slice(2, 3)).toEqual([0]);
    expect(ro[6]).toBe(21);
    expect(bc).toBeUndefined();
  });

  test('a broadcast view has a zero stride and is read-only; swapped axes of a 3-D array are not contiguous', async () => {
    const [bc] = await probe([{ kind: 'broadcast', axis: 0 }], fromNumbers('float64', [3, 2], [1, 2, 1, 2, 1, 2]));
    expect(bc).toEqual([0, 0, 0, 1, 0, 1, 9, 1]);
    const [sw] = await probe([{ kind: 'swapaxes', axes: [0, 1] }], fromNumbers('float64', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]));
    expect(sw.slice(0, 2)).toEqual([0, 0]);
    expect(sw[6]).toBe(36);
  });

  test('a write to a read-only input raises ValueError; a write through a strided view counts as mutation', async () => {
    const w = await start('mutates.py');
    const x = fromNumbers('float64', [2, 3], [1, 2, 3, 4, 5, 6]);
    const [ro, st] = await w.call([{ input: x, args: { layout: { kind: 'readonly' } } }, { input: x, args: { layout: { kind: 'strided', axis: 1 } } }]);
    const r = expectKind(ro, 'raised');
    expect(r.type).toBe('ValueError');
    expect(r.message).toMatch(/read-only/);
    const ok = expectKind(st, 'ok');
    expect(ok.mutated).toBe(true);
    // the input afterwards is the view's logical values, not the bigger buffer behind it
    expect(ok.inputAfter!.shape).toEqual([2, 3]);
    expect(bitwiseEqual(ok.inputAfter!, ok.output)).toBe(true);
  });
});
