// The audit's console verdict (renderAuditText) on made-up reports: the headline word is the report's verdict, and
// the counts line tells checks that failed from checks that judged no case, so a reader never sees a finding that
// was not made. The CLI tests in test/ run it through real audits; these run in-process (Stryker sees them).
import { describe, expect, it } from 'vitest';
import { makeCheck, makeImpl, makeReport, sampleReport } from '../report/fixtures.js';
import { OUT_OF_BUDGET, type CheckResult, type RunReport } from '../model.js';
import { renderAuditText } from './audit-text.js';

const none = { planned: 40, run: 0, passed: 0, failed: 0, rejected: 0, errors: 40 };
const pass = makeCheck({ name: 'values' });
const fail = makeCheck({ name: 'overflow', family: 'overflow', verdict: 'fail', diagnosis: 'overflows: exp(1000) is inf in float64', cases: { planned: 10, run: 10, passed: 9, failed: 1, rejected: 0, errors: 0 } });
const starved = makeCheck({ name: 'nan', family: 'nan', verdict: 'error', diagnosis: 'no case could be judged: not run: the budget', cases: none });

function audit(checks: CheckResult[], over: Partial<RunReport> = {}): string {
  const report = makeReport({
    kind: 'audit',
    implementations: [makeImpl({ id: 'f', title: 'softmax from f.py', checks })],
    accounting: { planned: 100, run: 60, notRun: 40, notRunReasons: {} },
    ms: 2500,
    ...over,
  });
  return renderAuditText(report, { color: false });
}

describe('renderAuditText', () => {
  it('a pass: CONFORMS, its counts, no failure lines', () => {
    const t = audit([pass]);
    expect(t.split('\n')[1]).toBe('CONFORMS  softmax from f.py');
    expect(t).toContain('  1 check passes, 0 fail (60 of 100 case-checks judged, 2.5 s)');
    expect(t).not.toMatch(/^[✗?]/m);
  });

  it('a failure: DOES NOT CONFORM, with the failing check and its diagnosis', () => {
    const t = audit([pass, pass, fail], { verdict: 'fail' });
    expect(t.split('\n')[1]).toBe('DOES NOT CONFORM  softmax from f.py');
    expect(t).toContain('  2 checks pass, 1 fail (60 of 100');
    expect(t).toContain('✗ overflow [last]: overflows: exp(1000) is inf in float64');
  });

  it('checks that judged no case are counted and listed apart from failures, never as them', () => {
    const t = audit([pass, starved, starved], { verdict: 'error', verdictReason: 'nothing failed, but 2 checks judged no case' });
    expect(t.split('\n')[1]).toBe('COULD NOT JUDGE  softmax from f.py');
    expect(t).toContain('  1 check passes, 0 fail, 2 judged no case (60 of 100 case-checks judged, 2.5 s)');
    expect(t.match(/^\? nan \[last\]: no case could be judged: not run: the budget$/gm)).toHaveLength(2);
    expect(t).not.toContain('✗');
    // beside a real failure, both are there, each as what it is
    const both = audit([pass, starved, fail], { verdict: 'fail' });
    expect(both).toContain('1 check passes, 1 fail, 1 judged no case');
    expect(both).toMatch(/^\? nan /m);
    expect(both).toMatch(/^✗ overflow /m);
  });

  it('nothing judged at all: only why, nothing that reads like check results', () => {
    const t = audit([makeCheck({ name: 'import', verdict: 'error', cases: none })], {
      verdict: 'error',
      verdictReason: 'nothing was judged: f: the shard is empty',
      accounting: { planned: 40, run: 0, notRun: 40, notRunReasons: {} },
    });
    expect(t.split('\n').slice(1)).toEqual(['COULD NOT JUDGE  softmax from f.py', '  nothing was judged: f: the shard is empty', '']);
  });

  it('a time budget that ran out is said where the verdict is read', () => {
    const t = audit([pass], { accounting: { planned: 100, run: 60, notRun: 40, notRunReasons: { [OUT_OF_BUDGET]: 40 } } });
    expect(t).toContain('time budget ran out: 40 of 100 case-checks were not run, so the verdict covers only the rest (raise it with --budget)');
  });

  it('a file that did not load (judged, no case run) shows its checks, not an early "could not judge"', () => {
    const t = audit([makeCheck({ name: 'import', family: 'import', verdict: 'fail', diagnosis: 'raised ImportError: no module x', cases: { ...none, errors: 0 } })], {
      verdict: 'fail',
      accounting: { planned: 40, run: 0, notRun: 40, notRunReasons: {} },
    });
    expect(t).toContain('✗ import [last]: raised ImportError: no module x');
  });

  it('a configuration error names the implementation\'s own problem', () => {
    const report = makeReport({
      kind: 'audit',
      verdict: 'error',
      verdictReason: 'f: the report-level reason',
      accounting: { planned: 0, run: 0, notRun: 0, notRunReasons: {} },
      implementations: [makeImpl({ id: 'f', title: 't', status: 'config-error', statusDetail: 'no function softmax in f.py', checks: [] })],
    });
    expect(renderAuditText(report, { color: false }).split('\n')[2]).toBe('  no function softmax in f.py');
  });

  it('says what was audited and how (target, framework, input form, inference, dtypes, coverage, rejections) and shows the counterexample', () => {
    const failing = sampleReport().implementations[1].checks[1]; // naive-exp's overflow: stats and a counterexample
    const rejecting = makeCheck({ name: 'range', family: 'range', cases: { planned: 10, run: 10, passed: 8, failed: 0, rejected: 2, errors: 0 } });
    const impl = makeImpl({
      id: 'm',
      title: 'scipy.special:softmax',
      statusDetail: 'a status line',
      target: { module: 'scipy.special', distribution: 'scipy', version: '1.16.0', file: '/x/scipy/special/__init__.py', functionName: 'softmax', callStyle: 'x', framework: 'torch', device: 'cpu' },
      convention: 'tensor',
      conventionNote: 'chosen by --js-input',
      inferenceSummary: 'behaves as `last`',
      dtypeSummary: 'float inputs: conforms',
      coverage: { dimensions: {} as never, pairs: [], reached: 3, total: 4, gaps: ['int32 × rank 0'] },
      verdict: 'fail',
      checks: [rejecting, failing],
    });
    const t = renderAuditText(makeReport({ kind: 'audit', verdict: 'fail', implementations: [impl], sandbox: { sandboxed: false, reason: 'none asked' } as never }), { color: true });
    for (const line of [
      '  a status line',
      '  module scipy.special (scipy 1.16.0), loaded from /x/scipy/special/__init__.py',
      '  called with a torch tensor on cpu',
      '  called with the tensor input form: chosen by --js-input',
      '  contract inference: behaves as `last`',
      '  by input dtype: float inputs: conforms',
      '  coverage: reached 3 of 4 cells (dtype, rank, slice length, layout, value family, pairwise); not reached: int32 × rank 0',
    ]) expect(t).toContain(line);
    expect(t).toContain('1 check passes, 1 fail, 1 saw clear rejections');
    expect(t).toMatch(/ {4}max error .* over \d+ elements/);
    expect(t).toContain('    counterexample adversarial/large-logits-3 (seed 42, path 3:1:0); reproduce in Python:');
    expect(t).toContain('      import numpy as np');
    // colour: the unsandboxed banner in yellow, the verdict word in red
    expect(t.split('\n')[0]).toMatch(/^\u001b\[33m/);
    expect(t).toContain('\u001b[31mDOES NOT CONFORM\u001b[0m');
  });
});
