// Which Chromium the browser test drives: the one shipped inside the npm package @sparticuz/chromium (so
// `npm ci && npm test` needs no apt step), else CHROMIUM_PATH, else Debian's /usr/bin/chromium.
// SC_BROWSER=bundled or SC_BROWSER=system forces one side (no fallback), so each path can be tested on its own.
import { execFileSync } from 'node:child_process';
import { brotliDecompressSync } from 'node:zlib';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type BrowserSource = 'bundled' | 'CHROMIUM_PATH' | 'system';
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** What to launch: the binary, the flags it needs, the environment it needs on top of ours. */
export interface Launchable {
  source: BrowserSource;
  executablePath: string;
  args: string[];
  env: Record<string, string>;
  /** one line for the test's output: which browser ran */
  label: string;
}

// Flags every source gets: no network chatter (the report must be self-contained, and the test checks what it fetches).
const QUIET = ['--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SYSTEM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET];
// @sparticuz's recommended flags, less the two that switch off web security: the test checks what a hostile
// report can do in a page, so the page keeps the same-origin policy and mixed-content blocking of a real browser.
const WEAKENING = new Set(['--disable-web-security', '--allow-running-insecure-content']);

/** The sources to try, in order. Throws on an SC_BROWSER value it does not know (a typo must not pick silently). */
export function browserOrder(env: NodeJS.ProcessEnv): BrowserSource[] {
  const system: BrowserSource[] = env.CHROMIUM_PATH ? ['CHROMIUM_PATH', 'system'] : ['system'];
  switch (env.SC_BROWSER ?? '') {
    case 'bundled':
      return ['bundled'];
    case 'system':
      return system;
    case '':
    case 'auto':
      return ['bundled', ...system];
    default:
      throw new Error(`SC_BROWSER must be bundled, system or auto, got "${env.SC_BROWSER}"`);
  }
}

/** Bumped when what unpackBundled() writes changes, so that an older unpacked copy is not reused. */
const UNPACK_LAYOUT = 'u1';

function bundledRoot(): string {
  // The package's exports map hides package.json: find its root from its CommonJS entry (build/cjs/index.cjs).
  return join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
}

/**
 * Unpacks the bundled Chromium once per version into a folder of its own under the temp dir. The package's
 * executablePath() writes to os.tmpdir() itself, so it is pointed at a fresh staging folder that is renamed into
 * place when complete: an interrupted unpack never leaves a half-written binary that a later run would trust, and
 * two test runs at once (another checkout) do not write the same files.
 */
async function unpackBundled(): Promise<Launchable> {
  const root = bundledRoot();
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
  const dir = join(tmpdir(), `sc-chromium-${version}-${UNPACK_LAYOUT}-${process.getuid?.() ?? 0}`);
  if (!existsSync(join(dir, 'chromium'))) {
    const stage = mkdtempSync(join(tmpdir(), 'sc-chromium-stage-'));
    const saved = process.env.TMPDIR;
    try {
      process.env.TMPDIR = stage;
      const { default: Chromium } = await import('@sparticuz/chromium');
      const exe = await Chromium.executablePath(join(root, 'bin'));
      if (exe !== join(stage, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${exe}, not into ${stage}`);
      // The binary links NSS (libnss3, libnspr4), which a bare Debian lacks; the package ships those libraries in
      // al2023.tar.br and unpacks them only on Amazon Linux, so unpack them here for every host.
      mkdirSync(join(stage, 'al2023'));
      execFileSync('tar', ['-x', '-C', join(stage, 'al2023')], { input: brotliDecompressSync(readFileSync(join(root, 'bin', 'al2023.tar.br'))) });
      // The shipped fonts.conf names /tmp/fonts; this one names the fonts beside it, then the system's configuration
      // where there is one (the layout checks then measure the fonts a reader's browser uses, monospace included).
      writeFileSync(join(stage, 'fonts', 'fonts.conf'), fontsConf(join(dir, 'fonts')));
    } catch (e) {
      rmSync(stage, { recursive: true, force: true });
      throw e;
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    try {
      renameSync(stage, dir);
    } catch {
      rmSync(stage, { recursive: true, force: true }); // another run put a complete copy there first
    }
  }
  const { default: Chromium } = await import('@sparticuz/chromium');
  return {
    source: 'bundled',
    executablePath: join(dir, 'chromium'),
    args: [...Chromium.args.filter((a) => !WEAKENING.has(a)), ...QUIET],
    env: {
      LD_LIBRARY_PATH: [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: join(dir, 'fonts'),
    },
    label: `bundled Chromium from @sparticuz/chromium ${version} (${join(dir, 'chromium')})`,
  };
}

export function fontsConf(fontDir: string): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${fontDir}</dir>\n  <cachedir>${fontDir}-cache</cachedir>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n`;
}

function systemBrowser(source: 'CHROMIUM_PATH' | 'system', path: string): Launchable {
  if (!existsSync(path)) throw new Error(`${source === 'system' ? 'Debian\'s Chromium' : 'CHROMIUM_PATH'}: ${path} does not exist`);
  return { source, executablePath: path, args: SYSTEM_ARGS, env: {}, label: `${source === 'system' ? 'system Chromium' : 'CHROMIUM_PATH'} ${path}` };
}

export async function resolveSource(source: BrowserSource, env: NodeJS.ProcessEnv): Promise<Launchable> {
  if (source === 'bundled') return unpackBundled();
  return systemBrowser(source, source === 'CHROMIUM_PATH' ? env.CHROMIUM_PATH! : SYSTEM_CHROMIUM);
}

/**
 * Launches the first source of `order` that starts. A source that cannot be found or fails to start falls through
 * to the next (reported in `skipped`); when none starts, the error names every reason and how to fix it.
 */
export async function launchFirst<T>(
  order: BrowserSource[],
  launch: (l: Launchable) => Promise<T>,
  resolve: (s: BrowserSource) => Promise<Launchable>,
): Promise<{ value: T; used: Launchable; skipped: string[] }> {
  const skipped: string[] = [];
  for (const source of order) {
    try {
      const used = await resolve(source);
      return { value: await launch(used), used, skipped };
    } catch (e) {
      skipped.push(`${source}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `no Chromium could be started (tried ${order.join(', ')}):\n  ${skipped.join('\n  ')}\n` +
      'Run `npm ci` (it installs @sparticuz/chromium, a devDependency), or set CHROMIUM_PATH to a Chromium binary, ' +
      'or install Debian\'s: `apt-get update && apt-get install -y chromium`.',
  );
}
