// compareReports as the review gate: every verdict change classified (a table of all 36 pairs), what counts as
// unchanged, drift's direction and order, settings that differ, and checks or implementations that come and go.
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport, Verdict } from '../model.js';
import { compareReports, comparisonExitCode, IMPLEMENTATION } from './compare.js';
import { makeCheck, makeImpl, makeReport, makeStats } from './fixtures.js';

const VERDICTS: Verdict[] = ['pass', 'fail', 'xfail', 'xpass', 'error', 'skip'];
// was (row) -> now (column): N a new failure (fails the gate), L evidence lost (judged, now skipped: fails the gate),
// F fixed, O another change, - the same verdict.
const TABLE: Record<Verdict, string> = {
  pass: '-NONNL',
  fail: 'F-FOOL',
  xfail: 'ON-NNL',
  xpass: 'FOF-OL',
  error: 'FOFO-O',
  skip: 'ONONN-',
};

const reportWith = (...checks: Partial<CheckResult>[]): RunReport =>
  makeReport({ implementations: [makeImpl({ id: 'impl', checks: checks.map((c, i) => makeCheck({ name: `c${i}`, ...c })) })] });

describe('compareReports: verdict changes', () => {
  for (const was of VERDICTS) {
    VERDICTS.forEach((now, j) => {
      const want = TABLE[was][j];
      it(`${was} -> ${now}: ${{ N: 'new failure', L: 'evidence lost', F: 'fixed', O: 'other change', '-': 'unchanged' }[want]}`, () => {
        const c = compareReports(reportWith({ verdict: was, diagnosis: 'd' }), reportWith({ verdict: now, diagnosis: 'd' }));
        const where = { N: c.newFailures, L: c.lost.checks, F: c.fixed, O: c.otherVerdictChanges, '-': [] }[want]!;
        expect([c.newFailures.length, c.lost.checks.length, c.fixed.length, c.otherVerdictChanges.length, c.unchanged]).toEqual([
          want === 'N' ? 1 : 0,
          want === 'L' ? 1 : 0,
          want === 'F' ? 1 : 0,
          want === 'O' ? 1 : 0,
          want === '-' ? 1 : 0,
        ]);
        if (want !== '-') expect(where[0]).toMatchObject({ ref: { implementation: 'impl', check: 'c0', rule: 'last', policy: 'ieee' }, before: { verdict: was }, after: { verdict: now } });
        expect(comparisonExitCode(c)).toBe(want === 'N' || want === 'L' ? 1 : 0);
      });
    });
  }

  it('a single new failure among unchanged checks is enough to fail the gate', () => {
    const base = reportWith({}, {}, {}, { verdict: 'xfail' });
    const next = reportWith({}, { verdict: 'fail', diagnosis: 'returns NaN' }, {}, { verdict: 'xfail' });
    const c = compareReports(base, next);
    expect(c.newFailures.map((x) => x.ref.check)).toEqual(['c1']);
    expect(c.unchanged).toBe(3);
    expect(comparisonExitCode(c)).toBe(1);
  });
});

describe('compareReports: diagnoses and drift', () => {
  it('a changed diagnosis is noted for a non-passing verdict only', () => {
    const c = compareReports(reportWith({ verdict: 'xfail', diagnosis: 'a' }, { diagnosis: 'a' }), reportWith({ verdict: 'xfail', diagnosis: 'b' }, { diagnosis: 'b' }));
    expect(c.changedDiagnoses.map((x) => [x.ref.check, x.before?.diagnosis, x.after?.diagnosis])).toEqual([['c0', 'a', 'b']]);
    expect(c.unchanged).toBe(1);
  });

  it('drift: direction, worst ratio first, only where both sides have statistics, and not counted as unchanged', () => {
    const base = reportWith({ stats: makeStats(4) }, { stats: makeStats(100) }, { stats: makeStats(2) }, {}, { stats: makeStats(3) });
    const next = reportWith({ stats: makeStats(40) }, { stats: makeStats(10) }, { stats: makeStats(64) }, { stats: makeStats(500) }, {});
    const c = compareReports(base, next);
    expect(c.drift.map((d) => [d.ref.check, d.fromUlp, d.toUlp, d.direction])).toEqual([
      ['c2', 2, 64, 'worse'],
      ['c0', 4, 40, 'worse'],
      ['c1', 100, 10, 'better'],
    ]);
    expect(c.drift[0]).toMatchObject({ before: { maxUlp: 2, verdict: 'pass' }, after: { maxUlp: 64, verdict: 'pass' } });
    expect(c.unchanged).toBe(2);
    expect(comparisonExitCode(c)).toBe(0);
  });

  it('ranks drift by its ratio, not by the new error (1 -> 3 before 1000 -> 2000)', () => {
    const c = compareReports(reportWith({ stats: makeStats(1000) }, { stats: makeStats(1) }), reportWith({ stats: makeStats(2000) }, { stats: makeStats(3) }));
    expect(c.drift.map((d) => d.ref.check)).toEqual(['c1', 'c0']);
  });

  it('ranks drift from zero by the new error (0 -> 40 before 0 -> 9), and notes a verdict change and drift on one check', () => {
    const c = compareReports(reportWith({ stats: makeStats(0) }, { stats: makeStats(0) }, { stats: makeStats(1) }), reportWith({ stats: makeStats(9) }, { stats: makeStats(40) }, { verdict: 'fail', stats: makeStats(30) }));
    expect(c.drift.map((d) => d.ref.check)).toEqual(['c1', 'c2', 'c0']);
    expect(c.newFailures.map((d) => d.ref.check)).toEqual(['c2']);
    expect(c.unchanged).toBe(0);
  });
});

describe('compareReports: settings, checks and implementations', () => {
  it('lists every setting that differs, with "-" for one that is absent', () => {
    const base = makeReport();
    const next = makeReport({
      tool: { name: 'softmax-conformance', version: '0.2.0' },
      settings: { ...base.settings, profile: 'loose', policy: 'limit', seed: 7, numRuns: 5, shard: '1/2' },
      environment: { node: base.environment.node, python: '3.12.0', platform: 'darwin arm64' },
    });
    expect(compareReports(base, next).settingsChanged).toEqual([
      { name: 'tool version', before: '0.1.0', after: '0.2.0' },
      { name: 'profile', before: 'strict', after: 'loose' },
      { name: 'policy', before: 'ieee', after: 'limit' },
      { name: 'seed', before: '42', after: '7' },
      { name: 'runs per property', before: '100', after: '5' },
      { name: 'shard', before: '-', after: '1/2' },
      { name: 'python', before: '3.11.2', after: '3.12.0' },
      { name: 'numpy', before: '1.26.4', after: '-' },
      { name: 'platform', before: 'linux x64', after: 'darwin arm64' },
    ]);
    expect(compareReports(base, makeReport()).settingsChanged).toEqual([]);
  });

  it('records both sides\' report info', () => {
    const c = compareReports(makeReport({ verdict: 'fail' }), makeReport({ createdAt: '2026-01-01T00:00:00.000Z' }));
    expect(c.base).toEqual({ version: '0.1.0', createdAt: '2025-01-02T03:04:05.000Z', verdict: 'fail', command: 'softmax-conformance run' });
    expect(c.next).toMatchObject({ createdAt: '2026-01-01T00:00:00.000Z', verdict: 'pass' });
  });

  it('keeps a check that a report repeats, rather than dropping one', () => {
    const twice = makeReport({ implementations: [makeImpl({ id: 'impl', checks: [makeCheck({ name: 'v' }), makeCheck({ name: 'v', verdict: 'fail' })] })] });
    const once = makeReport({ implementations: [makeImpl({ id: 'impl', checks: [makeCheck({ name: 'v' })] })] });
    const c = compareReports(once, twice);
    expect(c.newFailures.map((x) => x.key)).toEqual(['impl\u0000v\u0000last\u0000ieee\u0000#2']);
    const thrice = makeReport({ implementations: [makeImpl({ id: 'impl', checks: [makeCheck({ name: 'v' }), makeCheck({ name: 'v' }), makeCheck({ name: 'v' })] })] });
    expect(compareReports(once, thrice).checksAdded.map((x) => x.key.split('\u0000').slice(4))).toEqual([['#2'], ['#2', '#3']]);
    expect(c.checksAdded).toHaveLength(1);
    expect(c.unchanged).toBe(1);
  });

  it('compares an implementation without checks by its own verdict, under "(implementation)"', () => {
    const skipped = makeReport({ implementations: [makeImpl({ id: 'tf', status: 'skipped', verdict: 'skip' })] });
    const broken = makeReport({ implementations: [makeImpl({ id: 'tf', status: 'import-error', verdict: 'error', statusDetail: 'ImportError: tensorflow' })] });
    const c = compareReports(skipped, broken);
    expect(c.newFailures).toHaveLength(1);
    expect(c.newFailures[0]).toMatchObject({
      ref: { implementation: 'tf', check: IMPLEMENTATION, rule: '-', policy: '-', family: '-' },
      before: { verdict: 'skip', diagnosis: 'implementation skipped' },
      after: { verdict: 'error', diagnosis: 'ImportError: tensorflow' },
    });
    expect(IMPLEMENTATION).toBe('(implementation)');
  });

  it('a check removed from a remaining implementation is listed; one of a removed implementation is not', () => {
    const base = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v' }), makeCheck({ name: 'w' })] }), makeImpl({ id: 'b', checks: [makeCheck({ name: 'v' })] })] });
    const next = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v' })] })] });
    const c = compareReports(base, next);
    expect(c.checksRemoved.map((x) => `${x.ref.implementation}/${x.ref.check}`)).toEqual(['a/w']);
    expect(c.checksRemoved[0].before?.verdict).toBe('pass');
    expect(c.implementationsRemoved).toEqual(['b']);
    expect(c.lost).toEqual({ implementations: ['b'], checks: [c.checksRemoved[0]] });
    expect(comparisonExitCode(c)).toBe(1);
  });
});

describe('compareReports: evidence lost fails the gate, unless the new run did not select it or cannot run it here', () => {
  const impl = (id: string, ...names: string[]) => makeImpl({ id, checks: names.map((name) => makeCheck({ name })) });
  const base = makeReport({ implementations: [impl('a', 'v', 'w'), impl('b', 'v')] });
  const gate = (next: RunReport) => {
    const c = compareReports(base, next);
    return { implementations: c.lost.implementations, checks: c.lost.checks.map((x) => `${x.ref.implementation}/${x.ref.check}`), exit: comparisonExitCode(c) };
  };

  it('nothing lost: the same checks (whatever their verdicts do) pass the gate', () => {
    expect(gate(makeReport({ implementations: [impl('a', 'v', 'w'), impl('b', 'v')] }))).toEqual({ implementations: [], checks: [], exit: 0 });
  });

  it('a manifest row deleted (its failure would go with it) fails, and so does a claim or check dropped', () => {
    expect(gate(makeReport({ implementations: [impl('a', 'v', 'w')] }))).toEqual({ implementations: ['b'], checks: [], exit: 1 });
    expect(gate(makeReport({ implementations: [impl('a', 'v'), impl('b', 'v')] }))).toEqual({ implementations: [], checks: ['a/w'], exit: 1 });
  });

  it('a shard judges only its share: rows of other shards are not lost; a check dropped from its own rows still is', () => {
    const shard = (r: RunReport) => ({ ...r, settings: { ...r.settings, shard: '1/2' } });
    expect(gate(shard(makeReport({ implementations: [impl('a', 'v', 'w')] })))).toEqual({ implementations: [], checks: [], exit: 0 });
    expect(gate(shard(makeReport({ implementations: [impl('a', 'v')] })))).toEqual({ implementations: [], checks: ['a/w'], exit: 1 });
  });

  it('run --only judges the rows it names: the others are not lost', () => {
    const only = makeReport({ implementations: [impl('a', 'v', 'w')] });
    only.settings.only = ['a'];
    expect(gate(only)).toEqual({ implementations: [], checks: [], exit: 0 });
    only.settings.only = ['a', 'b']; // named, and gone: lost (run itself refuses an unknown id; a report may say so)
    expect(gate(only)).toEqual({ implementations: ['b'], checks: [], exit: 1 });
  });

  it('an implementation skipped here (its library is missing) loses its checks to its environment, not to the gate', () => {
    const skipped = makeReport({ implementations: [impl('a', 'v', 'w'), makeImpl({ id: 'b', status: 'skipped', verdict: 'skip', statusDetail: 'skipped: tensorflow is not installed', checks: [] })] });
    expect(gate(skipped)).toEqual({ implementations: [], checks: [], exit: 0 });
    // and the other way round: the "(implementation)" entry of one skipped in the base is no evidence to lose
    const c = compareReports(skipped, base);
    expect(c.checksRemoved.map((x) => x.ref.check)).toEqual([IMPLEMENTATION]);
    expect([c.lost.checks.length, comparisonExitCode(c)]).toEqual([0, 0]);
  });
});

describe('compareReports: reports judged against different standards give no gate verdict (exit 2)', () => {
  const base = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v', verdict: 'fail' })] })] });
  const under = (profile: string, policy: 'ieee' | 'limit' | 'masked', verdict: Verdict) => {
    const r = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v', verdict })] })] });
    r.settings = { ...r.settings, profile, policy };
    return r;
  };

  it('a looser profile that turns a failure into a pass is not a fix, nor a stricter one\'s failure a regression', () => {
    const c = compareReports(base, under('loose', base.settings.policy, 'pass'));
    expect(comparisonExitCode(c)).toBe(2);
    expect(c.incomparable).toBe(`the reports were judged against different standards (tolerance profile ${base.settings.profile} -> loose), so a changed verdict may be the standard's, not the code's: compare reports of the same profile and policy, or refresh the baseline under the new one`);
    expect(comparisonExitCode(compareReports(under('loose', 'ieee', 'pass'), under('exact', 'ieee', 'fail')))).toBe(2);
  });

  it('names each standard that differs (the policy too)', () => {
    const c = compareReports(under('strict', 'ieee', 'fail'), under('loose', 'masked', 'fail'));
    expect(c.incomparable).toMatch(/^the reports were judged against different standards \(tolerance profile strict -> loose, special-value policy ieee -> masked\)/);
  });

  it('seeds and run counts may differ: the standard is the same', () => {
    const next = under(base.settings.profile, base.settings.policy, 'fail');
    next.settings = { ...next.settings, seed: 99, numRuns: 7 };
    const c = compareReports(base, next);
    expect(c.incomparable).toBeUndefined();
    expect(comparisonExitCode(c)).toBe(0);
  });
});

describe('compareReports: an interrupted run\'s report is no verdict (exit 2)', () => {
  it('as the new report or as the base', () => {
    const whole = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v' })] })] });
    const cut = makeReport({ verdict: 'incomplete', implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v', verdict: 'skip' })] })] });
    const c = compareReports(whole, cut);
    expect(comparisonExitCode(c)).toBe(2);
    expect(c.incomparable).toBe('the new report is incomplete (an interrupted run, written as far as it got): no regression verdict can be drawn from it; run it again to the end');
    expect(compareReports(cut, whole).incomparable).toMatch(/^the base is incomplete/);
    expect(compareReports(cut, cut).incomparable).toMatch(/^the base and the new report are incomplete/);
    expect(compareReports(whole, whole).incomparable).toBeUndefined();
  });
});

describe('compareReports: a report that could not be judged (verdict error) is no verdict either (exit 2)', () => {
  it('as the base (no regression against nothing is no pass) or as the new report', () => {
    const judged = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v' })] })] });
    const nothing = makeReport({ verdict: 'error', verdictReason: 'nothing was judged: no implementation was selected', implementations: [] });
    const c = compareReports(nothing, judged);
    expect(comparisonExitCode(c)).toBe(2);
    expect(c.incomparable).toBe('the base could not be judged (nothing was judged: no implementation was selected): there is nothing to compare with; keep the report of a run that judged its rows');
    expect(compareReports(judged, nothing).incomparable).toBe('the new report could not be judged (nothing was judged: no implementation was selected): there is no verdict to compare');
    expect(comparisonExitCode(compareReports(judged, nothing))).toBe(2);
  });
});

describe('evidence lost, as people read it', () => {
  it('names what went and, for a check skipped now, its verdict before', async () => {
    const { lostLabels } = await import('./compare-render.js');
    const base = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v' }), makeCheck({ name: 'w', verdict: 'xfail' })] }), makeImpl({ id: 'b', checks: [makeCheck({ name: 'v' })] })] });
    const next = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'w', verdict: 'skip' })] })] });
    expect(lostLabels(compareReports(base, next))).toEqual(['b (implementation)', 'a · w [last, ieee] (xfail → skip)', 'a · v [last, ieee]']);
  });
});

describe('compareReports: a run\'s report and an audit\'s give no gate verdict (exit 2)', () => {
  it('says which is which', () => {
    const run = makeReport({ implementations: [makeImpl({ id: 'a', checks: [makeCheck({ name: 'v' })] })] });
    const audit = { ...run, kind: 'audit' as const };
    const c = compareReports(run, audit);
    expect(comparisonExitCode(c)).toBe(2);
    expect(c.incomparable).toBe('the base is the report of a run, the new one of an audit: compare reports of the same command');
    expect(compareReports(audit, run).incomparable).toBe('the base is the report of an audit, the new one of a run: compare reports of the same command');
    expect(compareReports(audit, audit).incomparable).toBeUndefined();
  });
});
