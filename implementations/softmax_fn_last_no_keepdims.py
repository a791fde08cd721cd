# Source: the answer 「目的は、NumpyとTensorflowを使用して同様の結果を達成することでした。」
#   ("The goal was to achieve similar results with Numpy and Tensorflow.") — Prathyush SP's softmax_fn.
# Claims: "Fixed approach: axis=len(e_x.shape)-1 — always sums over the last dimension. This gives results
#   similar to tensorflow's softmax function." The sum has no keepdims; the max is global.
# Copied verbatim from the thread (indentation restored; docstring is the answer's); nothing fixed.
import numpy as np


def softmax_fn(input_array):
    """
    | **@author**: Prathyush SP
    |
    | Calculate Softmax for a given array
    :param input_array: Input Array
    :return: Softmax Score
    """
    e_x = np.exp(input_array - np.max(input_array))
    return e_x / e_x.sum(axis=len(e_x.shape)-1)
