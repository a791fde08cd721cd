// The file reporters by name, and writing them. Each is a pure function of the report; writing renders every
// requested report first, so a report that fails validation leaves no half-written set behind.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../model.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { prepareOutputDir } from './output-dir.js';

export type ReporterName = 'json' | 'markdown' | 'html' | 'junit';

export interface Reporter {
  /** the file it writes in the reports directory */
  file: string;
  render(report: RunReport): string;
}

export const REPORTERS: Record<ReporterName, Reporter> = {
  json: { file: 'report.json', render: (r) => renderJson(r) },
  markdown: { file: 'summary.md', render: (r) => renderMarkdown(r, { htmlReport: 'report.html' }) },
  html: { file: 'report.html', render: renderHtml },
  junit: { file: 'junit.xml', render: renderJunit },
};

export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

export function isReporterName(s: string): s is ReporterName {
  return (REPORTER_NAMES as string[]).includes(s);
}

/** Writes the named reports into `dir` (created if missing); returns the paths written. */
export function writeReports(report: RunReport, dir: string, names: readonly ReporterName[] = REPORTER_NAMES): string[] {
  const rendered = names.map((n) => ({ path: join(dir, REPORTERS[n].file), text: REPORTERS[n].render(report) }));
  prepareOutputDir(dir);
  for (const r of rendered) writeFileSync(r.path, r.text, 'utf8');
  return rendered.map((r) => r.path);
}

export { renderHtml } from './html.js';
export { renderJson, loadReport, REPORT_SCHEMA } from './json.js';
export { renderJunit } from './junit.js';
export { renderMarkdown } from './markdown.js';
export { prepareOutputDir } from './output-dir.js';
export { renderConsole, shouldColor } from './console.js';
export { createProgress, type Progress } from './progress.js';
export { compareReports, comparisonExitCode, renderComparisonHtml, renderComparisonMarkdown, type Comparison } from './compare.js';
export { ULP_BUCKETS, ulpBucket } from './ulp-plot.js';
