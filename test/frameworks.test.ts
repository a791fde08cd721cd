// --framework / --device from the command line. Two halves:
//  - always run: the fake torch of test/fixtures/fake-frameworks (NumPy only), the GPU rows of the manifest skipped
//    as "no CUDA device" on a machine without one (CI has neither a GPU nor torch);
//  - real torch and JAX on the CPU: only where an interpreter with them exists (the golden venv, golden/setup-venv.sh,
//    or SOFTMAX_CONFORMANCE_PYTHON), otherwise skipped with the reason in the test's title.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { bitwiseEqual, makeTensor } from '../harness/tensor/tensor.js';
import { startWorker } from '../harness/worker/index.js';
import { nvidiaDevices } from '../harness/worker/sandbox.js';
import type { ImplementationWorker } from '../harness/worker/types.js';
import { cli } from './helpers/cli.js';
import { expectKind } from './fixtures/candidates/helpers.js';
import { USER_PYTHON } from './helpers/python.js';

const FAKE = projectPath('test', 'fixtures', 'fake-frameworks', 'fake_candidates.py');
const hasGpu = nvidiaDevices().length > 0;
const reports = mkdtempSync(join(tmpdir(), 'frameworks-test-'));
afterAll(() => rmSync(reports, { recursive: true, force: true }));

describe('audit --framework --device (fake torch)', () => {
  it('a torch candidate audited on the CPU conforms (exit 0), and its report names the framework', async () => {
    const out = join(reports, 'fake');
    const r = await cli(['audit', `${FAKE}:softmax`, '--contract', 'last', '--framework', 'torch', '--device', 'cpu', '--dtype', 'float64', '--num-runs', '20', '--reports', out, '--reporters', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.implementations[0].target).toMatchObject({ framework: 'torch' });
    expect(r.stdout).toContain('\n  called with a torch tensor on cpu\n');
  });

  it('a device that is not there: exit 2, "no CUDA device"', async () => {
    const r = await cli(['audit', `${FAKE}:echo`, '--contract', 'last', '--framework', 'torch', '--device', 'cuda:1', '--num-runs', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no CUDA device: cuda:1 does not exist (torch sees 1)');
  });

  it('NumPy on CUDA, an unknown framework: usage errors (exit 2)', async () => {
    const a = await cli(['audit', `${FAKE}:echo`, '--contract', 'last', '--device', 'cuda']);
    expect([a.code, a.stderr]).toEqual([2, expect.stringContaining('NumPy runs on the CPU only')]);
    const b = await cli(['audit', `${FAKE}:echo`, '--contract', 'last', '--framework', 'mxnet']);
    expect([b.code, b.stderr]).toEqual([2, expect.stringContaining('--framework must be one of numpy, torch, jax, tensorflow, cupy')]);
  });

  it('a framework that is not installed: a configuration error (exit 2) with the pip command', async () => {
    const r = await cli(['audit', `${projectPath('test', 'fixtures', 'candidates', 'correct.py')}:softmax`, '--contract', 'last', '--framework', 'tensorflow', '--num-runs', '1'], { SOFTMAX_CONFORMANCE_PYTHON: 'python3' });
    if (spawnSync('python3', ['-c', 'import tensorflow']).status === 0) return; // installed here: nothing to show
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('install it with `pip install tensorflow`');
  });
});

describe.skipIf(hasGpu)('the GPU rows of the manifest on a machine without a GPU (skipped: it has one)', () => {
  it('are skipped as "no CUDA device", never counted as judged, and the run still exits 0 when the rest conforms', async () => {
    const out = join(reports, 'run');
    const r = await cli(['run', '--only', 'numpy-stable,torch-native-cuda,triton-fused-cuda', '--num-runs', '5', '--reports', out, '--reporters', 'json'], { SOFTMAX_CONFORMANCE_PYTHON: 'python3' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    for (const id of ['torch-native-cuda', 'triton-fused-cuda']) {
      const row = report.implementations.find((i: { id: string }) => i.id === id);
      expect(row.status).toBe('skipped');
      expect(row.statusDetail).toMatch(/^skipped: no CUDA device: /);
      expect(row.checks.every((c: { cases: { passed: number; failed: number } }) => c.cases.passed + c.cases.failed === 0)).toBe(true);
    }
    expect(Object.keys(report.accounting.notRunReasons)).toContain('implementation skipped (no CUDA device)');
    // Alone, they judge nothing: that must not read as a pass.
    const alone = await cli(['run', '--only', 'torch-native-cuda,triton-fused-cuda', '--num-runs', '1'], { SOFTMAX_CONFORMANCE_PYTHON: 'python3' });
    expect(alone.code).toBe(2);
  });
});

describe.skipIf(hasGpu)('golden export --device cuda on a machine without a GPU (skipped: it has one)', () => {
  it('says so in one line, exports the rest, and keeps the recorded GPU goldens byte for byte (checksummed)', async () => {
    const out = join(reports, 'golden');
    mkdirSync(out);
    for (const f of ['torch-cuda.json', 'triton-fused.json']) copyFileSync(projectPath('golden', f), join(out, f));
    const r = await cli(['golden', 'export', '--out', out, '--device', 'cuda', '--library', 'numpy', '--date', '2026-12-04'], { SOFTMAX_CONFORMANCE_PYTHON: 'python3' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('no CUDA device'))).toEqual([
      'export: --device cuda: no CUDA device on this machine (no /dev/nvidia*); skipped torch-cuda, triton-fused, jax-cuda, jax-cuda-x64, cupy, the recorded GPU goldens are kept',
    ]);
    for (const f of ['torch-cuda.json', 'triton-fused.json']) expect(readFileSync(join(out, f))).toEqual(readFileSync(projectPath('golden', f)));
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'checksums.json'), 'utf8')).files)).toEqual(['corpus.json', 'numpy.json', 'torch-cuda.json', 'triton-fused.json']);
  });
});

// The golden venv's interpreter (or the one named), when it has torch and JAX.
const realPython = USER_PYTHON ?? (existsSync('/work/main/.venv/bin/python') ? '/work/main/.venv/bin/python' : projectPath('.venv', 'bin', 'python'));
const has = (mod: string) => existsSync(realPython) || !realPython.includes('/') ? spawnSync(realPython, ['-c', `import ${mod}`]).status === 0 : false;
const hasTorch = has('torch');
const hasJax = has('jax');
const why = (mod: string) => `skipped: ${realPython} cannot import ${mod} (run golden/setup-venv.sh or set SOFTMAX_CONFORMANCE_PYTHON)`;
if (process.env.CI && (!hasTorch || !hasJax)) {
  // Not silent in CI: the log says which real-framework tests did not run, and why.
  process.stderr.write(`test/frameworks.test.ts: ${!hasTorch ? `${why('torch')}; ` : ''}${!hasJax ? why('jax') : ''}\n`);
}

const open: ImplementationWorker[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});
const KERNELS = projectPath('test', 'fixtures', 'frameworks');
const f16 = makeTensor('float16', [3], Uint16Array.of(0x8000, 0x7e01, 0x0001));
const bf16 = makeTensor('bfloat16', [2, 2], Uint16Array.of(0x3f80, 0x7fc1, 0x8001, 0xff80));
const f64 = makeTensor('float64', [2], Float64Array.of(-0, 5e-324));

describe('real frameworks on the CPU', () => {
  it.skipIf(!hasTorch)(`torch: float64, float16, bfloat16 in and out bit for bit${hasTorch ? '' : ` (${why('torch')})`}`, async () => {
    const w = await startWorker({ language: 'python', file: join(KERNELS, 'my_kernel.py'), functionName: 'echo', callStyle: 'x', timeoutMs: 30_000, memoryMb: 4096, python: realPython, framework: 'torch', device: 'cpu' });
    if (!('call' in w)) throw new Error(JSON.stringify(w));
    open.push(w);
    const outs = await w.call([f64, f16, bf16].map((input) => ({ input, args: {} })));
    outs.forEach((o, i) => expect(bitwiseEqual(expectKind(o, 'ok').output, [f64, f16, bf16][i])).toBe(true));
  });

  it.skipIf(!hasJax)(`jax: float64 (x64 on), float16, bfloat16 in and out bit for bit; a NumPy array back is an output failure${hasJax ? '' : ` (${why('jax')})`}`, async () => {
    const spec = { language: 'python' as const, file: join(KERNELS, 'jax_kernel.py'), callStyle: 'x' as const, timeoutMs: 30_000, memoryMb: 4096, python: realPython, framework: 'jax' as const, device: 'cpu' };
    const w = await startWorker({ ...spec, functionName: 'echo' });
    if (!('call' in w)) throw new Error(JSON.stringify(w));
    open.push(w);
    const outs = await w.call([f64, f16, bf16].map((input) => ({ input, args: {} })));
    outs.forEach((o, i) => expect(bitwiseEqual(expectKind(o, 'ok').output, [f64, f16, bf16][i])).toBe(true));
    const n = await startWorker({ ...spec, functionName: 'to_numpy' });
    if (!('call' in n)) throw new Error(JSON.stringify(n));
    open.push(n);
    expect(expectKind((await n.call([{ input: f64, args: {} }]))[0], 'bad-output').problem).toBe('returned a numpy.ndarray, not a jax.Array (--framework jax)');
  });

  it.skipIf(!hasTorch)(`audit my_kernel.py:softmax --framework torch --device cpu judges it; --device cuda without one is exit 2${hasTorch ? '' : ` (${why('torch')})`}`, async () => {
    const target = `${join(KERNELS, 'my_kernel.py')}:softmax`;
    const r = await cli(['audit', target, '--contract', 'last', '--framework', 'torch', '--device', 'cpu', '--dtype', 'float64,float32,float16', '--num-runs', '30'], { SOFTMAX_CONFORMANCE_PYTHON: realPython });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('CONFORMS');
    if (hasGpu) return;
    const g = await cli(['audit', target, '--contract', 'last', '--framework', 'torch', '--device', 'cuda', '--num-runs', '1'], { SOFTMAX_CONFORMANCE_PYTHON: realPython });
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/no CUDA device: torch \S+ sees none \(torch\.cuda\.is_available\(\) is False\)/);
  });
});
