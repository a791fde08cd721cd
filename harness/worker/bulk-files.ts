// Large tensors travel between Node and a Python worker through two files on tmpfs instead of the socket.
//
// Through the socket a 134 MB tensor costs two kernel copies each way plus Node's copy out of 64 KiB reads. Through
// a file: Node writes the input once (pwrite), the worker maps it (copy-on-write for the candidate, no copy at all),
// writes the result once, and Node reads it once. The files are created once per worker process and reused, so
// their tmpfs pages stay allocated between calls.
//
// Node creates a private folder with the two files before the worker starts; the worker opens both before it loads
// the candidate, and once it reports ready Node deletes the folder. Both keep their descriptors: the files live on
// without a name until both processes have closed them, so nothing is left behind however either of them ends,
// and the candidate (untrusted, in the worker's process) cannot make Node write or read any other file by renaming
// things in that folder. What the worker writes into the output file is untrusted: sizes are checked against the
// file and the frame header (protocol.ts checks each tensor against the payload's length).
import { closeSync, constants, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { onTermination } from './cleanup.js';
import { ProtocolError } from './protocol.js';

/** Tunables (tests change them: a small threshold, a folder that cannot be written). */
export const bulkTransport = {
  /** tmpfs, so the files are memory; when it cannot be written, every tensor goes through the socket */
  dir: '/dev/shm',
  /** inputs of at least this many bytes go by file; smaller ones keep the socket, tuned for many tiny calls */
  thresholdBytes: 8 * 1024 * 1024,
};

/** Bytes of a prepared result buffer touched per turn of the event loop (512 pages: ~1-6 ms here). */
const PREFAULT_SLICE = 2 * 1024 * 1024;

// Folders not yet deleted (a worker that has not reported ready): removed when Node exits or is stopped by a signal.
const folders = new Set<string>();
let exitHookInstalled = false;

export class BulkFiles {
  private spare: { buf: Uint8Array; touched: number } | null = null;
  /** the result whose first bytes progress frames have brought in */
  private incoming: { buf: Uint8Array; got: number } | null = null;

  private constructor(
    private folder: string | null,
    private readonly inFd: number,
    private readonly outFd: number,
  ) {}

  /** null when the folder or the files cannot be made (no /dev/shm, read-only, full): the socket carries all. */
  static create(): BulkFiles | null {
    let folder: string | undefined;
    const fds: number[] = [];
    try {
      // A neutral name: a sandboxed worker sees it (its mount's source in /proc/self/mountinfo).
      folder = mkdtempSync(join(bulkTransport.dir, 'tmp'));
      for (const name of ['in', 'out']) {
        fds.push(openSync(join(folder, name), constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
      }
    } catch {
      for (const fd of fds) closeSync(fd);
      if (folder) rmSync(folder, { recursive: true, force: true });
      return null;
    }
    folders.add(folder);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      onTermination(() => {
        for (const f of folders) rmSync(f, { recursive: true, force: true });
      });
    }
    return new BulkFiles(folder, fds[0], fds[1]);
  }

  /** The folder the worker opens `in` and `out` in (null once deleted). */
  get dir(): string | null {
    return this.folder;
  }

  /** Deletes the folder; the open files stay usable. */
  unlink(): void {
    if (this.folder === null) return;
    folders.delete(this.folder);
    rmSync(this.folder, { recursive: true, force: true });
    this.folder = null;
  }

  /** Deletes the folder and closes the files (their memory is freed once the worker's descriptors close too). */
  close(): void {
    this.unlink();
    this.spare = this.incoming = null;
    for (const fd of [this.inFd, this.outFd]) {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
    }
  }

  /** The input of the next call, at offset 0; false if the file cannot take it (tmpfs full): send it inline. */
  writeInput(bytes: Uint8Array): boolean {
    try {
      for (let done = 0; done < bytes.byteLength; ) done += writeSync(this.inFd, bytes, done, bytes.byteLength - done, done);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Starts making a buffer of n bytes ready for the result of the call just sent (a softmax's result is the size of
   * its input). The first touch of a fresh buffer page-faults every 4 KiB page: 50-450 ms for 134 MB on this VM,
   * as much as the candidate's own softmax or more. Touched here, a slice at a time between the event loop's other
   * work while the worker computes, those faults mostly leave the round trip. The buffer is handed to one result
   * (progress, result) and then forgotten: it is never reused, so no result can be overwritten.
   */
  prepare(n: number): void {
    const spare = { buf: new Uint8Array(n), touched: 0 };
    this.spare = spare;
    const slice = (): void => {
      if (this.spare !== spare) return; // taken by a result (whose bytes must not be touched again), or replaced
      const end = Math.min(spare.touched + PREFAULT_SLICE, n);
      for (let i = spare.touched; i < end; i += 4096) spare.buf[i] = 0;
      spare.touched = end;
      if (end < n) setImmediate(slice);
    };
    setImmediate(slice);
  }

  /**
   * A progress frame: the first `done` of the `total` bytes of the coming result are in the output file. They are
   * read now, while the worker writes the rest (two copies on two cores instead of one after the other).
   */
  progress(done: unknown, total: unknown): void {
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new ProtocolError(`bulk payload size ${String(total)}`);
    if (this.incoming?.buf.length !== total) this.incoming = { buf: this.buffer(total), got: 0 };
    this.fill(this.incoming, this.checkSize(done, this.incoming.got, total));
  }

  /**
   * A result frame: its payload, the first n bytes of the output file (read now, but for what progress frames
   * brought in), in a fresh buffer the caller owns for good; null for a result whose payload came in the frame.
   */
  result(n: unknown): Uint8Array | null {
    const incoming = this.incoming;
    this.incoming = null;
    if (n === undefined) return null;
    const size = this.checkSize(n);
    const into = incoming?.buf.length === size ? incoming : { buf: this.buffer(size), got: 0 };
    this.fill(into, size);
    return into.buf;
  }

  /** What the worker says of the output file is untrusted: a size within [min, max] and within the file. */
  private checkSize(n: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max || n > fstatSync(this.outFd).size) {
      throw new ProtocolError(`bulk payload size ${String(n)} does not fit the output file`);
    }
    return n;
  }

  /** The prepared buffer if it has the right size, else a fresh one; 8-aligned either way (a fresh ArrayBuffer). */
  private buffer(n: number): Uint8Array {
    const spare = this.spare;
    this.spare = null;
    return spare?.buf.length === n ? spare.buf : new Uint8Array(n);
  }

  private fill(into: { buf: Uint8Array; got: number }, upTo: number): void {
    while (into.got < upTo) {
      const k = readSync(this.outFd, into.buf, into.got, upTo - into.got, into.got);
      if (k === 0) throw new ProtocolError(`the output file ended at ${into.got} of ${upTo} bytes`);
      into.got += k;
    }
  }
}
