// The library API's options, checked as the command line checks its flags: a TypeScript project that passes
// `numRuns: -5`, `timeoutMs: 0` or `contract: 'rows'` gets a UsageError naming the option, not a run judged with a
// silently different setting or an internal TypeError from deep inside the engine.
import { AXIS_RULES, POLICIES } from './contracts.js';
import { UsageError } from './errors.js';
import { isDType } from './tensor/dtype.js';
import { CALL_STYLES } from './worker/types.js';

function integer(name: string, v: unknown, min: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new UsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
}

function oneOf(name: string, v: unknown, allowed: readonly string[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string' || !allowed.includes(v)) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
}

/** A list option: absent, or a non-empty array of strings (an empty one would mean "all" to one reader, "none" to another). */
function strings(name: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length === 0 || v.some((s) => typeof s !== 'string' || s === '')) {
    throw new UsageError(`${name} must be a non-empty array of non-empty strings, got ${JSON.stringify(v)}`);
  }
}

function dtypes(v: unknown): void {
  strings('dtypes', v);
  for (const d of (v as string[] | undefined) ?? []) {
    if (!isDType(d) || d === 'bool') throw new UsageError(`dtypes: unknown dtype ${JSON.stringify(d)}`);
  }
}

/** The options audit() and run() share: the policy, the case count and seed, the limits. */
function common(o: Record<string, unknown>): void {
  oneOf('policy', o.policy, POLICIES);
  integer('numRuns', o.numRuns, 0);
  integer('seed', o.seed, 0);
  integer('timeoutMs', o.timeoutMs, 1);
  integer('budgetMs', o.budgetMs, 1);
  integer('memoryMb', o.memoryMb, 64);
}

/** audit()'s options (index.ts AuditApiOptions), before anything starts. */
export function checkAuditOptions(o: Record<string, unknown>): void {
  if (o === null || typeof o !== 'object') throw new UsageError('audit options must be an object with at least { contract }');
  if (o.contract === undefined) throw new UsageError(`contract is required: one of ${AXIS_RULES.join(', ')}`);
  oneOf('contract', o.contract, AXIS_RULES);
  oneOf('call', o.call, CALL_STYLES);
  common(o);
  integer('shrinkSeconds', o.shrinkSeconds, 1);
  dtypes(o.dtypes);
  strings('pythonPath', o.pythonPath);
}

/** run()'s options (index.ts RunApiOptions), before anything starts. */
export function checkRunOptions(o: Record<string, unknown>): void {
  if (o === null || typeof o !== 'object') throw new UsageError('run options must be an object');
  common(o);
  integer('parallel', o.parallel, 1);
  strings('only', o.only);
}
