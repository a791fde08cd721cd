# Source: the last answer, code only, beginning 「import tensorflow as tf」; it prints softmax(logits) next to
#   sess.run(tf.nn.softmax(logits)) for the 5x3 logits [[1, 2, 3], [3, 10, 1], [1, 2, 5], [4, 6.5, 1.2], [3, 6, 1]].
# Claims (by that comparison): the same as tf.nn.softmax, i.e. each row normalised along the last axis.
#   No max subtraction. The answer's `import tensorflow as tf` and TF1 session code are not part of the function.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    return (np.exp(x).T / np.exp(x).sum(axis=-1)).T
