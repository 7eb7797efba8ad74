// 养老服务补贴电子券 in Chromium, keyboard only. Set up through the API as vouchers.db.test.ts does:
// a 低保 person in 浦东 with a signed care grade, granted the subsidy at the counter from last
// month, last month's batch computed by officer.pudong and approved by the city officer (which
// credits the balance); the demo citizen account is linked to the person as family. Then the
// provider redeems 50 yuan of 助浴 (new balance shown, this month's statement totals it) and a
// second redemption beyond the balance is refused with the server's words; the citizen signs in on
// the portal and sees the balance and both entries in plain words; officer.pudong sees the
// settlement per provider and the card on the person page. axe finds nothing serious, in large
// text too. Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCareGrade } from '../../src/assessment/index.ts';
import { demoAgencyKey } from '../../src/assessment/wiring.ts';
import { startEntitlementSweeps, WEB_DIR } from '../../src/app.ts';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { addDays, addMonths, addYears, todayIn, type LocalDate } from '../../src/core/dates.ts';
import { makeIdNumber } from '../../src/core/idnumber.ts';
import { linkUser } from '../../src/people/index.ts';
import { userIdOf } from '../../src/platform/auth.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { DEMO_PASSWORD, expectAccessible, launchBrowser, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, focused, largeTextByKeyboard, tabTo } from './helpers.ts';

/** Large text by keyboard, from the page's heading back to the 大字模式 toggle in the header. */
async function largeText(page: Page): Promise<void> {
  await page.locator('h1').first().focus();
  await largeTextByKeyboard(page);
}

/** Every visible control in main at least 60 × 60 CSS px (the portal's elder mode). */
async function smallTargets(page: Page): Promise<unknown[]> {
  return (await page.evaluate(`[...document.querySelectorAll('main button, main a.button, main input, main select, .header-nav a')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
    .filter((b) => b.h < 59.5 || b.w < 59.5)`)) as unknown[];
}

/** ¥1,036.00 as the pages write fen. */
const yuan = (fen: number) => `¥${(Math.abs(fen) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

describe.skipIf(skipBrowserTests)('养老服务补贴电子券 (browser)', () => {
  let p: TestPlatform | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let personId = '';
  let creditFen = 0;
  const spentFen = 5000;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = Record<string, any>;
  const call = async (username: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
    const r = await p!.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await p!.token(username)}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    ensureWebBuilt();
    p = await startTestPlatform('pglite', { people: 200, webDir: WEB_DIR });
    const today = todayIn(p.ctx.clock);
    const lastMonthStart = addMonths(`${today.slice(0, 7)}-01` as LocalDate, -1);
    const lastMonth = lastMonthStart.slice(0, 7);
    // A 低保 person in 浦东 with care grade 3 since before last month, granted the subsidy from last month.
    const created = await call('officer.pudong', 'POST', '/api/v1/people', {
      name: '孙桂英', idNumber: makeIdNumber('310115', addYears(today, -81), 77, 'F'), regionCode: '310115', hukouDistrictCode: '310115', insuranceType: 'resident', economicStatus: 'dibao',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    personId = created.body.id;
    const key = await demoAgencyKey(p.ctx, { code: '310115-A', districtCode: '310115' });
    const assessedOn = addDays(lastMonthStart, -5);
    const g = await call('officer.pudong', 'POST', '/api/v1/care-grades', { records: [signCareGrade({ personRef: personId, grade: 3, outcome: 'grade', agencyCode: '310115-A', assessedOn, validUntil: addDays(addYears(assessedOn, 2), -1) }, key)] });
    expect(g.status, JSON.stringify(g.body)).toBe(200);
    await p.ctx.dispatcher.runOnce();
    await startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 }).done;
    const grant = await call('officer.pudong', 'POST', `/api/v1/people/${personId}/grants`, { scheme: 'serviceSubsidy', status: 'granted', date: lastMonthStart });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
    // Last month's batch, computed in 浦东 and approved by the city officer: the balance is credited.
    const run = await call('officer.pudong', 'POST', '/api/v1/entitlements/payments', { scheme: 'serviceSubsidy', districtCode: '310115', month: lastMonth });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    const ok = await call('officer', 'POST', `/api/v1/entitlements/payments/${run.body.id}/approve`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const acc = await call('officer.pudong', 'GET', `/api/v1/people/${personId}/vouchers`);
    creditFen = acc.body.balanceFen;
    expect(creditFen).toBeGreaterThan(spentFen);
    // The demo citizen is a family member of this person (no linking flow yet: as the db test does).
    const citizenId = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
    await p.ctx.db.tx((q) => linkUser(q, citizenId!, personId, '310115', 'family'), { asAppRole: false });

    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = p.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });

  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('the provider redeems by keyboard: checks, confirms, sees the new balance and this month’s statement; beyond the balance it is refused in words; axe clean, large text too', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'provider');
      await tabTo(page, 'the 电子券核销 link', (f) => f.tag === 'A' && f.href === '/workbench/vouchers', { reverse: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${baseUrl}/workbench/vouchers`);
      await page.getByRole('heading', { level: 1, name: '电子券核销' }).waitFor();
      expect(await page.title()).toContain('电子券核销');
      expect(await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '电子券结算' }).count()).toBe(0);
      const statement = page.getByTestId('vch-statement');
      await statement.getByRole('heading', { level: 2, name: '本月核销明细' }).waitFor();
      await expect.poll(() => page.getByTestId('vch-statement-total').innerText()).toContain('还没有核销记录');
      await expectAccessible(page, 'redeem, empty');

      // Nothing filled: the errors sit next to the fields and focus goes to the first.
      await tabTo(page, 'the next button', (f) => f.tag === 'BUTTON' && f.text === '下一步：核对');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).label).toBe('老人编号');
      expect(await page.locator('.field-error', { hasText: '请填写老人编号' }).count()).toBe(1);
      expect(await page.locator('.field-error', { hasText: '请填写金额' }).count()).toBe(1);
      expect(await page.locator('.field-error', { hasText: '请选择服务项目' }).count()).toBe(1);
      await expectAccessible(page, 'redeem, errors');

      // 50 yuan of 助浴, by keyboard.
      await page.keyboard.type(personId);
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('金额（元）');
      await page.keyboard.type('50');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('服务项目');
      await arrowToOption(page, '助浴', 30);
      await tabTo(page, 'the next button', (f) => f.tag === 'BUTTON' && f.text === '下一步：核对');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).text).toBe('请核对这次核销');
      const confirm = page.locator('.vch-confirm');
      expect(await confirm.innerText()).toContain(personId);
      expect(await confirm.innerText()).toContain('¥50.00');
      expect(await confirm.innerText()).toContain('助浴');
      await expectAccessible(page, 'redeem, confirm');
      await tabTo(page, 'the confirm button', (f) => f.tag === 'BUTTON' && f.text === '确认核销');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('vch-new-balance').count()).toBe(1);
      expect(await page.getByTestId('vch-new-balance').innerText()).toBe(yuan(creditFen - spentFen));
      expect(await page.getByTestId('vch-done').innerText()).toContain('已扣除 ¥50.00（助浴）');
      expect((await focused(page)).text).toContain('核销成功');
      await expect.poll(() => page.getByTestId('vch-statement-total').innerText()).toContain('共核销 1 笔，合计 ¥50.00');
      expect(await statement.locator('tbody tr').count()).toBe(1);
      expect(await statement.locator('tbody tr').innerText()).toContain('助浴');
      const server = await call('provider', 'GET', '/api/v1/vouchers/statement');
      expect(server.body).toMatchObject({ totalFen: spentFen, count: 1 });
      await expectAccessible(page, 'redeem, done');

      // More than is left, with a service typed in: refused, in the server's words, nothing taken.
      await tabTo(page, 'the 老人编号 field', (f) => f.label === '老人编号', { reverse: true });
      await page.keyboard.type(personId);
      await page.keyboard.press('Tab');
      const tooMuch = creditFen; // the whole credit, now more than the balance
      await page.keyboard.type(String(tooMuch / 100));
      await page.keyboard.press('Tab');
      await arrowToOption(page, '其他（自己填写）', 30);
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('服务内容');
      await page.keyboard.type('陪同就医');
      await tabTo(page, 'the next button', (f) => f.tag === 'BUTTON' && f.text === '下一步：核对');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).text).toBe('请核对这次核销');
      await tabTo(page, 'the confirm button', (f) => f.tag === 'BUTTON' && f.text === '确认核销');
      await page.keyboard.press('Enter');
      const problem = page.getByTestId('vch-problem');
      await expect.poll(() => problem.innerText()).toContain('余额不足');
      expect(await problem.innerText()).toContain(`电子券余额不足：余额 ¥${((creditFen - spentFen) / 100).toFixed(2)}，本次 ¥${(tooMuch / 100).toFixed(2)}`);
      expect((await focused(page)).text).toContain('余额不足');
      expect((await call('officer.pudong', 'GET', `/api/v1/people/${personId}/vouchers`)).body.balanceFen).toBe(creditFen - spentFen);
      await expectAccessible(page, 'redeem, balance short');

      await largeText(page);
      await expectAccessible(page, 'redeem, large text');
    } finally {
      await context.close();
    }
  });

  it('the citizen signs in on the portal by keyboard and sees the balance and every entry, newest first; axe clean, large text too', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await smallTargets(page)).toEqual([]);
      await tabTo(page, 'the 我的养老服务补贴 link', (f) => f.tag === 'A' && f.href === '/my/vouchers');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${baseUrl}/my/vouchers`);
      await page.getByRole('heading', { level: 1, name: '我的养老服务补贴' }).waitFor();
      await page.getByRole('heading', { level: 2, name: '请先登录' }).waitFor();
      expect(await page.title()).toContain('我的养老服务补贴');
      await expectAccessible(page, 'my vouchers, sign-in');
      expect(await smallTargets(page)).toEqual([]);

      await tabTo(page, 'the 用户名 field', (f) => f.label === '用户名');
      await page.keyboard.type('citizen');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('密码');
      await page.keyboard.type(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      const account = page.locator(`[data-testid="my-account"][data-person="${personId}"]`);
      await account.waitFor();
      await expect.poll(async () => (await focused(page)).text).toBe('我的养老服务补贴');
      expect(await account.getByRole('heading', { level: 2 }).innerText()).toBe('孙桂英（家属）');
      expect(await account.getByTestId('my-balance').innerText()).toBe(yuan(creditFen - spentFen));
      const entries = account.locator('li.my-entry');
      expect(await entries.count()).toBe(2);
      const used = await entries.nth(0).innerText();
      expect(used).toContain('花费');
      expect(used).toContain('−¥50.00');
      expect(used).toContain('服务机构 赵经理：助浴');
      expect(used).toContain(`之后还剩 ${yuan(creditFen - spentFen)}`);
      const paidIn = await entries.nth(1).innerText();
      expect(paidIn).toContain('存入');
      expect(paidIn).toContain(`+${yuan(creditFen)}`);
      expect(paidIn).toMatch(/\d{4}年\d{1,2}月的养老服务补贴/);
      // The citizen's own record (本人) is listed as well.
      expect(await page.getByTestId('my-account').count()).toBeGreaterThanOrEqual(2);
      expect(await page.getByRole('heading', { level: 2, name: /（本人）$/ }).count()).toBe(1);
      await expectAccessible(page, 'my vouchers');

      await largeText(page);
      await expectAccessible(page, 'my vouchers, large text');
      expect(await smallTargets(page)).toEqual([]);
      await tabTo(page, 'the 高对比度 button', (f) => f.tag === 'BUTTON' && f.text.includes('高对比度'));
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      await expectAccessible(page, 'my vouchers, large text and high contrast');

      // Signing out by keyboard brings the sign-in back.
      await tabTo(page, 'the 退出登录 button', (f) => f.tag === 'BUTTON' && f.text === '退出登录', { reverse: true });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: '请先登录' }).waitFor();
      expect(await page.getByTestId('my-account').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('officer.pudong sees the settlement per provider and the grand total, and the card on the person page; axe clean, large text too', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'officer.pudong');
      await tabTo(page, 'the 电子券结算 link', (f) => f.tag === 'A' && f.href === '/workbench/voucher-settlements', { reverse: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${baseUrl}/workbench/voucher-settlements`);
      await page.getByRole('heading', { level: 1, name: '电子券结算' }).waitFor();
      expect(await page.title()).toContain('电子券结算');
      expect(await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '电子券核销' }).count()).toBe(0);
      const settlement = page.getByTestId('vch-settlement');
      await settlement.waitFor();
      expect(await page.getByTestId('vch-settle-total').innerText()).toBe('¥50.00');
      const row = settlement.locator('tbody tr[data-provider="服务机构 赵经理"]');
      expect(await row.locator('td').allInnerTexts()).toEqual(['1', '1', '¥50.00']);
      expect(await settlement.locator('tfoot').innerText()).toContain('¥50.00');
      await expectAccessible(page, 'settlement');

      // Last month (by keyboard): nothing was redeemed then.
      await tabTo(page, 'the month select', (f) => f.tag === 'SELECT' && f.label === '月份');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => settlement.innerText()).toContain('本辖区没有核销记录');
      expect(await page.getByTestId('vch-settle-total').innerText()).toBe('¥0.00');

      await largeText(page);
      await expectAccessible(page, 'settlement, large text');

      // The person page: balance and the latest entries.
      await page.goto(`${baseUrl}/workbench/people/${personId}`);
      const card = page.getByTestId('person-vouchers');
      await card.getByTestId('person-voucher-balance').waitFor();
      expect(await card.getByTestId('person-voucher-balance').innerText()).toBe(yuan(creditFen - spentFen));
      expect(await card.locator('tbody tr').count()).toBe(2);
      expect(await card.locator('tbody tr').first().innerText()).toContain('服务机构 赵经理：助浴');
      await expectAccessible(page, 'person page, voucher card');
    } finally {
      await context.close();
    }
  });
});
