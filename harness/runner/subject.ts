// Evaluate one implementation (a manifest entry or an audited candidate) and build its ImplementationResult.
// Shared by `run` and `audit`, so both judge identically.
import type { AxisRule, Policy } from '../contracts.js';
import type { Case } from '../cases/case.js';
import type { Check } from '../checks/check.js';
import type { OutcomeCheck } from '../checks/outcome-checks.js';
import { prepareEvaluation, type EvaluationOptions, type EvaluationResult } from '../engine/evaluate.js';
import { checksFor } from '../checks/registry.js';
import type { Op } from '../ops.js';
import { applyExpectations, isFailure, type ExpectedFailure } from '../engine/expectations.js';
import { summariseInference } from '../engine/inference.js';
import { unitsFor, type Binding } from '../engine/unit.js';
import type { CheckResult, ImplementationResult } from '../model.js';
import type { ToleranceProfile } from '../tolerance/profiles.js';
import { isStartFailure, startWorker } from '../worker/index.js';
import type { CallStyle, Framework, ImplementationWorker, ModuleLocation, StartFailure } from '../worker/types.js';
import { pipHint } from './target.js';
import { workerSpecOf } from './worker-spec.js';
import { frameworkSnippet } from './framework-option.js';
import { pythonSnippet } from '../counterexample/python-snippet.js';
import { layoutPython, reachableLayout } from '../tensor/layout.js';
import { coverageOf, type CoverageUniverse } from '../engine/coverage.js';
import { rejectionPolicy, type DeclaredDomain } from './domain.js';
import type { Evidence } from '../checks/check.js';
import { basename, dirname, relative, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SandboxMode } from '../worker/sandbox.js';
import { jsSnippet } from '../counterexample/js-snippet.js';
import { snippetCheck } from '../counterexample/assertion.js';
import type { Family } from '../model.js';

export interface SubjectSpec {
  id: string;
  title: string;
  source: string;
  language: 'python' | 'javascript';
  /** absolute path; '' for a module target */
  file: string;
  /** a Python module target (`scipy.special` of scipy.special:softmax): imported from the interpreter's path */
  module?: string;
  /** Python: folders put first on the candidate's import path (--python-path), absolute */
  pythonPath?: string[];
  functionName: string;
  callStyle: CallStyle;
  claims: AxisRule[];
  /** also evaluate under `last`, the frameworks' convention (run does; audit only when asked) */
  alsoLast: boolean;
  domain?: DeclaredDomain;
  expectedFailures: ExpectedFailure[];
  installHint?: string;
  /** JavaScript: the input form to use, or 'auto' to probe (harness/worker/js-conventions.mjs) */
  convention?: string;
  /** Python: the tensor type the function takes (default numpy) and its device (default cpu) */
  framework?: Framework;
  device?: string;
}

export interface SubjectSettings {
  profile: ToleranceProfile;
  policy: Policy;
  strictDomain: boolean;
  timeoutMs: number;
  /** wall-clock budget for one implementation's calls; what is left when it runs out is reported as not run */
  budgetMs?: number;
  /** how long loading the implementation may take (TensorFlow takes a minute on a busy 2-core machine) */
  startTimeoutMs?: number;
  memoryMb: number;
  python?: string;
  /** the sandbox every candidate process runs in (worker/sandbox.ts) */
  sandbox?: SandboxMode;
  checks: (Check | OutcomeCheck)[];
  /** the function under test (default softmax); settings.checks must be its checks (checksFor) */
  op?: Op;
  onProgress?: (done: number, total: number) => void;
  /** more work for the same warm worker after the checks (the golden matrix), before it is closed */
  withWorker?: (worker: ImplementationWorker, spec: SubjectSpec) => Promise<void>;
  /** the input space the coverage map counts cells of (default: every generated dtype, ranks 0-6) */
  coverage?: CoverageUniverse;
}

export function bindingsOf(spec: SubjectSpec, policy: Policy): Binding[] {
  const rules = [...spec.claims];
  if (spec.alsoLast && !rules.includes('last')) rules.push('last');
  return rules.map((rule) => ({ rule, policy, claimed: spec.claims.includes(rule), callStyle: spec.callStyle }));
}

/** The Python lines that load the function, for reproduction snippets: an absolute path, so they run from anywhere. */
export function importLineFor(spec: SubjectSpec): string {
  const paths = (spec.pythonPath ?? []).map((d) => `sys.path.insert(0, ${JSON.stringify(d)})`);
  const fw = spec.framework ? frameworkSnippet(spec.framework, spec.device ?? 'cpu') : '';
  if (spec.module) return `${paths.length ? `import sys; ${[...paths].reverse().join('; ')}\n` : ''}from ${spec.module} import ${spec.functionName}${fw ? `\n${fw}` : ''}`;
  const mod = basename(spec.file).replace(/\.py$/, '');
  const prefix = paths.length ? `import sys; ${[...paths].reverse().join('; ')}\n` : '';
  if (!isPlainModuleName(mod)) {
    // The file's name is the candidate's text, not an identifier (`x import os; os.system(...); from x.py`): it goes
    // in as a string literal only, loaded by path, never spliced into a statement.
    const load = `import importlib.util\n_spec = importlib.util.spec_from_file_location("candidate", ${JSON.stringify(resolve(spec.file))})\n_module = importlib.util.module_from_spec(_spec)\n_spec.loader.exec_module(_module)\n${spec.functionName} = _module.${spec.functionName}`;
    return `${prefix}${load}${fw ? `\n${fw}` : ''}`;
  }
  return `import sys; ${[...paths].reverse().join('; ')}${paths.length ? '; ' : ''}sys.path.insert(0, ${JSON.stringify(resolve(dirname(spec.file)))})\nfrom ${mod} import ${spec.functionName}${fw ? `\n${fw}` : ''}`;
}

// Python's keywords: a file named class.py cannot be imported with `from class import ...`.
const PYTHON_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/** A file stem that `from STEM import f` can name: an ASCII identifier that is not a keyword. */
function isPlainModuleName(stem: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(stem) && !PYTHON_KEYWORDS.has(stem);
}

/** The reproduction script for a counterexample: Python for Python candidates, an ES module for JavaScript ones. */
export function reproductionFor(spec: SubjectSpec, e: Evidence, at: { family: Family; axes: number[] }, profile: ToleranceProfile): { python: string } | { javascript: string } {
  const check = snippetCheck(at.family, e, at.axes, profile);
  if (spec.language === 'javascript') {
    const args = spec.callStyle === 'x' ? undefined : {
      ...(spec.callStyle === 'x-theta-axis' && e.args.theta !== undefined ? { theta: e.args.theta } : {}),
      ...(e.args.axis !== undefined ? { axis: e.args.axis } : {}),
    };
    return { javascript: jsSnippet({ input: e.input, file: resolve(spec.file), functionName: spec.functionName, args, actual: e.actual, check, offsetView: e.args.layout?.kind === 'misaligned' }) };
  }
  return { python: pythonSnippet({ input: e.input, importLine: importLineFor(spec), call: callText(spec, e), actual: e.actual, check }) };
}

export function callText(spec: SubjectSpec, e: Evidence): string {
  const kw = [
    e.args.theta !== undefined && spec.callStyle === 'x-theta-axis' ? `theta=${e.args.theta}` : '',
    e.args.axis !== undefined && spec.callStyle !== 'x' ? `axis=${e.args.axis}` : '',
  ].filter(Boolean);
  const x = e.args.layout ? layoutPython(e.args.layout, 'x') : 'x';
  // A framework-native candidate gets the tensor and its result comes back as NumPy (frameworkSnippet's helpers).
  if (spec.framework && spec.framework !== 'numpy') return `to_numpy(${spec.functionName}(${[`to_tensor(${x})`, ...kw].join(', ')}))`;
  return `${spec.functionName}(${[x, ...kw].join(', ')})`;
}

/** How the engine judges this subject: the same for the main evaluation and for audit's shrinking steps. */
export function evaluationOptions(spec: SubjectSpec, settings: SubjectSettings): EvaluationOptions {
  return {
    profile: settings.profile,
    policy: settings.policy,
    op: settings.op,
    language: spec.language,
    mayReject: rejectionPolicy(spec.domain, settings.strictDomain),
    snippet: (e, at) => reproductionFor(spec, e, at, settings.profile),
    onProgress: settings.onProgress,
    budgetMs: settings.budgetMs,
  };
}

/** Settings shared by run and audit, from their command-line options. */
export function subjectSettings(
  opts: { policy: Policy; strictDomain: boolean; timeoutMs: number; budgetMs?: number; startTimeoutMs?: number; memoryMb: number; sandbox?: SandboxMode; op?: Op },
  profile: ToleranceProfile,
  python: string,
): SubjectSettings {
  return {
    profile,
    policy: opts.policy,
    strictDomain: opts.strictDomain,
    timeoutMs: opts.timeoutMs,
    budgetMs: opts.budgetMs,
    startTimeoutMs: opts.startTimeoutMs,
    memoryMb: opts.memoryMb,
    python,
    sandbox: opts.sandbox,
    checks: checksFor(opts.op ?? 'softmax'),
    op: opts.op,
  };
}

const PLAN_AHEAD_CHUNK = 32;


/**
 * Evaluate one subject on the cases. `started` is its worker when the caller started it early (audit starts it
 * while it generates the cases); otherwise it is started here. Either way it is closed here.
 */
export async function evaluateSubject(
  spec: SubjectSpec,
  cases: Case[],
  settings: SubjectSettings,
  started?: Promise<ImplementationWorker | StartFailure>,
): Promise<ImplementationResult> {
  const bindings = bindingsOf(spec, settings.policy);
  // A JavaScript candidate gets only the layouts typed arrays can express: the others' cases become the one they can
  // (a view at an offset into a larger buffer), so run's layout family still judges JavaScript rows on as many
  // inputs; its coverage says which layouts it was not reached in, and why (harness/tensor/layout.ts).
  if (spec.language === 'javascript') cases = cases.map(inJavaScript);
  const starting = started ?? startWorker(workerSpecOf(spec, settings));
  const evaluation = prepareEvaluation(
    bindings.map((binding) => ({ binding, units: cases.flatMap((c) => unitsFor(c, binding)) })),
    settings.checks,
    evaluationOptions(spec, settings),
  );
  // Plan on this core while the worker's interpreter starts on the other, a chunk at a time so that the worker's
  // ready message is read (and the calls begin) as soon as it comes.
  let ready = false;
  void starting.then(() => (ready = true), () => (ready = true));
  while (!ready && evaluation.planMore(PLAN_AHEAD_CHUNK)) await new Promise((r) => setImmediate(r));
  const worker = await starting;
  if (isStartFailure(worker)) return notStarted(spec, worker, bindings, cases, settings);
  let closing: Promise<void> | undefined;
  try {
    const evaluated = await evaluation.run(worker);
    await settings.withWorker?.(worker, spec);
    closing = worker.close(); // the worker's exit (tens of milliseconds) overlaps the building below
    return resultOf(spec, evaluated, { ...conventionOf(worker), coverage: coverageOf(cases, { ...settings.coverage, language: spec.language }), located: worker.runtime?.module });
  } finally {
    await (closing ?? worker.close());
  }
}

function inJavaScript(c: Case): Case {
  return reachableLayout(c.layout, 'javascript') === c.layout ? c : { ...c, layout: { kind: 'misaligned' } };
}

/** What the report says beside the checks that is not the engine's: the calling convention, the coverage map. */
export type ResultExtras = Pick<ImplementationResult, 'convention' | 'conventionNote' | 'coverage'> & { located?: ModuleLocation };

/** The ImplementationResult of a subject that ran: from one evaluation, or from the merged shares of one. */
export function resultOf(spec: SubjectSpec, { results, failedByDtype, inference: fold, calls, dtypeSummary }: Omit<EvaluationResult, 'partial'>, extras: ResultExtras): ImplementationResult {
  const checks = applyExpectations(results, spec.expectedFailures, failedByDtype);
  const inference = fold.inferred();
  return {
    ...baseOf(spec, extras.located),
    status: 'ran',
    inference,
    inferenceSummary: summariseInference(spec.claims, inference, [...fold.ranks], fold.nearest()),
    ...(dtypeSummary ? { dtypeSummary } : {}),
    ...(extras.convention ? { convention: extras.convention } : {}),
    ...(extras.conventionNote ? { conventionNote: extras.conventionNote } : {}),
    calls,
    ...(extras.coverage ? { coverage: extras.coverage } : {}),
    verdict: verdictOf(checks),
    checks,
  };
}

/** Which input form a JavaScript candidate got, and, when probing found none that works, what each attempt did. */
export function conventionOf(worker: ImplementationWorker): Pick<ImplementationResult, 'convention' | 'conventionNote'> {
  const rt = worker.runtime;
  if (!rt?.convention) return {};
  const fitted = rt.conventionProbe?.some((t) => t.endsWith(': ok')) ?? true;
  if (fitted || !rt.conventionProbe?.length) return { convention: rt.convention };
  return {
    convention: rt.convention,
    conventionNote: `no calling convention gave the softmax of [1, 2, 3] when probed (${rt.conventionProbe.join('; ')}); it was called with ${rt.convention}: choose one with --js-input tensor|array|typed|typed-shape|tfjs`,
  };
}

function baseOf(spec: SubjectSpec, located?: ModuleLocation) {
  return {
    id: spec.id,
    title: spec.title,
    source: spec.source,
    language: spec.language,
    target: targetOf(spec, located),
  };
}

/**
 * The report's target: a file and its sha256; for a module target, the module and, where the trusted broker found
 * it (without running it), the file it loads from, that file's sha256 and its distribution's version.
 */
function targetOf(spec: SubjectSpec, located?: ModuleLocation): NonNullable<ImplementationResult['target']> {
  const call = {
    functionName: spec.functionName, callStyle: spec.callStyle, ...(spec.pythonPath?.length ? { pythonPath: spec.pythonPath } : {}),
    ...(spec.framework && spec.framework !== 'numpy' ? { framework: spec.framework } : {}),
    ...(spec.device && spec.device !== 'cpu' ? { device: spec.device } : {}),
  };
  if (!spec.module) return { file: relative(process.cwd(), spec.file) || spec.file, ...call, ...sha256Of(spec.file) };
  return { module: spec.module, file: located?.file ?? '', ...call, ...(located?.sha256 ? { sha256: located.sha256 } : {}), ...(located?.distribution ? { distribution: located.distribution } : {}), ...(located?.version ? { version: located.version } : {}) };
}

/** The candidate file's sha256: which code the verdict is about (sandboxed, the candidate cannot rewrite it). */
function sha256Of(file: string): { sha256?: string } {
  try {
    return { sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  } catch {
    return {};
  }
}

export function verdictOf(checks: CheckResult[]): ImplementationResult['verdict'] {
  if (checks.some((c) => isFailure(c.verdict))) return 'fail';
  // Nothing failed, but a check judged no case (the time budget ran out before it; an expected failure that no case
  // exercised): that is no finding about the code, and no pass either.
  if (checks.some((c) => c.verdict === 'error')) return 'error';
  if (checks.some((c) => c.verdict === 'xfail')) return 'xfail';
  return 'pass';
}

/**
 * A worker that did not start still accounts for every planned case, none of them run: skipped (library absent or
 * no device), a configuration error (no such file or function), or failed (the file does not load: a verdict on the
 * code without a case).
 */
export function notStarted(spec: SubjectSpec, failure: StartFailure, bindings: Binding[], cases: Case[], settings: SubjectSettings): ImplementationResult {
  const base = baseOf(spec);
  const planned = (b: Binding) => cases.reduce((n, c) => n + unitsFor(c, b).length, 0);
  // One `import` check per binding, every planned case accounted for and none run.
  const importChecks = (verdict: 'skip' | 'error', detail: string): CheckResult[] =>
    bindings.map((b) => ({
      name: 'import', family: 'import', contract: { rule: b.rule, policy: b.policy, claimed: b.claimed },
      verdict, diagnosis: detail,
      cases: { planned: planned(b), run: 0, passed: 0, failed: 0, rejected: 0, errors: 0 }, ms: 0,
    }));
  if (failure.kind === 'missing-library') {
    // A module target says what Python said (No module named 'x'), and how to install the module that is missing.
    const install = spec.module && failure.module ? pipHint(failure.module) : spec.installHint;
    const hint = install ? `; install it with \`${install}\`${spec.module ? ' (into that interpreter), or name the folder that holds it with --python-path DIR' : ''}` : '';
    const detail = spec.module ? `skipped: not installed: ${failure.message}${hint}` : `skipped: not installed: module ${failure.module ?? '?'} is missing${hint}`;
    return {
      ...base,
      status: 'skipped',
      statusDetail: detail,
      ...(spec.installHint ? { installCommand: spec.installHint } : {}),
      verdict: 'skip',
      checks: importChecks('skip', detail),
    };
  }
  if (failure.kind === 'no-device') {
    // --device cuda on a machine without one: the row cannot run here, which says nothing about its code.
    const detail = `skipped: ${failure.message}`;
    return {
      ...base,
      status: 'skipped',
      statusDetail: detail,
      verdict: 'skip',
      checks: importChecks('skip', detail),
    };
  }
  if (failure.kind === 'missing-target') {
    // The file or function named does not exist: the target is misconfigured, nothing about the code was judged.
    const detail = `configuration error: ${failure.message}`;
    return {
      ...base,
      status: 'config-error',
      statusDetail: detail,
      verdict: 'error',
      checks: importChecks('error', detail),
    };
  }
  const checks = applyExpectations(
    bindings.map((b) => ({
      name: 'import', family: 'import' as const, contract: { rule: b.rule, policy: b.policy, claimed: b.claimed },
      verdict: 'fail' as const, diagnosis: `the file does not load: ${failure.message}`,
      // Failed without a case: the candidate was never called, so no case counts as run (the accounting says why).
      cases: { planned: planned(b), run: 0, passed: 0, failed: 0, rejected: 0, errors: 0 }, ms: 0,
    })),
    spec.expectedFailures,
  );
  void settings;
  return { ...base, status: 'import-error', statusDetail: failure.detail ?? failure.message, verdict: verdictOf(checks), checks };
}
