"""The suite a user would otherwise write: pytest + Hypothesis, checking a last-axis softmax.

This is the peer of `softmax-conformance audit CANDIDATE --contract last --dtype float64,float32` in the bench
(bench/audit-throughput.ts): same candidate (bench/candidates/correct_softmax.py unless BENCH_CANDIDATE names another
FILE.py:FUNCTION), same number of generated inputs, the same checks on each, similar value families.

Deliberately generous to the peer:
  * one test function does every check on each generated input (one example = one case, as in the harness), rather
    than one test per property, which would generate every input again for each property;
  * the `values` reference is what a user would write: the same max-subtracted formula in float64 NumPy, compared
    with a tolerance. The harness compares with a correctly rounded oracle, which costs far more per element;
  * shapes are rank 0..4 (the harness generates rank 0..6) and at most 512 elements (the same bound).

Environment: BENCH_EXAMPLES (default 2000) sets max_examples; BENCH_COUNT_FILE, if set, receives
{"examples": n, "seconds": s, "checkSeconds": c} at the end: how many inputs were checked, the time from the
first to the last, and how much of it the checks took (the rest is Hypothesis generating inputs).
"""
import atexit
import importlib.util
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import hypothesis.extra.numpy as hnp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = int(os.environ.get("BENCH_EXAMPLES", "2000"))
# "numpy" (default): the values reference a user writes. "exact": the harness's own definition of the values check,
# the correctly rounded result (golden/oracle-truth/exact.py, mpmath) within the harness's `strict` bound.
REFERENCE = os.environ.get("BENCH_REFERENCE", "numpy")
if REFERENCE == "exact":
    sys.path.insert(0, os.path.join(HERE, "..", "..", "golden", "oracle-truth"))
    from exact import slice_truth
TARGET = os.environ.get("BENCH_CANDIDATE", os.path.join(HERE, "..", "candidates", "correct_softmax.py") + ":softmax")


def load(target):
    path, name = target.rsplit(":", 1)
    spec = importlib.util.spec_from_file_location("bench_candidate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


softmax = load(TARGET)

# ---------------------------------------------------------------- counting (one generated input = one case)

COUNT = {"examples": 0, "first": None, "last": None, "body": 0.0}


def _report():
    out = os.environ.get("BENCH_COUNT_FILE")
    if out and COUNT["first"] is not None:
        with open(out, "w") as f:
            json.dump({"examples": COUNT["examples"], "seconds": COUNT["last"] - COUNT["first"], "checkSeconds": COUNT["body"]}, f)


atexit.register(_report)

# ---------------------------------------------------------------- inputs

DTYPES = [np.float64, np.float32]
MAX_SIZE = 512
EXP_OVERFLOW = {np.float64: 709.782712893384, np.float32: 88.72283935546875}
EXP_UNDERFLOW = {np.float64: -708.3964185322641, np.float32: -87.33654475055310}  # log(tiny)
EXP_ZERO = {np.float64: -745.1332191019411, np.float32: -103.97208404541016}  # log(smallest subnormal)
SHIFT = {np.float64: 800.0, np.float32: 100.0}

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=8).filter(lambda s: math.prod(s) <= MAX_SIZE)
nonempty_shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=8).filter(
    lambda s: math.prod(s) <= MAX_SIZE
)


def floats(dtype, lo, hi):
    """Finite floats of the dtype in [lo, hi] (the bounds rounded inward to the dtype, as Hypothesis requires)."""
    a, b = dtype(lo), dtype(hi)
    a = a if a >= lo else np.nextafter(a, dtype(np.inf))
    b = b if b <= hi else np.nextafter(b, dtype(-np.inf))
    return st.floats(float(a), float(b), width=np.finfo(dtype).bits, allow_nan=False, allow_infinity=False)


def arrays(dtype, shape, elements):
    return hnp.arrays(dtype, shape, elements=elements)


def rows_of(x):
    """The last-axis slices as a 2-D view (a 0-d input is one slice of one)."""
    if x.ndim == 0:
        return x.reshape(1, 1)
    return x.reshape(math.prod(x.shape[:-1]), x.shape[-1])


def per_row(fn):
    """A map over an array that changes each last-axis slice k (for the families that shape whole slices)."""

    def apply(x):
        y = x.copy()
        r = rows_of(y)
        for k in range(r.shape[0]):
            r[k] = fn(k, r[k])
        return y

    return apply


def family_strategies(dtype, shape):
    fi = np.finfo(dtype)
    ordinary = floats(dtype, -5, 5)
    spread = st.sampled_from([1000.0, 100.0, 10000.0])
    return {
        "ordinary": arrays(dtype, shape, floats(dtype, -10, 10)),
        "integers": arrays(dtype, shape, st.integers(-10, 10)),
        "huge": arrays(dtype, shape, floats(dtype, -float(fi.max), float(fi.max))),
        "overflow": arrays(dtype, shape, floats(dtype, EXP_OVERFLOW[dtype] - 2, EXP_OVERFLOW[dtype] + 2)),
        "underflow": st.sampled_from([EXP_ZERO[dtype], EXP_UNDERFLOW[dtype]]).flatmap(
            lambda t: arrays(dtype, shape, floats(dtype, t - 2, t + 2))
        ),
        "spread-between": st.tuples(arrays(dtype, shape, ordinary), spread).map(
            lambda a: per_row(lambda k, r: r + (a[1] if k % 2 == 0 else -a[1]))(a[0])
        ),
        "spread-within": st.tuples(arrays(dtype, shape, ordinary), spread).map(
            lambda a: per_row(lambda k, r: r + np.where((np.arange(r.size) + k) % 2 == 0, a[1], -a[1]))(a[0])
        ),
        "offset": st.tuples(arrays(dtype, shape, ordinary), st.sampled_from([1e6, -1e6])).map(lambda a: a[0] + a[1]),
        "near-equal": st.tuples(floats(dtype, -1e4, 1e4), arrays(np.int64, shape, st.integers(-4, 4))).map(
            lambda a: (dtype(a[0]) + a[1] * np.spacing(dtype(a[0]))).astype(dtype)
        ),
        "dominant": st.tuples(arrays(dtype, shape, ordinary), floats(dtype, 20, 60), st.sampled_from([1, 10, 100])).map(
            lambda a: per_row(lambda k, r: np.where(np.arange(r.size) == k % max(r.size, 1), a[1] * a[2], r))(a[0])
        ),
        "subnormal-result": st.tuples(
            arrays(dtype, shape, floats(dtype, -EXP_UNDERFLOW[dtype], -EXP_ZERO[dtype] - 1)), floats(dtype, -5, 5)
        ).map(lambda a: per_row(lambda k, r: np.where(np.arange(r.size) == k % max(r.size, 1), a[1], a[1] - r))(a[0])),
        "signed-zero": arrays(
            dtype, shape,
            st.one_of(st.sampled_from([0.0, -0.0, float(fi.smallest_subnormal), -float(fi.smallest_subnormal), -float(fi.tiny)]), ordinary),
        ),
        "infinity": arrays(dtype, shape, st.one_of(ordinary, st.sampled_from([math.inf, -math.inf]))),
        "nan": arrays(dtype, shape, st.one_of(ordinary, st.just(math.nan))),
        "all-neg-inf": st.tuples(arrays(dtype, shape, ordinary), st.integers(0, 1 << 16)).map(
            lambda a: per_row(lambda k, r: np.full_like(r, -np.inf) if k % 2 == a[1] % 2 else r)(a[0])
        ),
    }


FAMILIES = list(family_strategies(np.float64, (1,)))
NEEDS_ELEMENTS = set(FAMILIES) - {"ordinary", "integers"}


@st.composite
def cases(draw):
    dtype = draw(st.sampled_from(DTYPES))
    family = draw(st.sampled_from(FAMILIES))
    shape = draw(nonempty_shapes if family in NEEDS_ELEMENTS else shapes)
    x = draw(family_strategies(dtype, shape)[family])
    return family, np.ascontiguousarray(x, dtype=dtype)


# ---------------------------------------------------------------- the checks


def reference(x):
    """What a user writes: the max-subtracted formula in float64 NumPy (NaN/inf follow IEEE, like the candidate)."""
    r = rows_of(x.astype(np.float64))
    if r.shape[1] == 0:
        return np.zeros(x.shape)
    e = np.exp(r - r.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).reshape(x.shape)


def exact_values(y, x):
    """values against the correctly rounded softmax, with the harness's `strict` bound:
    |y - e| <= eps * ((1 + |x - max|) + (N - 1) / 2) * |e| + 2 subnormal ULP."""
    fi = np.finfo(x.dtype)
    fmt = "float64" if x.dtype == np.float64 else "float32"
    xr = rows_of(x.astype(np.float64))
    e = np.array([slice_truth(row.tolist(), "softmax", fmt) for row in xr], dtype=np.float64).reshape(xr.shape)
    yr = rows_of(y.astype(np.float64))
    with np.errstate(all="ignore"):
        dist = np.abs(xr - xr.max(axis=1, keepdims=True, initial=-np.inf))
        bound = float(fi.eps) * ((1 + dist) + (xr.shape[1] - 1) / 2) * np.abs(e) + 2 * float(fi.smallest_subnormal)
        ok = (yr == e) | (np.isnan(yr) & np.isnan(e)) | (np.abs(yr - e) <= bound)
    assert ok.all(), f"values: outputs differ from the correctly rounded ones at {np.argwhere(~ok)[:3].tolist()}"


def domains(x):
    finite = np.isfinite(x)
    r = rows_of(x.astype(np.float64))
    over = bool(np.any(x[finite] > EXP_OVERFLOW[x.dtype.type])) if x.size else False
    under = False
    if r.size:
        fr = np.where(np.isfinite(r), r, np.nan)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices (whole -inf rows)
            mx, mn = np.nanmax(fr, axis=1), np.nanmin(fr, axis=1)
        ok = ~np.isnan(mx)
        under = bool(np.any((mx[ok] < EXP_UNDERFLOW[x.dtype.type]) | (mn[ok] - mx[ok] < EXP_UNDERFLOW[x.dtype.type])))
    return {
        "nan": bool(np.isnan(x).any()),
        "inf": bool(np.isinf(x).any()),
        "overflow": over,
        "underflow": under,
        "empty": x.size == 0,
    }


def dist_from_max(x):
    r = rows_of(x.astype(np.float64))
    if r.shape[1] == 0:
        return np.zeros(x.shape)
    return (r.max(axis=1, keepdims=True) - r).reshape(x.shape)


def agree(a, b, dist, dtype, extra=0.0):
    """Two outputs of the candidate agree within a few roundings scaled by |x - max| (the harness's bound)."""
    fi = np.finfo(dtype)
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    tol = (64 * float(fi.eps) * (1 + dist) + extra) * np.maximum(np.abs(a), np.abs(b)) + 64 * float(fi.tiny)
    same = (a == b) | (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= tol)
    assert same.all(), f"outputs differ at {np.argwhere(~same)[:3].tolist()}"


def call(x):
    """A fresh copy for the candidate; the copy is checked afterwards for mutation."""
    arg = x.copy()
    y = softmax(arg)
    assert arg.tobytes() == x.tobytes(), "mutation: the input was modified"
    return np.asarray(y)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(cases())
def test_softmax(case):
    now = time.perf_counter()
    if COUNT["first"] is None:
        COUNT["first"] = now
    COUNT["examples"] += 1
    try:
        check(case)
    finally:
        COUNT["last"] = time.perf_counter()
        COUNT["body"] += COUNT["last"] - now


def check(case):
    family, x = case
    dtype = x.dtype.type
    fi = np.finfo(dtype)
    d = domains(x)
    representable = not (d["nan"] or d["inf"] or d["overflow"] or d["underflow"] or d["empty"])

    y = call(x)
    # output, dtype, rank (shape)
    assert isinstance(y, np.ndarray), f"output: returned {type(y).__name__}"
    assert y.dtype == x.dtype, f"dtype: {y.dtype} for {x.dtype} input"
    assert y.shape == x.shape, f"rank: shape {y.shape} for {x.shape}"

    # values (and overflow, underflow, nan, infinity, empty, singleton): against the float64 NumPy reference
    dist = dist_from_max(x)
    if REFERENCE == "exact":
        exact_values(y, x)
    else:
        ref = reference(x)
        rtol = 8 * float(fi.eps) * (1 + float(dist[np.isfinite(dist)].max(initial=0.0)))
        np.testing.assert_allclose(y, ref.astype(dtype), rtol=rtol, atol=4 * float(fi.smallest_subnormal), equal_nan=True)

    # determinism: the same call twice, bit for bit
    if not d["empty"]:
        assert call(x).tobytes() == y.tobytes(), "determinism: two calls differ"

    if not representable:
        return
    r = rows_of(y.astype(np.float64))
    xr = rows_of(x.astype(np.float64))
    # sum-to-one, with the harness's allowance for the rounding of x - max
    n = r.shape[1]
    spread = xr.max(axis=1) - xr.min(axis=1)
    allowed = float(fi.eps) / 2 * (8 + 2 * n) * (1 + spread)
    assert np.all(np.abs(np.sum(r, axis=1) - 1) <= allowed), "sum-to-one"
    # range
    assert np.all((y >= 0) & (y <= 1)), "range"
    # order: a larger input never gets a smaller probability; equal inputs equal ones
    idx = np.argsort(xr, axis=1, kind="stable")
    xs, ys = np.take_along_axis(xr, idx, 1), np.take_along_axis(r, idx, 1)
    dx, dy = np.diff(xs, axis=1), np.diff(ys, axis=1)
    assert np.all(dy >= 0) and np.all(dy[dx == 0] == 0), "order"

    if x.ndim > 0:
        # shift-invariance: +S on even slices, -S on odd ones
        s = SHIFT[dtype]
        signs = np.where(np.arange(xr.shape[0]) % 2 == 0, s, -s)[:, None]
        moved = (rows_of(x) + signs.astype(dtype)).astype(dtype).reshape(x.shape)
        perturb = float(np.max(np.abs(rows_of(moved).astype(np.float64) - signs - xr), initial=0.0))
        agree(call(moved), y, dist, dtype, 4 * perturb)
        # permutation: reversing each slice reverses its output
        if x.shape[-1] > 1:
            agree(call(np.ascontiguousarray(x[..., ::-1]))[..., ::-1], y, dist, dtype)
        # batch-independence: the slices with the largest and smallest max, alone, give the same result
        if xr.shape[0] > 1:
            maxes = xr.max(axis=1)
            for k in sorted({int(np.argmax(maxes)), int(np.argmin(maxes))}):
                alone = rows_of(x)[k].reshape((1,) * (x.ndim - 1) + (x.shape[-1],))
                agree(call(alone).reshape(-1), r[k], rows_of(dist)[k], dtype)
