#!/usr/bin/env python3
"""Golden exporter: runs every case of golden/corpus.py through real libraries and writes one JSON file per library.

    python golden/export.py --out golden/ [--date YYYY-MM-DD] [--library NAME ...] [--device cuda]
    python golden/export.py --set bfloat16 --out golden/bfloat16/ [--date YYYY-MM-DD]   (torch, jax, mpmath)

`softmax-conformance golden export` runs it with .venv/bin/python (see golden/setup-venv.sh). It writes
golden/corpus.json (the inputs), golden/<library>.json (outputs or raised errors, with provenance) and
golden/checksums.json (sha256 of each). Each library runs in its own child process with a fixed environment
(one thread everywhere, JAX_ENABLE_X64 per JAX variant), so two runs on the same machine and --date give byte-identical
files. Everything but the libraries themselves comes from NumPy and mpmath.

--device cuda also re-records the GPU goldens (GPU_LIBRARIES: torch, the project's Triton kernel, JAX, CuPy on CUDA)
where this machine has an NVIDIA GPU; without one it says so in one line and leaves the recorded GPU files as they are.
A GPU library whose export fails keeps its recorded file too.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import re
import subprocess
import sys
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / 'harness' / 'py'))

import numpy as np  # noqa: E402

import corpus  # noqa: E402
from sc_tensor import encode_array  # noqa: E402

SCHEMA_VERSION = 1
# Tensors up to this many elements are written as readable JSON numbers; longer ones as base64 bytes.
DATA_FORM_MAX = 64

# The environment of every library's child process: the variables that change results or their determinism.
BASE_ENV = {
    'OMP_NUM_THREADS': '1',
    'MKL_NUM_THREADS': '1',
    'OPENBLAS_NUM_THREADS': '1',
    'PYTHONHASHSEED': '0',
    'CUDA_VISIBLE_DEVICES': '',
}
LIBRARY_ENV = {
    'tensorflow': {'TF_ENABLE_ONEDNN_OPTS': '1', 'TF_NUM_INTRAOP_THREADS': '1', 'TF_NUM_INTEROP_THREADS': '1',
                   'TF_CPP_MIN_LOG_LEVEL': '2', 'TF_DETERMINISTIC_OPS': '1'},
    'tensorflow-onednn-off': {'TF_ENABLE_ONEDNN_OPTS': '0', 'TF_NUM_INTRAOP_THREADS': '1', 'TF_NUM_INTEROP_THREADS': '1',
                              'TF_CPP_MIN_LOG_LEVEL': '2', 'TF_DETERMINISTIC_OPS': '1'},
    'jax': {'JAX_ENABLE_X64': '0', 'JAX_PLATFORMS': 'cpu',
            'XLA_FLAGS': '--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1'},
    'jax-x64': {'JAX_ENABLE_X64': '1', 'JAX_PLATFORMS': 'cpu',
                'XLA_FLAGS': '--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1'},
}
# Variables shown in provenance when set, whoever set them.
RECORDED_ENV = sorted({*BASE_ENV, *(k for env in LIBRARY_ENV.values() for k in env), 'MKL_CBWR',
                       'NPY_DISABLE_CPU_FEATURES', 'TF_XLA_FLAGS'})

# The golden sets: the main corpus (golden/), and bfloat16 (golden/bfloat16/: its own corpus.json and version, made
# from corpus.bfloat16_cases(); only the libraries that take bfloat16 as a dtype of their own, and the truth).
SETS = {'main': None, 'bfloat16': ('torch', 'jax', 'mpmath')}
_cases = None  # the chosen set's cases (select_set)
_corpus_version = corpus.CORPUS_VERSION
_generator = 'golden/corpus.py'


def select_set(name: str) -> None:
    global _cases, _corpus_version, _generator
    if name == 'bfloat16':
        _cases, _corpus_version, _generator = corpus.bfloat16_cases(), corpus.BFLOAT16_CORPUS_VERSION, 'golden/corpus.py bfloat16_cases()'
    else:
        _cases, _corpus_version, _generator = corpus.CASES, corpus.CORPUS_VERSION, 'golden/corpus.py'


ALL_AXES = {'ops': list(corpus.OPS), 'axisNull': True, 'axes': None, 'ranks': None}
EXPLICIT_AXES = {'ops': list(corpus.OPS), 'axisNull': False, 'axes': None, 'ranks': None}

# key -> (title, scope, note). scope: ops it has, whether axis=None (whole array) applies, which explicit axes
# (None: every axis the corpus lists), which ranks (None: all).
LIBRARIES = {
    'numpy': ('NumPy, max-subtracted in float64: e = exp(x - max(x)); e / sum(e) (log: x - max - log(sum(e)))',
              ALL_AXES, 'Every input is converted to float64 first, so the output is float64 for every input dtype.'),
    'numpy-longdouble': ('NumPy, max-subtracted in np.longdouble', ALL_AXES,
                         'Computed in np.longdouble (see provenance.longdouble) and stored rounded to float64 '
                         '(nearest-even): outputs are float64 for every input dtype.'),
    'scipy': ('scipy.special.softmax / log_softmax', ALL_AXES, 'Called with the array as is and axis=None or the axis.'),
    'tensorflow': ('tf.nn.softmax / tf.nn.log_softmax (eager, CPU)', EXPLICIT_AXES,
                   'TF_ENABLE_ONEDNN_OPTS=1 (the default on x86-64 Linux). tf.constant(x) of the input dtype; '
                   'axis=None is not recorded (TensorFlow reads it as -1).'),
    'tensorflow-onednn-off': ('tf.nn.softmax / tf.nn.log_softmax (eager, CPU), TF_ENABLE_ONEDNN_OPTS=0', EXPLICIT_AXES,
                              'As "tensorflow" with the oneDNN kernels turned off (Eigen kernels only).'),
    'torch': ('torch.softmax / torch.log_softmax (CPU)', EXPLICIT_AXES,
              'torch.from_numpy(x) of the input dtype, dim=axis; dim=None is not recorded (deprecated implicit dim).'),
    'jax': ('jax.nn.softmax / jax.nn.log_softmax, JAX_ENABLE_X64=0 (the default)', ALL_AXES,
            'jnp.asarray(x): with x64 off float64 becomes float32 and int64 int32 before the softmax.'),
    'jax-x64': ('jax.nn.softmax / jax.nn.log_softmax, JAX_ENABLE_X64=1', ALL_AXES, 'jnp.asarray(x) keeps 64-bit dtypes.'),
    'sklearn': ('sklearn.utils.extmath.softmax (2-D, rows)', {'ops': ['softmax'], 'axisNull': False, 'axes': [1],
                                                            'ranks': [2]},
                'Normalises the rows of a 2-D array (axis 1), copy=True; it has no log-softmax.'),
    'onnxruntime-opset13': ('ONNX Runtime Softmax / LogSoftmax, opset 13 (Python, CPU execution provider)', EXPLICIT_AXES,
                            'A one-node model (onnx.helper) per input dtype, axis and op, input and output typed as the '
                            'input dtype, attribute axis = the axis; one thread. axis=None is not recorded (opset 13 '
                            'reads a missing axis as -1).'),
    'onnxruntime-opset11': ('ONNX Runtime Softmax / LogSoftmax, opset 11 with axis=0 (Python, CPU execution provider)',
                            {'ops': list(corpus.OPS), 'axisNull': True, 'axes': [], 'ranks': None},
                            'Softmax-11 coerces the input to 2-D at axis (coerce-2d): the axis=null results are '
                            'Softmax-11 with attribute axis=0, which flattens the whole array into one row. Its other '
                            'splits reduce over several but not all axes, which the golden format cannot name, so '
                            'explicit axes are not recorded. A one-node model per input dtype and op; one thread.'),
    'mpmath': ('mpmath, correctly rounded (the truth)', ALL_AXES,
               'Inputs taken exactly (integers not rounded to float64); computed at >= 320 bits (Ziv check, up to '
               '2560) and rounded once, ties to even, from the exact value to the output dtype (the input float '
               'dtype; float64 for integers). Special values follow the ieee policy: NaN, +inf or all -inf make the '
               'slice NaN. A 0-d array is its own one-element slice for every axis.'),
}


# The GPU adapters (--device cuda). Same titles, scopes and notes as the files recorded on the H200 (golden/GPU.md),
# with the device's name filled in from the machine that re-records them.
GPU_LIBRARIES = {
    'torch-cuda': ('torch.softmax / torch.log_softmax on CUDA ({device})', EXPLICIT_AXES,
                   'torch.from_numpy(x).to("cuda"), dim=axis, result copied back; deterministic algorithms on.'),
    'triton-fused': ('Triton fused row softmax on CUDA ({device}): the project\'s kernel (implementations/triton_softmax.py)',
                     {'ops': ['softmax'], 'axisNull': False, 'axes': None, 'ranks': None},
                     'One program per row, BLOCK = next power of two of the row length, masked load with -inf, x - max, '
                     'exp, sum, divide; float16/bfloat16/float32 computed in float32, float64 in float64. Other axes '
                     'are moved last and flattened to rows. Softmax only.'),
    'jax-cuda': ('jax.nn.softmax / log_softmax on CUDA ({device}), JAX_ENABLE_X64=0', ALL_AXES,
                 'jnp.asarray(x) on the GPU: float64 becomes float32, int64 int32, as on CPU.'),
    'jax-cuda-x64': ('jax.nn.softmax / log_softmax on CUDA ({device}), JAX_ENABLE_X64=1', ALL_AXES,
                     'jnp.asarray(x) on the GPU keeping 64-bit dtypes.'),
    'cupy': ('cupyx.scipy.special.softmax / log_softmax on CUDA ({device})', ALL_AXES,
             'cupy.asarray(x), axis as given (axis=None is the whole array), result copied back with cupy.asnumpy.'),
}
LIBRARY_ENV.update({
    'jax-cuda': {'JAX_ENABLE_X64': '0', 'JAX_PLATFORMS': 'cuda'},
    'jax-cuda-x64': {'JAX_ENABLE_X64': '1', 'JAX_PLATFORMS': 'cuda'},
})


def has_gpu() -> bool:
    """An NVIDIA GPU with its driver: device nodes or the driver's /proc folder (the same test as sc_framework.py)."""
    try:
        nodes = [n for n in os.listdir('/dev') if n.startswith('nvidia')]
    except OSError:
        nodes = []
    return bool(nodes) or os.path.isdir('/proc/driver/nvidia')


def gpu_name() -> str:
    try:
        out = subprocess.run(['nvidia-smi', '--query-gpu=name', '--format=csv,noheader'], capture_output=True,
                             text=True, timeout=30)
        return out.stdout.strip().splitlines()[0] if out.returncode == 0 and out.stdout.strip() else 'NVIDIA GPU'
    except (OSError, subprocess.SubprocessError):
        return 'NVIDIA GPU'


# ----------------------------------------------------------------------------------------------------------------
# Deterministic JSON


def dumps_doc(doc: dict, list_key: str) -> str:
    """Sorted keys, two-space indent, and one line per element of doc[list_key] (compact), ending in a newline."""
    parts = []
    for key in sorted(doc):
        if key == list_key:
            items = ',\n'.join('    ' + json.dumps(item, sort_keys=True, separators=(',', ':'), allow_nan=False)
                               for item in doc[key])
            text = '[\n' + items + '\n  ]' if doc[key] else '[]'
        else:
            text = json.dumps(doc[key], sort_keys=True, indent=2, allow_nan=False).replace('\n', '\n  ')
        parts.append(f'  {json.dumps(key)}: {text}')
    return '{\n' + ',\n'.join(parts) + '\n}\n'


def encode(a: np.ndarray) -> dict:
    return encode_array(a, 'data' if a.size <= DATA_FORM_MAX else 'base64')


# ----------------------------------------------------------------------------------------------------------------
# Provenance


def cpu_flags() -> list:
    """The SIMD-related flags of /proc/cpuinfo (what changes vectorised exp/sum paths), sorted."""
    try:
        text = Path('/proc/cpuinfo').read_text()
    except OSError:
        return []
    m = re.search(r'^flags\s*:\s*(.*)$', text, re.M)
    if not m:
        return []
    keep = re.compile(r'^(sse|ssse|avx|fma|f16c|amx|mmx|fp16|bf16|vnni|popcnt|fxsr)')
    return sorted({f for f in m.group(1).split() if keep.match(f)})


def display_python(executable: str) -> str:
    p = Path(executable)
    try:
        return str(p.relative_to(ROOT)) if p.is_absolute() and ROOT in p.parents else p.name
    except ValueError:
        return p.name


def display_out(out: str) -> str:
    """The output directory as the command would name it from the project root (golden/ for the goldens)."""
    p = Path(out).resolve()
    if p == ROOT or ROOT in p.parents:
        return str(p.relative_to(ROOT)) + '/'
    return out


def command_line(out: str, date: str, libraries, golden_set: str = 'main') -> str:
    cmd = [display_python(sys.executable), 'golden/export.py'] + (['--set', golden_set] if golden_set != 'main' else [])
    cmd += ['--out', display_out(out), '--date', date]
    if libraries:
        for lib in libraries:
            cmd += ['--library', lib]
    return ' '.join(cmd)


# ----------------------------------------------------------------------------------------------------------------
# Library adapters: (x, axis, op) -> output array; any exception is recorded.


def _np_shifted(x, axis, op, dtype):
    xf = np.asarray(x).astype(dtype)
    m = np.max(xf, axis=axis, keepdims=True)
    z = xf - m
    e = np.exp(z)
    s = np.sum(e, axis=axis, keepdims=True)
    return e / s if op == 'softmax' else z - np.log(s)


def adapter(library: str):
    if library == 'numpy':
        return lambda x, axis, op: _np_shifted(x, axis, op, np.float64), np.__version__, {}
    if library == 'numpy-longdouble':
        fi = np.finfo(np.longdouble)
        info = {'longdouble': {'itemsize': int(np.dtype(np.longdouble).itemsize), 'nmant': int(fi.nmant),
                               'maxexp': int(fi.maxexp)}}
        return (lambda x, axis, op: _np_shifted(x, axis, op, np.longdouble).astype(np.float64)), np.__version__, info
    if library == 'scipy':
        import scipy
        import scipy.special as sp

        def run(x, axis, op):
            return (sp.softmax if op == 'softmax' else sp.log_softmax)(x, axis=axis)
        return run, scipy.__version__, {}
    if library in ('tensorflow', 'tensorflow-onednn-off'):
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)

        def run(x, axis, op):
            t = tf.constant(x)
            return (tf.nn.softmax if op == 'softmax' else tf.nn.log_softmax)(t, axis=axis).numpy()
        return run, tf.__version__, {}
    if library == 'torch':
        import torch
        torch.set_num_threads(1)
        torch.use_deterministic_algorithms(True)

        def run(x, axis, op):
            if x.dtype.name == 'bfloat16':  # torch.from_numpy has no ml_dtypes' bfloat16: the same bits, reinterpreted
                import ml_dtypes
                t = torch.from_numpy(np.array(x).view(np.int16)).view(torch.bfloat16)
                out = (torch.softmax if op == 'softmax' else torch.log_softmax)(t, dim=axis)
                return out.view(torch.int16).numpy().view(ml_dtypes.bfloat16) if out.dtype == torch.bfloat16 else out.numpy()
            t = torch.from_numpy(np.array(x))
            return (torch.softmax if op == 'softmax' else torch.log_softmax)(t, dim=axis).numpy()
        return run, torch.__version__, {}
    if library in ('jax', 'jax-x64'):
        import jax
        import jax.numpy as jnp

        def run(x, axis, op):
            j = jnp.asarray(x)
            out = (jax.nn.softmax if op == 'softmax' else jax.nn.log_softmax)(j, axis=axis)
            return np.asarray(out)
        return run, jax.__version__, {'jaxlib': __import__('jaxlib').__version__,
                                      'x64': bool(jax.config.jax_enable_x64)}
    if library == 'sklearn':
        import sklearn
        from sklearn.utils.extmath import softmax

        def run(x, axis, op):
            assert x.ndim == 2 and axis == 1 and op == 'softmax'
            return softmax(x)
        return run, sklearn.__version__, {}
    if library in ('onnxruntime-opset13', 'onnxruntime-opset11'):
        import onnx
        import onnxruntime as ort

        opset = 13 if library == 'onnxruntime-opset13' else 11
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 4  # errors are recorded as results, not printed
        sessions = {}

        def run(x, axis, op):
            # opset 11's scope is axis=null only: the whole array is Softmax-11 at axis 0 (one row of everything).
            attr = 0 if opset == 11 else axis
            key = (x.dtype.str, attr, op)
            if key not in sessions:
                sessions[key] = ort.InferenceSession(
                    _onnx_model(onnx, opset, 'Softmax' if op == 'softmax' else 'LogSoftmax', x.dtype, attr),
                    options, providers=['CPUExecutionProvider'])
            return sessions[key].run(None, {'x': x})[0]
        return run, ort.__version__, {'onnx': onnx.__version__, 'opset': opset,
                                      'executionProvider': 'CPUExecutionProvider'}
    if library == 'mpmath':
        import mpmath

        import truth

        def run(x, axis, op):
            return truth.truth(x, axis, op)
        return run, mpmath.__version__, {'workingPrecisionBits': truth.WORKING_PRECISION,
                                         'maxPrecisionBits': truth.MAX_PRECISION, 'policy': 'ieee'}
    if library in GPU_LIBRARIES:
        return gpu_adapter(library)
    raise SystemExit(f'unknown library {library!r}; known: {", ".join([*LIBRARIES, *GPU_LIBRARIES])}')


def gpu_adapter(library: str):
    """(run, version, details) of a GPU library: the input goes to the device as is, the result comes back to NumPy."""
    device = {'device': gpu_name()}
    if library in ('torch-cuda', 'triton-fused'):
        import torch
        torch.use_deterministic_algorithms(True)
        details = {**device, 'torch': torch.__version__, 'cuda': str(torch.version.cuda)}

        def to_cuda(x):
            if x.dtype.name == 'bfloat16':
                return torch.from_numpy(np.array(x).view(np.int16)).view(torch.bfloat16).to('cuda')
            return torch.from_numpy(np.array(x)).to('cuda')

        def back(t):
            t = t.cpu()
            return t.view(torch.int16).numpy().view(x_bf16()) if t.dtype == torch.bfloat16 else t.numpy()

        if library == 'torch-cuda':
            def run(x, axis, op):
                out = (torch.softmax if op == 'softmax' else torch.log_softmax)(to_cuda(x), dim=axis)
                torch.cuda.synchronize()
                return back(out)
            return run, torch.__version__, details
        import triton
        sys.path.insert(0, str(ROOT / 'implementations'))
        import triton_softmax

        def run(x, axis, op):
            t = to_cuda(x)
            if t.dim():
                t = t.movedim(axis, -1)
            out = triton_softmax.softmax(t)
            torch.cuda.synchronize()
            return back(out.movedim(-1, axis) if out.dim() else out)
        return run, triton.__version__, {**details, 'triton': triton.__version__}
    if library in ('jax-cuda', 'jax-cuda-x64'):
        import jax
        import jax.numpy as jnp

        def run(x, axis, op):
            out = (jax.nn.softmax if op == 'softmax' else jax.nn.log_softmax)(jnp.asarray(x), axis=axis)
            return np.asarray(out.block_until_ready())
        return run, jax.__version__, {'devices': [f'cuda:{d.id}' for d in jax.devices()],
                                      'x64': bool(jax.config.jax_enable_x64)}
    if library == 'cupy':
        import cupy
        import cupyx.scipy.special as cs

        def run(x, axis, op):
            out = (cs.softmax if op == 'softmax' else cs.log_softmax)(cupy.asarray(x), axis=axis)
            cupy.cuda.Device().synchronize()
            return cupy.asnumpy(out)
        return run, cupy.__version__, device
    raise SystemExit(f'unknown GPU library {library!r}')


def x_bf16():
    import ml_dtypes
    return ml_dtypes.bfloat16


def _onnx_model(onnx, opset: int, op_type: str, dtype, axis) -> bytes:
    """The serialized one-node model y = op_type(x, axis) under `opset`, x and y of `dtype`, no shape (any rank)."""
    from onnx import helper
    elem = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    node = helper.make_node(op_type, ['x'], ['y'], **({} if axis is None else {'axis': int(axis)}))
    graph = helper.make_graph([node], 'softmax', [helper.make_tensor_value_info('x', elem, None)],
                              [helper.make_tensor_value_info('y', elem, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)], ir_version=7,
                              producer_name='softmax-conformance')
    return model.SerializeToString()


_ADDRESS = re.compile(r'0x[0-9a-fA-F]{6,}')


def clean_message(text: str) -> str:
    """Exception text without memory addresses (which change per run), whitespace-trimmed, at most 2000 chars."""
    text = _ADDRESS.sub('0x…', str(text)).strip()
    return text if len(text) <= 2000 else text[:2000] + '…'


def error_type(e: BaseException) -> str:
    t = type(e)
    return t.__qualname__ if t.__module__ == 'builtins' else f'{t.__module__}.{t.__qualname__}'


def applies(scope: dict, case, axis, op) -> bool:
    if op not in scope['ops']:
        return False
    if scope['ranks'] is not None and len(case.shape) not in scope['ranks']:
        return False
    if axis is None:
        return scope['axisNull']
    return scope['axes'] is None or axis in scope['axes']


def run_library(library: str, out_dir: Path, date: str, command: str) -> None:
    fn, version, extra = adapter(library)
    if library in GPU_LIBRARIES:
        title, scope, note = GPU_LIBRARIES[library]
        title = title.format(device=gpu_name())
    else:
        title, scope, note = LIBRARIES[library]
    results = []
    for case in _cases:
        for dtype, x in case.inputs.items():
            for axis in case.axes:
                for op in corpus.OPS:
                    if not applies(scope, case, axis, op):
                        continue
                    rec = {'case': case.id, 'op': op, 'dtype': dtype, 'axis': axis}
                    arg = x.copy()
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter('always')
                        with np.errstate(all='warn'):
                            try:
                                out = np.asarray(fn(arg, axis, op))
                                try:
                                    rec['output'] = encode(out)
                                except TypeError as e:
                                    rec['error'] = {'type': 'UnencodableOutput', 'message': clean_message(e)}
                            except Exception as e:  # noqa: BLE001 - every library error is a result
                                rec['error'] = {'type': error_type(e), 'message': clean_message(e)}
                    seen = []
                    for w in caught:
                        item = {'category': w.category.__name__, 'message': clean_message(w.message)}
                        if item not in seen:
                            seen.append(item)
                    if seen:
                        rec['warnings'] = seen
                    if not np.array_equal(arg, x, equal_nan=True):
                        rec['inputMutated'] = True
                    results.append(rec)
    env = {k: os.environ[k] for k in RECORDED_ENV if k in os.environ}
    doc = {
        'schemaVersion': SCHEMA_VERSION,
        'library': library,
        'title': title,
        'corpusVersion': _corpus_version,
        'scope': scope,
        'provenance': {
            'libraryVersion': version,
            'python': platform.python_version(),
            'numpy': np.__version__,
            'platform': platform.platform(),
            'machine': platform.machine(),
            'cpuFlags': cpu_flags(),
            'env': env,
            'date': date,
            'command': command,
            'note': note,
            **({'details': extra} if extra else {}),
        },
        'results': results,
    }
    tmp = out_dir / f'.{library}.json.tmp'
    tmp.write_text(dumps_doc(doc, 'results'))
    tmp.replace(out_dir / f'{library}.json')


def write_corpus(out_dir: Path) -> None:
    cases = []
    for case in _cases:
        cases.append({
            'id': case.id,
            'family': case.family,
            'description': case.description,
            'shape': [int(n) for n in case.shape],
            'axes': list(case.axes),
            'ops': list(corpus.OPS),
            'inputs': [encode(a) for a in case.inputs.values()],
        })
    doc = {'schemaVersion': SCHEMA_VERSION, 'corpusVersion': _corpus_version, 'seed': corpus.SEED,
           'generator': _generator, 'cases': cases}
    (out_dir / 'corpus.json').write_text(dumps_doc(doc, 'cases'))


def write_checksums(out_dir: Path) -> None:
    files = {}
    for p in sorted(out_dir.glob('*.json')):
        if p.name != 'checksums.json':
            files[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    doc = {'schemaVersion': SCHEMA_VERSION, 'algorithm': 'sha256', 'files': files}
    (out_dir / 'checksums.json').write_text(json.dumps(doc, sort_keys=True, indent=2) + '\n')


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', required=True, help='the golden directory to write (golden/)')
    ap.add_argument('--date', default=datetime.datetime.now(datetime.timezone.utc).date().isoformat(),
                    help='the provenance date, YYYY-MM-DD (default: today, UTC)')
    ap.add_argument('--library', action='append', choices=[*LIBRARIES, *GPU_LIBRARIES],
                    help='export only this library (repeatable); default: all (the GPU ones with --device cuda)')
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cpu',
                    help='cuda: also re-record the GPU goldens, where this machine has a GPU (default: cpu only)')
    ap.add_argument('--set', dest='golden_set', choices=list(SETS), default='main',
                    help='main (golden/) or bfloat16 (golden/bfloat16/: torch, jax and the mpmath truth on the corpus '
                         'rounded to bfloat16; needs ml_dtypes)')
    ap.add_argument('--jobs', type=int, default=max(1, min(4, os.cpu_count() or 1)),
                    help='libraries exported at once, each in its own single-threaded process (default: CPUs, at most 4)')
    ap.add_argument('--worker', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--command', help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not re.fullmatch(r'\d{4}-\d{2}-\d{2}', args.date):
        ap.error('--date must be YYYY-MM-DD')
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    select_set(args.golden_set)
    if args.golden_set != 'main' and args.library and not set(args.library) <= set(SETS[args.golden_set]):
        ap.error(f'--set {args.golden_set} has only the libraries {", ".join(SETS[args.golden_set])}')

    if args.worker:
        (library,) = args.library
        run_library(library, out_dir, args.date, args.command)
        return 0

    command = command_line(args.out, args.date, args.library, args.golden_set)
    write_corpus(out_dir)
    pending = list(args.library or SETS[args.golden_set] or LIBRARIES)
    gpu_asked = [lib for lib in pending if lib in GPU_LIBRARIES] or (list(GPU_LIBRARIES) if args.device == 'cuda' and not args.library and args.golden_set == 'main' else [])
    if (args.device == 'cuda' or gpu_asked) and not has_gpu():
        # One line, and the recorded GPU files stay as they are (they are kept and checksummed below).
        print(f'export: --device cuda: no CUDA device on this machine (no /dev/nvidia*); skipped {", ".join(gpu_asked or GPU_LIBRARIES)}, '
              'the recorded GPU goldens are kept', file=sys.stderr, flush=True)
        pending = [lib for lib in pending if lib not in GPU_LIBRARIES]
    else:
        pending += [lib for lib in gpu_asked if lib not in pending]
    exported = list(pending)
    running: list = []
    failed = []
    while pending or running:
        while pending and len(running) < args.jobs:
            library = pending.pop(0)
            env = {k: v for k, v in os.environ.items() if k not in RECORDED_ENV}
            env.update(BASE_ENV)
            env.update(LIBRARY_ENV.get(library, {}))
            print(f'export: {library}', file=sys.stderr, flush=True)
            if library in GPU_LIBRARIES:
                env.pop('CUDA_VISIBLE_DEVICES')  # BASE_ENV hides the GPU from the CPU libraries, not from these
            else:
                (out_dir / f'{library}.json').unlink(missing_ok=True)  # never checksum a stale file of a failed export
            running.append((library, subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), '--out', str(out_dir), '--date', args.date,
                 '--set', args.golden_set, '--library', library, '--worker', '--command', command], env=env)))
        library, proc = running.pop(0)
        if proc.wait() != 0:
            failed.append(library)
    # Goldens recorded elsewhere (on a GPU: provenance details name the device) are not this exporter's to redo:
    # they stay, and the checksums cover them.
    kept = sorted(p.name for p in out_dir.glob('*.json')
                  if p.stem not in LIBRARIES and p.stem not in exported and p.name not in ('corpus.json', 'checksums.json'))
    if kept:
        print(f'export: kept (recorded elsewhere, e.g. on a GPU; not reproducible here): {", ".join(kept)}', file=sys.stderr)
    write_checksums(out_dir)
    if failed:
        print(f'export: failed for {", ".join(failed)} (are the libraries installed? run golden/setup-venv.sh)',
              file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
