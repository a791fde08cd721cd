# Source: the question itself, 「Udacityの深層学習クラス から、y_iのsoftmaxは、単純に指数をYベクトル全体の指数の合計で割ったものです。」
#   ("From the Udacity deep learning class, the softmax of y_i is simply the exponential divided by the sum of
#   the exponentials of the whole Y vector.") — the asker's own attempt, 「私は以下を試しました:」 ("I tried the following").
# Claims: the exponential of each score divided by the sum over the whole vector Y; subtracts the (global)
#   max first. The sum is e_x.sum() with no axis, i.e. over every element of the array.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    """Compute softmax values for each sets of scores in x."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum()
