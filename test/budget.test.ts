// A candidate that hangs on every input cannot stall a run: past the per-implementation budget the remaining calls
// are reported as not run, every planned case still appears, and the timeout family fails.
import { describe, expect, it } from 'vitest';
import { adversarialCases } from '../harness/cases/adversarial.js';
import { discussionCases } from '../harness/cases/discussion.js';
import { ALL_CHECKS } from '../harness/checks/registry.js';
import { evaluateSubject } from '../harness/runner/subject.js';
import { getProfile } from '../harness/tolerance/profiles.js';
import { projectPath } from '../harness/paths.js';

describe('time budget', () => {
  it('stops calling a candidate that spins on every input once its budget is used up', async () => {
    const started = performance.now();
    const r = await evaluateSubject(
      {
        id: 'spins', title: 'spins', source: 'test', language: 'python', file: projectPath('test', 'fixtures', 'candidates', 'spins.py'),
        functionName: 'softmax', callStyle: 'x', claims: ['last'], alsoLast: false, expectedFailures: [],
      },
      [...discussionCases(), ...adversarialCases()],
      { profile: getProfile('strict'), policy: 'ieee', strictDomain: false, timeoutMs: 400, budgetMs: 2000, memoryMb: 512, checks: ALL_CHECKS },
    );
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(15);
    expect(r.checks.find((c) => c.name === 'timeout')!.verdict).toBe('fail');
    const values = r.checks.find((c) => c.name === 'values')!;
    expect(values.cases.planned).toBeGreaterThan(0);
    expect(values.cases.errors).toBe(values.cases.planned);
    expect(values.diagnosis).toMatch(/time budget|timed out/);
  });
});
