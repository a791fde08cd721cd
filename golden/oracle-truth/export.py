"""Exports the oracle's truth set: random and adversarial slices with their correctly rounded softmax and
log-softmax, computed with mpmath (exact.py: >= 320 bits, exact rounding, Ziv check), in float64, float32 and float16.

    python3 golden/oracle-truth/export.py

Writes, next to this file: truth-<dtype>-inputs.npy (every slice's values, concatenated), truth-<dtype>-offsets.npy
(int64, slice i is inputs[offsets[i]:offsets[i+1]]), truth-<dtype>-softmax.npy and truth-<dtype>-log-softmax.npy
(the outputs, in the input's dtype), and index.json (command, versions, date, families, sha256 of every file).
golden/oracle-truth/truth.test.ts checks that the TypeScript oracle agrees with every element, bit for bit.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import platform
import sys
import time

import mpmath
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from exact import MAX_PRECISION, START_PRECISION, slice_truth  # noqa: E402

COMMAND = 'python3 golden/oracle-truth/export.py'
SEED = 20261127
NP = {'float64': np.float64, 'float32': np.float32, 'float16': np.float16}
# per dtype: largest finite, the precision, and log of: the smallest subnormal, half of it, the smallest normal
LIMITS = {
    'float64': dict(max=float(np.finfo(np.float64).max), p=53, ln_sub=-1074 * math.log(2), ln_half=-1075 * math.log(2), ln_norm=-1022 * math.log(2)),
    'float32': dict(max=float(np.finfo(np.float32).max), p=24, ln_sub=-149 * math.log(2), ln_half=-150 * math.log(2), ln_norm=-126 * math.log(2)),
    'float16': dict(max=float(np.finfo(np.float16).max), p=11, ln_sub=-24 * math.log(2), ln_half=-25 * math.log(2), ln_norm=-14 * math.log(2)),
}
OFFSETS = {'float64': (1e6, 1e12, 1e15, 1e100, 1e300, -1e300), 'float32': (1e4, 1e6, 1e20, 1e38, -1e38), 'float16': (100.0, 1000.0, 6e4, -6e4)}
SIGMAS = {'float64': (0.1, 1.0, 10.0, 100.0, 1000.0), 'float32': (0.1, 1.0, 10.0, 100.0, 1000.0), 'float16': (0.1, 1.0, 3.0, 10.0, 1000.0)}


def families(dtype: str, rng) -> list[tuple[str, list]]:
    L = LIMITS[dtype]
    big = L['max']
    out: list[tuple[str, list]] = []

    def add(name, xs):
        out.append((name, [float(v) for v in xs]))

    for sigma in SIGMAS[dtype]:
        for _ in range(250):
            add('random normal', rng.normal(0.0, sigma, int(rng.integers(1, 65))))
    for n in (257, 1000, 4097):
        for sigma in (1.0, 30.0, 300.0):
            add('random long', rng.normal(0.0, sigma, n))
    # results across the subnormal range and the underflow threshold
    for _ in range(150):
        n = int(rng.integers(2, 41))
        x = -(-L['ln_sub'] + 15) * rng.random(n)
        x[0] = 0.0
        add('wide spread (subnormal results)', x)
    for t in (L['ln_sub'], L['ln_half'], L['ln_norm']):
        for j in range(-30, 31):
            d = t * (1 + j * 2.0 ** -40) if j % 3 else np.nextafter(t, 0) if j > 0 else np.nextafter(t, -np.inf)
            add('underflow threshold', [0.0, d])
            add('underflow threshold', [0.0, 0.0, d])
            add('underflow threshold', [d + 5.0, 5.0, 4.5])
    # spreads that overflow x - max, and huge magnitudes
    for _ in range(60):
        a = 10.0 ** rng.uniform(math.log10(big) - 8, math.log10(big))
        add('huge spread', [a, -a] + list(rng.normal(0, 1, int(rng.integers(0, 4)))))
        add('huge spread', [-a, a * rng.random(), -a * rng.random(), a])
    add('huge spread', [big, -big])
    add('huge spread', [big, big, -big])
    add('huge spread', [-big, -big])
    add('huge spread', [big * 0.5, {'float64': 1e-300, 'float32': 1e-40, 'float16': 1e-7}[dtype], -big * 0.5])
    # huge common offsets, values a few ulps to many ulps apart
    for off in OFFSETS[dtype]:
        off = float(NP[dtype](off))
        ulp = float(np.spacing(NP[dtype](abs(off))))
        for _ in range(35):
            n = int(rng.integers(2, 31))
            add('huge offset', off + ulp * rng.integers(-60, 61, n).astype(np.float64))
    # near-equal logits: a few ulps apart
    for _ in range(200):
        base = float(NP[dtype](rng.normal(0, 10)))
        ulp = float(np.spacing(NP[dtype](abs(base))))
        add('near-equal', base + ulp * rng.integers(-8, 9, int(rng.integers(2, 51))).astype(np.float64))
    # length 1 and ties (1 / k exactly rounded)
    for _ in range(200):
        add('length 1', [float(rng.normal(0, 10.0 ** rng.integers(-3, 30)))])
    for k in range(2, 40):
        add('ties', [1.25] * k)
        add('ties', [1.25] * k + list(1.25 - rng.random(int(rng.integers(1, 60))) * 5))
    # log-softmax: x_i - max exactly a rounding midpoint (rounds away from zero once log S > 0 is subtracted)
    p = L['p']
    for j in range(0, 12):
        a = 2.0 ** -j
        b = -(2.0 ** (p - j))
        add('log midpoints', [a, b])
        add('log midpoints', [a, b, a - 2000.0])  # log S tiny but not negligible
        add('log midpoints', [a, b, a - 30.0])
        add('log midpoints', [a, a, b])  # log S = log 2
    # subnormal inputs
    tiny = {'float64': 5e-324, 'float32': 2.0 ** -149, 'float16': 2.0 ** -24}[dtype]
    for _ in range(50):
        add('subnormal inputs', tiny * rng.integers(-20, 21, int(rng.integers(1, 9))).astype(np.float64))
    # -inf among finite values, and whole-slice special values (policy ieee)
    for _ in range(50):
        x = rng.normal(0, 3, int(rng.integers(2, 12)))
        x[rng.random(len(x)) < 0.4] = -np.inf
        x[0] = 0.0
        add('masked -inf', x)
    for xs in ([math.nan, 1.0], [math.inf, 1.0], [-math.inf, -math.inf], [math.inf, math.inf], [1.0, -math.inf, math.nan]):
        add('special values', xs)
    # the dtype's own values: drop slices that do not survive the cast (they would be other slices)
    kept = []
    for name, xs in out:
        with np.errstate(over='ignore'):
            c = np.array(xs, dtype=np.float64).astype(NP[dtype])
        if name != 'special values' and not np.all(np.isfinite(c) | (c == -np.inf)):
            continue
        kept.append((name, [float(v) for v in c]))
    return kept


def sha256(path: str) -> str:
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def index_header(description: str, command: str, seed: int) -> dict:
    """What every truth set's index starts with: what it is, how it was made, with what, when (shared by
    export_bfloat16.py)."""
    return {
        'description': description,
        'command': command,
        'generator': {'python': platform.python_version(), 'numpy': np.__version__, 'mpmath': mpmath.__version__,
                      'precisionBits': {'start': START_PRECISION, 'max': MAX_PRECISION}},
        'date': datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        'seed': seed,
        'policy': 'ieee',
    }


def families(slices) -> list[dict]:
    """Runs of consecutive slices of one family: where each starts, how many slices and elements it has."""
    fams: list[dict] = []
    for i, (name, xs) in enumerate(slices):
        if fams and fams[-1]['family'] == name:
            fams[-1]['slices'] += 1
            fams[-1]['elements'] += len(xs)
        else:
            fams.append({'family': name, 'firstSlice': i, 'slices': 1, 'elements': len(xs)})
    return fams


def write_index(path: str, index: dict) -> None:
    with open(path, 'w') as f:
        json.dump(index, f, indent=1)
        f.write('\n')


def main() -> None:
    rng = np.random.default_rng(SEED)
    index = {
        **index_header('Correctly rounded softmax / log-softmax (policy ieee) of random and adversarial slices; '
                       'the TypeScript oracle must agree bit for bit (golden/oracle-truth/truth.test.ts).', COMMAND, SEED),
        'dtypes': {},
        'sha256': {},
    }
    started = time.time()
    for dtype in ('float64', 'float32', 'float16'):
        slices = families(dtype, rng)
        values = np.array([v for _, xs in slices for v in xs], dtype=NP[dtype])
        offsets = np.cumsum([0] + [len(xs) for _, xs in slices]).astype(np.int64)
        files = {'inputs': values, 'offsets': offsets}
        for op in ('softmax', 'log-softmax'):
            files[op] = np.array([y for _, xs in slices for y in slice_truth(xs, op, dtype)], dtype=NP[dtype])
            print(f'{dtype} {op}: {time.time() - started:.0f}s', file=sys.stderr)
        names = {}
        for key, arr in files.items():
            name = f'truth-{dtype}-{key}.npy'
            np.save(os.path.join(HERE, name), arr)
            names[key] = name
            index['sha256'][name] = sha256(os.path.join(HERE, name))
        index['dtypes'][dtype] = {'slices': len(slices), 'elements': int(len(values)), 'files': names, 'families': families(slices)}
    index['elements'] = sum(d['elements'] for d in index['dtypes'].values())
    index['outputElements'] = 2 * index['elements']
    write_index(os.path.join(HERE, 'index.json'), index)
    print(f'{index["elements"]} input elements, {time.time() - started:.0f}s', file=sys.stderr)


if __name__ == '__main__':
    main()
