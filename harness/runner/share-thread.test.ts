// The experimental judging of --jobs shares on worker threads (SOFTMAX_CONFORMANCE_SHARE_THREADS=1, off by default):
// the report is the one the main thread writes, field by field apart from timings, with failures (their smallest,
// shrunk counterexamples and counts), passes, statistics, contract inference and the coverage map.
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../model.js';
import { projectPath } from '../paths.js';
import { cli } from '../../test/helpers/cli.js';

function comparable(r: RunReport): unknown {
  const strip = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(strip);
    if (o && typeof o === 'object') return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'ms' && k !== 'createdAt').map(([k, v]) => [k, strip(v)]));
    return o;
  };
  return strip(r);
}

async function audit(args: string[], threads: boolean): Promise<RunReport> {
  const r = await cli(['audit', projectPath('test', 'fixtures', 'broken', 'no_max_shift.py:softmax'), '--json', '--contract', 'last', '--num-runs', '60', '--seed', '11', '--shrink-seconds', '30', ...args], { SOFTMAX_CONFORMANCE_SHARE_THREADS: threads ? '1' : '0' });
  if (r.code !== 1) throw new Error(`audit ${args.join(' ')}: exit ${r.code} (a failing candidate exits 1)\n${r.stderr}`);
  return JSON.parse(r.stdout) as RunReport;
}

describe('--jobs shares judged on worker threads', () => {
  it('write the report the main thread writes (no_max_shift: overflow and underflow failures, shrunk)', async () => {
    const [here, threaded] = await Promise.all([audit(['--jobs', '3'], false), audit(['--jobs', '3'], true)]);
    const checks = threaded.implementations[0].checks;
    expect(checks.filter((c) => c.verdict === 'fail').map((c) => c.name)).toEqual(expect.arrayContaining(['overflow', 'underflow']));
    // every case judged once: the shares on threads counted too
    expect(Math.max(...checks.map((c) => c.cases.planned))).toBe(Math.max(...here.implementations[0].checks.map((c) => c.cases.planned)));
    expect(comparable(threaded)).toEqual(comparable(here));
  }, 240_000);
});
