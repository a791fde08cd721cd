// Frames survive any split of the byte stream, and payloads land 8-byte aligned (so typed-array views need no copy).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeFrame, FrameReader } from './frames.js';

describe('frames', () => {
  test('decode whatever way the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string(), fc.uint8Array({ maxLength: 64 })), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (frames, cuts) => {
          const bytes = Buffer.concat(frames.flatMap(([text, payload]) => encodeFrame({ type: 't', text }, [payload])));
          const reader = new FrameReader();
          const got = [];
          let at = 0;
          for (let i = 0; at < bytes.length; i++) {
            const n = cuts[i % cuts.length];
            got.push(...reader.push(bytes.subarray(at, at + n)));
            at += n;
          }
          expect(got.map((f) => f.header.text)).toEqual(frames.map(([t]) => t));
          got.forEach((f, i) => {
            expect([...f.payload]).toEqual([...frames[i][1]]);
            expect(f.payload.byteOffset % 8).toBe(0);
          });
        },
      ),
    );
  });

  test('a stream that is not frames is refused', () => {
    const junk = Buffer.from('hello world, this is not a frame at all');
    // its first four bytes read as a header length of 1.8 GB
    expect(() => new FrameReader().push(junk)).toThrow(`frame header of ${junk.readUInt32LE(0)} bytes: not this protocol`);
  });
});
