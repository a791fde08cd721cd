// Progress in a CI log: with stderr a pipe, each line arrives when its event happens, not all at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';

it('run prints a line as each implementation starts and finishes, while it runs, with elapsed times', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-progress-'));
  try {
    const child = spawn(process.execPath, [BIN, 'run', '--only', 'numpy-stable,question-global-sum', '--parallel', '1', '--reporters', 'json', '--reports', dir], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const t0 = Date.now();
    const lines: { at: number; text: string }[] = [];
    let buf = '';
    child.stderr.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        lines.push({ at: Date.now() - t0, text: buf.slice(0, i) });
        buf = buf.slice(i + 1);
      }
    });
    child.stdout.resume();
    const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? -1)));
    const end = Date.now() - t0;
    expect(code).toBe(0);
    const texts = lines.map((l) => l.text);
    const at = (re: RegExp) => lines.find((l) => re.test(l.text));
    // manifest order: question-global-sum, then numpy-stable
    const start1 = at(/^\[ *[\d.]+ s\] starting question-global-sum$/);
    const done1 = at(/^\[ *[\d.]+ s\] 1\/2 question-global-sum: xfail in [\d.]+ m?s$/);
    const start2 = at(/starting numpy-stable$/);
    expect(start1, texts.join('\n')).toBeDefined();
    expect(done1, texts.join('\n')).toBeDefined();
    expect(start2, texts.join('\n')).toBeDefined();
    // each line came while the run was going on: the first well before the end, in the order things happened
    expect(start1!.at).toBeLessThan(done1!.at);
    expect(done1!.at).toBeLessThanOrEqual(start2!.at);
    expect(end - done1!.at).toBeGreaterThan(200);
    expect(texts.at(-1)).toMatch(/^done: 2\/2 implementations in [\d.]+ s$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
