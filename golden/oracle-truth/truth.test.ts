// The oracle against the mpmath truth set (export.py): every element, bit for bit (signed zeros and NaN included).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logsumexpSlice } from '../../reference/logsumexp.js';
import { oracleSlice } from '../../reference/softmax.js';
import { readTensorFile } from '../../harness/tensor/io.js';
import { toNumbers } from '../../harness/tensor/tensor.js';
import type { FloatDType } from '../../harness/tensor/dtype.js';

const HERE = import.meta.dirname;

interface Index {
  command: string;
  elements: number;
  sha256: Record<string, string>;
  dtypes: Record<string, { slices: number; elements: number; files: Record<string, string>; families: { family: string; firstSlice: number; slices: number }[] }>;
}

const index = JSON.parse(readFileSync(join(HERE, 'index.json'), 'utf8')) as Index;

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

describe('the mpmath truth set', () => {
  it('has at least 100,000 elements and intact files', () => {
    expect(index.elements).toBeGreaterThanOrEqual(100_000);
    expect(index.command).toBe('python3 golden/oracle-truth/export.py');
    for (const [file, sum] of Object.entries(index.sha256)) {
      expect(createHash('sha256').update(readFileSync(join(HERE, file))).digest('hex'), file).toBe(sum);
    }
  });

  for (const dtype of ['float64', 'float32', 'float16'] as const) {
    for (const op of ['softmax', 'log-softmax'] as const) {
      it(`${dtype} ${op}: the oracle agrees bit for bit with every element`, () => {
        const info = index.dtypes[dtype];
        const inputs = readTensorFile(join(HERE, info.files.inputs));
        expect(inputs.dtype).toBe(dtype);
        const x = toNumbers(inputs);
        const offsets = toNumbers(readTensorFile(join(HERE, info.files.offsets)));
        const want = toNumbers(readTensorFile(join(HERE, info.files[op])));
        const familyOf = (s: number) => info.families.find((f) => s >= f.firstSlice && s < f.firstSlice + f.slices)?.family;
        const mismatches: string[] = [];
        let compared = 0;
        for (let s = 0; s + 1 < offsets.length; s++) {
          const lo = offsets[s], hi = offsets[s + 1];
          const got = oracleSlice(x.subarray(lo, hi), { op, policy: 'ieee', outDtype: dtype as FloatDType });
          for (let j = 0; j < hi - lo; j++) {
            compared++;
            if (!same(got[j], want[lo + j]) && mismatches.length < 10) {
              mismatches.push(`slice ${s} (${familyOf(s)}) [${Array.from(x.subarray(lo, Math.min(hi, lo + 6))).join(', ')}${hi - lo > 6 ? ', ...' : ''}] element ${j}: oracle ${got[j]}, mpmath ${want[lo + j]}`);
            }
          }
        }
        expect(compared).toBe(info.elements);
        expect(mismatches).toEqual([]);
      });
    }
  }
});

// bfloat16 (export_bfloat16.py): softmax and log-softmax of every element, and logsumexp of every slice.
interface Bf16Index {
  command: string;
  elements: number;
  slices: number;
  files: Record<'inputs' | 'offsets' | 'softmax' | 'log-softmax' | 'logsumexp', string>;
  families: { family: string; firstSlice: number; slices: number }[];
  sha256: Record<string, string>;
}

const bf16 = JSON.parse(readFileSync(join(HERE, 'index-bfloat16.json'), 'utf8')) as Bf16Index;

describe('the mpmath truth set in bfloat16', () => {
  it('has at least 100,000 elements and intact files', () => {
    expect(bf16.elements).toBeGreaterThanOrEqual(100_000);
    expect(bf16.command).toBe('python3 golden/oracle-truth/export_bfloat16.py');
    for (const [file, sum] of Object.entries(bf16.sha256)) {
      expect(createHash('sha256').update(readFileSync(join(HERE, file))).digest('hex'), file).toBe(sum);
    }
  });

  const inputs = readTensorFile(join(HERE, bf16.files.inputs));
  const x = toNumbers(inputs);
  const offsets = toNumbers(readTensorFile(join(HERE, bf16.files.offsets)));
  const familyOf = (s: number) => bf16.families.find((f) => s >= f.firstSlice && s < f.firstSlice + f.slices)?.family;
  const show = (s: number) => `slice ${s} (${familyOf(s)}) [${Array.from(x.subarray(offsets[s], Math.min(offsets[s + 1], offsets[s] + 6))).join(', ')}${offsets[s + 1] - offsets[s] > 6 ? ', ...' : ''}]`;

  for (const op of ['softmax', 'log-softmax'] as const) {
    it(`${op}: the oracle agrees bit for bit with every element`, () => {
      expect(inputs.dtype).toBe('bfloat16');
      const want = toNumbers(readTensorFile(join(HERE, bf16.files[op])));
      const mismatches: string[] = [];
      let compared = 0;
      for (let s = 0; s + 1 < offsets.length; s++) {
        const lo = offsets[s], hi = offsets[s + 1];
        const got = oracleSlice(x.subarray(lo, hi), { op, policy: 'ieee', outDtype: 'bfloat16' });
        for (let j = 0; j < hi - lo; j++) {
          compared++;
          if (!same(got[j], want[lo + j]) && mismatches.length < 10) mismatches.push(`${show(s)} element ${j}: oracle ${got[j]}, mpmath ${want[lo + j]}`);
        }
      }
      expect(compared).toBe(bf16.elements);
      expect(mismatches).toEqual([]);
    });
  }

  it('logsumexp: the oracle agrees bit for bit with every slice', () => {
    const want = toNumbers(readTensorFile(join(HERE, bf16.files.logsumexp)));
    expect(want.length).toBe(bf16.slices);
    const mismatches: string[] = [];
    for (let s = 0; s + 1 < offsets.length; s++) {
      const got = logsumexpSlice(x.subarray(offsets[s], offsets[s + 1]), 'bfloat16');
      if (!same(got, want[s]) && mismatches.length < 10) mismatches.push(`${show(s)}: oracle ${got}, mpmath ${want[s]}`);
    }
    expect(mismatches).toEqual([]);
  });
});
