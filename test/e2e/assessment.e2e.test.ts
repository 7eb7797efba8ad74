// The assessment workflow in Chromium, end to end: a 浦东 officer applies for a person and assigns
// the 浦东 agency and two assessors; the first assessor fills the 26 items on the tablet form,
// part of it offline, and every answer reaches the server once; submit; the second assessor
// countersigns and sees the completed result with its level and adjustment. axe-core on the
// form and the detail page.
// Skipped (with the reason printed) when the test server has no assessment API yet
// (GET /api/v1/instruments/gbt42195-2022 → 404); skipped without Chromium like the others.
import { beforeAll, describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { useBrowserAndServer } from './helpers.ts';

interface Item {
  key: string;
  name: string;
  options: { score: number; label: string }[];
}

interface AppView {
  id: string;
  state: string;
  answers: Record<string, number>;
  diagnoses: string[];
  assessor1Id: string | null;
  assessor2Id: string | null;
  level: number | null;
  result: { level: number; levelName: string; total: number; adjustments: { code: string; reason: string }[] } | null;
}

/** Offline for items OFFLINE_FROM … OFFLINE_TO (1-based). */
const OFFLINE_FROM = 6;
const OFFLINE_TO = 9;

describe.skipIf(skipBrowserTests)('assessment workflow (browser)', () => {
  const env = useBrowserAndServer();
  let items: Item[] = [];

  beforeAll(async () => {
    const res = await fetch(`${env.baseUrl}/api/v1/instruments/gbt42195-2022`);
    expect(res.status).toBe(200);
    items = ((await res.json()) as { items: Item[] }).items;
  });

  it('apply → assign → tablet form (partly offline) → submit → countersign → result', async () => {
    expect(items).toHaveLength(26);

    // --- fixtures through the API: ids of the two assessors, the agency they work for, a person ---
    const officerApi = await apiSession(env.baseUrl, 'officer.pudong');
    const me = async (u: string) =>
      (await apiGet<{ user: { id: string } }>(env.baseUrl, '/api/v1/auth/me', await apiSession(env.baseUrl, u))).user.id;
    const first = await me('assessor');
    const second = await me('assessor2');
    const agencies = await apiGet<{ items: { id: string; name: string; assessors: unknown[] }[] }>(
      env.baseUrl,
      '/api/v1/assessments/agencies',
      officerApi,
    );
    const ids = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : (x as { id: string }).id));
    const agency = agencies.items.find((a) => ids(a.assessors).includes(first) && ids(a.assessors).includes(second));
    expect(agency, 'a 浦东 agency employs both demo assessors').toBeDefined();

    const people = await apiGet<{ items: { id: string; name: string; age: number; deceased: boolean }[] }>(
      env.baseUrl,
      '/api/v1/people?districtCode=310115&limit=50',
      officerApi,
    );
    let person: { id: string; name: string } | undefined;
    for (const p of people.items.filter((x) => !x.deceased && x.age >= 65)) {
      const open = await apiGet<{ items: { state: string }[] }>(env.baseUrl, `/api/v1/assessments?personId=${p.id}`, officerApi);
      if (!open.items.some((a) => ['applied', 'assigned', 'in_progress', 'submitted'].includes(a.state))) {
        person = p;
        break;
      }
    }
    expect(person, 'a 浦东 person without an open application').toBeDefined();

    // Answers: every item at its best option except items 1–8 one step lower (−8 → 82, 轻度失能);
    // diagnosis F03.9 raises one level → 中度失能.
    const answerOf = (it: Item): number => {
      const scores = it.options.map((o) => o.score).sort((a, b) => b - a);
      return Number(it.key) <= 8 ? scores[1]! : scores[0]!;
    };

    // --- 1. officer.pudong applies from the person page and assigns ---
    let assessmentId = '';
    {
      const { context, page } = await newPage(env.browser);
      try {
        await login(page, env.baseUrl, 'officer.pudong');
        await page.goto(`${env.baseUrl}/workbench/people/${person!.id}`);
        await page.getByRole('heading', { level: 1, name: person!.name }).waitFor();
        await page.getByRole('button', { name: '申请评估', exact: true }).click();
        await page.waitForURL(/\/workbench\/assessments\/[0-9a-f-]+$/);
        assessmentId = page.url().split('/').pop()!;
        await page.getByRole('heading', { level: 1, name: `${person!.name} 的能力评估` }).waitFor();
        expect(await page.locator('dl.field-list').innerText()).toContain('已申请');

        await page.getByLabel('评估机构', { exact: true }).selectOption(agency!.id);
        await page.getByLabel('第一评估员', { exact: true }).selectOption(first);
        await page.getByLabel('第二评估员（复签）', { exact: true }).selectOption(second);
        await expectAccessible(page, 'assessment detail (assign)');
        await page.getByRole('button', { name: '确认派单' }).click();
        await page.getByRole('status').filter({ hasText: '已派单' }).waitFor();
        expect(await page.locator('dl.field-list').innerText()).toContain(agency!.name);

        // The task list shows it, with its expected dates.
        await page.getByRole('link', { name: '评估任务' }).first().click();
        await page.getByRole('heading', { level: 1, name: '评估任务' }).waitFor();
        await page.getByRole('link', { name: person!.name }).first().waitFor();
        await expectAccessible(page, 'assessment list');
      } finally {
        await context.close();
      }
    }

    // --- 2. the first assessor fills the tablet form, items 6–9 offline ---
    {
      const { context, page } = await newPage(env.browser);
      const acknowledged: { opId: string; answers: Record<string, number>; applied: boolean | undefined }[] = [];
      page.on('response', (res) => {
        const req = res.request();
        if (req.method() !== 'PUT' || !req.url().endsWith(`/api/v1/assessments/${assessmentId}/answers`)) return;
        if (res.status() !== 200) return;
        const body = req.postDataJSON() as { opId: string; answers: Record<string, number> };
        void res
          .json()
          .then((r: { applied?: boolean }) => acknowledged.push({ opId: body.opId, answers: body.answers, applied: r.applied }))
          .catch(() => acknowledged.push({ opId: body.opId, answers: body.answers, applied: undefined }));
      });
      try {
        await login(page, env.baseUrl, 'assessor');
        await page.goto(`${env.baseUrl}/workbench/assessments/${assessmentId}`);
        await page.getByRole('button', { name: '开始评估' }).click();
        await page.waitForURL(/\/form/);
        const status = page.getByTestId('sync-status');

        for (const it of items) {
          const n = Number(it.key);
          await page.getByText(`第 ${n} / 26 项`).waitFor();
          await page.getByRole('heading', { level: 2, name: `${it.key}. ${it.name}` }).waitFor();
          if (n === 1) {
            // Touch targets: every option card at least 60 px tall.
            const heights = (await page.evaluate(
              `[...document.querySelectorAll('.option-card')].map((e) => e.getBoundingClientRect().height)`,
            )) as number[];
            expect(Math.min(...heights)).toBeGreaterThanOrEqual(60);
            await expectAccessible(page, 'tablet form, item 1');
            // Large-text mode on a portrait tablet: still one column, no sideways scrolling.
            await page.setViewportSize({ width: 800, height: 1280 });
            await page.getByRole('button', { name: '大字模式' }).click();
            expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
            const bigHeights = (await page.evaluate(
              `[...document.querySelectorAll('.option-card')].map((e) => e.getBoundingClientRect().height)`,
            )) as number[];
            expect(Math.min(...bigHeights)).toBeGreaterThanOrEqual(60);
            await expectAccessible(page, 'tablet form, item 1, large text');
          }
          if (n === OFFLINE_FROM) await context.setOffline(true);
          await page.locator(`.option-card input[type="radio"][value="${answerOf(it)}"]`).check();
          if (n >= OFFLINE_FROM && n <= OFFLINE_TO) {
            await expect.poll(() => status.innerText()).toContain('离线');
          }
          if (n === OFFLINE_TO) {
            expect(Number(await status.getAttribute('data-pending'))).toBe(OFFLINE_TO - OFFLINE_FROM + 1);
            await context.setOffline(false);
            await expect.poll(() => status.innerText(), { timeout: 15_000 }).toContain('已同步');
          }
          await page.getByRole('button', { name: n === 26 ? '补充信息与提交' : '下一项', exact: true }).click();
        }

        // End screen: coma no (default), diagnosis F03.9, 0 risk events; the running score.
        await page.getByRole('heading', { level: 2, name: '补充信息与评估结果' }).waitFor();
        await page.getByLabel('疾病诊断（ICD-10 编码）').fill('F03.9');
        await page.getByLabel('疾病诊断（ICD-10 编码）').press('Enter');
        const running = page.getByTestId('assessment-result');
        await expect.poll(() => running.innerText()).toContain('F03.9');
        const runningText = await running.innerText();
        expect(runningText).toContain('82 / 90');
        expect(runningText).toContain('1 级 · 轻度失能');
        expect(runningText).toContain('2 级 · 中度失能');
        await expect.poll(() => status.innerText()).toContain('已同步');
        await expectAccessible(page, 'tablet form, end screen');

        // Every item answer reached the server exactly once: one acknowledged op per item.
        const perItem = new Map<string, number>();
        for (const a of acknowledged) for (const k of Object.keys(a.answers)) perItem.set(k, (perItem.get(k) ?? 0) + 1);
        expect([...perItem.keys()].sort((a, b) => Number(a) - Number(b))).toEqual(items.map((i) => i.key));
        expect([...perItem.values()].every((c) => c === 1)).toBe(true);
        // Retries reuse their opId; no op was applied twice.
        const applied = acknowledged.filter((a) => a.applied !== false).map((a) => a.opId);
        expect(new Set(applied).size).toBe(applied.length);
        // The local queue is empty.
        expect(await page.evaluate(`localStorage.getItem('yiyang.assessment.${assessmentId}.queue')`)).toBeNull();

        await page.getByRole('button', { name: '提交评估' }).click();
        await page.waitForURL(new RegExp(`/workbench/assessments/${assessmentId}$`));
        await expect.poll(() => page.locator('dl.field-list').innerText()).toContain('待复签');
      } finally {
        await context.close();
      }
    }

    // The server holds the 26 answers given, once each.
    const afterSubmit = await apiGet<AppView>(env.baseUrl, `/api/v1/assessments/${assessmentId}`, officerApi);
    expect(afterSubmit.state).toBe('submitted');
    expect(afterSubmit.answers).toEqual(Object.fromEntries(items.map((it) => [it.key, answerOf(it)])));
    expect(afterSubmit.diagnoses).toEqual(['F03.9']);

    // --- 3. the second assessor countersigns and sees the completed result ---
    {
      const { context, page } = await newPage(env.browser);
      try {
        await login(page, env.baseUrl, 'assessor2');
        await page.goto(`${env.baseUrl}/workbench/assessments/${assessmentId}`);
        await page.getByRole('button', { name: '复签确认' }).click();
        await page.getByRole('status').filter({ hasText: '已复签' }).waitFor();
        expect(await page.locator('dl.field-list').first().innerText()).toContain('已完成');
        const result = page.getByTestId('assessment-result');
        await page.getByRole('heading', { level: 2, name: '评估结果' }).waitFor();
        const text = await result.innerText();
        expect(text).toContain('2 级 · 中度失能');
        expect(text).toContain('1 级 · 轻度失能');
        expect(text).toContain('82 / 90');
        expect(text).toMatch(/确诊 F03\.9，提高一个级别/);
        await page.getByRole('heading', { level: 2, name: '有效期与复核' }).waitFor();
        await expectAccessible(page, 'assessment detail (completed)');
      } finally {
        await context.close();
      }
    }

    const done = await apiGet<AppView>(env.baseUrl, `/api/v1/assessments/${assessmentId}`, officerApi);
    expect(done.state).toBe('completed');
    expect(done.result?.level).toBe(2);
  }, 240_000);

  it('quality control: the 浦东 officer sees figures per agency and assessor, outliers with reasons; axe-clean; filters by keyboard', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer.pudong');
      await page.getByRole('link', { name: '质量控制' }).click();
      await page.getByRole('heading', { level: 1, name: '评估质量控制' }).waitFor();
      const agencies = page.getByTestId('quality-agencies');
      await agencies.waitFor();
      expect(await agencies.locator('caption').innerText()).toBe('各评估机构的质量指标');
      expect(await agencies.locator('tbody th[scope="row"]').count()).toBeGreaterThanOrEqual(2);
      expect(await page.getByTestId('quality-outliers').innerText()).toContain('⚠ 异常');
      await expectAccessible(page, 'assessment quality control');
      // keyboard: set a period and submit with Enter; the URL carries the filter
      await page.getByLabel('开始日期（完成日期）').fill('2026-01-01');
      await page.getByLabel('结束日期').fill('2026-06-30');
      await page.getByLabel('结束日期').press('Enter');
      await page.waitForURL(/from=2026-01-01&to=2026-06-30/);
      // wait for the new period (the previous report's status also contains "2026")
      await page.getByRole('status').filter({ hasText: '统计期间' }).filter({ hasText: '2026-06-30' }).waitFor();
    } finally {
      await context.close();
    }
  }, 120_000);
});
