// `audit FILE --watch` end to end: the real command on a temp copy of a broken candidate; the file is rewritten to a
// fixed one, the re-audit prints what changed (and only that), Ctrl-C ends it with the last audit's exit code and
// leaves nothing in its temp dir.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { BIN, cli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp.js';

const tmp = tempDirs('sc-watch-');

/** Resolves when `get()` matches `re`, rejects after `ms` with what was printed so far. */
async function waitFor(get: () => string, re: RegExp, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(get())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${re}; output so far:\n${get()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `audit --watch` on a temp copy of the broken candidate, its own TMPDIR (every temp folder it makes is in there). */
function startWatch(extra: string[], printed: boolean) {
  const dir = tmp();
  const workerTmp = tmp();
  const file = join(dir, 'cand.py');
  writeFileSync(file, readFileSync(projectPath('test', 'fixtures', 'broken', 'no_max_shift.py')));
  const child = spawn(process.execPath, [BIN, 'audit', `${file}:softmax`, '--contract', 'last', '--watch', ...extra], {
    env: { ...process.env, NO_COLOR: '1', TMPDIR: workerTmp },
    stdio: ['ignore', printed ? 'pipe' : 'ignore', printed ? 'pipe' : 'ignore'],
  });
  const w = { dir, workerTmp, file, child, out: '', exited: new Promise<number | null>((r) => child.on('exit', (code) => r(code))) };
  child.stdout?.on('data', (d) => (w.out += d));
  child.stderr?.on('data', (d) => (w.out += d));
  return w;
}

describe('audit --watch', () => {
  it('re-audits on save, prints only the change, and Ctrl-C exits with the last verdict leaving no temp folder', async () => {
    const w = startWatch(['--num-runs', '20', '--shrink-seconds', '1'], true);
    const { workerTmp, file, child, exited } = w;
    try {
      await waitFor(() => w.out, /watching .*cand\.py: every save re-audits \(seed 42\)/, 120_000);
      expect(w.out).toContain('DOES NOT CONFORM  softmax from');
      expect(w.out).toMatch(/✗ overflow \[last\]/);
      const before = w.out.length;

      writeFileSync(file, readFileSync(projectPath('implementations', 'numpy_stable.py')));
      await waitFor(() => w.out.slice(before), /now passes: infinity \[last\]/, 120_000);
      const change = w.out.slice(before);
      expect(change).toMatch(/cand\.py saved: re-audited\n {2}verdict: DOES NOT CONFORM → CONFORMS\n/);
      for (const family of ['overflow', 'underflow', 'shift-invariance', 'infinity']) expect(change).toContain(`✓ now passes: ${family} [last]`);
      // only the change: not the full report again
      expect(change).not.toContain('reproduce in Python');
      expect(change).not.toContain('contract inference');
      expect(change).not.toContain('✗');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0); // the last audit conforms
    expect(readdirSync(workerTmp)).toEqual([]);
  }, 300_000);

  it('a save during the first audit is not lost: it is audited when the first one ends', async () => {
    const w = startWatch(['--num-runs', '20', '--shrink-seconds', '1'], true);
    const { workerTmp, file, child, exited } = w;
    try {
      await waitFor(() => readdirSync(workerTmp).join(','), /./, 60_000); // the first audit is under way
      expect(w.out).not.toContain('watching');
      writeFileSync(file, readFileSync(projectPath('implementations', 'numpy_stable.py')));
      await waitFor(() => w.out, /watching /, 120_000);
      // whichever version the first audit read, the saved one is audited next, and conforms
      await waitFor(() => w.out, /saved: re-audited\n {2}(verdict: DOES NOT CONFORM → CONFORMS|no change: CONFORMS)\n/, 120_000);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 300_000);

  it('Ctrl-C during the first audit: exit 130 (no verdict yet), no temp folder and no worker process left', async () => {
    const w = startWatch(['--num-runs', '300'], false);
    const { dir, workerTmp, child, exited } = w;
    try {
      await waitFor(() => readdirSync(workerTmp).join(','), /./, 60_000); // the worker's folders exist: it has started
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(130);
    expect(readdirSync(workerTmp)).toEqual([]);
    const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    });
    expect(left).toEqual([]);
  }, 120_000);

  it('a module target has no file to watch: exit 2 and says so', async () => {
    const r = await cli(['audit', 'scipy.special:softmax', '--contract', 'last', '--watch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"scipy.special:softmax" names no file (a module target has nothing to watch)');
  });

  it('does not combine with --json (it prints changes as text): exit 2', async () => {
    const r = await cli(['audit', `${projectPath('implementations', 'numpy_stable.py')}:softmax`, '--contract', 'last', '--watch', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--watch prints what changed as text: it does not combine with --json or --reports');
  });
});
