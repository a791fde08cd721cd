// The engine: for one implementation, run every applicable check on every unit, sharing calls, and turn the
// judgements into CheckResults (verdict, diagnosis, statistics, smallest counterexample). Expectations from the
// manifest are applied later by the caller: this module only says what happened.
import type { Check, ElementErrorSample, Evidence, JudgeContext, Judgement, Probe } from '../checks/check.js';
import { fmtExact } from '../checks/format.js';
import { isOutcomeCheck, type OutcomeCheck } from '../checks/outcome-checks.js';
import type { CheckResult, Counterexample, Family } from '../model.js';
import type { Policy } from '../contracts.js';
import { logsumexpOracle } from '../../reference/logsumexp.js';
import { oracle } from '../../reference/softmax.js';
import type { Op } from '../ops.js';
import { isFloatDType, resultDType, type DType } from '../tensor/dtype.js';
import { encodeTensorJson } from '../tensor/json-tensor.js';
import { sizeOf, type Tensor } from '../tensor/tensor.js';
import type { ToleranceProfile } from '../tolerance/profiles.js';
import type { ImplementationWorker } from '../worker/types.js';
import { CallPlan, tensorKey } from './call-plan.js';
import { domainsOf, type Domains } from './domains.js';
import { summarise } from './stats.js';
import type { Observation } from './inference.js';
import type { Binding, Unit } from './unit.js';

export interface EvaluationOptions {
  profile: ToleranceProfile;
  policy: Policy;
  /** the function under test (default softmax): which oracle judges it */
  op?: Op;
  /** the candidate's language (absent: python) */
  language?: 'python' | 'javascript';
  /** may an exception on this input count as a rejection rather than a failure? */
  mayReject(input: Tensor): boolean;
  /** builds the reproduction script for a counterexample of a check of `family` (its assertion depends on it) */
  snippet(e: Evidence, at: { family: Family; axes: number[] }): Pick<Counterexample, 'python' | 'javascript'>;
  batchSize?: number;
  /** wall-clock budget for all of this implementation's calls */
  budgetMs?: number;
  onProgress?: (done: number, total: number) => void;
}

interface Tally {
  check: Check | OutcomeCheck;
  binding: Binding;
  planned: number;
  passed: number;
  failed: { unit: Unit; judgement: Extract<Judgement, { status: 'fail' }> }[];
  rejected: { unit: Unit; detail: string }[];
  unjudged: { unit: Unit; detail: string }[];
  errors: ElementErrorSample[];
  /** units passed and rejected, by input dtype (the failures carry their units) */
  passedByDtype: Map<DType, number>;
  rejectedByDtype: Map<DType, number>;
  ms: number;
}

export interface PlannedUnit {
  unit: Unit;
  domains: Domains;
  checks: { check: Check | OutcomeCheck; probes: Probe[]; slots: number[] }[];
}

/** Plan one unit: which checks apply to it, and the calls they need. */
export function planUnit(unit: Unit, checks: (Check | OutcomeCheck)[], plan: CallPlan): PlannedUnit {
  const domains = domainsOf(unit);
  const applicable = checks.filter((c) => c.applies(unit, domains));
  return {
    unit,
    domains,
    checks: applicable.map((check) => {
      const probes = check.probes(unit);
      return { check, probes, slots: probes.map((p) => plan.add(p.input, p.args, p.repeat ?? 0)) };
    }),
  };
}

export function makeOracle(policy: Policy, op: Op = 'softmax'): (input: Tensor, axes: number[]) => Tensor {
  const cache = new Map<string, Tensor>();
  return (input, axes) => {
    const key = `${tensorKey(input)}|${axes.join(',')}`;
    let out = cache.get(key);
    if (!out) {
      out = op === 'logsumexp' ? logsumexpOracle(input, axes) : oracle(input, axes, { op, policy, outDtype: resultDType(input.dtype) });
      cache.set(key, out);
    }
    return out;
  };
}

export interface EvaluationResult {
  results: CheckResult[];
  planned: PlannedUnit[];
  observations: Observation[];
  /** distinct calls made (or recorded as not run) */
  calls: number;
  /** the oracle the judging used, with its cache (contract inference asks it for the same inputs again) */
  oracle: (input: Tensor, axes: number[]) => Tensor;
  /** where only some input dtypes fail: "float inputs: conforms · int32: ..." with a hint (see summariseByDtype) */
  dtypeSummary?: string;
}

export interface Evaluation {
  /** Plan up to `units` more units (which checks apply, which calls they need); false once all are planned. */
  planMore(units: number): boolean;
  /** Make the calls and judge, planning what is not planned yet as the calls go. */
  run(worker: ImplementationWorker): Promise<EvaluationResult>;
}

/** Units planned when the worker has run out of calls: enough to keep it busy, few enough to start it early. */
const PLAN_CHUNK = 64;
/** Units planned, or judged, between two looks at whether a batch has come back (each takes ~0.1 ms). */
const PLAN_STEP = 16;
const JUDGE_STEP = 16;

/** Let pending I/O callbacks run (a batch's results), then go on. */
const yieldToIo = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * An evaluation that plans, calls and judges in a pipeline: a caller may plan ahead with `planMore` while the
 * worker starts; `run` plans the rest a chunk at a time between batches, so the first calls go out early, and judges
 * each unit as soon as its calls are back, while the worker computes the next batch on the other core.
 */
export function prepareEvaluation(bindingsUnits: { binding: Binding; units: Unit[] }[], checks: (Check | OutcomeCheck)[], opts: EvaluationOptions): Evaluation {
  const plan = new CallPlan();
  const judge = new Judge(plan, checks, opts, bindingsUnits.map((b) => b.binding));
  const pending = bindingsUnits.flatMap(({ units }, binding) => units.map((unit) => ({ binding, unit })));
  const planned: PlannedUnit[] = [];
  const planMore = (n: number): boolean => {
    const end = Math.min(pending.length, planned.length + n);
    while (planned.length < end) {
      const { binding, unit } = pending[planned.length];
      const pu = planUnit(unit, checks, plan);
      planned.push(pu);
      judge.enqueue(binding, pu);
    }
    return planned.length < pending.length;
  };
  const progress = (): void => opts.onProgress?.(judge.judged, pending.length);
  return {
    planMore,
    async run(worker) {
      planMore(PLAN_CHUNK);
      await plan.run(worker, {
        batchSize: opts.batchSize ?? 256,
        budgetMs: opts.budgetMs,
        refill: () => planMore(PLAN_CHUNK),
        whileWaiting: async (done, changed) => {
          // Judge what is back, then plan ahead until more is back: a few units at a time, yielding in between,
          // so that a returning batch is seen (and the next one sent) within a millisecond or two.
          while (judge.upTo(done, JUDGE_STEP)) await yieldToIo();
          progress();
          while (!changed() && planMore(PLAN_STEP)) await yieldToIo();
        },
      });
      planMore(Infinity); // a plan run to its end has planned everything already; this only makes it certain
      judge.upTo(plan.size);
      progress();
      const results = judge.tallies.flatMap((tallies) => diagnoseExceptionsOnce([...tallies.values()].map((t) => toCheckResult(t, opts))));
      const dtypeSummary = summariseByDtype(judge.tallies.flatMap((tallies) => [...tallies.values()]));
      return { results, planned, observations: observe(planned, plan), calls: plan.size, oracle: judge.oracleFor, ...(dtypeSummary ? { dtypeSummary } : {}) };
    },
  };
}

export function evaluate(
  worker: ImplementationWorker,
  bindingsUnits: { binding: Binding; units: Unit[] }[],
  checks: (Check | OutcomeCheck)[],
  opts: EvaluationOptions,
): Promise<EvaluationResult> {
  return prepareEvaluation(bindingsUnits, checks, opts).run(worker);
}

/** Judges planned units in plan order, as soon as every call they need has its outcome. */
class Judge {
  readonly tallies: Map<string, Tally>[];
  private readonly queue: { binding: number; pu: PlannedUnit; lastSlot: number }[] = [];
  private next = 0;
  /** slots are handed out in planning order, so a running maximum tells when a unit's calls are all done */
  private lastSlot = -1;
  readonly oracleFor: (input: Tensor, axes: number[]) => Tensor;

  constructor(
    private readonly plan: CallPlan,
    checks: (Check | OutcomeCheck)[],
    private readonly opts: EvaluationOptions,
    bindings: Binding[],
  ) {
    this.oracleFor = makeOracle(opts.policy, opts.op);
    this.tallies = bindings.map((binding) => new Map(checks.map((c) => [c.name, newTally(c, binding)])));
  }

  get judged(): number {
    return this.next;
  }

  enqueue(binding: number, pu: PlannedUnit): void {
    for (const c of pu.checks) for (const s of c.slots) this.lastSlot = Math.max(this.lastSlot, s);
    this.queue.push({ binding, pu, lastSlot: this.lastSlot });
  }

  /**
   * Judge units not judged yet whose calls are among the first `done` outcomes, at most `limit` of them; true if
   * such units remain.
   */
  upTo(done: number, limit = Infinity): boolean {
    for (let n = 0; this.next < this.queue.length && this.queue[this.next].lastSlot < done; n++) {
      if (n >= limit) return true;
      const { binding, pu } = this.queue[this.next++];
      this.unit(this.tallies[binding], pu);
    }
    return false;
  }

  private unit(tallies: Map<string, Tally>, pu: PlannedUnit): void {
    const { plan, opts, oracleFor } = this;
    const ctx: JudgeContext = {
      profile: opts.profile,
      policy: opts.policy,
      op: opts.op,
      language: opts.language,
      domains: pu.domains,
      oracle: (input, axes = pu.unit.axes) => oracleFor(input, axes),
      mayReject: opts.mayReject,
    };
    const allProbes = pu.checks.flatMap((c) => c.probes);
    const allOutcomes = pu.checks.flatMap((c) => c.slots.map((s) => plan.outcome(s)));
    for (const { check, slots } of pu.checks) {
      const t = tallies.get(check.name)!;
      const started = performance.now();
      t.planned++;
      let j: Judgement;
      try {
        j = isOutcomeCheck(check)
          ? check.judgeAll(allProbes, allOutcomes)
          : check.judge(pu.unit, slots.map((s) => plan.outcome(s)), ctx);
      } catch (err) {
        // A harness bug on one case must not lose the others: record it where a person will see it.
        j = { status: 'unjudged', detail: `harness error while judging: ${(err as Error).message}` };
      }
      t.ms += performance.now() - started;
      switch (j.status) {
        case 'pass': {
          t.passed++;
          if (j.errors) t.errors.push(j.errors);
          const dt = pu.unit.case.input.dtype;
          t.passedByDtype.set(dt, (t.passedByDtype.get(dt) ?? 0) + 1);
          break;
        }
        case 'fail': t.failed.push({ unit: pu.unit, judgement: j }); if (j.errors) t.errors.push(j.errors); break;
        case 'rejected': {
          t.rejected.push({ unit: pu.unit, detail: j.detail });
          const dt = pu.unit.case.input.dtype;
          t.rejectedByDtype.set(dt, (t.rejectedByDtype.get(dt) ?? 0) + 1);
          break;
        }
        case 'unjudged': t.unjudged.push({ unit: pu.unit, detail: j.detail }); break;
      }
    }
  }
}

function newTally(check: Check | OutcomeCheck, binding: Binding): Tally {
  return { check, binding, planned: 0, passed: 0, failed: [], rejected: [], unjudged: [], errors: [], passedByDtype: new Map(), rejectedByDtype: new Map(), ms: 0 };
}

/** Plain calls on well-behaved inputs, for contract inference (one per distinct call). */
function observe(units: PlannedUnit[], plan: CallPlan): Observation[] {
  const seen = new Set<number>();
  const out: Observation[] = [];
  for (const { unit, domains: d } of units) {
    // A swept axis (axis-arg, or coerce-2d's split passed as an argument) is no fixed rule to infer from.
    if (unit.binding.rule === 'axis-arg' || (unit.binding.rule === 'coerce-2d' && unit.args.axis !== undefined) || d.nan || d.infinity || d.overflow || d.underflow || d.empty) continue;
    const slot = plan.add(unit.case.input, unit.args);
    if (seen.has(slot) || slot >= plan.size) continue;
    seen.add(slot);
    const o = plan.outcome(slot);
    if (o.kind === 'ok') out.push({ input: unit.case.input, output: o.output });
  }
  return out;
}

function smallestFirst<T extends { unit: Unit }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => sizeOf(a.unit.case.input.shape) - sizeOf(b.unit.case.input.shape) ||
    a.unit.case.input.shape.length - b.unit.case.input.shape.length);
}

/** An unjudged case whose call timed out, or was not sent because its class of input hangs (hang-classes.ts). */
function isLostToHang(detail: string): boolean {
  return detail.startsWith('not judged: the call timed out') || detail.startsWith('not run: the candidate timed out on');
}

function toCheckResult(t: Tally, opts: EvaluationOptions): CheckResult {
  const { check, binding } = t;
  const judged = t.passed + t.failed.length + t.rejected.length;
  const cases = { planned: t.planned, run: judged, passed: t.passed, failed: t.failed.length, rejected: t.rejected.length, errors: t.unjudged.length };
  const base = {
    name: check.name,
    family: check.family as Family,
    contract: { rule: binding.rule, policy: binding.policy, claimed: binding.claimed },
    cases,
    stats: summarise(t.errors),
    ms: Math.round(t.ms),
  };
  const flushed = base.stats?.flushedSubnormals ?? 0;
  // Flush-to-zero is a property of the implementation worth knowing even where the profile allows it; it is kept
  // out of the ULP figures, so it is stated here with its largest value.
  const flushNote = flushed
    ? `flushes ${flushed} tiny result${flushed === 1 ? '' : 's'} to zero, the largest ${fmtExact(base.stats?.largestFlushed ?? 0)} (allowed by the ${opts.profile.name} profile; not in the ULP figures)`
    : '';
  if (t.failed.length > 0) {
    const failures = smallestFirst(t.failed);
    // An exception on an ordinary input is a symptom of its own, not this family's defect: diagnose it as an
    // exception (diagnoseExceptionsOnce then says it once for every family it blocks).
    const raised = failures.filter((f) => f.judgement.raised !== undefined);
    const other = failures.filter((f) => f.judgement.raised === undefined);
    const shown = other.length ? other : raised;
    const first = shown[0];
    const counts = `(${t.failed.length} of ${t.planned} cases)`;
    const diagnosis = other.length
      ? `${check.diagnose(other.map((f) => ({ unit: f.unit, detail: f.judgement.detail })))}${raised.length ? `; it also raised ${raised[0].judgement.raised} on ${raised.length} case${raised.length === 1 ? '' : 's'}` : ''}`
      : first.judgement.detail;
    return {
      ...base,
      verdict: 'fail',
      diagnosis: `${diagnosis} ${counts}`,
      counterexample: counterexample(first.unit, first.judgement.evidence, check.family as Family, opts),
      ...(other.length === 0 ? { [EXCEPTION]: first.judgement.raised } : {}),
    };
  }
  if (t.planned === 0) {
    return { ...base, verdict: 'skip', diagnosis: 'no case in this run falls in this check\'s domain' };
  }
  if (t.passed === 0 && t.unjudged.length === 0 && t.rejected.length > 0) {
    // Rejected is never a pass (DESIGN.md): nothing was shown to conform, and nothing failed. `skip` already means
    // "not applicable, with the reason", which every reporter and the gate handle.
    return {
      ...base,
      verdict: 'skip',
      diagnosis: `not applicable: all ${t.rejected.length} case${t.rejected.length === 1 ? '' : 's'} rejected with a clear error outside the supported domain (e.g. ${t.rejected[0].detail})`,
    };
  }
  if (judged === 0 || (t.passed === 0 && t.unjudged.length > 0)) {
    const why = t.unjudged[0]?.detail ?? t.rejected[0]?.detail ?? 'nothing could be judged';
    // Cases lost to the candidate's own hangs are reported once, under `timeout`; here they are not run, not failed.
    if (t.passed === 0 && t.unjudged.every((u) => isLostToHang(u.detail))) {
      return { ...base, verdict: 'skip', diagnosis: `not run: ${t.unjudged.length} case${t.unjudged.length === 1 ? '' : 's'} timed out or were not sent after repeated timeouts (see timeout)` };
    }
    return { ...base, verdict: 'error', diagnosis: `no case could be judged: ${why}` };
  }
  const notes = [
    t.rejected.length ? `${t.rejected.length} rejected with a clear error` : '',
    flushNote,
    t.unjudged.length ? `${t.unjudged.length} not judged (${t.unjudged[0].detail.replace(/^not judged: /, '')})` : '',
  ].filter(Boolean);
  return {
    ...base,
    verdict: 'pass',
    diagnosis: `conforms on ${t.passed} of ${t.planned} cases${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

function counterexample(unit: Unit, e: Evidence, family: Family, opts: EvaluationOptions): Counterexample {
  return {
    caseId: unit.key,
    input: encodeTensorJson(e.input),
    args: {
      ...(e.args.axis !== undefined ? { axis: e.args.axis } : {}),
      ...(e.args.theta !== undefined ? { theta: e.args.theta } : {}),
      ...(e.args.layout && e.args.layout.kind !== 'c' ? { layout: e.args.layout } : {}),
    },
    ...(e.actual ? { actual: encodeTensorJson(e.actual) } : {}),
    ...(e.expected ? { expected: encodeTensorJson(e.expected) } : {}),
    ...(e.error ? { error: e.error } : {}),
    ...(unit.case.seed !== undefined ? { seed: unit.case.seed } : {}),
    ...(unit.case.path !== undefined ? { path: unit.case.path } : {}),
    ...opts.snippet(e, { family, axes: unit.axes }),
  };
}

/** Where a check's every failure was an exception: the exception text (kept off the report: a symbol key). */
const EXCEPTION = Symbol('exception');
type WithException = CheckResult & { [EXCEPTION]?: string };

/**
 * One exception, one diagnosis: where several families failed only by the same exception (type and message), the
 * first says so with the families it blocked, and the others point to it instead of repeating it.
 */
function diagnoseExceptionsOnce(results: WithException[]): CheckResult[] {
  const byException = new Map<string, WithException[]>();
  for (const r of results) {
    const e = r[EXCEPTION];
    if (e !== undefined) byException.set(e, [...(byException.get(e) ?? []), r]);
  }
  const out = new Map<WithException, CheckResult>();
  for (const [exception, rs] of byException) {
    if (rs.length < 2) continue;
    const [first, ...rest] = rs;
    const counts = (r: CheckResult) => COUNTS.exec(r.diagnosis)?.[0] ?? '';
    out.set(first, { ...strip(first), diagnosis: `${first.diagnosis.replace(COUNTS, '')}${BLOCKS}${rest.map((r) => r.name).join(', ')}${counts(first)}` });
    for (const r of rest) out.set(r, { ...strip(r), diagnosis: `${BLOCKED}(${exception}), diagnosed under ${first.name}${counts(r)}` });
  }
  return results.map((r) => out.get(r) ?? strip(r));
}

const COUNTS = / \(\d+ of \d+ cases\)$/;
const BLOCKS = '; the same exception blocks ';
const BLOCKED = 'blocked by an exception ';

/**
 * The diagnosis after the audit shrank a check's counterexample: the shrunk case's sentence, with what the old one
 * said beyond its own case (the families an exception blocks, the whole audit's case count). A family blocked by an
 * exception keeps its pointer: the exception is shown where it is diagnosed.
 */
export function withShrunkDiagnosis(old: string, shrunk: string): string {
  if (old.startsWith(BLOCKED)) return old;
  const counts = COUNTS.exec(old)?.[0] ?? '';
  const k = old.lastIndexOf(BLOCKS);
  const blocks = k >= 0 ? old.slice(k).replace(COUNTS, '') : '';
  return `${shrunk.replace(COUNTS, '')}${blocks}${counts}`;
}

function strip(r: WithException): CheckResult {
  if (!(EXCEPTION in r)) return r;
  const { [EXCEPTION]: _e, ...rest } = r;
  return rest;
}

/**
 * "float inputs: conforms · int32: fails overflow (wraps around: ...)": where every float input conforms and only
 * integer inputs fail (their extremes wrap around in `x - max`), the verdict split by input dtype, with a hint to
 * judge only the dtypes one uses. Nothing otherwise: a failing float dtype is not something to hide behind --dtype,
 * and a split of many failures by dtype says less than the checks themselves.
 */
export function summariseByDtype(tallies: Tally[]): string | undefined {
  const seen = new Set<DType>();
  const passed = new Set<DType>();
  const failing = new Map<DType, Map<string, string>>();
  for (const t of tallies) {
    // How a call ended (crash, timeout, ...) says nothing about values: a dtype conforms by passing a judging check.
    if (!isOutcomeCheck(t.check)) for (const dt of t.passedByDtype.keys()) passed.add(dt);
    for (const dt of [...t.passedByDtype.keys(), ...t.rejectedByDtype.keys()]) seen.add(dt);
    for (const f of smallestFirst(t.failed)) {
      const dt = f.unit.case.input.dtype;
      seen.add(dt);
      const families = failing.get(dt) ?? new Map<string, string>();
      if (!families.has(t.check.name)) families.set(t.check.name, causeOf(f.judgement));
      failing.set(dt, families);
    }
  }
  const order = (d: DType) => ['float64', 'float32', 'float16', 'int32', 'int64', 'bool'].indexOf(d);
  const floats = [...seen].filter(isFloatDType).sort((a, b) => order(a) - order(b));
  if (failing.size === 0 || floats.length === 0) return undefined;
  if (!floats.every((d) => passed.has(d) && !failing.has(d))) return undefined;
  if ([...failing.keys()].some(isFloatDType)) return undefined;
  const otherOk = [...seen].filter((d) => !isFloatDType(d) && !failing.has(d) && passed.has(d)).sort((a, b) => order(a) - order(b));
  const parts = [`${['float inputs', ...otherOk].join(', ')}: conforms`];
  // Dtypes that fail alike share a clause: "int32, int64: fails overflow (...)".
  const clauses = new Map<string, DType[]>();
  for (const dt of [...failing.keys()].sort((a, b) => order(a) - order(b))) {
    const families = [...failing.get(dt)!.entries()];
    const causes = [...new Set(families.map(([, c]) => c).filter(Boolean))];
    const text = `fails ${families.map(([n]) => n).join(', ')}${causes.length ? ` (${causes.join('; ')})` : ''}`;
    clauses.set(text, [...(clauses.get(text) ?? []), dt]);
  }
  for (const [text, dts] of clauses) parts.push(`${dts.join(', ')}: ${text}`);
  return `${parts.join(' · ')}; if integer inputs do not concern you, audit with --dtype ${floats.join(',')}`;
}

/** The short cause a failure states before its evidence ("wraps around: ... : on [...]"), or its exception. */
function causeOf(j: Extract<Judgement, { status: 'fail' }>): string {
  if (j.raised) return `raises ${j.raised}`;
  const k = j.detail.indexOf(': on ');
  return k > 0 ? j.detail.slice(0, k) : '';
}
