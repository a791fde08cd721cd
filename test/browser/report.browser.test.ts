/// <reference lib="dom" />
// The HTML report in a real browser (Debian's Chromium driven by playwright-core): the matrix and the SVG plots
// render, and a <script> injected through a candidate's error message does not run and shows as text.
// Missing Chromium is a failure with instructions, never a skip: a skipped security test looks like a passing one.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../harness/paths.js';
import { BROWSER_INJECTION, sampleReport, wideReport } from '../../harness/report/fixtures.js';
import { renderHtml } from '../../harness/report/html.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** Set REPORT_HTML=reports/report.html to also check a real run's report (and screenshot it instead). */
const REAL_REPORT = process.env.REPORT_HTML ? resolve(process.env.REPORT_HTML) : undefined;
const SCREENSHOT = projectPath('reports', 'screenshot.png');

// What the in-page callbacks touch. The project compiles without the DOM lib (it is Node code), so the page's
// globals are typed here rather than by adding "dom" to every file's globals.
interface PageGlobals {
  __pwned?: unknown;
  innerWidth: number;
  document: {
    title: string;
    documentElement: { scrollWidth: number };
    querySelectorAll(sel: string): ArrayLike<{ id: string; attributes: ArrayLike<{ name: string }>; getAttribute(n: string): string | null }>;
    getElementById(id: string): unknown;
  };
  getComputedStyle(e: unknown): { backgroundColor: string; fontWeight: string; color: string };
}

/** In the page: its width against the window's, repeated ids, and links to ids that do not exist. */
async function layout(page: Page): Promise<{ scrollWidth: number; innerWidth: number; duplicateIds: string[]; deadLinks: string[] }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const ids = Array.from(g.document.querySelectorAll('[id]')).map((e) => e.id);
    const links = Array.from(g.document.querySelectorAll('a[href^="#"]')).map((a) => a.getAttribute('href')!.slice(1));
    return {
      scrollWidth: g.document.documentElement.scrollWidth,
      innerWidth: g.innerWidth,
      duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
      deadLinks: links.filter((id) => !g.document.getElementById(id)),
    };
  });
}


let context: BrowserContext;
let userDataDir: string;
let workDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's chromium: ` +
        '`apt-get update && apt-get install -y chromium` (as root), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  if (REAL_REPORT && !existsSync(REAL_REPORT)) throw new Error(`REPORT_HTML=${REAL_REPORT} does not exist: run \`npm run conformance\` first`);
  userDataDir = mkdtempSync(join(tmpdir(), 'sc-chromium-profile-'));
  workDir = mkdtempSync(join(tmpdir(), 'sc-browser-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 1000 },
    offline: true,
  });
});

afterAll(async () => {
  await context?.close();
  for (const dir of [userDataDir, workDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  requests: string[];
  pageErrors: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await context.newPage();
  const requests: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, pageErrors };
}

async function expectVisible(page: Page, selector: string): Promise<number> {
  const boxes = await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
  expect(boxes.length, `${selector} present`).toBeGreaterThan(0);
  for (const [w, hgt] of boxes) {
    expect(w, `${selector} width`).toBeGreaterThan(0);
    expect(hgt, `${selector} height`).toBeGreaterThan(0);
  }
  return boxes.length;
}

describe('HTML report in Chromium', () => {
  let fixtureFile: string;

  beforeAll(() => {
    fixtureFile = join(workDir, 'report.html');
    writeFileSync(fixtureFile, renderHtml(sampleReport(BROWSER_INJECTION)));
  });

  it('renders the verdict, the matrix and the ULP plots', async () => {
    const { page, requests } = await open(fixtureFile);
    await expect(page.locator('[data-testid="verdict"] .word').textContent()).resolves.toBe('FAIL');
    await expectVisible(page, '[data-testid="matrix"]');
    expect(await page.locator('[data-testid="matrix"] tbody tr').count()).toBe(4);
    // colour-coded and with text: a failing cell and an empty one differ in colour, and the failing one says so
    const fail = page.locator('tr[data-impl="naive-exp"] td[data-family="overflow"]');
    await expect(fail.textContent()).resolves.toBe('1 fail');
    const bg = (sel: string) => page.locator(sel).first().evaluate((e) => (globalThis as unknown as PageGlobals).getComputedStyle(e).backgroundColor);
    expect(await bg('tr[data-impl="naive-exp"] td[data-family="overflow"]')).not.toBe(await bg('td[data-verdict="none"]'));
    expect(await expectVisible(page, 'svg[data-testid="ulp-plot"]')).toBe(2);
    await expectVisible(page, 'svg[data-testid="ulp-plot"] rect.bar[data-count="510"]');
    await expectVisible(page, '[data-testid="counterexample"] [data-testid="cx-python"]');
    // self-contained: nothing but the page itself was fetched
    expect(requests).toEqual([pathToFileURL(fixtureFile).href]);
    await page.close();
  });

  it('does not run a <script> injected through a candidate error message, and shows it as text', async () => {
    const { page, pageErrors } = await open(fixtureFile);
    const state = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        pwned: g.__pwned,
        title: g.document.title,
        scripts: g.document.querySelectorAll('script').length,
        images: g.document.querySelectorAll('img').length,
        handlers: Array.from(g.document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
      };
    });
    expect(state).toEqual({ pwned: undefined, title: 'softmax-conformance run: FAIL', scripts: 0, images: 0, handlers: 0 });
    const errorText = await page.locator('[data-testid="cx-error"]').first().textContent();
    expect(errorText).toContain('ValueError: <script>window.__pwned = 1; document.title = "pwned"</script><img src=x onerror=');
    expect(errorText).not.toContain('\u001b');
    expect(pageErrors).toEqual([]);
    // The fixture page is only screenshotted into a temp folder: reports/screenshot.png is the committed picture of
    // a real run (REPORT_HTML), and `npm test` must not rewrite a tracked file.
    await page.screenshot({ path: join(workDir, 'fixture-report.png') });
    await page.close();
  });

  it('fits a 1400 px window: the matrices scroll inside their own boxes; ids are unique and every anchor exists', async () => {
    const file = join(workDir, 'wide.html');
    writeFileSync(file, renderHtml(wideReport()));
    const page = await context.newPage();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const l = await layout(page);
    expect(l.innerWidth).toBe(1400);
    expect(l.scrollWidth, 'page width').toBeLessThanOrEqual(l.innerWidth);
    expect(l.duplicateIds).toEqual([]);
    expect(l.deadLinks).toEqual([]);
    // a reviewer finds the failure in seconds: first in the contents, its section open, the passing ones collapsed
    await expect(page.locator('[data-testid="contents"] li').first().getAttribute('data-verdict')).resolves.toBe('fail');
    expect(await page.locator('details[data-testid="implementation"][open]').count()).toBe(1);
    await expect(page.locator('details[data-testid="implementation"][open]').getAttribute('data-verdict')).resolves.toBe('fail');
    await expectVisible(page, '[data-testid="legend"]');
    // the matrix's own box scrolls: its content is wider than the box
    const wrap = await page.locator('.matrix-wrap').first().evaluate((e) => [(e as unknown as { scrollWidth: number }).scrollWidth, (e as unknown as { clientWidth: number }).clientWidth]);
    expect(wrap[0]).toBeGreaterThan(wrap[1]);
    await page.close();
  });

  it('a PASS report shows no bold red anywhere', async () => {
    const file = join(workDir, 'pass.html');
    writeFileSync(file, renderHtml(wideReport('pass')));
    const { page } = await open(file);
    const red = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return Array.from(g.document.querySelectorAll('td, th, .tag, span')).filter((e) => {
        const s = g.getComputedStyle(e);
        return Number(s.fontWeight) >= 700 && /^rgb\((1[5-9]\d|2\d\d), ([0-6]?\d), ([0-6]?\d)\)$/.test(s.color);
      }).length;
    });
    expect(red).toBe(0);
    const l = await layout(page);
    expect(l.duplicateIds).toEqual([]);
    await page.close();
  });

  // Defined only when asked for, so an ordinary run shows no skipped test.
  if (REAL_REPORT) it('renders a real run report (REPORT_HTML) and screenshots it', async () => {
    const { page, requests, pageErrors } = await open(REAL_REPORT!);
    await expectVisible(page, '[data-testid="verdict"]');
    await expectVisible(page, '[data-testid="matrix"]');
    const plots = await page.locator('svg[data-testid="ulp-plot"]').count();
    if (plots > 0) await expectVisible(page, 'svg[data-testid="ulp-plot"]');
    expect(await page.locator('script').count()).toBe(0);
    expect(requests).toEqual([pathToFileURL(REAL_REPORT!).href]);
    expect(pageErrors).toEqual([]);
    const l = await layout(page);
    expect(l.scrollWidth, 'page width').toBeLessThanOrEqual(l.innerWidth);
    expect(l.duplicateIds).toEqual([]);
    expect(l.deadLinks).toEqual([]);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    await page.close();
  });
});
