// The engine: for one implementation, run every applicable check on every unit, sharing calls, and turn the
// judgements into CheckResults (verdict, diagnosis, statistics, smallest counterexample). Expectations from the
// manifest are applied later by the caller: this module only says what happened.
import type { Check, ElementErrorSample, Evidence, JudgeContext, Judgement, Probe } from '../checks/check.js';
import { isOutcomeCheck, type OutcomeCheck } from '../checks/outcome-checks.js';
import type { CheckResult, Counterexample, Family } from '../model.js';
import type { Policy } from '../contracts.js';
import { logsumexpOracle } from '../../reference/logsumexp.js';
import { oracle } from '../../reference/softmax.js';
import type { Op } from '../ops.js';
import { resultDType } from '../tensor/dtype.js';
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
  /** may an exception on this input count as a rejection rather than a failure? */
  mayReject(input: Tensor): boolean;
  /** builds the reproduction snippet for a counterexample */
  snippet(e: Evidence): string;
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
      const results = judge.tallies.flatMap((tallies) => [...tallies.values()].map((t) => toCheckResult(t, opts)));
      return { results, planned, observations: observe(planned, plan), calls: plan.size, oracle: judge.oracleFor };
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
        case 'pass': t.passed++; if (j.errors) t.errors.push(j.errors); break;
        case 'fail': t.failed.push({ unit: pu.unit, judgement: j }); if (j.errors) t.errors.push(j.errors); break;
        case 'rejected': t.rejected.push({ unit: pu.unit, detail: j.detail }); break;
        case 'unjudged': t.unjudged.push({ unit: pu.unit, detail: j.detail }); break;
      }
    }
  }
}

function newTally(check: Check | OutcomeCheck, binding: Binding): Tally {
  return { check, binding, planned: 0, passed: 0, failed: [], rejected: [], unjudged: [], errors: [], ms: 0 };
}

/** Plain calls on well-behaved inputs, for contract inference (one per distinct call). */
function observe(units: PlannedUnit[], plan: CallPlan): Observation[] {
  const seen = new Set<number>();
  const out: Observation[] = [];
  for (const { unit, domains: d } of units) {
    if (unit.binding.rule === 'axis-arg' || d.nan || d.infinity || d.overflow || d.underflow || d.empty) continue;
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
  if (t.failed.length > 0) {
    const failures = smallestFirst(t.failed);
    const first = failures[0];
    return {
      ...base,
      verdict: 'fail',
      diagnosis: `${check.diagnose(failures.map((f) => ({ unit: f.unit, detail: f.judgement.detail })))} (${t.failed.length} of ${t.planned} cases)`,
      counterexample: counterexample(first.unit, first.judgement.evidence, opts),
    };
  }
  if (t.planned === 0) {
    return { ...base, verdict: 'skip', diagnosis: 'no case in this run falls in this check\'s domain' };
  }
  if (judged === 0 || (t.passed === 0 && t.unjudged.length > 0)) {
    const why = t.unjudged[0]?.detail ?? t.rejected[0]?.detail ?? 'nothing could be judged';
    if (t.passed === 0 && t.unjudged.length === 0) {
      // Rejected is never a pass (DESIGN.md): nothing was shown to conform, and nothing failed.
      return { ...base, verdict: 'skip', diagnosis: `rejected: every case raised a clear error outside the supported domain (e.g. ${why})` };
    }
    return { ...base, verdict: 'error', diagnosis: `no case could be judged: ${why}` };
  }
  const flushed = base.stats?.flushedSubnormals ?? 0;
  const notes = [
    t.rejected.length ? `${t.rejected.length} rejected with a clear error` : '',
    // Flush-to-zero is a property of the implementation worth knowing even where the profile allows it.
    flushed ? `flushes ${flushed} subnormal result${flushed === 1 ? '' : 's'} to zero (allowed by the ${opts.profile.name} profile)` : '',
    t.unjudged.length ? `${t.unjudged.length} not judged (${t.unjudged[0].detail.replace(/^not judged: /, '')})` : '',
  ].filter(Boolean);
  return {
    ...base,
    verdict: 'pass',
    diagnosis: `conforms on ${t.passed} of ${t.planned} cases${notes.length ? `; ${notes.join('; ')}` : ''}`,
  };
}

function counterexample(unit: Unit, e: Evidence, opts: EvaluationOptions): Counterexample {
  return {
    caseId: unit.key,
    input: encodeTensorJson(e.input),
    args: { ...(e.args.axis !== undefined ? { axis: e.args.axis } : {}), ...(e.args.theta !== undefined ? { theta: e.args.theta } : {}) },
    ...(e.actual ? { actual: encodeTensorJson(e.actual) } : {}),
    ...(e.expected ? { expected: encodeTensorJson(e.expected) } : {}),
    ...(e.error ? { error: e.error } : {}),
    ...(unit.case.seed !== undefined ? { seed: unit.case.seed } : {}),
    ...(unit.case.path !== undefined ? { path: unit.case.path } : {}),
    python: opts.snippet(e),
  };
}
