// Issue 13 item 9: a candidate that hangs on 3-D inputs is reported once, under `timeout`, with its smallest input;
// the cases its hang kept from running are "not run", never failures of other families or of the time budget.
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import type { CheckResult, RunReport } from '../harness/model.js';
import { cli } from './helpers/cli.js';

describe('audit of a candidate that hangs on rank 3', () => {
  it('fails timeout once, fails nothing else for it, and does not wait out the budget', async () => {
    const target = `${projectPath('test', 'fixtures', 'hangs', 'hangs_on_3d.py')}:softmax`;
    const r = await cli(['audit', target, '--contract', 'last', '--timeout', '1500', '--num-runs', '120', '--dtype', 'float64', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as RunReport;
    const checks = report.implementations[0].checks;
    const byName = Object.fromEntries(checks.map((c) => [c.name, c])) as Record<string, CheckResult>;
    expect(byName.timeout.verdict).toBe('fail');
    expect(byName.timeout.diagnosis).toMatch(/did not return within 1500 ms on \d+x\d+x\d+ /);
    // Only the calls that established the hang were made: two per-call timeouts, not one per 3-D case.
    expect(byName.timeout.cases.errors).toBeGreaterThan(0);
    expect(byName.timeout.diagnosis).not.toMatch(/time budget/);
    const failing = checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error').map((c) => c.name);
    expect(failing).toEqual(['timeout']);
    expect(byName.crash.diagnosis).toMatch(/not judged \(not run: the candidate timed out on 2 rank-3 inputs, so the rest of them were not sent/);
    // lost to the hang: two calls timed out, the rest were not sent (two reasons: the first is said to be the first)
    for (const name of ['values', 'nan']) expect(byName[name].diagnosis).toMatch(/; \d+ not judged \((the first: )?(not run: the candidate timed out on 2 rank-3|the call timed out after 1500 ms)/);
    expect(report.ms).toBeLessThan(60_000); // the budget is 120 s: it was never reached
  });
});
