# Source: the answer 「私はこれをお勧めします:」 ("I would recommend this:")
# Claims: "it works for batches as well as stochastically" (バッチと同様に確率論的に働きます); max and sum along
#   axis 0 with keepdims, i.e. every column normalised (the quiz's layout, samples as columns).
# Copied verbatim from the thread (indentation restored); nothing fixed.
import numpy as np


def softmax(z):
    z_norm=np.exp(z-np.max(z,axis=0,keepdims=True))
    return(np.divide(z_norm,np.sum(z_norm,axis=0,keepdims=True)))
