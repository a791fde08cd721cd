// What an audit starts before the rest of the harness is loaded: the candidate's worker (a Python start-up and a
// NumPy import, on the other core). The CLI calls startAudit first and imports runner/audit.js while it starts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AxisRule } from '../contracts.js';
import { UsageError } from '../errors.js';
import type { CaseOptions } from '../generators/cases.js';
import { AUDIT_DTYPES } from '../generators/dtype-lists.js';
import type { DType } from '../tensor/dtype.js';
import { DEFAULT_MAX_ELEMENTS } from '../generators/lengths.js';
import { JS_LAYOUT_KINDS, LAYOUT_KINDS } from '../tensor/layout.js';
import { startWorker } from '../worker/index.js';
import { defaultPython } from '../worker/python-worker.js';
import type { CallStyle, ImplementationWorker, StartFailure } from '../worker/types.js';
import type { SandboxMode } from '../worker/sandbox.js';
import type { SubjectSpec } from './subject.js';
import { workerSpecOf } from './worker-spec.js';

export interface AuditStartOptions {
  target: string;
  contract: AxisRule;
  call?: CallStyle;
  alsoLast: boolean;
  numRuns: number;
  seed: number;
  dtypes?: DType[];
  timeoutMs: number;
  memoryMb: number;
  python?: string;
  /** JavaScript candidates: the input form (tensor, array, typed, typed-shape, tfjs) or 'auto' */
  convention?: string;
  /** the sandbox the candidate runs in (default auto) */
  sandbox?: SandboxMode;
  /** per-case element budget of the generated cases (default DEFAULT_MAX_ELEMENTS) */
  maxElements?: number;
}

export interface AuditHead {
  spec: SubjectSpec;
  worker: Promise<ImplementationWorker | StartFailure>;
  /** performance.now() when the audit started: its report's duration counts from here */
  started: number;
}

const JS_EXTENSIONS = ['mjs', 'js', 'cjs', 'ts', 'mts', 'cts'];

/**
 * FILE.py:FUNCTION, or a JavaScript/TypeScript file (.mjs .js .cjs .ts .mts .cts) with :EXPORT (default: its
 * default export) → a subject spec.
 */
export function parseTarget(target: string, contract: AxisRule, call: CallStyle | undefined, alsoLast: boolean, convention?: string): SubjectSpec {
  const m = /^(.*\.(py|mjs|js|cjs|ts|mts|cts))(?::([A-Za-z_$][\w$]*))?$/.exec(target);
  if (!m || (m[2] === 'py' && !m[3])) {
    throw new UsageError(`target must be FILE.py:FUNCTION or FILE.{${JS_EXTENSIONS.join(',')}}[:EXPORT], got "${target}"`);
  }
  const file = resolve(m[1]);
  if (!existsSync(file)) throw new UsageError(`no such file: ${m[1]}`);
  const name = m[3] ?? 'default';
  return {
    id: `${m[1]}:${name}`,
    title: `${name} from ${m[1]}`,
    source: 'audited candidate',
    language: m[2] === 'py' ? 'python' : 'javascript',
    file,
    functionName: name,
    ...(m[2] !== 'py' && convention ? { convention } : {}),
    callStyle: call ?? (contract === 'axis-arg' ? 'x-axis' : 'x'),
    claims: [contract],
    alsoLast,
    expectedFailures: [],
  };
}

/**
 * The generated cases' arbitrary: the audit's dtypes, ranks 0 to 6, mostly at most 512 elements, some long slices and
 * large batches within the element budget, every memory layout (for JavaScript, those a typed array can express).
 * By default every dtype for a Python candidate; a JavaScript one has no bfloat16 type (it would get raw bits), so
 * bfloat16 only when asked.
 */
export function auditCaseOptions(opts: { dtypes?: DType[]; maxElements?: number; target?: string }): CaseOptions {
  const python = opts.target === undefined || /\.py:[^:]*$/.test(opts.target);
  const dtypes = opts.dtypes ?? (python ? [...AUDIT_DTYPES] : AUDIT_DTYPES.filter((d) => d !== 'bfloat16'));
  return { dtypes, maxRank: 6, maxSize: 512, maxElements: opts.maxElements ?? DEFAULT_MAX_ELEMENTS, layouts: python ? LAYOUT_KINDS : JS_LAYOUT_KINDS };
}

export function startAudit(opts: AuditStartOptions): AuditHead {
  const started = performance.now();
  const spec = parseTarget(opts.target, opts.contract, opts.call, opts.alsoLast, opts.convention);
  const worker = startWorker(workerSpecOf(spec, { ...opts, python: defaultPython(opts.python) }));
  // Must not count as an unhandled rejection before runAudit awaits it.
  worker.catch(() => undefined);
  return { spec, worker, started };
}

