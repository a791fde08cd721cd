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
import type { MemoryLayout } from '../harness/tensor/layout.js';
import { fromNumbers, type Tensor } from '../harness/tensor/tensor.js';

const ALL_CASES: Case[] = [...discussionCases(), ...adversarialCases()];
const SMALL_3D: Case[] = ALL_CASES.filter((c) => ['discussion/x2', 'adversarial/tensor-2x3x4'].includes(c.id));

function spec(file: string, call: CallStyle = 'x', dir = 'broken'): SubjectSpec {
  return {
    id: file, title: file, source: 'test fixture', language: 'python',
    file: projectPath('test', 'fixtures', dir, file), functionName: 'softmax', callStyle: call,
    claims: ['last'], alsoLast: false, expectedFailures: [],
  };
}

async function evaluateFixture(file: string, cases = ALL_CASES, call: CallStyle = 'x', timeoutMs = 5000, memoryMb = 512, dir = 'broken') {
  return evaluateSubject(spec(file, call, dir), cases, {
    profile: getProfile(DEFAULT_PROFILE), policy: 'ieee', strictDomain: false, timeoutMs, memoryMb, checks: ALL_CHECKS,
  });
}

const failingFamilies = (r: Awaited<ReturnType<typeof evaluateFixture>>) =>
  r.checks.filter((c) => isGateFailure(c.verdict)).map((c) => c.family);

describe('the control', () => {
  it('a correct softmax fails no check', async () => {
    const r = await evaluateFixture('correct.py', [...ALL_CASES, ...LONG_ROWS, ...LAYOUTS]);
    expect(r.status).toBe('ran');
    expect(r.checks.find((c) => c.name === 'layout')?.verdict).toBe('pass');
    expect(r.checks.find((c) => c.name === 'mutation')?.verdict).toBe('pass');
    expect(r.checks.filter((c) => isGateFailure(c.verdict)).map((c) => `${c.name}: ${c.diagnosis}`)).toEqual([]);
    expect(r.checks.filter((c) => c.verdict === 'pass').length).toBeGreaterThan(10);
  });
});

/** Fixed cases for the kernel defects (test/fixtures/kernels): a row past one block of 1,024, non-C layouts. */
const kernelCase = (id: string, input: Tensor, layout?: MemoryLayout): Case => ({ id: `kernel/${id}`, title: id, source: 'adversarial', family: 'ordinary', input, ...(layout ? { layout } : {}) });
const ramp = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
const LONG_ROWS: Case[] = [kernelCase('1025', fromNumbers('float64', [1025], ramp(1025))), kernelCase('2x1024', fromNumbers('float64', [2, 1024], ramp(2048)))];
const X34 = fromNumbers('float64', [3, 4], ramp(12));
const LAYOUTS: Case[] = [kernelCase('fortran', X34, { kind: 'fortran' }), kernelCase('strided', X34, { kind: 'strided', axis: 1 }), kernelCase('readonly', X34, { kind: 'readonly' })];

const CASES: [string, string, { cases?: Case[]; call?: CallStyle; timeoutMs?: number; dir?: string }?][] = [
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
  ['block_tail.py', 'values', { cases: LONG_ROWS, dir: 'kernels' }],
  ['memory_order.py', 'layout', { cases: LAYOUTS, dir: 'kernels' }],
];

describe.concurrent('each broken candidate is caught by its family', () => {
  for (const [file, family, o] of CASES) {
    it(`${file} → ${family}`, async () => {
      const r = await evaluateFixture(file, o?.cases, o?.call, o?.timeoutMs, undefined, o?.dir);
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

describe('layouts', () => {
  it('a function that writes to a read-only input is reported as mutation, with NumPy\'s message', async () => {
    const r = await evaluateFixture('mutates.py', LAYOUTS.filter((c) => c.layout?.kind === 'readonly'));
    const ro = r.checks.find((c) => c.name === 'mutation')!;
    expect(ro.family).toBe('mutation');
    expect(ro.verdict).toBe('fail');
    expect(ro.diagnosis).toMatch(/writes to its input: given a read-only array it raises ValueError: .*read-only/);
    expect(ro.counterexample?.args.layout).toEqual({ kind: 'readonly' });
    expect(ro.counterexample?.python).toContain('writeable=False');
  });

  it('the memory-order reader is diagnosed in words, and its snippet rebuilds the Fortran-order input', async () => {
    const r = await evaluateFixture('memory_order.py', LAYOUTS, 'x', 5000, 512, 'kernels');
    const l = r.checks.find((c) => c.name === 'layout')!;
    expect(l.diagnosis).toMatch(/^gives a different result for the same values in Fortran order \(C order: right\)/);
    expect(l.counterexample?.python).toContain('softmax(np.asfortranarray(x))');
  });
});
