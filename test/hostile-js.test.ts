// Issue 12, the JavaScript side of the broker: a JavaScript candidate runs on a thread of its own (js-candidate.mjs),
// apart from the host thread that frames its results and checks its input (js-child.mjs), and every frame the host
// writes carries the harness's seal. Two fixtures attack from inside the candidate's realm what the old single-realm
// child did there: the mutation check (hides_mutation.mjs) and the frames themselves (forges_frames.mjs). Against
// the old js-child.mjs the first is certified (exit 0) and the second's forged frames are taken as its results.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { cli } from './helpers/cli.js';

const FLAGS = ['--contract', 'last', '--shrink-seconds', '1', '--timeout', '5000', '--budget', '60', '--json'];
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function stage(fixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cand-'));
  made.push(dir);
  for (const f of [fixture, 'common.mjs']) copyFileSync(projectPath('test', 'fixtures', 'hostile-js', f), join(dir, f));
  return `${join(dir, fixture)}:softmax`;
}

interface Check {
  name: string;
  verdict: string;
  family: string;
}
interface Report {
  verdict: string;
  implementations: { checks: Check[] }[];
}

async function audit(fixture: string, runs: number) {
  const r = await cli(['audit', stage(fixture), '--num-runs', String(runs), ...FLAGS]);
  return { ...r, report: JSON.parse(r.stdout) as Report };
}

describe('a JavaScript candidate cannot forge its own verdict from its realm', () => {
  test('patching Buffer.compare, JSON.stringify and set(), or undoing the write in a microtask, does not hide an in-place write', async () => {
    const r = await audit('hides_mutation.mjs', 10);
    expect(r.code).toBe(1);
    expect(r.report.verdict).toBe('fail');
    const failing = r.report.implementations[0].checks.filter((c) => c.verdict === 'fail').map((c) => c.family);
    // its values are right: the in-place write is the one thing wrong with it
    expect(failing).toEqual(['mutation']);
  });

  test('its input is a plain ArrayBuffer, as a caller would give it: shared memory is no tell', async () => {
    const r = await audit('shared_tell.mjs', 10);
    expect(r.code).toBe(1);
    expect(r.report.implementations[0].checks.filter((c) => c.verdict === 'fail').map((c) => c.family)).toContain('overflow');
  });

  test('frames written on the result descriptor by the candidate are refused as protocol errors, never results', { timeout: 120_000 }, async () => {
    // every call's process is ended by its forged frame and restarted: few runs keep it short
    const r = await audit('forges_frames.mjs', 2);
    expect(r.code).toBe(1);
    expect(r.report.verdict).toBe('fail');
    expect(r.stdout).toContain("frame without the worker's seal (written by the candidate's own code");
    // after three such deaths the worker is not restarted for every call left: those are "not run", not failures
    expect(r.stdout).toContain('was not started again');
    // and what it computed itself (no max shift) is what is judged, wherever a call got through
    const failing = r.report.implementations[0].checks.filter((c) => c.verdict === 'fail').map((c) => c.family);
    expect(failing).toContain('crash');
  });
});
