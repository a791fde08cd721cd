import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderConsole, shouldColor } from './console.js';
import { makeImpl, makeReport, sampleReport } from './fixtures.js';
import { createProgress, createRunProgress } from './progress.js';

function sink(isTTY = false): Writable & { text: string; isTTY: boolean; columns: number } {
  const s = new Writable({ write(chunk, _enc, cb) { s.text += String(chunk); cb(); } }) as Writable & { text: string; isTTY: boolean; columns: number };
  s.text = '';
  s.isTTY = isTTY;
  s.columns = 100;
  return s;
}

describe('console summary', () => {
  it('gives the verdict, counts and one line per unexpected outcome, without colour when asked', () => {
    const out = renderConsole(sampleReport(), { color: false });
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^sandbox: /); // the trust level first (sandbox-line.test.ts)
    expect(lines[1]).toMatch(/^FAIL {2}softmax-conformance run: 4 implementations, 10 checks/);
    expect(lines[2]).toBe('  1 error, 1 fail, 1 xpass, 1 xfail, 1 skip, 5 pass');
    expect(lines.filter((l) => /^ {2}(fail|xpass|error) /.test(l))).toHaveLength(3);
    expect(out).not.toContain('\u001b'); // neither ours nor the candidate's escape sequence
  });

  it('colours on request', () => {
    expect(renderConsole(sampleReport(), { color: true })).toContain('\u001b[31m');
  });

  it('decides colour from TTY, NO_COLOR and TERM', () => {
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
    expect(shouldColor(undefined, {})).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '' })).toBe(true);
    expect(shouldColor(true, { TERM: 'dumb' })).toBe(false);
  });
});

describe('console: counts and skipped implementations', () => {
  it('says "1 implementation, 1 check", not "1 implementations"', () => {
    const one = makeReport({ implementations: [makeImpl({ id: 'a', checks: [{ name: 'values', family: 'values', contract: { rule: 'last', policy: 'ieee', claimed: true }, verdict: 'pass', diagnosis: 'ok', cases: { planned: 1, run: 1, passed: 1, failed: 0, rejected: 0, errors: 0 }, ms: 1 }] })] });
    expect(renderConsole(one, { color: false }).split('\n')[1]).toMatch(/: 1 implementation, 1 check in /);
  });

  it('lists skipped implementations and the commands that install what they need, each pasteable as is', () => {
    const skip = (id: string, module: string, cmd: string) => makeImpl({
      id, status: 'skipped', verdict: 'skip', installCommand: cmd,
      statusDetail: `skipped: not installed: module ${module} is missing; install it with \`${cmd}\``,
    });
    const report = makeReport({ implementations: [
      makeImpl({ id: 'numpy-stable' }),
      skip('tf-nn-softmax', 'tensorflow', 'python3 -m pip install tensorflow-cpu'),
      skip('jax-nn-softmax', 'jax', 'python3 -m pip install jax'),
      skip('tfjs-softmax', '@tensorflow/tfjs-core', 'npm ci'),
    ] });
    const out = renderConsole(report, { color: false });
    expect(out).toContain([
      'Skipped (3):',
      '  skip  tf-nn-softmax: not installed: module tensorflow is missing',
      '  skip  jax-nn-softmax: not installed: module jax is missing',
      '  skip  tfjs-softmax: not installed: module @tensorflow/tfjs-core is missing',
      'To run them, install what they need:',
      '  python3 -m pip install tensorflow-cpu jax',
      '  npm ci',
    ].join('\n'));
  });
});

describe('progress', () => {
  it('prints a plain line every 10% without a TTY', () => {
    const s = sink(false);
    let t = 0;
    const p = createProgress(50, { tty: false, stream: s, now: () => (t += 100) });
    for (let i = 0; i < 50; i++) p.tick(`case ${i}\u001b[2J`);
    p.done();
    p.done();
    const lines = s.text.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('progress: 10% (5/50) case 4');
    expect(lines[8]).toBe('progress: 90% (45/50) case 44');
    expect(lines[9]).toMatch(/^done: 50\/50 in /);
  });

  it('draws a bar on a TTY', () => {
    const s = sink(true);
    const p = createProgress(4, { tty: true, stream: s });
    for (let i = 0; i < 4; i++) p.tick('x');
    p.done();
    expect(s.text).toContain('100%');
    expect(s.text).toContain('4/4');
  });
});

describe('run progress in CI logs', () => {
  it('prints a line when each implementation starts and when it finishes, with elapsed times', () => {
    const s = sink(false);
    let t = 0;
    const p = createRunProgress({ tty: false, stream: s, now: () => t });
    p.start('tf-nn-softmax', ['tensorflow']);
    const first = s.text;
    t = 57_000;
    p.finish(1, 2, 'tf-nn-softmax', 'xfail');
    p.start('numpy-stable', []);
    t = 58_900;
    p.finish(2, 2, 'numpy-stable', 'pass');
    p.start('x', []);
    p.done();
    // the start line is written at once, before anything finishes
    expect(first).toBe('[   0.0 s] starting tensorflow (importing can take a minute) for tf-nn-softmax\n');
    expect(s.text.trim().split('\n')).toEqual([
      '[   0.0 s] starting tensorflow (importing can take a minute) for tf-nn-softmax',
      '[  57.0 s] 1/2 tf-nn-softmax: xfail in 57.0 s',
      '[  57.0 s] starting numpy-stable',
      '[  58.9 s] 2/2 numpy-stable: pass in 1.9 s',
      '[  58.9 s] starting x',
      'done: 2/2 implementations in 58.9 s',
    ]);
  });
});
