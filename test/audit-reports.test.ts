// `audit --reports DIR` writes the same four files as `run`, from the same reporters.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { loadReport } from '../harness/report/json.js';
import { cli } from './helpers/cli.js';

it('audit --reports DIR writes report.json, summary.md, report.html and junit.xml', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sc-audit-reports-'));
  try {
    const target = `${projectPath('test', 'fixtures', 'broken', 'no_max_shift.py')}:softmax`;
    const r = await cli(['audit', target, '--contract', 'last', '--num-runs', '20', '--shrink-seconds', '2', '--reports', join(dir, 'out')]);
    expect(r.code, r.stderr).toBe(1);
    const files = ['report.json', 'summary.md', 'report.html', 'junit.xml'].map((f) => join(dir, 'out', f));
    for (const f of files) expect(existsSync(f), f).toBe(true);
    expect(r.stdout).toContain(`reports: ${files.join(', ')}`);
    const report = loadReport(files[0]); // schema-validated
    expect(report.kind).toBe('audit');
    expect(report.verdict).toBe('fail');
    expect(readFileSync(files[1], 'utf8')).toContain('no_max_shift');
    expect(readFileSync(files[2], 'utf8')).toMatch(/<details class="impl" id="impl-0"[^>]*data-verdict="fail" open>/);
    expect(readFileSync(files[3], 'utf8')).toMatch(/<failure /);
    const json = await cli(['audit', target, '--contract', 'last', '--num-runs', '5', '--shrink-seconds', '1', '--json', '--reports', join(dir, 'j'), '--reporters', 'junit']);
    expect(JSON.parse(json.stdout).kind).toBe('audit');
    expect(existsSync(join(dir, 'j', 'junit.xml'))).toBe(true);
    expect(existsSync(join(dir, 'j', 'report.json'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
