"""Calibration of the `strict` tolerance profile (docs/tolerance.md has the result and the reasoning).

    .venv/bin/python golden/oracle-truth/calibrate.py > golden/oracle-truth/calibration.json

Runs every correct softmax available here on a few thousand random and adversarial rows in float64, float32 and
float16: NumPy's max-subtracted softmax, scipy.special.softmax, and when importable PyTorch, TensorFlow, JAX,
scikit-learn and TensorFlow.js (through node), plus a deliberately bad float64 softmax that computes in float32.
Each output is compared with the correctly rounded value (exact.py, mpmath), per element:
  r = |actual - expected| / (eps |expected|) for normal results (eps: the dtype's machine epsilon),
  s = |actual - expected| / (smallest subnormal) for subnormal or zero results,
bucketed by the element's conditioning |x_i - max| and the row length N; then the smallest (k, c) with
r <= k (1 + |x_i - max|) + c log2 N for every correct implementation is found, and the bad one is checked to fail.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exact import slice_truth  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DTYPES = {'float64': np.float64, 'float32': np.float32, 'float16': np.float16}
EPS = {'float64': 2.0 ** -52, 'float32': 2.0 ** -23, 'float16': 2.0 ** -10}
MIN_NORMAL = {'float64': 2.0 ** -1022, 'float32': 2.0 ** -126, 'float16': 2.0 ** -14}
MIN_SUB = {'float64': 2.0 ** -1074, 'float32': 2.0 ** -149, 'float16': 2.0 ** -24}
SPREAD = {'float64': 760.0, 'float32': 110.0, 'float16': 20.0}
OFFSETS = {'float64': [1e2, 1e4, 1e6, 1e12], 'float32': [1e2, 1e4, 1e6], 'float16': [1e2, 1e3]}
DIST_BUCKETS = [(0, 0), (0, 1), (1, 4), (4, 16), (16, 64), (64, 256), (256, math.inf)]


def rows_for(dtype: str, rng) -> list[tuple[str, np.ndarray]]:
    rows = []
    for sigma in (0.1, 1.0, 3.0, 10.0, 30.0, 100.0):
        for n in (2, 3, 4, 7, 10, 16, 33, 64, 100, 255, 1000, 4097):
            count = 40 if n <= 100 else 10 if n <= 255 else 3
            for _ in range(count):
                rows.append((f'normal(sigma={sigma})', rng.normal(0.0, sigma, n)))
    for n in (8, 64, 512):
        for _ in range(24):
            rows.append(('wide spread (subnormal results)', -SPREAD[dtype] * rng.random(n)))
    for off in OFFSETS[dtype]:
        for n in (4, 16, 128):
            for _ in range(12):
                rows.append((f'offset {off:g}', off + rng.normal(0.0, 3.0, n)))
    for tiny in (1e-9, 1e-6, 1e-3):
        for n in (2, 16, 1000):
            for _ in range(10):
                rows.append((f'near-equal ({tiny:g})', 1.5 + tiny * rng.normal(0.0, 1.0, n)))
    for lead in (10.0, 30.0, 100.0):
        for n in (16, 1000):
            for _ in range(10):
                x = rng.normal(0.0, 1.0, n)
                x[rng.integers(n)] += lead
                rows.append((f'one dominant (+{lead:g})', x))
    for n in (3, 7, 100):
        rows.append(('constant', np.full(n, 0.7)))
    out = []
    for family, x in rows:
        xd = x.astype(DTYPES[dtype])
        if np.all(np.isfinite(xd)):
            out.append((family, xd))
    return out


def implementations():
    """name -> (dtypes, fn(row) -> output row). Library imports are optional."""
    import scipy.special

    impls = {}

    def numpy_stable(x):
        e = np.exp(x - np.max(x))
        return e / np.sum(e)

    impls['numpy-stable'] = (list(DTYPES), numpy_stable)
    impls['scipy.special.softmax'] = (list(DTYPES), lambda x: np.asarray(scipy.special.softmax(x)))
    impls['bad: float32 inside a float64 softmax'] = (['float64'], lambda x: numpy_stable(x.astype(np.float32)).astype(np.float64))
    try:
        import torch

        impls['torch.softmax'] = (list(DTYPES), lambda x: torch.softmax(torch.from_numpy(x.copy()), dim=-1).numpy())
    except Exception:
        pass
    try:
        os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
        import tensorflow as tf

        impls['tf.nn.softmax'] = (list(DTYPES), lambda x: tf.nn.softmax(tf.constant(x)).numpy())
    except Exception:
        pass
    try:
        import jax

        jax.config.update('jax_enable_x64', True)
        import jax.numpy as jnp

        impls['jax.nn.softmax'] = (list(DTYPES), lambda x: np.asarray(jax.nn.softmax(jnp.asarray(x))))
    except Exception:
        pass
    try:
        from sklearn.utils.extmath import softmax as sk_softmax

        impls['sklearn.utils.extmath.softmax'] = (['float64', 'float32'], lambda x: np.asarray(sk_softmax(x[None, :].copy()))[0])
    except Exception:
        pass
    return impls


def tfjs_outputs(rows: list[np.ndarray]):
    """tf.softmax of TensorFlow.js (CPU backend, float32) on every row, through node; None when unavailable."""
    script = (
        "import * as tf from '@tensorflow/tfjs-core'; import '@tensorflow/tfjs-backend-cpu';"
        "await tf.setBackend('cpu'); let s=''; for await (const c of process.stdin) s+=c;"
        "const rows=JSON.parse(s); const out=rows.map(r=>Array.from(tf.tidy(()=>tf.softmax(tf.tensor(r,[r.length],'float32')).dataSync())));"
        "process.stdout.write(JSON.stringify(out));"
    )
    try:
        res = subprocess.run(['node', '--input-type=module', '-e', script], input=json.dumps([r.tolist() for r in rows]),
                             capture_output=True, text=True, cwd=ROOT, timeout=600)
        if res.returncode != 0:
            return None
        return [np.array(r, dtype=np.float32) for r in json.loads(res.stdout)]
    except Exception:
        return None


def bucket_of(dist: float) -> str:
    for lo, hi in DIST_BUCKETS:
        if (lo == hi == 0 and dist == 0) or (lo < dist <= hi):
            return '0' if hi == 0 else f'({lo:g}, {hi:g}]'
    return '?'


def main():
    rng = np.random.default_rng(20261127)
    impls = implementations()
    report = {'command': '.venv/bin/python golden/oracle-truth/calibrate.py', 'numpy': np.__version__, 'dtypes': {}}
    per_element = []  # (impl, dtype, row, actual, expected, |x_i - max|, N)
    started = time.time()
    for dtype in DTYPES:
        rows = rows_for(dtype, rng)
        truths = [np.array(slice_truth([float(v) for v in x], 'softmax', dtype)) for _, x in rows]
        outputs = {}
        for name, (dts, fn) in impls.items():
            if dtype in dts:
                outputs[name] = [np.asarray(fn(x)) for _, x in rows]
        if dtype == 'float32':
            tj = tfjs_outputs([x for _, x in rows])
            if tj is not None:
                outputs['tfjs tf.softmax'] = tj
        report['dtypes'][dtype] = {'rows': len(rows), 'elements': int(sum(len(x) for _, x in rows)), 'implementations': sorted(outputs)}
        for name, outs in outputs.items():
            for row, ((_, x), e, a) in enumerate(zip(rows, truths, outs)):
                a = a.astype(np.float64)
                xd = x.astype(np.float64)
                dist = np.max(xd) - xd
                n = len(xd)
                for i in range(n):
                    per_element.append((name, dtype, row, float(a[i]), float(e[i]), float(dist[i]), n))
        print(f'{dtype}: {len(rows)} rows, {time.time() - started:.0f}s', file=sys.stderr)
    report.update(analyse(per_element))
    json.dump(report, sys.stdout, indent=1, sort_keys=False)
    print()


def is_flush(a: float, e: float, dtype: str) -> bool:
    """A zero where the value is below twice the smallest normal: what flush-to-zero arithmetic loses."""
    return a == 0.0 and e != 0.0 and abs(e) < 2 * MIN_NORMAL[dtype]


def allowed(e: float, dist: float, n: int, dtype: str, k: float, c: float, floor: float) -> float:
    """The strict profile's allowance (harness/tolerance/profiles.ts, kind "conditioned")."""
    return EPS[dtype] * (k * (1 + dist) + c * math.log2(n)) * abs(e) + floor * MIN_SUB[dtype]


def analyse(per_element):
    good = [p for p in per_element if not p[0].startswith('bad')]
    out = {}
    # 1. max observed relative error (in eps) per distance bucket, normal-range results; subnormal-range absolute
    #    error (in smallest subnormals); zeros from flush-to-zero counted apart
    table = {}
    for name, dtype, _, a, e, dist, n in per_element:
        t = table.setdefault(dtype, {}).setdefault(name, {'buckets': {}, 'maxSubnormalAbsUlps': 0.0, 'flushes': 0, 'nonFinite': 0, 'elements': 0})
        t['elements'] += 1
        if not math.isfinite(a):
            t['nonFinite'] += 1
        elif is_flush(a, e, dtype):
            t['flushes'] += 1
        elif abs(e) >= MIN_NORMAL[dtype]:
            b = bucket_of(dist)
            t['buckets'][b] = max(t['buckets'].get(b, 0.0), abs(a - e) / (EPS[dtype] * abs(e)))
        else:
            t['maxSubnormalAbsUlps'] = max(t['maxSubnormalAbsUlps'], abs(a - e) / MIN_SUB[dtype])
    out['maxRelativeErrorInEps'] = table
    # 2. for each c, the smallest k with r <= k (1 + dist) + c log2 N over the correct implementations
    grid = {}
    for dtype in DTYPES:
        grid[dtype] = {}
        for c in (0, 0.5, 1, 2, 4):
            k = 0.0
            for name, dt, _, a, e, dist, n in good:
                if dt == dtype and math.isfinite(a) and abs(e) >= MIN_NORMAL[dtype] and not is_flush(a, e, dtype):
                    k = max(k, (abs(a - e) / (EPS[dtype] * abs(e)) - c * math.log2(n)) / (1 + dist))
            grid[dtype][str(c)] = k
    out['smallestK'] = grid
    # 3. the choice: c = 1, k = twice the largest fitted k at c = 1 rounded up to a half, then the floor (in smallest
    #    subnormals) twice what the subnormal-range results need beyond the relative term, at least 2
    C = 1.0
    K = math.ceil(2 * max(grid[d]['1'] for d in DTYPES) * 2) / 2
    need = 0.0
    for name, dtype, _, a, e, dist, n in good:
        if math.isfinite(a) and not is_flush(a, e, dtype) and abs(e) < MIN_NORMAL[dtype]:
            need = max(need, (abs(a - e) - allowed(e, dist, n, dtype, K, C, 0)) / MIN_SUB[dtype])
    FLOOR = max(2.0, math.ceil(2 * need))
    out['chosen'] = {'k': K, 'c': C, 'floorUlps': FLOOR, 'floorNeeded': need}
    # 4. verdicts with the chosen constants: every correct implementation must pass every row; the bad one must fail
    verdict = {}
    for name, dtype, row, a, e, dist, n in per_element:
        v = verdict.setdefault(f'{name} [{dtype}]', {'rows': set(), 'failedRows': set(), 'worstRatio': 0.0})
        v['rows'].add(row)
        ok = (math.isnan(a) and math.isnan(e)) or a == e
        ratio = 0.0
        if not ok and math.isfinite(a) and math.isfinite(e):
            if is_flush(a, e, dtype):
                ok = True  # the profile's flushedSubnormals: allow
            else:
                ratio = abs(a - e) / allowed(e, dist, n, dtype, K, C, FLOOR)
                ok = ratio <= 1
        elif not ok:
            ratio = math.inf
        v['worstRatio'] = max(v['worstRatio'], ratio)
        if not ok:
            v['failedRows'].add(row)
    out['verdicts'] = {k: {'rows': len(v['rows']), 'failedRows': len(v['failedRows']), 'worstErrorOverAllowed': v['worstRatio']}
                       for k, v in verdict.items()}
    return out


if __name__ == '__main__':
    main()
