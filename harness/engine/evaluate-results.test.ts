// How the engine turns one check's judgements into its CheckResult (verdict, diagnosis, counts, counterexample), with
// checks written here whose judgements the test chooses: every verdict branch, its wording and counts, what the
// counterexample carries, progress, the distinct calls, and the dtype summary's clauses. Public functions only.
import { describe, expect, it } from 'vitest';
import type { Case } from '../cases/case.js';
import type { Check, Judgement } from '../checks/check.js';
import { primaryProbe } from '../checks/check.js';
import { checksFor, checksNamed } from '../checks/registry.js';
import { logsumexpOracle } from '../../reference/logsumexp.js';
import { emptySample, recordFlush } from '../tolerance/metrics.js';
import { oracle } from '../../reference/softmax.js';
import { resultDType, type DType } from '../tensor/dtype.js';
import { fromNumbers, toNumbers, type Tensor } from '../tensor/tensor.js';
import { getProfile } from '../tolerance/profiles.js';
import type { CallOutcome, CallRequest, ImplementationWorker } from '../worker/types.js';
import { budgetReason } from './budget.js';
import { evaluate, finishEvaluation, foldOf, prepareEvaluation, withShrunkDiagnosis, type EvaluationOptions, type UnitSource } from './evaluate.js';
import { unitsFor, type Binding, type Unit } from './unit.js';

const okOf = (t: Tensor): CallOutcome => ({ kind: 'ok', output: t, numpyDtype: t.dtype, mutated: false, captured: '', ms: 0 });

/** Answers every call with its input (or with `fn`'s outcome), logging the calls. */
function worker(fn: (x: Tensor) => CallOutcome = okOf): ImplementationWorker & { calls: number } {
  const w = {
    calls: 0,
    importOutput: '',
    async call(requests: CallRequest[]): Promise<CallOutcome[]> {
      w.calls += requests.length;
      return requests.map((r) => fn(r.input));
    },
    close: async () => undefined,
  };
  return w;
}

const BINDING: Binding = { rule: 'last', policy: 'ieee', claimed: false, callStyle: 'x-axis' };

/** Case `id` whose first value picks the judgement (see `fake`). */
function caseOf(id: string, values: number[], dtype: DType = 'float64', extra: Partial<Case> = {}): Case {
  return { id, title: id, source: 'adversarial', family: 'ordinary', input: fromNumbers(dtype, [values.length], values), ...extra };
}

/** A check whose judgement of a unit is `pick(first value of the input, unit)`; applies where `applies` says. */
function fake(name: string, pick: (v: number, u: Unit) => Judgement, applies: (u: Unit) => boolean = () => true): Check {
  return {
    name,
    family: 'values',
    description: name,
    applies,
    probes: (u) => [primaryProbe(u)],
    judge: (u, outcomes) => {
      const o = outcomes[0];
      // as the real checks say it: hang-ledger.ts and the verdicts read these words
      if (o.kind === 'timeout') return { status: 'unjudged', detail: `not judged: the call timed out after ${o.limitMs} ms (see timeout)` };
      if (o.kind === 'not-run') return { status: 'unjudged', detail: `not run: ${o.reason}` };
      if (o.kind !== 'ok') return { status: 'unjudged', detail: `not judged: ${o.kind}` };
      return pick(toNumbers(u.case.input)[0], u);
    },
    diagnose: (fs) => `${name} diagnosed: ${fs[0].detail}`,
  };
}

const fail = (u: Unit, detail: string, raised?: string): Judgement => ({
  status: 'fail',
  detail,
  evidence: { input: u.case.input, args: u.args, actual: u.case.input, expected: u.case.input, error: 'E' },
  ...(raised ? { raised } : {}),
});

const OPTS: EvaluationOptions = {
  profile: getProfile('strict'),
  policy: 'ieee',
  mayReject: () => false,
  snippet: (_e, at) => ({ python: `# ${at.family} over ${at.axes.join(',')}` }),
};

async function run(cases: Case[], checks: Check[], opts: Partial<EvaluationOptions> = {}, w = worker(), binding = BINDING) {
  return evaluate(w, [{ binding, units: cases.flatMap((c) => unitsFor(c, binding)) }], checks, { ...OPTS, ...opts });
}

/** By first value: 1 passes, 2 fails (detail names the case), 3 raises, 4 is rejected, 5 is not judged. */
const byValue = (name = 'k') => fake(name, (v, u) => {
  if (v === 1) return { status: 'pass' };
  if (v === 2) return fail(u, `bad: on ${u.case.id}`);
  if (v === 3) return fail(u, `raised E: boom on ${u.case.id}`, 'E: boom');
  if (v === 4) return { status: 'rejected', detail: `rejected ${u.case.id}` };
  return { status: 'unjudged', detail: `not judged: the sky fell on ${u.case.id}` };
});

describe('a failing check', () => {
  it('shows its smallest failure, counts, the contract judged, and what else raised', async () => {
    const cases = [caseOf('p', [1]), caseOf('big', [2, 0, 0]), caseOf('small', [2, 0]), caseOf('r1', [3]), caseOf('r2', [3, 3]), caseOf('rej', [4])];
    const [r] = (await run(cases, [byValue()])).results;
    expect(r.verdict).toBe('fail');
    expect(r.name).toBe('k');
    expect(r.family).toBe('values');
    expect(r.contract).toEqual({ rule: 'last', policy: 'ieee', claimed: false });
    expect(r.cases).toEqual({ planned: 6, run: 6, passed: 1, failed: 4, rejected: 1, errors: 0 });
    expect(r.diagnosis).toBe('k diagnosed: bad: on small; it also raised E: boom on 2 cases (4 of 6 cases)');
    expect(r.counterexample?.caseId).toBe('small');
  });

  it('says "1 case" for a single raise, and an only-raising check quotes the exception', async () => {
    const one = (await run([caseOf('f', [2]), caseOf('r', [3])], [byValue()])).results[0];
    expect(one.diagnosis).toBe('k diagnosed: bad: on f; it also raised E: boom on 1 case (2 of 2 cases)');
    const raising = (await run([caseOf('r', [3]), caseOf('p', [1])], [byValue()])).results[0];
    expect(raising.verdict).toBe('fail');
    expect(raising.diagnosis).toBe('raised E: boom on r (1 of 2 cases)');
    expect(raising.counterexample?.caseId).toBe('r');
    expect(Object.getOwnPropertySymbols(raising)).toEqual([]); // the exception marker stays off the report
  });

  it('two checks failing only by the same exception: the first diagnoses it and names the second', async () => {
    const cases = [caseOf('r', [3]), caseOf('p', [1])];
    const [a, b, c] = (await run(cases, [byValue('a'), byValue('b'), byValue('c')])).results;
    expect(a.diagnosis).toBe('raised E: boom on r; the same exception blocks b, c (1 of 2 cases)');
    expect(b.diagnosis).toBe('blocked by an exception (E: boom), diagnosed under a (1 of 2 cases)');
    expect(c.diagnosis).toBe('blocked by an exception (E: boom), diagnosed under a (1 of 2 cases)');
    for (const r of [a, b, c]) expect(Object.getOwnPropertySymbols(r)).toEqual([]);
    const [x, y] = (await run(cases, [byValue('x'), byValue('y')])).results;
    expect(x.diagnosis).toBe('raised E: boom on r; the same exception blocks y (1 of 2 cases)');
    expect(y.diagnosis).toBe('blocked by an exception (E: boom), diagnosed under x (1 of 2 cases)');
  });

  it('the counterexample carries the unit\'s key, the call\'s arguments, the evidence, the replay data and the snippet', async () => {
    const c = caseOf('gen', [2, 0], 'float64', { seed: 42, path: '3:1' });
    const binding: Binding = { rule: 'axis-arg', policy: 'ieee', claimed: true, callStyle: 'x-theta-axis' };
    const [r] = (await run([c], [byValue()], {}, worker(), binding)).results;
    const cx = r.counterexample!;
    expect(cx.caseId).toBe('gen@axis=0');
    expect(cx.args).toEqual({ axis: 0, theta: 1 });
    expect(cx.input).toEqual(cx.actual);
    expect(cx.expected).toEqual(cx.input);
    expect(cx.error).toBe('E');
    expect(cx.seed).toBe(42);
    expect(cx.path).toBe('3:1');
    expect(cx.python).toBe('# values over 0');
    const plain = (await run([caseOf('plain', [2])], [fake('k', (_v, u) => ({ status: 'fail', detail: 'd', evidence: { input: u.case.input, args: {} } }))])).results[0].counterexample!;
    expect(Object.keys(plain).sort()).toEqual(['args', 'caseId', 'input', 'python']);
    expect(plain.args).toStrictEqual({}); // no `axis: undefined` or `theta: undefined` keys either
  });

  it('a memory layout other than C order is part of the counterexample\'s call, C order is not', async () => {
    const layoutFail = (kind: 'c' | 'f') => fake('k', (_v, u) => ({ status: 'fail', detail: 'd', evidence: { input: u.case.input, args: { axis: -1, layout: { kind } as never } } }));
    expect((await run([caseOf('c', [2])], [layoutFail('f')])).results[0].counterexample!.args).toEqual({ axis: -1, layout: { kind: 'f' } });
    expect((await run([caseOf('c', [2])], [layoutFail('c')])).results[0].counterexample!.args).toEqual({ axis: -1 });
  });

  it('a check that throws while judging loses only that case, with the harness error as its reason', async () => {
    const throwing = fake('k', (v) => {
      if (v === 9) throw new Error('oops');
      return { status: 'pass' };
    });
    const [r] = (await run([caseOf('a', [1]), caseOf('b', [9])], [throwing])).results;
    expect(r.verdict).toBe('pass');
    expect(r.diagnosis).toBe('conforms on 1 of 2 cases; 1 not judged (harness error while judging: oops)');
  });
});

describe('a check that does not fail', () => {
  it('passes with what it could not judge and what was rejected noted', async () => {
    const [r] = (await run([caseOf('a', [1]), caseOf('b', [1]), caseOf('c', [4]), caseOf('d', [5]), caseOf('e', [5])], [byValue()])).results;
    expect(r.verdict).toBe('pass');
    expect(r.cases).toEqual({ planned: 5, run: 3, passed: 2, failed: 0, rejected: 1, errors: 2 });
    // d and e were not judged for different reasons ("the sky fell on d", "... on e"): the first is said to be the first
    expect(r.diagnosis).toBe('conforms on 2 of 5 cases; 1 rejected with a clear error; 2 not judged (the first: the sky fell on d; the others differ)');
    expect(r.counterexample).toBeUndefined();
  });

  it('quotes the one reason of cases not judged when they share it, for all of them', async () => {
    const same = fake('k', (v) => (v === 5 ? { status: 'unjudged', detail: 'not judged: the C-order call is not right either (fail)' } : { status: 'pass' }));
    const [r] = (await run([caseOf('a', [1]), caseOf('b', [5]), caseOf('c', [5]), caseOf('d', [5])], [same])).results;
    expect(r.diagnosis).toBe('conforms on 1 of 4 cases; 3 not judged (the C-order call is not right either (fail))');
    const [e] = (await run([caseOf('b', [5]), caseOf('c', [5])], [same])).results;
    expect(e.diagnosis).toBe('no case could be judged: not judged: the C-order call is not right either (fail)');
  });

  it('a pass beside rejections only notes them', async () => {
    const [r] = (await run([caseOf('a', [1]), caseOf('c', [4])], [byValue()])).results;
    expect(r.verdict).toBe('pass');
    expect(r.diagnosis).toBe('conforms on 1 of 2 cases; 1 rejected with a clear error');
  });

  it('a pass with nothing to note says only how many cases conform', async () => {
    const [r] = (await run([caseOf('a', [1]), caseOf('b', [1])], [byValue()])).results;
    expect(r.diagnosis).toBe('conforms on 2 of 2 cases');
    expect(r.stats).toBeUndefined();
  });

  it('is skipped where no case falls in its domain', async () => {
    const [r] = (await run([caseOf('a', [1])], [fake('k', () => ({ status: 'pass' }), () => false)])).results;
    expect(r.verdict).toBe('skip');
    expect(r.diagnosis).toBe('no case in this run falls in this check\'s domain');
    expect(r.cases.planned).toBe(0);
  });

  it('is skipped, not passed, where every case was rejected (singular and plural)', async () => {
    const [one] = (await run([caseOf('x', [4])], [byValue()])).results;
    expect(one.verdict).toBe('skip');
    expect(one.diagnosis).toBe('not applicable: all 1 case rejected with a clear error outside the supported domain (e.g. rejected x)');
    const [two] = (await run([caseOf('y', [4]), caseOf('x', [4])], [byValue()])).results;
    expect(two.diagnosis).toBe('not applicable: all 2 cases rejected with a clear error outside the supported domain (e.g. rejected y)');
  });

  it("is skipped where every case is another check's finding (it has nothing of its own to say), else an error", async () => {
    const defers = fake('k', (v) => (v === 5 ? { status: 'unjudged', detail: 'not judged: the process crashed (see crash)' } : v === 7 ? { status: 'unjudged', detail: 'not judged: the sky fell' } : { status: 'pass' }));
    const [s] = (await run([caseOf('b', [5]), caseOf('c', [5])], [defers])).results;
    expect(s.verdict).toBe('skip');
    expect(s.diagnosis).toBe("not judged on its own: its 2 cases are other checks' findings (not judged: the process crashed (see crash))");
    const [one] = (await run([caseOf('b', [5])], [defers])).results;
    expect(one.diagnosis).toBe("not judged on its own: its 1 case is another check's finding (not judged: the process crashed (see crash))");
    const [e] = (await run([caseOf('b', [5]), caseOf('c', [7])], [defers])).results;
    expect(e.verdict).toBe('error');
    // with a pass, the deferred cases are a note, as before
    const [p] = (await run([caseOf('a', [1]), caseOf('b', [5])], [defers])).results;
    expect(p.verdict).toBe('pass');
  });

  it('is an error where nothing could be judged, quoting the first reason', async () => {
    const [r] = (await run([caseOf('a', [5]), caseOf('b', [5])], [byValue()])).results;
    expect(r.verdict).toBe('error');
    expect(r.diagnosis).toBe('no case could be judged: not judged: the sky fell on a (the first of 2; the others differ)');
    // rejections and non-judgements with no pass: still an error (nothing was shown to conform)
    const [m] = (await run([caseOf('a', [4]), caseOf('b', [5])], [byValue()])).results;
    expect(m.verdict).toBe('error');
    expect(m.diagnosis).toBe('no case could be judged: not judged: the sky fell on b');
  });
});

describe('the time budget', () => {
  // The call plan answers the calls the budget left unmade with this outcome (call-plan.ts); a stand-in worker
  // gives it for inputs starting with 6, so the engine's accounting is tested apart from the clock.
  const cutAt6 = worker((x) => (toNumbers(x)[0] === 6 ? { kind: 'not-run', reason: budgetReason(60_000) } : okOf(x)));
  // A check that words a missing call in its own way (as layout does: "the C-order call is not right either").
  const ownWords = fake('k', (v, u) => (v === 5 ? { status: 'unjudged', detail: `not judged: the sky fell on ${u.case.id}` } : { status: 'pass' }));
  const reworded: Check = { ...ownWords, judge: (u, o, ctx, p) => (o[0].kind === 'not-run' ? { status: 'unjudged', detail: 'not judged: the C-order call is not right either (unjudged)' } : ownWords.judge(u, o, ctx, p)) };

  it('counts the cases it cut apart from the candidate\'s own, from the outcomes, however the check words them', async () => {
    const cases = [caseOf('a', [1]), caseOf('b', [6]), caseOf('c', [5]), caseOf('d', [6]), caseOf('e', [1])];
    for (const check of [ownWords, reworded]) {
      const [r] = (await run(cases, [check], {}, cutAt6)).results;
      expect(r.verdict).toBe('pass');
      expect(r.cases).toEqual({ planned: 5, run: 2, passed: 2, failed: 0, rejected: 0, errors: 3, outOfBudget: 2 });
      // the first case not judged is one the budget cut: the other reason is the first case's the budget did not cut
      expect(r.diagnosis).toBe('conforms on 2 of 5 cases; 2 not run (the time budget ran out); 1 not judged (the sky fell on c)');
    }
  });

  it('quotes the candidate\'s own reason when the first case not judged is one of them', async () => {
    const [r] = (await run([caseOf('a', [1]), caseOf('c', [5]), caseOf('b', [6])], [ownWords], {}, cutAt6)).results;
    expect(r.diagnosis).toBe('conforms on 1 of 3 cases; 1 not run (the time budget ran out); 1 not judged (the sky fell on c)');
  });

  it('says only the budget when it is the one reason', async () => {
    const [r] = (await run([caseOf('a', [1]), caseOf('b', [6])], [ownWords], {}, cutAt6)).results;
    expect(r.diagnosis).toBe('conforms on 1 of 2 cases; 1 not run (the time budget ran out)');
    expect(r.cases.outOfBudget).toBe(1);
  });

  it('where nothing could be judged, says the first reason is the first when the budget cut some and not others', async () => {
    const [mixed] = (await run([caseOf('b', [6]), caseOf('c', [5])], [ownWords], {}, cutAt6)).results;
    expect(mixed.verdict).toBe('error');
    expect(mixed.diagnosis).toBe(`no case could be judged: not run: ${budgetReason(60_000)} (the first of 2; the others differ)`);
    const [cut] = (await run([caseOf('b', [6]), caseOf('d', [6])], [ownWords], {}, cutAt6)).results;
    expect(cut.diagnosis).toBe(`no case could be judged: not run: ${budgetReason(60_000)}`);
  });

  it('leaves no count where it cut nothing', async () => {
    const [r] = (await run([caseOf('a', [1]), caseOf('c', [5])], [ownWords], {}, cutAt6)).results;
    expect(r.cases).not.toHaveProperty('outOfBudget');
  });
});

describe('a candidate that hangs', () => {
  const hangs = (x: Tensor): CallOutcome => (x.shape[0] === 3 ? { kind: 'timeout', limitMs: 5 } : okOf(x));
  const timeoutCheck = checksNamed(['timeout'])[0];

  it('fails timeout once per hung class; other checks read the lost cases as not run, not as errors', async () => {
    const cases = [caseOf('a', [1, 1, 1]), caseOf('b', [1, 1, 2]), caseOf('c', [1, 1, 3]), caseOf('d', [1, 1, 4])];
    const { results } = await run(cases, [byValue(), timeoutCheck as Check], {}, worker(hangs));
    const [k, t] = results;
    expect(t.verdict).toBe('fail');
    expect(t.cases.failed).toBe(2);
    expect(t.cases.errors).toBe(2);
    expect(k.verdict).toBe('skip');
    expect(k.diagnosis).toBe('not run: 4 cases timed out or were not sent after repeated timeouts (see timeout)');
  });

  it('a single lost case is said in the singular; with a pass beside it the check passes', async () => {
    const [k1] = (await run([caseOf('a', [1, 1, 1])], [byValue(), timeoutCheck as Check], {}, worker(hangs))).results;
    expect(k1.diagnosis).toBe('not run: 1 case timed out or were not sent after repeated timeouts (see timeout)');
    const [k2] = (await run([caseOf('a', [1, 1, 1]), caseOf('b', [1])], [byValue(), timeoutCheck as Check], {}, worker(hangs))).results;
    expect(k2.verdict).toBe('pass');
    expect(k2.diagnosis).toBe('conforms on 1 of 2 cases; 1 not judged (the call timed out after 5 ms (see timeout))');
  });
});

describe('the evaluation', () => {
  it('counts distinct calls and reports progress in cases (an axis sweep\'s units are one case)', async () => {
    const binding: Binding = { rule: 'axis-arg', policy: 'ieee', claimed: true, callStyle: 'x-axis' };
    const seen: [number, number][] = [];
    const w = worker();
    const grid2 = (id: string, v: number): Case => ({ ...caseOf(id, [1]), input: fromNumbers('float64', [1, 2], [1, v]) });
    const cases = [grid2('a', 2), grid2('b', 3), grid2('c', 4)];
    const r = await run(cases, [byValue(), byValue('k2')], { onProgress: (d, t) => seen.push([d, t]) }, w, binding);
    expect(r.calls).toBe(12); // three cases, axes 0, -2, 1, -1 (each axis passed two ways: two calls)
    expect(w.calls).toBe(12);
    expect(seen.at(-1)).toEqual([3, 3]);
    expect(seen.every(([d, t]) => t === 3 && d <= 3)).toBe(true);
  });

  it('orders failures of a share by the cases\' ordinals in the whole list', async () => {
    const cases = [caseOf('late', [2], 'float64', { ordinal: 7 }), caseOf('early', [2], 'float64', { ordinal: 3 })];
    expect((await run(cases, [byValue()])).results[0].counterexample?.caseId).toBe('early');
    const plain = [caseOf('first', [2]), caseOf('second', [2])];
    expect((await run(plain, [byValue()])).results[0].counterexample?.caseId).toBe('first');
  });

  it('a shrunk counterexample written on the fold replaces the shown one and its sentence, keeping the counts', async () => {
    const checks = [byValue('a'), byValue('b')];
    const r = await run([caseOf('x', [2, 0, 0]), caseOf('y', [1])], checks);
    const f = foldOf(r.partial, checks.length, 1);
    const shrunkCx = { ...f.other!.counterexample, caseId: 'x-shrunk' };
    f.other!.shrunk = { counterexample: shrunkCx, diagnosis: 'smaller: on [2] (1 of 1 cases)' };
    const again = finishEvaluation(r.partial, [BINDING], checks, OPTS).results;
    expect(again[1].counterexample?.caseId).toBe('x-shrunk');
    expect(again[1].diagnosis).toBe('smaller: on [2] (1 of 2 cases)');
    expect(again[0].counterexample?.caseId).toBe('x');
    expect(again[0].diagnosis).toBe('a diagnosed: bad: on x (1 of 2 cases)');
  });
});

describe('the summary by input dtype', () => {
  /** fails on int32 and int64 inputs with the cause `cause(dtype)`; passes the rest */
  const intFails = (name: string, cause: (d: DType) => string) => fake(name, (_v, u) => (u.case.input.dtype.startsWith('int') ? fail(u, `${cause(u.case.input.dtype)}: on ${u.case.id}`) : { status: 'pass' }));

  it('dtypes failing alike share a clause; families are listed with their distinct causes', async () => {
    const cases = [caseOf('f', [1]), caseOf('i', [1], 'int32'), caseOf('j', [1], 'int64')];
    const { dtypeSummary } = await run(cases, [intFails('a', () => 'wraps'), intFails('b', () => 'wraps')]);
    expect(dtypeSummary).toBe('float inputs: conforms · int32, int64: fails a, b (wraps); if integer inputs do not concern you, audit with --dtype float64');
  });

  it('dtypes failing differently get their own clauses; an integer dtype that passes is listed as conforming', async () => {
    // listed in an order the summary must not keep: dtypes are named float64, float32, float16, int32, int64, bool
    const cases = [caseOf('g', [1], 'float32'), caseOf('h', [1], 'float16'), caseOf('f', [1]), caseOf('j', [1], 'int64'), caseOf('i', [1], 'int32'), caseOf('b', [1], 'bool')];
    const { dtypeSummary } = await run(cases, [intFails('a', (d) => `wraps in ${d}`)]);
    expect(dtypeSummary).toBe('float inputs, bool: conforms · int32: fails a (wraps in int32) · int64: fails a (wraps in int64); if integer inputs do not concern you, audit with --dtype float64,float32,float16');
    const int32Only = fake('a', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, `w: on ${u.case.id}`) : { status: 'pass' }));
    const withInt64 = await run([caseOf('b', [1], 'bool'), caseOf('j', [1], 'int64'), caseOf('f', [1]), caseOf('i', [1], 'int32')], [int32Only]);
    expect(withInt64.dtypeSummary).toBe('float inputs, int64, bool: conforms · int32: fails a (w); if integer inputs do not concern you, audit with --dtype float64');
  });

  it('several causes of one dtype are listed, each once', async () => {
    const cases = [caseOf('f', [1]), caseOf('i', [1], 'int32')];
    const { dtypeSummary } = await run(cases, [intFails('a', () => 'wraps'), intFails('b', () => 'overflows'), intFails('c', () => 'wraps')]);
    expect(dtypeSummary).toMatch(/^float inputs: conforms · int32: fails a, b, c \(wraps; overflows\);/);
  });

  it('none where only integer inputs were seen, or where a float dtype never passed a judging check', async () => {
    const ints = [caseOf('i', [1], 'int32'), caseOf('j', [2], 'int32')];
    expect((await run(ints, [intFails('a', () => 'w')])).dtypeSummary).toBeUndefined();
    const rejectsF32 = fake('a', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, 'w: on i') : u.case.input.dtype === 'float32' ? { status: 'rejected', detail: 'no f32' } : { status: 'pass' }));
    expect((await run([caseOf('f', [1]), caseOf('g', [1], 'float32'), caseOf('i', [1], 'int32')], [rejectsF32])).dtypeSummary).toBeUndefined();
  });

  it('a raised exception is its cause; a detail without ": on " gives no cause', async () => {
    const raises = fake('a', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, 'x', 'E: m') : { status: 'pass' }));
    const bare = fake('b', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, 'no cause here') : { status: 'pass' }));
    const leading = fake('c', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, ': on [1]') : { status: 'pass' }));
    expect((await run([caseOf('f', [1]), caseOf('i', [1], 'int32')], [leading])).dtypeSummary).toMatch(/^float inputs: conforms · int32: fails c;/);
    const cases = [caseOf('f', [1]), caseOf('i', [1], 'int32')];
    expect((await run(cases, [raises])).dtypeSummary).toMatch(/^float inputs: conforms · int32: fails a \(raises E: m\);/);
    expect((await run(cases, [bare])).dtypeSummary).toMatch(/^float inputs: conforms · int32: fails b;/);
  });

  it('the smallest failure of a dtype gives its cause', async () => {
    const bySize = fake('a', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, `size ${u.case.input.shape[0]}: on ${u.case.id}`) : { status: 'pass' }));
    const cases = [caseOf('f', [1]), caseOf('i3', [1, 1, 1], 'int32'), caseOf('i1', [1], 'int32'), caseOf('i2', [1, 1], 'int32')];
    expect((await run(cases, [bySize])).dtypeSummary).toMatch(/int32: fails a \(size 1\)/);
  });

  it('none where a float dtype only passed outcome checks (a dtype conforms by passing a judging check)', async () => {
    const timeoutCheck = checksNamed(['timeout'])[0] as Check;
    const intOnly = fake('a', (_v, u) => (u.case.input.dtype === 'int32' ? fail(u, 'w: on i') : { status: 'pass' }), (u) => u.case.input.dtype === 'int32');
    const cases = [caseOf('f', [1]), caseOf('i', [1], 'int32')];
    expect((await run(cases, [intOnly, timeoutCheck])).dtypeSummary).toBeUndefined();
  });
});

describe('contract inference (what the plain calls say about the axis rule)', () => {
  const softmaxLast = (op: 'softmax' | 'log-softmax') => (x: Tensor): CallOutcome =>
    okOf(oracle(x, x.shape.length ? [x.shape.length - 1] : [], { op, policy: 'ieee', outDtype: resultDType(x.dtype) }));
  const grid = (values: number[]) => ({ id: 'g', title: 'g', source: 'adversarial' as const, family: 'ordinary', input: fromNumbers('float64', [2, values.length / 2], values) });
  const ORDINARY = [1, 2, 3, 0.5, -1, 4];
  const infer = async (cases: Case[], binding: Binding, op: 'softmax' | 'log-softmax' | 'logsumexp' = 'softmax', fn: (x: Tensor) => CallOutcome = softmaxLast(op === 'log-softmax' ? op : 'softmax')) =>
    (await run(cases, [byValue()], { op }, worker(fn), binding)).inference;
  const last: Binding = { rule: 'last', policy: 'ieee', claimed: true, callStyle: 'x' };

  it('observes the plain call of an ordinary input, for softmax and for log-softmax', async () => {
    expect((await infer([grid(ORDINARY)], last)).inferred()).toContainEqual({ rule: 'last', ranks: [2] });
    expect((await infer([grid(ORDINARY)], last, 'log-softmax')).inferred()).toContainEqual({ rule: 'last', ranks: [2] });
    expect((await infer([grid(ORDINARY)], { ...last, rule: 'coerce-2d' })).ranks).toEqual(new Set([2]));
    expect((await infer([grid(ORDINARY)], { ...last, callStyle: 'x-axis' })).inferred()).toContainEqual({ rule: 'last', ranks: [2] }); // axis=-1 passed: still a fixed rule
  });

  it('observes nothing of a swept axis, of logsumexp, of a call that raised, or of an input outside the ordinary domain', async () => {
    expect((await infer([grid(ORDINARY)], { ...last, rule: 'axis-arg', callStyle: 'x-axis' })).ranks.size).toBe(0);
    expect((await infer([grid(ORDINARY)], { ...last, rule: 'coerce-2d', callStyle: 'x-axis' })).ranks.size).toBe(0);
    expect((await infer([grid(ORDINARY)], last, 'logsumexp', okOf)).ranks.size).toBe(0);
    const raising = (): CallOutcome => ({ kind: 'raised', type: 'E', message: 'm', traceback: '', captured: '', ms: 0 });
    expect((await infer([grid(ORDINARY)], last, 'softmax', raising)).ranks.size).toBe(0);
    for (const odd of [[NaN, 1, 2, 3, 4, 5], [Infinity, 1, 2, 3, 4, 5], [800, 1, 2, 3, 4, 5], [0, -900, 1, 2, 3, 4]]) {
      expect((await infer([grid(odd)], last)).ranks.size, `${odd}`).toBe(0);
    }
    expect((await infer([{ ...grid([]), input: fromNumbers('float64', [2, 0], []) }], last)).ranks.size).toBe(0);
  });
});

describe('a long evaluation (planned in chunks while the worker computes)', () => {
  it('judges every unit exactly once, past the planning chunk and the cap on units planned ahead', async () => {
    const cases = Array.from({ length: 1500 }, (_, i) => caseOf(`c${i}`, [i % 7 === 0 ? 2 : 1, i]));
    const slow = worker();
    const call = slow.call.bind(slow);
    slow.call = async (rs) => {
      await new Promise((r) => setTimeout(r, 1));
      return call(rs);
    };
    const seen: number[] = [];
    const r = await run(cases, [byValue()], { onProgress: (d) => seen.push(d) }, slow);
    expect(r.results[0].cases).toEqual({ planned: 1500, run: 1500, passed: 1285, failed: 215, rejected: 0, errors: 0 });
    expect(r.calls).toBe(1500);
    expect(slow.calls).toBe(1500);
    expect(seen.at(-1)).toBe(1500);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // progress never goes back
  });
});

describe('the calls and the oracle the engine hands the checks', () => {
  it('a deliberate repeat is a call of its own: two calls that differ fail determinism', async () => {
    let n = 0;
    const flaky = (x: Tensor): CallOutcome => {
      const y = oracle(x, [x.shape.length - 1], { op: 'softmax', policy: 'ieee', outDtype: 'float64' });
      const v = Array.from(toNumbers(y));
      v[0] += n++ % 2 ? 2 ** -52 : 0;
      return okOf(fromNumbers('float64', y.shape, v));
    };
    const [r] = (await run([caseOf('d', [1, 2, 3])], checksNamed(['determinism']) as Check[], {}, worker(flaky))).results;
    expect(r.verdict).toBe('fail');
    expect(r.diagnosis).toMatch(/^two identical calls on .* gave different results/);
  });

  it('judges logsumexp against the logsumexp oracle', async () => {
    const right = (x: Tensor): CallOutcome => okOf(logsumexpOracle(x, [x.shape.length - 1]));
    const { results } = await run([caseOf('l', [1, 2, 3]), caseOf('m', [0.5, -4])], checksFor('logsumexp') as Check[], { op: 'logsumexp' }, worker(right));
    expect(results.filter((r) => r.verdict === 'fail').map((r) => `${r.name}: ${r.diagnosis}`)).toEqual([]);
    expect(results.filter((r) => r.verdict === 'pass').length).toBeGreaterThan(0);
  });

  it('sends batches of the size asked for', async () => {
    const sizes: number[] = [];
    const w = worker();
    const call = w.call.bind(w);
    w.call = async (rs) => (sizes.push(rs.length), call(rs));
    await run(Array.from({ length: 20 }, (_, i) => caseOf(`c${i}`, [1, i])), [byValue()], { batchSize: 3 }, w);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('orders the units of a case after the case\'s first, and before the next case', async () => {
    const binding: Binding = { rule: 'axis-arg', policy: 'ieee', claimed: true, callStyle: 'x-axis' };
    // fails on case a's second unit (axis -1) and on case b's first (axis 0): a's comes first in the whole order
    const picky = fake('k', (_v, u) => ((u.case.id === 'a' && u.axis === -1) || (u.case.id === 'b' && u.axis === 0) ? fail(u, `on ${u.key}`) : { status: 'pass' }));
    const [r] = (await run([caseOf('a', [1, 2]), caseOf('b', [1, 3])], [picky], {}, worker(), binding)).results;
    expect(r.counterexample?.caseId).toBe('a@axis=-1');
  });

  it('keeps the statistics of failing judgements too', async () => {
    const withErrors = fake('k', (v, u) => {
      const errors = emptySample(2);
      errors.ulps[0] = v;
      errors.ulps[1] = 1;
      return v === 7 ? { ...fail(u, 'x'), errors } as Judgement : { status: 'pass', errors };
    });
    const [r] = (await run([caseOf('a', [7]), caseOf('b', [0])], [withErrors])).results;
    expect(r.stats?.elements).toBe(4);
    expect(r.stats?.maxUlp).toBe(7);
  });

  it('states the allowed flushes in the plural, with the largest', async () => {
    const flushing = fake('k', () => {
      const errors = emptySample(3);
      recordFlush(errors, 0, 1e-310);
      recordFlush(errors, 1, 3e-310);
      return { status: 'pass', errors };
    });
    const [r] = (await run([caseOf('a', [1])], [flushing])).results;
    expect(r.diagnosis).toMatch(/^conforms on 1 of 1 cases; flushes 2 tiny results to zero, the largest 3(\.\d+)?e-310 \(allowed by the strict profile; not in the ULP figures\)$/);
  });

  it('a shrunk sentence replaces a diagnosis that carries no case count', () => {
    expect(withShrunkDiagnosis('no counts here', 'shrunk: on [1]')).toBe('shrunk: on [1]');
  });

  it('times each check\'s judging, within the evaluation\'s own time (a timed-out unit\'s judging included)', async () => {
    const inner = fake('k', () => ({ status: 'pass' }));
    const busy: Check = {
      ...inner,
      judge: (u, os, ctx) => {
        const t = performance.now();
        while (performance.now() - t < 5);
        return inner.judge(u, os, ctx);
      },
    };
    const hangs = (x: Tensor): CallOutcome => (x.shape[0] === 3 ? { kind: 'timeout', limitMs: 5 } : okOf(x));
    // judged units apart from a timed-out unit: a wrong sign in one path cannot hide behind the other's time
    for (const cases of [[caseOf('a', [1]), caseOf('c', [2])], [caseOf('b', [1, 1, 1])]]) {
      const t0 = performance.now();
      const [r] = (await run(cases, [busy], {}, worker(hangs))).results;
      const wall = performance.now() - t0;
      expect(r.ms).toBeGreaterThanOrEqual(5 * cases.length - 1);
      expect(r.ms).toBeLessThanOrEqual(Math.ceil(wall));
    }
  });
});

describe('hang records within one evaluation', () => {
  const rank1Hangs = (x: Tensor): CallOutcome => (x.shape.length === 1 && x.shape[0] >= 5 ? { kind: 'timeout', limitMs: 5 } : okOf(x));
  const timeoutCheck = () => checksNamed(['timeout'])[0] as Check;
  const crashCheck = () => checksNamed(['crash'])[0] as Check;
  const SIDE = fromNumbers('float64', [2, 2], [1, 2, 3, 4]);
  /** probes a rank-2 tensor of its own besides the unit's input; judges by that call only */
  const side = (name: string, j: (u: Unit) => Judgement): Check => ({
    ...fake(name, () => ({ status: 'pass' })),
    probes: (u) => [{ input: SIDE, args: u.args }],
    judge: (u, [o]) => (o.kind === 'ok' || o.kind === 'crash' ? j(u) : { status: 'unjudged', detail: `not judged: ${o.kind}` }),
  });

  it('no timeout, no record: the timeout family passes every case', async () => {
    const cases = Array.from({ length: 5 }, (_, i) => caseOf(`c${i}`, [1, i]));
    const [, t] = (await run(cases, [byValue(), timeoutCheck()], {}, worker(rank1Hangs))).results;
    expect(t.verdict).toBe('pass');
    expect(t.cases.passed).toBe(5);
  });

  it('a judgement of a timed-out unit keeps its statistics, rejection, or exception', async () => {
    const stats = side('stats', () => {
      const errors = emptySample(1);
      errors.ulps[0] = 3;
      return { status: 'pass', errors };
    });
    const rejects = side('rejects', (u) => ({ status: 'rejected', detail: `no ${u.case.id}` }));
    const raises = side('raises', (u) => fail(u, `raised E: m on ${u.case.id}`, 'E: m'));
    const [s, rj, ra, t] = (await run([caseOf('h', [1, 1, 1, 1, 1])], [stats, rejects, raises, timeoutCheck()], {}, worker(rank1Hangs))).results;
    expect(s.stats?.maxUlp).toBe(3);
    expect(s.verdict).toBe('pass');
    expect(rj.verdict).toBe('skip');
    expect(rj.diagnosis).toMatch(/\(e\.g\. no h\)$/);
    expect(ra.diagnosis).toBe('raised E: m on h (1 of 1 cases)');
    expect(t.verdict).toBe('fail');
    expect(t.counterexample?.caseId).toBe('h');
  });

  it('after a class is given up, a later timeout\'s unit: what its timeout touched is not run, the rest stands', async () => {
    // sizes 1 and 2 return; 8 hangs twice (rank 1 given up from 8 elements), then 5 is sent and hangs too: settled
    // after the two of size 8 (the ledger does not know what returned), it reads as not sent
    const cases = [caseOf('a', [1]), caseOf('b', [1, 1]), caseOf('c', new Array(8).fill(1)), caseOf('d', new Array(8).fill(2)), caseOf('e', new Array(5).fill(1))];
    const crashing = (x: Tensor): CallOutcome => (x === SIDE || x.shape.length === 2 ? { kind: 'crash', exitCode: 1, signal: null, stderr: '' } : rank1Hangs(x));
    // probes the unit's input and SIDE, and passes on SIDE's answer alone: its timeout touched it all the same
    const both: Check = { ...side('both', () => ({ status: 'pass' })), probes: (u) => [primaryProbe(u), { input: SIDE, args: u.args }], judge: () => ({ status: 'pass' }) };
    const [own, untouched, crash, t, b] = (await run(cases, [byValue(), side('side', () => ({ status: 'pass' })), crashCheck(), timeoutCheck(), both], {}, worker(crashing))).results;
    expect(b.cases.passed).toBe(4);
    expect(b.cases.errors).toBe(1);
    expect(t.cases.failed).toBe(2);
    expect(t.cases.errors).toBe(1);
    expect(untouched.cases.passed).toBe(5); // its own call returned: it stands for e
    expect(crash.cases.failed).toBe(5); // another family's own failure stands for e too
    expect(own.cases.errors).toBe(3);
  });
});

describe('planning ahead (a unit planned holds its tensors until judged: memory stays flat)', () => {
  /** n units drawn lazily; `drawn()` says how many were drawn */
  function source(n: number): UnitSource & { drawn: () => number } {
    let drawn = 0;
    function* units() {
      for (let i = 0; i < n; i++) {
        drawn++;
        yield { binding: 0, unit: unitsFor(caseOf(`c${i}`, [1, i]), BINDING)[0], ord: [i, 0] as [number, number] };
      }
    }
    return { bindings: [BINDING], units: units(), total: n, drawn: () => drawn };
  }

  it('plans at most 1024 units ahead of the judging, and says when it can plan no further', () => {
    const src = source(3000);
    const ev = prepareEvaluation(src, [byValue()], OPTS);
    expect(ev.planMore(5000)).toBe(true);
    expect(src.drawn()).toBe(1024);
    expect(ev.planMore(1)).toBe(false);
    expect(src.drawn()).toBe(1024);
  });

  it('plans what is asked below the cap, and says when the units have run out', () => {
    const src = source(10);
    const ev = prepareEvaluation(src, [byValue()], OPTS);
    expect(ev.planMore(4)).toBe(true);
    expect(src.drawn()).toBe(4);
    expect(ev.planMore(100)).toBe(false);
    expect(src.drawn()).toBe(10);
  });

  it('a source planned ahead still judges every unit once', async () => {
    const src = source(1500);
    const ev = prepareEvaluation(src, [byValue()], OPTS);
    ev.planMore(1100);
    const r = await ev.run(worker());
    expect(r.results[0].cases.planned).toBe(1500);
    expect(r.calls).toBe(1500);
  });
});
