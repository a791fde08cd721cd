# Source: the answer 「sklearnはsoftmaxの実装も提供しています」 ("sklearn also provides a softmax implementation"),
#   `from sklearn.utils.extmath import softmax` on x = np.array([[0.50839931, 0.49767588, 0.51260159]]).
# Claims: the sklearn docs: "X : array-like of float of shape (M, N)"; the largest value in each row is
#   subtracted and each row normalised (axis=1). copy=True is sklearn's default, so X is not changed
#   (with copy=False it would work in place on X).
# Library wrapper, thin: softmax(X) as a user calls it, default copy=True; nothing fixed.
import numpy as np
from sklearn.utils.extmath import softmax as _sklearn_softmax


def softmax(x):
    return np.asarray(_sklearn_softmax(x))
