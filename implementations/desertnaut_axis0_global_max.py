# Source: desertnaut's answer, 「(まあ...質問と回答の両方で、ここでかなり混乱しています...)」
#   ("(Well... there is quite some confusion here, in both the question and the answers...)").
# Claims: "# correct solution": the question's version with only the axis changed, sum(axis=0); its output on
#   scores2D is "what the Udacity quiz expects, every column sums to 1", while the text says "here we want to
#   sum per row, so axis=0" (行ごとに合計したいので、axis=0). Keeps the global max np.max(x).
# Copied verbatim from the thread (indentation restored; the trailing comment is the answer's); nothing fixed.
import numpy as np


def softmax(x):
    """Compute softmax values for each sets of scores in x."""
    e_x = np.exp(x - np.max(x))
    return e_x / e_x.sum(axis=0) # only difference
