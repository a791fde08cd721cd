# Source: the answer 「上記の回答で既に詳細に回答されています。オーバーフローを避けるためにmaxが引かれます。」
#   ("This is already answered in detail above: the max is subtracted to avoid overflow.") — "one more
#   implementation for python3".
# Claims: max and sum along axis 1 with keepdims; the answer's example is the 2-D x = [[3,2,4],[4,5,6]],
#   normalised row by row.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    mx = np.amax(x,axis=1,keepdims = True)
    x_exp = np.exp(x - mx)
    x_sum = np.sum(x_exp, axis = 1, keepdims = True)
    res = x_exp / x_sum
    return res
