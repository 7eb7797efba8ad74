// 保基本床位轮候 in Chromium against the real server and the demo supply (its basic-guarantee beds).
// Set up through the API: three 特困 people in 浦东 (tier 1), the demo citizen linked to the first
// as family; the second and third apply (as the advisor) for one facility left with a single vacant
// basic bed. Then: the public /waitlist (rules, facilities by district, keyboard only, axe in
// normal and large text); the advisor applies for the first person on the person page, choosing
// and ordering two facilities by keyboard, and sees 轮候中 with a place; the city officer runs 试算
// then 正式分配 (fairness passed, in words), a district officer is refused a real run in the
// server's words; the citizen signs in on /my/waitlist (axe, large text, 60 px targets), accepts
// the offer and sees 已入住 — the bed is occupied in the registry; the second person declines on
// the person page (the reason dialog), the next 正式分配 offers the bed to the third.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIR } from '../../src/app.ts';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { addYears, todayIn } from '../../src/core/dates.ts';
import { makeIdNumber } from '../../src/core/idnumber.ts';
import { linkUser } from '../../src/people/index.ts';
import { userIdOf } from '../../src/platform/auth.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { DEMO_PASSWORD, expectAccessible, launchBrowser, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, focused, largeTextByKeyboard, tabTo } from './helpers.ts';

interface Choosable {
  id: string;
  name: string;
  districtCode: string;
  districtName: string;
  basicBeds: number;
  vacantBasicBeds: number;
  waiting: number;
}

interface Offer {
  id: string;
  facilityId: string;
  facilityName: string;
  bedLabel: string | null;
  status: string;
}

interface View {
  id: string;
  personId: string;
  status: string;
  offers: Offer[];
  choices: { facilityId: string; position: number }[];
}

interface Bed {
  id: string;
  basicGuarantee: boolean;
  status: string;
}

interface FacilityDetail {
  id: string;
  beds: { vacant: number } | null;
  bedList: Bed[];
}

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

describe.skipIf(skipBrowserTests)('保基本床位轮候 (browser)', () => {
  let p: TestPlatform | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = Record<string, any>;
  const call = async (username: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
    const r = await p!.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await p!.token(username)}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
  };
  const people = { first: '', second: '', third: '' };
  const names = { first: '轮候甲', second: '轮候乙', third: '轮候丙', other: '轮候丁' };
  let otherId = '';
  const NEW_HOME = `轮候测试福利院${Date.now() % 10000}`;
  const SINGLE_HOME = `${NEW_HOME}分院`;
  /** The first person's two choices (a new home with two basic beds first), and the new home with one bed. */
  let choiceA: Choosable;
  let choiceB: Choosable;
  let single: Choosable;
  let occupiedBefore = 0;
  let vacantBefore = 0;

  const facilityOf = async (id: string) => (await call('officer', 'GET', `/api/v1/supply/facilities/${id}`)).body as FacilityDetail;
  const applicationOf = async (personId: string): Promise<View> => {
    const list = await call('advisor', 'GET', `/api/v1/waitlist/applications?personId=${personId}`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const id = (list.body.items as { id: string }[])[0]!.id;
    return (await call('advisor', 'GET', `/api/v1/waitlist/applications/${id}`)).body as View;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    ensureWebBuilt();
    p = await startTestPlatform('pglite', { people: 2000, webDir: WEB_DIR, supply: true });
    const today = todayIn(p.ctx.clock);
    let seq = 61;
    for (const k of ['first', 'second', 'third'] as const) {
      const created = await call('officer.pudong', 'POST', '/api/v1/people', {
        name: names[k], idNumber: makeIdNumber('310115', addYears(today, -78), seq++, 'F'), regionCode: '310115', hukouDistrictCode: '310115', insuranceType: 'resident', economicStatus: 'tekun',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      people[k] = created.body.id as string;
    }
    // A fourth, 65 and without a care grade: not eligible (the citizen is linked to them too).
    const other = await call('officer.pudong', 'POST', '/api/v1/people', {
      name: names.other, idNumber: makeIdNumber('310115', addYears(today, -65), seq++, 'M'), regionCode: '310115', hukouDistrictCode: '310115', insuranceType: 'employee', economicStatus: 'none',
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    otherId = other.body.id as string;
    const citizenId = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
    await p.ctx.db.tx((q) => linkUser(q, citizenId!, people.first, '310115', 'family'), { asAppRole: false });
    await p.ctx.db.tx((q) => linkUser(q, citizenId!, otherId, '310115', 'family'), { asAppRole: false });

    // Two new public homes in 浦东, approved at once (entered by the officer), far from every other
    // facility so that no demo applicant's choices or radius reach them: two basic-guarantee beds
    // for the first person, one for the second and third to contend for. The demo supply keeps its
    // basic beds nearly full and its waiting list long; these make the outcome certain.
    const provider = (await call('provider', 'GET', '/api/v1/supply/mine')).body.provider as { id: string };
    const streets = (await call('officer', 'GET', '/api/v1/regions?parent=310115')).body.items as { code: string }[];
    // The point of the city farthest from every basic-guarantee home (demo radius choices are ≤ 7 km).
    const existing = (await call('officer', 'GET', '/api/v1/waitlist/facilities')).body.items as Choosable[] & { lon: number; lat: number }[];
    const km = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) => Math.hypot((a.lon - b.lon) * 95, (a.lat - b.lat) * 111);
    const spots: { lon: number; lat: number; d: number }[] = [];
    for (let lon = 120.9; lon <= 122.15; lon += 0.05) {
      for (let lat = 30.7; lat <= 31.85; lat += 0.05) spots.push({ lon, lat, d: Math.min(...existing.map((f) => km(f as never, { lon, lat }))) });
    }
    spots.sort((a, b) => b.d - a.d);
    const made: string[] = [];
    for (const [name, beds] of [[NEW_HOME, 2], [SINGLE_HOME, 1]] as const) {
      let f: { status: number; body: Body } | null = null;
      for (const spot of spots.slice(0, 30)) {
        f = await call('officer', 'POST', '/api/v1/supply/facilities', {
          providerId: provider.id, name, typeCode: 'institution', ownership: 'public', basicGuarantee: true, regionCode: streets[0]!.code, address: '浦东新区测试路 7 号',
          lon: Math.round(spot.lon * 1e4) / 1e4 + made.length * 0.01, lat: Math.round(spot.lat * 1e4) / 1e4, phone: '021-58880007',
        });
        if (f.status === 201) break;
      }
      expect(f!.status, JSON.stringify(f!.body)).toBe(201);
      expect(spots[0]!.d, 'a place 8 km from every basic-guarantee home').toBeGreaterThan(8);
      const room = await call('officer', 'POST', `/api/v1/supply/facilities/${f!.body.id}/rooms`, { name: '101', beds: Array.from({ length: beds }, () => ({ kind: 'nursing', basicGuarantee: true })) });
      expect(room.status, JSON.stringify(room.body)).toBe(201);
      made.push(f!.body.id as string);
    }
    const all = (await call('officer', 'GET', '/api/v1/waitlist/facilities')).body.items as Choosable[];
    choiceA = all.find((f) => f.id === made[0])!;
    single = all.find((f) => f.id === made[1])!;
    expect(choiceA).toMatchObject({ districtCode: '310115', basicBeds: 2, vacantBasicBeds: 2, waiting: 0 });
    expect(single).toMatchObject({ districtCode: '310115', basicBeds: 1, vacantBasicBeds: 1, waiting: 0 });
    // The first person's second choice: any other home of 浦东 (the first choice has room for them).
    choiceB = all.find((f) => f.districtCode === '310115' && !made.includes(f.id) && all.filter((g) => g.name === f.name).length === 1)!;
    // The second and third person both want only the single bed; the second applied first.
    for (const k of ['second', 'third'] as const) {
      const r = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: people[k], mode: 'choices', choices: [single.id] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    single = { ...single, waiting: 2 };
    choiceB = (await call('officer', 'GET', '/api/v1/waitlist/facilities')).body.items.find((f: Choosable) => f.id === choiceB.id) as Choosable;
    const a = await facilityOf(choiceA.id);
    occupiedBefore = a.bedList.filter((b) => b.basicGuarantee && b.status === 'occupied').length;
    vacantBefore = a.beds!.vacant;

    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = p.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('/waitlist shows the rules and the facilities by district, by keyboard alone; axe clean in normal and large text', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await page.goto(`${baseUrl}/`);
      await page.getByRole('link', { name: '保基本床位轮候' }).click();
      await page.waitForURL(`${baseUrl}/waitlist`);
      await page.getByRole('heading', { level: 1, name: '保基本养老床位轮候' }).waitFor();
      expect(await page.title()).toContain('保基本养老床位轮候');
      const rules = page.getByTestId('wl-rules');
      await rules.waitFor();
      expect(await rules.innerText()).toContain('优先层级');
      expect(await rules.innerText()).toContain('第 1 层级：特困供养人员');
      expect(await rules.innerText()).toMatch(/3 个工作日内答复/);
      await page.getByTestId('wl-facilities').waitFor();
      await expectAccessible(page, '/waitlist');
      expect(await smallTargets(page)).toEqual([]);

      // Keyboard alone: from the top, Tab reaches 我的轮候, the district filter and the facility list.
      await page.locator('h1').focus();
      await tabTo(page, 'the 我的轮候 link', (f) => f.tag === 'A' && f.href === '/my/waitlist');
      await tabTo(page, 'the district filter', (f) => f.tag === 'SELECT' && f.label === '按区查看');
      await arrowToOption(page, choiceA.districtName, 30);
      await expect.poll(() => page.getByTestId('wl-fac-count').innerText()).toMatch(/共 \d+ 家机构/);
      await tabTo(page, 'the facility list', (f) => f.tag === 'DIV' && f.text.includes(choiceA.name), { max: 5 });
      const rows = page.getByTestId('wl-facilities').locator('tbody tr');
      expect(await rows.count()).toBe(Number(/共 (\d+) 家/.exec(await page.getByTestId('wl-fac-count').innerText())![1]));
      const row = page.getByTestId('wl-facilities').locator(`tr[data-facility="${single.id}"]`);
      expect(await row.innerText()).toMatch(new RegExp(`${single.name}\\s+浦东新区\\s+${single.basicBeds}\\s+1\\s+2`));

      await page.locator('h1').focus();
      await largeTextByKeyboard(page);
      await expectAccessible(page, '/waitlist, large text');
    } finally {
      await context.close();
    }
  });

  it('the advisor applies for a person on the person page, choosing and ordering facilities by keyboard, and sees 轮候中 with a place', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'advisor');
      expect(await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '床位轮候' }).count()).toBe(1);
      await page.goto(`${baseUrl}/workbench/people/${people.first}`);
      const card = page.getByTestId('wl-person-card');
      await card.getByRole('heading', { level: 2, name: '保基本床位轮候' }).waitFor();
      await card.getByText('这位老人现在没有正在轮候的申请。').waitFor();
      const facilitySelect = card.getByLabel('机构', { exact: true });
      await expect.poll(() => facilitySelect.locator('option').count()).toBeGreaterThan(2);
      // The district starts at the person's.
      expect(await card.getByLabel('先选区').locator('option:checked').innerText()).toBe('浦东新区');
      const option = (f: Choosable) => `${f.name}（空床 ${f.vacantBasicBeds} 张，轮候 ${f.waiting} 人）`;

      // Submitting nothing: the problem is said, focus on the list of facilities.
      await card.getByRole('button', { name: '提交申请' }).click();
      await card.getByText('请至少选择一家机构。').waitFor();
      expect((await focused(page)).label).toBe('机构');

      // By keyboard: the second facility, 加入志愿, then the first, 加入志愿; focus comes back each time.
      await arrowToOption(page, option(choiceB), 300);
      await page.keyboard.press('Tab');
      expect((await focused(page)).text).toBe('加入志愿');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).label).toBe('机构');
      await arrowToOption(page, option(choiceA), 300);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const chosen = card.getByTestId('wl-chosen').locator('li');
      await expect.poll(() => chosen.count()).toBe(2);
      expect(await chosen.allInnerTexts()).toEqual([expect.stringContaining(`第 1 志愿：${choiceB.name}`), expect.stringContaining(`第 2 志愿：${choiceA.name}`)]);
      // 上移 the second: it becomes the first, and the focus stays on its button.
      await tabTo(page, `上移：${choiceA.name}`, (f) => f.name === `上移：${choiceA.name}`);
      await page.keyboard.press('Enter');
      await expect.poll(() => chosen.first().innerText()).toContain(`第 1 志愿：${choiceA.name}`);
      expect((await focused(page)).name).toBe(`上移：${choiceA.name}`);
      expect(await card.locator('.wl-announce').innerText()).toBe(`${choiceA.name} 现在是第 1 志愿。`);
      await expectAccessible(page, 'person page, apply form');

      await tabTo(page, 'the 提交申请 button', (f) => f.tag === 'BUTTON' && f.text === '提交申请');
      await page.keyboard.press('Enter');
      const app = card.getByTestId('wl-application');
      await app.waitFor();
      expect(await app.getByTestId('wl-status').innerText()).toBe('轮候中');
      expect(await app.innerText()).toContain('第 1 层级：特困供养人员');
      const choices = app.getByTestId('wl-choice');
      expect(await choices.count()).toBe(2);
      expect(await choices.first().innerText()).toContain(`第 1 志愿：${choiceA.name}`);
      expect(await choices.first().getByTestId('wl-position').innerText()).toMatch(/^排在第 \d+ 位$/);
      expect(await choices.first().innerText()).toMatch(/前面没有人|前面有 \d+ 人：第 \d 层级 \d+ 人/);
      expect(await choices.first().innerText()).toMatch(/预计还要等 [\d.]+ 到 [\d.]+ 个月|预计 [\d.]+ 个月内|暂无足够数据估算等待时间/);
      expect(await choices.first().innerText()).toMatch(/现有空床 \d+ 张（保基本床位共 \d+ 张）/);
      expect(await app.getByTestId('wl-history').innerText()).toContain('提交轮候申请');
      await expectAccessible(page, 'person page, application');
      const view = await applicationOf(people.first);
      expect(view.status).toBe('active');
      expect(view.choices.map((c) => c.facilityId)).toEqual([choiceA.id, choiceB.id]);
    } finally {
      await context.close();
    }
  });

  it('the city officer runs 试算 then 正式分配 (fairness passed); a district officer may not run it for real', async () => {
    const before = (await call('officer', 'GET', '/api/v1/waitlist/overview')).body as { queue: { count: number }[]; runs: unknown[] };
    const queued = before.queue.reduce((n, q) => n + q.count, 0);
    /** The figures shown are the run's as the API has it. */
    const expectRunShown = async (page: Page, dry: boolean) => {
      const result = page.getByTestId('wl-run-result');
      await expect.poll(() => result.getAttribute('data-dry')).toBe(dry ? '1' : '0');
      const heading = await result.getByRole('heading', { level: 2 }).innerText();
      expect(heading).toMatch(dry ? /^试算结果（第 \d+ 次）$/ : /^正式分配结果（第 \d+ 次）$/);
      const run = (await call('officer', 'GET', `/api/v1/waitlist/runs/${/第 (\d+) 次/.exec(heading)![1]}`)).body as { dryRun: boolean; fairnessOk: boolean; summary: Record<string, number> };
      expect(run.dryRun).toBe(dry);
      expect(run.fairnessOk).toBe(true);
      for (const k of ['applicants', 'places', 'offers', 'unassigned', 'excluded']) expect(await result.locator(`[data-figure="${k}"]`).innerText()).toBe(String(run.summary[k]));
      expect(await result.locator('[data-figure="firstChoice"]').innerText()).toMatch(new RegExp(`^${run.summary.firstChoice}（\\d+%）$`));
      expect(await page.getByTestId('wl-fairness').innerText()).toContain('公平性检查通过：没有排序在前的申请人被跳过');
    };
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'officer');
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '床位轮候' }).click();
      await page.getByRole('heading', { level: 1, name: '床位轮候' }).waitFor();
      await page.getByTestId('wl-queue').waitFor();
      expect(await page.getByTestId('wl-queue-total').innerText()).toContain(`共 ${queued} 人`);
      expect(queued).toBeGreaterThanOrEqual(3);
      await expectAccessible(page, '/workbench/waitlist overview');

      await page.getByRole('navigation', { name: '床位轮候分页' }).getByRole('link', { name: '分配' }).click();
      await page.getByRole('button', { name: '试算' }).click();
      await expectRunShown(page, true);
      // A dry run offers nothing.
      expect((await applicationOf(people.first)).offers).toEqual([]);

      await page.getByRole('button', { name: '正式分配' }).click();
      await expect.poll(async () => (await focused(page)).text).toBe('确认正式分配');
      await expectAccessible(page, '/workbench/waitlist runs, confirm');
      await page.keyboard.press('Enter');
      await expectRunShown(page, false);
      await expect.poll(() => page.getByTestId('wl-runs').locator('tbody tr').count()).toBe(before.runs.length + 2);
      expect(await page.getByTestId('wl-runs').locator('tbody tr').first().innerText()).toContain('✓ 通过');
      await expectAccessible(page, '/workbench/waitlist runs, result');

      const first = await applicationOf(people.first);
      expect(first.status).toBe('offered');
      expect(first.offers.filter((o) => o.status === 'open').map((o) => o.facilityId)).toEqual([choiceA.id]);
      const second = await applicationOf(people.second);
      expect(second.offers.filter((o) => o.status === 'open').map((o) => o.facilityId)).toEqual([single.id]);
      expect((await applicationOf(people.third)).status).toBe('active');

      // The message log has the offers.
      await page.getByRole('navigation', { name: '床位轮候分页' }).getByRole('link', { name: '消息记录' }).click();
      const messages = page.getByTestId('wl-messages');
      await messages.waitFor();
      for (const id of [people.first, people.second]) {
        expect(await messages.locator('tbody tr', { hasText: '保基本养老床位入住通知' }).filter({ has: page.locator(`a[href="/workbench/people/${id}"]`) }).count()).toBe(1);
      }
      await expectAccessible(page, '/workbench/waitlist messages');
    } finally {
      await context.close();
    }

    const pudong = await newPage(browser!);
    try {
      await login(pudong.page, baseUrl, 'officer.pudong');
      await pudong.page.goto(`${baseUrl}/workbench/waitlist?tab=runs`);
      await pudong.page.getByRole('button', { name: '正式分配' }).click();
      await pudong.page.getByRole('button', { name: '确认正式分配' }).click();
      await expect.poll(() => pudong.page.getByTestId('wl-run-failure').innerText()).toContain('正式分配由市级民政部门发起');
    } finally {
      await pudong.context.close();
    }
  });

  it('the citizen signs in on /my/waitlist, accepts the offer and sees 已入住; the bed is occupied', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await page.goto(`${baseUrl}/my/waitlist`);
      await page.getByRole('heading', { level: 1, name: '我的轮候' }).waitFor();
      await page.getByRole('heading', { level: 2, name: '请先登录' }).waitFor();
      await expectAccessible(page, '/my/waitlist, sign-in');
      await tabTo(page, 'the 用户名 field', (f) => f.label === '用户名');
      await page.keyboard.type('citizen');
      await page.keyboard.press('Tab');
      await page.keyboard.type(DEMO_PASSWORD);
      await page.keyboard.press('Enter');
      const person = page.locator(`[data-testid="wl-person"][data-person="${people.first}"]`);
      await person.waitFor();
      expect(await person.getByRole('heading', { level: 2 }).innerText()).toBe(`${names.first}（家属）`);
      const offer = person.getByTestId('wl-offer');
      await offer.waitFor();
      expect(await offer.innerText()).toContain(choiceA.name);
      expect(await offer.innerText()).toMatch(/请在 \d{4}年\d{1,2}月\d{1,2}日 前答复/);
      expect(await offer.innerText()).toContain('这是您的第 1 志愿');
      expect(await person.getByTestId('wl-status').innerText()).toBe('已通知入住');
      // The offer comes first in the person's section.
      expect((await offer.boundingBox())!.y).toBeLessThan((await person.getByTestId('wl-status').boundingBox())!.y);
      await settled(page);
      await expectAccessible(page, '/my/waitlist with an offer');
      expect(await smallTargets(page)).toEqual([]);
      await page.locator('h1').focus();
      await largeTextByKeyboard(page);
      await expectAccessible(page, '/my/waitlist with an offer, large text');
      expect(await smallTargets(page)).toEqual([]);

      // The person who does not qualify: the form, sent with the place near home, is refused in plain words.
      const notEligible = page.locator(`[data-testid="wl-person"][data-person="${otherId}"]`);
      await notEligible.getByText(`${names.other}现在没有正在轮候的申请。`).waitFor();
      await notEligible.getByRole('radio', { name: '某地址附近 N 公里内均可' }).check();
      const placeBox = notEligible.getByRole('combobox', { name: '在哪里找（地址、小区或街道）' });
      expect(await placeBox.inputValue()).not.toBe('');
      await notEligible.getByLabel('距离（公里）').fill('5');
      await notEligible.getByRole('button', { name: '提交申请' }).click();
      const refusal = notEligible.getByTestId('wl-apply-failure');
      await expect.poll(() => refusal.innerText()).toContain('不符合保基本养老床位轮候条件');
      expect(await refusal.innerText()).toContain('没有申请成功');
      await expect.poll(async () => (await focused(page)).text).toContain('不符合保基本养老床位轮候条件');
      await expectAccessible(page, '/my/waitlist, refused, large text');

      await offer.getByRole('button', { name: '接受入住' }).click();
      await expect.poll(async () => (await focused(page)).text).toBe('确认接受');
      await page.keyboard.press('Enter');
      await expect.poll(() => person.getByTestId('wl-status').innerText()).toBe('已入住');
      expect(await person.getByTestId('wl-outcome').innerText()).toContain(`已确认入住${choiceA.name}`);
      expect(await person.getByTestId('wl-offer').count()).toBe(0);
      expect(await person.getByTestId('wl-history').innerText()).toContain('接受入住通知，已安排入住');
      await expectAccessible(page, '/my/waitlist admitted, large text');
    } finally {
      await context.close();
    }
    expect((await applicationOf(people.first)).status).toBe('admitted');
    const facility = await facilityOf(choiceA.id);
    expect(facility.bedList.filter((b) => b.basicGuarantee && b.status === 'occupied').length).toBe(occupiedBefore + 1);
    expect(facility.bedList.filter((b) => b.basicGuarantee && b.status === 'reserved').length).toBe(0);
    expect(facility.beds!.vacant).toBe(vacantBefore - 1);
  });

  it('the second person declines on the person page (a reason is required); the next 正式分配 offers the bed to the third', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'advisor');
      await page.goto(`${baseUrl}/workbench/people/${people.second}`);
      const card = page.getByTestId('wl-person-card');
      const offer = card.getByTestId('wl-offer');
      await offer.waitFor();
      expect(await offer.innerText()).toContain(single.name);
      await offer.getByRole('button', { name: '放弃' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect((await focused(page)).label).toBe('原因');
      expect(await dialog.innerText()).toContain('放弃不超过 2 次的，保留原来的排序');
      await dialog.getByRole('button', { name: '确认放弃' }).click();
      await dialog.getByText('请写明原因。').waitFor();
      await expectAccessible(page, 'decline dialog');
      await page.keyboard.type('离家太远');
      await dialog.getByRole('button', { name: '确认放弃' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(() => card.getByTestId('wl-outcome').innerText()).toContain('已放弃这次入住通知');
      expect(await card.getByTestId('wl-status').innerText()).toBe('轮候中');
      expect(await card.getByTestId('wl-past-offer').first().innerText()).toContain('已放弃');
      expect(await card.getByTestId('wl-history').innerText()).toContain('放弃入住通知：离家太远');
    } finally {
      await context.close();
    }

    // The e2e server's dispatcher does not run: the bed waits for the next run.
    const officer = await newPage(browser!);
    try {
      await login(officer.page, baseUrl, 'officer');
      await officer.page.goto(`${baseUrl}/workbench/waitlist?tab=runs`);
      await officer.page.getByRole('button', { name: '正式分配' }).click();
      await officer.page.getByRole('button', { name: '确认正式分配' }).click();
      const result = officer.page.getByTestId('wl-run-result');
      await expect.poll(() => result.getAttribute('data-dry')).toBe('0');
      expect(Number(await result.locator('[data-figure="offers"]').innerText())).toBeGreaterThanOrEqual(1);
      expect(await officer.page.getByTestId('wl-fairness').innerText()).toContain('公平性检查通过');
    } finally {
      await officer.context.close();
    }
    const third = await applicationOf(people.third);
    expect(third.status).toBe('offered');
    expect(third.offers.filter((o) => o.status === 'open').map((o) => o.facilityId)).toEqual([single.id]);
  });
});
