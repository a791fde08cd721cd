# Source: nolanbconaway's answer, 「ソフトマックスを任意の軸に適用する関数を書きました。」
#   ("I wrote a function that applies the softmax over any axis."); the same code is quoted again, unchanged,
#   in the later answer 「テンソル流とscipyを使った…一般化された解はここにある:」 ("a generalised solution compared
#   with TensorFlow and SciPy is here") as "Softmax with Numpy (https://nolanbconaway.github.io/blog/2017/softmax-numpy)".
# Claims: softmax along any axis of an N-D array; theta multiplies the input before exponentiation; the
#   default axis is "the first non-singleton axis"; the result sums to 1 along that axis; 1-D input is returned 1-D.
# Copied verbatim from the thread (indentation restored; docstring and comments are the answer's); nothing fixed.
import numpy as np


def softmax(X, theta = 1.0, axis = None):
    """
    Compute the softmax of each element along an axis of X.
    Parameters
    ----------
    X: ND-Array. Probably should be floats.
    theta (optional): float parameter, used as a multiplier
    prior to exponentiation. Default = 1.0
    axis (optional): axis to compute values along. Default is the
    first non-singleton axis.
    Returns an array the same size as X. The result will sum to 1
    along the specified axis.
    """
    # make X at least 2d
    y = np.atleast_2d(X)
    # find axis
    if axis is None:
        axis = next(j[0] for j in enumerate(y.shape) if j[1] > 1)
    # multiply y against the theta parameter,
    y = y * float(theta)
    # subtract the max for numerical stability
    y = y - np.expand_dims(np.max(y, axis = axis), axis)
    # exponentiate y
    y = np.exp(y)
    # take the sum along the specified axis
    ax_sum = np.expand_dims(np.sum(y, axis = axis), axis)
    # finally: divide elementwise
    p = y / ax_sum
    # flatten if X was 1D
    if len(X.shape) == 1: p = p.flatten()
    return p
