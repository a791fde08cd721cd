// Source: not in the thread as code; ONNX Runtime Web's Softmax kernel (onnxruntime-web, WebAssembly), the kernel
//   browsers run, here run in Node. Same operator as ort_node_softmax.mjs: coerce-2d before opset 13, one axis from 13.
// Claims: the ONNX operator spec, Softmax-11 (coerced to 2-D at axis, default 1) and Softmax-13 (along axis,
//   default -1).
// Library wrapper, thin: the one-node model of onnx_softmax_model.mjs on the wasm execution provider, one thread
//   (no worker threads), the .wasm file loaded from the package in node_modules.
import * as ort from 'onnxruntime-web';
import { ortSoftmax } from './ort_call.mjs';

ort.env.wasm.numThreads = 1;
// Fatal messages only: a rejected input is reported by the harness, not also printed on stderr.
ort.env.logLevel = 'fatal';
const sessionOptions = { executionProviders: ['wasm'], logSeverityLevel: 4 };

export const softmaxOpset11 = ortSoftmax(ort, { opset: 11, sessionOptions });
export const softmaxOpset13 = ortSoftmax(ort, { opset: 13, sessionOptions });
