// The Stryker ignorers (test/mutation/ignorers.mjs) on a sample: what they leave out of mutation, walked the way
// Stryker's instrumenter walks (an ignored node takes its whole subtree with it).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module (Stryker loads it as a plugin), no types
import { strykerPlugins } from './ignorers.mjs';

const require = createRequire(import.meta.url);
const babel = require('@babel/core') as { parseSync: (code: string, opts: object) => unknown; traverse: (ast: unknown, visitor: object) => void };

type Path = { node: { start: number; end: number } };
/** The source of every topmost node some ignorer leaves out, with the ignorer's name. */
function ignored(code: string): [string, string][] {
  const ast = babel.parseSync(code, { filename: 'x.ts', parserOpts: { plugins: ['typescript'] }, configFile: false, babelrc: false, sourceType: 'module' });
  const out: [string, string][] = [];
  let active: unknown;
  babel.traverse(ast, {
    enter(path: Path) {
      if (active) return;
      for (const p of strykerPlugins as { name: string; value: { shouldIgnore(path: Path): string | undefined } }[]) {
        if (p.value.shouldIgnore(path)) {
          active = path.node;
          out.push([p.name, code.slice(path.node.start, path.node.end)]);
          break;
        }
      }
    },
    exit(path: Path) {
      if (active === path.node) active = undefined;
    },
  });
  return out;
}

describe('Stryker ignorers', () => {
  it('leave out module-level tables and loops, and the commands\' help text; keep function bodies and behaviour', () => {
    const code = [
      "const TABLE = [1, 2];",
      "export const add = (x: number) => x + TABLE[0];",
      "for (let j = 0; j < 3; j++) TABLE[j] = j;",
      "export function f() { const local = [3]; return local; }",
      "function register(program: any) { program.command('x').description('what x does').argument('<file>', 'the file').option('--n <n>', 'how many', Number, 5); }",
      "try { f(); } catch { f(); }",
    ].join('\n');
    const got = ignored(code);
    expect(got).toContainEqual(['module-load', 'const TABLE = [1, 2];']);
    expect(got).toContainEqual(['module-load', 'for (let j = 0; j < 3; j++) TABLE[j] = j;']);
    expect(got.filter(([n]) => n === 'help-text').map(([, s]) => s)).toEqual(["'what x does'", "'the file'", "'how many'"]);
    const all = got.map(([, s]) => s).join('\n');
    for (const kept of ['x + TABLE[0]', 'local', "'x'", "'<file>'", "'--n <n>'", '5', 'try']) expect(all, kept).not.toContain(kept);
  });
});
