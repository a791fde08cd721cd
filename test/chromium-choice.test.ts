// Which Chromium the browser test picks (test/browser/chromium.ts), and that the bundled one comes from npm alone.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../harness/paths.js';
import { browserOrder, fontsConf, launchFirst, SYSTEM_CHROMIUM, type BrowserSource, type Launchable } from './browser/chromium.js';

const fake = (source: BrowserSource): Launchable => ({ source, executablePath: `/x/${source}`, args: [], env: {}, label: source });

describe('browserOrder', () => {
  it('tries the bundled Chromium first, then CHROMIUM_PATH when set, then the system one', () => {
    expect(browserOrder({})).toEqual(['bundled', 'system']);
    expect(browserOrder({ SC_BROWSER: 'auto' })).toEqual(['bundled', 'system']);
    expect(browserOrder({ CHROMIUM_PATH: '/opt/c' })).toEqual(['bundled', 'CHROMIUM_PATH', 'system']);
  });
  it('SC_BROWSER forces one side, with no fallback to the other', () => {
    expect(browserOrder({ SC_BROWSER: 'bundled', CHROMIUM_PATH: '/opt/c' })).toEqual(['bundled']);
    expect(browserOrder({ SC_BROWSER: 'system' })).toEqual(['system']);
    expect(browserOrder({ SC_BROWSER: 'system', CHROMIUM_PATH: '/opt/c' })).toEqual(['CHROMIUM_PATH', 'system']);
  });
  it('rejects an SC_BROWSER it does not know rather than picking one silently', () => {
    expect(() => browserOrder({ SC_BROWSER: 'chrome' })).toThrow(/SC_BROWSER must be bundled, system or auto, got "chrome"/);
  });
});

describe('launchFirst', () => {
  it('falls through a source that cannot be found and one that fails to start, and says so', async () => {
    const r = await launchFirst(
      ['bundled', 'CHROMIUM_PATH', 'system'],
      async (l) => {
        if (l.source === 'CHROMIUM_PATH') throw new Error('spawn ENOEXEC\nmore');
        return `ran ${l.source}`;
      },
      async (s) => {
        if (s === 'bundled') throw new Error('Cannot find package @sparticuz/chromium');
        return fake(s);
      },
    );
    expect(r.value).toBe('ran system');
    expect(r.used.source).toBe('system');
    expect(r.skipped).toEqual(['bundled: Cannot find package @sparticuz/chromium', 'CHROMIUM_PATH: spawn ENOEXEC']);
  });
  it('uses the first source that starts and does not try the rest', async () => {
    const tried: string[] = [];
    const r = await launchFirst(['bundled', 'system'], async (l) => l.source, async (s) => (tried.push(s), fake(s)));
    expect(r).toMatchObject({ value: 'bundled', skipped: [] });
    expect(tried).toEqual(['bundled']);
  });
  it('when none starts, fails with every reason and how to get a browser (never a skip)', async () => {
    const p = launchFirst(['bundled'], async () => 'never', async () => {
      throw new Error('no x64 binary');
    });
    await expect(p).rejects.toThrow(/no Chromium could be started \(tried bundled\):\n {2}bundled: no x64 binary\n.*npm ci.*CHROMIUM_PATH.*apt-get install -y chromium/s);
  });
});

describe('the bundled Chromium', () => {
  it('the font config names the fonts unpacked beside the binary, then the system\'s config only where it exists', () => {
    const conf = fontsConf('/tmp/sc-chromium-1/fonts');
    expect(conf).toContain('<dir>/tmp/sc-chromium-1/fonts</dir>');
    expect(conf).not.toContain('/tmp/fonts<'); // the package's own conf points there, not at our folder
    expect(conf).toContain('<include ignore_missing="yes">/etc/fonts/fonts.conf</include>');
  });
  it('comes with `npm ci` alone: a devDependency whose tarball holds the binary, with no install script to fetch it', () => {
    const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8'));
    expect(pkg.devDependencies['@sparticuz/chromium']).toMatch(/^\^138\./);
    expect(pkg.dependencies['@sparticuz/chromium']).toBeUndefined(); // never in what users install
    const dir = projectPath('node_modules', '@sparticuz', 'chromium');
    const scripts = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).scripts ?? {};
    expect(Object.keys(scripts).filter((s) => /^(pre|post)?install$/.test(s))).toEqual([]);
    for (const f of ['chromium.br', 'fonts.tar.br', 'swiftshader.tar.br', 'al2023.tar.br']) expect(existsSync(`${dir}/bin/${f}`), f).toBe(true);
  });
  it('the system fallback is Debian\'s path', () => {
    expect(SYSTEM_CHROMIUM).toBe('/usr/bin/chromium');
  });
});
