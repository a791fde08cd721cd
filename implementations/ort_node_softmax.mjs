// Source: not in the thread as code; ONNX Runtime's Softmax kernel through onnxruntime-node, the runtime most
//   exported models run in from Node. ONNX is where the thread's "which axis" argument became a specification
//   change: before opset 13 Softmax(axis) flattens the input to 2-D at axis (default 1) and normalises the trailing
//   block (coerce-2d); from opset 13 it normalises along axis alone (default -1).
// Claims: the ONNX operator spec, Softmax-11 ("The input does not need to explicitly be a 2D vector; rather, it
//   will be coerced into one ... axis: default 1") and Softmax-13 ("The operation computes the softmax values for
//   the given input along the specified axis ... axis: default -1").
// Library wrapper, thin: a one-node model (Softmax, opset 11 or 13, attribute axis when the harness passes one)
//   built in memory by onnx_softmax_model.mjs, run on the CPU execution provider (one thread).
import * as ort from 'onnxruntime-node';
import { ortSoftmax } from './ort_call.mjs';

// logSeverityLevel 4 (fatal only): a rejected input is reported by the harness, not also printed on stderr.
const sessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 };

export const softmaxOpset11 = ortSoftmax(ort, { opset: 11, sessionOptions });
export const softmaxOpset13 = ortSoftmax(ort, { opset: 13, sessionOptions });
