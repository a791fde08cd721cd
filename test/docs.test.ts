// The repository stands alone: README and docs/ link only to files it contains (a clone has no ../shared/).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';

const files = [projectPath('README.md'), ...readdirSync(projectPath('docs')).filter((f) => f.endsWith('.md')).map((f) => projectPath('docs', f))];

describe('README and docs', () => {
  for (const file of files) {
    it(`${file.slice(projectPath().length + 1)} refers to nothing outside the repository`, () => {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/\.\.\/shared|shared\/(DESIGN|seed)|softmax-discussion\.ja\.txt/);
      // every relative Markdown link resolves inside the checkout
      for (const m of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue;
        const path = resolve(dirname(file), target);
        expect(path.startsWith(projectPath()), `${target} leaves the repository`).toBe(true);
        expect(existsSync(path), `${target} exists`).toBe(true);
      }
    });
  }

  it('docs/discussion.md names every variant of the manifest', () => {
    const doc = readFileSync(projectPath('docs', 'discussion.md'), 'utf8');
    const manifest = JSON.parse(readFileSync(projectPath('implementations', 'manifest.json'), 'utf8')) as { implementations: { id: string }[] };
    for (const { id } of manifest.implementations) expect(doc, id).toContain(`\`${id}\``);
    expect(join('docs', 'design.md')).toSatisfy(() => existsSync(projectPath('docs', 'design.md')));
  });
});
