import { describe, expect, it } from 'vitest';
import { oracle } from '../../reference/softmax.js';
import { fromNumbers } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import { agreeWithGolden, findGoldenResult, goldenAxes, goldenAxesFor, indexLibraries } from './agreement.js';
import { goldenFindings } from './findings.js';
import { loadGoldens } from './load.js';
import { projectPath } from '../paths.js';

const g = loadGoldens();
const strict = getProfile('strict');
const r = goldenFindings(g, strict);
const find = (library: string, kind: string, re: RegExp) => r.findings.find((f) => f.library === library && f.kind === kind && re.test(f.sentence));

describe('goldenFindings on the committed goldens', () => {
  it('cross-checks the two truths: mpmath agrees bit for bit with the oracle except on int64 beyond 2^53', () => {
    const mp = r.findings.filter((f) => f.library === 'mpmath');
    expect(mp.filter((f) => f.kind === 'accuracy').every((f) => /all .* correctly rounded/.test(f.sentence))).toBe(true);
    expect(mp.map((f) => f.kind).sort()).toEqual(['accuracy', 'accuracy', 'accuracy', 'int64-input']);
    expect(r.stats.filter((s) => s.library === 'mpmath').every((s) => s.maxUlp === 0 && s.specialMismatches === 0 && s.profileFailures === 0)).toBe(true);
  });

  it('measures the behaviours the discussion is about', () => {
    expect(find('tensorflow', 'special-values', /float32 softmax returns \[nan, 0, 0\] for \[inf, 1, 2\]/)).toBeDefined();
    expect(find('tensorflow', 'subnormal-flush', /float32 flushes subnormal outputs to zero/)).toBeDefined();
    expect(find('jax', 'dtype', /returns float32 for float64 input/)).toBeDefined();
    expect(find('tensorflow', 'error', /AbortedError on float32 input/)).toBeDefined();
    expect(find('torch', 'error', /NotImplementedError on int32 and int64 input/)).toBeDefined();
  });

  it('writes counts below 10^7 as en-US grouped numbers (1,234)', () => {
    const accuracy = r.findings.filter((f) => f.kind === 'accuracy' && f.families.length === 0);
    const big = accuracy.filter((f) => f.count >= 1000 && f.count < 1e7);
    expect(big.length).toBeGreaterThan(0);
    for (const f of big) expect(f.sentence).toContain(` ${f.count.toLocaleString('en-US')} elements`);
    for (const f of accuracy.filter((f) => f.count < 1000)) expect(f.sentence).toContain(` ${f.count} element`);
  });

  it('gives every library per-family statistics', () => {
    for (const lib of g.libraries) expect(r.stats.some((s) => s.library === lib.library)).toBe(true);
    for (const s of r.stats) {
      expect(s.exact).toBeLessThanOrEqual(s.elements);
      expect(s.errors).toBeLessThanOrEqual(s.results);
    }
    const sentences = r.findings.map((f) => f.sentence);
    expect(new Set(sentences).size).toBe(sentences.length);
    for (const s of sentences) expect(s).toMatch(/^\S.*\.$/);
  });
});

describe('agreement primitives', () => {
  const idx = indexLibraries(g.libraries);

  it('maps reductions to golden axes', () => {
    expect(goldenAxes([3, 4], null)).toEqual([0, 1]);
    expect(goldenAxes([], 0)).toEqual([]);
    expect(goldenAxesFor([3, 4], [1])).toEqual([1]);
    expect(goldenAxesFor([3], [0])).toEqual([0, null]);
    expect(goldenAxesFor([3, 4], [0, 1])).toEqual([null]);
    expect(goldenAxesFor([2, 3, 4], [1, 2])).toEqual([]);
  });

  it('the oracle agrees with scipy and torch on the discussion matrix, and torch rejects int64', () => {
    const c = g.caseById.get('discussion-scores2d')!;
    const x = c.inputs.get('float64')!;
    const mine = oracle(x, [0], { op: 'softmax', policy: 'ieee' });
    for (const lib of ['scipy', 'torch', 'mpmath']) {
      const res = findGoldenResult(idx.get(lib)!, c, 'float64', [0], 'softmax')!;
      expect(agreeWithGolden({ output: mine }, { ...res, library: lib }, { input: x, axes: [0] }, strict).verdict).toBe('agree');
    }
    const t = findGoldenResult(idx.get('torch')!, c, 'int64', [1], 'softmax')!;
    expect(agreeWithGolden({ output: mine }, t, { input: x, axes: [1] }, strict).verdict).toBe('golden-error');
    expect(agreeWithGolden({ error: 'TypeError' }, t, { input: x, axes: [1] }, strict).verdict).toBe('both-error');
  });

  it('a column-wise answer disagrees with the row-wise golden; dtypes are compared in the narrower one', () => {
    const c = g.caseById.get('discussion-x2')!;
    const x = c.inputs.get('float64')!;
    const cols = oracle(x, [0], { op: 'softmax', policy: 'ieee' });
    const rows = findGoldenResult(idx.get('tensorflow')!, c, 'float64', [1], 'softmax')!;
    expect(agreeWithGolden({ output: cols }, rows, { input: x, axes: [1] }, strict).verdict).toBe('disagree');
    const jax32 = findGoldenResult(idx.get('jax')!, c, 'float64', [1], 'softmax')!;
    expect(jax32.output!.dtype).toBe('float32');
    const rowsMine = oracle(x, [1], { op: 'softmax', policy: 'ieee' });
    const a = agreeWithGolden({ output: rowsMine }, jax32, { input: x, axes: [1] }, strict);
    expect(a.comparedIn).toBe('float32');
    const flat = agreeWithGolden({ output: fromNumbers('float64', [12], new Float64Array(12)) }, rows, { input: x, axes: [1] }, strict);
    expect(flat.verdict).toBe('disagree');
  });
});

describe('goldenFindings on the bfloat16 set (golden/bfloat16/)', () => {
  const b = goldenFindings(loadGoldens(projectPath('golden', 'bfloat16')), strict);
  const bf = (library: string, kind: string, re: RegExp) => b.findings.find((f) => f.library === library && f.kind === kind && re.test(f.sentence));

  it('the mpmath truth in bfloat16 agrees bit for bit with the oracle on every element', () => {
    const mp = b.stats.filter((s) => s.library === 'mpmath');
    expect(mp.reduce((n, s) => n + s.elements, 0)).toBeGreaterThan(20_000);
    expect(mp.every((s) => s.dtype === 'bfloat16' && s.maxUlp === 0 && s.exact === s.elements && s.specialMismatches === 0)).toBe(true);
  });

  it('shows what torch and JAX do in bfloat16', () => {
    expect(bf('torch', 'log-softmax-zero', /^torch bfloat16 log-softmax returns 0 for \d+ elements whose correctly rounded value is a small negative number/)).toBeDefined();
    expect(bf('jax', 'subnormal-flush', /bfloat16 flushes subnormal outputs to zero/)).toBeDefined();
    expect(bf('jax', 'error', /raises ValueError on bfloat16 input in family rank-0/)).toBeDefined();
    // torch's long rows are within 2 ULPs: it accumulates bfloat16 in float32
    expect(b.stats.find((s) => s.library === 'torch' && s.family === 'long-reduction')!.maxUlp).toBeLessThanOrEqual(2);
  });
});
