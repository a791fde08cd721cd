// Parsing and validating option values shared by the commands; bad values are usage errors (exit 2).
import { AXIS_RULES, isAxisRule, isPolicy, POLICIES, type AxisRule, type Policy } from '../contracts.js';
import { Option } from 'commander';
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import type { ReporterName } from '../report/index.js';

// Copies of report/index.ts's reporter names and tolerance/profiles.ts's default profile: registering the commands
// (and --help) needs them, and importing them would load every reporter and the tolerance code for any command.
// options.test.ts keeps them equal to the originals.
export const REPORTER_NAMES = ['json', 'markdown', 'html', 'junit'] as const satisfies readonly ReporterName[];
export const DEFAULT_PROFILE = 'strict';

export function parseIntOption(name: string, min = 0): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
}

export function parsePolicy(v: string): Policy {
  if (!isPolicy(v)) throw new UsageError(`--policy must be one of ${POLICIES.join(', ')}, got "${v}"`);
  return v;
}

export function parseRule(v: string): AxisRule {
  if (!isAxisRule(v)) throw new UsageError(`--contract must be one of ${AXIS_RULES.join(', ')}, got "${v}"`);
  return v;
}

export function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be K/N with 1 <= K <= N, got "${v}"`);
  return { index, count };
}

/**
 * A comma-separated option value. An empty one is bad usage, not "the default": `--reporters "$R"` or `--only "$IDS"`
 * with the variable unset would otherwise write no reports, or run every row, and say nothing.
 */
export function listOf(flag: string): (v: string) => string[] {
  return (v) => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new UsageError(`${flag} needs at least one comma-separated value, got "${v}"`);
    return items;
  };
}

// A copy of worker/sandbox.ts's modes, for the same reason as above (sandbox.ts loads the worker's code).
const SANDBOX_MODES = ['auto', 'bwrap', 'none'] as const;
export type SandboxModeOption = (typeof SANDBOX_MODES)[number];
export const SANDBOX_HELP = 'where candidates run: auto (bubblewrap when it works here, else NOT SANDBOXED), bwrap, none';
export const REQUIRE_SANDBOX_HELP = 'refuse to run candidates unsandboxed: exit 2 when bubblewrap cannot be had (CI gates, graders)';

export function parseSandboxMode(v: string): SandboxModeOption {
  if (!(SANDBOX_MODES as readonly string[]).includes(v)) throw new UsageError(`--sandbox must be one of ${SANDBOX_MODES.join(', ')}, got "${v}"`);
  return v as SandboxModeOption;
}

/** --sandbox and --require-sandbox as one mode: requiring it is bwrap or exit 2. */
export function sandboxModeOf(o: { sandbox: SandboxModeOption; requireSandbox: boolean }): SandboxModeOption {
  if (!o.requireSandbox) return o.sandbox;
  if (o.sandbox === 'none') throw new UsageError('--require-sandbox contradicts --sandbox none');
  return 'bwrap';
}

/** The exact command line, for the report's provenance. */
export function commandLine(): string {
  return ['softmax-conformance', ...process.argv.slice(2)].map((a) => (/^[\w./:=@,+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/**
 * An option whose default --help shows as `shown`: a path relative to the package rather than this machine's
 * absolute one, a list as it is typed rather than a JSON array.
 */
export function optionWithDefault<T>(flags: string, description: string, value: T, shown: string, parse?: (v: string) => T): Option {
  const o = new Option(flags, description).default(value, shown);
  return parse ? o.argParser(parse) : o;
}

/**
 * Generated cases per candidate worker that audit's default --jobs asks for. A worker is an interpreter to start
 * (0.2-0.5 s of CPU with NumPy, more with a framework): on a few hundred cases a second one costs more than it saves.
 */
export const CASES_PER_JOB = 1000;

/** audit's default --jobs: one candidate worker per CASES_PER_JOB generated cases, at least one, at most one per core. */
export function defaultJobs(numRuns: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, Math.ceil(numRuns / CASES_PER_JOB)));
}

/** --reporters, defaulting to all of them. */
export function reportersOption(description = `comma-separated: ${REPORTER_NAMES.join(', ')}`): Option {
  return optionWithDefault<string[]>('--reporters <names>', description, [...REPORTER_NAMES], REPORTER_NAMES.join(','), listOf('--reporters'));
}
