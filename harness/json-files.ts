// Every JSON file the harness reads goes through here: parsed, then validated with ajv (draft 2020-12).
// Failures become DataError naming the file and the JSON pointer of the first problem.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction, type ErrorObject } from 'ajv/dist/2020.js';
import { DataError } from './errors.js';
import { projectPath } from './paths.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

let registered = false;

/** Every schema in harness/schemas/ is registered under its `$id` (its file name), so schemas can $ref each other. */
function registerSchemas(): void {
  if (registered) return;
  const dir = projectPath('harness', 'schemas');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort()) {
    const schema = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (schema.$id !== name) throw new Error(`harness/schemas/${name}: $id must be "${name}"`);
    ajv.addSchema(schema);
  }
  registered = true;
}

/** A compiled validator for a schema file in harness/schemas/ (by file name). */
export function validatorFor(schemaFile: string): ValidateFunction {
  let v = compiled.get(schemaFile);
  if (!v) {
    registerSchemas();
    v = ajv.getSchema(schemaFile);
    if (!v) throw new Error(`no schema ${schemaFile} in harness/schemas/`);
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
