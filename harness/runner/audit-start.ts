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
import type { CallStyle, Framework, ImplementationWorker, StartFailure } from '../worker/types.js';
import { frameworkLacks, parseFrameworkDevice, withFramework } from './framework-option.js';
import type { SandboxMode } from '../worker/sandbox.js';
import type { SubjectSpec } from './subject.js';
import { classifyTarget, isPythonTarget, pipHint } from './target.js';
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
  /** Python candidates: folders put first on the import path (--python-path) */
  pythonPath?: string[];
  /** per-case element budget of the generated cases (default DEFAULT_MAX_ELEMENTS) */
  maxElements?: number;
  /** Python candidates: the tensor type they get (default numpy) and its device (default cpu) */
  framework?: Framework;
  device?: string;
}

export interface AuditHead {
  spec: SubjectSpec;
  worker: Promise<ImplementationWorker | StartFailure>;
  /** performance.now() when the audit started: its report's duration counts from here */
  started: number;
}

/**
 * A target (harness/runner/target.ts: FILE.py:FUNCTION, a JavaScript/TypeScript file with :EXPORT, default its
 * default export, or MODULE:FUNCTION for an installed Python module) → a subject spec. pythonPath: folders put
 * first on a Python candidate's import path (--python-path), absolute.
 */
export function parseTarget(target: string, contract: AxisRule, call: CallStyle | undefined, alsoLast: boolean, convention?: string, pythonPath: string[] = []): SubjectSpec {
  const t = classifyTarget(target);
  const common = {
    source: 'audited candidate',
    callStyle: call ?? (contract === 'axis-arg' ? 'x-axis' : 'x') as CallStyle,
    claims: [contract],
    alsoLast,
    expectedFailures: [],
  };
  const paths = pythonPath.map((d) => resolve(d));
  for (let i = 0; i < paths.length; i++) {
    if (!existsSync(paths[i])) throw new UsageError(`--python-path: no such folder: ${pythonPath[i]}`);
  }
  if (t.kind === 'module') {
    return {
      ...common,
      id: target,
      title: `${t.name} from ${t.module}`,
      language: 'python',
      file: '',
      module: t.module,
      functionName: t.name,
      installHint: pipHint(t.module),
      ...(paths.length ? { pythonPath: paths } : {}),
    };
  }
  const file = resolve(t.path);
  if (!existsSync(file)) throw new UsageError(`no such file: ${t.path}`);
  if (paths.length && t.language !== 'python') throw new UsageError('--python-path applies to Python candidates only');
  const name = t.name ?? 'default';
  return {
    ...common,
    id: `${t.path}:${name}`,
    title: `${name} from ${t.path}`,
    language: t.language,
    file,
    functionName: name,
    ...(t.language === 'javascript' && convention ? { convention } : {}),
    ...(paths.length ? { pythonPath: paths } : {}),
  };
}

/**
 * The generated cases' arbitrary: the audit's dtypes, ranks 0 to 6, mostly at most 512 elements, some long slices and
 * large batches within the element budget, every memory layout (for JavaScript, those a typed array can express).
 * By default every dtype for a Python candidate; a JavaScript one has no bfloat16 type (it would get raw bits), so
 * bfloat16 only when asked.
 */
export function auditCaseOptions(opts: { dtypes?: DType[]; maxElements?: number; target?: string; framework?: Framework }): CaseOptions {
  const python = opts.target === undefined || isPythonTarget(opts.target);
  const lacks = frameworkLacks(opts.framework);
  const dtypes = opts.dtypes ?? (python ? AUDIT_DTYPES.filter((d) => !lacks.includes(d)) : AUDIT_DTYPES.filter((d) => d !== 'bfloat16'));
  return { dtypes, maxRank: 6, maxSize: 512, maxElements: opts.maxElements ?? DEFAULT_MAX_ELEMENTS, layouts: python ? LAYOUT_KINDS : JS_LAYOUT_KINDS };
}

export function startAudit(opts: AuditStartOptions): AuditHead {
  const started = performance.now();
  const { framework, device } = parseFrameworkDevice(opts.framework, opts.device);
  const spec = withFramework(parseTarget(opts.target, opts.contract, opts.call, opts.alsoLast, opts.convention, opts.pythonPath), framework, device);
  const worker = startWorker(workerSpecOf(spec, { ...opts, python: defaultPython(opts.python) }));
  // Must not count as an unhandled rejection before runAudit awaits it.
  worker.catch(() => undefined);
  return { spec, worker, started };
}

