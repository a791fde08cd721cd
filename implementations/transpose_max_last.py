# Source: the answer 「みんなが自分の解決策を投稿しているようですので、私が投稿します。」
#   ("It seems everyone is posting their solution, so I'll post mine.")
# Claims: "gives exactly the same result as the one imported from sklearn" (sklearn.utils.extmath.softmax,
#   which normalises each row of a 2-D array). Per-row max via the transpose.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    e_x = np.exp(x.T - np.max(x, axis = -1))
    return (e_x / e_x.sum(axis=0)).T
