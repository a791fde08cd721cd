// End to end: wall time of `softmax-conformance run` with default settings (every implementation, every contract it
// claims, goldens), reports written to a scratch folder, and the number of cases it checked
// (report.accounting.run). The build is not timed: `npm run conformance` = `npm run build` + this command.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../harness/paths.js';
import { load, median, timedRun } from './lib.js';

export interface EndToEndRun {
  wallMs: number;
  exitCode: number | null;
  casesRun: number;
  casesPlanned: number;
  implementations: number;
  verdict: string;
  load: [number, number, number];
}

export interface EndToEnd {
  command: string;
  runs: EndToEndRun[];
  medianWallMs: number;
  casesRun: number;
  goalMs: number;
}

export async function benchEndToEnd(opts: { runs: number; log?: (s: string) => void }): Promise<EndToEnd> {
  const log = opts.log ?? (() => undefined);
  const runs: EndToEndRun[] = [];
  for (let r = 0; r < opts.runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'sc-bench-run-'));
    try {
      const l = load();
      const t = await timedRun(process.execPath, [projectPath('bin', 'softmax-conformance.js'), 'run', '--reports', dir], { cwd: projectPath() });
      if (t.exitCode === 2) throw new Error(`run exited 2: ${t.stderr.slice(-2000)}`);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
        verdict: string;
        accounting: { planned: number; run: number };
        implementations: unknown[];
      };
      runs.push({
        wallMs: t.ms,
        exitCode: t.exitCode,
        casesRun: report.accounting.run,
        casesPlanned: report.accounting.planned,
        implementations: report.implementations.length,
        verdict: report.verdict,
        load: l,
      });
      log(`  run ${r + 1}/${opts.runs}: ${(t.ms / 1000).toFixed(1)} s, ${report.accounting.run} cases, exit ${t.exitCode}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    command: 'node bin/softmax-conformance.js run --reports <scratch dir>',
    runs,
    medianWallMs: median(runs.map((r) => r.wallMs)),
    casesRun: median(runs.map((r) => r.casesRun)),
    goalMs: 60_000,
  };
}
