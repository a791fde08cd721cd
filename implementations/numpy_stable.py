# Source: not from the thread; the known-correct control row. The textbook numerically stable softmax that
#   the thread converges on (subtract the max, exponentiate, divide by the sum), done along one axis with
#   keepdims so that every slice is normalised on its own.
# Claims: softmax along `axis` (default -1), for any rank and float dtype; integer inputs are promoted to
#   float64 as NumPy does; a 0-D input is its own slice; an empty input gives an empty output.
import numpy as np


def softmax(x, axis=-1):
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if x.ndim == 0:
        # one element, its own slice: exp(x - x) / exp(x - x), i.e. 1 (NaN for NaN or an infinity)
        e = np.exp(x - x)
        return e / e
    if x.size == 0:
        # nothing to normalise (np.max has no identity for an empty reduction); the sum still rejects a bad axis
        np.sum(x, axis=axis)
        return np.exp(x)
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)
