// 政策调整测算 in Chromium, keyboard only: the officer (city-wide) raises the 80–89 band of 老年综合津贴
// to 200 yuan beside the value in force and its citation, follows the run in the live region,
// and reads a positive 每月费用变化 with 0 人数减少 — the figures the API computed; axe finds nothing
// serious, in large text (and high contrast) too; a second run (250 yuan) is compared with the first side by side.
// An advisor has neither the link nor the page.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, expectNoWorkbenchPage, focused, largeTextByKeyboard, retype, tabTo, useBrowserAndServer } from './helpers.ts';

interface Figures {
  gaining: number;
  losing: number;
  changed: number;
  monthlyFenDelta: number | null;
  yearlyFenDelta: number | null;
}
interface Sim {
  id: string;
  name: string;
  status: string;
  changes: { scheme: string; name: string; value: unknown }[];
  result: { people: number; schemes: Record<string, Figures & { examples: Record<string, { personId: string }[]> }> } | null;
}
interface Param {
  name: string;
  label: string;
  value: unknown;
  citation: { document: string };
}

const schemeCell = (page: Page, scheme: string, figure: string) =>
  page.getByTestId('sim-schemes').locator(`tr[data-scheme="${scheme}"] td[data-figure="${figure}"]`);

const yuan = (fen: number) => `${fen > 0 ? '+' : fen < 0 ? '−' : ''}${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(Math.abs(fen) / 100)} 元`;

describe.skipIf(skipBrowserTests)('政策调整测算 (browser)', () => {
  const env = useBrowserAndServer();

  it('the officer raises the 80–89 allowance to 200 yuan by keyboard: progress, a positive monthly cost, 0 losing; axe clean (large text, high contrast); a second run compared with the first', async () => {
    const params = await apiGet<{ schemes: { scheme: string; parameters: Param[] }[] }>(env.baseUrl, '/api/v1/entitlements/parameters?region=310000', {});
    const monthly = params.schemes.find((s) => s.scheme === 'allowance')!.parameters.find((p) => p.name === 'monthlyFen')!;
    const band = (monthly.value as Record<string, number>)['80-89']!;
    expect(band, 'the 80–89 band is below 200 yuan today').toBeLessThan(20000);

    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer');
      // From the navigation, by keyboard (focus is on the people page's heading, below it).
      await tabTo(page, 'the 政策调整测算 link', (f) => f.tag === 'A' && f.href === '/workbench/simulations', { reverse: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${env.baseUrl}/workbench/simulations`);
      await page.getByRole('heading', { level: 1, name: '政策调整测算' }).waitFor();
      expect(await page.title()).toContain('政策调整测算');
      await expect.poll(() => page.locator('select option', { hasText: '老年综合津贴' }).count()).toBeGreaterThan(0);
      await expectAccessible(page, 'simulations, empty form');

      // Starting with nothing filled: the errors sit next to their fields, focus on the first.
      await tabTo(page, 'the start button', (f) => f.tag === 'BUTTON' && f.text === '开始测算');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.field-error', { hasText: '请填写测算名称' }).count()).toBe(1);
      expect(await page.locator('.field-error', { hasText: '请选择项目' }).count()).toBe(1);
      expect((await focused(page)).label).toBe('测算名称');
      await expectAccessible(page, 'simulations, errors');

      // Name, scheme, parameter — the value in force and its source appear beside it — and 200 yuan for 80–89.
      await page.keyboard.type('80–89 周岁津贴提高到 200 元');
      await tabTo(page, 'the scheme select', (f) => f.tag === 'SELECT' && f.label === '项目');
      await arrowToOption(page, '老年综合津贴');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('政策参数');
      await arrowToOption(page, monthly.label);
      const current = page.getByTestId('sim-current');
      await expect.poll(() => current.innerText()).toContain('80-89 周岁 每月 180 元');
      expect(await current.innerText()).toContain(monthly.citation.document);
      await tabTo(page, 'the 80–89 input', (f) => f.tag === 'INPUT' && f.label.startsWith('80-89 周岁'));
      expect((await focused(page)).label).toContain(`现行 ${band / 100} 元/月`);
      await page.keyboard.type('200');
      await expectAccessible(page, 'simulations, filled form');
      await tabTo(page, 'the start button', (f) => f.tag === 'BUTTON' && f.text === '开始测算');
      await page.keyboard.press('Enter');

      // Focus moves to the run; the live region tells the progress, then the end.
      await expect.poll(async () => (await focused(page)).text).toBe('测算进度与结果');
      const live = page.getByTestId('sim-live');
      expect(await live.getAttribute('role')).toBe('status');
      await expect.poll(() => live.innerText(), { timeout: 60_000 }).toContain('测算完成');
      expect(page.url()).toContain('run=');
      expect(await page.locator('.field-error').count()).toBe(0);

      // The figures are the server's.
      const api = await apiSession(env.baseUrl, 'officer');
      const first = (await apiGet<{ items: Sim[] }>(env.baseUrl, '/api/v1/entitlements/simulations', api)).items[0]!;
      expect(first.name).toBe('80–89 周岁津贴提高到 200 元');
      expect(first.status).toBe('done');
      // Entered in yuan, sent in fen, only the key changed.
      expect(first.changes).toEqual([expect.objectContaining({ scheme: 'allowance', name: 'monthlyFen', value: { '80-89': 20000 } })]);
      const a = first.result!.schemes.allowance!;
      expect(a.monthlyFenDelta).toBeGreaterThan(0);
      expect(a.losing).toBe(0);
      expect(a.changed).toBeGreaterThan(0);
      const monthlyText = await schemeCell(page, 'allowance', 'monthly').innerText();
      expect(monthlyText).toMatch(/^\+[\d,]+(\.\d+)? 元$/);
      expect(monthlyText).toBe(yuan(a.monthlyFenDelta!));
      expect(await schemeCell(page, 'allowance', 'yearly').innerText()).toBe(yuan(a.yearlyFenDelta!));
      expect(await schemeCell(page, 'allowance', 'losing').innerText()).toBe('0');
      expect(await schemeCell(page, 'allowance', 'gaining').innerText()).toBe('0');
      expect(await schemeCell(page, 'ltci', 'monthly').innerText()).toContain('小时');
      // Per district, and example people linking to their record.
      expect(await page.getByTestId('sim-districts').locator('tbody tr').count()).toBeGreaterThan(0);
      const example = a.examples.changed![0]!;
      expect(await page.locator(`a[href="/workbench/people/${example.personId}"]`).count()).toBe(1);
      await expectAccessible(page, 'simulations, result');

      // Large text, switched on by keyboard: bigger, same result, axe clean.
      await largeTextByKeyboard(page, { max: 80 });
      expect(await schemeCell(page, 'allowance', 'monthly').innerText()).toBe(monthlyText);
      await expectAccessible(page, 'simulations, result, large text');

      // A second run, by keyboard: the same change at 250 yuan.
      await tabTo(page, 'the name input', (f) => f.tag === 'INPUT' && f.label === '测算名称');
      await retype(page, '80–89 周岁津贴提高到 250 元');
      await tabTo(page, 'the 80–89 input', (f) => f.tag === 'INPUT' && f.label.startsWith('80-89 周岁'));
      await retype(page, '250');
      await tabTo(page, 'the start button', (f) => f.tag === 'BUTTON' && f.text === '开始测算');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).text).toBe('测算进度与结果');
      await expect.poll(() => live.innerText(), { timeout: 60_000 }).toContain('“80–89 周岁津贴提高到 250 元”测算完成');
      const second = (await apiGet<{ items: Sim[] }>(env.baseUrl, '/api/v1/entitlements/simulations', api)).items[0]!;
      expect(second.name).toBe('80–89 周岁津贴提高到 250 元');
      const b = second.result!.schemes.allowance!;
      expect(b.monthlyFenDelta).toBeGreaterThan(a.monthlyFenDelta!);

      // The list keeps both; tick them and compare, by keyboard.
      const list = page.getByTestId('sim-list');
      await expect.poll(() => list.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      await expect.poll(() => list.locator(`tr[data-id="${second.id}"]`).innerText()).toContain('已完成');
      await tabTo(page, 'the first run’s tick box', (f) => f.type === 'checkbox' && f.label.includes(first.name));
      await page.keyboard.press('Space');
      await tabTo(page, 'the second run’s tick box', (f) => f.type === 'checkbox' && f.label.includes(second.name), { reverse: true });
      await page.keyboard.press('Space');
      await tabTo(page, 'the compare button', (f) => f.tag === 'BUTTON' && f.text === '比较所选的两次测算');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).text).toBe('比较两次测算');
      const cmp = page.getByTestId('sim-compare-allowance');
      const head = await cmp.locator('thead').innerText();
      expect(head).toContain(first.name);
      expect(head).toContain(second.name);
      const row = cmp.locator('tr[data-figure="monthly"] td');
      expect(await row.nth(0).innerText()).toBe(yuan(a.monthlyFenDelta!));
      expect(await row.nth(1).innerText()).toBe(yuan(b.monthlyFenDelta!));
      expect(await row.nth(2).innerText()).toBe(yuan(b.monthlyFenDelta! - a.monthlyFenDelta!));
      expect(await cmp.locator('tr[data-figure="losing"] td').nth(2).innerText()).toBe('0');
      await expectAccessible(page, 'simulations, comparison, large text');

      // High contrast as well: signs and words, not colour, carry the figures; axe clean.
      await tabTo(page, 'the 高对比度 button', (f) => f.tag === 'BUTTON' && f.text.includes('高对比度'), { reverse: true, max: 120 });
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      expect(await row.nth(2).innerText()).toBe(yuan(b.monthlyFenDelta! - a.monthlyFenDelta!));
      await expectAccessible(page, 'simulations, comparison, large text + high contrast');
    } finally {
      await context.close();
    }
  });

  it('an advisor has no 政策调整测算 link and the page is not found', async () => {
    await expectNoWorkbenchPage(env.browser, env.baseUrl, 'advisor', '政策调整测算', '/workbench/simulations');
  });
});
