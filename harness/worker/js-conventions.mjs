// How a JavaScript candidate takes its input and gives its output, as softmax functions are written in npm packages:
//   tensor       f({dtype, shape, data})           the harness's own form (data a typed array)
//   array        f(number[] | number[][] | ...)     plain (nested) arrays of numbers, one level per axis
//   typed        f(Float64Array | Float32Array)     a flat typed array of the input's dtype (rank <= 1 only: no shape)
//   typed-shape  f(data, shape)                     a flat typed array and the shape
//   tfjs         f(tf.Tensor)                        a TensorFlow.js tensor (the candidate's own tfjs-core)
// Call options ({axis, theta}) follow the input. Outputs may be any of these forms whatever the input was: a
// typed array or {dtype, shape, data} as before, plain (nested) arrays (read in the input's float dtype, rounded
// once), or a tfjs tensor. `detect` probes with a 1-D input and takes the first convention that gives a softmax.
export const CONVENTIONS = ['tensor', 'array', 'typed', 'typed-shape', 'tfjs'];

/** Nested plain arrays of the input's values (numbers; int64 as numbers too, exact up to 2^53). */
function nest(data, shape) {
  if (shape.length === 0) return Number(data[0]);
  const stride = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = [];
  for (let i = 0; i < shape[0]; i++) {
    if (shape.length === 1) out.push(Number(data[i]));
    else out.push(nest(data.subarray(i * stride, (i + 1) * stride), shape.slice(1)));
  }
  return out;
}

/** The arguments for the candidate, before its options: `x` is {dtype, shape, data}. */
export function toConvention(convention, x, tf) {
  switch (convention) {
    case 'tensor': return [x];
    case 'array': return [nest(x.data, x.shape)];
    case 'typed':
      if (x.shape.length > 1) {
        const e = new Error(`the typed input form carries no shape, so a rank-${x.shape.length} input cannot be passed (audit with --js-input typed-shape if the function takes a shape)`);
        e.name = 'InputFormError';
        throw e;
      }
      return [x.data];
    case 'typed-shape': return [x.data, [...x.shape]];
    case 'tfjs': {
      if (!tf) throw new Error('the tfjs convention needs @tensorflow/tfjs-core where the candidate can import it');
      const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
      return [tf.tensor(Array.from(x.data, Number), [...x.shape], dtype)];
    }
    default: throw new Error(`unknown calling convention "${convention}"`);
  }
}

const isPlainNumberArray = (v) => Array.isArray(v);

/** Flattens nested arrays; the shape from the nesting, or a reason it is not rectangular numbers. */
function flatten(v) {
  const shape = [];
  for (let level = v; Array.isArray(level); level = level[0]) shape.push(level.length);
  const out = [];
  const walk = (node, depth) => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new TypeError(`returned a nested array holding ${node === null ? 'null' : typeof node}, not numbers`);
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) throw new TypeError('returned a ragged nested array');
    for (const child of node) walk(child, depth + 1);
  };
  walk(v, 0);
  return { values: out, shape };
}

/**
 * The candidate's output in a form the worker reads (a typed array or {dtype, shape, data}); plain arrays are read
 * in the input's float dtype (integer inputs: float64), tfjs tensors in their own dtype. `Arrays` maps dtypes to
 * typed-array constructors (float16 included). Anything else is returned unchanged for the worker to judge.
 */
export function fromConvention(out, inputDtype, Arrays, inputShape) {
  if (typeof out === 'number') {
    const dtype = inputDtype.startsWith('float') ? inputDtype : 'float64';
    return { dtype, shape: [], data: Arrays[dtype].from([out]) };
  }
  if (isPlainNumberArray(out)) {
    const { values, shape } = flatten(out);
    const dtype = inputDtype.startsWith('float') ? inputDtype : 'float64';
    // Nested arrays cannot carry the trailing axes of an empty input ([] for shape (0, 3)): read them as its shape.
    const empty = values.length === 0 && inputShape?.includes(0) && inputShape.length > shape.length;
    return { dtype, shape: empty ? [...inputShape] : shape, data: Arrays[dtype].from(values) };
  }
  if (out !== null && typeof out === 'object' && typeof out.dataSync === 'function' && Array.isArray(out.shape)) {
    const data = out.dataSync();
    return { shape: [...out.shape], data: data instanceof Float32Array || data instanceof Int32Array ? data : Float32Array.from(data) };
  }
  return out;
}

const PROBE = [1, 2, 3];
const PROBE_SOFTMAX = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];

/**
 * Which convention the candidate takes: it is called on [1, 2, 3] (float64) in each convention, and the first whose
 * output reads as a softmax of it (to 1e-6) wins; else the first that returns three numbers; else 'tensor'.
 * Returns the choice and what each attempt did, for the report.
 */
export async function detect(fn, options, Arrays, tf) {
  const tried = [];
  let shapeOnly;
  for (const convention of CONVENTIONS) {
    if (convention === 'tfjs' && !tf) continue;
    const x = { dtype: 'float64', shape: [3], data: Float64Array.from(PROBE) };
    try {
      const got = fromConvention(await fn(...toConvention(convention, x, tf), ...options), 'float64', Arrays);
      const data = got?.data ?? got;
      if (!ArrayBuffer.isView(data) || data.length !== 3) {
        tried.push(`${convention}: returned no 3-element result`);
        continue;
      }
      const values = Array.from(data, Number);
      if (values.every((v, i) => Math.abs(v - PROBE_SOFTMAX[i]) < 1e-6)) return { convention, tried: [...tried, `${convention}: ok`] };
      tried.push(`${convention}: returned [${values.map((v) => v.toPrecision(6)).join(', ')}]`);
      shapeOnly ??= convention;
    } catch (e) {
      tried.push(`${convention}: ${e?.name ?? 'Error'}: ${String(e?.message ?? e).split('\n')[0].slice(0, 120)}`);
    }
  }
  return { convention: shapeOnly ?? 'tensor', tried };
}
