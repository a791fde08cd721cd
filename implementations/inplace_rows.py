# Source: the answer 「数値安定性を維持するために、max(x)を引く必要があります。以下はsoftmax機能のコードです。」
#   ("To keep numerical stability, max(x) must be subtracted. Below is the code of the softmax function.")
# Claims: a 2-D input is normalised row by row (max and sum along axis 1), a 1-D input as a whole; the max is
#   subtracted for stability. Works in place on its argument (x -= ..., x /= ...).
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    if len(x.shape) > 1:
        tmp = np.max(x, axis = 1)
        x -= tmp.reshape((x.shape[0], 1))
        x = np.exp(x)
        tmp = np.sum(x, axis = 1)
        x /= tmp.reshape((x.shape[0], 1))
    else:
        tmp = np.max(x)
        x -= tmp
        x = np.exp(x)
        tmp = np.sum(x)
        x /= tmp
    return x
