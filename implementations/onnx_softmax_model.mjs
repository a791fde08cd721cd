// Not a row: the one-node ONNX model the ONNX Runtime rows run (ort_node_softmax.mjs, ort_web_softmax.mjs).
// The ModelProto bytes are written here with a minimal protobuf encoder, so no ONNX builder package is needed:
// graph with one node (Softmax or LogSoftmax, optional INT attribute `axis`), one input `x`, one output `y`,
// one opset import of the default domain. The input and output types carry the input's element type and no shape,
// so one model serves every shape of a dtype, and the runtime (not this file) decides what it accepts.

// onnx.proto TensorProto.DataType for the harness's dtypes.
const ELEM_TYPE = { float32: 1, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 };

/** Base-128 varint; BigInt so that a negative int64 (axis = -1) takes its 10-byte two's-complement form. */
function varint(value) {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
}

const key = (field, wire) => varint((field << 3) | wire);
const intField = (field, value) => [...key(field, 0), ...varint(value)];
/** A length-delimited field: bytes, a UTF-8 string or an embedded message (already encoded). */
function lenField(field, payload) {
  const bytes = typeof payload === 'string' ? [...new TextEncoder().encode(payload)] : payload;
  return [...key(field, 2), ...varint(bytes.length), ...bytes];
}

/** ValueInfoProto {name, type: TypeProto{tensor_type: {elem_type}}}; no shape: any rank is allowed. */
function valueInfo(name, elemType) {
  const tensorType = intField(1, elemType);
  return [...lenField(1, name), ...lenField(2, lenField(1, tensorType))];
}

/**
 * The serialized ModelProto of `y = op(x, axis)` under `opset`, x of `dtype`.
 * axis undefined leaves the attribute out, so the operator's default applies (1 before opset 13, -1 from 13).
 */
export function softmaxModel({ op = 'Softmax', opset, dtype, axis }) {
  const elemType = ELEM_TYPE[dtype];
  if (elemType === undefined) throw new TypeError(`no ONNX element type for dtype ${dtype}`);
  // AttributeProto {name: 'axis', i: axis, type: INT (2)}.
  const attribute = axis === undefined ? [] : lenField(5, [...lenField(1, 'axis'), ...intField(3, axis), ...intField(20, 2)]);
  // NodeProto {input, output, name, op_type, attribute}.
  const node = [...lenField(1, 'x'), ...lenField(2, 'y'), ...lenField(3, 'node'), ...lenField(4, op), ...attribute];
  // GraphProto {node, name, input, output}.
  const graph = [...lenField(1, node), ...lenField(2, 'softmax'), ...lenField(11, valueInfo('x', elemType)), ...lenField(12, valueInfo('y', elemType))];
  // ModelProto {ir_version: 7 (opsets up to 13 need no more), producer_name, graph, opset_import: {domain '', version}}.
  const model = [...intField(1, 7), ...lenField(2, 'softmax-conformance'), ...lenField(7, graph), ...lenField(8, intField(2, opset))];
  return Uint8Array.from(model);
}
