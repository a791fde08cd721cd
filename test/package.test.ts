// The published package works (issue 15): `npm pack`, install the tarball into a fresh project, then use the CLI bin,
// the library API and the vitest matcher from there, as a TypeScript/JavaScript project would.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, projectPath } from '../harness/paths.js';

const exec = promisify(execFile);
const run = async (cmd: string, args: string[], cwd: string) => {
  try {
    const r = await exec(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
    return { code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: `${err.stdout}${err.stderr}` };
  }
};

const TARBALL_LIMIT = 8 << 20;
let dir: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sc-pack-'));
  project = join(dir, 'consumer');
  const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], PROJECT_ROOT);
  expect(packed.code, packed.out).toBe(0);
  tarball = join(dir, `softmax-conformance-${JSON.parse(readFileSync(projectPath('package.json'), 'utf8')).version}.tgz`);
  await run('mkdir', ['-p', project], dir);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  const vitestVersion = JSON.parse(readFileSync(projectPath('node_modules', 'vitest', 'package.json'), 'utf8')).version;
  const installed = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `vitest@${vitestVersion}`], project);
  expect(installed.code, installed.out).toBe(0);
  writeFileSync(join(project, 'good.py'), readFileSync(projectPath('implementations', 'numpy_stable.py')));
  writeFileSync(join(project, 'bad.py'), 'import numpy as np\n\ndef softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / np.sum(e, axis=axis, keepdims=True)\n');
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the npm package, installed from its tarball', () => {
  it('is small: the files field leaves tests, benches and source maps out', () => {
    const size = statSync(tarball).size;
    console.log(`tarball: ${(size / 1e6).toFixed(2)} MB`);
    expect(size).toBeLessThan(TARBALL_LIMIT);
    // the browser test's Chromium (a 60 MB devDependency) never reaches a user's install
    expect(existsSync(join(project, 'node_modules', '@sparticuz'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'softmax-conformance', 'package.json'))).toBe(true);
  });
  it('runs the CLI bin: a broken softmax does not conform (exit 1)', async () => {
    const r = await run('npx', ['softmax-conformance', 'audit', 'bad.py:softmax', '--contract', 'last', '--num-runs', '30'], project);
    expect(r.code).toBe(1);
    expect(r.out).toContain('DOES NOT CONFORM  softmax from bad.py');
    expect(r.out).toMatch(/✗ overflow \[last\]/);
  }, 120_000);
  it('the vitest matcher passes a correct softmax and fails a broken one with the diagnosis; the API has types', async () => {
    writeFileSync(join(project, 'conformance.test.ts'), [
      "import { expect, it } from 'vitest';",
      "import { conformanceSuite } from 'softmax-conformance/vitest';",
      "import { reference, fromNumbers, toNumbers, type RunReport } from 'softmax-conformance';",
      "it('reference', () => { expect(Array.from(toNumbers(reference(fromNumbers('float64', [2], [0, 0]))))).toEqual([0.5, 0.5]); });",
      "it('correct conforms', async () => { await expect('good.py:softmax').toConformTo({ contract: 'last', call: 'x-axis', numRuns: 40 }); }, 120000);",
      "it('broken does not', async () => { await expect('bad.py:softmax').toConformTo({ contract: 'last', call: 'x-axis', numRuns: 40 }); }, 120000);",
      "conformanceSuite('bad.py:softmax', { contract: 'last', call: 'x-axis', numRuns: 40, name: 'suite' });",
      'const typed: RunReport["verdict"] = "pass"; void typed;',
    ].join('\n'));
    const r = await run('npx', ['vitest', 'run', '--reporter=verbose'], project);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✓ .*correct conforms/);
    expect(r.out).toMatch(/× .*broken does not/);
    expect(r.out).toContain('softmax from bad.py does not conform');
    expect(r.out).toMatch(/✗ overflow \[last\]: /);
    // One test per family: overflow fails, values passes, temperature has no case and is skipped (not passed).
    expect(r.out).toMatch(/× .*suite > overflow/);
    expect(r.out).toMatch(/✓ .*suite > values/);
    expect(r.out).toMatch(/↓ .*suite > temperature/);
    // The same file type-checks against the emitted .d.ts files (the matcher's declaration included).
    const tsc = await run(process.execPath, [projectPath('node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--skipLibCheck',
      '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', 'conformance.test.ts'], project);
    expect(tsc.out).toBe('');
    expect(tsc.code).toBe(0);
  }, 180_000);
});
