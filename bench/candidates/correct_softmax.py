"""A correct last-axis softmax: the max-subtracted formula every framework uses.

The bench's "correct candidate": both the harness audit and the pytest + Hypothesis suite in
bench/hypothesis_suite/ check this same function, and the transport bench times it on a 4096 x 4096 tensor.
Integers are promoted to float64 (as NumPy's ufuncs do); a 0-d input is a one-element slice (1.0, or NaN for a
non-finite value); an empty last axis gives an empty result.
"""
import numpy as np


def softmax(x):
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    if x.ndim == 0:
        return softmax(x.reshape(1)).reshape(())
    # initial=-inf: a length-0 last axis reduces to -inf instead of raising; the result is then empty anyway.
    m = np.max(x, axis=-1, keepdims=True, initial=-np.inf)
    e = np.exp(x - m)
    return e / np.sum(e, axis=-1, keepdims=True)
