// The engine: for one implementation, run every applicable check on every unit, sharing calls, and turn the
// judgements into CheckResults (verdict, diagnosis, statistics, smallest counterexample). Expectations from the
// manifest are applied later by the caller: this module only says what happened.
import type { Check, Evidence, JudgeContext, Judgement, Probe } from '../checks/check.js';
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
import { isBudgetOutcome } from './budget.js';
import { CallPlan, tensorKey } from './call-plan.js';
import { domainsOf, type Domains } from './domains.js';
import { CheckFold, type Ordinal } from './check-fold.js';
import { InferenceFold } from './inference-fold.js';
import { EvaluationPartial } from './partial.js';
import type { FailedByDtype } from './expectations.js';
import type { HangRecord, RecordedJudgement } from './hang-ledger.js';
import { StatsFold } from './stats-fold.js';
import type { Binding, Unit } from './unit.js';
import type { Case } from '../cases/case.js';

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

/** A check's fold under one binding, with what finishing it needs. */
interface Tally {
  check: Check | OutcomeCheck;
  binding: Binding;
  fold: CheckFold;
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

const ORACLE_CACHE = 4096;

export function makeOracle(policy: Policy, op: Op = 'softmax'): (input: Tensor, axes: number[]) => Tensor {
  const cache = new Map<string, Tensor>();
  return (input, axes) => {
    const key = `${tensorKey(input)}|${axes.join(',')}`;
    let out = cache.get(key);
    if (!out) {
      out = op === 'logsumexp' ? logsumexpOracle(input, axes) : oracle(input, axes, { op, policy, outDtype: resultDType(input.dtype) });
      // The judge and the inference ask for the same results within a unit or two: a bounded cache keeps memory flat.
      if (cache.size >= ORACLE_CACHE) cache.clear();
      cache.set(key, out);
    }
    return out;
  };
}

export interface EvaluationResult {
  results: CheckResult[];
  /** contract inference, folded as the units were judged (no output is kept) */
  inference: InferenceFold;
  /** distinct calls made (or recorded as not run) */
  calls: number;
  /** where only some input dtypes fail: "float inputs: conforms · int32: ..." with a hint (see summariseByDtype) */
  dtypeSummary?: string;
  /** per result (same order): a failing check's smallest failure by input dtype, for scoped expectations */
  failedByDtype?: (FailedByDtype | undefined)[];
  /** the same, unfinished: merges with the partials of other shares of the same evaluation (--jobs, --shard) */
  partial: EvaluationPartial;
}

export interface Evaluation {
  /** Plan up to `units` more units (which checks apply, which calls they need); false once all are planned or when planning is far enough ahead of the judging. */
  planMore(units: number): boolean;
  /** Make the calls and judge, planning what is not planned yet as the calls go. */
  run(worker: ImplementationWorker): Promise<EvaluationResult>;
}

/** Units planned when the worker has run out of calls: enough to keep it busy, few enough to start it early. */
const PLAN_CHUNK = 64;
/** Units planned, or judged, between two looks at whether a batch has come back (each takes ~0.1 ms). */
const PLAN_STEP = 16;
const JUDGE_STEP = 16;
/** Units planned and not yet judged, at most (outside the plan's own refills when the worker has nothing to do). */
const MAX_AHEAD = 1024;

/** Let pending I/O callbacks run (a batch's results), then go on. */
const yieldToIo = (): Promise<void> => new Promise((r) => setImmediate(r));

function fromArrays(bindingsUnits: { binding: Binding; units: Unit[] }[]): UnitSource {
  const pending = bindingsUnits.flatMap(({ units }, binding) => {
    const ords = ordinals(units);
    return units.map((unit, i) => ({ binding, unit, ord: ords[i] }));
  });
  function* walk() {
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i];
      pending[i] = undefined!; // the judge holds it now; let it go once judged
      yield p;
    }
  }
  return { bindings: bindingsUnits.map((b) => b.binding), units: walk(), total: pending.filter((p) => p.ord[1] === 0).length };
}

/**
 * Where each unit stands in the unsplit evaluation: its case's `ordinal` (set when the cases are a share of a
 * larger list) or else its case's position here, then its position among its case's units.
 */
function ordinals(units: Unit[]): Ordinal[] {
  const caseIndex = new Map<Case, number>();
  const within = new Map<Case, number>();
  return units.map((u) => {
    if (!caseIndex.has(u.case)) caseIndex.set(u.case, u.case.ordinal ?? caseIndex.size);
    const k = within.get(u.case) ?? 0;
    within.set(u.case, k + 1);
    return [caseIndex.get(u.case)!, k];
  });
}

/**
 * An evaluation that plans, calls and judges in a pipeline: a caller may plan ahead with `planMore` while the
 * worker starts; `run` plans the rest a chunk at a time between batches, so the first calls go out early, and judges
 * each unit as soon as its calls are back, while the worker computes the next batch on the other core. Judged units
 * are folded (check-fold.ts) and let go: memory does not grow with the number of cases judged.
 */
/**
 * Units drawn as they are planned (audit's cases are drawn a chunk at a time, so memory stays flat): each with its
 * binding's index and its ordinal; `total` (cases times bindings) is for progress only.
 */
export interface UnitSource {
  bindings: Binding[];
  units: Iterator<{ binding: number; unit: Unit; ord: Ordinal }>;
  total: number;
}

export function prepareEvaluation(input: { binding: Binding; units: Unit[] }[] | UnitSource, checks: (Check | OutcomeCheck)[], opts: EvaluationOptions): Evaluation {
  const source: UnitSource = Array.isArray(input) ? fromArrays(input) : input;
  const plan = new CallPlan();
  const bindings = source.bindings;
  const judge = new Judge(plan, checks, opts, bindings);
  const units = source.units;
  let exhausted = false;
  let planned = 0;
  // Planning ahead of the judging is capped: a planned unit holds its probes' tensors until it is judged, so a
  // plan that ran far ahead of a slow candidate would hold the whole audit's (memory growing with the cases).
  const planAhead = (n: number): boolean => {
    if (planned - judge.judged >= MAX_AHEAD) return false;
    return planMore(Math.min(n, MAX_AHEAD - (planned - judge.judged)));
  };
  const planMore = (n: number): boolean => {
    for (let k = 0; k < n && !exhausted; k++) {
      const next = units.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const { binding, unit, ord } = next.value;
      planned++;
      judge.enqueue(binding, planUnit(unit, checks, plan), ord);
    }
    return !exhausted;
  };
  // Progress counts cases (under each binding): a judged unit whose ordinal is [case, 0] starts one.
  const progress = (): void => opts.onProgress?.(judge.casesJudged, source.total);
  return {
    planMore: planAhead,
    async run(worker) {
      planMore(PLAN_CHUNK);
      await plan.run(worker, {
        batchSize: opts.batchSize ?? 256,
        budgetMs: opts.budgetMs,
        refill: () => planMore(PLAN_CHUNK),
        hold: () => planned - judge.judged >= MAX_AHEAD,
        whileWaiting: async (done, changed) => {
          // Judge what is back, then plan ahead until more is back: a few units at a time, yielding in between,
          // so that a returning batch is seen (and the next one sent) within a millisecond or two.
          while (judge.upTo(done, JUDGE_STEP)) await yieldToIo();
          progress();
          while (!changed() && planAhead(PLAN_STEP)) await yieldToIo();
        },
      });
      planMore(Infinity); // a plan run to its end has planned everything already; this only makes it certain
      judge.upTo(plan.size);
      progress();
      const partial = new EvaluationPartial(judge.tallies.map((ts) => ts.map((t) => t.fold)), judge.inference, plan.callHashes(), judge.hangs);
      return { ...finishEvaluation(partial, bindings, checks, opts), partial };
    },
  };
}

/** CheckResults, dtype summary and inference from a partial: the same for a whole evaluation and its merged shares. */
export function finishEvaluation(partial: EvaluationPartial, bindings: Binding[], checks: (Check | OutcomeCheck)[], opts: Pick<EvaluationOptions, 'profile'>): Omit<EvaluationResult, 'partial'> {
  const folds = partial.settled();
  const tallies: Tally[][] = bindings.map((binding, b) => checks.map((check, k) => ({ check, binding, fold: folds[b][k] })));
  const results = tallies.flatMap((ts) => diagnoseExceptionsOnce(ts.map((t) => toCheckResult(t, opts))).map((r, k) => withShrunk(r, ts[k].fold)));
  // A failing check's failures by input dtype, beside the results: what a scoped expectation is held to.
  const failedByDtype = tallies.flat().map(({ fold: f }, k) => (results[k].verdict === 'fail' ? failuresByDtype(f) : undefined));
  const dtypeSummary = summariseByDtype(tallies.flat());
  return { results, failedByDtype, inference: partial.inference, calls: partial.calls.size, ...(dtypeSummary ? { dtypeSummary } : {}) };
}

export function evaluate(
  worker: ImplementationWorker,
  bindingsUnits: { binding: Binding; units: Unit[] }[],
  checks: (Check | OutcomeCheck)[],
  opts: EvaluationOptions,
): Promise<EvaluationResult> {
  return prepareEvaluation(bindingsUnits, checks, opts).run(worker);
}

/** The shown failure, shrunk by audit (its counterexample, and its sentence within the whole audit's diagnosis). */
/** Each input dtype's smallest failure, as its sentence (its short cause in states written before the detail). */
function failuresByDtype(f: CheckFold): FailedByDtype {
  return new Map([...f.failCauseByDtype].map(([d, c]) => [d, c.detail ?? c.cause]));
}

function withShrunk(r: CheckResult, f: CheckFold): CheckResult {
  const shrunk = (f.other ?? f.raisedBest)?.shrunk;
  return shrunk ? { ...r, counterexample: shrunk.counterexample, diagnosis: withShrunkDiagnosis(r.diagnosis, shrunk.diagnosis) } : r;
}

/** The fold whose smallest failure a result in finishEvaluation's order shows: [binding][check]. */
export function foldOf(partial: EvaluationPartial, checks: number, index: number): CheckFold {
  // Settled copies share their failure entries with the partial and its hang records: a shrunk counterexample
  // written on the entry is seen by every later settling, and travels in a shard's state.
  return partial.settled()[Math.floor(index / checks)][index % checks];
}

/** Judges planned units in plan order, as soon as every call they need has its outcome. */
class Judge {
  readonly tallies: Tally[][];
  private readonly byName: Map<string, Tally>[];
  readonly inference = new InferenceFold();
  private readonly queue: ({ binding: number; pu: PlannedUnit; ord: Ordinal; lastSlot: number } | undefined)[] = [];
  private next = 0;
  /** slots are handed out in planning order, so a running maximum tells when a unit's calls are all done */
  private lastSlot = -1;
  /** distinct plain calls already observed for contract inference */
  private readonly observed = new Set<number>();
  readonly oracleFor: (input: Tensor, axes: number[]) => Tensor;

  constructor(
    private readonly plan: CallPlan,
    checks: (Check | OutcomeCheck)[],
    private readonly opts: EvaluationOptions,
    bindings: Binding[],
  ) {
    this.oracleFor = makeOracle(opts.policy, opts.op);
    this.tallies = bindings.map((binding) => checks.map((check) => ({ check, binding, fold: new CheckFold() })));
    this.byName = this.tallies.map((ts) => new Map(ts.map((t) => [t.check.name, t])));
    this.checkIndex = new Map(checks.map((c, k) => [c.name, k]));
  }

  private readonly checkIndex: Map<string, number>;
  /** units with a call that timed out, kept aside for settling (hang-ledger.ts) */
  readonly hangs: HangRecord[] = [];

  /** units judged whose ordinal starts a case (see progress) */
  casesJudged = 0;

  get judged(): number {
    return this.next;
  }

  enqueue(binding: number, pu: PlannedUnit, ord: Ordinal): void {
    for (const c of pu.checks) for (const s of c.slots) this.lastSlot = Math.max(this.lastSlot, s);
    this.queue.push({ binding, pu, ord, lastSlot: this.lastSlot });
  }

  /**
   * Judge units not judged yet whose calls are among the first `done` outcomes, at most `limit` of them; true if
   * such units remain.
   */
  upTo(done: number, limit = Infinity): boolean {
    for (let n = 0; this.next < this.queue.length && this.queue[this.next]!.lastSlot < done; n++) {
      if (n >= limit) return true;
      const { binding, pu, ord } = this.queue[this.next]!;
      this.queue[this.next++] = undefined; // judged: its tensors may go
      if (ord[1] === 0) this.casesJudged++;
      this.unit(binding, pu, ord);
      this.observe(pu);
      this.plan.release(pu.checks.flatMap((c) => c.slots));
    }
    return false;
  }

  private unit(binding: number, pu: PlannedUnit, ord: Ordinal): void {
    const { plan, opts, oracleFor } = this;
    const tallies = this.byName[binding];
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
    const input = pu.unit.case.input;
    const dt = input.dtype;
    // A unit with a call that timed out is kept aside, not folded: whether the whole evaluation would have sent that
    // call depends on the timeouts before it in every share (hang-ledger.ts).
    const hung = pu.checks.flatMap((c) => c.slots.flatMap((s, i) => (plan.outcome(s).kind === 'timeout' ? [c.probes[i].input] : [])));
    const record: HangRecord | undefined = hung.length
      ? { binding, ord, dtype: dt, hung: [...new Set(hung)].map((x) => ({ rank: x.shape.length, size: sizeOf(x.shape) })), checks: [] }
      : undefined;
    if (record) this.hangs.push(record);
    for (const { check, slots, probes } of pu.checks) {
      const t = tallies.get(check.name)!;
      const f = t.fold;
      const started = performance.now();
      f.planned++;
      let j: Judgement;
      try {
        j = isOutcomeCheck(check)
          ? check.judgeAll(allProbes, allOutcomes)
          : check.judge(pu.unit, slots.map((s) => plan.outcome(s)), ctx, probes);
      } catch (err) {
        // A harness bug on one case must not lose the others: record it where a person will see it.
        j = { status: 'unjudged', detail: `harness error while judging: ${(err as Error).message}` };
      }
      if (j.status === 'unjudged') {
        // A case whose call the budget left unmade was not run, however the check words it: said so, and counted
        // apart from what the candidate did (CheckFold.unjudge reads the words).
        const cut = (isOutcomeCheck(check) ? allOutcomes : slots.map((s) => plan.outcome(s))).find(isBudgetOutcome);
        if (cut?.kind === 'not-run') j = { status: 'unjudged', detail: `not run: ${cut.reason}` };
      }
      if (record) {
        const touched = isOutcomeCheck(check) || slots.some((s) => plan.outcome(s).kind === 'timeout');
        record.checks.push({ check: this.checkIndex.get(check.name)!, touched, timeoutFamily: check.family === 'timeout', j: recorded(j, () => counterexample(pu.unit, (j as Extract<Judgement, { status: 'fail' }>).evidence, check.family as Family, opts), { size: sizeOf(input.shape), rank: input.shape.length, ord }) });
        f.ms += performance.now() - started;
        continue;
      }
      switch (j.status) {
        case 'pass':
          f.pass(dt);
          if (j.errors) f.stats.add(j.errors);
          break;
        case 'fail': {
          const fj = j;
          f.fail(dt, { size: sizeOf(input.shape), rank: input.shape.length, ord }, fj.detail, fj.raised, causeOf(fj), () => counterexample(pu.unit, fj.evidence, check.family as Family, opts));
          if (j.errors) f.stats.add(j.errors);
          break;
        }
        case 'rejected': f.reject(dt, ord, j.detail); break;
        case 'unjudged': f.unjudge(ord, j.detail); break;
      }
      f.ms += performance.now() - started;
    }
  }

  /** A plain call on a well-behaved input, for contract inference (each distinct call once). */
  private observe(pu: PlannedUnit): void {
    const { unit, domains: d } = pu;
    // logsumexp reduces the axes away: an output cannot be read as another axis rule's softmax-shaped result
    if (this.opts.op === 'logsumexp') return;
    // A swept axis (axis-arg, or coerce-2d's split passed as an argument) is no fixed rule to infer from.
    if (unit.binding.rule === 'axis-arg' || (unit.binding.rule === 'coerce-2d' && unit.args.axis !== undefined) || d.nan || d.infinity || d.overflow || d.underflow || d.empty) return;
    const slot = this.plan.find(unit.case.input, unit.args);
    if (slot === undefined || this.observed.has(slot)) return;
    this.observed.add(slot);
    const o = this.plan.outcome(slot);
    if (o.kind === 'ok') this.inference.add(unit.case.input, o.output, this.opts.profile, this.oracleFor, this.opts.op === 'log-softmax');
  }
}

/** A judgement as a hang record keeps it: plain data (it may travel in a shard's report). */
function recorded(j: Judgement, build: () => Counterexample, key: { size: number; rank: number; ord: Ordinal }): RecordedJudgement {
  const stats = (errors: Parameters<StatsFold['add']>[0] | undefined) => {
    if (!errors) return {};
    const s = new StatsFold();
    s.add(errors);
    return { stats: s.toJSON() };
  };
  switch (j.status) {
    case 'pass': return { status: 'pass', ...stats(j.errors) };
    case 'fail': return { status: 'fail', entry: { ...key, detail: j.detail, ...(j.raised !== undefined ? { raised: j.raised } : {}), counterexample: build() }, cause: causeOf(j), ...stats(j.errors) };
    case 'rejected': return { status: 'rejected', detail: j.detail };
    case 'unjudged': return { status: 'unjudged', detail: j.detail };
  }
}

function toCheckResult(t: Tally, opts: Pick<EvaluationOptions, 'profile'>): CheckResult {
  const { check, binding, fold: f } = t;
  const judged = f.passed + f.failed + f.rejected;
  const cases = { planned: f.planned, run: judged, passed: f.passed, failed: f.failed, rejected: f.rejected, errors: f.unjudged, ...(f.outOfBudget ? { outOfBudget: f.outOfBudget } : {}) };
  const base = {
    name: check.name,
    family: check.family as Family,
    contract: { rule: binding.rule, policy: binding.policy, claimed: binding.claimed },
    cases,
    stats: f.stats.summary(),
    ms: Math.round(f.ms),
  };
  const flushed = base.stats?.flushedSubnormals ?? 0;
  // Flush-to-zero is a property of the implementation worth knowing even where the profile allows it; it is kept
  // out of the ULP figures, so it is stated here with its largest value.
  const flushNote = flushed
    ? `flushes ${flushed} tiny result${flushed === 1 ? '' : 's'} to zero, the largest ${fmtExact(base.stats?.largestFlushed ?? 0)} (allowed by the ${opts.profile.name} profile; not in the ULP figures)`
    : '';
  if (f.failed > 0) {
    // An exception on an ordinary input is a symptom of its own, not this family's defect: diagnose it as an
    // exception (diagnoseExceptionsOnce then says it once for every family it blocks).
    const first = (f.other ?? f.raisedBest)!;
    const counts = `(${f.failed} of ${f.planned} cases)`;
    // Every check's diagnose reads the smallest failure (the first); the fold keeps just that one.
    const diagnosis = f.other
      ? `${check.diagnose([{ unit: undefined as unknown as Unit, detail: f.other.detail }])}${f.raisedBest ? `; it also raised ${f.raisedBest.raised} on ${f.raised} case${f.raised === 1 ? '' : 's'}` : ''}`
      : first.detail;
    return {
      ...base,
      verdict: 'fail',
      diagnosis: `${diagnosis} ${counts}`,
      counterexample: first.counterexample,
      ...(f.other ? {} : { [EXCEPTION]: first.raised }),
    };
  }
  if (f.planned === 0) {
    return { ...base, verdict: 'skip', diagnosis: 'no case in this run falls in this check\'s domain' };
  }
  if (f.passed === 0 && f.unjudged === 0 && f.rejected > 0) {
    // Rejected is never a pass (DESIGN.md): nothing was shown to conform, and nothing failed. `skip` already means
    // "not applicable, with the reason", which every reporter and the gate handle.
    return {
      ...base,
      verdict: 'skip',
      diagnosis: `not applicable: all ${f.rejected} case${f.rejected === 1 ? '' : 's'} rejected with a clear error outside the supported domain (e.g. ${f.firstRejected!.detail})`,
    };
  }
  if (judged === 0 || (f.passed === 0 && f.unjudged > 0)) {
    // The first case's reason; said to be the first when the others' reasons differ from it.
    const mixed = f.otherMixed || (f.outOfBudget > 0 && f.unjudged > f.outOfBudget);
    const why = `${f.firstUnjudged?.detail ?? f.firstRejected?.detail ?? 'nothing could be judged'}${mixed ? ` (the first of ${f.unjudged}; the others differ)` : ''}`;
    // Cases lost to the candidate's own hangs are reported once, under `timeout`; here they are not run, not failed.
    if (f.passed === 0 && f.unjudgedAllHang) {
      return { ...base, verdict: 'skip', diagnosis: `not run: ${f.unjudged} case${f.unjudged === 1 ? '' : 's'} timed out or were not sent after repeated timeouts (see timeout)` };
    }
    // (Here no case passed, and some were not judged: the rejected-only and empty checks returned above.)
    // Every case is another check's finding (the call crashed, returned the wrong shape, or was wrong in plain C order
    // for a layout): that check judges it, and this one has nothing of its own to say; not "could not judge".
    if (f.unjudgedAllDeferred) {
      return { ...base, verdict: 'skip', diagnosis: `not judged on its own: its ${f.unjudged === 1 ? "1 case is another check's finding" : `${f.unjudged} cases are other checks' findings`} (${why})` };
    }
    return { ...base, verdict: 'error', diagnosis: `no case could be judged: ${why}` };
  }
  const notes = [
    f.rejected ? `${f.rejected} rejected with a clear error` : '',
    flushNote,
    // The budget's share apart: it is the run's limit, not something the candidate did.
    f.outOfBudget ? `${f.outOfBudget} not run (the time budget ran out)` : '',
    f.unjudged > f.outOfBudget ? `${f.unjudged - f.outOfBudget} not judged (${otherUnjudged(f)})` : '',
  ].filter(Boolean);
  return {
    ...base,
    verdict: 'pass',
    diagnosis: `conforms on ${f.passed} of ${f.planned} cases${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

/**
 * Why the cases the budget did not cut were not judged: their one detail when they share it; otherwise the first's,
 * said to be the first (a diagnosis must not give one case's cause for all of them).
 */
function otherUnjudged(f: CheckFold): string {
  const d = (f.firstOther?.detail ?? 'not judged').replace(/^not judged: /, '');
  return f.otherMixed ? `the first: ${d}; the others differ` : d;
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
  for (const { check, fold: f } of tallies) {
    // How a call ended (crash, timeout, ...) says nothing about values: a dtype conforms by passing a judging check.
    if (!isOutcomeCheck(check)) for (const dt of f.passedByDtype.keys()) passed.add(dt);
    for (const dt of [...f.passedByDtype.keys(), ...f.rejectedByDtype.keys()]) seen.add(dt);
    // The smallest failure of each dtype gives its cause, as a walk over the failures smallest first would.
    const byDtype = [...f.failCauseByDtype.entries()].sort(([, a], [, b]) => a.size - b.size || a.rank - b.rank || a.ord[0] - b.ord[0] || a.ord[1] - b.ord[1]);
    for (const [dt, { cause }] of byDtype) {
      seen.add(dt);
      const families = failing.get(dt) ?? new Map<string, string>();
      if (!families.has(check.name)) families.set(check.name, cause);
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
