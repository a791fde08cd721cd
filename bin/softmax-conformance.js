#!/usr/bin/env node
// Thin launcher: the CLI is compiled by `npm run build` (run by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/harness/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('softmax-conformance: not built yet. Run `npm ci` (or `npm run build`) in the project folder.\n');
  process.exit(2);
}
await import(entry);
