// Runs the real command line (bin/softmax-conformance.js, built by the global setup) and returns how it ended.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectPath } from '../../harness/paths.js';

const exec = promisify(execFile);
export const BIN = projectPath('bin', 'softmax-conformance.js');

/** `timeoutMs`: SIGKILL the command after that long (a hang reads as code null, never as an exit code; a busy loop never runs a SIGTERM handler). */
export async function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 0): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 << 20, timeout: timeoutMs, killSignal: 'SIGKILL' });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
