"""Correctly rounded softmax / log-softmax with mpmath: the exporter's "mpmath" golden (the truth).

Inputs are taken exactly (floats as their exact binary value, integers as integers: an int64 is never rounded to
float64). Each slice is computed at >= 320 bits and every output element is rounded once, directly from the mpf, to
the output dtype (ties to even, subnormals and overflow included), so there is no double rounding through float64.
A Ziv check widens the value by 2^-300 both ways; when the two ends round differently the slice is recomputed at
twice the precision (up to 2560 bits).

Special values follow the harness's default `ieee` policy (DESIGN.md): a NaN or +inf in a slice, or a slice that is
all -inf, makes the whole slice NaN; -inf elements of an otherwise finite slice give 0 (softmax) and -inf (log).
A 0-d array is its own one-element slice for every axis (as harness/contracts.ts reduceAxes does).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

WORKING_PRECISION = 320
MAX_PRECISION = 2560
# (precision in bits including the hidden one, emin, emax)
FORMATS = {'float64': (53, -1022, 1023), 'float32': (24, -126, 127), 'float16': (11, -14, 15),
           'bfloat16': (8, -126, 127)}
# exp(d) for d below this is under 2^-144000 of the slice's sum (which is >= 1): negligible at any working
# precision, and its softmax rounds to +0 in every format.
CUTOFF = -100000

stats = {'slices': 0, 'recomputed': 0, 'unresolved': 0}


def round_mpf(v, dtype: str) -> float:
    """The nearest `dtype` value to the mpf v (ties to even), as a Python float (exact)."""
    p, emin, emax = FORMATS[dtype]
    if mpmath.isnan(v):
        return math.nan
    if mpmath.isinf(v):
        return math.inf if v > 0 else -math.inf
    sign, man, exp, bc = v._mpf_
    if man == 0:
        return -0.0 if sign else 0.0
    e = exp + bc - 1  # floor(log2 |v|)
    q = max(e, emin) - (p - 1)  # the exponent of one unit in the last place at v
    if exp >= q:
        n = man << (exp - q)
    else:
        shift = q - exp
        n = man >> shift
        rem = man - (n << shift)
        half = 1 << (shift - 1)
        if rem > half or (rem == half and n & 1):
            n += 1
    if n == 0:
        return -0.0 if sign else 0.0
    if n.bit_length() + q - 1 > emax:
        return -math.inf if sign else math.inf
    x = math.ldexp(n, q)
    return -x if sign else x


def _exact(x) -> mpmath.mpf:
    """An exact mpf for a float or int (an mpf from a Python int/float is exact when the precision suffices)."""
    if isinstance(x, float):
        return mpmath.mpf(x)  # 53 bits, exact at >= 53 bits
    with mpmath.workprec(max(64, int(x).bit_length() + 1)):
        return mpmath.mpf(int(x))


def _slice_values(xs: list, op: str, prec: int) -> list:
    """The mpf results of one slice at `prec` bits (None for NaN)."""
    with mpmath.workprec(prec):
        m = max(xs)
        out = []
        d = [None if x == -math.inf else mpmath.fsub(_exact(x), _exact(m), exact=True) for x in xs]
        k = sum(1 for di in d if di is not None and di == 0)
        t = mpmath.fsum(mpmath.exp(di) for di in d if di is not None and CUTOFF <= di < 0)
        if op == 'softmax':
            s = k + t
            for di in d:
                out.append(mpmath.mpf(0) if di is None or di < CUTOFF else mpmath.exp(di) / s)
        else:
            # log S = log(k) + log1p(T/k): accurate even when T is far below 2^-prec (no cancellation for d = 0).
            log_s = mpmath.log(k) + mpmath.log1p(t / k)
            for di in d:
                out.append(mpmath.mpf('-inf') if di is None else di - log_s)
        return out


def _round_slice(xs: list, op: str, dtype: str) -> list:
    stats['slices'] += 1
    if not xs:
        return []
    if any(isinstance(x, float) and math.isnan(x) for x in xs) or any(x == math.inf for x in xs) \
            or all(x == -math.inf for x in xs):
        return [math.nan] * len(xs)
    prec = WORKING_PRECISION
    while True:
        vals = _slice_values(xs, op, prec)
        with mpmath.workprec(prec):
            eps = mpmath.ldexp(1, -300)
            ok = True
            rounded = []
            for v in vals:
                r = round_mpf(v, dtype)
                if mpmath.isfinite(v) and v != 0:
                    if round_mpf(v * (1 - eps), dtype) != r or round_mpf(v * (1 + eps), dtype) != r:
                        ok = False
                rounded.append(r)
        if ok:
            return rounded
        if prec >= MAX_PRECISION:
            stats['unresolved'] += 1
            return rounded
        stats['recomputed'] += 1
        prec *= 2


def output_dtype(input_dtype: str) -> str:
    return input_dtype if input_dtype in FORMATS else 'float64'


def truth(x: np.ndarray, axis, op: str) -> np.ndarray:
    """Correctly rounded softmax / log-softmax of x over `axis` (None: the whole array), in x's float dtype
    (integers give float64)."""
    out_dtype = output_dtype(x.dtype.name)
    if x.ndim == 0:
        moved = x.reshape(1, 1)
    elif axis is None:
        moved = x.reshape(1, -1)
    else:
        if not -x.ndim <= axis < x.ndim:
            raise np.exceptions.AxisError(axis, x.ndim)
        moved = np.moveaxis(x, axis, -1)
    rows = moved.reshape(-1, moved.shape[-1]) if moved.size else np.empty((0, 0), dtype=x.dtype)
    values = np.empty(rows.shape, dtype=np.float64)
    for i in range(rows.shape[0]):
        values[i] = _round_slice(rows[i].tolist(), op, out_dtype)
    result = values.astype(out_dtype)  # exact: every value is already in the output format
    if x.ndim == 0:
        return result.reshape(())
    if axis is None:
        return result.reshape(x.shape)
    return np.moveaxis(result.reshape(moved.shape), -1, axis)
