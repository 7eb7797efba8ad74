// The public portal in Chromium: Chinese by default, large-text and high-contrast modes,
// keyboard-only use, and axe-core finds nothing serious (standards.md §1–2).
// Skipped without Chromium: install Debian's chromium (apt-get install chromium) or set
// CHROME_PATH; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import { describe, expect, it } from 'vitest';
import { computedStyle, expectAccessible, newPage, skipBrowserTests } from './browser.ts';
import { useBrowserAndServer } from './helpers.ts';

describe.skipIf(skipBrowserTests)('public portal (browser)', () => {
  const env = useBrowserAndServer();

  it('loads in Simplified Chinese with the offers, a find-services box and a 登录 link, and passes axe', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.title()).toContain('颐养');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/[\u4e00-\u9fff]/);

      for (const name of ['能力评估', '待遇查询', '身边的服务', '养老院床位轮候', '居家照护', '安全呼叫']) {
        await expect.poll(() => page.getByRole('heading', { level: 3, name }).count(), { message: name }).toBe(1);
      }
      const login = page.getByRole('link', { name: '登录', exact: true });
      expect(await login.getAttribute('href')).toBe('/workbench');

      // The find-services box opens 找服务 with the words as its search (checked after the layout checks below).
      const search = page.getByRole('searchbox', { name: '服务名称或地址' });
      await search.fill('食堂');

      // Landmarks and base text size.
      expect(await page.locator('header').count()).toBeGreaterThan(0);
      expect(await page.locator('main#main').count()).toBe(1);
      expect(await page.locator('footer').count()).toBeGreaterThan(0);
      expect(parseFloat(await computedStyle(page, 'html', 'font-size'))).toBeGreaterThanOrEqual(18);
      expect(parseFloat(await computedStyle(page, 'main p', 'font-size'))).toBeGreaterThanOrEqual(18);

      // Elder mode: main controls at least 60 × 60 px (MIIT 适老化; stricter than WCAG's 44).
      const small = (await page.evaluate(`[...document.querySelectorAll('button, a.button, input, select')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
        .filter((b) => b.h < 60 || b.w < 60)`)) as unknown[];
      expect(small).toEqual([]);

      await expectAccessible(page, 'portal');

      await page.getByRole('button', { name: '搜索' }).click();
      await page.waitForURL(/\/services\?q=/);
      expect(decodeURIComponent(new URL(page.url()).search)).toBe('?q=食堂');
      await page.getByRole('heading', { level: 1 }).filter({ hasText: '找服务' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('large-text and high-contrast modes switch on, are remembered, and pass axe', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const baseRoot = parseFloat(await computedStyle(page, 'html', 'font-size'));
      const baseH1 = parseFloat(await computedStyle(page, 'h1', 'font-size'));
      expect(baseRoot).toBeGreaterThanOrEqual(18);

      const large = page.getByRole('button', { name: '大字模式' });
      expect(await large.getAttribute('aria-pressed')).toBe('false');
      await large.click();
      expect(await large.getAttribute('aria-pressed')).toBe('true');
      const largeRoot = parseFloat(await computedStyle(page, 'html', 'font-size'));
      expect(largeRoot).toBeGreaterThanOrEqual(baseRoot * 1.25);
      expect(parseFloat(await computedStyle(page, 'h1', 'font-size'))).toBeGreaterThanOrEqual(baseH1 * 1.25);
      await expectAccessible(page, 'portal, large text');

      // Remembered across a reload.
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: '大字模式' }).getAttribute('aria-pressed')).toBe('true');
      expect(parseFloat(await computedStyle(page, 'html', 'font-size'))).toBeGreaterThanOrEqual(baseRoot * 1.25);

      // Back to normal text, then high contrast.
      await page.getByRole('button', { name: '大字模式' }).click();
      expect(parseFloat(await computedStyle(page, 'html', 'font-size'))).toBe(baseRoot);
      const normalBg = await computedStyle(page, 'body', 'background-color');
      const normalText = await computedStyle(page, 'body', 'color');
      const contrast = page.getByRole('button', { name: '高对比度' });
      expect(await contrast.getAttribute('aria-pressed')).toBe('false');
      await contrast.click();
      expect(await contrast.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      expect(await computedStyle(page, 'body', 'background-color')).not.toBe(normalBg);
      expect(await computedStyle(page, 'body', 'color')).not.toBe(normalText);
      await expectAccessible(page, 'portal, high contrast');

      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      expect(await page.getByRole('button', { name: '高对比度' }).getAttribute('aria-pressed')).toBe('true');

      // Both together.
      await page.getByRole('button', { name: '大字模式' }).click();
      await expectAccessible(page, 'portal, large text + high contrast');

      // The workbench login page follows the same settings.
      await page.goto(`${env.baseUrl}/workbench`);
      await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      expect(parseFloat(await computedStyle(page, 'html', 'font-size'))).toBeGreaterThanOrEqual(baseRoot * 1.25);
      await expectAccessible(page, 'login, large text + high contrast');
    } finally {
      await context.close();
    }
  });

  it('switches to English and back, updating <html lang>', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.getByRole('link', { name: 'Log in', exact: true }).waitFor();
      await page.reload();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await expectAccessible(page, 'portal, English');
      await page.getByRole('button', { name: '中文' }).click();
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      await page.getByRole('link', { name: '登录', exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('keyboard only: the skip link comes first, focus is visible, and Tab reaches the 登录 link', async () => {
    const { context, page } = await newPage(env.browser);
    const active = () =>
      page.evaluate(`(() => { const a = document.activeElement;
        return { tag: a.tagName, text: (a.innerText || '').trim(), href: a.getAttribute('href'), id: a.id,
                 outline: getComputedStyle(a).outlineStyle, outlineWidth: getComputedStyle(a).outlineWidth }; })()`) as Promise<{
        tag: string;
        text: string;
        href: string | null;
        id: string;
        outline: string;
        outlineWidth: string;
      }>;
    try {
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();

      // First Tab: the skip link, visible when focused; Enter moves focus into <main>.
      await page.keyboard.press('Tab');
      let a = await active();
      expect(a.text).toBe('跳到主要内容');
      expect(await page.getByRole('link', { name: '跳到主要内容' }).isVisible()).toBe(true);
      await page.keyboard.press('Enter');
      a = await active();
      expect(a.id).toBe('main');

      // From the top again: Tab until the 登录 link; every stop shows a focus outline.
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await page.keyboard.press('Tab');
        a = await active();
        expect(a.tag).not.toBe('BODY');
        expect(a.outline, `focus outline on ${a.tag} "${a.text}"`).not.toBe('none');
        expect(parseFloat(a.outlineWidth)).toBeGreaterThanOrEqual(2);
        reached = a.tag === 'A' && a.text === '登录' && a.href === '/workbench';
      }
      expect(reached, 'Tab reaches the 登录 link').toBe(true);

      // Enter follows it: the login form, with the username field focused.
      await page.keyboard.press('Enter');
      await page.waitForURL(`${env.baseUrl}/workbench`);
      await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
      await expect.poll(async () => (await active()).id).toBe('login-username');
    } finally {
      await context.close();
    }
  });
});
