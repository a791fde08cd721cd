// The fixtures of test/fixtures/dtype-ops/: each defect is caught by a default 300-run audit (seed 1) with the family
// that names it, and the correct twin of each passes. bfloat16 needs ml_dtypes in the Python that runs the candidate:
// the bfloat16 rows run where it is installed; what happens without it is tested with a Python that cannot import it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../harness/errors.js';
import { isGateFailure } from '../harness/engine/expectations.js';
import type { Op } from '../harness/ops.js';
import { projectPath } from '../harness/paths.js';
import { runAudit, type AuditOptions } from '../harness/runner/audit.js';
import { PYTHON } from './helpers/python.js';

const hasMlDtypes = spawnSync(PYTHON, ['-c', 'import ml_dtypes'], { encoding: 'utf8' }).status === 0;
const WITHOUT_ML_DTYPES = projectPath('test', 'fixtures', 'dtype-ops', 'python-without-ml-dtypes');

// shrinkSeconds bounds a runaway only: shrinking ends by itself in about a second here, and a tighter bound made the
// counterexample (and the diagnosis asserted below) depend on the machine's load (2 s on a busy machine stopped the
// logsumexp overflow at a slice of huge negatives, whose -inf says nothing of an overflow).
const base: Omit<AuditOptions, 'target' | 'contract'> = {
  alsoLast: false, numRuns: 300, seed: 1, profile: 'strict', policy: 'ieee', strictDomain: false,
  timeoutMs: 10_000, memoryMb: 1024, shrinkSeconds: 30, command: 'test',
};

async function audit(file: string, fn: string, op: Op, extra: Partial<AuditOptions> = {}) {
  const r = await runAudit({ ...base, op, ...extra, target: `${projectPath('test', 'fixtures', 'dtype-ops', file)}:${fn}`, contract: 'last' });
  const impl = r.implementations[0];
  const failing = impl.checks.filter((c) => isGateFailure(c.verdict));
  return { r, impl, failing, families: failing.map((c) => c.family) };
}

const WITH_BF16: Partial<AuditOptions> = { dtypes: ['float64', 'float32', 'float16', 'bfloat16', 'int32', 'int64'] };

describe('defects caught with their family by a default 300-run audit (bfloat16 asked for by --dtype)', () => {
  it.skipIf(!hasMlDtypes)('a sum kept in bfloat16 (no float32 accumulator) → values, on bfloat16 input', async () => {
    const { r, families, failing } = await audit('softmax_bf16_accumulator.py', 'softmax', 'softmax', WITH_BF16);
    expect(r.verdict).toBe('fail');
    expect(families).toContain('values');
    const values = failing.find((c) => c.family === 'values')!;
    expect(values.counterexample?.input.dtype).toBe('bfloat16');
    expect(values.counterexample?.python).toContain('ml_dtypes.bfloat16');
  });

  it('log(softmax(x)) → underflow: -inf (or the few bits of a subnormal probability) where the log-softmax is finite', async () => {
    const { r, families, failing } = await audit('log_softmax_of_softmax.py', 'log_softmax', 'log-softmax');
    expect(r.verdict).toBe('fail');
    expect(families).toContain('underflow');
    expect(failing.find((c) => c.family === 'underflow')!.diagnosis).toMatch(/gives -inf where the log-softmax is finite|log\(softmax\(x\)\) keeps only its few significant bits/);
    // [0, -1000]: exp(-1000) underflows to 0 and log(0) = -inf where -1000 is right
    expect(failing.find((c) => c.family === 'underflow')!.cases.failed).toBeGreaterThan(1);
  });

  it('log(sum(exp(x))) → overflow (inf for [1000, 5]) and underflow (-inf for [-1000, -1001])', async () => {
    const { r, families, failing } = await audit('logsumexp_naive.py', 'logsumexp', 'logsumexp');
    expect(r.verdict).toBe('fail');
    expect(families).toEqual(expect.arrayContaining(['overflow', 'underflow']));
    expect(failing.find((c) => c.family === 'overflow')!.diagnosis).toMatch(/overflows/);
  });
});

describe('the correct twins pass', () => {
  it.skipIf(!hasMlDtypes)('softmax with a float32 accumulator for 16-bit floats (bfloat16 judged)', async () => {
    const { r, failing, impl } = await audit('softmax_f32_accumulator.py', 'softmax', 'softmax', WITH_BF16);
    expect(failing.map((c) => `${c.name}: ${c.diagnosis}`)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(impl.checks.find((c) => c.name === 'values')!.cases.passed).toBeGreaterThan(0);
  });

  it('log-softmax as (x - max) - log(sum(exp(x - max)))', async () => {
    const { r, failing } = await audit('log_softmax_correct.py', 'log_softmax', 'log-softmax');
    expect(failing.map((c) => `${c.name}: ${c.diagnosis}`)).toEqual([]);
    expect(r.verdict).toBe('pass');
  });

  it('logsumexp as max + log(sum(exp(x - max)))', async () => {
    const { r, failing } = await audit('logsumexp_correct.py', 'logsumexp', 'logsumexp');
    expect(failing.map((c) => `${c.name}: ${c.diagnosis}`)).toEqual([]);
    expect(r.verdict).toBe('pass');
  });
});

// The stand-in interpreter is a script in the checkout, which a sandbox does not show: these run unsandboxed.
describe('without ml_dtypes', () => {
  it('a default audit leaves bfloat16 out, so it needs no ml_dtypes and its verdict does not depend on it', async () => {
    const { r, failing, impl } = await audit('softmax_bf16_accumulator.py', 'softmax', 'softmax', { numRuns: 60, python: WITHOUT_ML_DTYPES, sandbox: 'none' });
    // the bfloat16 defect is out of reach without bfloat16 cases, and nothing else is wrong with it
    expect(failing.map((c) => c.name)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(impl.checks.every((c) => c.cases.planned > 0 || c.verdict === 'skip')).toBe(true);
  });

  it('--dtype bfloat16 is an environment error (exit 2) that says what to install', async () => {
    const run = audit('softmax_f32_accumulator.py', 'softmax', 'softmax', { numRuns: 20, dtypes: ['bfloat16'], python: WITHOUT_ML_DTYPES, sandbox: 'none' });
    await expect(run).rejects.toBeInstanceOf(EnvironmentError);
    await expect(run).rejects.toThrow(/pip install ml_dtypes/);
  });
});
