// --framework / --device: which pairs are accepted, and what a reproduction script of a framework candidate calls.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { fromNumbers } from '../tensor/tensor.js';
import { frameworkLacks, parseFrameworkDevice, withFramework } from './framework-option.js';
import { callText, importLineFor, type SubjectSpec } from './subject.js';

const spec: SubjectSpec = {
  id: 'k.py:softmax', title: 't', source: 's', language: 'python', file: '/tmp/k.py', functionName: 'softmax',
  callStyle: 'x-axis', claims: ['last'], alsoLast: false, expectedFailures: [],
};

describe('parseFrameworkDevice', () => {
  it('defaults to NumPy on the CPU, CuPy to cuda', () => {
    expect(parseFrameworkDevice(undefined, undefined)).toEqual({ framework: 'numpy', device: 'cpu' });
    expect(parseFrameworkDevice('torch', 'cuda:1')).toEqual({ framework: 'torch', device: 'cuda:1' });
    expect(parseFrameworkDevice('cupy', undefined)).toEqual({ framework: 'cupy', device: 'cuda' });
  });
  it('refuses what cannot run, as usage errors (exit 2)', () => {
    expect(() => parseFrameworkDevice('mxnet', 'cpu')).toThrow(new UsageError('--framework must be one of numpy, torch, jax, tensorflow, cupy, got "mxnet"'));
    expect(() => parseFrameworkDevice('torch', 'gpu')).toThrow(/--device must be cpu, cuda or cuda:N, got "gpu"/);
    expect(() => parseFrameworkDevice('numpy', 'cuda')).toThrow(/NumPy runs on the CPU only/);
    expect(() => parseFrameworkDevice('cupy', 'cpu')).toThrow(/CuPy runs on CUDA devices only/);
  });
  it('CuPy has no bfloat16; the others do', () => {
    expect(frameworkLacks('cupy')).toEqual(['bfloat16']);
    expect(frameworkLacks('torch')).toEqual([]);
  });
});

describe('withFramework', () => {
  it('puts the framework, the device and the pip command on a Python subject; NumPy on the CPU leaves it as it was', () => {
    expect(withFramework(spec, 'numpy', 'cpu')).toBe(spec);
    const s = withFramework(spec, 'jax', 'cuda:0');
    expect([s.framework, s.device, s.installHint]).toEqual(['jax', 'cuda:0', 'pip install jax']);
  });
  it('refuses a JavaScript candidate', () => {
    expect(() => withFramework({ ...spec, language: 'javascript' }, 'torch', 'cpu')).toThrow(/for Python candidates/);
  });
});

describe('reproduction scripts of a framework candidate', () => {
  it('call it with the framework\'s tensor on the device, and bring the result back to NumPy', () => {
    const s = withFramework(spec, 'torch', 'cuda:0');
    const e = { input: fromNumbers('float32', [2], [1, 2]), args: { axis: -1 } };
    expect(callText(s, e as never)).toBe('to_numpy(softmax(to_tensor(x), axis=-1))');
    expect(importLineFor(s)).toContain('torch.from_numpy(x)).to("cuda:0")');
    expect(callText(spec, e as never)).toBe('softmax(x, axis=-1)');
    expect(importLineFor(spec)).not.toContain('to_tensor');
  });
});
