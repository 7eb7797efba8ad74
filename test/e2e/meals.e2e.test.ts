// 老年助餐 in Chromium against the real server and the demo supply (its meal points, the demo
// menus and orders). Set up through the API: a canteen of the demo provider in 浦东 (entered and
// approved by the city officer, 20 meals a day) with today's lunch; a 低保 78-year-old linked to the
// demo citizen as family, and a delivered lunch for tomorrow ordered by the advisor. Then: the
// provider publishes tomorrow's lunch in the workbench by keyboard; the public /meals (from the
// portal's header link) finds points by district and near a place, keyboard only, axe clean in
// normal and large text, 60 px targets; the point's page leads to 「我的订餐」, where the citizen
// signs in, orders for the family member — price, subsidy and what she pays explained before
// 确认订餐 — and cancels it; 浦东's officer marks a demo order served on a point's day and finds it
// in the daily counts; the provider sees tomorrow's delivery list masked and opens the full
// delivery sheet after stating its purpose (audited). The clock is real: every order is for
// tomorrow (open whatever the hour), and serving uses the demo's orders of today.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIR } from '../../src/app.ts';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { addDays, addYears, todayIn, type LocalDate } from '../../src/core/dates.ts';
import { makeIdNumber } from '../../src/core/idnumber.ts';
import { linkUser } from '../../src/people/index.ts';
import { userIdOf } from '../../src/platform/auth.ts';
import { sql } from '../../src/platform/db.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { DEMO_PASSWORD, expectAccessible, launchBrowser, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, focused, largeTextByKeyboard, retype, tabTo } from './helpers.ts';

async function settled(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** Every visible control in main at least 60 × 60 CSS px (the portal's elder mode). */
async function smallTargets(page: Page): Promise<unknown[]> {
  return (await page.evaluate(`[...document.querySelectorAll('main button, main a.button, main input:not([type=radio]), main select, .header-nav a')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
    .filter((b) => b.h < 59.5 || b.w < 59.5)`)) as unknown[];
}

describe.skipIf(skipBrowserTests)('老年助餐 (browser)', () => {
  let p: TestPlatform | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = Record<string, any>;
  const call = async (username: string | null, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
    const headers: Record<string, string> = username ? { authorization: `Bearer ${await p!.token(username)}` } : {};
    const r = await p!.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
  };
  const CANTEEN = `e2e测试长者食堂${Date.now() % 10000}`;
  const SPOT = { lon: 121.5612, lat: 31.2131 };
  const PERSON = '助餐李阿婆';
  const ADDRESS = '浦东新区东方路 800 弄 12 号 501 室';
  let canteen = '';
  let personId = '';
  let today = '' as LocalDate;
  let tomorrow = '' as LocalDate;

  beforeAll(async () => {
    browser = await launchBrowser();
    ensureWebBuilt();
    p = await startTestPlatform('pglite', { people: 2000, webDir: WEB_DIR, supply: true });
    today = todayIn(p.ctx.clock);
    tomorrow = addDays(today, 1);
    const provider = (await call('provider', 'GET', '/api/v1/supply/mine')).body.provider as { id: string };
    const made = await call('officer', 'POST', '/api/v1/supply/facilities', {
      providerId: provider.id, name: CANTEEN, typeCode: 'canteen', ownership: 'public_private', regionCode: '310115004', address: '浦东新区潍坊路 99 号', ...SPOT,
      phone: '021-58889999', openingHours: '每日 10:30–13:00，16:30–18:30', functions: ['dine_in', 'meal_delivery'], mealCapacity: 20,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    canteen = made.body.id as string;
    const lunch = { dishes: [{ name: '清蒸鲈鱼' }, { name: '香菇菜心' }, { name: '冬瓜排骨汤' }], priceFen: 1600, delivery: true, deliveryFeeFen: 300 };
    expect((await call('provider', 'PUT', `/api/v1/meals/points/${canteen}/menus/${today}/lunch`, lunch)).status).toBe(200);
    const person = await call('officer.pudong', 'POST', '/api/v1/people', {
      name: PERSON, idNumber: makeIdNumber('310115', addYears(addDays(today, -30), -78), 83, 'F'), regionCode: '310115004', hukouDistrictCode: '310115', insuranceType: 'resident', economicStatus: 'dibao',
    });
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    personId = person.body.id as string;
    const citizen = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
    await p.ctx.db.tx((q) => linkUser(q, citizen!, personId, '310115', 'family'), { asAppRole: false });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = p.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('the provider publishes tomorrow’s lunch in the workbench, by keyboard', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'provider');
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '助餐' }).click();
      await page.getByRole('heading', { level: 1, name: '助餐' }).waitFor();
      await page.getByTestId('meals-points').waitFor();
      await expectAccessible(page, '/workbench/meals, the provider’s points');
      await page.getByTestId('meals-points').getByRole('link', { name: CANTEEN }).click();
      await page.getByRole('heading', { level: 2, name: new RegExp(`^${CANTEEN}：`) }).waitFor();
      await page.getByRole('button', { name: '后一天' }).click();
      await expect.poll(() => page.url()).toContain(`date=${tomorrow}`);
      const lunch = page.locator('[data-testid="meals-wb-meal"][data-meal="lunch"]');
      await lunch.getByText('还没有发布午餐菜单。').waitFor();
      await lunch.getByRole('button', { name: '发布午餐菜单' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).tag).toBe('TEXTAREA');
      await page.keyboard.type('红烧肉\n清炒青菜\n番茄蛋汤（少盐）');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('价格（元）');
      await page.keyboard.type('15');
      await tabTo(page, 'the delivery fee', (f) => f.label === '送餐费（元）', { max: 3 });
      await retype(page, '3');
      await tabTo(page, 'the 发布菜单 button', (f) => f.text === '发布菜单', { max: 3 });
      await page.keyboard.press('Enter');
      await expect.poll(() => lunch.getByTestId('meals-menu').innerText()).toBe('红烧肉、清炒青菜、番茄蛋汤（少盐）；15.00 元；可送餐，送餐费 3.00 元；订餐截止：用餐当天 09:00');
      await expectAccessible(page, '/workbench/meals, a point’s day');
    } finally {
      await context.close();
    }
    const menu = (await call(null, 'GET', `/api/v1/meals/points/${canteen}`)).body.days.find((d: Body) => d.date === tomorrow).menus[0];
    expect(menu).toMatchObject({ meal: 'lunch', priceFen: 1500, delivery: true, deliveryFeeFen: 300, open: true });
    expect(menu.dishes[2]).toEqual({ name: '番茄蛋汤', note: '少盐' });
    // The advisor orders a delivered lunch for tomorrow (the provider's delivery list below).
    const delivered = await call('advisor', 'POST', '/api/v1/meals/orders', { personId, facilityId: canteen, date: tomorrow, meal: 'lunch', mode: 'delivery', deliveryAddress: ADDRESS, contactPhone: '13800138000' });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(201);
    expect(delivered.body).toMatchObject({ priceFen: 1800, subsidyFen: 0, relation: '代办' }); // grade below 2: no delivery subsidy
    // … and cancels it at once: the citizen orders that meal below; the delivery list keeps a second person's.
    expect((await call('advisor', 'POST', `/api/v1/meals/orders/${delivered.body.id}/cancel`, { reason: '改为家属订餐' })).status).toBe(200);
    const other = (await p!.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL AND deleted_at IS NULL AND id <> ${personId}::uuid
      AND id NOT IN (SELECT person_id FROM care.meal_order WHERE meal_date = ${tomorrow}::date AND meal = 'lunch' AND status <> 'cancelled') ORDER BY id LIMIT 1`))[0]!.id;
    const second = await call('advisor', 'POST', '/api/v1/meals/orders', { personId: other, facilityId: canteen, date: tomorrow, meal: 'lunch', mode: 'delivery', deliveryAddress: ADDRESS, contactPhone: '13800138000' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
  });

  it('/meals finds meal points by district and near a place, by keyboard alone; axe clean in normal and large text; 60 px targets', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('navigation').getByRole('link', { name: '老年助餐' }).click();
      await page.waitForURL(`${baseUrl}/meals`);
      await page.getByRole('heading', { level: 1, name: '老年助餐' }).waitFor();
      expect(await page.title()).toContain('老年助餐');
      const rules = page.getByTestId('meals-rules');
      await rules.waitFor();
      expect(await rules.innerText()).toContain('60 岁及以上经济困难老人（低保、低收入、特困）：每餐补贴 6.00 元');
      expect(await rules.innerText()).toContain('午餐：用餐当天 09:00 前可以订餐或退订');
      await expect.poll(() => page.getByTestId('meals-count').innerText()).toMatch(/^共 \d+ 个助餐点/);
      await expectAccessible(page, '/meals');
      expect(await smallTargets(page)).toEqual([]);

      // Keyboard alone: the district, then 查找助餐点.
      await page.locator('h1').focus();
      await tabTo(page, 'the district field', (f) => f.tag === 'SELECT' && f.label === '在哪个区');
      await arrowToOption(page, '浦东新区', 30);
      await tabTo(page, 'the 查找助餐点 button', (f) => f.text === '查找助餐点', { max: 3 });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.url()).toContain('region=310115');
      const total = (await call(null, 'GET', '/api/v1/meals/points?region=310115')).body.total as number;
      expect(total).toBeGreaterThan(8);
      await expect.poll(() => page.getByTestId('meals-count').innerText()).toBe(`共 ${total} 个助餐点，这是第 1 页。`);
      expect(await page.getByTestId('meals-point').count()).toBe(8);
      // 下一页 and back again, by keyboard.
      const pager = page.getByRole('navigation', { name: '翻页' });
      expect(await pager.getByRole('button', { name: '上一页' }).count()).toBe(0);
      await pager.getByRole('button', { name: '下一页' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('meals-count').innerText()).toBe(`共 ${total} 个助餐点，这是第 2 页。`);
      await pager.getByRole('button', { name: '上一页' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('meals-count').innerText()).toBe(`共 ${total} 个助餐点，这是第 1 页。`);

      // Near the canteen (the search lives in the URL): it comes first, with today's lunch and what is left.
      await page.goto(`${baseUrl}/meals?near=${SPOT.lon},${SPOT.lat}&place=${encodeURIComponent('潍坊路 99 号')}`);
      await expect.poll(() => page.getByTestId('meals-count').innerText()).toContain('离“潍坊路 99 号”由近到远');
      const first = page.getByTestId('meals-point').first();
      expect(await first.getByRole('heading', { level: 3 }).innerText()).toBe(CANTEEN);
      expect(await first.innerText()).toContain('清蒸鲈鱼、香菇菜心、冬瓜排骨汤');
      expect(await first.innerText()).toContain('可以送餐，送餐费 3.00 元');
      expect(await first.getByTestId('meals-left').innerText()).toBe('今天还可以订 20 份（每天最多 20 份）');
      await page.locator('h1').focus();
      await largeTextByKeyboard(page);
      await expectAccessible(page, '/meals, near a place, large text');
      expect(await smallTargets(page)).toEqual([]);

      // To the point's page by keyboard, and from tomorrow's lunch to 「我的订餐」.
      await tabTo(page, 'the first 看菜单、订餐 link', (f) => f.tag === 'A' && f.text === '看菜单、订餐');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: CANTEEN }).waitFor();
      const day = page.locator(`[data-testid="meals-day"][data-date="${tomorrow}"]`);
      await day.waitFor();
      expect(await day.innerText()).toContain('红烧肉、清炒青菜、番茄蛋汤（少盐）');
      expect(await day.innerText()).toContain('还可以订 19 份');
      await expectAccessible(page, '/meals/points/:id, large text');
      expect(await smallTargets(page)).toEqual([]);
      await tabTo(page, 'tomorrow’s 订这一餐', (f) => f.tag === 'A' && f.href === `/my/meals?point=${canteen}&date=${tomorrow}&meal=lunch`, { max: 80 });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: '我的订餐' }).waitFor();
      await page.getByRole('heading', { level: 2, name: '请先登录' }).waitFor();
      await expectAccessible(page, '/my/meals, sign-in, large text');
    } finally {
      await context.close();
    }
  });

  it('the citizen signs in on /my/meals, orders for a family member with the subsidy explained before confirming, then cancels', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await page.goto(`${baseUrl}/my/meals?point=${canteen}&date=${tomorrow}&meal=lunch`);
      await page.getByRole('heading', { level: 2, name: '请先登录' }).waitFor();
      await tabTo(page, 'the 用户名 field', (f) => f.label === '用户名');
      await page.keyboard.type('citizen');
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      const form = page.getByTestId('meals-order-form');
      await form.waitFor();
      expect(await form.getByRole('heading', { level: 2 }).innerText()).toMatch(new RegExp(`^订餐：${CANTEEN}，\\d+月\\d+日（星期.）午餐$`));
      const person = page.locator(`[data-testid="meals-person"][data-person="${personId}"]`);
      expect(await person.getByRole('heading', { level: 2 }).innerText()).toBe(`${PERSON}（家属）`);
      expect(await person.getByTestId('meals-subsidy').innerText()).toContain('堂食每餐 6.00 元（60 岁及以上经济困难老人（低保、低收入、特困））');
      await settled(page);
      await expectAccessible(page, '/my/meals, the order form');
      expect(await smallTargets(page)).toEqual([]);

      // Nobody chosen: said, focus on the first person.
      await form.getByRole('button', { name: '算一算要付多少钱' }).click();
      await form.getByText('请选择为哪位老人订餐。').waitFor();
      expect((await focused(page)).type).toBe('radio');
      // By keyboard: the arrows move through the people (and choose), then the price.
      for (let i = 0; i < 3 && (await focused(page)).label !== `${PERSON}（家属）`; i++) await page.keyboard.press('ArrowDown');
      expect((await focused(page)).label).toBe(`${PERSON}（家属）`);
      expect(await form.getByRole('radio', { name: `${PERSON}（家属）` }).isChecked()).toBe(true);
      await tabTo(page, 'the 算一算 button', (f) => f.text === '算一算要付多少钱', { max: 8 });
      await page.keyboard.press('Enter');
      const quote = page.getByTestId('meals-quote');
      await quote.waitFor();
      await expect.poll(async () => (await focused(page)).text).toMatch(/^请确认：助餐李阿婆，.*午餐，堂食$/);
      expect(await quote.locator('[data-figure="price"]').innerText()).toBe('15.00 元');
      expect(await quote.locator('[data-figure="subsidy"]').innerText()).toBe('6.00 元');
      expect(await quote.locator('[data-figure="pays"]').innerText()).toBe('9.00 元');
      expect(await quote.innerText()).toContain('78 岁、低保、无照护等级，符合“60 岁及以上经济困难老人（低保、低收入、特困）”：堂食补贴每餐 6.00 元');
      expect(await quote.innerText()).toContain('15.00 元 − 补贴 6.00 元 = 9.00 元');
      await page.locator('h1').focus();
      await largeTextByKeyboard(page);
      await expectAccessible(page, '/my/meals, the quote, large text');
      expect(await smallTargets(page)).toEqual([]);
      await tabTo(page, 'the 确认订餐 button', (f) => f.text === '确认订餐');
      await page.keyboard.press('Enter');
      const done = page.getByTestId('meals-done');
      await done.waitFor();
      expect(await done.innerText()).toContain(`${PERSON}，`);
      expect(await done.innerText()).toContain('自付 9.00 元（已减去补贴 6.00 元）');
      await expect.poll(async () => (await focused(page)).text).toContain('已订好');
      const card = person.getByTestId('meals-order').first();
      expect(await card.getByTestId('meals-order-status').innerText()).toBe('已预订');
      await expectAccessible(page, '/my/meals, ordered, large text');

      // Cancel, confirmed in words; the order stays as 已取消.
      await card.getByRole('button', { name: /^退订/ }).click();
      await expect.poll(async () => (await focused(page)).text).toBe('确认退订');
      await expectAccessible(page, '/my/meals, cancel confirmation');
      await page.keyboard.press('Enter');
      await expect.poll(() => card.getByTestId('meals-order-status').innerText()).toBe('已取消');
      expect(await card.getByRole('button', { name: /^退订/ }).count()).toBe(0);
    } finally {
      await context.close();
    }
    const orders = (await call('advisor', 'GET', `/api/v1/meals/orders?personId=${personId}`)).body.orders as Body[];
    expect(orders.filter((o) => o.relation === '家属').map((o) => [o.status, o.subsidyFen, o.paysFen])).toEqual([['cancelled', 600, 900]]);
  });

  it('浦东’s officer marks a demo order of today served on the point’s day and finds it in the daily counts', async () => {
    const counts = await call('officer.pudong', 'GET', `/api/v1/meals/daily-counts?from=${today}&to=${today}`);
    const busy = (counts.body.items as Body[]).find((i) => i.open > 0)!;
    expect(busy, 'the demo has open orders today in 浦东').toBeTruthy();
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'officer.pudong');
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '助餐' }).click();
      await page.getByTestId('meals-points').waitFor();
      await page.locator(`[data-testid="meals-points"] tr[data-point="${busy.facilityId}"] a`).click();
      await page.getByRole('heading', { level: 2, name: new RegExp(`^${busy.facilityName}：`) }).waitFor();
      const stats = page.getByTestId('meals-day-counts');
      await stats.waitFor();
      const servedBefore = Number(await stats.locator('[data-figure="served"]').innerText()) + Number(await stats.locator('[data-figure="delivered"]').innerText());
      expect(servedBefore).toBe(busy.served);
      await expectAccessible(page, '/workbench/meals, a demo point’s day');
      const serveButton = page.getByTestId('meals-orders').getByRole('button', { name: /^登记已(就餐|送达)/ }).first();
      await serveButton.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.status-slot').innerText()).toMatch(/^已登记：.+的(早餐|午餐|晚餐)：已(就餐|送达)$/);
      await expect.poll(async () => Number(await stats.locator('[data-figure="served"]').innerText()) + Number(await stats.locator('[data-figure="delivered"]').innerText())).toBe(servedBefore + 1);

      await page.getByRole('navigation', { name: '助餐分页' }).getByRole('link', { name: '每日统计' }).click();
      const row = page.locator(`[data-testid="meals-counts-points"] tr[data-point="${busy.facilityId}"][data-date="${today}"]`);
      await row.waitFor();
      expect(await row.locator('[data-figure="served"]').innerText()).toBe(String(busy.served + 1));
      await expectAccessible(page, '/workbench/meals?tab=counts');
    } finally {
      await context.close();
    }
    const after = (await call('officer.pudong', 'GET', `/api/v1/meals/daily-counts?from=${today}&to=${today}`)).body.items.find((i: Body) => i.facilityId === busy.facilityId);
    expect(after).toMatchObject({ served: busy.served + 1, open: busy.open - 1 });
  });

  it('the provider sees tomorrow’s delivery list masked, and the full sheet only after stating its purpose (audited)', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'provider');
      await page.goto(`${baseUrl}/workbench/meals?point=${canteen}&date=${tomorrow}`);
      const list = page.getByTestId('meals-delivery');
      await list.waitFor();
      expect(await list.innerText()).toContain('浦东新区东方路');
      expect(await list.innerText()).not.toContain('501');
      expect(await list.innerText()).toContain('138****8000');
      await page.getByRole('button', { name: '查看完整送餐单' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect((await focused(page)).label).toBe('用途');
      await dialog.getByRole('button', { name: '查看送餐单' }).click();
      await dialog.getByText('请写明用途。').waitFor();
      await expectAccessible(page, 'delivery sheet purpose dialog');
      await page.keyboard.type('午餐送餐');
      await dialog.getByRole('button', { name: '查看送餐单' }).click();
      const sheet = page.getByTestId('meals-sheet');
      await sheet.waitFor();
      expect(await sheet.innerText()).toContain(ADDRESS);
      expect(await sheet.innerText()).toContain('13800138000');
      await expect.poll(async () => (await focused(page)).text).toBe('送餐单（用途：午餐送餐）');
    } finally {
      await context.close();
    }
    const audit = await p!.ctx.db.rows<{ actor_role: string; details: Body }>(sql`SELECT actor_role, details FROM platform.audit_log WHERE action = 'meals.delivery_sheet.read' ORDER BY seq`);
    expect(audit.at(-1)).toMatchObject({ actor_role: 'provider', details: { purpose: '午餐送餐', date: tomorrow } });
  });
});
