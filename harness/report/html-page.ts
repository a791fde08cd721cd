// The shell of every self-contained HTML page the harness writes (report and comparison): inline CSS, no script,
// and a Content-Security-Policy that forbids scripts and every network fetch, as a second line of defence behind
// escaping (an escaping bug still could not run code or phone home).
import { escapeHtml } from './text.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

// Verdict colours always come with the verdict word: colour is a hint, never the only signal.
const CSS = `
:root { color-scheme: light; --pass:#1a7f37; --pass-bg:#dafbe1; --fail:#b42318; --fail-bg:#ffe4e0; --xfail:#8a6100;
  --xfail-bg:#fff4cc; --xpass:#8b2fc9; --xpass-bg:#f3e3ff; --error:#7a2e00; --error-bg:#ffd8b5; --skip:#57606a;
  --skip-bg:#eef1f4; --line:#d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1200px;
  padding: 16px 24px 48px; color: #1f2328; background: #fff; }
h1 { font-size: 20px; margin: 0; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; overflow-x: auto;
  white-space: pre-wrap; word-break: break-word; margin: 4px 0 8px; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
.matrix-wrap { overflow: auto; max-width: 100%; max-height: 80vh; }
.scroll, table.coverage-grid { display: block; overflow-x: auto; max-width: 100%; }
ul.legend .tag { font-weight: 400; }
.legend { list-style: none; padding: 0; margin: 4px 0 8px; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12.5px; }
ol.contents { columns: 2 22em; margin: 4px 0 8px; } ol.contents li { margin: 2px 0; break-inside: avoid; }
details.impl > summary { cursor: pointer; list-style-position: outside; } details.impl > summary h2 { display: inline; border: 0; }
details.impl > summary::marker { font-size: 16px; } details.impl[open] > summary { margin-bottom: 6px; }
.summary-counts { font-size: 13px; font-weight: 400; }
.agree-all { background: var(--pass-bg); } .agree-most { background: #fff4cc; } .agree-low { background: #f3e3ff; }
body > *, section, details, .cx dd, .cx dl > * { min-width: 0; max-width: 100%; }
.matrix tbody th, .matrix thead th:first-child { position: sticky; left: 0; z-index: 1; }
.matrix th.family { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; }
.matrix td.cell { text-align: center; white-space: nowrap; font-size: 12px; border-color: var(--line); }
h2 code { font-size: 16px; } figure { margin: 0; }
.banner { border-radius: 8px; padding: 14px 18px; margin: 8px 0 16px; border: 2px solid; }
.banner .word { font-size: 22px; font-weight: 800; letter-spacing: .04em; margin-right: 12px; }
.v-pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
.v-fail, .v-incomplete { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.v-xfail { color: var(--xfail); background: var(--xfail-bg); border-color: var(--xfail); }
.v-xpass { color: var(--xpass); background: var(--xpass-bg); border-color: var(--xpass); }
.v-error { color: var(--error); background: var(--error-bg); border-color: var(--error); }
.v-skip, .v-none { color: var(--skip); background: var(--skip-bg); border-color: var(--line); }
td.v-fail, td.v-error, td.v-xpass, .tag.v-fail, .tag.v-error, .tag.v-xpass { font-weight: 700; }
.tag { display: inline-block; border: 1px solid; border-radius: 10px; padding: 0 7px; font-size: 12px; }
.impl { border-top: 3px solid var(--line); margin-top: 20px; padding-top: 6px; }
table.checks { display: block; overflow-x: auto; max-width: 100%; }
.meta { color: #57606a; margin: 2px 0; }
.plot-row { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.ulp-plot { background: #fff; border: 1px solid var(--line); border-radius: 6px; }
.ulp-plot .bar-ok { fill: #2da44e; } .ulp-plot .bar-warn { fill: #d4a72c; } .ulp-plot .bar-bad { fill: #cf222e; }
.ulp-plot .grid { stroke: #eaeef2; } .ulp-plot .axis { stroke: #57606a; }
.ulp-plot text { font: 10px system-ui, sans-serif; fill: #3d444d; } .ulp-plot .axis-label { font-size: 11px; }
.cx { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0 14px; background: #fcfcfd; }
.cx dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0; }
.cx dt { font-weight: 600; } .cx dd { margin: 0; }
.error-text { border-color: var(--fail); background: #fff8f7; }
dl.prov { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.prov dt { font-weight: 600; } dl.prov dd { margin: 0; }
ul.unexpected li { margin: 3px 0; }
.why, td.diagnosis, .status-detail, .meta, dd, li { overflow-wrap: anywhere; }
footer { margin-top: 40px; color: #57606a; font-size: 12px; }
`;

/** A whole page; `title` and `body` are already escaped HTML. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A verdict tag: colour class plus the word itself. */
export function tag(verdict: string, text = verdict): string {
  return `<span class="tag v-${escapeHtml(verdict)}" data-verdict="${escapeHtml(verdict)}">${escapeHtml(text)}</span>`;
}
