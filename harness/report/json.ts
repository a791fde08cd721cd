// The JSON report: the RunReport as written, validated against report.schema.json first, so a harness bug cannot
// produce a report that `compare` or CI would later reject (or misread).
import { loadJsonFile, validateJson } from '../json-files.js';
import type { RunReport } from '../model.js';

export const REPORT_SCHEMA = 'report.schema.json';

/**
 * The report as JSON text. What is validated is the parsed text, not the object: JSON.stringify silently turns
 * NaN/Infinity into null and drops undefined, and the file must be valid as written. Throws DataError on a problem.
 */
export function renderJson(report: RunReport, file = 'report.json'): string {
  const text = `${JSON.stringify(report, null, 2)}\n`;
  validateJson<RunReport>(JSON.parse(text), REPORT_SCHEMA, file);
  return text;
}

/** Reads and validates a JSON report; a DataError names the file and the JSON pointer of the problem. */
export function loadReport(path: string): RunReport {
  return loadJsonFile<RunReport>(path, REPORT_SCHEMA);
}
