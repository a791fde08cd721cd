// The sandbox's cost: whole-command time of the same audit (a correct candidate, `--cases` generated inputs) with
// `--sandbox bwrap` and with `--sandbox none`, alternated in one invocation so both see the same machine load.
// Goal (issue 12): the sandbox costs at most 15%.
import { projectPath } from '../harness/paths.js';
import { load, median, timedRun } from './lib.js';

export interface SandboxCost {
  command: string;
  cases: number;
  /** whole-command wall times, ms, in run order */
  sandboxedMs: number[];
  unsandboxedMs: number[];
  loads: [number, number, number][];
  /** median(sandboxed) / median(unsandboxed) - 1 */
  cost: number;
  /** median over runs of each pair's sandboxed / unsandboxed - 1 (pairs ran back to back) */
  pairedCost: number;
  goal: number;
  sandbox: string;
}

const CANDIDATE = 'bench/candidates/correct_softmax.py:softmax';

export async function benchSandboxCost(opts: { runs: number; cases: number; log?: (s: string) => void }): Promise<SandboxCost> {
  const log = opts.log ?? (() => undefined);
  const args = (mode: string) => [
    projectPath('bin', 'softmax-conformance.js'), 'audit', CANDIDATE, '--contract', 'last', '--dtype', 'float64,float32',
    '--num-runs', String(opts.cases), '--seed', '42', '--json', '--sandbox', mode,
  ];
  const sandboxedMs: number[] = [];
  const unsandboxedMs: number[] = [];
  const loads: [number, number, number][] = [];
  let sandbox = '';
  for (let r = 0; r < opts.runs; r++) {
    loads.push(load());
    // Alternate which goes first, so neither side always runs on the warmer caches.
    const order = r % 2 === 0 ? ['bwrap', 'none'] : ['none', 'bwrap'];
    for (const mode of order) {
      const h = await timedRun(process.execPath, args(mode), { cwd: projectPath() });
      if (h.exitCode === 2 || !h.stdout.trim()) throw new Error(`audit --sandbox ${mode} failed (exit ${h.exitCode}): ${h.stderr.slice(-2000)}`);
      const report = JSON.parse(h.stdout) as { sandbox?: { sandboxed: boolean; tool?: string; reason?: string } };
      if (mode === 'bwrap') {
        if (!report.sandbox?.sandboxed) throw new Error('the sandboxed audit did not run sandboxed');
        sandbox = report.sandbox.tool ?? '';
        sandboxedMs.push(h.ms);
      } else unsandboxedMs.push(h.ms);
      log(`  sandbox run ${r + 1}/${opts.runs}: --sandbox ${mode} ${(h.ms / 1000).toFixed(2)} s`);
    }
  }
  const pairs = sandboxedMs.map((s, i) => s / unsandboxedMs[i] - 1);
  return {
    command: `node bin/softmax-conformance.js ${args('bwrap|none').slice(1).join(' ')}`,
    cases: opts.cases,
    sandboxedMs,
    unsandboxedMs,
    loads,
    cost: median(sandboxedMs) / median(unsandboxedMs) - 1,
    pairedCost: median(pairs),
    goal: 0.15,
    sandbox,
  };
}
