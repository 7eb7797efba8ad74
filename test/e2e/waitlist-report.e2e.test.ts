// 床位轮候 报告 and 规则模拟 in Chromium against the real server, the demo supply (a year of
// basic-bed vacancies) and the demo waiting list. The city officer first runs a real allocation
// through the API, so that there are offers. 报告: the waits by tier and district, turnover and
// the fairness line match GET /api/v1/waitlist/report; the offers' outcomes are in words; the
// idle-bed list says so in words when it is empty. 规则模拟, by keyboard only: Tab to the preset
// select, arrow to 独居老人加分 (the order is shown in words), add a new facility in 浦东新区 with
// 50 beds (a missing name is refused next to the field, with focus on it), Tab to 运行模拟, Enter;
// the totals shown equal the API's answer for the same body, and the variant places at least as
// many as the rule in force. axe finds nothing serious or critical on either tab, in normal and
// large text. An advisor sees 报告 but not 规则模拟.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, focused, largeTextByKeyboard, tabTo, useBrowserAndServer } from './helpers.ts';

interface Stats {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}
interface WaitRow {
  key: string;
  label: string;
  waiting: Stats;
  admitted: Stats;
}
interface Report {
  asOf: string;
  since: string;
  months: number;
  byTier: WaitRow[];
  byDistrict: WaitRow[];
  admissionsByMonth: { month: string; admissions: number }[];
  offers: Record<string, number>;
  turnover: { byDistrict: { districtCode: string; vacancies: number; refilled: number; stillVacant: number; medianDays: number | null }[]; byFacility: unknown[] };
  idle: unknown[];
  fairness: { runs: number; passed: number };
}
interface Group {
  key: string;
  applicants: number;
  placed: number;
  medianWaitDays: number | null;
  stillWaiting: number;
}
interface Simulation {
  applicants: number;
  baseVacancies: number;
  total: { base: Group; variant: Group };
  byTier: { key: string; base: Group; variant: Group }[];
  byDistrict: { key: string; base: Group; variant: Group }[];
}

const NUM = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });
const shown = (n: number | null) => (n === null ? '—无数据' : NUM.format(n));
const NEW_HOME = `模拟新院${Date.now() % 10000}`;
const PRESET = '独居老人加分（积分排在就近之前）';

async function settled(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

async function apiPost<T>(baseUrl: string, path: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** The workbench's 床位轮候 page, on the tab named `tab` (by its link in the tab list). */
async function openTab(page: Page, baseUrl: string, tab: string): Promise<void> {
  await page.goto(`${baseUrl}/workbench/waitlist`);
  await page.getByRole('heading', { level: 1, name: '床位轮候' }).waitFor();
  await page.getByRole('navigation', { name: '床位轮候分页' }).getByRole('link', { name: tab, exact: true }).click();
  await page.locator(`nav[aria-label="床位轮候分页"] a[aria-current="page"]`, { hasText: tab }).waitFor();
}

describe.skipIf(skipBrowserTests)('床位轮候 报告 and 规则模拟 (browser)', () => {
  const env = useBrowserAndServer({ supply: true });
  let officer: Record<string, string> = {};

  beforeAll(async () => {
    officer = await apiSession(env.baseUrl, 'officer');
    const run = await apiPost<{ dryRun: boolean; summary: { offers: number }; fairnessOk: boolean }>(env.baseUrl, '/api/v1/waitlist/runs', officer, { dryRun: false });
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect(run.body.dryRun).toBe(false);
    expect(run.body.summary.offers).toBeGreaterThan(0);
  }, 60_000);

  it('报告: the tables and the fairness line match the report API; axe in normal and large text', async () => {
    const report = await apiGet<Report>(env.baseUrl, '/api/v1/waitlist/report', officer);
    expect(report.fairness.runs).toBeGreaterThanOrEqual(1);
    expect(report.byTier.length).toBeGreaterThan(0);
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer');
      await openTab(page, env.baseUrl, '报告');
      await page.locator('[data-testid="wlr-report"]').waitFor();
      expect(await page.locator('[data-testid="wlr-period"]').innerText()).toContain(`${report.since} 至 ${report.asOf}（近 ${report.months} 个月）`);

      // The fairness line, in words.
      const fair = await page.locator('[data-testid="wlr-fairness"] .notice-title').innerText();
      if (report.fairness.passed === report.fairness.runs) expect(fair).toBe(`本期 ${report.fairness.runs} 次正式分配，全部通过公平性检查。`);
      else expect(fair).toContain(`其中 ${report.fairness.runs - report.fairness.passed} 次没有通过公平性检查`);

      // Waits by tier: every row's figures as the API gives them.
      const tierRows = page.locator('[data-testid="wlr-by-tier"] tbody tr');
      expect(await tierRows.count()).toBe(report.byTier.length);
      for (const t of report.byTier) {
        const row = page.locator(`[data-testid="wlr-by-tier"] tbody tr[data-key="${t.key}"]`);
        expect(await row.locator('th').innerText()).toBe(t.label);
        expect(await row.locator('[data-figure="waiting-count"]').innerText()).toBe(String(t.waiting.count));
        expect((await row.locator('[data-figure="waiting-median"]').textContent())!.trim()).toBe(shown(t.waiting.medianDays));
        expect((await row.locator('[data-figure="waiting-p90"]').textContent())!.trim()).toBe(shown(t.waiting.p90Days));
        expect(await row.locator('[data-figure="admitted-count"]').innerText()).toBe(String(t.admitted.count));
      }
      // By district: the district with most waiting.
      const busiest = [...report.byDistrict].sort((a, b) => b.waiting.count - a.waiting.count)[0]!;
      const dRow = page.locator(`[data-testid="wlr-by-district"] tbody tr[data-key="${busiest.key}"]`);
      expect(await dRow.locator('th').innerText()).toBe(busiest.label);
      expect(await dRow.locator('[data-figure="waiting-count"]').innerText()).toBe(String(busiest.waiting.count));
      expect((await dRow.locator('[data-figure="waiting-median"]').textContent())!.trim()).toBe(shown(busiest.waiting.medianDays));

      // Turnover by district: 浦东新区's figures.
      const pd = report.turnover.byDistrict.find((d) => d.districtCode === '310115')!;
      expect(pd.vacancies).toBeGreaterThan(0);
      const tRow = page.locator('[data-testid="wlr-turnover-district"] tbody tr[data-key="310115"]');
      expect(await tRow.locator('[data-figure="vacancies"]').innerText()).toBe(String(pd.vacancies));
      expect(await tRow.locator('[data-figure="refilled"]').innerText()).toBe(String(pd.refilled));
      expect(await tRow.locator('[data-figure="stillVacant"]').innerText()).toBe(String(pd.stillVacant));
      // The facilities with most vacancies: the first ten, then all of them.
      const facilities = page.locator('[data-testid="wlr-turnover-facility"] tbody tr');
      expect(await facilities.count()).toBe(Math.min(10, report.turnover.byFacility.length));
      if (report.turnover.byFacility.length > 10) {
        await page.getByRole('button', { name: `显示全部 ${report.turnover.byFacility.length} 家` }).click();
        expect(await facilities.count()).toBe(report.turnover.byFacility.length);
      }

      // The offers of the run, in words (they wait for an answer).
      const offers = await page.locator('[data-testid="wlr-offers"]').innerText();
      expect(offers).toContain(`待答复 ${report.offers.open} 份`);

      // Admissions per month, and the idle beds: in words when there are none.
      const admitted = report.admissionsByMonth.reduce((s, m) => s + m.admissions, 0);
      if (admitted === 0) await page.locator('[data-testid="wlr-admissions-none"]').waitFor();
      else expect(await page.locator('[data-testid="wlr-admissions-total"]').innerText()).toContain(`共 ${admitted} 人`);
      if (report.idle.length === 0) expect(await page.locator('[data-testid="wlr-idle-none"]').innerText()).toContain('没有：空出的保基本床位都已分配');
      else expect(await page.locator('[data-testid="wlr-idle"] tbody tr').count()).toBe(report.idle.length);

      await expectAccessible(page, '/workbench/waitlist 报告');
      await page.locator('[data-testid="wlr-period"]').click();
      await largeTextByKeyboard(page, { max: 120 });
      await expectAccessible(page, '/workbench/waitlist 报告, large text');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('规则模拟 by keyboard: 独居 preset and a new facility in 浦东新区; the totals equal the API answer; axe in normal and large text', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer');
      await openTab(page, env.baseUrl, '规则模拟');
      await page.locator('[data-testid="wlr-sim-form"]').waitFor();
      await expectAccessible(page, '/workbench/waitlist 规则模拟, form');

      // Keyboard from the tab link: Tab to the preset select, arrows to 独居老人加分.
      await page.getByRole('navigation', { name: '床位轮候分页' }).getByRole('link', { name: '规则模拟', exact: true }).focus();
      await tabTo(page, 'the preset select', (f) => f.tag === 'SELECT' && f.label === '模拟的排序规则', { max: 10 });
      expect((await focused(page)).option).toBe('现行规则');
      await arrowToOption(page, PRESET, 5);
      await settled(page);
      const order = await page.locator('[data-testid="wlr-sim-order"] li').allInnerTexts();
      expect(order.slice(0, 4)).toEqual(['优先层级（层级数字越小越优先）', '积分（积分高者优先）', '申请人居住在机构所在区者优先（就近）', '申请时间（先申请者优先）']);
      expect(order).toContain('积分：独居 加 1 分');

      // The points (default 1), then the new facility: a checkbox by Space.
      await page.keyboard.press('Tab');
      let f = await focused(page);
      expect(f.label).toBe('独居老人加分（分）');
      expect(f.value).toBe('1');
      await tabTo(page, 'the new facility checkbox', (x) => x.type === 'checkbox', { max: 3 });
      await page.keyboard.press('Space');
      await page.locator('[data-testid="wlr-sim-facility"]').waitFor();

      // Running without a name is refused next to the field, with focus on it.
      await tabTo(page, 'the 运行模拟 button', (x) => x.tag === 'BUTTON' && x.text === '运行模拟', { max: 10 });
      await page.keyboard.press('Enter');
      await settled(page);
      f = await focused(page);
      expect(f.label).toBe('名称');
      expect(await page.locator('.field-error').first().innerText()).toContain('请填写新机构的名称');
      expect(await page.locator('[data-testid="wlr-sim-result"]').count()).toBe(0);
      await expectAccessible(page, '/workbench/waitlist 规则模拟, errors');

      await page.keyboard.type(NEW_HOME);
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('所在区');
      await arrowToOption(page, '浦东新区', 30);
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('保基本床位数（张）');
      await page.keyboard.type('50');
      await page.keyboard.press('Tab');
      f = await focused(page);
      expect(f.label).toBe('每年周转（次/床）');
      expect(f.value).toBe('0.3');
      await tabTo(page, 'the 运行模拟 button', (x) => x.tag === 'BUTTON' && x.text === '运行模拟', { max: 5 });
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="wlr-sim-result"]').waitFor({ timeout: 60_000 });
      await settled(page);
      f = await focused(page);
      expect(f.tag).toBe('H2');
      expect(f.text).toBe('模拟结果');

      // The same body through the API: the totals shown are its totals.
      const body = {
        order: ['tier', 'points', 'local', 'appliedAt'],
        points: [{ fact: 'livingAlone', equals: true, points: 1, label: '独居' }],
        newFacility: { name: NEW_HOME, districtCode: '310115', beds: 50, turnoverPerYear: 0.3 },
      };
      const sim = await apiPost<Simulation>(env.baseUrl, '/api/v1/waitlist/simulations', officer, body);
      expect(sim.status, JSON.stringify(sim.body)).toBe(200);
      const { total } = sim.body;
      expect(total.variant.placed).toBeGreaterThanOrEqual(total.base.placed);
      for (const k of ['placed', 'medianWaitDays', 'stillWaiting'] as const) {
        const row = page.locator(`[data-testid="wlr-sim-total"] tr[data-figure="${k}"]`);
        expect(await row.getAttribute('data-base'), k).toBe(String(total.base[k] ?? ''));
        expect(await row.getAttribute('data-variant'), k).toBe(String(total.variant[k] ?? ''));
        expect((await row.locator('td').nth(0).textContent())!.trim()).toBe(shown(total.base[k]));
        expect((await row.locator('td').nth(1).textContent())!.trim()).toBe(shown(total.variant[k]));
      }
      expect(await page.locator('[data-testid="wlr-sim-period"] [data-figure="applicants"]').innerText()).toBe(String(sim.body.applicants));
      expect(await page.locator('[data-testid="wlr-sim-period"] [data-figure="baseVacancies"]').innerText()).toBe(String(sim.body.baseVacancies));
      // Differences in words, not colour: the median wait row says 多/少 N 天 or 不变.
      expect(await page.locator('[data-testid="wlr-sim-total"] tr[data-figure="medianWaitDays"] [data-diff]').innerText()).toMatch(/^(不变|[多少] [\d.,]+ 天|无法比较.*)$/);
      // By tier and district: the placements of each row as the API gives them.
      expect(await page.locator('[data-testid="wlr-sim-by-tier"] tbody tr').count()).toBe(sim.body.byTier.length);
      for (const t of sim.body.byTier) {
        const cell = page.locator(`[data-testid="wlr-sim-by-tier"] tr[data-key="${t.key}"] td[data-figure="placed"]`);
        expect(await cell.getAttribute('data-base')).toBe(String(t.base.placed));
        expect(await cell.getAttribute('data-variant')).toBe(String(t.variant.placed));
      }
      const pd = sim.body.byDistrict.find((d) => d.key === '310115')!;
      const pdCell = page.locator('[data-testid="wlr-sim-by-district"] tr[data-key="310115"] td[data-figure="medianWaitDays"]');
      expect(await pdCell.getAttribute('data-base')).toBe(String(pd.base.medianWaitDays ?? ''));
      expect(await pdCell.getAttribute('data-variant')).toBe(String(pd.variant.medianWaitDays ?? ''));
      expect(await page.locator('[data-testid="wlr-sim-notes"] li').last().innerText()).toContain(NEW_HOME);

      await expectAccessible(page, '/workbench/waitlist 规则模拟, result');
      await largeTextByKeyboard(page, { max: 150 });
      await expectAccessible(page, '/workbench/waitlist 规则模拟, result, large text');
    } finally {
      await context.close();
    }
  }, 180_000);

  it('an advisor (waitlist.read only) has 报告 but no 规则模拟; ?tab=simulate falls back to 概况', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'advisor');
      await page.goto(`${env.baseUrl}/workbench/waitlist?tab=simulate`);
      const tabs = page.getByRole('navigation', { name: '床位轮候分页' });
      await tabs.getByRole('link', { name: '报告', exact: true }).waitFor();
      expect(await tabs.getByRole('link', { name: '规则模拟', exact: true }).count()).toBe(0);
      expect(await page.locator('[data-testid="wlr-sim-form"]').count()).toBe(0);
      await page.locator('[data-testid="wl-queue-total"]').waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});
