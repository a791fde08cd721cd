# Source: the answer 「より簡潔なバージョンは:」 ("A more concise version is:")
# Claims: a shorter form of the quiz's suggested solution: exponentials over their sum along axis 0.
#   No max subtraction.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(x):
    return np.exp(x) / np.exp(x).sum(axis=0)
