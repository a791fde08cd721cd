// Shared by the checks' unit tests (harness/checks/*.test.ts): a unit of one case, the context a check judges it in,
// and an `ok` outcome, with no worker. Lives here, not in harness/, so the build does not ship it.
import type { Case } from '../../harness/cases/case.js';
import type { JudgeContext } from '../../harness/checks/check.js';
import type { AxisRule } from '../../harness/contracts.js';
import { domainsOf } from '../../harness/engine/domains.js';
import { makeOracle } from '../../harness/engine/evaluate.js';
import { unitsFor, type Unit } from '../../harness/engine/unit.js';
import type { Op } from '../../harness/ops.js';
import type { MemoryLayout } from '../../harness/tensor/layout.js';
import type { Tensor } from '../../harness/tensor/tensor.js';
import { getProfile } from '../../harness/tolerance/profiles.js';
import type { CallOutcome } from '../../harness/worker/types.js';

/** The first unit of an ordinary case of `input` under `rule` (default last), called as f(x). */
export function unitOf(input: Tensor, o: { rule?: AxisRule; layout?: MemoryLayout } = {}): Unit {
  const c: Case = { id: 'test/x', title: 'x', source: 'adversarial', family: 'ordinary', input, ...(o.layout ? { layout: o.layout } : {}) };
  return unitsFor(c, { rule: o.rule ?? 'last', policy: 'ieee', claimed: true, callStyle: 'x' })[0];
}

/** The strict profile, the IEEE policy and the correctly rounded oracle of `op`; no input may be rejected. */
export function ctxOf(unit: Unit, o: { op?: Op; language?: 'python' | 'javascript' } = {}): JudgeContext {
  const oracle = makeOracle('ieee', o.op ?? 'softmax');
  return {
    profile: getProfile('strict'),
    policy: 'ieee',
    ...(o.op ? { op: o.op } : {}),
    ...(o.language ? { language: o.language } : {}),
    domains: domainsOf(unit),
    oracle: (input, axes = unit.axes) => oracle(input, axes),
    mayReject: () => false,
  };
}

/** A call that returned `output` (its own dtype as NumPy's name), the input unchanged unless `extra` says otherwise. */
export function ok(output: Tensor, extra: Partial<Extract<CallOutcome, { kind: 'ok' }>> = {}): CallOutcome {
  return { kind: 'ok', output, numpyDtype: output.dtype, mutated: false, captured: '', ms: 0, ...extra };
}

/** A call that raised `type` with `message` (no traceback). */
export function raised(type: string, message: string): CallOutcome {
  return { kind: 'raised', type, message, traceback: '', captured: '', ms: 0 };
}
