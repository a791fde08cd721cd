// Lives of a sandboxed Python runner (broker.py, "Lives"; harness/py/sc_zygote.py): a crash costs a fork of the
// sandbox's supervisor, not a new worker, and the next life must find what a fresh sandbox would show it: no process
// the last life left, nothing in the writable folders, the candidate's module loaded afresh. A candidate that kills or
// stops the supervisor gets a crash that says so, and the calls after it run in a fresh sandbox.
import { describe, expect, test } from 'vitest';
import { fromNumbers, makeTensor, toNumbers, type Tensor } from '../tensor/tensor.js';
import { expectKind, start } from '../../test/fixtures/candidates/helpers.js';
import { detectBwrap } from './sandbox.js';
import type { CallRequest } from './types.js';

const bwrap = await detectBwrap();
// CI installs bubblewrap (.ci/run): there, a missing one fails these tests instead of skipping them.
const RUN = !('reason' in bwrap) || process.env.CI === 'true';

/** lives.py: the first element picks what the call does. */
const mode = (m: number): CallRequest => ({ input: fromNumbers('float64', [3], [m, 1, 2]), args: {} });
const report = (t: Tensor) => {
  const [entries, others, parent, calls, segments] = [...toNumbers(t)];
  return { entries, others, parent, calls, segments };
};
const sandboxed = { sandbox: 'bwrap' as const, timeoutMs: 20_000 };

describe.skipIf(!RUN)(`a sandboxed runner's lives${RUN ? '' : ' (skipped: bubblewrap is not installed here)'}`, () => {
  test('a crash costs a fork of the same supervisor, and the next life finds the sandbox fresh', async () => {
    const w = await start('lives.py', sandboxed);
    expect(w.sandbox?.sandboxed).toBe(true);
    const [before, crash, after, again, last] = await w.call([mode(2), mode(1), mode(2), mode(2), mode(7)]);
    const first = report(expectKind(before, 'ok').output);
    // The life's parent is the supervisor, not the sandbox's init (pid 1): lives are forks.
    expect(first.parent).toBeGreaterThan(1);
    expect(first).toMatchObject({ entries: 0, others: 0, calls: 1, segments: 0 });
    const died = expectKind(crash, 'crash');
    expect(died.exitCode).toBe(3);
    expect(died.stderr).toContain('first life');
    // The first life left a file in each writable folder and a detached daemon: none of it reaches the next one.
    // Its module was loaded afresh (calls: 1), and its parent is the same supervisor (no new sandbox).
    expect(report(expectKind(after, 'ok').output)).toEqual({ entries: 0, others: 0, parent: first.parent, calls: 1, segments: 0 });
    expect(report(expectKind(again, 'ok').output).calls).toBe(2);
    expectKind(last, 'ok');
  });

  test('a life that leaves what the supervisor cannot remove (a System V segment) is followed by a fresh sandbox', async () => {
    const w = await start('lives.py', sandboxed);
    const [made, after] = await w.call([mode(6), mode(2)]);
    expect(expectKind(made, 'crash').exitCode).toBe(4);
    expect(report(expectKind(after, 'ok').output)).toMatchObject({ entries: 0, others: 0, calls: 1, segments: 0 });
  });

  test("each crash's stderr is its own life's", async () => {
    const w = await start('lives.py', sandboxed);
    const [one, two] = await w.call([mode(1), mode(3)]);
    expect(expectKind(one, 'crash').stderr).toContain('first life');
    const second = expectKind(two, 'crash');
    expect(second.signal).toBe('SIGSEGV');
    expect(second.stderr).toContain('second life');
    expect(second.stderr).not.toContain('first life');
  });

  test('a death during a large input (sent through the shared files) mixes no bytes into the next results', async () => {
    const w = await start('lives.py', sandboxed);
    const n = (9 * 1024 * 1024) / 8 + 3; // past the shared files' threshold (8 MiB)
    const big = (first: number, fill: number): CallRequest => {
      const v = new Float64Array(n).fill(fill);
      v[0] = first;
      v[n - 1] = fill + 1;
      return { input: makeTensor('float64', [n], v), args: {} };
    };
    // A large call that dies; a small one that dies while the frame of the large call after it is already on its
    // way (that frame is the old life's: ignored, and sent again); then large and small calls.
    const out = await w.call([big(3, 0.5), mode(1), big(7, 0.25), mode(2), big(8, -1)]);
    expect(out.map((o) => o.kind)).toEqual(['crash', 'crash', 'ok', 'ok', 'ok']);
    for (const [o, first, fill] of [[out[2], 7, 0.25], [out[4], 8, -1]] as const) {
      const y = toNumbers(expectKind(o, 'ok').output);
      const e = [first, fill, fill + 1].map((v) => Math.exp(v - Math.max(first, fill + 1)));
      const sum = e[0] + e[1] * (n - 2) + e[2];
      expect(y.length).toBe(n);
      expect(y[0]).toBeCloseTo(e[0] / sum, 12);
      expect(y[1]).toBeCloseTo(e[1] / sum, 12);
      expect(y[n - 1]).toBeCloseTo(e[2] / sum, 12);
    }
  });

  test("the next life's import is timed as a start, not as the next call", async () => {
    // Calls may take 1 s; the candidate takes 1.5 s to import: before each life, as before each fresh worker.
    const w = await start('slow_import_dies.py', { sandbox: 'bwrap', timeoutMs: 1000 });
    const [died, after] = await w.call([mode(1), mode(2)]);
    expect(expectKind(died, 'crash').exitCode).toBe(5);
    expectKind(after, 'ok');
  });

  test('a next life that cannot load is a worker that cannot be restarted: every call left says so', async () => {
    const w = await start('second_life_fails.py', sandboxed);
    const [died, lost1, lost2] = await w.call([mode(1), mode(2), mode(2)]);
    expect(expectKind(died, 'crash').exitCode).toBe(6);
    for (const o of [lost1, lost2]) expect(expectKind(o, 'crash').stderr).toMatch(/^the worker could not be restarted: .*RuntimeError: this file now fails to load/s);
  });

  test('stopAfterTrouble ends the batch at a death in a worker that lives on', async () => {
    const w = await start('lives.py', sandboxed);
    const out = await w.call([mode(1), mode(2)], { stopAfterTrouble: true });
    expect(out.map((o) => o.kind)).toEqual(['crash']);
    expect(report(expectKind((await w.call([mode(2)]))[0], 'ok').output).others).toBe(0);
  });

  test('a candidate that kills its supervisor gets a crash that says so; a fresh sandbox takes the calls after it', async () => {
    const w = await start('lives.py', sandboxed);
    const [killed, after] = await w.call([mode(4), mode(2)]);
    expect(expectKind(killed, 'crash').protocolError).toMatch(/the sandbox's supervisor did not say how \(the candidate's code may have killed or stopped it\)/);
    expect(report(expectKind(after, 'ok').output)).toMatchObject({ entries: 0, others: 0, calls: 1 });
  });

  test('a candidate that stops its supervisor likewise', async () => {
    const w = await start('lives.py', sandboxed);
    const [stopped, after] = await w.call([mode(5), mode(2)]);
    expect(expectKind(stopped, 'crash').protocolError).toMatch(/the sandbox's supervisor did not say how/);
    expect(report(expectKind(after, 'ok').output)).toMatchObject({ entries: 0, others: 0, calls: 1 });
  });

  test('unsandboxed, a crash still ends the worker (no supervisor: nothing would make the next life fresh)', async () => {
    const w = await start('lives.py', { sandbox: 'none', timeoutMs: 20_000 });
    const [before, crash, after] = await w.call([mode(2), mode(3), mode(2)]);
    expect(expectKind(crash, 'crash').signal).toBe('SIGSEGV');
    // A fresh broker and runner: the runner's parent is a new broker.
    expect(report(expectKind(after, 'ok').output).parent).not.toBe(report(expectKind(before, 'ok').output).parent);
  });
});
