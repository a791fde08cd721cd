// The gate's exit codes, decided by the commands' actions, tested in this process (so mutation testing sees them):
// `run` (with and without --baseline), `compare`, `replay` and `audit`, each with what it ran mocked out.
// test/cli.test.ts runs the real binary end to end; here each branch of the exit logic gets its own case.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../model.js';
import { makeCheck, makeImpl, makeReport } from '../report/fixtures.js';
import { renderJson } from '../report/json.js';
import { registerRun } from './run-command.js';
import { registerCompare } from './compare-command.js';
import { registerReplay } from './replay-command.js';
import { registerAudit } from './audit-command.js';

const mocked = vi.hoisted(() => ({
  report: undefined as RunReport | undefined,
  replay: { output: '', stillFails: false },
  replayArgs: [] as unknown[],
}));
vi.mock('../runner/run.js', () => ({ runConformance: async () => mocked.report }));
vi.mock('../runner/replay.js', () => ({
  replayCase: async (...args: unknown[]) => {
    mocked.replayArgs = args;
    return mocked.replay;
  },
}));
vi.mock('../runner/audit-start.js', () => ({ startAudit: () => ({}) }));
vi.mock('../runner/audit.js', () => ({ runAudit: async () => mocked.report }));

/** A passing report, and the same with one more check that fails (a single new failure). */
function passing(): RunReport {
  return makeReport({ implementations: [makeImpl({ id: 'numpy-stable', checks: [makeCheck({ name: 'values' })] })] });
}
function oneNewFailure(): RunReport {
  const r = passing();
  r.verdict = 'fail';
  r.implementations[0].verdict = 'fail';
  r.implementations[0].checks.push(makeCheck({ name: 'overflow', family: 'overflow', verdict: 'fail', diagnosis: 'returns NaN above 709' }));
  return r;
}

let dir: string;
let out: string;
let err: string;
const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sc-exit-'));
  out = '';
  err = '';
  process.exitCode = undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
  // `run` listens for SIGINT/SIGTERM to write a partial report; drop the listeners each test added.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    for (const l of process.listeners(sig)) if (!signalListeners[sig].includes(l)) process.off(sig, l);
  }
});

function program(register: (p: Command) => void): Command {
  const p = new Command('softmax-conformance').exitOverride();
  p.option('--python <path>');
  register(p);
  return p;
}

async function cli(register: (p: Command) => void, args: string[]): Promise<number | undefined> {
  await program(register).parseAsync(['node', 'softmax-conformance', ...args]);
  return process.exitCode === undefined ? undefined : Number(process.exitCode);
}

function writeReport(name: string, r: RunReport): string {
  const file = join(dir, name);
  writeFileSync(file, renderJson(r));
  return file;
}

const runArgs = () => ['run', '--reports', join(dir, 'out'), '--reporters', 'json'];

describe('run', () => {
  it('exits 0 when the report passes, and writes it', async () => {
    mocked.report = passing();
    expect(await cli(registerRun, runArgs())).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')).verdict).toBe('pass');
    expect(out).toContain(`reports: ${join(dir, 'out', 'report.json')}`);
  });

  it('exits 1 when the report fails', async () => {
    mocked.report = oneNewFailure();
    expect(await cli(registerRun, runArgs())).toBe(1);
  });

  it('exits 130 (at once) when the run was interrupted, and still writes the partial report', async () => {
    mocked.report = { ...passing(), verdict: 'incomplete' };
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    await expect(cli(registerRun, runArgs())).rejects.toThrow('exit 130');
    expect(exit).toHaveBeenCalledWith(130);
    expect(process.exitCode).toBe(130);
    expect(existsSync(join(dir, 'out', 'report.json'))).toBe(true);
  });

  it('rejects an unknown reporter as bad usage, naming it', async () => {
    mocked.report = passing();
    await expect(cli(registerRun, ['run', '--reports', dir, '--reporters', 'json,pdf'])).rejects.toThrow(/^unknown reporter pdf; choose from json, markdown, html, junit$/);
  });

  describe('--baseline', () => {
    it('exits 1 on a single new failure against the baseline, even though the run itself would fail anyway', async () => {
      const base = writeReport('base.json', passing());
      mocked.report = oneNewFailure();
      expect(await cli(registerRun, [...runArgs(), '--baseline', base])).toBe(1);
      const md = readFileSync(join(dir, 'out', 'comparison.md'), 'utf8');
      expect(md).toMatch(/^\*\*REGRESSION\*\* · 1 new failure/);
      expect(md).toContain('numpy-stable · overflow');
      expect(out).toContain(md);
    });

    it('exits 1 on a new failure even when the run\'s own verdict passes (the baseline fails the gate alone)', async () => {
      // An xfail in the baseline that the new report has as error (its verdict not recomputed here): only the
      // comparison can see it.
      const base = passing();
      base.implementations[0].checks.push(makeCheck({ name: 'axis', family: 'axis', verdict: 'xfail', expectation: 'sums everything' }));
      const next = passing();
      next.implementations[0].checks.push(makeCheck({ name: 'axis', family: 'axis', verdict: 'error', diagnosis: 'worker died' }));
      mocked.report = next;
      expect(await cli(registerRun, [...runArgs(), '--baseline', writeReport('base.json', base)])).toBe(1);
    });

    it('exits 0 when nothing changed against the baseline', async () => {
      mocked.report = passing();
      expect(await cli(registerRun, [...runArgs(), '--baseline', writeReport('base.json', passing())])).toBe(0);
      expect(readFileSync(join(dir, 'out', 'comparison.md'), 'utf8')).toMatch(/^\*\*NO REGRESSION\*\* · 0 new failures/);
    });

    it('keeps exit 1 of a failing run when the baseline has the same failure', async () => {
      mocked.report = oneNewFailure();
      expect(await cli(registerRun, [...runArgs(), '--baseline', writeReport('base.json', oneNewFailure())])).toBe(1);
    });

    it('exits with the run\'s own verdict, saying so, when the baseline file is missing', async () => {
      mocked.report = passing();
      const missing = join(dir, 'nope.json');
      expect(await cli(registerRun, [...runArgs(), '--baseline', missing])).toBe(0);
      expect(err).toBe(`baseline ${missing} not found: nothing to compare with (write one with \`cp reports/report.json ${missing}\`)\n`);
      expect(existsSync(join(dir, 'out', 'comparison.md'))).toBe(false);
    });
  });
});

describe('compare', () => {
  it('exits 1 on a single new failure and prints the comparison', async () => {
    const code = await cli(registerCompare, ['compare', writeReport('a.json', passing()), writeReport('b.json', oneNewFailure())]);
    expect(code).toBe(1);
    expect(out).toMatch(/^\*\*REGRESSION\*\* · 1 new failure/);
  });

  it('exits 0 when nothing got worse, and writes the Markdown and HTML it was asked for', async () => {
    const md = join(dir, 'c.md');
    const html = join(dir, 'c.html');
    const code = await cli(registerCompare, ['compare', writeReport('a.json', oneNewFailure()), writeReport('b.json', passing()), '--markdown', md, '--html', html]);
    expect(code).toBe(0);
    expect(readFileSync(md, 'utf8')).toBe(out.slice(0, -1));
    expect(readFileSync(md, 'utf8')).toContain('numpy-stable · overflow');
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  });
});

describe('replay', () => {
  it('exits 1 when the counterexample still fails, 0 when it no longer does, and prints the outcome', async () => {
    const report = writeReport('r.json', oneNewFailure());
    mocked.replay = { output: 'still NaN\n', stillFails: true };
    expect(await cli(registerReplay, ['--python', '/opt/py', 'replay', report, 'generated/1/2', '--implementation', 'numpy-stable'])).toBe(1);
    expect(out).toBe('still NaN\n');
    expect(mocked.replayArgs.slice(1)).toEqual(['generated/1/2', { implementation: 'numpy-stable', python: '/opt/py' }]);
    mocked.replay = { output: 'fixed\n', stillFails: false };
    expect(await cli(registerReplay, ['replay', report, 'generated/1/2'])).toBe(0);
  });
});

describe('audit', () => {
  it('exits 0 when the candidate conforms and 1 when it does not', async () => {
    mocked.report = passing();
    expect(await cli(registerAudit, ['audit', 'x.py:softmax', '--contract', 'last'])).toBe(0);
    expect(out).toMatch(/^CONFORMS {2}numpy-stable/);
    mocked.report = oneNewFailure();
    out = '';
    expect(await cli(registerAudit, ['audit', 'x.py:softmax', '--contract', 'last', '--json'])).toBe(1);
    expect(JSON.parse(out).verdict).toBe('fail');
  });

  it('rejects an unknown call style and dtype as bad usage, naming them', async () => {
    await expect(cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--call', 'y'])).rejects.toThrow('--call must be one of x, x-axis, x-theta-axis, got "y"');
    await expect(cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--dtype', 'float64,bool'])).rejects.toThrow('--dtype: unknown dtype "bool"');
  });
});
