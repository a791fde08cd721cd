// The HTML report's trust banner: the sandbox the candidates ran in, or NOT SANDBOXED (and why) in a warning box.
// Self-contained (its own inline style) so that it does not depend on the page's stylesheet.
import type { SandboxInfo } from '../worker/sandbox.js';
import { sandboxLine } from './sandbox-line.js';
import { escapeHtml as h } from './text.js';

export function sandboxBanner(info: SandboxInfo | undefined): string {
  const unsandboxed = info?.sandboxed === false;
  const style = unsandboxed
    ? 'border:2px solid #b45309;background:#fffbeb;color:#78350f;font-weight:700'
    : 'border:1px solid #9ca3af;color:#374151';
  const state = info === undefined ? 'unknown' : unsandboxed ? 'none' : 'bwrap';
  return `<p data-testid="sandbox" data-sandbox="${state}" style="${style};border-radius:6px;padding:6px 12px;margin:8px 0">${h(sandboxLine(info))}</p>`;
}
