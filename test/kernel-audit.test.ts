// The two kernel bugs that a default audit passed as CONFORMS before long slices and memory layouts existed: a
// default 300-run audit must now catch each with the family that names it, and the correct candidates still pass.
// One seed here (each audit takes seconds); seeds 1..5 are measured with scratch runs and reported in the issue.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAudit, type AuditOptions } from '../harness/runner/audit.js';
import { projectPath } from '../harness/paths.js';

const base: Omit<AuditOptions, 'target' | 'contract'> = {
  alsoLast: false, numRuns: 300, seed: 1, profile: 'strict', policy: 'ieee', strictDomain: false,
  timeoutMs: 10_000, memoryMb: 4096, shrinkSeconds: 2, command: 'test',
};

const audit = (dir: string, file: string, contract: 'last' | 'axis-arg' = 'last') =>
  runAudit({ ...base, target: `${projectPath(...dir.split('/'), file)}:softmax`, contract });

describe.concurrent('a default audit (300 runs, seed 1)', () => {
  it('catches the blocked kernel that forgets the partial last block, as `values`, on a row longer than 1,024', async () => {
    const r = await audit('test/fixtures/kernels', 'block_tail.py');
    const values = r.implementations[0].checks.find((c) => c.name === 'values')!;
    expect(values.verdict).toBe('fail');
    const shape = values.counterexample!.input.shape;
    const n = shape[shape.length - 1];
    expect(n).toBeGreaterThan(1024);
    expect(n % 1024).not.toBe(0);
  });

  it('catches the memory-order reader as `layout`, with a layout that reorders axes', async () => {
    const r = await audit('test/fixtures/kernels', 'memory_order.py');
    const layout = r.implementations[0].checks.find((c) => c.name === 'layout')!;
    expect(layout.verdict).toBe('fail');
    expect(layout.diagnosis).toMatch(/^gives a different result for the same values in /);
    expect(['fortran', 'transposed', 'swapaxes']).toContain(layout.counterexample!.args.layout?.kind);
    // nothing else is wrong with it: C-order inputs are right
    expect(r.implementations[0].checks.filter((c) => c.verdict === 'fail').map((c) => c.name)).toEqual(['layout']);
  });

  it('--max-elements bounds every generated case: with 1,024 no row passes one block, and the block-tail bug goes unseen', async () => {
    const r = await runAudit({ ...base, maxElements: 1024, target: `${projectPath('test', 'fixtures', 'kernels', 'block_tail.py')}:softmax`, contract: 'last' });
    const impl = r.implementations[0];
    expect(impl.checks.find((c) => c.name === 'values')!.verdict).toBe('pass');
    const m = impl.coverage!;
    const g = m.pairs.find((p) => p.dims[0] === 'dtype' && p.dims[1] === 'length')!;
    const long = m.dimensions.length.indexOf('1025-4096');
    expect(g.counts.map((row) => row[long] ?? 0).reduce((a, b) => a + b, 0)).toBe(0);
    expect(m.gaps).toContain('float64 × length 1025-4096');
  });

  it('the correct candidates still conform, and the report maps what the audit reached', async () => {
    for (const [dir, file, contract] of [['test/fixtures/broken', 'correct.py', 'last'], ['implementations', 'numpy_stable.py', 'last']] as const) {
      const r = await audit(dir, file, contract);
      const bad = r.implementations[0].checks.filter((c) => c.verdict === 'fail').map((c) => `${c.name}: ${c.diagnosis}`);
      expect(bad, file).toEqual([]);
      const cov = r.implementations[0].coverage!;
      expect(cov.reached).toBeGreaterThan(cov.total / 2);
      expect(cov.gaps.length).toBe(cov.total - cov.reached);
    }
  });

  it('a JavaScript candidate that reads data.buffer from byte 0 is caught as `layout` on a subarray view at an offset', async () => {
    const r = await audit('test/fixtures/kernels', 'buffer_from_zero.mjs');
    const impl = r.implementations[0];
    const layout = impl.checks.find((c) => c.name === 'layout')!;
    expect(layout.verdict).toBe('fail');
    expect(layout.diagnosis).toMatch(/^gives a different result for the same values in a subarray view at an offset into a larger buffer \(C order: right\)/);
    expect(layout.counterexample!.args.layout?.kind).toBe('misaligned');
    expect(impl.checks.filter((c) => c.verdict === 'fail').map((c) => c.name)).toEqual(['layout']);
    // its reproduction hands over the same offset view, so the defect reproduces outside the harness (exit 1)
    const dir = mkdtempSync(join(tmpdir(), 'sc-repro-'));
    writeFileSync(join(dir, 'repro.mjs'), layout.counterexample!.javascript!);
    const run = spawnSync(process.execPath, [join(dir, 'repro.mjs')], { encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stderr).toContain('defect reproduces');
    expect(run.status).toBe(1);
  });

  it('a JavaScript audit claims only the layouts typed arrays have, and says which it cannot reach', async () => {
    const r = await audit('test/fixtures/candidates', 'correct.mjs');
    const impl = r.implementations[0];
    expect(impl.checks.filter((c) => c.verdict === 'fail').map((c) => c.name)).toEqual([]);
    const cov = impl.coverage!;
    expect(cov.dimensions.layout).toEqual(['c', 'misaligned']);
    const byLayout = cov.pairs.find((p) => p.dims[0] === 'layout' && p.dims[1] === 'family')!;
    expect(byLayout.counts[1].some((n) => (n ?? 0) > 0)).toBe(true); // misaligned cases were drawn
    expect(cov.unreachable!.map((u) => u.value)).toEqual(expect.arrayContaining(['fortran', 'readonly', 'broadcast']));
  });
});
