# Source: the answer 「だから、これは本当にdesertnautの答えへのコメントですが、私は私の評判のためにまだそれにコメントすることができません。」
#   ("So, this is really a comment on desertnaut's answer, but I cannot comment on it yet because of my
#   reputation.") — "# my (correct) solution".
# Claims: a batch of samples, one per row (x2: "sample 1, sample 2, sample 1 again"); each row normalised on its
#   own, matching TensorFlow's tf.nn.softmax on the same batch. 2-D only: assert len(z.shape) == 2.
# Copied verbatim from the thread (indentation restored; the comments are the answer's); nothing fixed.
import numpy as np


def softmax(z):
    assert len(z.shape) == 2
    s = np.max(z, axis=1)
    s = s[:, np.newaxis] # necessary step to do broadcasting
    e_x = np.exp(z - s)
    div = np.sum(e_x, axis=1)
    div = div[:, np.newaxis] # dito
    return e_x / div
