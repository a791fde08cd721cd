"""The fixed, versioned golden corpus: every input the exporter feeds to the libraries.

Each case has an id, a family (what it probes), a shape, the axes it applies to (None = the whole array) and one input
array per dtype it applies to. Inputs may differ per dtype (thresholds such as log(finfo.max) depend on it); the shape
does not. Everything is deterministic: fixed literals and seeded NumPy generators, so the corpus only changes when
CORPUS_VERSION does. Depends on NumPy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Bump whenever a case, an input, a dtype or an axis list changes: the goldens record the version they were made from.
CORPUS_VERSION = 1
# The seed of every random case (each case derives its own generator from it and its id, so cases are independent).
SEED = 20240601

F = ('float64', 'float32', 'float16')
FI = F + ('int32', 'int64')
OPS = ('softmax', 'log-softmax')


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    description: str
    inputs: dict  # dtype name -> np.ndarray of that dtype (dict order is the export order)
    axes: tuple  # None (whole array) and explicit non-negative axes

    @property
    def shape(self) -> tuple:
        return next(iter(self.inputs.values())).shape


def _rng(case_id: str) -> np.random.Generator:
    # A stable per-case stream: the seed plus the case id's bytes (no hash(), which is salted per process).
    return np.random.default_rng([SEED, *case_id.encode('utf-8')])


def _cast(values, dtypes) -> dict:
    """The same values in each dtype: floats rounded to nearest (overflow gives inf), integers exact."""
    out = {}
    for dt in dtypes:
        a = np.asarray(values)
        with np.errstate(over='ignore', invalid='ignore'):
            out[dt] = np.array(a, dtype=dt)
        if dt.startswith('int') and not np.array_equal(out[dt].astype(np.float64), a.astype(np.float64)):
            raise ValueError(f'{values!r} is not exact in {dt}')
    return out


def _per_dtype(fn, dtypes=F) -> dict:
    """An input built per dtype from its finfo: fn(finfo, dtype) -> values, then rounded to the dtype."""
    out = {}
    for dt in dtypes:
        vals = fn(np.finfo(dt), np.dtype(dt))
        with np.errstate(over='ignore'):
            out[dt] = np.array(vals, dtype=np.float64).astype(dt)
    return out


def _all_axes(rank: int, whole: bool = True) -> tuple:
    return ((None,) if whole else ()) + tuple(range(rank))


def _log_next(x: float, dtype, toward: float) -> float:
    """The neighbour of x in dtype toward `toward`, as a double."""
    t = np.dtype(dtype).type
    return float(np.nextafter(t(x), t(toward)))


def _overflow_row(fi, dt):
    t = dt.type
    lmax = t(np.log(np.float64(fi.max)))  # log(finfo.max) rounded to the dtype
    below, above = float(np.nextafter(lmax, t(0))), float(np.nextafter(lmax, t(np.inf)))
    half = float(t(np.log(np.float64(fi.max))) - t(0.5))
    return [[below, float(lmax), above, 0.0], [half, half, half, half], [above, above, float(lmax), below]]


def _underflow_row(fi, dt):
    t = dt.type
    ltiny = float(t(np.log(np.float64(fi.tiny))))  # exp() of this is near the smallest normal
    lsub = float(t(np.log(np.float64(fi.smallest_subnormal))))  # ... near the smallest subnormal
    return [[0.0, ltiny, _log_next(ltiny, dt, 0), lsub, _log_next(lsub, dt, -np.inf)],
            [0.0, float(t(lsub - 1)), float(t(lsub + 0.5)), float(t(ltiny - 1)), float(t(ltiny + 1))]]


def _subnormal_outputs(fi, dt):
    # Max-subtracted differences whose exp lands among the subnormals of the dtype.
    ltiny = float(np.log(np.float64(fi.tiny)))
    lsub = float(np.log(np.float64(fi.smallest_subnormal)))
    span = np.linspace(ltiny - 0.5, lsub + 0.3, 6).tolist()
    return [[0.0] + span, [1.0] + [1.0 + v for v in span]]


def build_cases() -> list[Case]:
    cases: list[Case] = []

    def add(id, family, description, inputs, axes=None):
        shape = next(iter(inputs.values())).shape
        if any(a.shape != shape for a in inputs.values()):
            raise ValueError(f'{id}: inputs differ in shape')
        cases.append(Case(id, family, description, inputs, _all_axes(len(shape)) if axes is None else axes))

    # --- The discussion's own inputs (docs/discussion.md) ---
    add('discussion-scores-1d', 'discussion', "The question's scores [3.0, 1.0, 0.2].", _cast([3.0, 1.0, 0.2], F))
    add('discussion-scores2d', 'discussion', "The Udacity quiz's column-wise 3x4 score matrix.",
        _cast([[1, 2, 3, 6], [2, 4, 5, 6], [3, 8, 7, 6]], FI))
    add('discussion-x1', 'discussion', 'One sample as a (1, 4) batch: [[1, 2, 3, 6]].', _cast([[1, 2, 3, 6]], FI))
    add('discussion-x2', 'discussion', 'A batch whose first and third rows are equal (batch independence).',
        _cast([[1, 2, 3, 6], [2, 4, 5, 6], [1, 2, 3, 6]], FI))
    add('discussion-1000-5', 'discussion', 'x = [1000, 5]: the unshifted exp overflows.', _cast([1000, 5], FI))
    # np.random.seed(2019); np.random.rand(1, 3, 2).astype(np.float32), as in the discussion (legacy generator).
    logits3 = np.random.RandomState(2019).rand(1, 3, 2).astype(np.float32)
    add('discussion-logits-3d', 'discussion', 'The (1, 3, 2) float32 logits of np.random.seed(2019) compared with '
        'TensorFlow and SciPy in the discussion.', _cast(logits3.astype(np.float64), ('float32', 'float64', 'float16')))
    add('discussion-dense-logits', 'discussion', 'Two equal rows of dense-layer logits near zero.',
        _cast([[-0.0052024, -0.00770216, 0.01360943, -0.008921]] * 2, F))
    add('discussion-2x3', 'discussion', '[[3, 2, 4], [4, 5, 6]] with keepdims row-wise softmax.',
        _cast([[3, 2, 4], [4, 5, 6]], FI))
    add('discussion-5x3', 'discussion', 'The 5x3 logits compared with tf.nn.softmax in the discussion.',
        _cast([[1, 2, 3], [3, 10, 1], [1, 2, 5], [4, 6.5, 1.2], [3, 6, 1]], F))
    add('discussion-sklearn', 'discussion', "The sklearn.utils.extmath.softmax example's (1, 3) row.",
        _cast([[0.50839931, 0.49767588, 0.51260159]], F))

    # --- Inputs from other frameworks' own tests ---
    add('onnx-large-number', 'framework-tests', "ONNX Softmax's large_number test rows.",
        _cast([[0, 1, 2, 3], [10000, 10001, 10002, 10003]], FI))
    add('tensorflow-ones-and-ramp', 'framework-tests', "TensorFlow's softmax test input [[1,1,1,1],[1,2,3,4]].",
        _cast([[1, 1, 1, 1], [1, 2, 3, 4]], FI))

    # --- Huge magnitudes ---
    big = {'float64': 1e300, 'float32': 1e37, 'float16': 6e4}
    add('huge-magnitudes', 'huge-magnitude', 'Values near the top of each dtype, both signs.',
        {dt: np.array([[b, b / 2, 0.0], [-b, -b / 2, -b], [b, -b, b / 4]], dtype=dt) for dt, b in big.items()})
    add('huge-close', 'huge-magnitude', 'Large values one unit apart: the output depends only on the differences.',
        {'float64': np.array([1e15, 1e15 + 1, 1e15 + 2, 1e15 + 3]),
         'float32': np.array([1e6, 1e6 + 1, 1e6 + 2, 1e6 + 3], dtype=np.float32),
         'float16': np.array([1000, 1001, 1002, 1003], dtype=np.float16)})
    add('finfo-max', 'finfo-max', 'finfo.max and -finfo.max: x - max(x) overflows to -inf.',
        _per_dtype(lambda fi, dt: [[fi.max, -fi.max], [fi.max, fi.max], [-fi.max, -fi.max], [fi.max, 0.0],
                                   [-fi.max, 0.0]]))

    # --- exp overflow and underflow thresholds of each dtype ---
    add('exp-overflow-threshold', 'overflow-threshold', 'Around log(finfo.max) of the dtype, and rows whose exps '
        'overflow only when summed.', _per_dtype(_overflow_row))
    add('exp-underflow-threshold', 'underflow-threshold', 'Differences around log(finfo.tiny) and '
        'log(smallest subnormal) of the dtype.', _per_dtype(_underflow_row))
    add('subnormal-results', 'subnormal', 'Differences whose exp is a subnormal of the dtype.',
        _per_dtype(_subnormal_outputs))
    add('subnormal-inputs', 'subnormal', 'Subnormal inputs (the result is close to uniform).',
        _per_dtype(lambda fi, dt: [fi.smallest_subnormal, 0.0, -fi.smallest_subnormal, 2 * fi.smallest_subnormal]))

    # --- Special values ---
    inf, nan = np.inf, np.nan
    add('inf-1-2', 'infinity', '[inf, 1, 2]: IEEE says the slice is NaN (inf - inf).', _cast([inf, 1, 2], F))
    add('infinities', 'infinity', 'Rows with +inf and -inf.',
        _cast([[inf, 1, 2], [-inf, 1, 2], [inf, inf, 1], [inf, -inf, 0], [-inf, -inf, 0]], F))
    add('nans', 'nan', 'Rows with NaN.', _cast([[nan, 1, 2], [1, nan, inf], [nan, nan, nan], [1, 2, 3]], F))
    add('all-neg-inf', 'all-neg-inf', 'Slices that are all -inf (0/0), next to partly -inf ones.',
        _cast([[-inf, -inf, -inf], [0, -inf, -inf], [-inf, 1, -inf]], F))
    add('all-neg-inf-1d', 'all-neg-inf', 'A 1-D all -inf vector.', _cast([-inf, -inf], F))

    # --- Empty, 0-d and singleton axes ---
    for shape in [(0,), (0, 3), (3, 0), (2, 0, 4)]:
        add('empty-' + 'x'.join(map(str, shape)), 'empty', f'An empty array of shape {shape}.',
            _cast(np.zeros(shape), F + ('int64',)))
    add('rank0', 'rank-0', 'A 0-d array (axis 0 is out of range in NumPy; the element is its own slice).',
        _cast(np.array(3.5), F), axes=(None, 0))
    add('rank0-int', 'rank-0', 'A 0-d integer array.', _cast(np.array(7), ('int32', 'int64')), axes=(None, 0))
    add('rank0-inf', 'rank-0', 'A 0-d +inf.', _cast(np.array(np.inf), F), axes=(None, 0))
    for shape in [(1, 5), (5, 1), (1, 1), (1, 1, 3)]:
        vals = np.round(_rng('singleton' + str(shape)).normal(0, 2, shape), 3)
        add('singleton-' + 'x'.join(map(str, shape)), 'singleton', f'Singleton axes: shape {shape}.', _cast(vals, F))

    # --- Ranks 3 to 6 ---
    for shape in [(2, 3, 4), (2, 1, 3, 2), (2, 2, 1, 2, 3), (1, 2, 2, 1, 2, 2)]:
        vals = _rng('rank' + str(shape)).normal(0, 3, shape)
        add(f'rank{len(shape)}-' + 'x'.join(map(str, shape)), 'high-rank', f'A rank-{len(shape)} array {shape}.',
            _cast(vals, F))

    # --- Integer inputs ---
    add('integer-extremes', 'integer', 'The integer extremes of the dtype: x - max(x) wraps around in integer '
        'arithmetic.',
        {'int32': np.array([[2**31 - 1, 2**31 - 2, 0], [-(2**31), 0, 2**31 - 1]], dtype=np.int32),
         'int64': np.array([[2**63 - 1, 2**63 - 2, 0], [-(2**63), 0, 2**63 - 1]], dtype=np.int64)})
    add('int64-beyond-2^53', 'integer', 'int64 values 1 and 3 apart above 2^62: float64 cannot tell them apart.',
        {'int64': np.array([2**62, 2**62 + 1, 2**62 + 3], dtype=np.int64)})
    add('integer-small', 'integer', 'Small integers of both signs.',
        _cast([[-3, 0, 3, 7], [100, 99, 98, -100]], FI))

    # --- Reduction lengths ---
    for n in (129, 256, 4097):
        vals = _rng(f'length{n}').normal(0, 4, n)
        add(f'length-{n}', 'long-reduction', f'A random vector of length {n}.', _cast(vals, F), axes=(0,))
    add('length-4097-constant', 'long-reduction', '4097 equal values: each output is 1/4097; a float16 running sum '
        'stalls at 2048.', _cast(np.ones(4097), F), axes=(0,))
    add('length-2x129', 'long-reduction', 'Two rows of length 129.', _cast(_rng('length2x129').normal(0, 4, (2, 129)), F))

    # --- Ordinary random inputs ---
    add('random-8x16', 'random', 'Normal(0, 5) values.', _cast(_rng('random8x16').normal(0, 5, (8, 16)), F))
    add('random-wide-4x33', 'random', 'Uniform(-50, 50) values.',
        _cast(_rng('random4x33').uniform(-50, 50, (4, 33)), F))

    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError('duplicate case ids')
    return cases


CASES = build_cases()


# The bfloat16 golden set (golden/bfloat16/, with its own corpus.json and version, so the goldens above, some of them
# recorded on GPUs, stay valid): each case's float32 input rounded to bfloat16, nearest even. bfloat16 has float32's
# exponent range, so float32's thresholds (log(finfo.max), the subnormal range) carry over at bfloat16's precision;
# float32 subnormals below bfloat16's smallest (2^-133) round to zero. Needs ml_dtypes, imported only here.
BFLOAT16_CORPUS_VERSION = 1


def bfloat16_cases() -> list:
    import ml_dtypes
    return [Case(c.id, c.family, c.description, {'bfloat16': c.inputs['float32'].astype(ml_dtypes.bfloat16)}, c.axes)
            for c in CASES if 'float32' in c.inputs]
