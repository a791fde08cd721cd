"""Exports the oracle's bfloat16 truth set: random and adversarial slices with their correctly rounded softmax,
log-softmax and logsumexp in bfloat16, computed with mpmath (exact.py), independent of the TypeScript oracle.

    python3 golden/oracle-truth/export_bfloat16.py

Needs NumPy and mpmath only: bfloat16 values are made by exact rounding (exact.round_dyadic), never through
ml_dtypes' astype from float64 (which rounds twice, through float32). Writes, next to this file:
truth-bfloat16-inputs.npy, -softmax.npy, -log-softmax.npy (every slice's elements, concatenated), -logsumexp.npy (one
per slice), as raw bfloat16 bits in a '|V2' array (the harness reads 2-byte voids as bfloat16, as ml_dtypes saves
them), truth-bfloat16-offsets.npy (int64: slice i is inputs[offsets[i]:offsets[i+1]]), and index-bfloat16.json
(command, versions, families, sha256 of every file). golden/oracle-truth/truth.test.ts checks every element.
"""
from __future__ import annotations

import math
import os
import struct
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from exact import lse_truth, round_dyadic, slice_truth  # noqa: E402
from export import families, index_header, sha256, write_index  # noqa: E402

COMMAND = 'python3 golden/oracle-truth/export_bfloat16.py'
SEED = 20261204
BIG = (2 - 2 ** -7) * 2.0 ** 127  # the largest finite bfloat16
LN_SUB, LN_HALF, LN_NORM = -133 * math.log(2), -134 * math.log(2), -126 * math.log(2)


def bf16(x: float) -> float:
    """x rounded once to the nearest bfloat16 (ties to even), as a float."""
    if math.isnan(x) or math.isinf(x) or x == 0:
        return x
    num, den = abs(x).as_integer_ratio()  # den is a power of two
    return round_dyadic(x < 0, num, -(den.bit_length() - 1), 'bfloat16')


def bits(x: float) -> int:
    """The bfloat16 bits of a bfloat16 value (the top half of its float32)."""
    if math.isnan(x):
        return 0x7FC0
    return struct.unpack('<I', struct.pack('<f', x))[0] >> 16


def ulp(x: float) -> float:
    return 2.0 ** (max(math.frexp(abs(x))[1] - 1, -126) - 7)


def families(rng) -> list[tuple[str, list]]:
    out: list[tuple[str, list]] = []

    def add(name, xs):
        out.append((name, [bf16(float(v)) for v in xs]))

    for sigma in (0.1, 1.0, 3.0, 10.0, 100.0, 1000.0):
        for _ in range(400):
            add('random normal', rng.normal(0.0, sigma, int(rng.integers(1, 65))))
    for n in (257, 1000, 4097):
        for sigma in (1.0, 30.0, 300.0):
            add('random long', rng.normal(0.0, sigma, n))
    for _ in range(150):
        x = -(-LN_SUB + 15) * rng.random(int(rng.integers(2, 41)))
        x[0] = 0.0
        add('wide spread (subnormal results)', x)
    for t in (LN_SUB, LN_HALF, LN_NORM):
        for j in range(-30, 31):
            d = t * (1 + j * 2.0 ** -9)
            add('underflow threshold', [0.0, d])
            add('underflow threshold', [0.0, 0.0, d])
            add('underflow threshold', [d + 5.0, 5.0, 4.5])
    for _ in range(60):
        a = 10.0 ** rng.uniform(math.log10(BIG) - 8, math.log10(BIG))
        add('huge spread', [a, -a] + list(rng.normal(0, 1, int(rng.integers(0, 4)))))
        add('huge spread', [-a, a * rng.random(), -a * rng.random(), a])
    for xs in ([BIG, -BIG], [BIG, BIG, -BIG], [-BIG, -BIG], [BIG * 0.5, 1e-40, -BIG * 0.5]):
        add('huge spread', xs)
    for off in (100.0, 1e4, 1e6, 1e20, 1e38, -1e38):
        off = bf16(off)
        for _ in range(35):
            add('huge offset', off + ulp(off) * rng.integers(-60, 61, int(rng.integers(2, 31))).astype(np.float64))
    for _ in range(300):
        base = bf16(float(rng.normal(0, 10)))
        add('near-equal', base + ulp(base) * rng.integers(-8, 9, int(rng.integers(2, 51))).astype(np.float64))
    for _ in range(200):
        add('length 1', [float(rng.normal(0, 10.0 ** rng.integers(-3, 30)))])
    for k in range(2, 60):
        add('ties', [1.25] * k)
        add('ties', [1.25] * k + list(1.25 - rng.random(int(rng.integers(1, 60))) * 5))
    for j in range(0, 8):  # log-softmax: x_i - max exactly a rounding midpoint
        a, b = 2.0 ** -j, -(2.0 ** (8 - j))
        add('log midpoints', [a, b])
        add('log midpoints', [a, b, a - 2000.0])
        add('log midpoints', [a, b, a - 30.0])
        add('log midpoints', [a, a, b])
    for _ in range(50):
        add('subnormal inputs', 2.0 ** -133 * rng.integers(-20, 21, int(rng.integers(1, 9))).astype(np.float64))
    for _ in range(50):
        x = rng.normal(0, 3, int(rng.integers(2, 12)))
        x[rng.random(len(x)) < 0.4] = -np.inf
        x[0] = 0.0
        add('masked -inf', x)
    for xs in ([math.nan, 1.0], [math.inf, 1.0], [-math.inf, -math.inf], [math.inf, math.inf], [1.0, -math.inf, math.nan]):
        add('special values', xs)
    # slices that do not survive the rounding to bfloat16 (an overflow to inf) would be other slices: drop them
    return [(n, xs) for n, xs in out if n == 'special values' or all(math.isfinite(v) or v == -math.inf for v in xs)]


def save_bits(path: str, values: list) -> None:
    np.save(path, np.array([bits(v) for v in values], dtype='<u2').view('V2'))


def main() -> None:
    started = time.time()
    slices = families(np.random.default_rng(SEED))
    values = [v for _, xs in slices for v in xs]
    files = {
        'inputs': values,
        'softmax': [y for _, xs in slices for y in slice_truth(xs, 'softmax', 'bfloat16')],
        'log-softmax': [y for _, xs in slices for y in slice_truth(xs, 'log-softmax', 'bfloat16')],
        'logsumexp': [lse_truth(xs, 'bfloat16') for _, xs in slices],
    }
    print(f'computed in {time.time() - started:.0f}s', file=sys.stderr)
    names, sums = {}, {}
    for key, vals in files.items():
        names[key] = f'truth-bfloat16-{key}.npy'
        save_bits(os.path.join(HERE, names[key]), vals)
    names['offsets'] = 'truth-bfloat16-offsets.npy'
    np.save(os.path.join(HERE, names['offsets']), np.cumsum([0] + [len(xs) for _, xs in slices]).astype(np.int64))
    for name in names.values():
        sums[name] = sha256(os.path.join(HERE, name))
    index = {
        **index_header('Correctly rounded bfloat16 softmax / log-softmax (policy ieee) and logsumexp of random and '
                       'adversarial slices; the TypeScript oracle must agree bit for bit (truth.test.ts).', COMMAND, SEED),
        'slices': len(slices),
        'elements': len(values),
        'files': names,
        'families': families(slices),
        'sha256': sums,
    }
    write_index(os.path.join(HERE, 'index-bfloat16.json'), index)
    print(f'{len(values)} elements in {len(slices)} slices, {time.time() - started:.0f}s', file=sys.stderr)


if __name__ == '__main__':
    main()
