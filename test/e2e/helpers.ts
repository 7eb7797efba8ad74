// Helpers shared by the browser tests: one browser and one server per describe block, and the
// keyboard-only moves (Tab to a control, arrow to an option, retype a field).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { computedStyle, launchBrowser, login, newPage } from './browser.ts';
import { startServer, type ServerOptions } from './harness.ts';

/**
 * Launches Chromium and starts the server before the tests of the enclosing describe block, and
 * closes both after them. Read `browser` and `baseUrl` inside the tests (they are set by then).
 */
export function useBrowserAndServer(opts: ServerOptions = {}): { readonly browser: Browser; readonly baseUrl: string } {
  let server: { baseUrl: string; stop(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startServer(opts);
    baseUrl = server.baseUrl;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get browser() {
      return browser!;
    },
    get baseUrl() {
      return baseUrl;
    },
  };
}

/** What has the keyboard focus, as a test reads it. */
export interface Focused {
  tag: string;
  type: string | null;
  label: string;
  /** aria-label */
  name: string;
  text: string;
  href: string | null;
  value: string | null;
  option: string | null;
}

export function focused(page: Page): Promise<Focused> {
  return page.evaluate(`(() => {
    const a = document.activeElement;
    const label = a && a.labels && a.labels[0] ? a.labels[0].innerText.trim() : '';
    return {
      tag: a ? a.tagName : '',
      type: a ? a.getAttribute('type') : null,
      label,
      name: a ? (a.getAttribute('aria-label') || '') : '',
      text: a ? (a.innerText || '').trim() : '',
      href: a ? a.getAttribute('href') : null,
      value: a && 'value' in a ? String(a.value) : null,
      option: a && a.tagName === 'SELECT' && a.selectedIndex >= 0 ? a.options[a.selectedIndex].text : null,
    };
  })()`) as Promise<Focused>;
}

/** Presses Tab (or Shift+Tab) until the focused element matches; fails after `max` presses (60 unless told). */
export async function tabTo(page: Page, what: string, match: (f: Focused) => boolean, opts: { reverse?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(opts.reverse ? 'Shift+Tab' : 'Tab');
    if (match(await focused(page))) return;
  }
  throw new Error(`Tab never reached ${what}; last focus ${JSON.stringify(await focused(page))}`);
}

/** On a focused <select>: ArrowDown until the chosen option's text is `text` (no mouse, no popup); fails after `max` presses. */
export async function arrowToOption(page: Page, text: string, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)).option === text) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`option ${text} not reached; focus ${JSON.stringify(await focused(page))}`);
}

/** Replaces the text of the focused input by keyboard. */
export async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/** Large text by keyboard (Shift+Tab back to the 大字模式 toggle in the header): the root font grows by a quarter at least. */
export async function largeTextByKeyboard(page: Page, opts: { max?: number } = {}): Promise<void> {
  const baseRoot = parseFloat(await computedStyle(page, 'html', 'font-size'));
  await tabTo(page, 'the 大字模式 button', (f) => f.tag === 'BUTTON' && f.text.includes('大字模式'), { reverse: true, ...opts });
  await page.keyboard.press('Enter');
  expect(await page.getAttribute('html', 'data-text-size')).toBe('large');
  expect(parseFloat(await computedStyle(page, 'html', 'font-size'))).toBeGreaterThanOrEqual(baseRoot * 1.25);
}

/** Signed in as `username`, the workbench navigation has no link named `link`, and `path` shows 页面不存在. */
export async function expectNoWorkbenchPage(browser: Browser, baseUrl: string, username: string, link: string, path: string): Promise<void> {
  const { context, page } = await newPage(browser);
  try {
    await login(page, baseUrl, username);
    expect(await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: link }).count()).toBe(0);
    await page.goto(`${baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: '页面不存在' }).waitFor();
  } finally {
    await context.close();
  }
}
