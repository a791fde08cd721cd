// softmax-conformance as a library: the names below are the stable API (package.json "exports": "."); everything
// else under dist/ is internal and may change. Each function does what the CLI command of the same name does and
// returns its report instead of printing it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AxisRule, Policy } from './contracts.js';
import type { SoftmaxOp } from '../reference/softmax.js';
import type { RunReport } from './model.js';
import { oracle } from '../reference/softmax.js';
import type { DType } from './tensor/dtype.js';
import type { Tensor } from './tensor/tensor.js';
import type { CallStyle } from './worker/types.js';
import { checkAuditOptions, checkRunOptions } from './api-options.js';

export type { AxisRule, Policy } from './contracts.js';
export { AXIS_RULES, POLICIES } from './contracts.js';
export { DTYPES } from './tensor/dtype.js';
export type { BaseFamily, CounterexampleCall, CoverageMap, CoverageDimension } from './model.js';
export { CHECK_FAMILIES } from './model.js';
export type { MemoryLayout } from './tensor/layout.js';
export type { GoldenFinding, GoldenFindingKind } from './golden/findings.js';
export type { GoldenMatrixRow, GoldenMatrixCell, AgreementCounts } from './golden/matrix.js';
export type { GoldenAgreement } from './golden/agreement.js';
export type { CallStyle } from './worker/types.js';
export type { SandboxInfo } from './worker/sandbox.js';
export type { GoldenSection } from './golden/matrix.js';
export type { ExternalSection, ExternalRow, ExternalTestResult, Exactness } from './external/onnx-node-tests.js';
export type { SoftmaxOp } from '../reference/softmax.js';
export type { RunReport, ImplementationResult, CheckResult, Counterexample, ErrorStats, Verdict, Family } from './model.js';
export type { Tensor } from './tensor/tensor.js';
export type { DType, TensorData } from './tensor/dtype.js';
export type { EncodedTensor } from './tensor/json-tensor.js';
export { fromNumbers, toNumbers, makeTensor, sizeOf, bitwiseEqual } from './tensor/tensor.js';
export { encodeTensorJson, decodeTensorJson } from './tensor/json-tensor.js';
export { readTensorFile, writeTensorFile } from './tensor/io.js';
export { exitCodeOf } from './cli/exit-code.js';

/** A JavaScript softmax the harness can call: it receives the input as `{dtype, shape, data}` (data a typed array). */
export type SoftmaxFunction = (x: { dtype: string; shape: number[]; data: ArrayLike<number> }, options?: { axis?: number; theta?: number }) => unknown;

export interface AuditApiOptions {
  /** the axis rule the candidate claims */
  contract: AxisRule;
  /** how it is called: f(x), f(x, axis=A), f(x, theta=T, axis=A); default x (x-axis for axis-arg) */
  call?: CallStyle;
  /** generated cases (default 300) */
  numRuns?: number;
  seed?: number;
  dtypes?: DType[];
  profile?: string;
  policy?: Policy;
  strictDomain?: boolean;
  /** per-call timeout, ms (default 10 000) */
  timeoutMs?: number;
  /** memory cap of the candidate's process, MiB (default 4096) */
  memoryMb?: number;
  /** time budget, ms (default 120 000) */
  budgetMs?: number;
  /** shrinking time per failing check, s (default 10) */
  shrinkSeconds?: number;
  /** Python interpreter for Python targets (default $SOFTMAX_CONFORMANCE_PYTHON or python3) */
  python?: string;
  /** Python targets: folders put first on the import path (the CLI's --python-path), e.g. for a MODULE:FUNCTION not installed */
  pythonPath?: string[];
  /** also judge under `last` */
  alsoLast?: boolean;
}

/**
 * Audit one candidate: `"file.py:softmax"`, `"file.mjs:softmax"`, `"scipy.special:softmax"` (a function of an
 * installed Python module: a dotted name that is not an existing path), or a JavaScript function. A function is run in a
 * child process of its own (never in the caller's realm), so it is sent there as its source text: it must be
 * self-contained (no variables it closes over). For anything else export it from a file and pass `FILE:EXPORT`.
 * Resolves with the report; `report.verdict` is 'pass' (conforms), 'fail' or 'error' (could not judge).
 */
export async function audit(target: string | SoftmaxFunction, options: AuditApiOptions): Promise<RunReport> {
  checkAuditOptions(options as unknown as Record<string, unknown>);
  const { runAudit } = await import('./runner/audit.js');
  let file: string | undefined;
  let spec = target;
  if (typeof target === 'function') {
    const dir = mkdtempSync(join(tmpdir(), 'sc-fn-'));
    file = join(dir, 'candidate.mjs');
    writeFileSync(file, `export const candidate = (${target.toString()});\n`);
    spec = `${file}:candidate`;
  }
  try {
    return await runAudit({
      target: spec as string,
      contract: options.contract,
      call: options.call,
      alsoLast: options.alsoLast ?? false,
      numRuns: options.numRuns ?? 300,
      seed: options.seed ?? 42,
      dtypes: options.dtypes,
      profile: options.profile ?? 'strict',
      policy: options.policy ?? 'ieee',
      strictDomain: options.strictDomain ?? false,
      timeoutMs: options.timeoutMs ?? 10_000,
      memoryMb: options.memoryMb ?? 4096,
      budgetMs: options.budgetMs ?? 120_000,
      shrinkSeconds: options.shrinkSeconds ?? 10,
      python: options.python,
      ...(options.pythonPath ? { pythonPath: options.pythonPath } : {}),
      command: 'softmax-conformance (library) audit',
    });
  } finally {
    if (file) rmSync(join(file, '..'), { recursive: true, force: true });
  }
}

export interface RunApiOptions {
  /** a manifest of implementations (default: the project's own implementations/manifest.json) */
  manifest?: string;
  only?: string[];
  numRuns?: number;
  seed?: number;
  profile?: string;
  policy?: Policy;
  timeoutMs?: number;
  budgetMs?: number;
  memoryMb?: number;
  parallel?: number;
  python?: string;
  /** include the golden differential matrix (default true) */
  goldens?: boolean;
}

/** `softmax-conformance run` as a function: every implementation of a manifest; resolves with the report. */
export async function run(options: RunApiOptions = {}): Promise<RunReport> {
  checkRunOptions(options as unknown as Record<string, unknown>);
  const { runConformance } = await import('./runner/run.js');
  return runConformance({
    manifest: options.manifest,
    only: options.only,
    profile: options.profile ?? 'strict',
    policy: options.policy ?? 'ieee',
    seed: options.seed ?? 20161127,
    numRuns: options.numRuns ?? 60,
    timeoutMs: options.timeoutMs ?? 10_000,
    budgetMs: options.budgetMs ?? 120_000,
    memoryMb: options.memoryMb ?? 4096,
    strictDomain: false,
    parallel: options.parallel ?? 2,
    python: options.python,
    goldens: options.goldens,
    command: 'softmax-conformance (library) run',
  });
}

export interface ReferenceOptions {
  /** the axes to normalise over (default: the last axis) */
  axes?: number[];
  op?: SoftmaxOp;
  policy?: Policy;
}

/** The correctly rounded softmax (or log-softmax) of `x` over `axes`, in the input's float dtype (integers: float64). */
export function reference(x: Tensor, options: ReferenceOptions = {}): Tensor {
  const axes = options.axes ?? (x.shape.length ? [x.shape.length - 1] : []);
  return oracle(x, axes, { op: options.op ?? 'softmax', policy: options.policy ?? 'ieee' });
}
