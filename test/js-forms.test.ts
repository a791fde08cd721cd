// Issue 15 item 3: JavaScript and TypeScript softmax functions as npm packages write them audit without adapters;
// the report says which input form was used, and when no form fits the diagnosis names the forms and the flag.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../harness/model.js';
import { projectPath } from '../harness/paths.js';
import { cli } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fixture = (name: string) => projectPath('test', 'fixtures', 'js-forms', name);
async function audit(target: string, ...more: string[]): Promise<RunReport> {
  const r = await cli(['audit', target, '--contract', 'last', '--num-runs', '60', '--json', ...more]);
  expect([0, 1]).toContain(r.code);
  return JSON.parse(r.stdout) as RunReport;
}
const byName = (r: RunReport) => Object.fromEntries(r.implementations[0].checks.map((c) => [c.name, c]));

describe('JavaScript candidates in the forms npm packages use', () => {
  it('number[] (default export, no :NAME): probed as array; values, overflow and the thread\'s [1000, 5] pass', async () => {
    const r = await audit(fixture('array.mjs'));
    expect(r.implementations[0].convention).toBe('array');
    expect(r.implementations[0].conventionNote).toBeUndefined();
    expect(byName(r).overflow.verdict).toBe('pass');
    expect(byName(r).values.cases.passed).toBeGreaterThan(0);
  });
  it('number[][] of any depth: judged on every rank, empty axes included', async () => {
    const r = await audit(`${fixture('nested.js')}:softmax`);
    expect(r.implementations[0].convention).toBe('array');
    for (const name of ['values', 'axis', 'batch-independence', 'empty']) expect(byName(r)[name].verdict, name).toBe('pass');
  });
  it('a Float32Array function written in TypeScript: transpiled, probed as typed', async () => {
    const r = await audit(`${fixture('float32.ts')}:softmax`, '--dtype', 'float32');
    expect(r.implementations[0].convention).toBe('typed');
    expect(byName(r).values.cases.passed).toBeGreaterThan(0);
    expect(byName(r).values.diagnosis).toMatch(/typed input form carries no shape/);
  });
  it('when no form fits, the report names each attempt and the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-jsforms-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'odd.mjs'), 'export function softmax(x) { return x.values.map((v) => v); }\n');
    const r = await audit(`${join(dir, 'odd.mjs')}:softmax`);
    expect(r.implementations[0].conventionNote).toMatch(/no calling convention gave the softmax of \[1, 2, 3\] when probed \(tensor: TypeError: .*; array: TypeError/);
    expect(r.implementations[0].conventionNote).toContain('--js-input tensor|array|typed|typed-shape|tfjs');
  });
  it('--js-input forces a form', async () => {
    const r = await audit(fixture('array.mjs'), '--js-input', 'tensor');
    expect(r.implementations[0].convention).toBe('tensor');
    expect(byName(r).values.verdict).toBe('fail');
  });
});
