// Source: not in the thread as code; TensorFlow.js's tf.softmax, the JavaScript sibling of the thread's
//   tf.nn.softmax (the frameworks' convention: normalise along the last axis).
// Claims: the tfjs docs: "Computes the softmax normalized vector given the logits. dim: The dimension softmax
//   would be performed on. Defaults to -1 which indicates the last dimension." tfjs 4.22 throws for any other
//   dimension ("Softmax along a non-last dimension is not yet supported").
// Library wrapper, thin: the harness's tensor ({dtype, shape, data}, data a typed array; float16 as a Float16Array)
//   becomes a tfjs tensor, tf.softmax(t, axis) runs on the CPU backend, the result comes back as
//   {dtype, shape, data}. tfjs has no float64: it computes in float32 and returns float32 (a finding for
//   float64 inputs, left as is).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

await tf.setBackend('cpu');

/** IEEE binary16 bits to a JS number (for a float16 input handed over as raw bits in a Uint16Array). */
function halfBitsToNumber(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** The input as the float32 values tfjs works with (what tf.tensor(values) does with plain numbers). */
function toFloat32(dtype, data) {
  if (data instanceof Float32Array) return data;
  if (dtype === 'float16' && data instanceof Uint16Array) return Float32Array.from(data, halfBitsToNumber);
  // Float64Array, Float16Array, Int32Array, BigInt64Array, Uint8Array (bool): element values as numbers.
  return Float32Array.from(data, (v) => Number(v));
}

export function softmax({ dtype, shape, data }, { axis } = {}) {
  const values = toFloat32(dtype, data);
  const out = tf.tidy(() => {
    const t = tf.tensor(values, [...shape], 'float32');
    const y = axis === undefined ? tf.softmax(t) : tf.softmax(t, axis);
    return { shape: [...y.shape], data: Float32Array.from(y.dataSync()) };
  });
  return { dtype: 'float32', shape: out.shape, data: out.data };
}
