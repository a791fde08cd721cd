"""Correctly rounded softmax / log-softmax of one slice with mpmath, independent of the TypeScript oracle.

Each slice is evaluated at P bits (P >= 300); every output is rounded once from the exact dyadic value of the mpf
result, with integers (ties to even, subnormals and overflow included), never through float(mpf) (which may
truncate) or a float64 intermediate (double rounding for float32/float16). A Ziv check widens each result by its
error bound, (n + 10) 2^(4-P) relative; if the two ends round differently the slice is recomputed at 2P bits.

Special values follow the default `ieee` policy: a NaN or +inf in a slice, or an all -inf slice, gives NaN
everywhere; -inf elements among finite ones give 0 (log: -inf).
"""
from __future__ import annotations

import math

import mpmath

# format: (precision p in bits with the hidden one, emin, emax)
FORMATS = {'float64': (53, -1022, 1023), 'float32': (24, -126, 127), 'float16': (11, -14, 15), 'bfloat16': (8, -126, 127)}
START_PRECISION = 320
MAX_PRECISION = 8192


def round_dyadic(neg: bool, M: int, e: int, fmt: str, tie_up: bool = False) -> float:
    """(-1)^neg * M * 2^e (M >= 0 an integer) rounded to the format, ties to even (tie_up: ties away from 0)."""
    p, emin, emax = FORMATS[fmt]
    if M == 0:
        return -0.0 if neg else 0.0
    top = e + M.bit_length() - 1  # floor(log2 value)
    q = max(top, emin) - (p - 1)  # exponent of the unit in the last place
    if e >= q:
        N = M << (e - q)
    else:
        shift = q - e
        N = M >> shift
        rem = M - (N << shift)
        half = 1 << (shift - 1)
        if rem > half or (rem == half and (tie_up or N & 1)):
            N += 1
    if N.bit_length() + q > emax + 1:  # rounded up past the largest finite value
        return -math.inf if neg else math.inf
    v = math.ldexp(N, q)  # exact: N < 2^p (or = 2^p, a power of two)
    return -v if neg else v


def _mpf_parts(v) -> tuple[bool, int, int]:
    sign, man, exp, _ = v._mpf_
    return bool(sign), int(man), int(exp)


def _round_checked(v, rel_bits: int, fmt: str):
    """Round mpf v whose relative error is below 2^-rel_bits; None if the bound straddles a rounding boundary."""
    neg, man, exp = _mpf_parts(v)
    if man == 0:
        return 0.0
    # v (1 -+ 2^-rel_bits), exactly, as integers times 2^(exp - rel_bits)
    lo = man * ((1 << rel_bits) - 1)
    hi = man * ((1 << rel_bits) + 1)
    a = round_dyadic(neg, lo, exp - rel_bits, fmt)
    b = round_dyadic(neg, hi, exp - rel_bits, fmt)
    return a if a == b and math.copysign(1, a) == math.copysign(1, b) else None


def _exact_diff_round(x: float, m: float, fmt: str, tie_up: bool) -> float:
    """round(x - m), computed exactly from the binary values (x - m <= 0)."""
    fx = mpmath.mpf(x)
    fm = mpmath.mpf(m)
    d = mpmath.fsub(fx, fm, exact=True)
    neg, man, exp = _mpf_parts(d)
    return round_dyadic(neg, man, exp, fmt, tie_up)


def _attempt(xs: list, op: str, fmt: str, P: int):
    """One evaluation at P bits; None where the Ziv check failed (the caller retries at 2P)."""
    n = len(xs)
    with mpmath.workprec(P):
        m = max(x for x in xs if x != -math.inf)
        mm = mpmath.mpf(m)
        d = [None if x == -math.inf else mpmath.fsub(mpmath.mpf(x), mm, exact=True) for x in xs]
        k = sum(1 for t in d if t is not None and t == 0)
        others = [t for t in d if t is not None and t != 0]
        ln2 = math.log(2)
        rel_bits = P - 4 - (n + 10).bit_length()  # (n + 10) 2^(4 - P) <= 2^-rel_bits
        out = []
        if op == 'softmax':
            # terms below exp(-(P + 40) ln2) / n are negligible against S >= 1 (inside the bound)
            cut = -(P + 40) * ln2 - math.log(n)
            T = mpmath.fsum(mpmath.exp(t) for t in others if t > cut)
            S = T + k
            for t in d:
                if t is None or t < -760:  # -inf, or below 2^-1096: +0 in every format
                    out.append(0.0)
                    continue
                out.append(_round_checked(mpmath.exp(t) / S, rel_bits, fmt))
            return out
        # log-softmax: L = log k + log1p(T / k), T needed to relative accuracy
        tiny = False  # L < 2^-1100 with k = 1: below every rounding resolution (see below)
        if not others:
            L = mpmath.log(k)
        else:
            d2 = max(others)
            if d2 < -1e6:
                # T < n e^-1e6: nothing at P bits sees it (k >= 2), or only its sign matters (k = 1)
                L = mpmath.log(k)
                tiny = k == 1
            else:
                cut = d2 - (P + 40) * ln2 - math.log(n)
                T = mpmath.fsum(mpmath.exp(t) for t in others if t >= cut)
                L = mpmath.log(k) + mpmath.log1p(T / k)
                tiny = k == 1 and L < mpmath.mpf(2) ** -1100
        for x, t in zip(xs, d):
            if t is None:
                out.append(-math.inf)
            elif t == 0:
                if not others:
                    out.append(0.0 if k == 1 else _round_checked(-L, rel_bits, fmt))
                elif tiny:
                    out.append(-0.0)  # -log1p(T) with 0 < T < 2^-1100
                else:
                    out.append(_round_checked(-L, rel_bits, fmt))
            elif tiny:
                # y = d - L with 0 < L < 2^-1100: d is exact and a multiple of 2^-1074, every rounding boundary a
                # multiple of 2^-1075, so y rounds as d does, except that an exact midpoint d goes away from 0.
                out.append(_exact_diff_round(x, m, fmt, True))
            else:
                out.append(_round_checked(t - L, rel_bits, fmt))
        return out


def slice_truth(xs: list, op: str, fmt: str) -> list:
    """The correctly rounded softmax ('softmax') or log-softmax ('log-softmax') of one slice of floats."""
    n = len(xs)
    if n == 0:
        return []
    if any(math.isnan(x) or x == math.inf for x in xs) or all(x == -math.inf for x in xs):
        return [math.nan] * n
    P = START_PRECISION
    while True:
        out = _attempt(xs, op, fmt, P)
        if all(v is not None for v in out):
            return out
        if P >= MAX_PRECISION:
            raise RuntimeError(f'cannot decide the rounding of a slice at {P} bits: {xs!r}')
        P *= 2


def lse_truth(xs: list, fmt: str) -> float:
    """The correctly rounded logsumexp of one slice: NaN if any NaN; +inf if any +inf; -inf if empty or all -inf."""
    if any(math.isnan(x) for x in xs):
        return math.nan
    if any(x == math.inf for x in xs):
        return math.inf
    finite = [x for x in xs if x != -math.inf]
    if not finite:
        return -math.inf
    if len(finite) == 1:
        return finite[0]
    n = len(finite)
    P = START_PRECISION
    while P <= MAX_PRECISION:
        with mpmath.workprec(P):
            m = max(finite)
            mm = mpmath.mpf(m)
            d = [mpmath.fsub(mpmath.mpf(x), mm, exact=True) for x in finite]
            cut = -(P + 40) * math.log(2) - math.log(n)
            L = mpmath.log(mpmath.fsum(mpmath.exp(t) for t in d if t > cut))
            y = mm + L
            # absolute error: each of the n exps, the sum, the log and the addition, relative 2^(4-P) of what they touch
            err = (n + 10) * mpmath.mpf(2) ** (4 - P) * (abs(mm) + L + 1)
            if y != 0:
                rel_bits = int(mpmath.floor(mpmath.log(abs(y) / err, 2)))
                if rel_bits >= 30:
                    r = _round_checked(y, rel_bits, fmt)
                    if r is not None:
                        return r
        P *= 2
    raise RuntimeError(f'cannot decide logsumexp of {xs[:6]}')
