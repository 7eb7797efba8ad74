// Shared helpers for the browser tests: launching Debian's Chromium through playwright-core,
// running axe-core in the page, logging in through the real form, and calling the API from
// Node to find fixtures. The server itself comes from harness.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { chromeAvailable } from './harness.ts';

export const DEMO_PASSWORD = 'Yiyang-demo-2026';

export const CHROME_HINT = "install Debian's chromium (apt-get install chromium) or set CHROME_PATH";

const requireBrowser = process.env.YIYANG_REQUIRE_BROWSER === '1';
const hasChrome = chromeAvailable();

/**
 * True when the browser suites must be skipped: no Chromium, and YIYANG_REQUIRE_BROWSER is not
 * set. With YIYANG_REQUIRE_BROWSER=1 they run regardless, and fail in launchBrowser().
 */
export const skipBrowserTests = !hasChrome && !requireBrowser;

if (skipBrowserTests) {
  console.warn(`[e2e] Chromium not found: browser tests skipped. To run them, ${CHROME_HINT}.`);
}

const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!hasChrome) {
    throw new Error(`YIYANG_REQUIRE_BROWSER=1 but Chromium was not found: ${CHROME_HINT}.`);
  }
  return chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROME_ARGS });
}

/** A fresh context per test: no cookies, no remembered display settings. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[e2e] page error: ${err.message}`));
  return { context, page };
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}

/** Runs axe-core on the current page; fails on any serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const axeLoaded = async () => (await page.evaluate('typeof window.axe !== "undefined"')) as boolean;
  if (!(await axeLoaded())) {
    await page.addScriptTag({ content: axeSource }).catch(() => undefined);
    // A Content-Security-Policy without 'unsafe-inline' blocks the inline tag: evaluate instead.
    if (!(await axeLoaded())) await page.evaluate(axeSource);
  }
  const violations = (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    }));
  })()`)) as AxeViolation[];
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const text = bad
      .map(
        (v) =>
          `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
          v.nodes
            .slice(0, 5)
            .map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${n.failureSummary ?? ''}`)
            .join('\n'),
      )
      .join('\n');
    console.error(`[e2e] axe violations on ${label}:\n${text}`);
  }
  expect(
    bad.map((v) => `${v.impact} ${v.id}`),
    `axe: serious/critical violations on ${label}`,
  ).toEqual([]);
}

/** Logs in through the workbench form and waits for the shell. */
export async function login(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  if (!page.url().startsWith(`${baseUrl}/workbench`)) await page.goto(`${baseUrl}/workbench`);
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  // The landing page's heading takes focus once it is there (FocusOnNavigate): wait for it and for
  // the effects of that render, so a test's first Tab starts from a settled page, not mid-move.
  await page.locator('main h1').first().waitFor();
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** Logs in through the API (from Node) and returns headers that carry the session. */
export async function apiSession(baseUrl: string, username: string): Promise<Record<string, string>> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login as ${username}: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token?: string; csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const headers: Record<string, string> = { accept: 'application/json', 'x-csrf-token': body.csrfToken };
  if (cookie) headers.cookie = cookie;
  if (body.token) headers.authorization = `Bearer ${body.token}`;
  return headers;
}

export async function apiGet<T>(baseUrl: string, path: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Computed CSS of the first element matching `selector` (string evaluation: the test
 *  tsconfig has no DOM lib). */
export async function computedStyle(page: Page, selector: string, property: string): Promise<string> {
  return (await page.evaluate(
    `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
  )) as string;
}

/** Resident ID number with a valid GB 11643 check character (ISO 7064 MOD 11-2). */
export function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (weights[i] ?? 0);
  return first17 + '10X98765432'[sum % 11];
}
