// audit end to end through its API: generated failures are shrunk across the process boundary to a handful of
// elements, with the seed and path to replay them; contract inference names the rule the function implements;
// JavaScript candidates are audited in their own Node process.
import { describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../harness/runner/audit.js';
import { projectPath } from '../harness/paths.js';

const base: Omit<AuditOptions, 'target' | 'contract'> = {
  alsoLast: false, numRuns: 150, seed: 7, profile: 'strict', policy: 'ieee', strictDomain: false,
  timeoutMs: 5000, memoryMb: 1024, shrinkSeconds: 5, command: 'test',
};

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

describe.concurrent('audit', () => {
  it('shrinks the failures of a global-sum softmax to a few elements and infers `all`', async () => {
    const r = await runAudit({ ...base, target: `${projectPath('test', 'fixtures', 'broken', 'global_sum.py')}:softmax`, contract: 'last' });
    const impl = r.implementations[0];
    expect(r.verdict).toBe('fail');
    const bi = impl.checks.find((c) => c.name === 'batch-independence')!;
    expect(bi.verdict).toBe('fail');
    const generated = impl.checks.filter((c) => c.verdict === 'fail' && c.counterexample?.caseId.startsWith('generated/'));
    expect(generated.length).toBeGreaterThan(0);
    for (const c of generated) {
      expect(size(c.counterexample!.input.shape), `${c.name}: ${JSON.stringify(c.counterexample!.input.shape)}`).toBeLessThanOrEqual(6);
      expect(c.counterexample!.seed).toBe(7);
      expect(c.counterexample!.path).toMatch(/^\d+(:\d+)*$/);
    }
    expect(impl.inferenceSummary).toMatch(/behaves as `all` on ranks? 2/);
  });

  it('a column-wise softmax audited under `last` fails `axis` and is inferred as `first`', async () => {
    const r = await runAudit({ ...base, target: `${projectPath('test', 'fixtures', 'broken', 'axis0.py')}:softmax`, contract: 'last' });
    const impl = r.implementations[0];
    expect(impl.checks.find((c) => c.name === 'axis')!.verdict).toBe('fail');
    expect(impl.inferenceSummary).toMatch(/behaves as `first` on ranks 2-/);
  });

  it('a correct JavaScript candidate conforms', async () => {
    const r = await runAudit({ ...base, numRuns: 100, target: `${projectPath('test', 'fixtures', 'candidates', 'correct.mjs')}:softmax`, contract: 'last' });
    const bad = r.implementations[0].checks.filter((c) => c.verdict === 'fail').map((c) => `${c.name}: ${c.diagnosis}`);
    expect(bad).toEqual([]);
    expect(r.verdict).toBe('pass');
  });
});
