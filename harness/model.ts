// The report model: what a run found, per implementation and check. The JSON report is exactly this shape,
// validated by harness/schemas/report.schema.json. Reporters (JSON, Markdown, HTML, JUnit) only read it.
import type { AxisRule, Policy } from './contracts.js';
import type { EncodedTensor } from './tensor/json-tensor.js';
import type { GoldenSection } from './golden/matrix.js';
import type { SandboxInfo } from './worker/sandbox.js';
import type { Framework } from './worker/types.js';
import type { MemoryLayout } from './tensor/layout.js';
import type { ExternalSection } from './external/onnx-node-tests.js';
import type { ShardState } from './runner/audit-shards.js';

/** accounting.notRunReasons' key for the case-checks whose calls the time budget (--budget) left unmade */
export const OUT_OF_BUDGET = 'the time budget ran out (raise it with --budget)';
export const REPORT_SCHEMA_VERSION = 1;

/**
 * pass: conforms; fail: an unexpected failure; xfail: failed as the manifest expects; xpass: expected to fail
 * but passed (the manifest is stale: fails the gate); error: the harness could not judge (worker died, ...);
 * skip: not run or not applicable, with the reason (library not installed, no case in the check's domain, every
 * case rejected with a clear error: rejected is never a pass).
 */
export type Verdict = 'pass' | 'fail' | 'xfail' | 'xpass' | 'error' | 'skip';

export const CHECK_FAMILIES = [
  'values', 'overflow', 'underflow', 'axis', 'batch-independence', 'sum-to-one', 'range', 'shift-invariance',
  'order', 'permutation', 'temperature', 'rank', 'singleton', 'empty', 'dtype', 'mutation', 'nan', 'infinity',
  'determinism', 'crash', 'timeout', 'memory', 'output', 'import', 'layout',
] as const;
export type BaseFamily = (typeof CHECK_FAMILIES)[number];
/** A check family; `golden:<library>` is differential agreement with that library's exported output. */
export type Family = BaseFamily | `golden:${string}`;

/**
 * Error against the oracle, over every compared element except the allowed flushes to zero (reported apart). ULP
 * distances are in the output dtype. An unbounded distance (NaN or inf where a number is expected) is
 * UNBOUNDED_ULP = 2^53 in maxUlp and the quantiles (JSON has no Infinity); reporters show it as "unbounded".
 */
export interface ErrorStats {
  /** elements in the ULP figures (compared elements less the allowed flushes) */
  elements: number;
  maxUlp: number;
  maxAbs: number;
  maxRel: number;
  ulpQuantiles: { p50: number; p90: number; p99: number; max: number };
  /** counts of elements by ULP distance bucket: "0", "1", "2-3", "4-15", "16-255", "256-65535", ">=65536" (non-finite distances land in the last) */
  ulpHistogram: Record<string, number>;
  /**
   * zeros the profile accepts as flush-to-zero (the correctly rounded value is nonzero and below twice the smallest
   * normal); not in the ULP figures. Under a profile that fails flushes they are errors and counted there instead.
   */
  flushedSubnormals: number;
  /** the largest correctly rounded value (in magnitude) among those flushes; absent or 0 when none */
  largestFlushed?: number;
}

export interface CounterexampleCall {
  axis?: number;
  theta?: number;
  /** the memory layout the input was handed over in (absent: C order) */
  layout?: MemoryLayout;
}

export interface Counterexample {
  caseId: string;
  /** the exact input */
  input: EncodedTensor;
  args: CounterexampleCall;
  /** what the implementation returned (absent when it raised) and what the contract expects */
  actual?: EncodedTensor;
  expected?: EncodedTensor;
  /** for raised or bad outputs: the exception or problem text (untrusted: escape when shown) */
  error?: string;
  /** fast-check replay data, for generated cases */
  seed?: number;
  path?: string;
  /**
   * A script that reproduces the failure, with absolute paths, ending with an assertion that fails while the defect
   * reproduces: Python (NumPy) for a Python implementation, an ES module for node for a JavaScript one.
   */
  python?: string;
  javascript?: string;
}

export interface CheckResult {
  /** check name, e.g. "overflow"; unique per implementation and contract */
  name: string;
  family: Family;
  /** the contract the check judged against */
  contract: { rule: AxisRule; policy: Policy; claimed: boolean };
  verdict: Verdict;
  /** one sentence a person understands */
  diagnosis: string;
  /** `errors`: the cases not judged (the call crashed, timed out, ...); `outOfBudget`, of those, the ones whose calls the time budget left unmade */
  cases: { planned: number; run: number; passed: number; failed: number; rejected: number; errors: number; outOfBudget?: number };
  stats?: ErrorStats;
  counterexample?: Counterexample;
  /** for xfail/xpass: the manifest's reason */
  expectation?: string;
  ms: number;
}

export type CoverageDimension = 'dtype' | 'rank' | 'length' | 'layout' | 'family';

/**
 * Which inputs the run reached (harness/engine/coverage.ts): for every pair of dimensions a grid of case counts, null
 * where the pair cannot occur. A cell is a pair of values; `gaps` names the feasible cells no case reached.
 */
export interface CoverageMap {
  dimensions: Record<CoverageDimension, string[]>;
  pairs: { dims: [CoverageDimension, CoverageDimension]; counts: (number | null)[][] }[];
  reached: number;
  total: number;
  gaps: string[];
  /** values no input could reach for this candidate, with the reason (a JavaScript candidate's layouts): not cells */
  unreachable?: { dimension: CoverageDimension; value: string; reason: string }[];
}

export interface ImplementationResult {
  id: string;
  title: string;
  source: string;
  language: 'python' | 'javascript';
  /**
   * how to call it again (replay): the file, function and call style. A module target (scipy.special:softmax) has
   * `module`, and `file` is the file the module loads from (absolute, '' when it was not found), with its sha256 and
   * its distribution's name and version. `framework`/`device`: the tensor it was called with (--framework).
   */
  target?: {
    file: string; functionName: string; callStyle: 'x' | 'x-axis' | 'x-theta-axis'; sha256?: string;
    module?: string; distribution?: string; version?: string; pythonPath?: string[]; framework?: Framework; device?: string;
  };
  status: 'ran' | 'skipped' | 'import-error' | 'config-error';
  /** why it was skipped or failed to import, with what to do */
  statusDetail?: string;
  /** skipped because a library is missing: the command that installs it, to paste as is */
  installCommand?: string;
  /** which axis rules its outputs are consistent with, per rank */
  inference?: { rule: AxisRule; ranks: number[] }[];
  inferenceSummary?: string;
  /**
   * where failures are confined to some input dtypes while others conform: the verdict split by input dtype, e.g.
   * "float inputs: conforms · int32: fails overflow (wraps around: ...)", with a hint to --dtype
   */
  dtypeSummary?: string;
  /** JavaScript: the input form it was called with (harness/worker/js-conventions.mjs) */
  convention?: string;
  /** set when probing found no input form that gives a softmax: what each attempt did, and the flag to set */
  conventionNote?: string;
  /** distinct calls of the implementation the checks needed (each made once, its outcome shared) */
  calls?: number;
  /** the inputs this implementation was given, as a coverage map */
  coverage?: CoverageMap;
  verdict: Verdict;
  checks: CheckResult[];
  /**
   * A library row run on a platform other than the one its expectations were verified on: the differences, and
   * the checks whose outcome changed there (reported as platform findings, not as regressions).
   */
  platform?: { verifiedOn: string; differences: string[]; findings: string[] };
  /** audit --shard only: what `merge` needs to combine the shards exactly (harness/runner/audit-shards.ts) */
  shardState?: ShardState;
}

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'softmax-conformance'; version: string };
  kind: 'run' | 'audit';
  createdAt: string;
  /**
   * pass: everything conforms or fails as expected; fail: a regression; incomplete: interrupted;
   * error: the tool could not judge (nothing was judged, or a target could not be found): `verdictReason` says why
   */
  verdict: 'pass' | 'fail' | 'incomplete' | 'error';
  verdictReason?: string;
  /** `only`: the implementations `run --only` selected (absent: every row of the manifest) */
  settings: {
    profile: string;
    policy: Policy;
    seed: number;
    numRuns: number;
    shard?: string;
    only?: string[];
    /** the options that decide what is judged and how (runner/judging.ts): `merge` joins only shards that agree */
    judging?: Record<string, string | number | boolean | string[]>;
    command: string;
  };
  environment: { node: string; python?: string; numpy?: string; platform: string };
  /** the sandbox the candidates ran in, or why none (NOT SANDBOXED); absent in reports older than the field */
  sandbox?: SandboxInfo;
  accounting: { planned: number; run: number; notRun: number; notRunReasons: Record<string, number> };
  implementations: ImplementationResult[];
  /** golden differential matrix (implementations x libraries) and the libraries' own findings */
  golden?: GoldenSection;
  /** ONNX's backend node tests: each implementation judged by ONNX's tolerance and against the oracle */
  external?: ExternalSection;
  ms: number;
}
