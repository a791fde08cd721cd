// Issue 16: an audit split across candidate workers (--jobs N) or across machines (--shard K/N, then `merge`) writes
// the report of the unsplit audit, field by field, apart from timings and the command line: the same verdicts,
// counts, statistics, smallest (shrunk) counterexamples, contract inference and dtype summary.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../harness/model.js';
import { projectPath } from '../harness/paths.js';
import { cli } from './helpers/cli.js';

const made: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'sc-audit-split-'));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** The report without what may differ between equal audits: durations, creation time, command line. */
function comparable(r: RunReport): unknown {
  const strip = (o: unknown): unknown => {
    if (Array.isArray(o)) return o.map(strip);
    if (o && typeof o === 'object') {
      return Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'ms' && k !== 'createdAt' && k !== 'command').map(([k, v]) => [k, strip(v)]));
    }
    return o;
  };
  return strip(r);
}

async function audit(target: string, args: string[]): Promise<RunReport> {
  const r = await cli(['audit', projectPath('test', 'fixtures', target.startsWith('hangs_') ? 'hangs' : 'broken', target), '--json', ...args]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`audit ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as RunReport;
}

// no_max_shift: overflow and underflow failures in generated cases (shrunk), passes elsewhere, integer inputs.
// dies_on_3d: an exception that blocks several families (diagnosed once), and rank-dependent inference.
// hangs_on_3d: every worker learns the hang by itself (two timeouts each), yet the timeout family, the passes of the
// other outcome families and the "not run" counts are the whole audit's (engine/hang-ledger.ts). Its smallest
// timeout is a fixed case, so no time-limited shrinking of a hang makes the runs differ.
const TARGETS = [
  ['no_max_shift.py:softmax', ['--contract', 'last', '--num-runs', '80', '--seed', '11', '--shrink-seconds', '30']],
  ['dies_on_3d.py:softmax', ['--contract', 'last', '--num-runs', '80', '--seed', '11', '--shrink-seconds', '30']],
  ['hangs_on_3d.py:softmax', ['--contract', 'last', '--num-runs', '120', '--seed', '5', '--dtype', 'float64', '--timeout', '1500']],
] as const;
for (const [target, common] of TARGETS) {
  describe(`${target}: split audits report what the whole audit reports`, () => {
    let whole: RunReport;
    let jobs2: RunReport;
    let shards: RunReport[];
    let merged: RunReport;
    let mergeCode: number;
    beforeAll(async () => {
      // side by side: the four audits spend most of their time waiting on candidate processes (crash restarts,
      // deliberate timeouts), and equal reports must not depend on running alone
      [whole, jobs2, ...shards] = await Promise.all([
        audit(target, [...common, '--jobs', '1']),
        audit(target, [...common, '--jobs', '2']),
        ...[1, 2].map((k) => audit(target, [...common, '--jobs', '1', '--shard', `${k}/2`])),
      ]);
      const dir = tmp();
      const files = shards.map((s, k) => {
        const f = join(dir, `shard-${k + 1}.json`);
        writeReport(f, s);
        return f;
      });
      const out = tmp();
      const m = await cli(['merge', files[1], files[0], '--reports', out, '--reporters', 'json']);
      mergeCode = m.code;
      merged = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    }, 600_000);

    it('is a failing audit with a shrunk generated counterexample (so the comparison covers them)', () => {
      expect(whole.verdict).toBe('fail');
      const checks = whole.implementations[0].checks;
      expect(checks.some((c) => c.verdict === 'fail')).toBe(true);
      expect(checks.some((c) => c.verdict === 'pass')).toBe(true);
      expect(whole.implementations[0].inferenceSummary).toBeTruthy();
      // the coverage map counts the cases of every share: a split that lost or doubled some would differ below
      expect(whole.implementations[0].coverage?.reached).toBeGreaterThan(0);
      if (target.startsWith('no_max_shift')) expect(checks.some((c) => c.counterexample?.caseId.startsWith('generated/'))).toBe(true);
      if (target.startsWith('hangs_')) {
        const timeout = checks.find((c) => c.name === 'timeout')!;
        expect(timeout.verdict).toBe('fail');
        expect(timeout.counterexample?.caseId.startsWith('generated/')).toBe(false);
        expect(checks.some((c) => /not run: the candidate timed out on \d+ rank-3 inputs/.test(c.diagnosis))).toBe(true);
      }
    });

    it('--jobs 2 gives the --jobs 1 report', () => {
      expect(comparable(jobs2)).toEqual(comparable(whole));
    });

    it('each shard judges only its share, and says so', () => {
      expect(shards.map((s) => s.settings.shard)).toEqual(['1/2', '2/2']);
      const planned = shards.map((s) => s.accounting.planned);
      expect(planned[0] + planned[1]).toBe(whole.accounting.planned);
      expect(planned[0]).toBeGreaterThan(0);
      expect(shards[0].implementations[0].shardState).toBeDefined();
      expect(whole.implementations[0].shardState).toBeUndefined();
    });

    it('merge of the shards (in any order) gives the unsharded report', () => {
      expect(mergeCode).toBe(1);
      expect(merged.settings.shard).toBeUndefined();
      expect(merged.implementations[0].shardState).toBeUndefined();
      expect(comparable(merged)).toEqual(comparable(whole));
    });
  });
}

describe('merge of audit shards', () => {
  it('refuses an incomplete set of shards (exit 2): part of an audit is not the audit', async () => {
    const s = await audit('correct.py:softmax', ['--contract', 'last', '--num-runs', '10', '--shard', '1/3']);
    const dir = tmp();
    const f = join(dir, 's1.json');
    writeReport(f, s);
    const m = await cli(['merge', f, '--reports', tmp(), '--reporters', 'json']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/2\/3, 3\/3 missing/);
  }, 120_000);

  it('refuses shards judged under another contract or timeout (exit 2, naming the option): together they are no audit', async () => {
    const base = ['--num-runs', '10', '--shard'];
    const [s1, lastS2, firstS2, slowS2] = await Promise.all([
      audit('correct.py:softmax', ['--contract', 'last', ...base, '1/2']),
      audit('correct.py:softmax', ['--contract', 'last', ...base, '2/2']),
      audit('correct.py:softmax', ['--contract', 'first', ...base, '2/2']),
      audit('correct.py:softmax', ['--contract', 'last', '--timeout', '3000', ...base, '2/2']),
    ]);
    expect(s1.settings.judging).toMatchObject({ contract: 'last', timeoutMs: 10000 });
    const dir = tmp();
    const file = (name: string, r: RunReport) => {
      writeReport(join(dir, name), r);
      return join(dir, name);
    };
    const f1 = file('s1.json', s1);
    const ok = await cli(['merge', f1, file('last.json', lastS2), '--reports', tmp(), '--reporters', 'json']);
    expect(ok.code, ok.stderr).toBe(0);
    for (const [name, r, option] of [['first.json', firstS2, '--contract ("last" vs "first")'], ['slow.json', slowS2, '--timeout (10000 vs 3000)']] as const) {
      const m = await cli(['merge', f1, file(name, r), '--reports', tmp(), '--reporters', 'json']);
      expect(m.code, name).toBe(2);
      expect(m.stderr).toContain(`merge: the audit shards were not judged alike, so together they are not one run: ${option}`);
    }
    // The same name, other code: the file changed between the two shards' jobs.
    const edited = structuredClone(lastS2);
    edited.implementations[0].target!.sha256 = '0'.repeat(64);
    const m = await cli(['merge', f1, file('edited.json', edited), '--reports', tmp(), '--reporters', 'json']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('merge: the audit shards audited different code');
  }, 120_000);
});

function writeReport(file: string, r: RunReport): void {
  writeFileSync(file, JSON.stringify(r));
}
