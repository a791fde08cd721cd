// Every check family must catch the defect it names: each deliberately broken candidate in
// test/fixtures/broken/ is evaluated like an audited candidate, and the family it breaks must fail.
// The correct candidate is the control: nothing may fail on it.
import { describe, expect, it } from 'vitest';
import { adversarialCases } from '../harness/cases/adversarial.js';
import { discussionCases } from '../harness/cases/discussion.js';
import type { Case } from '../harness/cases/case.js';
import { ALL_CHECKS } from '../harness/checks/registry.js';
import { isGateFailure } from '../harness/engine/expectations.js';
import { evaluateSubject, type SubjectSpec } from '../harness/runner/subject.js';
import { getProfile, DEFAULT_PROFILE } from '../harness/tolerance/profiles.js';
import { projectPath } from '../harness/paths.js';
import type { CallStyle } from '../harness/worker/types.js';

const ALL_CASES: Case[] = [...discussionCases(), ...adversarialCases()];
const SMALL_3D: Case[] = ALL_CASES.filter((c) => ['discussion/x2', 'adversarial/tensor-2x3x4'].includes(c.id));

function spec(file: string, call: CallStyle = 'x'): SubjectSpec {
  return {
    id: file, title: file, source: 'test fixture', language: 'python',
    file: projectPath('test', 'fixtures', 'broken', file), functionName: 'softmax', callStyle: call,
    claims: ['last'], alsoLast: false, expectedFailures: [],
  };
}

async function evaluateFixture(file: string, cases = ALL_CASES, call: CallStyle = 'x', timeoutMs = 5000, memoryMb = 512) {
  return evaluateSubject(spec(file, call), cases, {
    profile: getProfile(DEFAULT_PROFILE), policy: 'ieee', strictDomain: false, timeoutMs, memoryMb, checks: ALL_CHECKS,
  });
}

const failingFamilies = (r: Awaited<ReturnType<typeof evaluateFixture>>) =>
  r.checks.filter((c) => isGateFailure(c.verdict)).map((c) => c.family);

describe('the control', () => {
  it('a correct softmax fails no check', async () => {
    const r = await evaluateFixture('correct.py');
    expect(r.status).toBe('ran');
    expect(r.checks.filter((c) => isGateFailure(c.verdict)).map((c) => `${c.name}: ${c.diagnosis}`)).toEqual([]);
    expect(r.checks.filter((c) => c.verdict === 'pass').length).toBeGreaterThan(10);
  });
});

const CASES: [string, string, { cases?: Case[]; call?: CallStyle; timeoutMs?: number }?][] = [
  ['no_max_shift.py', 'overflow'],
  ['no_max_shift.py', 'underflow'],
  ['global_sum.py', 'batch-independence'],
  ['axis0.py', 'axis'],
  ['mutates.py', 'mutation'],
  ['float32_inside.py', 'values'],
  ['returns_float32.py', 'dtype'],
  ['squeezes.py', 'rank'],
  ['nan_ignoring.py', 'nan'],
  ['clips_inf.py', 'infinity'],
  ['first_non_singleton.py', 'singleton'],
  ['empty_scalar.py', 'empty'],
  ['noisy.py', 'determinism'],
  ['sorted_output.py', 'order'],
  ['first_weighted.py', 'permutation'],
  ['sum_plus.py', 'sum-to-one'],
  ['times_n.py', 'range'],
  ['ignores_theta.py', 'temperature', { call: 'x-theta-axis' }],
  ['global_max.py', 'shift-invariance'],
  ['hangs_on_3d.py', 'timeout', { cases: SMALL_3D, timeoutMs: 500 }],
  ['dies_on_3d.py', 'crash', { cases: SMALL_3D }],
  ['hog_on_3d.py', 'memory', { cases: SMALL_3D }],
  ['returns_list.py', 'output', { cases: SMALL_3D }],
  ['import_fails.py', 'import', { cases: SMALL_3D }],
];

describe.concurrent('each broken candidate is caught by its family', () => {
  for (const [file, family, o] of CASES) {
    it(`${file} → ${family}`, async () => {
      const r = await evaluateFixture(file, o?.cases, o?.call, o?.timeoutMs);
      const families = failingFamilies(r);
      expect(families, `failing families of ${file}: ${families.join(', ')}`).toContain(family);
      const hit = r.checks.find((c) => c.family === family && isGateFailure(c.verdict))!;
      expect(hit.diagnosis.length).toBeGreaterThan(10);
      if (family !== 'import') {
        expect(hit.counterexample?.python).toContain('import numpy as np');
      }
    });
  }
});
