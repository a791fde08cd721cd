// `audit FILE:FUNCTION --contract RULE`: one candidate, fixed and generated inputs, every check, and for each
// failing check a counterexample shrunk by fast-check across the process boundary.
import fc, { type Arbitrary } from 'fast-check';
import type { Policy } from '../contracts.js';
import { adversarialCases, bfloat16Cases } from '../cases/adversarial.js';
import { discussionCases } from '../cases/discussion.js';
import type { Case } from '../cases/case.js';
import type { Check } from '../checks/check.js';
import type { OutcomeCheck } from '../checks/outcome-checks.js';
import { evaluate, finishEvaluation, foldOf } from '../engine/evaluate.js';
import type { EvaluationPartial } from '../engine/partial.js';
import { evaluateSplit, shareSource, type CaseSource } from './split-evaluation.js';
import { shareOnThread } from './share-thread-client.js';
import { shardStateOf } from './audit-shards.js';
import { auditJudging } from './judging.js';
import { unitsFor } from '../engine/unit.js';
import { caseArb, type GeneratedCase } from '../generators/cases.js';
import { DEFAULT_MAX_ELEMENTS } from '../generators/lengths.js';
import { auditCaseOptions, startAudit, type AuditHead, type AuditStartOptions } from './audit-start.js';
import type { CheckResult, Counterexample, ImplementationResult, RunReport } from '../model.js';
import { getProfile, type ToleranceProfile } from '../tolerance/profiles.js';
import { checkPython, defaultPython, pythonOf } from '../worker/python-worker.js';
import { isStartFailure, startWorker } from '../worker/index.js';
import type { ImplementationWorker } from '../worker/types.js';
import { buildReport } from './report-build.js';
import { bindingsOf, evaluationOptions, resultOf, subjectSettings, type SubjectSettings, type SubjectSpec } from './subject.js';
import { workerSpecOf } from './worker-spec.js';
import { EnvironmentError } from '../errors.js';
import { resolveSandbox, sandboxInfoFor, type SandboxInfo } from '../worker/sandbox.js';
import type { Op } from '../ops.js';

export interface AuditOptions extends AuditStartOptions {
  /** the function the candidate computes (default softmax) */
  op?: Op;
  profile: string;
  policy: Policy;
  strictDomain: boolean;
  budgetMs?: number;
  shrinkSeconds: number;
  command: string;
  /** candidate workers to split the cases across (the report does not depend on it) */
  jobs?: number;
  /** judge only the k-th of n shares of the cases; the report carries what `merge` needs */
  shard?: { index: number; count: number };
  onProgress?: (done: number, total: number) => void;
}

const NO_ML_DTYPES = "bfloat16 needs the ml_dtypes package in the candidate's Python, which cannot import it (pip install ml_dtypes)";

function toCase(g: GeneratedCase, seed: number, index: number): Case {
  return { id: `generated/${seed}/${index}`, title: `generated #${index} (${g.family})`, source: 'generated', family: g.family, input: g.tensor, seed, path: String(index), ...(g.layout ? { layout: g.layout } : {}) };
}

/**
 * `head` is what startAudit started (the candidate's worker); the CLI starts it before it loads this module, so the
 * interpreter's start overlaps the loading of the rest of the harness and the drawing of the cases.
 */
export async function runAudit(opts: AuditOptions, head: AuditHead = startAudit(opts)): Promise<RunReport> {
  const { spec, worker } = head;
  let profile: ToleranceProfile;
  let sandbox: SandboxInfo;
  try {
    profile = getProfile(opts.profile);
    // The same cached answer the worker's start got: a required sandbox that cannot be had is exit 2 here.
    sandbox = sandboxInfoFor(await resolveSandbox(opts.sandbox), opts.memoryMb);
  } catch (e) {
    await abandon(head);
    throw e;
  }
  // The generated cases are drawn a chunk at a time as they are judged (fast-check's `path` starts a draw at any
  // index with the same values as one draw of them all), so memory stays flat however many there are. The first
  // chunk is drawn here, while the worker's interpreter starts on the other core.
  let generated: (index: number) => Case;
  try {
    generated = generatedCases(opts);
    if (opts.numRuns > 0) generated(0);
  } catch (e) {
    await abandon(head);
    throw e;
  }
  const settings: SubjectSettings = {
    ...subjectSettings(opts, profile, defaultPython(opts.python)),
    onProgress: opts.onProgress,
    coverage: { dtypes: opts.dtypes, maxRank: 6, beyond65536: (opts.maxElements ?? DEFAULT_MAX_ELEMENTS) > 65536 },
  };
  // A Python worker reports its interpreter's versions; a JavaScript candidate's audit probes Python meanwhile.
  const pythonChecked = spec.language === 'python' ? undefined : checkPython(opts.python);
  pythonChecked?.catch(() => undefined); // awaited below; meanwhile its failure must not count as unhandled
  const fixed = fixedCases(opts);
  // Asked for by name, bfloat16 has fixed cases here: without ml_dtypes nothing about it can be judged, which is an
  // environment error.
  if (spec.language === 'python' && opts.dtypes?.includes('bfloat16') && fixed.some((c) => c.input.dtype === 'bfloat16')) {
    const w = await worker;
    if (!isStartFailure(w) && w.runtime?.mlDtypes === undefined) {
      await w.close();
      throw new EnvironmentError(`${NO_ML_DTYPES} (or leave bfloat16 out of --dtype)`);
    }
  }
  // Every case has its position in the whole audit's list (fixed, then generated): failures are ordered by it,
  // and the shares of --jobs and --shard are dealt by it.
  const source = auditSource(opts, fixed, generated);
  const checkNames = settings.checks.map((c) => c.name);
  // Experimental, off by default (docs/bench.md): the shares after the first judged on worker threads of their own.
  const threads = process.env.SOFTMAX_CONFORMANCE_SHARE_THREADS === '1' && (opts.jobs ?? 1) > 1;
  const { result: evaluated, partial, coverage } = await evaluateSplit(spec, source, settings, opts.jobs ?? 1, worker, threads ? shareOnThread(opts, spec) : undefined);
  let result = evaluated;
  const bf16Cases = spec.language === 'python' ? coverage?.countWhere('dtype', 'bfloat16') ?? 0 : 0;
  if (bf16Cases > 0 && !opts.dtypes) {
    const w = await worker;
    // by default: the bfloat16 cases are not run (the worker says why), and the audit says so rather than stay quiet
    if (!isStartFailure(w) && w.runtime?.mlDtypes === undefined) {
      process.stderr.write(`softmax-conformance: warning: ${bf16Cases} bfloat16 cases were not judged: ${NO_ML_DTYPES}\n`);
    }
  }
  // An unusable interpreter is an environment error (exit 2), whatever the worker's start made of it.
  const python = await (pythonChecked ?? pythonOf(await worker, opts.python));
  // A run may skip a row whose library is absent; an audit that judged nothing must not read as a verdict.
  if (result.status === 'skipped') throw new EnvironmentError(`cannot audit ${spec.id}: ${result.statusDetail ?? 'a library it imports is not installed'}`);
  if (result.status === 'ran' && partial) {
    // Shrinking writes into the partial, so a shard's shrunk failure travels with it to the merge.
    if (await shrinkFailures(spec, result, partial, settings, opts)) {
      const { convention, conventionNote, coverage: map } = evaluated;
      // (the target as the first result had it: a module target's file, sha256 and version came from its worker)
      result = { ...resultOf(spec, finishEvaluation(partial, bindingsOf(spec, settings.policy), settings.checks, settings), { convention, conventionNote, coverage: map }), ...(evaluated.target ? { target: evaluated.target } : {}) };
    }
    if (opts.shard) result.shardState = shardStateOf(spec, bindingsOf(spec, settings.policy), checkNames, partial, coverage!, { ...settings.coverage, language: spec.language }, settings.op);
  }
  return buildReport('audit', [result], { ...opts, judging: auditJudging(opts) }, python, performance.now() - head.started, sandbox);
}

/** The fixed cases in the audit's dtypes; by default all of them, bfloat16's only where the default includes it. */
export function fixedCases(opts: AuditOptions): Case[] {
  const bf16 = auditCaseOptions(opts).dtypes!.includes('bfloat16');
  return [...discussionCases(), ...adversarialCases(), ...bfloat16Cases()].filter((c) =>
    opts.dtypes ? opts.dtypes.includes(c.input.dtype) : c.input.dtype !== 'bfloat16' || bf16);
}

/** Every case of the audit (fixed, then generated) with its position in the whole list; one shard's share of them. */
export function auditSource(opts: AuditOptions, fixed: Case[] = fixedCases(opts), generated: (index: number) => Case = generatedCases(opts)): CaseSource {
  const all: CaseSource = {
    total: fixed.length + opts.numRuns,
    start: 0,
    step: 1,
    get: (o) => ({ ...(o < fixed.length ? fixed[o] : generated(o - fixed.length)), ordinal: o }),
  };
  return opts.shard ? shareSource(all, opts.shard.index, opts.shard.count) : all;
}

/**
 * Generated case `index`, drawn with its neighbours in chunks. The chunks used last are kept, one more than there
 * are shares: the --jobs shares walk the same stretch of cases at slightly different speeds, and a cache smaller
 * than their spread would draw a whole chunk again for almost every case.
 */
export function generatedCases(opts: AuditOptions): (index: number) => Case {
  const arb = caseArb(auditCaseOptions(opts));
  const chunks = new Map<number, Case[]>();
  const kept = Math.max(KEPT_CHUNKS, (opts.jobs ?? 1) + 1);
  return (index) => {
    const c = Math.floor(index / CHUNK);
    let chunk = chunks.get(c);
    if (chunk) {
      chunks.delete(c); // most recently used last
      chunks.set(c, chunk);
    } else {
      const start = c * CHUNK;
      const n = Math.min(CHUNK, opts.numRuns - start);
      chunk = (start === 0 ? fc.sample(arb, { seed: opts.seed, numRuns: n }) : fc.sample(arb, { seed: opts.seed, path: String(start), numRuns: n })).map((g, i) => toCase(g, opts.seed, start + i));
      if (chunks.size >= kept) chunks.delete(chunks.keys().next().value!);
      chunks.set(c, chunk);
    }
    return chunk[index - c * CHUNK];
  };
}

/** Generated cases drawn at once: large enough that skipping to a chunk's start (fast-check replays the seed) is rare. */
const CHUNK = 2048;
const KEPT_CHUNKS = 3;

/** Close what startAudit started when the audit stops before evaluating (a bad option, a broken generator). */
async function abandon(head: AuditHead): Promise<void> {
  const w = await head.worker.catch(() => undefined);
  if (w && !isStartFailure(w)) await w.close();
}

/**
 * For each failing check, let fast-check shrink the failure: replay the failing generated run (seed + path) and
 * shrink it, judging each candidate input with a fresh call to the worker. Fixed cases are small already; a
 * generated failure becomes the counterexample only when shrinking makes it smaller than the fixed one.
 */
async function shrinkFailures(spec: SubjectSpec, result: ImplementationResult, partial: EvaluationPartial, settings: SubjectSettings, opts: AuditOptions): Promise<boolean> {
  const shrinkable = result.checks.filter((c) => c.verdict === 'fail' && c.counterexample?.caseId.startsWith('generated/'));
  if (shrinkable.length === 0) return false;
  const arb = caseArb(auditCaseOptions(opts));
  const worker = await startWorker(workerSpecOf(spec, settings));
  if (isStartFailure(worker)) return false;
  const w = worker;
  let any = false;
  try {
    for (const [i, check] of result.checks.entries()) {
      if (check.verdict !== 'fail' || !check.counterexample || !check.counterexample.caseId.startsWith('generated/')) continue;
      const impl = settings.checks.find((c) => c.name === check.name);
      if (!impl) continue;
      const shrunk = await shrinkOne(spec, w, impl, check, arb, settings, opts);
      if (shrunk) {
        // Kept with the failure it shrinks: the diagnosis describes the counterexample it shows, the case count
        // stays the whole audit's (finishEvaluation's withShrunk).
        const fold = foldOf(partial, settings.checks.length, i);
        const best = (fold.other ?? fold.raisedBest)!;
        best.shrunk = shrunk;
        any = true;
      }
    }
  } finally {
    await w.close();
  }
  return any;
}

async function shrinkOne(spec: SubjectSpec, worker: ImplementationWorker, check: Check | OutcomeCheck, result: CheckResult, arb: Arbitrary<GeneratedCase>, settings: SubjectSettings, opts: AuditOptions): Promise<{ counterexample: Counterexample; diagnosis: string } | undefined> {
  const binding = bindingsOf(spec, settings.policy).find((b) => b.rule === result.contract.rule)!;
  const path = result.counterexample!.caseId.split('/')[2].split('@')[0];
  let last: CheckResult | undefined;
  const failsOn = async (g: GeneratedCase): Promise<CheckResult | undefined> => {
    const c = toCase(g, opts.seed, -1);
    const { onProgress: _quiet, ...options } = evaluationOptions(spec, settings);
    const { results } = await evaluate(worker, [{ binding, units: unitsFor(c, binding) }], [check], options);
    const r = results.find((x) => x.name === check.name);
    return r?.verdict === 'fail' && r.counterexample ? r : undefined;
  };
  const property = fc.asyncProperty(arb, async (g) => {
    const failed = await failsOn(g);
    if (failed) last = failed;
    return failed === undefined;
  });
  const out = await fc.check(property, { seed: opts.seed, path, numRuns: 1, interruptAfterTimeLimit: opts.shrinkSeconds * 1000, markInterruptAsFailure: false });
  if (!out.failed || !last?.counterexample) return undefined;
  const shrunkPath = out.counterexamplePath ?? path;
  return {
    counterexample: { ...last.counterexample, caseId: `generated/${opts.seed}/${shrunkPath}`, seed: opts.seed, path: shrunkPath },
    diagnosis: last.diagnosis,
  };
}
