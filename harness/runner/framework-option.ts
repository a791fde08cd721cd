// `--framework` and `--device`: which tensor type a Python candidate is called with, and where it lives. The
// conversion itself is harness/py/sc_framework.py; this checks the pair and puts it on the subject.
import { UsageError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { FRAMEWORK_PIP, FRAMEWORKS, type Framework } from '../worker/types.js';
import type { SubjectSpec } from './subject.js';

export const FRAMEWORK_HELP = `the tensor type a Python candidate gets: ${FRAMEWORKS.join(', ')} (the input's dtype, on --device)`;
export const DEVICE_HELP = 'where that tensor lives: cpu, cuda or cuda:N (no CUDA device here: exit 2)';

export function isFramework(v: string): v is Framework {
  return (FRAMEWORKS as readonly string[]).includes(v);
}

/** The checked pair, or UsageError naming what is wrong. */
export function parseFrameworkDevice(framework: string | undefined, device: string | undefined): { framework: Framework; device: string } {
  const f = framework ?? 'numpy';
  if (!isFramework(f)) throw new UsageError(`--framework must be one of ${FRAMEWORKS.join(', ')}, got "${f}"`);
  const d = device ?? (f === 'cupy' ? 'cuda' : 'cpu');
  if (!/^(cpu|cuda(:[0-9]+)?)$/.test(d)) throw new UsageError(`--device must be cpu, cuda or cuda:N, got "${d}"`);
  if (f === 'numpy' && d !== 'cpu') throw new UsageError(`NumPy runs on the CPU only: --device ${d} needs --framework torch, jax, tensorflow or cupy`);
  if (f === 'cupy' && d === 'cpu') throw new UsageError('CuPy runs on CUDA devices only: use --device cuda');
  return { framework: f, device: d };
}

/** The subject with its framework and device; a framework other than NumPy is for Python candidates only. */
export function withFramework(spec: SubjectSpec, framework: Framework, device: string): SubjectSpec {
  if (framework === 'numpy' && device === 'cpu') return spec;
  if (spec.language !== 'python') throw new UsageError(`--framework ${framework} and --device are for Python candidates; ${spec.id} is JavaScript`);
  return { ...spec, framework, device, ...(framework !== 'numpy' ? { installHint: FRAMEWORK_PIP[framework] } : {}) };
}

/** Dtypes the framework has no tensor type for (CuPy has no bfloat16): left out of the audit's cases. */
export function frameworkLacks(framework: Framework | undefined): DType[] {
  return framework === 'cupy' ? ['bfloat16'] : [];
}

/**
 * Python lines for a reproduction script: `to_tensor(x)` and `to_numpy(t)`, the conversions harness/py/sc_framework.py
 * makes (same dtype, bfloat16 included, on the device), so the script calls the candidate as the audit did.
 */
export function frameworkSnippet(framework: Framework, device: string): string {
  const d = JSON.stringify(device);
  switch (framework) {
    case 'numpy':
      return '';
    case 'torch':
      return [
        'import torch',
        `def to_tensor(x): return (torch.from_numpy(x.view(np.int16)).view(torch.bfloat16) if x.dtype.name == "bfloat16" else torch.from_numpy(x)).to(${d})`,
        'def to_numpy(t): t = t.detach().cpu(); return t.view(torch.int16).numpy().view(ml_dtypes.bfloat16) if t.dtype == torch.bfloat16 else t.numpy()',
        'import ml_dtypes',
      ].join('\n');
    case 'jax':
      return [
        'import jax; jax.config.update("jax_enable_x64", True)',
        `def to_tensor(x): return jax.device_put(x, jax.devices(${JSON.stringify(device === 'cpu' ? 'cpu' : 'gpu')})[${device === 'cpu' ? 0 : Number(device.split(':')[1] ?? 0)}])`,
        'def to_numpy(t): return np.asarray(t)',
      ].join('\n');
    case 'tensorflow':
      return [
        'import tensorflow as tf',
        `def to_tensor(x):\n    with tf.device(${JSON.stringify(device === 'cpu' ? 'CPU:0' : `GPU:${device.split(':')[1] ?? 0}`)}): return tf.identity(tf.convert_to_tensor(x))`,
        'def to_numpy(t): return t.numpy()',
      ].join('\n');
    case 'cupy':
      return [
        'import cupy',
        `def to_tensor(x):\n    with cupy.cuda.Device(${Number(device.split(':')[1] ?? 0)}): return cupy.asarray(x)`,
        'def to_numpy(t): return cupy.asnumpy(t)',
      ].join('\n');
  }
}
