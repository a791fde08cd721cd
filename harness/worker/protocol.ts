// Call requests to batch frames, and result frames to CallOutcomes. Same messages for Python and JavaScript workers
// (the header format is documented at the top of broker.py).
import { DTYPE_INFO, isDType } from '../tensor/dtype.js';
import { sizeOf, tensorBytes, tensorFromBytes, type Tensor } from '../tensor/tensor.js';
import { encodeFrame, pad8, type Frame } from './frames.js';
import type { CallArgs, CallOutcome, CallRequest, ConventionFound } from './types.js';

/** Calls per frame are bounded by bytes, not count: one frame is held in memory whole on both sides. */
const FRAME_PAYLOAD_TARGET = 64 * 1024 * 1024;

/** JSON has no NaN, infinities or -0: such a theta crosses as a string the worker parses with float(). */
function wireArgs(args: CallArgs): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  if (args.axis !== undefined) out.axis = args.axis;
  if (args.theta !== undefined) {
    const t = args.theta;
    out.theta = Number.isNaN(t) ? 'nan' : t === Infinity ? 'inf' : t === -Infinity ? '-inf' : Object.is(t, -0) ? '-0' : t;
  }
  return out;
}

export interface BatchFrame {
  /** the buffers of the frame, written back to back */
  buffers: Buffer[];
  /** the id after the frame's last call */
  end: number;
  /**
   * Set on a frame whose one call's input goes through the shared input file (bulk-files.ts): the bytes to write
   * there before sending it, and the frame to send instead (input inline) if that write fails.
   */
  bulk?: { bytes: Uint8Array; inline: Buffer[] };
}

/**
 * The frames that carry `requests`; call ids are their indices; `life` as Session counts them. An input of at least
 * `bulkFrom` bytes gets a frame
 * of its own whose call says `bulk` instead of an offset: its bytes are in the shared input file.
 */
export function batchFrames(requests: readonly CallRequest[], bulkFrom = Infinity, life = 0): BatchFrame[] {
  const frames: BatchFrame[] = [];
  // Which life of the candidate's process the calls are for (broker.py, "Lives"): a worker ignores an older life's.
  const lifeOf = life ? { life } : {};
  let calls: Record<string, unknown>[] = [];
  let chunks: Uint8Array[] = [];
  let offset = 0;
  const flush = (end: number): void => {
    if (calls.length) frames.push({ buffers: encodeFrame({ type: 'batch', calls, ...lifeOf }, chunks), end });
    calls = [];
    chunks = [];
    offset = 0;
  };
  const describe = (req: CallRequest, id: number, nbytes: number): Record<string, unknown> => ({
    id,
    dtype: req.input.dtype,
    shape: [...req.input.shape],
    args: wireArgs(req.args),
    ...(req.args.layout && req.args.layout.kind !== 'c' ? { layout: req.args.layout } : {}),
    nbytes,
  });
  requests.forEach((req, id) => {
    const bytes = tensorBytes(req.input);
    if (bytes.byteLength >= bulkFrom && bytes.byteLength > 0) {
      flush(id);
      const inline = encodeFrame({ type: 'batch', calls: [{ ...describe(req, id, bytes.byteLength), offset: 0 }], ...lifeOf }, [bytes]);
      frames.push({ buffers: encodeFrame({ type: 'batch', calls: [{ ...describe(req, id, bytes.byteLength), bulk: true }], ...lifeOf }), end: id + 1, bulk: { bytes, inline } });
      return;
    }
    if (offset > 0 && offset + bytes.byteLength > FRAME_PAYLOAD_TARGET) flush(id);
    calls.push({ ...describe(req, id, bytes.byteLength), offset });
    chunks.push(bytes);
    offset += bytes.byteLength;
    const pad = pad8(offset);
    if (pad) {
      chunks.push(new Uint8Array(pad));
      offset += pad;
    }
  });
  flush(requests.length);
  return frames;
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

function tensorAt(payload: Uint8Array, desc: unknown): Tensor {
  const d = desc as { dtype?: unknown; shape?: unknown; offset?: unknown; nbytes?: unknown };
  if (typeof d?.dtype !== 'string' || !isDType(d.dtype)) throw new ProtocolError(`unknown dtype ${String(d?.dtype)}`);
  const shape = d.shape;
  if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new ProtocolError('bad shape');
  const offset = Number(d.offset);
  const nbytes = Number(d.nbytes);
  if (nbytes !== sizeOf(shape as number[]) * DTYPE_INFO[d.dtype].itemsize || offset < 0 || offset + nbytes > payload.byteLength) {
    throw new ProtocolError('tensor bytes do not match its shape');
  }
  return tensorFromBytes(d.dtype, shape as number[], payload.subarray(offset, offset + nbytes));
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The outcome a result frame reports. */
export function outcomeOf(frame: Frame, limitMb: number): CallOutcome {
  const outcome = outcomeOfHeader(frame, limitMb);
  const h = frame.header;
  if (typeof h.convention === 'string') {
    conventions.set(outcome, { used: h.convention, probe: Array.isArray(h.conventionProbe) ? h.conventionProbe.map(String) : [] });
  }
  return outcome;
}

/** What a JavaScript worker's first result said about the input form (types.ts ConventionFound), by outcome. */
export const conventions = new WeakMap<CallOutcome, ConventionFound>();

function outcomeOfHeader(frame: Frame, limitMb: number): CallOutcome {
  const h = frame.header;
  const captured = str(h.captured);
  const ms = num(h.ms);
  switch (h.kind) {
    case 'ok': {
      const output = tensorAt(frame.payload, h.output);
      const inputAfter = h.inputAfter === undefined ? undefined : tensorAt(frame.payload, h.inputAfter);
      const outcome: CallOutcome = { kind: 'ok', output, numpyDtype: str(h.numpyDtype) || output.dtype, mutated: h.mutated === true, captured, ms };
      if (inputAfter) outcome.inputAfter = inputAfter;
      return outcome;
    }
    case 'raised':
      return { kind: 'raised', type: str(h.errorType), message: str(h.message), traceback: str(h.traceback), captured, ms };
    case 'bad-output':
      return { kind: 'bad-output', problem: str(h.problem), captured, ms };
    case 'not-run': // the worker could not make the call (bfloat16 without ml_dtypes): not the candidate's doing
      return { kind: 'not-run', reason: str(h.reason) };
    case 'memory': {
      const outcome: CallOutcome = { kind: 'memory', limitMb, stderr: [str(h.message), str(h.traceback), captured].filter(Boolean).join('\n') };
      if (typeof h.device === 'string' && h.device) outcome.device = h.device;
      return outcome;
    }
    case 'device-error': // the framework's device failed during the call (harness/py/sc_framework.py)
      return { kind: 'crash', exitCode: null, signal: null, stderr: [str(h.message), str(h.traceback), captured].filter(Boolean).join('\n'), device: str(h.device) || 'a device error' };
    case 'crash': {
      // Only the broker sends this (broker.py): the runner broke the protocol during this call and was replaced.
      const protocolError = str(h.protocolError) || 'a crash without a reason';
      return { kind: 'crash', exitCode: null, signal: null, stderr: `harness protocol error: ${protocolError}`, protocolError };
    }
    default:
      throw new ProtocolError(`unknown result kind ${String(h.kind)}`);
  }
}
