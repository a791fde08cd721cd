// Issue 13 item 10: a library row's expectations hold for the platform they were verified on. Elsewhere (another
// library version, other kernel-selecting CPU features) a changed outcome is a finding about that platform.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { currentCpu, libraryVersions, platformDifferences } from '../harness/platform.js';
import { cli } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
import { PYTHON } from './helpers/python.js';

describe('platform records', () => {
  it('reads the CPU model and only the kernel-selecting flags', () => {
    const cpu = currentCpu('processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8480+\nflags\t\t: fpu sse4_2 avx2 avx512f avx512_fp16 amx_tile amx_bf16 mmx\n');
    expect(cpu).toEqual({ model: 'Intel(R) Xeon(R) Platinum 8480+', features: ['sse4_2', 'avx2', 'avx512f', 'avx512_fp16', 'amx_tile', 'amx_bf16'] });
  });
  it('names each difference: version, features gained and lost', () => {
    const verified = { versions: { tensorflow: '2.21.0' }, cpu: { model: 'AMD EPYC', features: ['avx2', 'avx512_bf16'] } };
    expect(platformDifferences(verified, { versions: { tensorflow: '2.21.0' }, cpu: { model: 'AMD EPYC', features: ['avx2', 'avx512_bf16'] } })).toEqual([]);
    expect(platformDifferences(verified, { versions: { tensorflow: '2.20.0' }, cpu: { model: 'Xeon', features: ['avx2', 'avx512_fp16', 'amx_tile'] } })).toEqual([
      'tensorflow 2.20.0 (verified with 2.21.0)',
      'this CPU (Xeon) has avx512_fp16, amx_tile and lacks avx512_bf16, unlike the verified one (AMD EPYC)',
    ]);
  });
  // applyPlatform's mapping of verdicts is unit-tested beside it (harness/engine/expectations.test.ts).
  it('finds installed Python versions without importing the library', async () => {
    const v = await libraryVersions('python', ['numpy', 'no_such_module_sc'], PYTHON);
    expect(v.numpy).toMatch(/^\d+\.\d+/);
    expect(v.no_such_module_sc).toBeNull();
  });
  it('finds the version of an npm package whose exports map hides its package.json (onnxruntime-web)', async () => {
    const exportsMap = JSON.parse(readFileSync(projectPath('node_modules', 'onnxruntime-web', 'package.json'), 'utf8')).exports;
    expect(Object.keys(exportsMap)).not.toContain('./package.json'); // the case the lookup must get past
    const v = await libraryVersions('javascript', ['onnxruntime-web', 'no-such-package-sc'], PYTHON);
    expect(v['onnxruntime-web']).toMatch(/^\d+\.\d+\.\d+/);
    expect(v['no-such-package-sc']).toBeNull();
  });
});

describe('run: the same unexpected failure on the verified platform and on another', () => {
  async function runWith(verifiedOn: unknown) {
    const dir = mkdtempSync(join(tmpdir(), 'sc-platform-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'naive.py'), 'import numpy as np\nimport json  # stands in for a library\n\ndef softmax(x, axis=-1):\n    e = np.exp(x)\n    return e / np.sum(e, axis=axis, keepdims=True)\n');
    const m = JSON.parse(readFileSync(projectPath('implementations', 'manifest.json'), 'utf8'));
    const base = m.implementations.find((e: { id: string }) => e.id === 'numpy-stable');
    m.implementations = [{ ...base, id: 'lib-row', file: 'naive.py', requires: ['numpy'], installHint: 'pip install numpy', verifiedOn }];
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    const r = await cli(['run', '--manifest', join(dir, 'manifest.json'), '--reports', join(dir, 'out'), '--num-runs', '0']);
    return { code: r.code, report: JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')), stdout: r.stdout };
  }
  it('verified here: the overflow is a regression (exit 1)', async () => {
    const numpy = (await libraryVersions('python', ['numpy'], PYTHON)).numpy;
    const { code, report } = await runWith({ versions: { numpy }, cpu: currentCpu(), date: '2026-12-04' });
    expect(code).toBe(1);
    expect(report.implementations[0].platform).toBeUndefined();
  });
  it('verified elsewhere: the same failure is a platform finding (exit 0), shown as such', async () => {
    const { code, report, stdout } = await runWith({ versions: { numpy: '0.0.1' }, cpu: { model: 'Elsewhere CPU', features: ['amx_tile'] }, date: '2026-01-01' });
    expect(code).toBe(0);
    const impl = report.implementations[0];
    expect(impl.platform.differences[0]).toMatch(/^numpy \d[^ ]* \(verified with 0\.0\.1\)$/);
    expect(impl.platform.findings.some((f: string) => f.startsWith('overflow [last] fails here'))).toBe(true);
    expect(stdout).toContain('Platform findings');
  });
});
