// The gate's exit codes, decided by the commands' actions, tested in this process (so mutation testing sees them):
// `run` (with and without --baseline), `compare`, `replay` and `audit`, each with what it ran mocked out; and what
// `run` and `audit` hand to the runner (defaults, units), since a wrong budget or seed changes every verdict.
// test/cli.test.ts runs the real binary end to end; here each branch of the exit logic gets its own case.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataError, UsageError } from '../errors.js';
import type { RunReport } from '../model.js';
import { projectPath } from '../paths.js';
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
  runOptions: undefined as Record<string, unknown> | undefined,
  auditOptions: undefined as Record<string, unknown> | undefined,
  /** what the mocked run does while it runs (e.g. report progress, receive a signal) */
  during: undefined as ((opts: Record<string, unknown>) => void) | undefined,
}));
vi.mock('../runner/run.js', () => ({
  runConformance: async (opts: Record<string, unknown>) => {
    mocked.runOptions = opts;
    mocked.during?.(opts);
    return mocked.report;
  },
}));
vi.mock('../runner/replay.js', () => ({
  replayCase: async (...args: unknown[]) => {
    mocked.replayArgs = args;
    return mocked.replay;
  },
}));
vi.mock('../runner/audit-start.js', () => ({ startAudit: () => ({}) }));
vi.mock('../runner/audit.js', () => ({
  runAudit: async (opts: Record<string, unknown>) => {
    mocked.auditOptions = opts;
    mocked.during?.(opts);
    return mocked.report;
  },
}));

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
  mocked.during = undefined;
  delete process.env.NO_COLOR;
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

  it('--require-all: a row skipped for a missing library makes a passing run exit 2, naming it; a failure stays 1', async () => {
    const withSkip = (r: RunReport): RunReport => ({ ...r, implementations: [...r.implementations, makeImpl({ id: 'tf-nn-softmax', status: 'skipped', statusDetail: 'skipped: not installed: module tensorflow is missing', verdict: 'skip', checks: [] })] });
    mocked.report = withSkip(passing());
    expect(await cli(registerRun, runArgs())).toBe(0); // without the option a skipped row is reported, not fatal
    process.exitCode = undefined;
    err = '';
    expect(await cli(registerRun, [...runArgs(), '--require-all'])).toBe(2);
    expect(err).toContain('softmax-conformance: --require-all: 1 row did not run:\n  tf-nn-softmax: skipped: not installed: module tensorflow is missing\n');
    process.exitCode = undefined;
    mocked.report = withSkip(oneNewFailure());
    expect(await cli(registerRun, [...runArgs(), '--require-all'])).toBe(1);
    process.exitCode = undefined;
    err = '';
    mocked.report = passing();
    expect(await cli(registerRun, [...runArgs(), '--require-all'])).toBe(0);
    expect(err).not.toContain('--require-all');
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

    it('exits 2 before running anything when the baseline file is missing (a typo in a gate\'s path is not a pass)', async () => {
      mocked.report = passing();
      mocked.runOptions = undefined;
      const missing = join(dir, 'nope.json');
      const reports = join(dir, 'out');
      await expect(cli(registerRun, [...runArgs(), '--baseline', missing])).rejects.toThrow(
        new UsageError(`--baseline ${missing}: no such file, so there is nothing to compare with; nothing was run. For a first run, leave --baseline out, then keep its report: \`cp ${join(reports, 'report.json')} ${missing}\``),
      );
      expect(mocked.runOptions).toBeUndefined();
      expect(existsSync(reports)).toBe(false);
    });

    it('exits 2 before running anything when the baseline was judged under another profile or policy, or is incomplete', async () => {
      mocked.report = passing();
      mocked.runOptions = undefined;
      const base = writeReport('base.json', passing());
      await expect(cli(registerRun, [...runArgs(), '--profile', 'loose', '--baseline', base])).rejects.toThrow(
        new UsageError(`--baseline ${base}: the reports were judged against different standards (tolerance profile strict -> loose), so a changed verdict may be the standard's, not the code's: compare reports of the same profile and policy, or refresh the baseline under the new one; nothing was run`),
      );
      await expect(cli(registerRun, [...runArgs(), '--policy', 'limit', '--baseline', base])).rejects.toThrow(/special-value policy ieee -> limit/);
      const cut = writeReport('cut.json', { ...passing(), verdict: 'incomplete' });
      await expect(cli(registerRun, [...runArgs(), '--baseline', cut])).rejects.toThrow(`--baseline ${cut}: it is the report of an interrupted run, no verdict to compare with; keep the report of a run that finished; nothing was run`);
      const none = writeReport('none.json', { ...passing(), verdict: 'error', verdictReason: 'nothing was judged: an empty shard' });
      await expect(cli(registerRun, [...runArgs(), '--baseline', none])).rejects.toThrow(`--baseline ${none}: it is the report of a run that could not judge (nothing was judged: an empty shard), no verdict to compare with; nothing was run`);
      const audit = writeReport('audit.json', { ...passing(), kind: 'audit' });
      await expect(cli(registerRun, [...runArgs(), '--baseline', audit])).rejects.toThrow(`--baseline ${audit}: it is the report of an audit, not of a run; nothing was run`);
      expect(mocked.runOptions).toBeUndefined();
    });

    it('exits 2 before running anything when the baseline breaks the report schema, naming the file and pointer', async () => {
      mocked.report = passing();
      mocked.runOptions = undefined;
      const broken = passing() as unknown as Record<string, unknown>;
      delete broken.verdict;
      const file = join(dir, 'broken.json');
      writeFileSync(file, JSON.stringify(broken));
      const e = await cli(registerRun, [...runArgs(), '--baseline', file]).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).file).toBe(file);
      expect((e as DataError).problem).toMatch(/verdict/);
      expect(mocked.runOptions).toBeUndefined();
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
    const fixed = oneNewFailure();
    fixed.verdict = 'pass';
    fixed.implementations[0].verdict = 'pass';
    fixed.implementations[0].checks[1] = { ...fixed.implementations[0].checks[1], verdict: 'pass', diagnosis: 'conforms on 100 of 100 cases' };
    const code = await cli(registerCompare, ['compare', writeReport('a.json', oneNewFailure()), writeReport('b.json', fixed), '--markdown', md, '--html', html]);
    expect(code).toBe(0);
    expect(readFileSync(md, 'utf8')).toBe(out.slice(0, -1));
    expect(readFileSync(md, 'utf8')).toContain('numpy-stable · overflow');
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('exits 2, with the comparison printed, when the reports were judged under different profiles', async () => {
    const loose = passing();
    loose.settings = { ...loose.settings, profile: 'loose' };
    const code = await cli(registerCompare, ['compare', writeReport('a.json', oneNewFailure()), writeReport('b.json', loose)]);
    expect(code).toBe(2);
    expect(out).toMatch(/^\*\*NOT COMPARABLE\*\* · the reports were judged against different standards \(tolerance profile strict -> loose\)/);
  });

  it('exits 1 when the new report lost a check the base judged (it failed there: dropping it is not fixing it)', async () => {
    const code = await cli(registerCompare, ['compare', writeReport('a.json', oneNewFailure()), writeReport('b.json', passing())]);
    expect(code).toBe(1);
    expect(out).toMatch(/^\*\*REGRESSION\*\* · 0 new failures · 1 lost \(judged in the base, not here\)/);
    expect(out).toContain('### Evidence lost (1)');
    expect(out).toContain('- <code>numpy-stable · overflow [last, ieee]</code>');
  });
});

describe('replay', () => {
  it('exits 1 when the counterexample still fails, 0 when it no longer does, and prints the outcome', async () => {
    const report = writeReport('r.json', oneNewFailure());
    mocked.replay = { output: 'still NaN\n', stillFails: true };
    expect(await cli(registerReplay, ['--python', '/opt/py', 'replay', report, 'generated/1/2', '--implementation', 'numpy-stable'])).toBe(1);
    expect(out).toBe('still NaN\n');
    expect(mocked.replayArgs.slice(1)).toEqual(['generated/1/2', { implementation: 'numpy-stable', python: '/opt/py', sandbox: 'auto' }]);
    mocked.replay = { output: 'fixed\n', stillFails: false };
    expect(await cli(registerReplay, ['replay', report, 'generated/1/2'])).toBe(0);
  });

  it('runs the candidate in the sandbox asked for, as audit does: --sandbox, --require-sandbox (bwrap or exit 2)', async () => {
    const report = writeReport('r.json', oneNewFailure());
    mocked.replay = { output: 'fixed\n', stillFails: false };
    for (const [flags, mode] of [[['--sandbox', 'none'], 'none'], [['--sandbox', 'bwrap'], 'bwrap'], [['--require-sandbox'], 'bwrap']] as const) {
      await cli(registerReplay, ['replay', report, 'generated/1/2', ...flags]);
      expect((mocked.replayArgs[2] as { sandbox: string }).sandbox).toBe(mode);
    }
    mocked.replayArgs = [];
    await expect(cli(registerReplay, ['replay', report, 'generated/1/2', '--require-sandbox', '--sandbox', 'none'])).rejects.toThrow('--require-sandbox contradicts --sandbox none');
    await expect(cli(registerReplay, ['replay', report, 'generated/1/2', '--sandbox', 'chroot'])).rejects.toThrow(/^--sandbox must be one of auto, bwrap, none/);
    expect(mocked.replayArgs).toEqual([]); // nothing ran
  });
});

describe('audit', () => {
  it('exits 0 when the candidate conforms and 1 when it does not', async () => {
    mocked.report = passing();
    expect(await cli(registerAudit, ['audit', 'x.py:softmax', '--contract', 'last'])).toBe(0);
    expect(out).toMatch(/^sandbox: .*\nCONFORMS {2}numpy-stable/);
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

describe('what run hands to the runner and writes', () => {
  it('passes the defaults, in the runner\'s units (budget in ms), and the global --python', async () => {
    mocked.report = passing();
    await cli(registerRun, ['--python', '/opt/py', ...runArgs()]);
    expect(mocked.runOptions).toMatchObject({
      profile: 'strict', policy: 'ieee', seed: 20161127, numRuns: 60, only: undefined, shard: undefined, python: '/opt/py',
      timeoutMs: 10_000, budgetMs: 120_000, startTimeoutMs: 180_000, memoryMb: 4096, strictDomain: false, parallel: availableParallelism(),
    });
    expect(String(mocked.runOptions!.manifest)).toMatch(/implementations\/manifest\.json$/);
  });

  it('passes what was asked for', async () => {
    mocked.report = passing();
    await cli(registerRun, [...runArgs(), '--profile', 'loose', '--policy', 'masked', '--seed', '7', '--num-runs', '5', '--only', 'a,b',
      '--shard', '2/3', '--timeout', '250', '--budget', '3', '--start-timeout', '900', '--memory', '128', '--parallel', '1', '--strict-domain']);
    expect(mocked.runOptions).toMatchObject({
      profile: 'loose', policy: 'masked', seed: 7, numRuns: 5, only: ['a', 'b'], shard: { index: 2, count: 3 },
      timeoutMs: 250, budgetMs: 3000, startTimeoutMs: 900, memoryMb: 128, parallel: 1, strictDomain: true,
    });
  });

  it('makes the reports folder with its parents, lists what it wrote, and compares with nothing unless asked', async () => {
    mocked.report = passing();
    const deep = join(dir, 'a', 'b');
    expect(await cli(registerRun, ['run', '--reports', deep, '--reporters', 'json,markdown'])).toBe(0);
    expect(out).toContain(`\nreports: ${join(deep, 'report.json')}, ${join(deep, 'summary.md')}\n`);
    expect(existsSync(join(deep, 'comparison.md'))).toBe(false);
    expect(err).not.toMatch(/baseline/);
  });

  it('reports progress per implementation on stderr', async () => {
    mocked.report = passing();
    mocked.during = (opts) => {
      const on = opts.onImplementation as (done: number, total: number, id: string, r: { verdict: string; status: string }) => void;
      on(1, 2, 'numpy-stable', { verdict: 'pass', status: 'ran' });
      on(2, 2, 'naive', { verdict: 'xfail', status: 'ran' });
    };
    await cli(registerRun, runArgs());
    // Piped: one line per finished implementation, as it happens (harness/cli/progress.ts).
    expect(err).toMatch(/1\/2 numpy-stable/);
    expect(err).toMatch(/2\/2 naive/);
  });

  it('colours the console summary on a terminal, unless NO_COLOR is set', async () => {
    mocked.report = oneNewFailure();
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    try {
      await cli(registerRun, runArgs());
      expect(out).toContain('\u001b[');
      out = '';
      process.env.NO_COLOR = '1';
      await cli(registerRun, runArgs());
      expect(out).not.toContain('\u001b[');
    } finally {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
    out = '';
    delete process.env.NO_COLOR;
    await cli(registerRun, runArgs());
    expect(out).not.toContain('\u001b[');
  });

  it('on SIGINT or SIGTERM aborts the run and says so; a second signal exits 130 at once', async () => {
    mocked.report = passing();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const aborted: boolean[] = [];
    mocked.during = (opts) => {
      const signal = opts.signal as AbortSignal;
      aborted.push(signal.aborted);
      process.emit('SIGTERM', 'SIGTERM');
      aborted.push(signal.aborted);
      expect(exit).not.toHaveBeenCalled();
      process.emit('SIGINT', 'SIGINT');
    };
    await cli(registerRun, runArgs());
    expect(aborted).toEqual([false, true]);
    expect(err).toContain('\nSIGTERM: stopping; writing a partial report marked incomplete (again to quit at once)\n');
    expect(exit).toHaveBeenCalledWith(130);
  });
});

describe('what audit hands to the runner', () => {
  it('passes the defaults, in the runner\'s units, and what was asked for', async () => {
    mocked.report = passing();
    await cli(registerAudit, ['audit', 'x.py:softmax', '--contract', 'first']);
    expect(mocked.auditOptions).toMatchObject({
      target: 'x.py:softmax', contract: 'first', call: undefined, alsoLast: false, numRuns: 300, seed: 42, dtypes: undefined,
      profile: 'strict', policy: 'ieee', strictDomain: false, timeoutMs: 10_000, budgetMs: 120_000, memoryMb: 4096, shrinkSeconds: 10,
    });
    await cli(registerAudit, ['--python', '/opt/py', 'audit', 'x.py:softmax', '--contract', 'axis-arg', '--call', 'x-theta-axis', '--also-last',
      '--num-runs', '9', '--seed', '3', '--dtype', 'float32,int64', '--profile', 'exact', '--policy', 'limit', '--strict-domain',
      '--timeout', '500', '--budget', '7', '--memory', '256', '--shrink-seconds', '2']);
    expect(mocked.auditOptions).toMatchObject({
      contract: 'axis-arg', call: 'x-theta-axis', alsoLast: true, numRuns: 9, seed: 3, dtypes: ['float32', 'int64'], profile: 'exact',
      policy: 'limit', strictDomain: true, timeoutMs: 500, budgetMs: 7000, memoryMb: 256, python: '/opt/py', shrinkSeconds: 2,
    });
    for (const call of ['x', 'x-axis']) {
      await cli(registerAudit, ['audit', 'x.py:softmax', '--contract', 'last', '--call', call]);
      expect(mocked.auditOptions!.call).toBe(call);
    }
    expect(mocked.auditOptions!.pythonPath).toEqual([]);
    await cli(registerAudit, ['audit', 'scipy.special:softmax', '--contract', 'last', '--python-path', 'lib', '--python-path', '/opt/more']);
    expect(mocked.auditOptions).toMatchObject({ target: 'scipy.special:softmax', pythonPath: ['lib', '/opt/more'] });
  });

  it('reports progress in cases on stderr, and none with --json', async () => {
    mocked.report = passing();
    mocked.during = (opts) => (opts.onProgress as (d: number, t: number) => void)(1, 2);
    await cli(registerAudit, ['audit', 'x.py:softmax', '--contract', 'last']);
    expect(err).toMatch(/^progress: 50% \(1\/2\) cases\n/);
  });
});

describe('option values and defaults', () => {
  it.each([
    ['run', ['--seed', 'x'], '--seed must be an integer >= 0, got "x"'],
    ['run', ['--num-runs', '-1'], '--num-runs must be an integer >= 0, got "-1"'],
    ['run', ['--timeout', '0'], '--timeout must be an integer >= 1, got "0"'],
    ['run', ['--budget', '0'], '--budget must be an integer >= 1, got "0"'],
    ['run', ['--start-timeout', '0'], '--start-timeout must be an integer >= 1, got "0"'],
    ['run', ['--memory', '63'], '--memory must be an integer >= 64, got "63"'],
    ['run', ['--parallel', '0'], '--parallel must be an integer >= 1, got "0"'],
    ['audit', ['--seed', 'x'], '--seed must be an integer >= 0, got "x"'],
    ['audit', ['--num-runs', '1.5'], '--num-runs must be an integer >= 0, got "1.5"'],
    ['audit', ['--timeout', '0'], '--timeout must be an integer >= 1, got "0"'],
    ['audit', ['--budget', '0'], '--budget must be an integer >= 1, got "0"'],
    ['audit', ['--memory', '1'], '--memory must be an integer >= 64, got "1"'],
    ['audit', ['--shrink-seconds', '0'], '--shrink-seconds must be an integer >= 1, got "0"'],
    // an empty list (an unset variable in a CI script) is not "every row" nor "no reports"
    ['run', ['--only', ''], '--only needs at least one comma-separated value, got ""'],
    ['run', ['--reporters', ' , '], '--reporters needs at least one comma-separated value, got " , "'],
    ['audit', ['--reporters', ''], '--reporters needs at least one comma-separated value, got ""'],
    ['audit', ['--dtype', ','], '--dtype needs at least one comma-separated value, got ","'],
  ])('%s %j is bad usage: %s', async (command, args, message) => {
    mocked.report = passing();
    const argv = command === 'run' ? [...runArgs(), ...args] : ['audit', 'x.py:f', '--contract', 'last', ...args];
    await expect(cli(command === 'run' ? registerRun : registerAudit, argv)).rejects.toThrow(message);
  });

  it('names every unknown reporter', async () => {
    await expect(cli(registerRun, ['run', '--reports', dir, '--reporters', 'pdf,json,xml'])).rejects.toThrow(/^unknown reporter pdf, xml; choose from json, markdown, html, junit$/);
  });

  it('run writes every report by default, into reports/ of the project', async () => {
    mocked.report = passing();
    await cli(registerRun, ['run', '--reports', join(dir, 'all')]);
    expect(readdirSync(join(dir, 'all')).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    const run = program(registerRun).commands[0];
    expect(run.options.find((o) => o.long === '--reports')?.defaultValue).toBe(projectPath('reports'));
    expect(run.options.find((o) => o.long === '--manifest')?.defaultValue).toBe(projectPath('implementations', 'manifest.json'));
  });

  it('audit colours its verdict on a terminal, unless NO_COLOR is set', async () => {
    mocked.report = oneNewFailure();
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    try {
      await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last']);
      expect(out).toMatch(/\n\u001b\[31mDOES NOT CONFORM\u001b\[0m/);
      out = '';
      process.env.NO_COLOR = '1';
      await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last']);
      expect(out).toMatch(/\nDOES NOT CONFORM/);
    } finally {
      if (tty) Object.defineProperty(process.stdout, 'isTTY', tty);
      else delete (process.stdout as { isTTY?: boolean }).isTTY;
    }
  });
});

// Issue 19 (mutation scores): what the first Stryker run of the CLI left alive.
describe('what the commands accept, and what they print around the report', () => {
  it('each command\'s usage names its positional arguments', () => {
    const usage = (register: (p: Command) => void) => program(register).commands[0].usage();
    expect(usage(registerCompare)).toBe('[options] <base> <new>');
    expect(usage(registerReplay)).toBe('[options] <report> <case>');
    expect(usage(registerAudit)).toBe('[options] <target>');
  });

  it('--max-elements errors name the option, in run and audit', async () => {
    await expect(cli(registerRun, [...runArgs(), '--max-elements', '0'])).rejects.toThrow('--max-elements must be an integer >= 1, got "0"');
    await expect(cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--max-elements', '0'])).rejects.toThrow('--max-elements must be an integer >= 1, got "0"');
  });

  it('the sandbox defaults to auto, and --require-sandbox to off (run and audit)', async () => {
    mocked.report = passing();
    await cli(registerRun, runArgs());
    expect(mocked.runOptions!.sandbox).toBe('auto');
    await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last']);
    expect(mocked.auditOptions!.sandbox).toBe('auto');
    await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--require-sandbox']);
    expect(mocked.auditOptions!.sandbox).toBe('bwrap');
  });

  it('audit refuses an unknown reporter, --js-input form and --op, naming them; takes every known form', async () => {
    mocked.report = passing();
    const audit = (...more: string[]) => cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', ...more]);
    await expect(audit('--reporters', 'pdf,json,xml')).rejects.toThrow(/^unknown reporter pdf, xml; choose from json, markdown, html, junit$/);
    await expect(audit('--js-input', 'list')).rejects.toThrow('--js-input must be one of auto, tensor, array, typed, typed-shape, tfjs, got "list"');
    await expect(audit('--op', 'exp')).rejects.toThrow('--op must be one of softmax, log-softmax, logsumexp, got "exp"');
    for (const form of ['auto', 'tensor', 'array', 'typed', 'typed-shape', 'tfjs']) {
      await audit('--js-input', form);
      expect(mocked.auditOptions!.convention).toBe(form);
    }
    await audit('--op', 'log-softmax');
    expect(mocked.auditOptions!.op).toBe('log-softmax');
  });

  it('audit --reports writes run\'s reports and lists them after the text report; nothing listed without it', async () => {
    mocked.report = passing();
    await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--reports', join(dir, 'rep'), '--reporters', 'json,markdown']);
    expect(readdirSync(join(dir, 'rep')).sort()).toEqual(['report.json', 'summary.md']);
    expect(out).toMatch(new RegExp(`\\nreports: ${join(dir, 'rep', 'report.json')}, ${join(dir, 'rep', 'summary.md')}\\n$`));
    out = '';
    await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--reports', join(dir, 'all')]);
    expect(readdirSync(join(dir, 'all')).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    out = '';
    await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last']);
    expect(out).not.toContain('reports:');
  });

  it('audit --json says why it could not judge on stderr (the text report says it itself)', async () => {
    const r = passing();
    r.verdict = 'error';
    r.verdictReason = 'the candidate did not load';
    mocked.report = r;
    expect(await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last', '--json'])).toBe(2);
    expect(err).toContain('softmax-conformance: could not judge: the candidate did not load\n');
    err = '';
    expect(await cli(registerAudit, ['audit', 'x.py:f', '--contract', 'last'])).toBe(2);
    expect(err).not.toContain('could not judge');
  });

  it('run reports each implementation as it starts, and why one was skipped', async () => {
    mocked.report = passing();
    mocked.during = (opts) => {
      (opts.onImplementationStart as (id: string, requires: string[]) => void)('numpy-stable', []);
      const on = opts.onImplementation as (done: number, total: number, id: string, r: { verdict: string; status: string; statusDetail?: string }) => void;
      on(1, 3, 'numpy-stable', { verdict: 'pass', status: 'ran', statusDetail: 'ignored' });
      on(2, 3, 'tf', { verdict: 'skip', status: 'skipped', statusDetail: 'skipped: tensorflow is not installed' });
      on(3, 3, 'jax', { verdict: 'skip', status: 'skipped' });
    };
    await cli(registerRun, runArgs());
    expect(err).toMatch(/ starting numpy-stable\n/);
    expect(err).toMatch(/ 1\/3 numpy-stable: pass in [\d.]+ m?s\n/);
    expect(err).toMatch(/ 2\/3 tf: skip \(tensorflow is not installed\)\n/);
    expect(err).toMatch(/ 3\/3 jax: skip \(skipped\)\n/);
  });
});
