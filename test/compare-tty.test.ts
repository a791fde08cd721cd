// `compare` on a real terminal (a pseudo-terminal from util-linux `script`) prints plain text; piped, Markdown;
// --markdown writes Markdown into the file either way.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleReport } from '../harness/report/fixtures.js';
import { BIN, cli } from './helpers/cli.js';

const exec = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-compare-tty-'));
  const base = sampleReport();
  const next = JSON.parse(JSON.stringify(base));
  next.implementations[0].checks[2].verdict = 'fail';
  next.implementations[0].checks[2].diagnosis = 'rows sum to 1.5 on [1, 2]';
  writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
  writeFileSync(join(dir, 'new.json'), JSON.stringify(next));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compare output', () => {
  it('is plain text on a terminal, and --markdown still writes Markdown', async () => {
    const md = join(dir, 'c.md');
    const cmd = `${process.execPath} ${BIN} compare ${join(dir, 'base.json')} ${join(dir, 'new.json')} --markdown ${md}; echo "exit=$?"`;
    const { stdout } = await exec('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, NO_COLOR: '1', TERM: 'xterm' } });
    const out = stdout.replace(/\r/g, '');
    expect(out).toMatch(/^REGRESSION {2}1 new failure/m);
    expect(out).toContain('numpy-stable · sum-to-one [last, ieee]: pass -> fail');
    expect(out).toContain('rows sum to 1.5 on [1, 2]');
    expect(out).not.toMatch(/<code>|\\\[|\*\*|^\|/m);
    expect(out).toContain('exit=1');
    expect(readFileSync(md, 'utf8')).toMatch(/^\*\*REGRESSION\*\*[\s\S]*<code>numpy-stable · sum-to-one \[last, ieee\]<\/code>/);
  });

  it('is Markdown when piped', async () => {
    const r = await cli(['compare', join(dir, 'base.json'), join(dir, 'new.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\*\*REGRESSION\*\*/);
    expect(r.stdout).toContain('rows sum to 1.5 on \\[1, 2\\]');
  });
});
