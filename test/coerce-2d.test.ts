// Issue 17 item 1 and 4: coerce-2d from end to end (ONNX Softmax before opset 13), and opset confusion named by
// contract inference. A correct coerce-2d function conforms on ranks 1-6 with and without an axis argument; an
// opset-13 (`last`) function does not, and a `last` claim on coerce-2d behaviour is inferred as such.
import { describe, expect, it } from 'vitest';
import { reduceAxes } from '../harness/contracts.js';
import { unitsFor, type Binding } from '../harness/engine/unit.js';
import type { RunReport } from '../harness/model.js';
import { projectPath } from '../harness/paths.js';
import { fromNumbers } from '../harness/tensor/tensor.js';
import { cli } from './helpers/cli.js';

const fixture = (name: string) => `${projectPath('test', 'fixtures', 'onnx', name)}:softmax`;
async function audit(target: string, contract: string, call: string): Promise<{ code: number; report: RunReport }> {
  const r = await cli(['audit', target, '--contract', contract, '--call', call, '--num-runs', '150', '--json']);
  return { code: r.code, report: JSON.parse(r.stdout) as RunReport };
}

describe('coerce-2d units', () => {
  const binding = (callStyle: Binding['callStyle']): Binding => ({ rule: 'coerce-2d', policy: 'ieee', claimed: true, callStyle });
  const c = (shape: number[]) => ({ id: 'c', title: 'c', source: 'generated' as const, family: 'ordinary', input: fromNumbers('float64', shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0)) });
  it('sweeps each rank\'s own axes when the axis is passed, never one out of range', () => {
    expect(unitsFor(c([5]), binding('x-axis')).map((u) => [u.axis, u.axes])).toEqual([[0, [0]], [-1, [0]]]);
    expect(unitsFor(c([2, 3, 4]), binding('x-axis')).map((u) => u.axes)).toEqual([[0, 1, 2], [0, 1, 2], [1, 2], [1, 2], [2], [2]]);
  });
  it('without an axis argument judges the default split: 1, or the whole vector', () => {
    expect(unitsFor(c([5]), binding('x')).map((u) => u.axes)).toEqual([[0]]);
    expect(unitsFor(c([2, 3, 4]), binding('x')).map((u) => u.axes)).toEqual([[1, 2]]);
    expect(reduceAxes('coerce-2d', [2, 3, 4, 5], -1)).toEqual([3]);
  });
});

describe('audit --contract coerce-2d', () => {
  it.each(['x', 'x-axis'])('a correct coerce-2d function conforms on ranks 1-6 (--call %s)', async (call) => {
    const { code, report } = await audit(fixture('coerce_2d.py'), 'coerce-2d', call);
    expect(report.verdict).toBe('pass');
    expect(code).toBe(0);
    const judgedRanks = new Set(report.implementations[0].inference?.flatMap((r) => r.ranks));
    for (const rank of [1, 2, 3, 4, 5, 6]) expect(judgedRanks.has(rank) || call === 'x-axis').toBe(true);
    // Calls with a swept split axis are no fixed rule: inference must not read them as "matches no axis rule".
    expect(report.implementations[0].inferenceSummary).not.toMatch(/matches no axis rule/);
  });
  it('an opset-13 function fails it, as an axis defect', async () => {
    const { code, report } = await audit(fixture('opset13_last.py'), 'coerce-2d', 'x');
    expect(code).toBe(1);
    const axis = report.implementations[0].checks.find((k) => k.name === 'axis');
    expect(axis?.verdict).toBe('fail');
    // On a 1x2x1 counterexample the last and the first axis both have length 1: both are named, as the evidence allows.
    expect(axis?.diagnosis).toMatch(/it normalises over the last axis( or [a-z (),-]+ \(they agree on this input\))?, not over axes \(1, 2(, \d)*\)/);
  });
  it('opset confusion: a function claiming `last` that computes coerce-2d is named by inference', async () => {
    const { code, report } = await audit(fixture('coerce_2d.py'), 'last', 'x');
    expect(code).toBe(1);
    const impl = report.implementations[0];
    expect(impl.inferenceSummary).toMatch(/claims `last`; .*behaves as `last` = `coerce-2d\(axis=1\)` on rank 2; behaves as `coerce-2d\(axis=1\)` on ranks 3-6/);
    // On a 1xMxN counterexample the trailing block is the whole array: the diagnosis names every rule that agrees.
    expect(impl.checks.find((k) => k.name === 'axis')?.diagnosis).toMatch(/normalises over [^;]*the trailing block from axis 1 \(ONNX before opset 13: coerce-2d\)[^;]*, not over axes \(\d\)/);
  });
});
