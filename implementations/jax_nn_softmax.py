# Source: not in the thread as code; JAX's jax.nn.softmax is one of the frameworks whose convention (the last
#   axis) the thread argues for.
# Claims: the JAX docs: softmax(x, axis=-1) computes exp(x) / sum(exp(x), axis, keepdims=True) along axis
#   (default -1).
# Library wrapper, thin: jax.nn.softmax(x, axis=axis), back to NumPy with np.asarray. JAX's default config has
#   64-bit types disabled (JAX_ENABLE_X64 unset), so a float64 input is computed and returned in float32; this
#   is left as is on purpose: it is what a user gets by default, and the harness reports it.
import numpy as np
import jax


def softmax(x, axis=-1):
    return np.asarray(jax.nn.softmax(x, axis=axis))
