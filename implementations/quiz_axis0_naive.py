# Source: the question, the Udacity quiz's suggested solution, 「しかし提案された解決策は次のとおりです。」
#   ("But the suggested solution is as follows.").
# Claims: the quiz's reference answer; normalises along axis 0, so each column of the quiz's 2-D score matrix
#   (scores2D) sums to 1. No max subtraction.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    """Compute softmax values for each sets of scores in x."""
    return np.exp(x) / np.sum(np.exp(x), axis=0)
