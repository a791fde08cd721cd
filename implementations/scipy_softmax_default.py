# Source: the answer that ends 「バージョン1.2.0以降、scipyは特別な機能としてsoftmaxを含みます。」 ("Since version 1.2.0, scipy
#   includes softmax as a special function"), and the later answer that calls scipy.special.softmax.
# Claims: scipy.special.softmax(x) with its default axis=None, which the SciPy docs define as the softmax over
#   the whole array ("axis: int or tuple of ints, optional. Axis to compute values along. Default is None and
#   softmax will be computed over the entire array x").
# Library wrapper, thin: called exactly as a user would, scipy.special.softmax(x); nothing fixed.
import numpy as np
import scipy.special


def softmax(x):
    return np.asarray(scipy.special.softmax(x))
