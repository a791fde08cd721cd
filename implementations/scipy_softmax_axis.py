# Source: the answer 「テンソル流とscipyを使った正確さのための派手さと比較を使った一般化された解はここにある:」
#   ("Here is a generalised solution with NumPy, compared for correctness with TensorFlow and SciPy:"),
#   which calls `softmax(logits_np, axis=-1)` from scipy.special on the (1, 3, 2) logits.
# Claims: scipy.special.softmax along the given axis (the answer passes axis=-1; this wrapper defaults to -1).
# Library wrapper, thin: scipy.special.softmax(x, axis=axis); nothing fixed.
import numpy as np
import scipy.special


def softmax(x, axis=-1):
    return np.asarray(scipy.special.softmax(x, axis=axis))
