// Issue 17 item 3: ONNX's node tests as an external suite. The committed suite is ONNX's (provenance, tolerances),
// ONNX's rule is numpy's allclose, exactness is measured against the oracle, and the report names the
// implementations that pass ONNX's test without being correctly rounded.
import { describe, expect, it } from 'vitest';
import { makeReport } from '../report/fixtures.js';
import { externalHtml, externalMarkdown } from '../report/external-section.js';
import { fromNumbers } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import type { CallOutcome } from '../worker/types.js';
import { expectedExactness, judgeExternal, loadOnnxNodeTests, testAxis, withinOnnxTolerance, type ExternalSection } from './onnx-node-tests.js';

const suite = loadOnnxNodeTests();
const ok = (output: ReturnType<typeof fromNumbers>): CallOutcome => ({ kind: 'ok', output, numpyDtype: output.dtype, mutated: false, captured: '', ms: 0 });

describe('the committed ONNX node-test suite', () => {
  it('holds ONNX\'s Softmax and LogSoftmax tests with provenance and ONNX\'s tolerances', () => {
    expect(suite.provenance.onnx).toMatch(/^\d+\.\d+/);
    const names = suite.tests.map((t) => t.name);
    for (const n of ['example', 'large_number', 'axis_0', 'axis_1', 'axis_2', 'negative_axis', 'default_axis']) expect(names).toContain(`test_softmax_${n}`);
    expect(names.filter((n) => n.startsWith('test_logsoftmax_')).length).toBe(7);
    for (const t of suite.tests) expect([t.rtol, t.atol]).toEqual([1e-3, 1e-7]);
    const axis0 = suite.tests.find((t) => t.name === 'test_softmax_axis_0')!;
    expect([axis0.input.shape, axis0.axis, testAxis(axis0)]).toEqual([[3, 4, 5], 0, 0]);
    expect(testAxis(suite.tests.find((t) => t.name === 'test_softmax_default_axis')!)).toBe(2);
  });
  it('ONNX\'s expected outputs pass its own rule but are not all correctly rounded', () => {
    for (const t of suite.tests) expect(withinOnnxTolerance(t.expected, t.expected, t.rtol, t.atol)).toBe(true);
    const example = expectedExactness(suite, 'ieee').find((e) => e.test === 'test_softmax_example')!;
    // [[-1, 0, 1]]: NumPy float32 gives 0.09003058 where the correctly rounded float32 is one ULP away.
    expect(example).toMatchObject({ elements: 3, exact: 2, maxUlp: 1 });
  });
});

describe('judging one output', () => {
  const t = suite.tests.find((x) => x.name === 'test_softmax_example')!;
  it('ONNX\'s rule is |y - e| <= atol + rtol |e|, shapes equal, NaN only on NaN', () => {
    const e = fromNumbers('float32', [1, 2], [1, 0.5]);
    expect(withinOnnxTolerance(fromNumbers('float32', [1, 2], [1.0009, 0.5]), e, 1e-3, 0)).toBe(true);
    expect(withinOnnxTolerance(fromNumbers('float32', [1, 2], [1.0011, 0.5]), e, 1e-3, 0)).toBe(false);
    expect(withinOnnxTolerance(fromNumbers('float32', [2, 1], [1, 0.5]), e, 1e-3, 0)).toBe(false);
    expect(withinOnnxTolerance(fromNumbers('float32', [1, 2], [NaN, 0.5]), e, 1e-3, 0)).toBe(false);
  });
  it('ONNX\'s own expected output passes ONNX and is 1 ULP off; a column softmax fails ONNX', () => {
    const strict = getProfile('strict');
    expect(judgeExternal(t, ok(t.expected), strict, 'ieee')).toMatchObject({ status: 'compared', onnx: true, elements: 3, exact: 2, maxUlp: 1, withinProfile: true });
    expect(judgeExternal(t, ok(fromNumbers('float32', [1, 3], [1, 1, 1])), strict, 'ieee')).toMatchObject({ onnx: false, exact: 0, withinProfile: false });
    // NaN where the truth is finite: an unbounded distance, written as the JSON-safe 2^53 sentinel.
    expect(judgeExternal(t, ok(fromNumbers('float32', [1, 3], [NaN, NaN, NaN])), strict, 'ieee')).toMatchObject({ onnx: false, exact: 0, maxUlp: 2 ** 53 });
    expect(judgeExternal(t, { kind: 'raised', type: 'ValueError', message: 'no', traceback: '', captured: '', ms: 0 }, strict, 'ieee')).toMatchObject({ status: 'raised' });
  });
});

describe('the report section', () => {
  it('names an implementation that passes ONNX\'s test without being correctly rounded, and not one that is exact', () => {
    const external: ExternalSection = {
      suite: 'onnx-node-tests',
      provenance: { onnx: '1.23.1' },
      expected: [{ test: 'test_softmax_example', axis: 1, rtol: 1e-3, atol: 1e-7, elements: 3, exact: 2, maxUlp: 1 }],
      rows: [
        { implementation: 'like-numpy', results: [{ test: 'test_softmax_example', status: 'compared', onnx: true, withinProfile: true, elements: 3, exact: 2, maxUlp: 1 }] },
        { implementation: 'exact-one', results: [{ test: 'test_softmax_example', status: 'compared', onnx: true, withinProfile: true, elements: 3, exact: 3, maxUlp: 0 }] },
      ],
    };
    const md = externalMarkdown({ ...makeReport({}), external }).join('\n');
    expect(md).toContain('### ONNX backend node tests');
    expect(md).toMatch(/like-numpy<\/code> passes ONNX's <code>test_softmax_example<\/code>, yet 1 of their 3 elements are not correctly rounded \(up to 1 ULP/);
    expect(md).not.toMatch(/exact-one<\/code> passes/);
    const html = externalHtml({ ...makeReport({}), external: { ...external, rows: [{ implementation: '<b>x</b>', results: external.rows[0].results }] } });
    expect(html).toContain('data-testid="external-matrix"');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;'); // candidate text is escaped
    expect(html).not.toContain('<b>x</b>');
  });
});
