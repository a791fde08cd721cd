// Every JSON file the harness reads goes through here: parsed, then validated with ajv (draft 2020-12).
// Failures become DataError naming the file and the JSON pointer of the first problem.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import { DataError } from './errors.js';
import { projectPath } from './paths.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

/** A compiled validator for a schema file in harness/schemas/ (by file name). */
export function validatorFor(schemaFile: string): ValidateFunction {
  let v = compiled.get(schemaFile);
  if (!v) {
    const schema = JSON.parse(readFileSync(projectPath('harness', 'schemas', schemaFile), 'utf8'));
    v = ajv.compile(schema);
    compiled.set(schemaFile, v);
  }
  return v;
}

export function describeAjvError(e: ErrorObject): string {
  const extra =
    e.keyword === 'additionalProperties' ? ` (unexpected "${(e.params as { additionalProperty: string }).additionalProperty}")`
    : e.keyword === 'enum' ? ` (one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')})`
    : '';
  return `${e.message ?? e.keyword}${extra}`;
}

/** Validate parsed JSON against a schema; throws DataError for `file` (a name to show) on the first error. */
export function validateJson<T>(value: unknown, schemaFile: string, file: string): T {
  const validate = validatorFor(schemaFile);
  if (!validate(value)) {
    const errors = validate.errors ?? [];
    // Prefer the deepest error: it points at the actual culprit, not at a oneOf wrapper.
    const first = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new DataError(file, first?.instancePath || '/', `${first ? describeAjvError(first) : 'invalid'}; expected by ${schemaFile}${more}`);
  }
  return value as T;
}

export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DataError(file, '', `not valid JSON: ${(err as Error).message}`);
  }
}

/** Read, parse and validate a JSON file. */
export function loadJsonFile<T>(path: string, schemaFile: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(path, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return validateJson<T>(parseJsonText(text, path), schemaFile, path);
}
