// The check interface. A check asks for calls (probes), then judges their outcomes for one unit.
// The engine collects the probes of every check, runs each distinct call once, and hands the outcomes back,
// so checks that need the same call (most need the plain one) share it.
import type { ElementErrorSample } from '../tolerance/metrics.js';
import type { Family } from '../model.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CallArgs, CallOutcome } from '../worker/types.js';
import type { Domains } from '../engine/domains.js';
import type { Unit } from '../engine/unit.js';
import type { Policy } from '../contracts.js';
import type { Op } from '../ops.js';
import type { ToleranceProfile } from '../tolerance/profiles.js';

export interface Probe {
  input: Tensor;
  args: CallArgs;
  /** distinguishes deliberate repeats of the same call (determinism) */
  repeat?: number;
}

export interface JudgeContext {
  profile: ToleranceProfile;
  policy: Policy;
  /** the function under test (absent: softmax) */
  op?: Op;
  /** the candidate's language (absent: python): how a memory layout is named to it */
  language?: 'python' | 'javascript';
  domains: Domains;
  /** the correctly rounded result for an input under the unit's reduction axes (cached by the engine) */
  oracle(input: Tensor, axes?: number[]): Tensor;
  /** whether an exception on this input is an acceptable rejection (outside the supported domain) */
  mayReject(input: Tensor): boolean;
}

export type { ElementErrorSample };

export type Judgement =
  | { status: 'pass'; errors?: ElementErrorSample }
  /**
   * detail: one sentence about this case; evidence: the call to show in the counterexample; raised: the exception
   * ("TypeError: ...") when the case failed by raising on an input it must support, which the engine diagnoses once
   * for every family it blocks instead of under each family's own words
   */
  | { status: 'fail'; detail: string; evidence: Evidence; errors?: ElementErrorSample; raised?: string }
  | { status: 'rejected'; detail: string }
  /** could not be judged here (another family owns the problem, e.g. the call timed out) */
  | { status: 'unjudged'; detail: string };

export interface Evidence {
  input: Tensor;
  args: CallArgs;
  actual?: Tensor;
  expected?: Tensor;
  error?: string;
}

export interface Check {
  name: string;
  family: Family;
  /** what the check verifies, for --help and the docs */
  description: string;
  applies(unit: Unit, domains: Domains): boolean;
  probes(unit: Unit): Probe[];
  /** `probes`: what probes(unit) returned when the unit was planned (the engine passes them: building them twice costs) */
  judge(unit: Unit, outcomes: CallOutcome[], ctx: JudgeContext, probes?: Probe[]): Judgement;
  /** one sentence for the report from the failing cases' details (the first is the smallest counterexample) */
  diagnose(failures: { unit: Unit; detail: string }[]): string;
}

export function primaryProbe(unit: Unit): Probe {
  return { input: unit.case.input, args: unit.args };
}
