// Runs one JavaScript candidate for the harness (harness/worker/js-worker.ts starts it as its own `node` process,
// with --max-old-space-size as the memory cap). Plain JavaScript: it is run as is, never compiled.
//
// Usage: node js-child.mjs SPEC_JSON   (SPEC_JSON: {"file", "function", "callStyle", "convention"})
// The input's form follows the calling convention (js-conventions.mjs: tensor, array, typed, typed-shape, tfjs; auto:
// probed); what follows describes the `tensor` form, and outputs may take any of the forms.
// Same frames as worker.py (see there), on fd 3 (requests) and fd 4 (results), never on stdout/stderr.
//
// The candidate is called as f(x), f(x, {axis}) or f(x, {theta, axis}) (a key is omitted when the harness has no
// value for it), where x = {dtype, shape, data}: data is a fresh typed array of the input (Float64Array,
// Float32Array, Int32Array, BigInt64Array, Uint8Array of 0/1 for bool) and, for float16, a Float16Array (Node's own
// when it has one, else @petamoriken/float16's), so reads give the exact half values and a Float16Array returned
// maps back to float16 bit for bit. It may return (or resolve to) a typed array (shape = the input's) or
// {dtype?, shape?, data}; dtype may be omitted (read from data), or say "bool" for a Uint8Array of 0/1, or
// "float16" for a Uint16Array of raw binary16 bits. bfloat16 has no JavaScript type: it arrives and may return as a
// Uint16Array of its raw bits (the top half of a binary32) with dtype "bfloat16". Other integer arrays widen to int64, as in NumPy's case.
import { existsSync } from 'node:fs';
import net from 'node:net';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Float16Array as Float16Polyfill, isFloat16Array } from '@petamoriken/float16';
import { createRequire, register } from 'node:module';
import { detect, fromConvention, toConvention } from './js-conventions.mjs';

const TEXT_LIMIT = 4000;
const MIN_OUTPUT_CAP = 1_000_000;
const OUTPUT_CAP_FACTOR = 64;
const F16 = globalThis.Float16Array ?? Float16Polyfill;
const isF16 = (v) => isFloat16Array(v) || (globalThis.Float16Array !== undefined && v instanceof globalThis.Float16Array);

const INPUT_ARRAYS = { float64: Float64Array, float32: Float32Array, float16: F16, bfloat16: Uint16Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array };
const LAYOUT_PAD_ELEMENTS = 3; // elements before and after a layout case's view in its buffer
const ITEMSIZE = { float64: 8, float32: 4, float16: 2, bfloat16: 2, int32: 4, int64: 8, bool: 1 };
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

// ------------------------------------------------------------------ text

const head = (s) => (s.length <= TEXT_LIMIT ? s : `${s.slice(0, TEXT_LIMIT)}\n[... ${s.length - TEXT_LIMIT} more characters]`);
const tail = (s) => (s.length <= TEXT_LIMIT ? s : `[... ${s.length - TEXT_LIMIT} characters before]\n${s.slice(-TEXT_LIMIT)}`);

function safeString(v) {
  try {
    return String(v);
  } catch {
    return `<${typeof v} whose String() failed>`;
  }
}

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

// ------------------------------------------------------------------ frames

const pad8 = (n) => (8 - (n % 8)) % 8;

function encodeFrame(header, chunks = []) {
  const payloadBytes = chunks.reduce((s, c) => s + c.byteLength, 0);
  let json = Buffer.from(JSON.stringify({ ...header, payloadBytes }), 'utf8');
  const pad = pad8(4 + json.length);
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(json.length, 0);
  return [prefix, json, ...chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))];
}

function frameReader(onFrame) {
  let buf = Buffer.alloc(0);
  let header = null;
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (header === null) {
        if (buf.length < 4) return;
        const len = buf.readUInt32LE(0);
        if (buf.length < 4 + len) return;
        header = JSON.parse(buf.subarray(4, 4 + len).toString('utf8'));
        buf = buf.subarray(4 + len);
      }
      const need = header.payloadBytes ?? 0;
      if (buf.length < need) return;
      const payload = buf.subarray(0, need);
      buf = buf.subarray(need);
      const h = header;
      header = null;
      onFrame(h, payload);
    }
  };
}

const fromHarness = new net.Socket({ fd: 3, readable: true, writable: false });
const toHarness = new net.Socket({ fd: 4, readable: false, writable: true });

/** Resolves once the frame is handed to the kernel: a candidate that then loops forever cannot hold it back. */
function send(header, chunks) {
  const parts = encodeFrame(header, chunks);
  return new Promise((resolve, reject) => {
    parts.forEach((p, i) => toHarness.write(p, i === parts.length - 1 ? (err) => (err ? reject(err) : resolve()) : undefined));
  });
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
  return { dtype: wire, numpyDtype, shape: [...shape], bytes };
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

async function runCall(fn, style, call, payload) {
  const base = { type: 'result', id: call.id };
  // The `misaligned` layout is the one a typed array can express: the input is a subarray view at an offset into a
  // larger buffer (whole elements: a typed array cannot start off its alignment), so a candidate that reads .buffer
  // from 0 sees the padding. Typed arrays have no strides, read-only or 0-stride form: the harness sends no other
  // layout to JavaScript (harness/tensor/layout.ts), and one that comes anyway gets a plain array, as C order does.
  const pad = call.layout?.kind === 'misaligned' ? LAYOUT_PAD_ELEMENTS * ITEMSIZE[call.dtype] : 0;
  const whole = new Uint8Array(call.nbytes + 2 * pad).fill(0xff); // padding: NaN for floats, -1 for integers
  const copy = whole.subarray(pad, pad + call.nbytes); // fresh, aligned, writable: the candidate may scribble on it
  copy.set(payload.subarray(call.offset, call.offset + call.nbytes));
  const pristine = copy.slice();
  const shape = [...call.shape];
  const size = call.nbytes / ITEMSIZE[call.dtype];
  const x = { dtype: call.dtype, shape: [...shape], data: new INPUT_ARRAYS[call.dtype](whole.buffer, pad, size) };
  const release = capture();
  let out;
  let err;
  let failed = false;
  let arrayMutated = false;
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
    out = await fn(...args, ...callArgs(style, call.args ?? {}));
  } catch (e) {
    failed = true;
    err = e;
  }
  const ms = performance.now() - t0;
  const captured = release();
  const common = { ...base, captured, ms, ...(found ? { convention: found.convention, conventionProbe: found.tried } : {}) };
  if (failed) {
    const r = raisedHeader(err);
    // A typed array or ArrayBuffer V8 could not allocate: that call ran out of memory.
    if (r.type === 'RangeError' && /allocation failed/i.test(r.message)) {
      return [{ ...common, kind: 'memory', message: head(`${r.type}: ${r.message}`), traceback: tail(r.stack) }, []];
    }
    return [{ ...common, kind: 'raised', errorType: r.type, message: head(r.message), traceback: tail(r.stack) }, []];
  }
  if (convention === 'array' && x.shape.length > 0 && nestedChanged(args[0], x.data)) arrayMutated = true;
  // Plain (nested) arrays and tfjs tensors become what readOutput reads; a ragged or non-numeric one is bad output.
  try {
    out = fromConvention(out, call.dtype, INPUT_ARRAYS, shape);
  } catch (e) {
    return [{ ...common, kind: 'bad-output', problem: head(safeString(e?.message ?? e)), mutated: arrayMutated }, []];
  }
  const mutated = arrayMutated || Buffer.compare(copy, pristine) !== 0 || x.shape.length !== shape.length || x.shape.some((n, i) => n !== shape[i]);
  const got = readOutput(out, shape, size);
  if (got.problem) return [{ ...common, kind: 'bad-output', problem: got.problem, mutated }, []];
  const chunks = [];
  let offset = 0;
  const add = (bytes) => {
    const desc = { offset, nbytes: bytes.byteLength };
    chunks.push(bytes);
    offset += bytes.byteLength;
    if (pad8(offset)) {
      chunks.push(new Uint8Array(pad8(offset)));
      offset += chunks[chunks.length - 1].byteLength;
    }
    return desc;
  };
  const header = { ...common, kind: 'ok', mutated, numpyDtype: got.numpyDtype, output: { dtype: got.dtype, shape: got.shape, ...add(got.bytes) } };
  if (mutated) header.inputAfter = { dtype: call.dtype, shape, ...add(copy) };
  return [header, chunks];
}

// ------------------------------------------------------------------ main

async function main() {
  const spec = JSON.parse(process.argv[2]);
  // A stray rejection or exception from the candidate's own async work must not end the worker.
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
    await send({ type: 'start-failed', ...loaded.failure, importOutput });
    process.exit(0);
  }
  tf = await candidateTf(spec.file);
  if (spec.convention && spec.convention !== 'auto') convention = spec.convention;
  await send({ type: 'ready', importOutput, node: process.version, ...(spec.convention !== 'auto' ? { convention } : {}) });

  const queue = [];
  let busy = false;
  const drain = async () => {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const { call, payload } = queue.shift();
      let result;
      try {
        result = await runCall(loaded.fn, spec.callStyle, call, payload);
      } catch (e) {
        const r = raisedHeader(e);
        result = [{ type: 'result', id: call.id, kind: 'bad-output', problem: head(`its output could not be read: ${r.type}: ${r.message}`), captured: '', ms: 0 }, []];
      }
      await send(...result);
    }
    busy = false;
  };
  fromHarness.on('data', frameReader((header, payload) => {
    if (header.type !== 'batch') return;
    for (const call of header.calls) queue.push({ call, payload });
    void drain();
  }));
  fromHarness.on('end', () => process.exit(0));
}

await main();
