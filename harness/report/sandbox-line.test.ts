import { describe, expect, it } from 'vitest';
import { renderAuditText } from '../cli/audit-text.js';
import { renderConsole } from './console.js';
import { sampleReport } from './fixtures.js';
import { renderHtml } from './html.js';
import { sandboxBanner } from './sandbox-banner.js';
import { sandboxLine } from './sandbox-line.js';

const SANDBOXED = { sandboxed: true, tool: 'bubblewrap 0.8.0', namespaces: ['user', 'pid', 'net', 'ipc', 'uts', 'mount', 'cgroup'], uid: 1000, gid: 1000, tmpfsMiB: { tmp: 256, shm: 256, home: 8 } };
const NONE = { sandboxed: false, reason: 'bubblewrap (bwrap) is not installed; install it with `apt-get install bubblewrap` <x-inject>' };

describe('the trust level of a report', () => {
  it('says which sandbox, its namespaces, uid and tmpfs caps', () => {
    expect(sandboxLine(SANDBOXED)).toBe(
      'sandbox: bubblewrap 0.8.0; namespaces user, pid, net, ipc, uts, mount, cgroup; uid 1000; no network; private /tmp 256 MiB, /dev/shm 256 MiB, HOME 8 MiB (in the memory cap)',
    );
  });

  it('says NOT SANDBOXED, and why, on the first line of run and audit', () => {
    const report = { ...sampleReport(), sandbox: NONE };
    expect(renderConsole(report, { color: false }).split('\n')[0]).toMatch(/^NOT SANDBOXED: .*apt-get install bubblewrap/);
    expect(renderAuditText({ ...report, kind: 'audit' }, { color: false }).split('\n')[0]).toMatch(/^NOT SANDBOXED: /);
  });

  it('puts an escaped banner at the top of the HTML report', () => {
    const html = renderHtml({ ...sampleReport(), sandbox: NONE });
    expect(html).toContain('data-sandbox="none"');
    expect(html).toContain('NOT SANDBOXED');
    expect(html).not.toContain('<x-inject>');
    expect(html).toContain('&lt;x-inject&gt;');
    expect(html.indexOf('data-testid="sandbox"')).toBeLessThan(html.indexOf('data-testid="verdict"'));
    expect(sandboxBanner(SANDBOXED)).toContain('data-sandbox="bwrap"');
  });
});
