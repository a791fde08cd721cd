// An expected failure limited to some input dtypes (manifest `dtypes`): a failure of the same check on another dtype
// is new, so it fails the gate instead of hiding behind the expectation. End to end: a real run of the thread's
// naive quiz solution, whose overflow fails on float inputs as well as on integer ones.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import type { RunReport } from '../harness/model.js';
import { cli } from './helpers/cli.js';
import { tempDirs } from './helpers/temp.js';

const tmp = tempDirs('sc-scoped-');
let code: number;
let report: RunReport;

beforeAll(async () => {
  const manifest = JSON.parse(readFileSync(projectPath('implementations', 'manifest.json'), 'utf8')) as { implementations: Record<string, unknown>[] };
  const quiz = manifest.implementations.find((e) => e.id === 'quiz-axis0-naive')!;
  const row = (id: string, dtypes: string[]) => ({
    ...quiz,
    id,
    expectedFailures: (quiz.expectedFailures as { contract: string; check: string }[]).map((e) => (e.contract === 'last' && e.check === 'overflow' ? { ...e, dtypes } : e)),
  });
  const dir = tmp();
  copyFileSync(projectPath('implementations', quiz.file as string), join(dir, quiz.file as string)); // files are found beside the manifest
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, implementations: [row('quiz-int-only', ['int32']), row('quiz-every-dtype', ['float64', 'float32', 'float16', 'int32', 'int64'])] }));
  const r = await cli(['run', '--manifest', join(dir, 'manifest.json'), '--num-runs', '5', '--reports', join(dir, 'out'), '--reporters', 'json']);
  code = r.code;
  if (code !== 0 && code !== 1) throw new Error(`run exited ${code}: ${r.stderr}`);
  report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as RunReport;
}, 120_000);

const overflowLast = (id: string) => report.implementations.find((i) => i.id === id)!.checks.find((c) => c.name === 'overflow' && c.contract.rule === 'last')!;

describe('an expected failure scoped to input dtypes, in a real run', () => {
  it('expected on int32 only: the float failures fail the gate, with the first float dtype\'s smallest failure', () => {
    const c = overflowLast('quiz-int-only');
    expect(c.verdict).toBe('fail');
    expect(c.diagnosis).toMatch(/^fails on float(64|32|16) inputs( \(and [a-z0-9, ]+\))?, beyond its expected failure on int32 only: .*\((float64|float32|float16)\)/);
    expect(code).toBe(1);
  });
  it('expected on every dtype it fails on: xfail, as an unscoped expectation; the scope is the rows\' only difference', () => {
    const c = overflowLast('quiz-every-dtype');
    expect(c.verdict, c.diagnosis).toBe('xfail');
    const [a, b] = ['quiz-int-only', 'quiz-every-dtype'].map((id) => report.implementations.find((i) => i.id === id)!.checks);
    expect(a.filter((x, k) => x.verdict !== b[k].verdict).map((x) => `${x.name} [${x.contract.rule}]`)).toEqual(['overflow [last]']);
  });
});
