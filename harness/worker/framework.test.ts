// --framework / --device in the Python worker (harness/py/sc_framework.py), against a fake `torch` written on NumPy
// (test/fixtures/fake-frameworks/torch): CI has no torch, and this suite always runs. The real frameworks are tested
// in test/frameworks-real.test.ts where the golden venv exists.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import { projectPath } from '../paths.js';
import { bitwiseEqual, fromNumbers, makeTensor, type Tensor } from '../tensor/tensor.js';
import { expectKind } from '../../test/fixtures/candidates/helpers.js';
import { startWorker } from './index.js';
import { nvidiaDevices } from './sandbox.js';
import type { CallRequest, ImplementationWorker, StartFailure, WorkerSpec } from './types.js';
import { PYTHON } from '../../test/helpers/python.js';

const FAKES = projectPath('test', 'fixtures', 'fake-frameworks', 'fake_candidates.py');
const open: ImplementationWorker[] = [];
afterAll(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

function spec(fn: string, over: Partial<WorkerSpec> = {}): WorkerSpec {
  return { language: 'python', file: FAKES, functionName: fn, callStyle: 'x', timeoutMs: 5000, memoryMb: 512, framework: 'torch', device: 'cpu', ...over };
}
async function start(fn: string, over: Partial<WorkerSpec> = {}): Promise<ImplementationWorker> {
  const w = await startWorker(spec(fn, over));
  if (!('call' in w)) throw new Error(`${fn} did not start: ${JSON.stringify(w)}`);
  open.push(w);
  return w;
}
async function startFails(fn: string, over: Partial<WorkerSpec> = {}): Promise<StartFailure> {
  const w = await startWorker(spec(fn, over));
  if ('call' in w) {
    open.push(w);
    throw new Error(`${fn} started, but should not have`);
  }
  return w;
}
const call = (input: Tensor): CallRequest => ({ input, args: {} });
const hasMlDtypes = spawnSync(PYTHON, ['-c', 'import ml_dtypes']).status === 0;

// -0, a NaN with a payload, infinities, a subnormal: the values a lossy conversion would change.
const f64 = makeTensor('float64', [2, 3], Float64Array.of(-0, 1.5, Infinity, -Infinity, 5e-324, 2.2250738585072014e-308));
const f32 = makeTensor('float32', [4], Float32Array.of(-0, 3.4028234663852886e38, 1e-45, -1));
const f16 = makeTensor('float16', [3], Uint16Array.of(0x8000, 0x7e01, 0x0001)); // -0, NaN payload, smallest subnormal
const bf16 = makeTensor('bfloat16', [2, 2], Uint16Array.of(0x3f80, 0x7fc1, 0x8001, 0xff80));

describe('--framework torch (fake torch)', () => {
  test('the candidate gets a torch.Tensor of the input\'s dtype on the device', async () => {
    const w = await start('describe');
    const inputs = [f64, f32, f16, ...(hasMlDtypes ? [bf16] : [])];
    const outs = await w.call(inputs.map(call));
    outs.forEach((o, i) => expect(expectKind(o, 'raised').message).toBe(`torch.Tensor ${inputs[i].dtype} cpu`));
    const gpu = await start('describe', { device: 'cuda' });
    expect(expectKind((await gpu.call([call(f32)]))[0], 'raised').message).toBe('torch.Tensor float32 cuda:0');
  });

  test('in and out bit for bit, dtype kept (-0, NaN payloads, infinities, subnormals), on the CPU and on the device', async () => {
    for (const device of ['cpu', 'cuda:0']) {
      const w = await start('echo', { device });
      const inputs = [f64, f32, f16, ...(hasMlDtypes ? [bf16] : [])];
      const outs = await w.call(inputs.map(call));
      outs.forEach((o, i) => {
        const ok = expectKind(o, 'ok');
        expect(ok.output.dtype).toBe(inputs[i].dtype);
        expect(bitwiseEqual(ok.output, inputs[i])).toBe(true);
        expect(ok.mutated).toBe(false);
      });
    }
  });

  test('a NumPy array back from a torch candidate is an output failure that says so', async () => {
    const w = await start('to_numpy');
    const o = expectKind((await w.call([call(f32)]))[0], 'bad-output');
    expect(o.problem).toBe('returned a numpy.ndarray, not a torch.Tensor (--framework torch)');
  });

  test('a tensor back on another device than the input\'s is an output failure that says so', async () => {
    const w = await start('to_cpu', { device: 'cuda' });
    const o = expectKind((await w.call([call(f32)]))[0], 'bad-output');
    expect(o.problem).toBe('returned a torch.Tensor on cpu, not on cuda:0, the input\'s device (--device cuda:0)');
  });

  test('CUDA out of memory is the device\'s memory, and a device-side assert a device error; the next call still runs', async () => {
    const oom = await start('cuda_oom', { device: 'cuda' });
    const m = expectKind((await oom.call([call(f32)]))[0], 'memory');
    expect(m.device).toMatch(/^cuda:0 ran out of device memory \(OutOfMemoryError: CUDA out of memory\. Tried to allocate 20\.00 GiB/);
    const bad = await start('device_assert', { device: 'cuda' });
    const [a, b] = await bad.call([call(f32), call(f64)]);
    for (const o of [a, b]) {
      const c = expectKind(o, 'crash');
      expect(c.device).toBe('a device error on cuda:0 (RuntimeError: CUDA error: device-side assert triggered)');
    }
  });

  test('an in-place write to the tensor is a mutation, on the CPU (shared memory) and on the device (copied back)', async () => {
    for (const device of ['cpu', 'cuda']) {
      const w = await start('in_place', { device });
      const o = expectKind((await w.call([call(fromNumbers('float64', [3], [1, 2, 3]))]))[0], 'ok');
      expect(o.mutated).toBe(true);
      expect([...o.inputAfter!.data as Float64Array]).toEqual([2, 4, 6]);
    }
  });

  test('a device that is not there: a no-device start failure that says "no CUDA device"', async () => {
    const f = await startFails('echo', { device: 'cuda:1' });
    expect(f.kind).toBe('no-device');
    expect(f.message).toBe('no CUDA device: cuda:1 does not exist (torch sees 1)');
  });

  test('a framework that cannot be imported: missing-library with the pip command', async () => {
    const f = await startFails('echo', { framework: 'tensorflow', file: projectPath('test', 'fixtures', 'candidates', 'correct.py'), functionName: 'softmax' });
    expect(f.kind).toBe('missing-library');
    expect(f.module).toBe('tensorflow');
    expect(f.message).toMatch(/^--framework tensorflow needs tensorflow, which .* cannot import \(ModuleNotFoundError: .*\); install it with `pip install tensorflow`$/);
  });
});

describe('--device cuda where the framework is not installed', () => {
  test('no GPU either: "no CUDA device" (the reason a CUDA row cannot run here); with a GPU: the pip command', async () => {
    const f = await startFails('softmax', { framework: 'tensorflow', device: 'cuda', file: projectPath('test', 'fixtures', 'candidates', 'correct.py') });
    if (nvidiaDevices().length === 0) {
      expect(f.kind).toBe('no-device');
      expect(f.message).toBe('no CUDA device: this machine has no NVIDIA GPU or driver (no /dev/nvidia*, no /proc/driver/nvidia), and tensorflow is not installed');
    } else {
      expect(f.kind).toBe('missing-library');
    }
  });
});
