// NumPy .npy read/write, bit-exact. Own module, not npyjs: npyjs 1.2.0 rejects big-endian descrs, ignores
// fortran_order (returns the flag, not C-order data), turns float16 into float32 on read and cannot write it, checks
// no data length, and pulls in cross-fetch; the format (numpy/lib/format.py) is small enough to implement exactly.
import { DataError } from '../errors.js';
import { DTYPE_INFO, type DType } from './dtype.js';
import { describeShape, makeTensor, sizeOf, stridesOf, tensorBytes, tensorFromBytes, type Tensor } from './tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ALIGN = 64; // NumPy pads the header so the data starts on a 64-byte boundary

/** How a descr's elements become a tensor: the stored kind/size, and the dtype they land in. */
interface Source {
  kind: 'f' | 'i' | 'u' | 'b' | 'V';
  size: number;
  dtype: DType;
}

// Native dtypes keep their bits; the narrow integers NumPy users often save are widened losslessly.
const SOURCES: Record<string, Source> = {
  f8: { kind: 'f', size: 8, dtype: 'float64' },
  f4: { kind: 'f', size: 4, dtype: 'float32' },
  f2: { kind: 'f', size: 2, dtype: 'float16' },
  i8: { kind: 'i', size: 8, dtype: 'int64' },
  i4: { kind: 'i', size: 4, dtype: 'int32' },
  i2: { kind: 'i', size: 2, dtype: 'int32' },
  i1: { kind: 'i', size: 1, dtype: 'int32' },
  u8: { kind: 'u', size: 8, dtype: 'int64' },
  u4: { kind: 'u', size: 4, dtype: 'int64' }, // not int32: values up to 2^32-1 would not fit
  u2: { kind: 'u', size: 2, dtype: 'int32' },
  u1: { kind: 'u', size: 1, dtype: 'int32' },
  b1: { kind: 'b', size: 1, dtype: 'bool' },
  // ml_dtypes' bfloat16 is a void-kind dtype: np.save writes '<V2' and np.load hands back '|V2' raw pairs of bytes
  // (view them with .view(ml_dtypes.bfloat16)). The only 2-byte void this harness knows is bfloat16, so it reads so.
  V2: { kind: 'V', size: 2, dtype: 'bfloat16' },
};

export function readNpy(bytes: Uint8Array, file: string): Tensor {
  const fail = (problem: string): never => {
    throw new DataError(file, '', problem);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const minor = bytes[7];
  if (![1, 2, 3].includes(major) || minor !== 0) fail(`unsupported .npy format version ${major}.${minor}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) fail('truncated .npy header');
  const headerLen = lenSize === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenSize + headerLen;
  if (bytes.length < dataStart) fail(`truncated .npy header (needs ${headerLen} bytes)`);
  const headerBytes = bytes.subarray(8 + lenSize, dataStart);
  // Version 3.0 differs from 2.0 only in allowing UTF-8 in the header (structured field names).
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const { descr, descrText, fortran, shape } = parseHeader(header, fail);

  const src = typeof descr === 'string' ? SOURCES[descr.slice(1)] : undefined;
  const order = typeof descr === 'string' ? descr[0] : '';
  // A void has no byte order of its own: ml_dtypes writes '<V2', a re-saved np.load result '|V2'; never '>V2'.
  const orderOk = src?.kind === 'V' ? order === '<' || order === '|' : order === '|' ? src?.size === 1 : ['<', '>', '='].includes(order);
  if (!src || !orderOk) {
    return fail(`unsupported dtype ${descrText}: expected one of <f8 <f4 <f2 <i8 <i4 <i2 |i1 <u8 <u4 <u2 |u1 |b1 (either byte order), or <V2 (ml_dtypes' bfloat16)`);
  }
  const size = sizeOf(shape);
  const need = size * src.size;
  const have = bytes.length - dataStart;
  if (have !== need) {
    fail(`shape ${describeShape(shape)} of ${descrText} needs ${need} data bytes, the file has ${have}`);
  }
  const raw = bytes.subarray(dataStart);
  const bigEndian = order === '>';
  let t = convert(raw, src, bigEndian, size, shape, () => fail(`a ${descrText} value exceeds the int64 range`));
  if (fortran && shape.length > 1) t = fortranToC(t);
  return t;
}

/** Element storage of the target dtype from raw file bytes (byte-swapped and widened as needed). */
function convert(raw: Uint8Array, src: Source, bigEndian: boolean, size: number, shape: number[], tooBig: () => never): Tensor {
  const native = DTYPE_INFO[src.dtype].itemsize === src.size && src.kind !== 'u';
  if (native) {
    const copy = raw.slice(); // own, aligned buffer
    if (bigEndian && src.size > 1) {
      for (let i = 0; i < copy.length; i += src.size) copy.subarray(i, i + src.size).reverse();
    }
    return tensorFromBytes(src.dtype, shape, copy);
  }
  const t = makeTensor(src.dtype, shape);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = !bigEndian;
  for (let i = 0; i < size; i++) {
    const o = i * src.size;
    if (src.size === 8) {
      const v = dv.getBigUint64(o, le);
      if (v > 2n ** 63n - 1n) tooBig();
      (t.data as BigInt64Array)[i] = v;
    } else if (src.size === 4) {
      (t.data as BigInt64Array)[i] = BigInt(dv.getUint32(o, le)); // u4 → int64
    } else if (src.size === 2) {
      (t.data as Int32Array)[i] = src.kind === 'i' ? dv.getInt16(o, le) : dv.getUint16(o, le);
    } else {
      (t.data as Int32Array)[i] = src.kind === 'i' ? dv.getInt8(o) : dv.getUint8(o);
    }
  }
  return t;
}

/** Fortran-ordered storage (first index fastest) reordered into row-major. */
function fortranToC(t: Tensor): Tensor {
  const shape = t.shape;
  const rank = shape.length;
  const size = DTYPE_INFO[t.dtype].itemsize;
  // Fortran strides are the C strides of the reversed shape, reversed.
  const fStrides = stridesOf([...shape].reverse()).reverse();
  // Bytes, not elements: a float32 signalling NaN read into a JS number comes back quieted.
  const src = tensorBytes(t);
  const dst = new Uint8Array(src.length);
  const idx = new Array<number>(rank).fill(0);
  let f = 0;
  for (let c = 0; c < dst.length; c += size) {
    dst.set(src.subarray(f * size, f * size + size), c);
    // Advance the C-order multi-index, keeping the Fortran offset in step.
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]++;
      f += fStrides[k];
      if (idx[k] < shape[k]) break;
      f -= idx[k] * fStrides[k];
      idx[k] = 0;
    }
  }
  return tensorFromBytes(t.dtype, shape, dst);
}

/** The .npy bytes numpy.save writes for the same array (header layout included, so files compare byte for byte). */
export function writeNpy(t: Tensor): Uint8Array {
  const shape = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let dict = `{'descr': '${DTYPE_INFO[t.dtype].npyDescr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // NumPy leaves room to grow the first axis in place, then pads to ALIGN (a full ALIGN when already aligned).
  if (t.shape.length > 0) dict += ' '.repeat(Math.max(0, 21 - String(t.shape[0]).length));
  const padded = (pre: number): string => dict + ' '.repeat(ALIGN - ((pre + dict.length + 1) % ALIGN)) + '\n';
  // Version 1.0 unless the header overflows its 16-bit length (huge ranks), as numpy.save does.
  const major = padded(10).length <= 0xffff ? 1 : 2;
  const pre = major === 1 ? 10 : 12;
  const header = padded(pre);
  const data = tensorBytes(t);
  const out = new Uint8Array(pre + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i); // ASCII only
  out.set(data, pre + header.length);
  return out;
}

// ---- the header: a Python dict literal, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), } ----

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

interface Header {
  descr: PyValue;
  /** the descr as written in the header, for messages */
  descrText: string;
  fortran: boolean;
  shape: number[];
}

function parseHeader(text: string, fail: (problem: string) => never): Header {
  const p = new PyLiteral(text, fail);
  const spans = new Map<string, string>();
  const dict = p.parseTop(spans);
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict)) return fail('the .npy header is not a dict');
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape') fail(`the .npy header has keys {${keys}}; expected descr, fortran_order, shape`);
  const { descr, fortran_order: fortran, shape } = dict;
  if (typeof fortran !== 'boolean') fail('the .npy header\'s fortran_order is not True/False');
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    fail(`the .npy header's shape ${spans.get('shape')} is not a tuple of non-negative integers`);
  }
  return { descr, descrText: spans.get('descr') ?? String(descr), fortran: fortran as boolean, shape: shape as number[] };
}

/** A tiny reader for the Python literals that numpy.lib.format writes (strings, ints, True/False/None, tuples, lists, dicts). */
class PyLiteral {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly fail: (problem: string) => never,
  ) {}

  parseTop(spans: Map<string, string>): PyValue {
    const v = this.value(spans);
    this.ws();
    if (this.i !== this.s.length) this.error('trailing text');
    return v;
  }

  private error(what: string): never {
    return this.fail(`malformed .npy header (${what} at offset ${this.i}): ${JSON.stringify(this.s.trim())}`);
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  /** `spans`, when given, receives the source text of each top-level dict value (to quote the descr exactly). */
  private value(spans?: Map<string, string>): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.dict(spans);
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']');
    if (c === "'" || c === '"') return this.string();
    const m = /^(-?\d+)L?|^(True|False|None)\b/.exec(this.s.slice(this.i)); // 'L': shapes from Python 2 files
    if (!m) return this.error('unexpected character');
    this.i += m[0].length;
    if (m[2] !== undefined) return m[2] === 'None' ? null : m[2] === 'True';
    return Number(m[1]);
  }

  private string(): string {
    const q = this.s[this.i++];
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== q) {
      if (this.s[this.i] === '\\') this.i++;
      out += this.s[this.i++];
    }
    if (this.i >= this.s.length) this.error('unterminated string');
    this.i++;
    return out;
  }

  private sequence(close: string): PyValue[] {
    this.i++;
    const items: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) break;
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) this.error(`expected , or ${close}`);
    }
    this.i++;
    return items;
  }

  private dict(spans?: Map<string, string>): { [k: string]: PyValue } {
    this.i++;
    const out: { [k: string]: PyValue } = Object.create(null); // a key like "__proto__" stays a plain key
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') break;
      if (this.s[this.i] !== "'" && this.s[this.i] !== '"') this.error('expected a string key');
      const key = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.error('expected :');
      this.ws();
      const start = this.i;
      out[key] = this.value();
      spans?.set(key, this.s.slice(start, this.i));
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.error('expected , or }');
    }
    this.i++;
    return out;
  }
}
