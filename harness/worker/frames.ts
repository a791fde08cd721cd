// The worker frame format, shared by broker.py and js-child.mjs: u32 LE header length, a JSON header padded with
// spaces so the payload starts 8-byte aligned (typed-array views need no copy), then `payloadBytes` raw bytes.

export interface Frame {
  header: Record<string, unknown> & { type: string };
  payload: Uint8Array;
}

/** Headers are small; a bigger one means the stream is not speaking this protocol. */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export const pad8 = (n: number): number => (8 - (n % 8)) % 8;

/** The buffers of one frame, written back to back. `chunks` must already carry the offsets named in the header. */
export function encodeFrame(header: Record<string, unknown>, chunks: readonly Uint8Array[] = []): Buffer[] {
  const payloadBytes = chunks.reduce((s, c) => s + c.byteLength, 0);
  let json = Buffer.from(JSON.stringify({ ...header, payloadBytes }), 'utf8');
  const pad = pad8(4 + json.length);
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(json.length, 0);
  return [prefix, json, ...chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))];
}

/** Incremental decoder: push() chunks as they arrive, get whole frames back. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private header: Frame['header'] | null = null;
  /** A payload bigger than what is buffered is copied into its own buffer as it arrives (see push). */
  private filling: { payload: Uint8Array; filled: number } | null = null;

  /** checkHeader runs on each header before its payload is read (and allocated): it throws to refuse the frame. */
  constructor(private readonly checkHeader?: (header: Frame['header']) => void) {}

  /** Throws on a malformed stream (the caller treats that as a dead worker). */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    if (this.filling) {
      const f = this.filling;
      const n = Math.min(chunk.length, f.payload.length - f.filled);
      f.payload.set(n === chunk.length ? chunk : chunk.subarray(0, n), f.filled);
      f.filled += n;
      if (f.filled < f.payload.length) return frames;
      frames.push({ header: this.header!, payload: f.payload });
      this.header = null;
      this.filling = null;
      chunk = chunk.subarray(n); // what follows starts the next frame
    }
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    for (;;) {
      if (this.header === null) {
        if (this.buffered < 4) break;
        const len = this.peek(4).readUInt32LE(0);
        if (len > MAX_HEADER_BYTES) throw new Error(`frame header of ${len} bytes: not this protocol`);
        if (this.buffered < 4 + len) break;
        const raw = this.take(4 + len).subarray(4);
        const header = JSON.parse(raw.toString('utf8')) as Frame['header'];
        if (typeof header !== 'object' || header === null || typeof header.type !== 'string') {
          throw new Error('frame header without a type');
        }
        this.checkHeader?.(header);
        this.header = header;
      }
      const need = Number(this.header.payloadBytes ?? 0);
      if (!Number.isSafeInteger(need) || need < 0) throw new Error(`bad payloadBytes ${String(this.header.payloadBytes)}`);
      if (this.buffered < need) {
        // Not all here (a tensor of many MB arrives in 64 KiB reads): rather than keep every chunk and concatenate
        // them at the end, copy each into one buffer as it comes, while the worker is still writing. A fresh
        // ArrayBuffer starts at offset 0, so the payload is 8-aligned and typed-array views need no copy.
        const payload = new Uint8Array(need);
        let filled = 0;
        for (const c of this.chunks) {
          payload.set(c, filled);
          filled += c.length;
        }
        this.filling = { payload, filled };
        this.chunks = [];
        this.buffered = 0;
        break;
      }
      // Payload offsets are 8-aligned relative to the frame; an aligned copy keeps views zero-copy downstream.
      frames.push({ header: this.header, payload: need ? this.take(need, true) : new Uint8Array(0) });
      this.header = null;
    }
    return frames;
  }

  /** The first n buffered bytes, contiguous (concatenating only when they span chunks). */
  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  private take(n: number, aligned = false): Buffer {
    let out = this.peek(n);
    if (aligned && out.byteOffset % 8 !== 0) {
      const copy = new Uint8Array(n);
      copy.set(out);
      out = Buffer.from(copy.buffer);
    }
    this.chunks[0] = this.chunks[0].subarray(n);
    if (this.chunks[0].length === 0) this.chunks.shift();
    this.buffered -= n;
    return out;
  }
}
