// Not a row: how the ONNX Runtime rows call a runtime (onnxruntime-node or onnxruntime-web, same JS API).
// The harness's tensor becomes an ort.Tensor of the same element type, the one-node model of
// onnx_softmax_model.mjs runs on the runtime's CPU kernel, and the output comes back as {dtype, shape, data}.
// Nothing is converted on the way: what the runtime rejects (a dtype, a rank, an axis) is its own rejection.
import { softmaxModel } from './onnx_softmax_model.mjs';

/** The harness's typed array as the runtime's: float16 travels as raw binary16 bits in a Uint16Array. */
function ortData(dtype, data) {
  if (dtype === 'float16') return new Uint16Array(data.buffer, data.byteOffset, data.length);
  return data;
}

/**
 * Softmax functions `(x, {axis}) => Promise<{dtype, shape, data}>` for `opset`, run by `ort` with `sessionOptions`.
 * A session per (dtype, axis) is kept: the model has no shape, so it serves every shape of that dtype.
 */
export function ortSoftmax(ort, { opset, op = 'Softmax', sessionOptions }) {
  const sessions = new Map();
  const sessionFor = (dtype, axis) => {
    const k = `${dtype}|${axis}`;
    if (!sessions.has(k)) {
      const created = ort.InferenceSession.create(softmaxModel({ op, opset, dtype, axis }), sessionOptions);
      // A model the runtime refuses is refused again on the next call, not cached as a rejected promise forever.
      created.catch(() => sessions.delete(k));
      sessions.set(k, created);
    }
    return sessions.get(k);
  };
  return async function softmax({ dtype, shape, data }, { axis } = {}) {
    const session = await sessionFor(dtype, axis);
    const x = new ort.Tensor(dtype, ortData(dtype, data), [...shape]);
    const { y } = await session.run({ x });
    const out = { dtype: y.type, shape: [...y.dims], data: y.data };
    y.dispose?.();
    return out;
  };
}
