// The trust level of a report in one line: the sandbox the candidates ran in, or NOT SANDBOXED and why. The first
// line of `audit` and `run` on the console, and the HTML report's banner.
import type { SandboxInfo } from '../worker/sandbox.js';

export function sandboxLine(info: SandboxInfo | undefined): string {
  if (!info) return 'sandbox: not recorded (a report made before the field existed)';
  if (!info.sandboxed) return `NOT SANDBOXED: candidates ran with the harness's own rights (${info.reason ?? 'no sandbox'})`;
  const t = info.tmpfsMiB;
  const tmpfs = t ? `; private /tmp ${t.tmp} MiB, /dev/shm ${t.shm} MiB, HOME ${t.home} MiB (in the memory cap)` : '';
  return `sandbox: ${info.tool ?? 'sandboxed'}; namespaces ${(info.namespaces ?? []).join(', ')}; uid ${info.uid}; no network${tmpfs}`;
}
