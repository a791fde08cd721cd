// ONNX's own backend node tests (golden/external/onnx-node-tests.json, written by golden/onnx_node_tests.py) as a
// fixed external suite: `run` calls every implementation on each Softmax test, along the test's axis, and judges the
// output twice: by ONNX's rule (|y - expected| <= atol + rtol * |expected|, ONNX's NumPy float32 reference) and
// against the correctly rounded oracle. ONNX's expected values are themselves a few ULPs off, so "passes ONNX's test"
// and "correctly rounded" are different claims; the report shows where they part.
import { readFileSync } from 'node:fs';
import { oracle } from '../../reference/softmax.js';
import type { Policy } from '../contracts.js';
import { inExpectedDtype } from '../checks/outcome.js';
import { argsFor } from '../engine/unit.js';
import { DataError } from '../errors.js';
import { projectPath } from '../paths.js';
import { decodeTensorJson } from '../tensor/json-tensor.js';
import { toNumbers, type Tensor } from '../tensor/tensor.js';
import { isFloatDType, type FloatDType } from '../tensor/dtype.js';
import { finiteUlp, ulpDistance, UNBOUNDED_ULP } from '../tolerance/metrics.js';
import { compareToOracle, type ToleranceProfile } from '../tolerance/profiles.js';
import type { CallOutcome, CallStyle, ImplementationWorker } from '../worker/types.js';

export const ONNX_NODE_TESTS = projectPath('golden', 'external', 'onnx-node-tests.json');

export interface OnnxNodeTest {
  name: string;
  op: 'softmax' | 'log-softmax';
  opset: number;
  /** the axis attribute; null: the opset's default */
  axis: number | null;
  rtol: number;
  atol: number;
  input: Tensor;
  expected: Tensor;
}

export interface OnnxNodeSuite {
  provenance: Record<string, string>;
  tests: OnnxNodeTest[];
}

/** Exactness of an output against the correctly rounded values, in the output's float dtype. */
export interface Exactness {
  elements: number;
  /** elements equal to the correctly rounded value */
  exact: number;
  maxUlp: number;
}

export interface ExternalTestResult extends Partial<Exactness> {
  test: string;
  /** compared: an output came back; raised: the call failed; not-called: the call style cannot pass this axis */
  status: 'compared' | 'raised' | 'not-called';
  /** within ONNX's rtol/atol of ONNX's expected output */
  onnx?: boolean;
  /** within the run's tolerance profile of the oracle */
  withinProfile?: boolean;
  detail?: string;
}

export interface ExternalRow {
  implementation: string;
  results: ExternalTestResult[];
}

export interface ExternalSection {
  suite: 'onnx-node-tests';
  provenance: Record<string, string>;
  /** ONNX's own expected outputs against the oracle, per test */
  expected: ({ test: string; axis: number; rtol: number; atol: number } & Exactness)[];
  rows: ExternalRow[];
}

export function loadOnnxNodeTests(file = ONNX_NODE_TESTS): OnnxNodeSuite {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { provenance?: Record<string, string>; tests?: unknown[] };
  if (!Array.isArray(raw.tests)) throw new DataError(file, '/tests', 'expected an array of tests');
  const tests = raw.tests.map((t, i) => {
    const r = t as Omit<OnnxNodeTest, 'input' | 'expected'> & { input: unknown; expected: unknown };
    if (typeof r.name !== 'string' || (r.op !== 'softmax' && r.op !== 'log-softmax') || typeof r.rtol !== 'number' || typeof r.atol !== 'number') {
      throw new DataError(file, `/tests/${i}`, 'expected name, op (softmax or log-softmax), rtol and atol');
    }
    return { ...r, input: decodeTensorJson(r.input, file, `/tests/${i}/input`), expected: decodeTensorJson(r.expected, file, `/tests/${i}/expected`) };
  });
  return { provenance: raw.provenance ?? {}, tests };
}

/** The axis a test normalises along, non-negative: opset 13 reads a missing axis as -1. */
export function testAxis(t: Pick<OnnxNodeTest, 'axis' | 'input'>): number {
  const rank = t.input.shape.length;
  const a = t.axis ?? -1;
  return a < 0 ? a + rank : a;
}

/** ONNX's acceptance rule (numpy.testing.assert_allclose): every |y - e| <= atol + rtol * |e|, NaN only on NaN. */
export function withinOnnxTolerance(actual: Tensor, expected: Tensor, rtol: number, atol: number): boolean {
  if (actual.shape.length !== expected.shape.length || actual.shape.some((n, i) => n !== expected.shape[i])) return false;
  const a = toNumbers(actual);
  const e = toNumbers(expected);
  for (let i = 0; i < e.length; i++) {
    if (Number.isNaN(e[i]) || Number.isNaN(a[i])) {
      if (!(Number.isNaN(e[i]) && Number.isNaN(a[i]))) return false;
    } else if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i])) && a[i] !== e[i]) return false;
  }
  return true;
}

/** How far `actual` is from the correctly rounded `truth` (same dtype and shape). */
export function exactness(actual: Tensor, truth: Tensor): Exactness {
  const dtype = truth.dtype as FloatDType;
  const a = toNumbers(actual);
  const t = toNumbers(truth);
  let exact = 0;
  let maxUlp = 0;
  for (let i = 0; i < t.length; i++) {
    const d = Object.is(a[i], t[i]) || (Number.isNaN(a[i]) && Number.isNaN(t[i])) ? 0 : ulpDistance(a[i], t[i], dtype);
    if (d === 0) exact++;
    if (d > maxUlp) maxUlp = d;
  }
  // JSON has no Infinity: an unbounded distance (NaN or inf against a finite value) is the 2^53 sentinel.
  return { elements: t.length, exact, maxUlp: Number.isFinite(maxUlp) ? finiteUlp(maxUlp) : UNBOUNDED_ULP };
}

function truthOf(t: OnnxNodeTest, policy: Policy): Tensor {
  return oracle(t.input, [testAxis(t)], { op: t.op, policy });
}

/** ONNX's expected outputs against the oracle. */
export function expectedExactness(suite: OnnxNodeSuite, policy: Policy): ExternalSection['expected'] {
  return softmaxTests(suite).map((t) => ({ test: t.name, axis: testAxis(t), rtol: t.rtol, atol: t.atol, ...exactness(t.expected, truthOf(t, policy)) }));
}

/** The implementations under test are softmax functions: the LogSoftmax tests judge only ONNX's own references. */
function softmaxTests(suite: OnnxNodeSuite): OnnxNodeTest[] {
  return suite.tests.filter((t) => t.op === 'softmax');
}

/** Judges one call's outcome on one test. */
export function judgeExternal(t: OnnxNodeTest, outcome: CallOutcome, profile: ToleranceProfile, policy: Policy): ExternalTestResult {
  if (outcome.kind !== 'ok') {
    const detail = outcome.kind === 'raised' ? `${outcome.type}: ${outcome.message}` : outcome.kind;
    return { test: t.name, status: 'raised', detail: detail.split('\n')[0].slice(0, 200) };
  }
  const out = outcome.output;
  const sameShape = out.shape.length === t.input.shape.length && out.shape.every((n, i) => n === t.input.shape[i]);
  if (!sameShape || !isFloatDType(out.dtype)) return { test: t.name, status: 'compared', onnx: false, withinProfile: false, detail: `returned ${out.dtype} of shape [${out.shape.join(', ')}]` };
  const truth = truthOf(t, policy);
  const actual = inExpectedDtype(out, t.input);
  const axes = [testAxis(t)];
  return {
    test: t.name,
    status: 'compared',
    onnx: withinOnnxTolerance(out, t.expected, t.rtol, t.atol),
    withinProfile: compareToOracle(actual, truth, { input: t.input, axes }, profile).pass,
    ...exactness(actual, truth),
  };
}

/** Calls the implementation on every softmax test along the test's axis (call style x: only last-axis tests). */
export async function externalRow(implementation: string, worker: ImplementationWorker, callStyle: CallStyle, suite: OnnxNodeSuite, profile: ToleranceProfile, policy: Policy): Promise<ExternalRow> {
  const tests = softmaxTests(suite);
  const callable = tests.filter((t) => callStyle !== 'x' || testAxis(t) === t.input.shape.length - 1);
  const outcomes = await worker.call(callable.map((t) => ({ input: t.input, args: callStyle === 'x' ? argsFor('x', 'last', undefined) : argsFor(callStyle, 'axis-arg', testAxis(t)) })));
  const byName = new Map(callable.map((t, i) => [t.name, judgeExternal(t, outcomes[i], profile, policy)]));
  return {
    implementation,
    results: tests.map((t) => byName.get(t.name) ?? { test: t.name, status: 'not-called', detail: 'the function takes no axis and this test is not along the last axis' }),
  };
}
