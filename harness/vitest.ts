// softmax-conformance inside a project's own vitest suite (package export "softmax-conformance/vitest"):
//   import 'softmax-conformance/vitest';                     // registers the matcher
//   await expect('src/softmax.py:softmax').toConformTo({ contract: 'last' });
//   conformanceSuite('src/softmax.mjs:softmax', { contract: 'last' });   // one vitest test per check family
// The target is what `audit` takes (FILE:FUNCTION) or a self-contained JavaScript function (see audit in index.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { audit, type AuditApiOptions, type SoftmaxFunction } from './index.js';
import { CHECK_FAMILIES, type CheckResult, type RunReport } from './model.js';

/** What the matcher and the suite audit: a target (`FILE:FUNCTION`, Python or JavaScript) or a JavaScript function. */
export type Target = string | SoftmaxFunction;

/** The failure message a person reads: the verdict, then each failing check's diagnosis and counterexample. */
export function describeFailure(report: RunReport): string {
  const impl = report.implementations[0];
  if (report.verdict === 'error' || report.verdict === 'incomplete') return `could not judge ${impl?.title ?? 'the candidate'}: ${report.verdictReason ?? impl?.statusDetail ?? ''}`;
  const failing = impl.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'xpass');
  const lines = [`${impl.title} does not conform (${failing.length} failing check${failing.length === 1 ? '' : 's'})`];
  for (const c of failing) {
    lines.push(`  ✗ ${c.family} [${c.contract.rule}]: ${c.diagnosis}`);
    const script = c.counterexample?.python ?? c.counterexample?.javascript;
    if (c.counterexample && script) lines.push(`    counterexample ${c.counterexample.caseId}; reproduce with:`, ...script.split('\n').map((l) => `      ${l}`));
  }
  return lines.join('\n');
}

export async function toConformTo(this: { isNot?: boolean }, received: Target, options: AuditApiOptions): Promise<{ pass: boolean; message: () => string }> {
  const report = await audit(received, options);
  // Not judged (a function name that does not exist, nothing in the domain) is neither a pass nor a failure:
  // `.not.toConformTo` must not pass on a typo, so it throws whichever way the assertion is put.
  if (report.verdict === 'error' || report.verdict === 'incomplete') throw new Error(describeFailure(report));
  const pass = report.verdict === 'pass';
  return {
    pass,
    message: () => (pass ? `expected ${report.implementations[0].title} not to conform to ${options.contract}, but it does` : describeFailure(report)),
  };
}

expect.extend({ toConformTo });

declare module 'vitest' {
  interface Assertion<T> {
    /** Audits the target (FILE:FUNCTION or a self-contained function) under the contract; passes when it conforms. */
    toConformTo(options: AuditApiOptions): Promise<void>;
  }
  interface AsymmetricMatchersContaining {
    toConformTo(options: AuditApiOptions): void;
  }
}

/**
 * One `describe` with one test per check family, so the project's JUnit shows each family. The audit runs once
 * (beforeAll); a family with no case in its domain is skipped with the reason, never passed.
 */
export function conformanceSuite(target: Target, options: AuditApiOptions & { name?: string; timeoutMs?: number }): void {
  const name = options.name ?? `softmax conformance (${options.contract}): ${typeof target === 'string' ? target : target.name || 'function'}`;
  describe(name, () => {
    let report: RunReport;
    beforeAll(async () => {
      report = await audit(target, options);
    }, options.budgetMs ?? 180_000);
    it('can be judged', () => {
      expect(report.verdict, report.verdictReason).not.toBe('error');
    });
    for (const family of CHECK_FAMILIES) {
      it(family, (ctx) => {
        const checks: CheckResult[] = report.implementations[0]?.checks.filter((c) => c.family === family) ?? [];
        if (checks.length === 0 || checks.every((c) => c.verdict === 'skip')) {
          ctx.skip(checks[0]?.diagnosis ?? `no ${family} check ran`);
          return;
        }
        const bad = checks.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'xpass');
        if (bad.length) expect.fail(describeFailure({ ...report, implementations: [{ ...report.implementations[0], checks: bad }] }));
      });
    }
  });
}
