import { describe, expect, it } from 'vitest';
import type { CheckResult, Counterexample, RunReport } from '../model.js';
import { diffAudits, errorSnapshot, renderChanges, snapshotOf } from './watch-diff.js';

const cx = (caseId: string, data: (number | string)[], actual: (number | string)[]): Counterexample => ({
  caseId,
  input: { dtype: 'float64', shape: [data.length], data } as unknown as Counterexample['input'],
  args: {},
  actual: { dtype: 'float64', shape: [actual.length], data: actual } as unknown as Counterexample['input'],
});

function check(family: string, verdict: CheckResult['verdict'], counterexample?: Counterexample, rule = 'last'): CheckResult {
  return {
    name: family, family: family as CheckResult['family'], contract: { rule: rule as CheckResult['contract']['rule'], policy: 'ieee', claimed: true },
    verdict, diagnosis: `${family} diagnosis`, cases: { planned: 1, run: 1, passed: 0, failed: 0, rejected: 0, errors: 0 }, ms: 1,
    ...(counterexample ? { counterexample } : {}),
  };
}

function report(checks: CheckResult[], verdict: RunReport['verdict'] = checks.some((c) => c.verdict === 'fail') ? 'fail' : 'pass'): RunReport {
  return { verdict, implementations: [{ status: 'ran', checks }] } as unknown as RunReport;
}

const broken = report([check('values', 'pass'), check('overflow', 'fail', cx('adv/1', [1000, 5], ['nan', 0])), check('underflow', 'fail', cx('adv/2', [-1000, -1001], ['nan', 'nan']))]);

describe('diffAudits', () => {
  it('names the checks that newly pass and the verdict change when the candidate is fixed', () => {
    const a = snapshotOf(broken);
    const b = snapshotOf(report([check('values', 'pass'), check('overflow', 'pass'), check('underflow', 'pass')]));
    expect(diffAudits(a, a, b)).toEqual([
      { kind: 'verdict', from: 'fail', to: 'pass' },
      { kind: 'now-passes', label: 'overflow [last]' },
      { kind: 'now-passes', label: 'underflow [last]' },
    ]);
  });
  it('names a check that newly fails, with its diagnosis, and leaves unchanged failures out', () => {
    const a = snapshotOf(broken);
    const b = snapshotOf(report([check('values', 'fail', cx('gen/3', [1, 2], [0, 0])), check('overflow', 'fail', cx('adv/1', [1000, 5], ['nan', 0])), check('underflow', 'fail', cx('adv/2', [-1000, -1001], ['nan', 'nan']))]));
    expect(diffAudits(a, a, b)).toEqual([{ kind: 'now-fails', label: 'values [last]', diagnosis: 'values diagnosis' }]);
  });
  it('reports a failing check whose counterexample changed (another input, or another wrong output)', () => {
    const a = snapshotOf(broken);
    const b = snapshotOf(report([check('values', 'pass'), check('overflow', 'fail', cx('adv/1', [1000, 5], ['inf', 0])), check('underflow', 'fail', cx('adv/9', [-800], ['nan']))]));
    expect(diffAudits(a, a, b)).toEqual([
      { kind: 'counterexample', label: 'overflow [last]', caseId: 'adv/1', diagnosis: 'overflow diagnosis' },
      { kind: 'counterexample', label: 'underflow [last]', caseId: 'adv/9', diagnosis: 'underflow diagnosis' },
    ]);
  });
  it('a bare non-finite number is not taken for null (NaN and Infinity differ)', () => {
    const a = snapshotOf(report([check('overflow', 'fail', cx('c', [1], [NaN]))]));
    const b = snapshotOf(report([check('overflow', 'fail', cx('c', [1], [Infinity]))]));
    expect(diffAudits(a, a, b).map((c) => c.kind)).toEqual(['counterexample']);
  });
  it('the same audit again is no change', () => {
    const a = snapshotOf(broken);
    expect(diffAudits(a, a, snapshotOf(broken))).toEqual([]);
    expect(renderChanges([], snapshotOf(broken))).toEqual(['  no change: DOES NOT CONFORM (2 failing)']);
  });
  it('keys checks by contract too: the same family under another rule is another check', () => {
    const a = snapshotOf(report([check('values', 'fail', cx('c', [1], [2]), 'last'), check('values', 'pass', undefined, 'first')]));
    const b = snapshotOf(report([check('values', 'pass', undefined, 'last'), check('values', 'fail', cx('c', [1], [2]), 'first')]));
    expect(diffAudits(a, a, b).map((c) => c.kind === 'verdict' ? c.kind : `${c.kind} ${c.label}`)).toEqual(['now-passes values [last]', 'now-fails values [first]']);
  });
  it('an audit that could not judge shows only its reason; the next judged audit is compared with the last judged one', () => {
    const a = snapshotOf(broken);
    const err = errorSnapshot('SyntaxError: invalid syntax (cand.py, line 3)');
    expect(diffAudits(a, a, err)).toEqual([{ kind: 'verdict', from: 'fail', to: 'error', reason: 'SyntaxError: invalid syntax (cand.py, line 3)' }]);
    const fixed = snapshotOf(report([check('values', 'pass'), check('overflow', 'pass'), check('underflow', 'fail', cx('adv/2', [-1000, -1001], ['nan', 'nan']))]));
    expect(diffAudits(err, a, fixed)).toEqual([
      { kind: 'verdict', from: 'error', to: 'fail' },
      { kind: 'now-passes', label: 'overflow [last]' },
    ]);
  });
  it('a report with verdict error (the candidate did not import) is an error snapshot with the reason', () => {
    const r = { verdict: 'error', verdictReason: 'ImportError: no module', implementations: [{ status: 'import-error', checks: [] }] } as unknown as RunReport;
    expect(snapshotOf(r)).toEqual({ verdict: 'error', reason: 'ImportError: no module' });
  });
});

describe('diffAudits, edge cases', () => {
  it('a different reason for not judging is shown; the same one again is no change', () => {
    const a = errorSnapshot('NameError: np');
    expect(diffAudits(a, undefined, errorSnapshot('NameError: np'))).toEqual([]);
    expect(diffAudits(a, undefined, errorSnapshot('SyntaxError: x'))).toEqual([{ kind: 'verdict', from: 'error', to: 'error', reason: 'SyntaxError: x' }]);
  });
  it('a failing check that is no longer run has stopped failing, and says why', () => {
    const a = snapshotOf(broken);
    const b = snapshotOf(report([check('values', 'pass'), check('overflow', 'fail', cx('adv/1', [1000, 5], ['nan', 0]))]));
    expect(diffAudits(a, a, b)).toEqual([{ kind: 'now-passes', label: 'underflow [last] (no longer checked)' }]);
  });
  it('the first judged audit after nothing judged: every failing check is new', () => {
    expect(diffAudits(errorSnapshot('x'), undefined, snapshotOf(broken)).map((c) => c.kind)).toEqual(['verdict', 'now-fails', 'now-fails']);
  });
  it('-0 and 0 in a counterexample are different counterexamples', () => {
    const a = snapshotOf(report([check('values', 'fail', cx('c', [-0], [1]))]));
    const b = snapshotOf(report([check('values', 'fail', cx('c', [0], [1]))]));
    expect(diffAudits(a, a, b).map((c) => c.kind)).toEqual(['counterexample']);
  });
});

describe('snapshotOf', () => {
  it('nothing judged whenever the candidate did not run, whatever the verdict; the reason falls back to its status', () => {
    const notRun = { verdict: 'fail', implementations: [{ status: 'import-error', statusDetail: 'ModuleNotFoundError: torch', checks: [check('values', 'fail')] }] } as unknown as RunReport;
    expect(snapshotOf(notRun)).toEqual({ verdict: 'error', reason: 'ModuleNotFoundError: torch' });
    const judgedNothing = { verdict: 'error', implementations: [{ status: 'ran', checks: [check('values', 'pass')] }] } as unknown as RunReport;
    expect(snapshotOf(judgedNothing)).toEqual({ verdict: 'error', reason: 'unknown reason' });
    expect(snapshotOf({ verdict: 'fail', implementations: [] } as unknown as RunReport)).toEqual({ verdict: 'error', reason: 'unknown reason' });
  });
  it('a passing audit keeps its checks, none failing', () => {
    const s = snapshotOf(report([check('values', 'pass'), check('overflow', 'xfail')]));
    expect(s.verdict).toBe('pass');
    expect([...s.checks!.values()].map((c) => [c.label, c.failing])).toEqual([['values [last]', false], ['overflow [last]', false]]);
  });
});

describe('renderChanges', () => {
  it('no change on a conforming audit names no count; a verdict line to a judged verdict has no reason', () => {
    expect(renderChanges([], snapshotOf(report([check('values', 'pass')])))).toEqual(['  no change: CONFORMS']);
    expect(renderChanges([], errorSnapshot('x'))).toEqual(['  no change: COULD NOT JUDGE']);
    expect(renderChanges([{ kind: 'verdict', from: 'error', to: 'pass' }], errorSnapshot('x'))).toEqual(['  verdict: COULD NOT JUDGE → CONFORMS']);
  });
  it('a traceback is indented under its verdict line, line by line; a counterexample without a case id names none', () => {
    expect(renderChanges([
      { kind: 'verdict', from: 'pass', to: 'error', reason: '  File "c.py", line 2\nSyntaxError: x\n\n' },
      { kind: 'counterexample', label: 'values [last]', diagnosis: 'd' },
    ], errorSnapshot('x'))).toEqual([
      '  verdict: CONFORMS → COULD NOT JUDGE:\n      File "c.py", line 2\n    SyntaxError: x',
      '  ~ counterexample changed: values [last]: d',
    ]);
  });

  it('one line per change; candidate text loses its escape sequences', () => {
    const lines = renderChanges([
      { kind: 'verdict', from: 'fail', to: 'error', reason: 'NameError: \u001b[31mnp\u001b[0m\n' },
      { kind: 'now-fails', label: 'overflow [last]', diagnosis: 'exp overflows' },
      { kind: 'now-passes', label: 'values [last]' },
      { kind: 'counterexample', label: 'underflow [last]', caseId: 'adv/9', diagnosis: 'd' },
    ], errorSnapshot('x'));
    expect(lines).toEqual([
      '  verdict: DOES NOT CONFORM → COULD NOT JUDGE:\n    NameError: np',
      '  ✗ now fails: overflow [last]: exp overflows',
      '  ✓ now passes: values [last]',
      '  ~ counterexample changed: underflow [last] (now adv/9): d',
    ]);
  });
});
