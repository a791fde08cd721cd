// The CLI tests run the real command (bin/softmax-conformance.js → dist/): build it once before the suite
// (`npm run build`: tsc, then the schema validators), so they never test a stale build.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The rest of `npm run build`: the schemas' standalone validators, so tests see what the CLI uses.
  execFileSync(process.execPath, ['dist/harness/schemas/standalone.js'], { cwd: root, stdio: 'inherit' });
}
