// Hand-built RunReports for reporter tests and the browser test: every verdict, statistics, counterexamples in both
// tensor encodings, a skipped implementation, and hostile candidate text where candidates can put text.
import { CHECK_FAMILIES, type CheckResult, type Counterexample, type ErrorStats, type ImplementationResult, type RunReport } from '../model.js';
import { ULP_BUCKETS } from './ulp-plot.js';

/** What the unit tests inject into candidate text. */
export const INJECTION = '<script>alert(1)</script>\u001b[31m';
/** What the browser test injects: it would leave traces if it ran. */
export const BROWSER_INJECTION =
  '<script>window.__pwned = 1; document.title = "pwned"</script><img src=x onerror="window.__pwned = 2">\u001b[31m```';

export function makeStats(maxUlp: number, histogram: Partial<Record<(typeof ULP_BUCKETS)[number], number>> = { '0': 90, '1': 10 }): ErrorStats {
  const elements = Object.values(histogram).reduce((s, n) => s + (n ?? 0), 0);
  return {
    elements,
    maxUlp,
    maxAbs: maxUlp * 1e-17,
    maxRel: maxUlp * 1.1e-16,
    ulpQuantiles: { p50: 0, p90: Math.min(1, maxUlp), p99: maxUlp / 2, max: maxUlp },
    ulpHistogram: Object.fromEntries(Object.entries(histogram).filter(([, n]) => n !== undefined)) as Record<string, number>,
    flushedSubnormals: 0,
  };
}

export function makeCheck(over: Partial<CheckResult> & Pick<CheckResult, 'name'>): CheckResult {
  return {
    family: 'values',
    contract: { rule: 'last', policy: 'ieee', claimed: true },
    verdict: 'pass',
    diagnosis: 'matches the correctly rounded softmax within the strict profile',
    cases: { planned: 100, run: 100, passed: 100, failed: 0, rejected: 0, errors: 0 },
    ms: 120,
    ...over,
  };
}

export function makeImpl(over: Partial<ImplementationResult> & Pick<ImplementationResult, 'id'>): ImplementationResult {
  return {
    title: over.id,
    source: `implementations/${over.id}.py`,
    language: 'python',
    status: 'ran',
    verdict: 'pass',
    checks: [],
    ...over,
  };
}

export function makeReport(over: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'softmax-conformance', version: '0.1.0' },
    kind: 'run',
    createdAt: '2025-01-02T03:04:05.000Z',
    verdict: 'pass',
    settings: { profile: 'strict', policy: 'ieee', seed: 42, numRuns: 100, command: 'softmax-conformance run' },
    environment: { node: 'v20.20.2', python: '3.11.2', numpy: '1.26.4', platform: 'linux x64' },
    accounting: { planned: 1000, run: 990, notRun: 10, notRunReasons: { 'library not installed': 10 } },
    implementations: [],
    ms: 12_345,
    ...over,
  };
}

const overflowCx = (error?: string): Counterexample => ({
  caseId: 'adversarial/large-logits-3',
  input: { dtype: 'float64', shape: [2, 3], data: [1000, 1001, 1002, -0, 'inf', 'nan'] },
  args: { axis: -1 },
  actual: { dtype: 'float64', shape: [2, 3], data: ['nan', 'nan', 'nan', 0.09003057317038046, 0.24472847105479764, 0.6652409557748219] },
  expected: { dtype: 'float64', shape: [2, 3], data: [0.09003057317038046, 0.24472847105479764, 0.6652409557748219, 'nan', 'nan', 'nan'] },
  ...(error !== undefined ? { error } : {}),
  seed: 42,
  path: '3:1:0',
  python: 'import numpy as np\nfrom naive import softmax\nx = np.array([[1000.0, 1001.0, 1002.0], [-0.0, np.inf, np.nan]])\nprint(softmax(x))  # nan: exp overflows',
});

/**
 * A report with every verdict: pass, fail (with counterexample), xfail, xpass, error (with `hostile` in its
 * exception text, diagnosis and captured output), skip, and a skipped implementation.
 */
export function sampleReport(hostile: string = INJECTION): RunReport {
  const stable = makeImpl({
    id: 'numpy-stable',
    title: 'exp(x - max(x)) / sum, keepdims',
    inferenceSummary: 'consistent with "last" at every rank',
    inference: [{ rule: 'last', ranks: [1, 2, 3] }],
    checks: [
      makeCheck({ name: 'values', stats: makeStats(1, { '0': 900, '1': 100 }) }),
      makeCheck({ name: 'overflow', family: 'overflow', stats: makeStats(2, { '0': 50, '1': 40, '2-3': 10 }) }),
      makeCheck({ name: 'sum-to-one', family: 'sum-to-one' }),
      makeCheck({ name: 'golden:scipy', family: 'golden:scipy', stats: makeStats(3, { '0': 10, '2-3': 2 }) }),
      makeCheck({ name: 'memory', family: 'memory', verdict: 'skip', diagnosis: 'not measured on this platform' }),
    ],
  });
  const naive = makeImpl({
    id: 'naive-exp',
    title: 'exp(x) / sum(exp(x))',
    verdict: 'fail',
    inferenceSummary: 'consistent with "all" at rank 1 only',
    checks: [
      makeCheck({ name: 'values', stats: makeStats(40, { '0': 500, '1': 300, '2-3': 150, '4-15': 40, '16-255': 10 }) }),
      makeCheck({
        name: 'overflow',
        family: 'overflow',
        verdict: 'fail',
        diagnosis: 'returns NaN for logits above 709: exp overflows without subtracting the maximum',
        cases: { planned: 100, run: 100, passed: 60, failed: 40, rejected: 0, errors: 0 },
        stats: makeStats(70000, { '0': 10, '>=65536': 3 }),
        counterexample: overflowCx(),
      }),
      makeCheck({
        name: 'underflow',
        family: 'underflow',
        verdict: 'xfail',
        expectation: 'all-large-negative rows underflow to 0/0 (see the discussion, answer 2)',
        diagnosis: 'returns NaN for a row of logits below -745',
        counterexample: { ...overflowCx(), caseId: 'adversarial/tiny-logits', input: { dtype: 'float32', shape: [3], base64: 'AAB6xAAAesQAAHrE' } },
      }),
      makeCheck({
        name: 'axis',
        family: 'axis',
        verdict: 'xpass',
        expectation: 'normalises over the whole array',
        diagnosis: 'normalised along the last axis on every case',
      }),
    ],
  });
  const candidate = makeImpl({
    id: 'candidate',
    title: `my_softmax.py:softmax ${hostile}`,
    source: `my_softmax.py ${hostile}`,
    verdict: 'error',
    statusDetail: `stderr: ${hostile}`,
    checks: [
      makeCheck({
        name: 'crash',
        family: 'crash',
        verdict: 'error',
        diagnosis: `raised ValueError: ${hostile}`,
        cases: { planned: 10, run: 10, passed: 0, failed: 0, rejected: 0, errors: 10 },
        counterexample: {
          caseId: 'generated/rank2',
          input: { dtype: 'float16', shape: [1, 2], data: [1, 2] },
          args: {},
          error: `Traceback (most recent call last):\n  File "my_softmax.py", line 3\nValueError: ${hostile}`,
          python: 'import numpy as np\nfrom my_softmax import softmax\nsoftmax(np.array([[1, 2]], dtype=np.float16))',
        },
      }),
    ],
  });
  const tfjs = makeImpl({
    id: 'tfjs',
    language: 'javascript',
    status: 'skipped',
    statusDetail: 'library not installed: npm install @tensorflow/tfjs-core',
    verdict: 'skip',
  });
  return makeReport({ verdict: 'fail', implementations: [stable, naive, candidate, tfjs], golden: {
    corpusVersion: 1,
    libraries: [{ key: 'scipy', label: 'scipy', version: '1.17.1' }],
    inputs: 2,
    matrix: [{ implementation: 'numpy-stable', cells: [{ library: 'scipy', counts: { agree: 1, disagree: 1, 'both-error': 0, 'golden-error': 0, 'impl-error': 0 }, byFamily: { discussion: { agree: 1, disagree: 1, 'both-error': 0, 'golden-error': 0, 'impl-error': 0 } }, example: 'x <script>alert(1)</script>' }] }],
    findings: [{ library: 'scipy', kind: 'special-values', families: ['nan'], count: 1, sentence: 'scipy returns <b>x</b>' }],
  } });
}

/**
 * A report as wide and as long as a real run's: every check family, golden columns for six libraries, an
 * unbreakable candidate string, and a passing report's worth of expected failures. The browser test lays it out at
 * 1400 px.
 */
export function wideReport(verdict: RunReport['verdict'] = 'fail'): RunReport {
  const families = [...CHECK_FAMILIES, 'golden:numpy', 'golden:scipy', 'golden:tensorflow', 'golden:torch', 'golden:jax', 'golden:tfjs'] as const;
  const libs = ['numpy', 'scipy', 'tensorflow', 'torch', 'jax', 'tfjs'];
  const counts = (agree: number, disagree: number) => ({ agree, disagree, 'both-error': 0, 'golden-error': 0, 'impl-error': 0 });
  const impls = Array.from({ length: 12 }, (_, i) => {
    const failing = verdict === 'fail' && i === 9;
    return makeImpl({
      id: `implementation-with-a-long-name-${i}`,
      verdict: failing ? 'fail' : i % 3 === 0 ? 'xfail' : 'pass',
      inferenceSummary: 'claims `last`; behaves as `last` on ranks 1-4',
      checks: families.map((family) => makeCheck({
        name: family,
        family,
        stats: makeStats(3),
        ...(failing && family === 'overflow' ? { verdict: 'fail', diagnosis: `NaN ${'x'.repeat(400)}`, counterexample: overflowCx() } : {}),
        ...(!failing && i % 3 === 0 && family === 'values' ? { verdict: 'xfail', expectation: 'known', counterexample: overflowCx() } : {}),
      })),
    });
  });
  return makeReport({
    verdict,
    implementations: impls,
    golden: {
      corpusVersion: 1,
      libraries: libs.map((l) => ({ key: l, label: `${l} 1.2.3 (a library label)`, version: '1.2.3' })),
      inputs: 66,
      matrix: impls.map((impl) => ({ implementation: impl.id, cells: libs.map((l) => ({ library: l, counts: counts(40, 26), byFamily: {} })) })),
      findings: [],
    },
  });
}
