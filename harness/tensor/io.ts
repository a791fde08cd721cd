// Tensor files by extension: .npy (NumPy's format) or .json (one EncodedTensor object, schema-checked).
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { parseJsonText, validateJson } from '../json-files.js';
import { decodeTensorJson, encodeTensorJson } from './json-tensor.js';
import { readNpy, writeNpy } from './npy.js';
import type { Tensor } from './tensor.js';

function formatOf(path: string): 'npy' | 'json' {
  const ext = extname(path).toLowerCase();
  if (ext === '.npy') return 'npy';
  if (ext === '.json') return 'json';
  throw new UsageError(`${path}: a tensor file must end in .npy or .json`);
}

export function readTensorFile(path: string): Tensor {
  const format = formatOf(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DataError(path, '', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (format === 'npy') return readNpy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
  const value = validateJson<unknown>(parseJsonText(bytes.toString('utf8'), path), 'tensor.schema.json', path);
  return decodeTensorJson(value, path, '');
}

/** Writes .npy, or .json in the given form ('base64' keeps NaN payloads; 'data' is readable). */
export function writeTensorFile(path: string, t: Tensor, jsonForm: 'data' | 'base64' = 'data'): void {
  const body = formatOf(path) === 'npy' ? writeNpy(t) : `${JSON.stringify(encodeTensorJson(t, jsonForm))}\n`;
  try {
    writeFileSync(path, body);
  } catch (err) {
    throw new DataError(path, '', `cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
