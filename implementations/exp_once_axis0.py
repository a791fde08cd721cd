# Source: the answer 「Softmax関数の目的は、…ベクトルの比を保存することである。」 ("The purpose of the Softmax function is to
#   preserve the ratios of the vector...") — 「Udacityが提供した答えは非常に非効率的です。」 ("The answer Udacity
#   provided is very inefficient").
# Claims: "This is the correct answer": compute e^y_j once, keep it, sum and divide (the quiz's axis=0 solution
#   without computing the exponential twice). No max subtraction.
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(y):
    e_to_the_y_j = np.exp(y)
    return e_to_the_y_j / np.sum(e_to_the_y_j, axis=0)
