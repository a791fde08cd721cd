// A reproduction script for a JavaScript candidate: an ES module for `node` that imports the candidate by its
// absolute file URL, calls it exactly as the harness does (f(x), f(x, {axis}) or f(x, {theta, axis}) with
// x = {dtype, shape, data}, data a typed array; harness/worker/js-child.mjs), and ends with the same assertion as the
// Python snippet: it exits 1 while the defect reproduces, 0 once it is fixed. Values are written as the shortest
// decimal that parses back to the same double (JavaScript's own String()), NaN, ±Infinity and -0 spelled out.
import { pathToFileURL } from 'node:url';
import type { DType } from '../tensor/dtype.js';
import { sizeOf, toNumbers, type Tensor } from '../tensor/tensor.js';
import type { SnippetCheck } from './assertion.js';

export interface JsSnippetOptions {
  input: Tensor;
  /** absolute path of the candidate's module */
  file: string;
  functionName: string;
  /** the options object passed after x, or undefined for f(x) */
  args?: { axis?: number; theta?: number };
  actual?: Tensor;
  check?: SnippetCheck;
  /** hand x.data over as the harness's `misaligned` layout does: a subarray view 3 elements into a larger buffer */
  offsetView?: boolean;
}

const ARRAY: Record<DType, string> = {
  float64: 'Float64Array', float32: 'Float32Array', float16: 'Float16', bfloat16: 'Uint16Array', int32: 'Int32Array', int64: 'BigInt64Array', bool: 'Uint8Array',
};

export function jsNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Items joined into lines of at most ~100 columns. */
function wrap(items: string[], indent = '  '): string {
  const lines: string[] = [];
  let line = '';
  for (const it of items) {
    if (line && indent.length + line.length + it.length + 2 > 100) {
      lines.push(indent + line);
      line = '';
    }
    line += `${it}, `;
  }
  if (line) lines.push(indent + line.trimEnd());
  return lines.length ? `\n${lines.join('\n')}\n` : '';
}

function literals(t: Tensor): string[] {
  if (t.dtype === 'int64') return Array.from(t.data as BigInt64Array, (v) => `${v}n`);
  return Array.from(toNumbers(t), jsNumber);
}

function tensorLiteral(t: Tensor): string {
  return `{ dtype: '${t.dtype}', shape: [${t.shape.join(', ')}], data: ${ARRAY[t.dtype]}.from([${wrap(literals(t))}]) }`;
}

function assertion(check: SnippetCheck, call: string): string[] {
  switch (check.kind) {
    case 'unchanged-input':
      return ["if (!sameBits(x.data, before)) fail('the call changed its input x');"];
    case 'deterministic':
      return [`const out2 = ${call};`, "if (!sameBits(dataOf(out), dataOf(out2))) fail('two identical calls gave different results');"];
    case 'dtype':
      return [`if (dtypeOf(out) !== '${check.dtype}') fail(\`returns \${dtypeOf(out)}, expected ${check.dtype}\`);`];
    case 'shape':
      return ["if (String(shapeOf(out)) !== String(x.shape)) fail(`returns shape [${shapeOf(out)}] for input of shape [${x.shape}]`);"];
    case 'tolerance':
      return [
        `// the check: within the ${check.profile} profile's tolerance of the correctly rounded result, element by element`,
        `const expected = [${wrap(literals(check.expected))}];`,
        check.allowed.every((v) => v === check.allowed[0])
          ? `const allowed = new Array(${check.allowed.length}).fill(${jsNumber(check.allowed[0] ?? 0)}); // absolute error allowed per element`
          : `const allowed = [${wrap(Array.from(check.allowed, jsNumber))}];`,
        'const o = Array.from(dataOf(out), Number);',
        "if (String(shapeOf(out)) !== String(x.shape)) fail(`returns shape [${shapeOf(out)}], expected [${x.shape}]`);",
        'const bad = expected.flatMap((e, i) => (o[i] === e || (Number.isNaN(o[i]) && Number.isNaN(e)) || Math.abs(o[i] - e) <= allowed[i] ? [] : [i]));',
        'if (bad.length) fail(`${bad.length} element(s) out of tolerance, first at flat index ${bad[0]}: ${o[bad[0]]}, expected ${expected[bad[0]]}`);',
      ];
  }
}

/** Where the harness's Float16Array polyfill lives, as a file URL (a script run from elsewhere cannot resolve it). */
function float16Polyfill(): string {
  return import.meta.resolve('@petamoriken/float16');
}

/** An ES module: save as repro.mjs and run `node repro.mjs`. */
export function jsSnippet(opts: JsSnippetOptions): string {
  const check = opts.check ?? { kind: 'shape' };
  const argList = opts.args ? `x, ${JSON.stringify(opts.args)}` : 'x';
  const call = `await candidate(${argList})`;
  const lines = [
    '// softmax-conformance counterexample: save as repro.mjs, run `node repro.mjs`; exits 1 while the defect reproduces',
    `const candidate = (await import(${JSON.stringify(pathToFileURL(opts.file).href)}))[${JSON.stringify(opts.functionName)}];`,
    ...(opts.input.dtype === 'float16'
      ? ["// Node's own Float16Array where it has one, else the polyfill the harness uses (from the harness's install)", `const Float16 = globalThis.Float16Array ?? (await import(${JSON.stringify(float16Polyfill())})).Float16Array;`]
      : []),
    'const fail = (why) => { console.error(`defect reproduces: ${why}`); process.exit(1); };',
    'const dataOf = (r) => (ArrayBuffer.isView(r) ? r : r.data);',
    'const shapeOf = (r) => (ArrayBuffer.isView(r) ? x.shape : r.shape ?? x.shape);',
    "const dtypeOf = (r) => r.dtype ?? ({ Float64Array: 'float64', Float32Array: 'float32', Int32Array: 'int32', BigInt64Array: 'int64' }[dataOf(r).constructor.name] ?? dataOf(r).constructor.name);",
    'const sameBits = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;',
    '',
    `// input: ${opts.input.dtype}, shape [${opts.input.shape.join(', ')}] (${sizeOf(opts.input.shape)} elements)`,
    `const x = ${tensorLiteral(opts.input)};`,
    ...(opts.offsetView
      ? [
        '// as the harness handed it: a subarray view 3 elements into a larger buffer, the padding all 0xff bytes',
        'const whole = new x.data.constructor(x.data.length + 6);',
        'new Uint8Array(whole.buffer).fill(0xff);',
        'whole.set(x.data, 3);',
        'x.data = whole.subarray(3, 3 + x.data.length);',
      ]
      : []),
    ...(check.kind === 'unchanged-input' ? ['const before = x.data.slice();'] : []),
    `const out = ${call};`,
    'console.log(out);',
    ...(opts.actual ? [`// the candidate's output as the harness recorded it:`, `const actual = ${tensorLiteral(opts.actual)};`] : []),
    ...assertion(check, call),
    "console.log('conforms on this input');",
  ];
  return `${lines.join('\n')}\n`;
}
