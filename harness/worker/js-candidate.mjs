// The candidate's thread (a worker_thread of js-child.mjs): it imports the candidate, calls it and reads its output.
// It holds no protocol descriptor and no pristine copy of any input: its own globals, prototypes and heap are the
// candidate's to change, and all they can change is what this thread posts back (its own outputs).
//
// The input comes in a SharedArrayBuffer that the host thread compares with its own copy after the call (the
// mutation check). The candidate gets a plain ArrayBuffer copy of it, as any caller would hand it (a shared buffer
// would be a tell, and native code such as onnxruntime-node refuses one), and the moment its call returns the copy
// is written back into the shared buffer with typed-array intrinsics taken before the candidate was imported, so a
// patched prototype cannot stop it. What this cannot see: a write undone before the call returns (or, for an async
// candidate, before its promise settles), and one made later through a reference it kept; neither reaches a caller
// that reads its input once the call is done.
//
// Messages from the host: {type: 'call', call, sab, pad}; to the host: one {type: 'loaded' | 'start-failed'} first,
// then one {type: 'result', id, ...} per call (see js-child.mjs for what it keeps of them).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { Float16Array as Float16Polyfill, isFloat16Array } from '@petamoriken/float16';
import { createRequire, register } from 'node:module';
import { detect, fromConvention, toConvention } from './js-conventions.mjs';
import { head, ITEMSIZE, safeString, tail, TEXT_LIMIT } from './js-text.mjs';

// Intrinsics for the write-back, taken before the candidate's module runs (see the top).
const U8 = Uint8Array;
const AB = ArrayBuffer;
const apply = Reflect.apply;
const u8set = Uint8Array.prototype.set;
const byteLengthOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength').get;
const isThenable = (v) => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function';

const MIN_OUTPUT_CAP = 1_000_000;
const OUTPUT_CAP_FACTOR = 64;
const F16 = globalThis.Float16Array ?? Float16Polyfill;
const isF16 = (v) => isFloat16Array(v) || (globalThis.Float16Array !== undefined && v instanceof globalThis.Float16Array);

const INPUT_ARRAYS = { float64: Float64Array, float32: Float32Array, float16: F16, bfloat16: Uint16Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array };
// Typed array -> [wire dtype, NumPy's name for what it holds]. Integers NumPy has but the wire lacks widen to int64.
const OUTPUT_ARRAYS = new Map([
  [Float64Array, ['float64', 'float64']],
  [Float32Array, ['float32', 'float32']],
  [Int32Array, ['int32', 'int32']],
  [BigInt64Array, ['int64', 'int64']],
  [BigUint64Array, ['int64', 'uint64']],
  [Int8Array, ['int64', 'int8']],
  [Int16Array, ['int64', 'int16']],
  [Uint8Array, ['int64', 'uint8']],
  [Uint8ClampedArray, ['int64', 'uint8']],
  [Uint16Array, ['int64', 'uint16']],
  [Uint32Array, ['int64', 'uint32']],
]);

/** Replaces process.stdout/stderr writes (console.* included) with a buffer while the candidate runs. */
function capture() {
  const saved = [process.stdout.write, process.stderr.write];
  let text = '';
  let dropped = 0;
  const write = (chunk, encoding, cb) => {
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const room = TEXT_LIMIT - text.length;
    if (room > 0) text += s.slice(0, room);
    dropped += Math.max(0, s.length - Math.max(room, 0));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(done);
    return true;
  };
  process.stdout.write = write;
  process.stderr.write = write;
  return () => {
    [process.stdout.write, process.stderr.write] = saved;
    return text + (dropped ? `\n[... ${dropped} more characters]` : '');
  };
}

// ------------------------------------------------------------------ loading

async function load(spec) {
  const base = basename(spec.file);
  if (!existsSync(spec.file)) return { failure: { kind: 'missing-target', message: `${spec.file}: no such file` } };
  let mod;
  try {
    // TypeScript candidates (.ts .mts .cts) are transpiled on import by the TypeScript compiler (ts-hooks.mjs).
    if (/\.(c|m)?ts$/.test(spec.file)) {
      try {
        createRequire(import.meta.url).resolve('typescript');
      } catch {
        return { failure: { kind: 'missing-library', module: 'typescript', message: `${base} is TypeScript: auditing it needs the typescript package (npm install typescript)` } };
      }
      register('./ts-hooks.mjs', import.meta.url);
    }
    mod = await import(pathToFileURL(spec.file).href);
  } catch (e) {
    const message = safeString(e?.message ?? e);
    if (e?.code === 'ERR_MODULE_NOT_FOUND') {
      const m = /Cannot find (?:package|module) '([^']+)'/.exec(message);
      if (m && m[1] !== spec.file) {
        return { failure: { kind: 'missing-library', module: m[1], message: head(`${base} imports '${m[1]}', which is not installed: ${message}`), traceback: tail(safeString(e?.stack ?? '')) } };
      }
    }
    return { failure: { kind: 'import', message: head(`${base} failed to import: ${e?.name ?? typeof e}: ${message}`), traceback: tail(safeString(e?.stack ?? '')) } };
  }
  // A default export is named `default` on the command line (FILE.ts:default).
  const fn = mod[spec.function];
  if (fn === undefined) {
    const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    return { failure: { kind: 'missing-target', message: `${base} has no export '${spec.function}' (functions it exports: ${exported.join(', ') || 'none'})` } };
  }
  if (typeof fn !== 'function') return { failure: { kind: 'missing-target', message: `${base}: '${spec.function}' is a ${typeof fn}, not a function` } };
  return { fn };
}

// ------------------------------------------------------------------ calls

const specialNumber = (v) => (typeof v === 'number' ? v : { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }[v] ?? Number(v));

function callArgs(style, args) {
  if (style === 'x') return [];
  const out = {};
  if (style === 'x-theta-axis' && args.theta !== undefined) out.theta = specialNumber(args.theta);
  if (args.axis !== undefined) out.axis = args.axis;
  return [out];
}

function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an Array';
  if (typeof v !== 'object') return `a ${typeof v}`;
  return `a ${v.constructor?.name ?? 'Object'} object`;
}

const isTyped = (v) => isF16(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
const bytesOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** {dtype, numpyDtype, shape, bytes} or {problem}. */
function readOutput(out, inputShape, inputSize) {
  let data;
  let shape = inputShape;
  let declared;
  if (isTyped(out)) data = out;
  else if (out !== null && typeof out === 'object' && !Array.isArray(out) && 'data' in out) {
    ({ data, dtype: declared } = out);
    if (out.shape !== undefined) shape = out.shape;
  } else return { problem: `returned ${describe(out)}, not a typed array or {dtype, shape, data}` };
  if (!isTyped(data)) return { problem: `returned data that is ${describe(data)}, not a typed array` };
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    return { problem: 'returned a shape that is not a list of non-negative integers' };
  }
  const cap = Math.max(OUTPUT_CAP_FACTOR * inputSize, MIN_OUTPUT_CAP);
  if (data.length > cap) return { problem: `returned ${data.length} elements for an input of ${inputSize}` };
  const count = shape.reduce((a, b) => a * b, 1);
  if (data.length !== count) return { problem: `returned ${data.length} elements for shape (${shape.join(', ')})` };

  let wire;
  let numpyDtype;
  let bytes;
  if (isF16(data)) {
    [wire, numpyDtype, bytes] = ['float16', 'float16', bytesOf(new Uint16Array(data.buffer, data.byteOffset, data.length))];
  } else if (declared === 'float16' && data instanceof Uint16Array) {
    [wire, numpyDtype, bytes] = ['float16', 'float16', bytesOf(data)];
  } else if (declared === 'bfloat16' && data instanceof Uint16Array) {
    [wire, numpyDtype, bytes] = ['bfloat16', 'bfloat16', bytesOf(data)];
  } else if (declared === 'bool' && data instanceof Uint8Array) {
    [wire, numpyDtype, bytes] = ['bool', 'bool', Uint8Array.from(data, (v) => (v ? 1 : 0))];
  } else {
    const kind = OUTPUT_ARRAYS.get(data.constructor);
    if (!kind) return { problem: `returned a ${data.constructor?.name}, which has no NumPy dtype` };
    [wire, numpyDtype] = kind;
    if (wire === numpyDtype) bytes = bytesOf(data);
    else if (data instanceof BigUint64Array) bytes = bytesOf(BigInt64Array.from(data, (v) => BigInt.asIntN(64, v)));
    else bytes = bytesOf(BigInt64Array.from(data, (v) => BigInt(v)));
  }
  if (declared !== undefined && declared !== wire && declared !== numpyDtype) {
    return { problem: `returned dtype "${safeString(declared)}" but its data is a ${data.constructor?.name}` };
  }
  // A copy of its own: the output may be a view of the shared input, or of memory the candidate keeps.
  return { dtype: wire, numpyDtype, shape: [...shape], bytes: bytes.slice() };
}

function raisedHeader(e) {
  const isObj = e !== null && (typeof e === 'object' || typeof e === 'function');
  const type = isObj ? (e.constructor?.name ?? 'Object') : typeof e;
  const message = isObj && 'message' in e ? safeString(e.message) : safeString(e);
  return { type, message, stack: isObj && typeof e.stack === 'string' ? e.stack : '' };
}

/** The candidate's own tfjs-core (a tensor of another copy would not be recognised), or undefined. */
async function candidateTf(file) {
  try {
    return await import(pathToFileURL(createRequire(file).resolve('@tensorflow/tfjs-core')).href);
  } catch {
    return undefined;
  }
}

/** Did the candidate change the nested arrays it was given (the `array` convention's mutation check)? */
function nestedChanged(arg, data) {
  const flat = [];
  const walk = (v) => (Array.isArray(v) ? v.forEach(walk) : flat.push(v));
  walk(arg);
  return flat.length !== data.length || flat.some((v, i) => !Object.is(v, Number(data[i])));
}

let convention; // the input form: set by the spec, or found by the first call's probe (js-conventions.mjs)
let tf;

/** One call: the input is a view into the host's SharedArrayBuffer (at `pad` bytes, with padding either side). */
async function runCall(fn, style, call, sab, pad) {
  const base = { type: 'result', id: call.id };
  const shape = [...call.shape];
  const size = call.nbytes / ITEMSIZE[call.dtype];
  // With a layout (the harness's memory-layout cases) the view sits at an offset into a larger buffer, the
  // typed-array analogue of a NumPy view: a candidate that reads .buffer from 0 sees the padding.
  const shared = new U8(sab);
  const own = new AB(call.nbytes + 2 * pad);
  const ownBytes = new U8(own);
  apply(u8set, ownBytes, [shared]);
  const x = { dtype: call.dtype, shape: [...shape], data: new INPUT_ARRAYS[call.dtype](own, pad, size) };
  let detached = false;
  // The candidate's input, as it left it, into the shared buffer the host checks (a detached buffer: mutated).
  const writeBack = () => {
    if (apply(byteLengthOf, ownBytes, []) !== apply(byteLengthOf, shared, [])) detached = true;
    else apply(u8set, shared, [ownBytes]);
  };
  const release = capture();
  let out;
  let err;
  let failed = false;
  let found;
  let args;
  const t0 = performance.now();
  try {
    // The first call finds the input form, inside its own timeout: a candidate that hangs or exits on the probe is
    // judged as this call, and the result says what was found.
    if (convention === undefined) {
      const quiet = capture(); // what the probe prints is not this call's output
      try {
        found = await detect(fn, callArgs(style, { axis: -1, theta: 1 }), INPUT_ARRAYS, tf);
      } finally {
        quiet();
      }
      convention = found.convention;
    }
    args = toConvention(convention, x, tf);
    // Written back before any other code of the candidate's can run (a microtask it queued would run at an await, a
    // `then` getter on what it returned when that is asked), and again once a promise it returned has settled; a
    // throw too: what it wrote before throwing counts.
    try {
      out = fn(...args, ...callArgs(style, call.args ?? {}));
    } finally {
      writeBack();
    }
    if (isThenable(out)) {
      try {
        out = await out;
      } finally {
        writeBack();
      }
    }
  } catch (e) {
    failed = true;
    err = e;
  }
  const ms = performance.now() - t0;
  const captured = release();
  const common = { ...base, captured, ms, ...(found ? { convention: found.convention, conventionProbe: found.tried } : {}) };
  // What only this thread can see (nested arrays it made, the shape object): as honest as the candidate lets it be.
  const arrayMutated = !failed && convention === 'array' && x.shape.length > 0 && nestedChanged(args[0], x.data);
  const seenMutation = detached || arrayMutated || x.shape.length !== shape.length || x.shape.some((n, i) => n !== shape[i]);
  if (failed) {
    const r = raisedHeader(err);
    // A typed array or ArrayBuffer V8 could not allocate: that call ran out of memory.
    if (r.type === 'RangeError' && /allocation failed/i.test(r.message)) {
      return { ...common, kind: 'memory', message: head(`${r.type}: ${r.message}`), traceback: tail(r.stack) };
    }
    return { ...common, kind: 'raised', errorType: r.type, message: head(r.message), traceback: tail(r.stack) };
  }
  // Plain (nested) arrays and tfjs tensors become what readOutput reads; a ragged or non-numeric one is bad output.
  try {
    out = fromConvention(out, call.dtype, INPUT_ARRAYS, shape);
  } catch (e) {
    return { ...common, kind: 'bad-output', problem: head(safeString(e?.message ?? e)), seenMutation };
  }
  const got = readOutput(out, shape, size);
  if (got.problem) return { ...common, kind: 'bad-output', problem: got.problem, seenMutation };
  return { ...common, kind: 'ok', seenMutation, output: got };
}

// ------------------------------------------------------------------ main

async function main() {
  const { spec } = workerData;
  // A stray rejection or exception from the candidate's own async work must not end the thread.
  process.on('unhandledRejection', (e) => process.stderr.write(`unhandled rejection: ${safeString(e?.stack ?? e)}\n`));
  process.on('uncaughtException', (e) => process.stderr.write(`uncaught exception: ${safeString(e?.stack ?? e)}\n`));
  const release = capture();
  let loaded;
  let importOutput;
  try {
    loaded = await load(spec);
  } finally {
    importOutput = release();
  }
  if (loaded.failure) {
    parentPort.postMessage({ type: 'start-failed', ...loaded.failure, importOutput });
    return;
  }
  tf = await candidateTf(spec.file);
  if (spec.convention && spec.convention !== 'auto') convention = spec.convention;
  parentPort.postMessage({ type: 'loaded', importOutput, node: process.version, ...(spec.convention !== 'auto' ? { convention } : {}) });
  parentPort.on('message', async ({ call, sab, pad }) => {
    let result;
    try {
      result = await runCall(loaded.fn, spec.callStyle, call, sab, pad);
    } catch (e) {
      const r = raisedHeader(e);
      result = { type: 'result', id: call.id, kind: 'bad-output', problem: head(`its output could not be read: ${r.type}: ${r.message}`), captured: '', ms: 0 };
    }
    const transfer = result.output ? [result.output.bytes.buffer] : [];
    parentPort.postMessage(result, transfer);
  });
}

await main();
