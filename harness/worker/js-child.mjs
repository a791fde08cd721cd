// Runs one JavaScript candidate for the harness (harness/worker/js-worker.ts starts it as its own `node` process,
// sandboxed, with --max-old-space-size as the memory cap). Plain JavaScript: it is run as is, never compiled.
//
// Usage: node js-child.mjs SPEC_JSON   (SPEC_JSON: {"file", "function", "callStyle", "convention"})
//
// Two threads, so that the candidate cannot forge its own verdict:
//  - this one, the host: it alone talks to the harness (frames on fd 3 in, fd 4 out, never stdout/stderr), keeps a
//    pristine copy of every input, and after each call compares the input's shared memory with it, byte for byte,
//    padding included (the mutation check). It runs no candidate code.
//  - the candidate's thread (js-candidate.mjs, a worker_thread: its own V8 isolate, so its own globals and
//    prototypes): it imports the candidate, calls it on a plain ArrayBuffer copy of the input, writes that copy back
//    into the SharedArrayBuffer this thread checks the moment the call returns (with intrinsics taken before the
//    candidate was imported), and posts its output back. What the candidate does there (patching Buffer, set(), the
//    sockets, the checks) changes only what that thread posts, which this thread checks field by field.
// The descriptors are the process's, so the candidate's thread can still write on fd 4 itself: every frame this
// thread writes carries the seal the harness sent in its first frame (`hello`, read before the candidate's thread
// exists), and the harness refuses any frame without it (session.ts). What stays out of reach: native code the
// candidate loads, and its own process's memory through /proc/self/mem (README, threat model).
//
// The candidate is called as f(x), f(x, {axis}) or f(x, {theta, axis}) (a key is omitted when the harness has no
// value for it). The input's form follows the calling convention (js-conventions.mjs: tensor, array, typed,
// typed-shape, tfjs; auto: probed); in the `tensor` form x = {dtype, shape, data}: data is a typed array (Float64Array, Float32Array, Int32Array, BigInt64Array, Uint8Array of 0/1 for bool) and, for float16, a
// Float16Array (Node's own when it has one, else @petamoriken/float16's), so reads give the exact half values and a
// Float16Array returned maps back to float16 bit for bit. It may return (or resolve to) a typed array (shape = the
// input's) or {dtype?, shape?, data}; dtype may be omitted (read from data), or say "bool" for a Uint8Array of 0/1,
// or "float16" for a Uint16Array of raw binary16 bits. bfloat16 has no JavaScript type: it arrives and may return as
// a Uint16Array of its raw bits (the top half of a binary32) with dtype "bfloat16". Other integer arrays widen to
// int64, as in NumPy's case. Outputs may take any of the conventions' forms.
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { head, ITEMSIZE, safeString, tail } from './js-text.mjs';

const LAYOUT_PAD_ELEMENTS = 3; // elements before and after a layout case's view in its buffer
const WIRE_DTYPES = new Set(Object.keys(ITEMSIZE));
const RESULT_KINDS = new Set(['ok', 'raised', 'memory', 'bad-output']);
const START_FAILURES = new Set(['missing-library', 'missing-target', 'import']);

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
let seal = null; // from the harness's hello frame

/** Resolves once the frame is handed to the kernel: a candidate that then loops forever cannot hold it back. */
function send(header, chunks) {
  const parts = encodeFrame({ ...header, seal }, chunks);
  return new Promise((resolve, reject) => {
    parts.forEach((p, i) => toHarness.write(p, i === parts.length - 1 ? (err) => (err ? reject(err) : resolve()) : undefined));
  });
}

// ------------------------------------------------------------------ what the candidate's thread posts

const text = (v, cut = head) => (typeof v === 'string' ? cut(v) : '');
const isShape = (s) => Array.isArray(s) && s.length <= 64 && s.every((n) => Number.isSafeInteger(n) && n >= 0);

/** The result header for the harness from what the thread posted, every field checked: it is the candidate's word. */
function resultHeader(msg, call) {
  const base = { type: 'result', id: call.id, captured: text(msg?.captured), ms: Number.isFinite(msg?.ms) ? msg.ms : 0 };
  if (typeof msg?.convention === 'string') base.convention = text(msg.convention).slice(0, 40);
  if (Array.isArray(msg?.conventionProbe)) base.conventionProbe = msg.conventionProbe.slice(0, 10).map((t) => text(t).slice(0, 300));
  const kind = RESULT_KINDS.has(msg?.kind) ? msg.kind : null;
  if (kind === null || msg.id !== call.id) return { ...base, kind: 'bad-output', problem: 'the candidate\'s thread answered in a form the harness does not know' };
  if (kind === 'raised') return { ...base, kind, errorType: text(msg.errorType).slice(0, 200), message: text(msg.message), traceback: text(msg.traceback, tail) };
  if (kind === 'memory') return { ...base, kind, message: text(msg.message), traceback: text(msg.traceback, tail) };
  if (kind === 'bad-output') return { ...base, kind, problem: text(msg.problem) };
  const o = msg.output;
  const bytes = o?.bytes instanceof Uint8Array ? o.bytes : null;
  if (!o || !WIRE_DTYPES.has(o.dtype) || typeof o.numpyDtype !== 'string' || o.numpyDtype.length > 20 || !isShape(o.shape) || bytes === null) {
    return { ...base, kind: 'bad-output', problem: 'its output could not be read' };
  }
  const count = o.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== count * ITEMSIZE[o.dtype]) return { ...base, kind: 'bad-output', problem: `returned ${bytes.byteLength} bytes for shape (${o.shape.join(', ')})` };
  return { ...base, kind: 'ok', numpyDtype: o.numpyDtype, output: { dtype: o.dtype, shape: [...o.shape] }, bytes };
}

// ------------------------------------------------------------------ the candidate's thread

let thread = null;
let onMessage = null; // the waiting call's (or the load's) handler
let onDeath = null;

function startThread(spec) {
  thread = new Worker(new URL('./js-candidate.mjs', import.meta.url), { workerData: { spec } });
  thread.on('message', (m) => onMessage?.(m));
  // An error it did not catch (V8 out of memory in its heap, say) or an exit ends it: so it would have ended the
  // process, and so it does, with its reason on stderr, where the harness reads how a call died.
  thread.on('error', (e) => {
    const oom = e?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    process.stderr.write(`${oom ? 'FATAL ERROR: the candidate ran out of memory (Allocation failed - JavaScript heap out of memory)' : `the candidate's thread failed: ${safeString(e?.stack ?? e)}`}\n`);
    onDeath?.(oom ? 134 : 1);
  });
  thread.on('exit', (code) => onDeath?.(code));
}

const died = (code) => {
  process.exitCode = code;
  // Whatever is written to the harness is sent; nothing else runs.
  toHarness.end(() => process.exit(code));
  setTimeout(() => process.exit(code), 200).unref();
};

async function runCall(call, payload) {
  // The `misaligned` layout is the one a typed array can express: the input is a subarray view at an offset into a
  // larger buffer (whole elements: a typed array cannot start off its alignment), so a candidate that reads .buffer
  // from 0 sees the padding. Typed arrays have no strides, read-only or 0-stride form: the harness sends no other
  // layout to JavaScript (harness/tensor/layout.ts), and one that comes anyway gets a plain array, as C order does.
  const pad = call.layout?.kind === 'misaligned' ? LAYOUT_PAD_ELEMENTS * ITEMSIZE[call.dtype] : 0;
  const sab = new SharedArrayBuffer(call.nbytes + 2 * pad);
  const whole = new Uint8Array(sab).fill(0xff); // padding: NaN for floats, -1 for integers
  whole.set(payload.subarray(call.offset, call.offset + call.nbytes), pad);
  const pristine = Buffer.from(whole); // this thread's own copy: the candidate's thread never sees it
  const msg = await new Promise((resolve) => {
    onMessage = resolve;
    thread.postMessage({ call, sab, pad });
  });
  onMessage = null;
  const header = resultHeader(msg, call);
  // The mutation check: the shared memory against this thread's copy, padding included (a write past the view is
  // a write into the caller's memory), or what the candidate's thread saw change (nested arrays, the shape).
  const wrote = Buffer.compare(Buffer.from(whole), pristine) !== 0;
  const mutated = wrote || msg?.seenMutation === true;
  if (header.kind === 'raised' || header.kind === 'memory') return [header, []];
  if (header.kind === 'bad-output') return [{ ...header, mutated }, []];
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
  const { bytes, ...rest } = header;
  const out = { ...rest, mutated, output: { ...header.output, ...add(bytes) } };
  if (mutated) out.inputAfter = { dtype: call.dtype, shape: [...call.shape], ...add(Buffer.from(whole.subarray(pad, pad + call.nbytes))) };
  return [out, chunks];
}

// ------------------------------------------------------------------ main

async function main() {
  const spec = JSON.parse(process.argv[2]);
  const queue = [];
  let busy = false;
  let loaded = null;
  const drain = async () => {
    if (busy || !loaded) return;
    busy = true;
    while (queue.length) {
      const { call, payload } = queue.shift();
      await send(...(await runCall(call, payload)));
    }
    busy = false;
  };
  const hello = new Promise((resolve) => {
    fromHarness.on('data', frameReader((header, payload) => {
      if (header.type === 'hello' && seal === null && typeof header.seal === 'string') {
        seal = header.seal;
        return resolve();
      }
      if (header.type !== 'batch') return;
      for (const call of header.calls) queue.push({ call, payload });
      void drain();
    }));
  });
  fromHarness.on('end', () => process.exit(0));
  // The seal comes before the candidate's thread exists, so no candidate code ever runs while it is in transit.
  await hello;
  startThread(spec);
  // A thread that ends while loading (process.exit at import) ends the process the same way. One that posts a start
  // failure ends right after posting it, and its 'exit' can come first: the failure is sent, not raced by the exit.
  let answered = false;
  onDeath = (code) => setTimeout(() => answered || died(code), 100);
  const first = await new Promise((resolve) => (onMessage = resolve));
  answered = true;
  onMessage = null;
  if (first?.type === 'start-failed') {
    const kind = START_FAILURES.has(first.kind) ? first.kind : 'import';
    await send({ type: 'start-failed', kind, message: text(first.message), ...(typeof first.module === 'string' ? { module: text(first.module).slice(0, 200) } : {}), ...(typeof first.traceback === 'string' ? { traceback: text(first.traceback, tail) } : {}), importOutput: text(first.importOutput) });
    process.exit(0);
  }
  onDeath = died;
  const ready = { type: 'ready', importOutput: text(first?.importOutput), node: process.version };
  if (typeof first?.convention === 'string') ready.convention = text(first.convention).slice(0, 40);
  await send(ready);
  loaded = true;
  void drain();
}

await main();
