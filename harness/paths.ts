// Where the project's own files live, whether running from source (vitest) or from dist/ (the bin).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'harness'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the softmax-conformance project root');
    dir = up;
  }
}

export const PROJECT_ROOT = findRoot();
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
