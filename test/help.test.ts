// --help shows defaults a reader can use anywhere: no absolute path of the machine it runs on, no JSON arrays.
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { cli } from './helpers/cli.js';

describe('--help', () => {
  for (const command of [['run'], ['audit'], ['merge'], ['golden', 'verify'], ['golden', 'export'], ['compare'], ['replay'], ['reference'], []]) {
    it(`${command.join(' ') || '(top level)'}: no absolute paths of this checkout, no JSON arrays`, async () => {
      const r = await cli([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(projectPath());
      expect(r.stdout).not.toMatch(/\["|\[\]/);
    });
  }

  it('run shows its defaults relative to the package and the reporters as typed', async () => {
    const r = await cli(['run', '--help']);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain("(default: the package's implementations/manifest.json)");
    expect(flat).toContain("(default: the package's reports/)");
    expect(flat).toContain('(default: json,markdown,html,junit)');
  });
});
