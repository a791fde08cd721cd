# Source: the answers that compare with TensorFlow: 「さらに、TensorFlows softmaxの実装の結果は次のとおりです。」
#   ("Furthermore, here is the result of TensorFlow's softmax implementation"), tf.nn.softmax on the batch
#   [[1,2,3,6],[2,4,5,6],[1,2,3,6]]; and `tf.nn.softmax(logits_np, axis=-1)` on the (1, 3, 2) logits.
# Claims: the TensorFlow docs: softmax = tf.exp(logits) / tf.reduce_sum(tf.exp(logits), axis, keepdims=True);
#   axis defaults to -1 (the last dimension); logits must be a non-empty half, float32 or float64 tensor.
# Library wrapper, thin: tf.nn.softmax(x, axis=axis) on the NumPy array, back to NumPy with .numpy().
import numpy as np
import tensorflow as tf


def softmax(x, axis=-1):
    return np.asarray(tf.nn.softmax(x, axis=axis).numpy())
