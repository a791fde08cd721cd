// `softmax-conformance run`: every registered implementation, every contract it claims plus `last`, on the
// discussion's inputs, the fixed adversarial set and a fixed-seed generated sample. Returns the report.
import { adversarialCases, bfloat16Cases } from '../cases/adversarial.js';
import type { Case } from '../cases/case.js';
import { discussionCases } from '../cases/discussion.js';
import { generatedCases } from '../cases/generated.js';
import type { Policy } from '../contracts.js';
import { DEFAULT_MANIFEST_PATH, implementationFile, loadManifest, type ManifestEntry } from '../manifest.js';
import type { ImplementationResult, RunReport } from '../model.js';
import { getProfile } from '../tolerance/profiles.js';
import { checkPython } from '../worker/python-worker.js';
import { resolveSandbox, sandboxInfoFor, type SandboxMode } from '../worker/sandbox.js';
import { buildReport } from './report-build.js';
import { runJudging } from './judging.js';
import { UsageError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import { applyPlatform } from '../engine/expectations.js';
import { currentCpu, libraryVersions, platformDifferences } from '../platform.js';
import { bindingsOf, verdictOf, evaluateSubject, subjectSettings, type SubjectSettings, type SubjectSpec } from './subject.js';
import { unitsFor } from '../engine/unit.js';
import { loadGoldens } from '../golden/load.js';
import { goldenRow, goldenSection, type GoldenMatrixRow } from '../golden/matrix.js';
import { expectedExactness, externalRow, loadOnnxNodeTests, type ExternalRow } from '../external/onnx-node-tests.js';

import { DEFAULT_MAX_ELEMENTS } from '../generators/lengths.js';

export interface RunOptions {
  manifest?: string;
  profile: string;
  policy: Policy;
  seed: number;
  numRuns: number;
  /** per-case element budget of the generated cases (default DEFAULT_MAX_ELEMENTS) */
  maxElements?: number;
  only?: string[];
  shard?: { index: number; count: number };
  python?: string;
  /** the sandbox for every implementation's process (default auto) */
  sandbox?: SandboxMode;
  timeoutMs: number;
  budgetMs?: number;
  startTimeoutMs?: number;
  memoryMb: number;
  strictDomain: boolean;
  parallel: number;
  command: string;
  /** aborting (SIGINT/SIGTERM) stops the run: finished implementations are reported, the rest marked not run */
  signal?: AbortSignal;
  /** false: leave the golden matrix out; default: golden/ of the project */
  goldens?: boolean;
  goldenDir?: string;
  /** an implementation's worker is about to start (`requires`: the libraries it imports), for progress lines */
  onImplementationStart?: (id: string, requires: readonly string[]) => void;
  onImplementation?: (done: number, total: number, id: string, result: ImplementationResult) => void;
}

export function runCases(seed: number, numRuns: number, maxElements?: number): Case[] {
  return [...discussionCases(), ...adversarialCases(), ...generatedCases(seed, numRuns, maxElements)];
}

export function specFromManifest(e: ManifestEntry, manifestPath?: string): SubjectSpec {
  return {
    id: e.id,
    title: e.title,
    source: e.source,
    language: e.language,
    // Relative to the manifest's own folder, exactly as the manifest loader checked it.
    file: implementationFile(e, manifestPath),
    ...(e.module ? { module: e.module } : {}),
    functionName: e.function,
    callStyle: e.call,
    claims: e.claims,
    alsoLast: true,
    domain: e.domain,
    expectedFailures: e.expectedFailures ?? [],
    installHint: e.installHint,
    ...(e.framework ? { framework: e.framework } : {}),
    ...(e.device ? { device: e.device } : {}),
  };
}

/**
 * The cases a row is judged on: everyone's, plus bfloat16 cases for a row that declares bfloat16 (run's default
 * dtypes leave it out, docs/tolerance.md: the lead's call for the NumPy rows), so a bfloat16 row is never vacuous.
 */
export function rowCases(e: ManifestEntry, cases: Case[], opts: { seed: number; numRuns: number; maxElements?: number }): Case[] {
  if (!e.domain?.dtypes?.includes('bfloat16')) return cases;
  return [...cases, ...bfloat16Cases(), ...generatedCases(opts.seed, opts.numRuns, opts.maxElements, ['bfloat16'])];
}

/** A deterministic share of the implementations: the k-th of n, by position in the manifest. */
export function shardOf<T>(items: T[], shard?: { index: number; count: number }): T[] {
  if (!shard) return items;
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}

export async function runConformance(opts: RunOptions): Promise<RunReport> {
  const started = performance.now();
  // First: --require-sandbox / --sandbox bwrap without a working bubblewrap is exit 2 before anything runs.
  const sandbox = sandboxInfoFor(await resolveSandbox(opts.sandbox), opts.memoryMb);
  const python = await checkPython(opts.python);
  const manifest = loadManifest(opts.manifest);
  // The manifest's bytes as read now, with the options that shape the judging: what `merge` checks shards by.
  const judging = runJudging(opts, opts.manifest ?? DEFAULT_MANIFEST_PATH);
  const profile = getProfile(opts.profile);
  let entries = manifest.implementations;
  if (opts.only?.length) {
    // A typo must not shrink the gate to nothing: every id named has to exist.
    const known = entries.map((e) => e.id);
    const unknown = opts.only.filter((id) => !known.includes(id));
    if (unknown.length) {
      const each = unknown.map((id) => `"${id}"${didYouMean(id, known)}`).join(', ');
      throw new UsageError(`--only: unknown implementation id ${each}; the manifest's ids: ${known.join(', ')}`);
    }
    entries = entries.filter((e) => opts.only!.includes(e.id));
  }
  entries = shardOf(entries, opts.shard);
  const cases = runCases(opts.seed, opts.numRuns, opts.maxElements);
  // Goldens are verified before anything runs: a corrupt golden is exit 2, not a half-finished run.
  const goldens = opts.goldens === false ? undefined : loadGoldens(opts.goldenDir);
  const goldenRows: GoldenMatrixRow[] = [];
  // ONNX's node tests travel with the goldens (same switch): every implementation is also called on them.
  const onnxTests = opts.goldens === false ? undefined : loadOnnxNodeTests();
  const externalRows: ExternalRow[] = [];
  const settings: SubjectSettings = {
    ...subjectSettings(opts, profile, python.python),
    coverage: { maxRank: 4, beyond65536: (opts.maxElements ?? DEFAULT_MAX_ELEMENTS) > 65536 },
    withWorker: goldens
      ? async (worker, spec) => {
        goldenRows.push(await goldenRow(spec.id, worker, spec.callStyle, goldens, profile));
        if (onnxTests) externalRows.push(await externalRow(spec.id, worker, spec.callStyle, onnxTests, profile, opts.policy));
      }
      : undefined,
  };

  // A small pool: each implementation has its own process; judging happens here, so two at a time fill two cores.
  const results: (ImplementationResult | undefined)[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  const pool = Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, async () => {
    while (next < entries.length && !opts.signal?.aborted) {
      const i = next++;
      opts.onImplementationStart?.(entries[i].id, entries[i].requires);
      const r = await evaluateSubject(specFromManifest(entries[i], opts.manifest), rowCases(entries[i], cases, opts), settings);
      if (opts.signal?.aborted) return;
      results[i] = await onThisPlatform(entries[i], r, python.python);
      opts.onImplementation?.(++done, entries.length, entries[i].id, results[i]);
    }
  }));
  await Promise.race([pool, aborted(opts.signal)]);
  const interrupted = opts.signal?.aborted === true;
  const finished = Array.from(results, (r, i) => r ?? notRun(specFromManifest(entries[i], opts.manifest), cases, opts.policy));
  const report = buildReport('run', finished, { ...opts, judging }, python, performance.now() - started, sandbox);
  if (interrupted) report.verdict = 'incomplete';
  if (goldens) {
    const order = entries.map((e) => e.id);
    goldenRows.sort((a, b) => order.indexOf(a.implementation) - order.indexOf(b.implementation));
    report.golden = goldenSection(goldens, goldenRows, profile, opts.policy);
  }
  if (onnxTests) {
    const order = entries.map((e) => e.id);
    externalRows.sort((a, b) => order.indexOf(a.implementation) - order.indexOf(b.implementation));
    report.external = { suite: 'onnx-node-tests', provenance: onnxTests.provenance, expected: expectedExactness(onnxTests, opts.policy), rows: externalRows };
  }
  return report;
}

/** A library row on a platform other than the verified one: its changed outcomes become platform findings. */
async function onThisPlatform(entry: ManifestEntry, r: ImplementationResult, python: string): Promise<ImplementationResult> {
  const verified = entry.verifiedOn;
  if (!verified || r.status !== 'ran') return r;
  const current = { versions: await libraryVersions(entry.language, entry.requires, python), cpu: currentCpu() };
  const differences = platformDifferences(verified, current);
  if (differences.length === 0) return r;
  const { checks, findings } = applyPlatform(r.checks, differences);
  const where = `${Object.entries(verified.versions).map(([k, v]) => `${k} ${v}`).join(', ')} on ${verified.cpu.model} (${verified.date})`;
  return { ...r, checks, verdict: verdictOf(checks), platform: { verifiedOn: where, differences, findings } };
}

function aborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** An implementation the run did not get to (interrupted): every planned case is listed as not run. */
function notRun(spec: SubjectSpec, cases: Case[], policy: Policy): ImplementationResult {
  return {
    id: spec.id,
    title: spec.title,
    source: spec.source,
    language: spec.language,
    status: 'skipped',
    statusDetail: 'not run: the run was interrupted before this implementation finished',
    verdict: 'skip',
    checks: bindingsOf(spec, policy).map((b) => ({
      name: 'import', family: 'import' as const, contract: { rule: b.rule, policy: b.policy, claimed: b.claimed },
      verdict: 'skip' as const, diagnosis: 'not run: interrupted',
      cases: { planned: cases.reduce((n, c) => n + unitsFor(c, b).length, 0), run: 0, passed: 0, failed: 0, rejected: 0, errors: 0 },
      ms: 0,
    })),
  };
}


export { buildReport };
