// 照护服务 in the workbench, in Chromium against the real server (issue 8 §1–§3, §5, §6).
// Set up through the API with the server's clock set to the first Monday of last month, 07:00 in
// Shanghai (the platform takes an injected clock, so no SQL is needed): a provider for the demo
// provider account and one in 黄浦; a caregiver linked to the demo caregiver account; an
// LTCI-eligible person in 浦东 with a plan (Mon, Wed, Fri 09:00, 60 minutes) drafted by the
// provider and confirmed by the advisor, which makes six orders, all assigned; a week later the
// phone syncs four finished visits — two honest, two with the device reporting a mock location (a
// risk score above the review threshold). A caregiver registered in 黄浦 waits to move. The clock
// then runs on real time, like the browser.
// In the browser: the provider registers the 黄浦 caregiver through the form and is told
// 已从其他机构转入, finds her in the list (ID number masked; axe clean), and the city officer finds
// her citywide with both employments. The provider drafts a plan for another eligible person — the
// week's total against the cap as slots are added and removed, the server's refusal over the cap,
// then the draft in the list — reassigns a visit of last month's second week by its select, and
// presses 自动排班 (answered, or "not yet" while the scheduling endpoint does not exist). The
// advisor sees the 长护险照护 card on the person page, records the family's confirmation of the
// draft (代为确认) and draws a call-back sample. The provider builds last month's claim; the
// insurer reads the totals and the sample's description (axe clean), rejects the first sampled
// line with a reason using the keyboard only, approves the others and finishes (the button said
// why it waited): the approved total is the claim less the rejected line. The provider appeals,
// the insurer overturns — the whole claim approved — and the export downloads an .xlsx with every
// line.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carePorts, WEB_DIR } from '../../src/app.ts';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { addDays, addMonths, addYears, localDateOf, startOfLocalDay, type LocalDate } from '../../src/core/dates.ts';
import { makeIdNumber } from '../../src/core/idnumber.ts';
import { newId } from '../../src/core/ids.ts';
import { sql } from '../../src/platform/db.ts';
import { usccCheckChar } from '../../src/supply/index.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { expectAccessible, launchBrowser, login, newPage, skipBrowserTests } from './browser.ts';
import { focused, tabTo } from './helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Money as the pages write it (web/src/workbench/supply/shared.tsx yuanText): 1,234.50 元 */
function yuan(fen: number): string {
  const [whole, cents] = (fen / 100).toFixed(2).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents} 元`;
}

describe.skipIf(skipBrowserTests)('照护服务 workbench (browser)', () => {
  let p: TestPlatform | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  /** The server's clock: fixed during the set-up, real time for the browser. */
  let fixed: Date | null = null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Body = Record<string, any>;
  const call = async (username: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
    const r = await p!.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await p!.token(username)}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: r.statusCode, body: r.body && r.headers['content-type']?.toString().includes('json') ? (r.json() as Body) : {} };
  };

  const realToday = localDateOf(new Date());
  const claimMonth = addMonths(`${realToday.slice(0, 7)}-01` as LocalDate, -1).slice(0, 7);
  // The first Monday of last month (a plan's two weeks of orders stay inside the month).
  let t0Day = `${claimMonth}-01` as LocalDate;
  while (new Date(`${t0Day}T00:00:00Z`).getUTCDay() !== 1) t0Day = addDays(t0Day, 1);
  const t0 = startOfLocalDay(t0Day).getTime() + 7 * HOUR;

  const mover = { name: '周美华', idNumber: makeIdNumber('310101', '1982-07-08' as LocalDate, 55, 'F') };
  let otherProviderName = '';
  let planPerson = { id: '', name: '', cap: 0, proposal: 0 };

  beforeAll(async () => {
    browser = await launchBrowser();
    ensureWebBuilt();
    fixed = new Date(t0);
    p = await startTestPlatform('pglite', { people: 800, webDir: WEB_DIR, clock: () => fixed ?? new Date(), env: { YIYANG_SESSION_IDLE_MINUTES: String(60 * 24 * 90) } });

    // Two providers: the demo provider account's own (浦东), and one in 黄浦 entered by the city officer.
    const body17 = '52310115MJ0000013';
    const prov = await call('provider', 'POST', '/api/v1/supply/providers', { name: '颐养测试居家照护服务社', uscc: body17 + usccCheckChar(body17), legalRepresentative: '张三', kind: 'social_org', phone: '021-58880000' });
    expect(prov.status, JSON.stringify(prov.body)).toBe(201);
    const other17 = '52310101MJ0000014';
    otherProviderName = '黄浦测试护理站';
    const prov2 = await call('officer', 'POST', '/api/v1/supply/providers', { name: otherProviderName, uscc: other17 + usccCheckChar(other17), legalRepresentative: '李四', kind: 'social_org', phone: '021-63330000', regionCode: '310101' });
    expect(prov2.status, JSON.stringify(prov2.body)).toBe(201);

    // People in 浦东 with a known home and an LTCI home-care entitlement valid from before last month to well after today.
    const ids = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL AND lat IS NOT NULL ORDER BY id`)).map((r) => r.id);
    const ports = carePorts(p.ctx);
    const [then, now, homes] = await p.ctx.db.tx(async (q) => [await ports.ltci(q, ids, t0Day), await ports.ltci(q, ids, realToday), await ports.people(q, '*', ids)] as const, { asAppRole: false });
    const lasting = (id: string) => {
      const a = then.get(id);
      const b = now.get(id);
      return Boolean(a?.eligible && b?.eligible && a.gradeValidFrom && a.gradeValidFrom <= t0Day && b.gradeValidTo && b.gradeValidTo > addDays(realToday, 60) && homes.get(id)?.home);
    };
    const served = ids.find((id) => lasting(id) && (then.get(id)!.hoursPerWeek ?? 0) >= 3);
    expect(served, 'an LTCI-eligible person with three hours a week or more').toBeTruthy();
    const other = ids.find((id) => id !== served && lasting(id));
    expect(other, 'a second LTCI-eligible person').toBeTruthy();
    const e2 = now.get(other!)!;
    planPerson = { id: other!, name: homes.get(other!)!.name, cap: e2.hoursPerWeek! * 60, proposal: 0 };
    const home = homes.get(served!)!.home!;

    // The caregiver who serves last month, linked to the demo caregiver account (the phone).
    const carer = await call('provider', 'POST', '/api/v1/care/caregivers', {
      name: '孙桂英', idNumber: makeIdNumber('310115', '1975-04-03' as LocalDate, 21, 'F'), phone: '13800001234', kind: 'caregiver', skillLevel: 4, qualifications: ['caregiver_cert'], trainingHours: 120,
      healthCertValidTo: addYears(realToday, 1), backgroundCheck: 'passed', backgroundCheckedOn: addDays(t0Day, -30),
    });
    expect(carer.status, JSON.stringify(carer.body)).toBe(201);
    expect((await call('provider', 'POST', `/api/v1/care/caregivers/${carer.body.id}/account`, { username: 'caregiver' })).status).toBe(200);
    // Someone working in 黄浦 whom the 浦东 provider will hire in the browser (a move).
    const m = await call('officer', 'POST', '/api/v1/care/caregivers', {
      providerId: prov2.body.id, name: mover.name, idNumber: mover.idNumber, kind: 'caregiver', skillLevel: 5, qualifications: ['dementia_training'], healthCertValidTo: addYears(realToday, 1), backgroundCheck: 'passed',
    });
    expect(m.status, JSON.stringify(m.body)).toBe(201);

    // The plan, confirmed by the advisor for the family: six orders over two weeks, all assigned.
    const plan = await call('provider', 'POST', '/api/v1/care/plans', {
      personId: served, items: ['L01', 'L06', 'L09'], slots: [1, 3, 5].map((weekday) => ({ weekday, start: '09:00', minutes: 60, kind: 'care' })), validFrom: t0Day,
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const confirmed = await call('advisor', 'POST', `/api/v1/care/plans/${plan.body.id}/confirm`);
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.ordersMade).toBe(6);
    const orders = (await call('provider', 'GET', `/api/v1/care/orders?from=${t0Day}&to=${addDays(t0Day, 13)}`)).body.items as Body[];
    expect(orders).toHaveLength(6);
    const assigned = await call('provider', 'POST', '/api/v1/care/orders/assign', { items: orders.map((o) => ({ orderId: o.id, caregiverId: carer.body.id })) });
    expect(assigned.body.changed).toBe(6);

    // A week later the phone syncs four finished visits of 60 minutes, each fix a little apart (real
    // GPS never repeats); the second and fourth with the device reporting a mock location.
    fixed = new Date(t0 + 8 * 24 * HOUR + 13 * HOUR);
    const ops = orders.slice(0, 4).flatMap((o, i) => {
      const visitId = newId();
      const at = Date.parse(o.startsAt) + 2 * MINUTE;
      const mock = i % 2 === 1;
      return [
        { id: newId(), kind: 'check_in', visitId, orderId: o.id, at: new Date(at).toISOString(), location: { lat: home.lat + 0.0001 * (i + 1), lon: home.lon + 0.00007 * (i + 1), accuracy: 10 }, mockLocation: mock, proof: null },
        { id: newId(), kind: 'check_out', visitId, at: new Date(at + HOUR).toISOString(), location: { lat: home.lat - 0.00011 * (i + 1), lon: home.lon + 0.00005 * (i + 1), accuracy: 10 }, mockLocation: mock, items: ['L01', 'L06'], note: null },
      ];
    });
    const synced = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'e2e-phone', ops });
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body.results.map((r: Body) => r.status)).toEqual(ops.map(() => 'applied'));

    // From here on the server runs on real time, like the browser.
    fixed = null;
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = p.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('the provider registers a caregiver through the form — a move from another provider — and finds her in the register; axe clean', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'provider');
      await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '照护服务' }).click();
      await page.waitForURL(`${baseUrl}/workbench/care/caregivers`);
      await page.getByRole('link', { name: '登记护理员' }).click();
      const form = page.getByTestId('care-cg-form');
      await form.getByLabel('姓名').fill(mover.name);
      await form.getByLabel('身份证号').fill(mover.idNumber);
      await form.getByLabel('健康证有效期至').fill(addYears(realToday, 1));
      await form.getByLabel('背景审查', { exact: true }).selectOption({ label: '已通过' });
      await form.getByRole('button', { name: '登记' }).click();
      const done = page.getByTestId('care-cg-done');
      await done.waitFor();
      expect(await done.innerText()).toContain(`已从其他机构转入：${mover.name}`);

      // Her record, as the provider sees it: what the form left empty is kept from 黄浦 (qualification, grade).
      await done.getByRole('link', { name: `查看 ${mover.name} 的信息` }).click();
      await page.getByTestId('care-cg-details').waitFor();
      const details = await page.getByTestId('care-cg-details').innerText();
      expect(details).toMatch(/资质证书\s+认知症照护培训/);
      expect(details).toMatch(/职业技能等级\s+五级\/初级工/);
      expect(details).toMatch(/背景审查\s+已通过/);
      expect(await page.getByTestId('care-cg-employment').innerText()).toContain('颐养测试居家照护服务社');

      // The register: the provider's own two caregivers, ID numbers masked; a search by ID number finds her.
      await page.getByRole('link', { name: '返回护理员信息库' }).click();
      await page.getByTestId('care-caregivers').waitFor();
      expect(await page.getByTestId('care-cg-count').innerText()).toContain('共 2 名护理员');
      const row = page.getByTestId('care-caregivers').locator('tbody tr', { hasText: mover.name });
      const text = await row.innerText();
      expect(text).toMatch(/310101\*{8}\d{3}[\dX]/);
      expect(text).not.toContain(mover.idNumber);
      expect(text).toContain('在岗');
      expect(text).toContain(addYears(realToday, 1));
      await expectAccessible(page, '护理员信息库');
      await page.getByLabel('身份证号').fill(mover.idNumber);
      await page.getByRole('button', { name: '查询' }).click();
      await expect.poll(() => page.getByTestId('care-cg-count').innerText()).toContain('共 1 名护理员');
    } finally {
      await context.close();
    }
    // The city officer finds her citywide by ID number: one record, both employments, the 黄浦 one ended by the move.
    const { context: ctx2, page: officer } = await newPage(browser!);
    try {
      await login(officer, baseUrl, 'officer');
      await officer.goto(`${baseUrl}/workbench/care/caregivers`);
      await officer.getByLabel('身份证号').fill(mover.idNumber);
      await officer.getByRole('button', { name: '查询' }).click();
      await expect.poll(() => officer.getByTestId('care-cg-count').innerText()).toContain('共 1 名护理员');
      await officer.getByTestId('care-caregivers').getByRole('link', { name: mover.name }).click();
      const employment = officer.getByTestId('care-cg-employment');
      await employment.waitFor();
      const rows = await employment.locator('tbody tr').allInnerTexts();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toContain(otherProviderName);
      expect(rows[0]).toContain('转入其他机构');
      expect(rows[1]).toContain('颐养测试居家照护服务社');
      expect(rows[1]).toContain('至今');
      expect(await officer.getByTestId('care-cg-details').innerText()).toMatch(/资质证书\s+认知症照护培训/);
    } finally {
      await ctx2.close();
    }
  });

  it('the provider drafts a plan for an eligible person: the total against the cap as slots change, the refusal over the cap, the draft', async () => {
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'provider');
      await page.goto(`${baseUrl}/workbench/care/plans`);
      await page.getByRole('textbox', { name: '老人编号', exact: true }).fill(planPerson.id);
      await page.getByRole('button', { name: '查看待遇与计划' }).click();
      await page.waitForURL(/person=/);
      const ent = page.getByTestId('care-entitlement');
      await ent.waitFor();
      expect(await page.getByTestId('care-cap').innerText()).toBe(`${planPerson.cap} 分钟`);
      const form = page.getByTestId('care-plan-form');
      await form.getByRole('checkbox', { name: '头面部清洁、梳理 L01' }).check();
      await form.getByRole('checkbox', { name: '沐浴 L06' }).check();
      const slots = await form.getByTestId('care-slot').count();
      expect(slots).toBeGreaterThan(0);
      const total = form.getByTestId('care-plan-total');
      const proposed = Number(/每周合计 (\d+) 分钟/.exec(await total.innerText())![1]);
      expect(proposed).toBe(slots * 60);
      expect(proposed).toBeLessThanOrEqual(planPerson.cap);

      // One more visit: over the cap, said at once; the server refuses it in its words.
      await form.getByRole('button', { name: '增加一次上门' }).click();
      await expect.poll(() => total.innerText()).toContain(`每周合计 ${proposed + 60} 分钟`);
      if (proposed + 60 > planPerson.cap) expect(await total.innerText()).toContain(`超出 ${proposed + 60 - planPerson.cap} 分钟`);
      await form.getByRole('button', { name: '提交计划草稿' }).click();
      const problem = page.getByTestId('care-problem');
      await problem.waitFor();
      expect(await problem.innerText()).toContain('计划没有保存');
      expect(await problem.innerText()).toContain(`超过长护险每周 ${planPerson.cap} 分钟`);

      // Take it away again: within the cap, and the draft is saved.
      await form.getByRole('button', { name: `删除第 ${slots + 1} 次` }).click();
      await expect.poll(() => total.innerText()).toContain(`每周合计 ${proposed} 分钟`);
      expect(await total.innerText()).toContain(`还可安排 ${planPerson.cap - proposed} 分钟`);
      await form.getByRole('button', { name: '提交计划草稿' }).click();
      const done = page.getByTestId('care-plan-done');
      await done.waitFor();
      expect(await done.innerText()).toContain(`每周 ${proposed} 分钟（上限 ${planPerson.cap} 分钟）`);
      const row = page.getByTestId('care-plans').locator('tbody tr[data-status="draft"]');
      await row.waitFor();
      expect(await row.innerText()).toContain(planPerson.name);
      expect(await row.innerText()).toContain('草稿（待确认）');
    } finally {
      await context.close();
    }
  });

  it('a day of orders: reassigned by the select and saved, 自动排班 answered; the person page card and 代为确认; a call-back draw', async () => {
    // The provider's day in the second week: the Wednesday visit, still to come then, assigned to 孙桂英.
    const day = addDays(t0Day, 9);
    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'provider');
      await page.goto(`${baseUrl}/workbench/care/orders?date=${day}`);
      const table = page.getByTestId('care-orders');
      await table.waitFor();
      expect(await page.getByTestId('care-orders-count').innerText()).toContain('共 1 张工单，已派 1 张');
      const select = table.getByRole('combobox', { name: /^护理员：09:00 / });
      expect(await select.locator('option:checked').innerText()).toBe('孙桂英');
      await select.selectOption({ label: mover.name });
      await page.getByRole('button', { name: '保存派单（1 项变更）' }).click();
      await expect.poll(() => page.getByTestId('care-orders-result').innerText()).toContain('已保存派单：1 张工单有变更');
      const orders = (await call('provider', 'GET', `/api/v1/care/orders?from=${day}&to=${day}`)).body.items as Body[];
      expect(orders.map((o) => o.caregiverName)).toEqual([mover.name]);
      // 自动排班: the scheduling endpoint's answer, or — until it exists — the page says it is not there yet.
      await page.getByRole('button', { name: '自动排班' }).click();
      await expect.poll(() => page.getByTestId('care-orders-result').innerText()).toMatch(/自动排班功能尚未开通|自动排班完成/);
    } finally {
      await context.close();
    }

    // The advisor: the 长护险照护 card on the person page, the plan page from it, and the family's confirmation recorded.
    const { context: ctx2, page: advisor } = await newPage(browser!);
    try {
      await login(advisor, baseUrl, 'advisor');
      await advisor.goto(`${baseUrl}/workbench/people/${planPerson.id}`);
      const card = advisor.getByTestId('care-person-card');
      await card.getByTestId('care-person-entitlement').waitFor();
      expect(await card.getByTestId('care-person-entitlement').innerText()).toContain(`上限 ${planPerson.cap} 分钟`);
      expect(await card.innerText()).toContain('草稿（待确认）');
      await card.getByRole('link', { name: '查看照护计划' }).click();
      await advisor.getByTestId('care-plans').waitFor();
      await advisor.getByRole('button', { name: `代为确认（${planPerson.name}）` }).click();
      await expect.poll(() => advisor.getByTestId('care-plan-message').innerText()).toMatch(/计划生效，生成 \d+ 张上门工单/);
      await expect.poll(() => advisor.getByTestId('care-plans').locator('tbody tr').first().getAttribute('data-status')).toBe('confirmed');

      // A call-back draw over last month's visits (the share is a policy parameter: how many are drawn varies with the seed).
      await advisor.goto(`${baseUrl}/workbench/care/callbacks`);
      await advisor.getByLabel('服务日期从').fill(`${claimMonth}-01`);
      await advisor.getByLabel('到', { exact: true }).fill(addDays(addMonths(`${claimMonth}-01` as LocalDate, 1), -1));
      await advisor.getByLabel('随机种子').fill('20261130');
      await advisor.getByRole('button', { name: '抽取', exact: true }).click();
      await expect.poll(() => advisor.getByTestId('care-draw-result').innerText()).toMatch(/^4 次已完成的服务中抽取了 \d 次（抽样比例 [\d.]+%，种子 20261130/);
    } finally {
      await ctx2.close();
    }
  });

  let claimId = '';
  it("the provider builds last month's claim; the insurer reviews the sample by keyboard, finishes; an appeal is overturned; the export downloads", async () => {
    // The provider builds the claim of last month (the page's default month).
    {
      const { context, page } = await newPage(browser!);
      try {
        await login(page, baseUrl, 'provider');
        await page.goto(`${baseUrl}/workbench/care/claims`);
        const build = page.getByTestId('care-claim-build');
        await build.waitFor();
        expect(await build.getByLabel('申报月份').inputValue()).toBe(claimMonth);
        await build.getByRole('button', { name: '生成并提交申报' }).click();
        await page.waitForURL(/\/workbench\/care\/claims\/[0-9a-f-]{36}$/);
        claimId = page.url().split('/').pop()!;
        await page.getByTestId('care-claim-summary').waitFor();
        expect(await page.getByTestId('care-claim-status').innerText()).toBe('审核中');
      } finally {
        await context.close();
      }
    }
    const before = (await call('insurer', 'GET', `/api/v1/care/claims/${claimId}`)).body;
    expect(before.lines).toHaveLength(4);
    const price = before.params.fenPerHour.care as number;
    for (const l of before.lines as Body[]) expect(l).toMatchObject({ status: 'paid', billedMinutes: 60, amountFen: price });
    const sampled = (before.lines as Body[]).filter((l) => l.sample);
    const risky = sampled.filter((l) => l.sample === 'risk');
    expect(risky).toHaveLength(2);
    expect(before.sample.risk).toBe(2);
    expect(before.totals.claimedFen).toBe(4 * price);

    // The insurer: totals, the sample described, sampled lines first with their flags explained.
    {
      const { context, page } = await newPage(browser!);
      try {
        await login(page, baseUrl, 'insurer');
        await page.getByRole('navigation', { name: '工作台导航' }).getByRole('link', { name: '照护服务' }).click();
        await page.getByRole('link', { name: '长护险结算' }).click();
        await page.getByTestId('care-claims').locator(`tr[data-claim="${claimId}"]`).getByRole('link').click();
        await page.getByTestId('care-claim-summary').waitFor();
        const figure = (name: string) => page.locator(`[data-figure="${name}"]`).first().innerText();
        expect(await figure('claimed')).toBe(yuan(before.totals.claimedFen));
        expect(await figure('fund')).toBe(yuan(before.totals.fundFen));
        expect(await figure('copay')).toBe(yuan(before.totals.copayFen));
        expect(before.totals.fundFen + before.totals.copayFen).toBe(before.totals.claimedFen);
        const sample = await page.getByTestId('care-claim-sample').innerText();
        expect(sample).toContain(`随机种子 ${before.sample.seed}`);
        expect(sample).toContain(`风险分超过 ${before.sample.scoreThreshold} 分的服务全部抽查（${before.sample.risk} 条）`);
        expect(sample).toContain(`（${before.sample.random} 条）`);
        const cards = page.getByTestId('care-sampled').locator(':scope > li');
        expect(await cards.count()).toBe(sampled.length);
        for (const l of risky) {
          const card = page.locator(`li[data-line="${l.visitId}"]`);
          expect(await card.getAttribute('data-sample')).toBe('risk');
          const flags = await card.getByTestId('care-line-flags').innerText();
          expect(flags).toContain('模拟定位');
          expect(flags).toMatch(/模拟定位（50 分）：\S+/);
          expect(await card.getByTestId('care-line-score').innerText()).toBe(String(l.anomalyScore));
          expect(await card.getByTestId('care-line-explanation').innerText()).toContain(`60 分钟 × ${(price / 100).toFixed(2)} 元/小时 = ${(price / 100).toFixed(2)} 元`);
        }
        // The rest below the sampled lines.
        expect(await page.getByTestId('care-other-lines').locator('tbody tr').count()).toBe(4 - sampled.length);
        // 结束审核 waits, and says why.
        const finish = page.getByRole('button', { name: '结束审核' });
        expect(await finish.getAttribute('aria-disabled')).toBe('true');
        expect(await page.getByTestId('care-finish-why').innerText()).toContain(`还有 ${sampled.length} 条抽查明细未审核`);
        await expectAccessible(page, '长护险结算审核');

        // Keyboard only: the first sampled line is rejected with a reason.
        const first = sampled[0]!;
        await page.locator('#main').focus();
        await tabTo(page, 'the first 核准 radio', (f) => f.tag === 'INPUT' && f.type === 'radio' && f.label === '核准', { max: 40 });
        await page.keyboard.press('ArrowDown');
        const onReject = await focused(page);
        expect(onReject.label).toBe('拒付');
        await page.keyboard.press('Tab');
        expect((await focused(page)).label).toBe('拒付理由');
        await page.keyboard.type('回访未能确认老人接受了服务');
        await page.keyboard.press('Tab');
        expect((await focused(page)).text).toBe('保存审核结果');
        await page.keyboard.press('Enter');
        const firstCard = page.locator(`li[data-line="${first.visitId}"]`);
        await expect.poll(() => firstCard.getAttribute('data-decision')).toBe('rejected');
        expect(await firstCard.getByTestId('care-line-decision').innerText()).toContain('拒付。理由：回访未能确认老人接受了服务');
        expect(await page.getByTestId('care-claim-notice').innerText()).toContain('已拒付');

        // The others approved.
        for (const l of sampled.slice(1)) {
          const card = page.locator(`li[data-line="${l.visitId}"]`);
          await card.getByRole('radio', { name: '核准' }).check();
          await card.getByRole('button', { name: '保存审核结果' }).click();
          await expect.poll(() => card.getAttribute('data-decision')).toBe('approved');
        }
        await expect.poll(() => page.getByTestId('care-finish-why').innerText()).toContain('抽查明细已全部审核');
        expect(await finish.getAttribute('aria-disabled')).toBeNull();
        await finish.click();
        await expect.poll(() => page.getByTestId('care-claim-status').innerText()).toBe('审核完成');
        expect(await figure('approved')).toBe(yuan(before.totals.claimedFen - first.amountFen));
        expect(await figure('rejected')).toBe('1');
      } finally {
        await context.close();
      }
    }
    const decided = (await call('insurer', 'GET', `/api/v1/care/claims/${claimId}`)).body;
    expect(decided).toMatchObject({ status: 'decided', totals: { approvedFen: before.totals.claimedFen - sampled[0]!.amountFen, rejectedLines: 1 } });

    // The provider appeals the rejected line.
    {
      const { context, page } = await newPage(browser!);
      try {
        await login(page, baseUrl, 'provider');
        await page.goto(`${baseUrl}/workbench/care/claims/${claimId}`);
        await page.getByTestId('care-claim-summary').waitFor();
        await page.getByRole('button', { name: /^申诉：/ }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByLabel('申诉理由').fill('家属已书面确认当天接受了服务');
        await dialog.getByRole('button', { name: '提交申诉' }).click();
        await expect.poll(() => page.getByTestId('care-claim-notice').innerText()).toContain('已提交申诉');
        expect(await page.getByTestId('care-appeals').innerText()).toContain('家属已书面确认当天接受了服务');
        expect(await page.getByRole('button', { name: /^申诉：/ }).count()).toBe(0);
      } finally {
        await context.close();
      }
    }

    // The insurer overturns it; the whole claim is approved; the export downloads.
    {
      const { context, page } = await newPage(browser!);
      try {
        await login(page, baseUrl, 'insurer');
        await page.goto(`${baseUrl}/workbench/care/claims/${claimId}`);
        const appeal = page.getByTestId('care-appeal-form');
        await appeal.waitFor();
        await appeal.getByRole('radio', { name: '改判核准' }).check();
        await appeal.getByLabel('处理说明').fill('家属书面确认，证据充分');
        await appeal.getByRole('button', { name: '提交申诉处理' }).click();
        await expect.poll(() => page.getByTestId('care-claim-notice').innerText()).toContain('改判核准');
        expect(await page.locator('[data-figure="approved"]').innerText()).toBe(yuan(before.totals.claimedFen));

        const downloading = page.waitForEvent('download');
        await page.getByTestId('care-claim-export').click();
        const download = await downloading;
        expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
        const sheet = wb.getWorksheet('结算明细')!;
        expect(sheet.rowCount).toBe(5);
        const amounts = [2, 3, 4, 5].map((i) => Number(sheet.getRow(i).getCell(8).value));
        expect(Math.round(amounts.reduce((s, n) => s + n, 0) * 100)).toBe(before.totals.claimedFen);
        const decisions = [2, 3, 4, 5].map((i) => String(sheet.getRow(i).getCell(15).value));
        expect(decisions).toEqual(['核准', '核准', '核准', '核准']);
        const appealed = [2, 3, 4, 5].map((i) => String(sheet.getRow(i).getCell(18).value ?? ''));
        expect(appealed.filter((x) => x === '改判核准')).toHaveLength(1);
      } finally {
        await context.close();
      }
    }
    const after = (await call('insurer', 'GET', `/api/v1/care/claims/${claimId}`)).body;
    expect(after.totals.approvedFen).toBe(before.totals.claimedFen);
  });
});
