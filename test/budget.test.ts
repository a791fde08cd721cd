// A candidate that hangs on every input cannot stall a run: past the per-implementation budget the remaining calls
// are reported as not run, every planned case still appears, and the timeout family fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { adversarialCases } from '../harness/cases/adversarial.js';
import { discussionCases } from '../harness/cases/discussion.js';
import { ALL_CHECKS } from '../harness/checks/registry.js';
import { evaluateSubject } from '../harness/runner/subject.js';
import { getProfile } from '../harness/tolerance/profiles.js';
import { projectPath } from '../harness/paths.js';

describe('time budget', () => {
  it('stops calling a candidate that spins on every input once its budget is used up', async () => {
    const r = await evaluateSubject(
      {
        id: 'spins', title: 'spins', source: 'test', language: 'python', file: projectPath('test', 'fixtures', 'candidates', 'spins.py'),
        functionName: 'softmax', callStyle: 'x', claims: ['last'], alsoLast: false, expectedFailures: [],
      },
      [...discussionCases(), ...adversarialCases()],
      { profile: getProfile('strict'), policy: 'ieee', strictDomain: false, timeoutMs: 400, budgetMs: 2000, memoryMb: 512, checks: ALL_CHECKS },
    );
    // Counts, not seconds (the machine's load would decide those): the budget of 2 s leaves room for a handful of
    // 400 ms timeouts (the first batch has at most 8 calls, then batches shrink), and everything after it is not run.
    const timeout = r.checks.find((c) => c.name === 'timeout')!;
    expect(timeout.verdict).toBe('fail');
    expect(timeout.cases.failed).toBeGreaterThan(0);
    expect(timeout.cases.failed).toBeLessThanOrEqual(8 + Math.ceil(2000 / 400));
    expect(r.checks.filter((c) => /time budget of 2 s was used up/.test(c.diagnosis)).length).toBeGreaterThan(0);
    const values = r.checks.find((c) => c.name === 'values')!;
    expect(values.cases.planned).toBeGreaterThan(0);
    expect(values.cases.errors).toBe(values.cases.planned);
    expect(values.diagnosis).toMatch(/time budget|timed out/);
    // The budget's share is counted apart from the candidate's own timeouts (accounting.notRunReasons reads it).
    const cut = r.checks.reduce((n, c) => n + (c.cases.outOfBudget ?? 0), 0);
    expect(cut).toBeGreaterThan(0);
    for (const c of r.checks) expect(c.cases.outOfBudget ?? 0).toBeLessThanOrEqual(c.cases.errors);
    expect(timeout.cases.outOfBudget ?? 0).toBeLessThan(timeout.cases.planned);
  });
});

describe('a correct candidate that the budget cuts short', () => {
  it('is not called nonconforming: COULD NOT JUDGE, exit 2, with the checks that judged no case named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-budget-'));
    try {
      const file = join(dir, 'slow.py');
      writeFileSync(file, 'import time\nimport numpy as np\n\ndef softmax(x):\n    time.sleep(0.05)\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n    return e / np.sum(e, axis=-1, keepdims=True)\n');
      const r = await cli(['audit', `${file}:softmax`, '--contract', 'last', '--budget', '2', '--num-runs', '50']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toContain('COULD NOT JUDGE');
      expect(r.stdout).not.toContain('DOES NOT CONFORM');
      expect(r.stdout).toMatch(/\d+ checks pass, 0 fail, \d+ judged no case/);
      expect(r.stdout).toMatch(/\? \w+ \[last\]: no case could be judged: not run: the implementation's time budget of 2 s was used up/);
      const json = await cli(['audit', `${file}:softmax`, '--contract', 'last', '--budget', '2', '--num-runs', '50', '--json']);
      expect(json.code).toBe(2);
      const report = JSON.parse(json.stdout) as { verdict: string; verdictReason: string; implementations: { verdict: string }[] };
      expect(report.verdict).toBe('error');
      expect(report.implementations[0].verdict).toBe('error');
      expect(report.verdictReason).toMatch(/^nothing failed, but \d+ checks? judged no case: .*time budget of 2 s was used up/);
      expect(json.stderr).toContain('softmax-conformance: could not judge: nothing failed, but');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
