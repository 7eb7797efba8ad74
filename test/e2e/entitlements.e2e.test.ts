// 待遇自助测算 and the advisor's 待遇核定 card in Chromium: the public page reached and filled by
// keyboard only with the contract example (born 1950-03-02, 浦东新区, 职工医保, 照护 3 级 valid to
// 2026-01-01, as of today), one card per scheme with 符合/不符合 in words, the amount in yuan,
// what would change the result and the cited basis; axe finds nothing serious, in large text
// too; and the advisor sees the same cards on a person page.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, focused, largeTextByKeyboard, tabTo as tabToWithin60, useBrowserAndServer } from './helpers.ts';

interface CheckResult {
  asOf: string;
  age: number;
  allowance: { eligible: boolean; monthlyFen: number };
  schemes: { scheme: string; name: string; eligible: boolean; headline: string; reason: string; hint: string | null }[];
  explanation: { scheme: string; check: string; parameter?: { source: string } }[];
}

/** The contract example (shared/contracts/EXAMPLES.md), as of today: the server's default. */
const CONTRACT_FACTS = {
  birthDate: '1950-03-02',
  hukouDistrict: '310115',
  insurance: 'employee',
  careGrade: 3,
  careGradeValidUntil: '2026-01-01',
  economic: 'none',
  livingArrangement: null,
  preferentialCare: false,
  familyPlanningSpecial: false,
};

function card(page: Page, name: string) {
  return page.locator('li.ent-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** Every visible control at least 60 × 60 CSS px (elder mode); a checkbox's target is its whole label card. */
async function smallTargets(page: Page): Promise<unknown[]> {
  return (await page.evaluate(`[...document.querySelectorAll('main button, main a.button, main input:not([type=checkbox]), main select, main summary, main label.option-card')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
    .filter((b) => b.h < 59.5 || b.w < 59.5)`)) as unknown[];
}

/** Tab (or Shift+Tab) to a control: at most 40 presses on these pages unless told. */
const tabTo: typeof tabToWithin60 = (page, what, match, opts = {}) => tabToWithin60(page, what, match, { max: 40, ...opts });

describe.skipIf(skipBrowserTests)('entitlements (browser)', () => {
  const env = useBrowserAndServer();

  it('public self-check by keyboard only: the contract example gives 老年综合津贴 符合 with its amount and 保基本养老床位 不符合 with the hint; axe clean, large text too', async () => {
    // What the server says for the same facts today: the page must show exactly this.
    const res = await fetch(`${env.baseUrl}/api/v1/entitlements/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(CONTRACT_FACTS),
    });
    expect(res.status).toBe(200);
    const expected = (await res.json()) as CheckResult;
    // Born more than 70 years before any date this test runs on: the allowance is paid, and the
    // care grade ran out on 2026-01-01, so the basic bed needs a new assessment.
    expect(expected.age).toBeGreaterThanOrEqual(70);
    expect(expected.allowance.eligible).toBe(true);
    const bed = expected.schemes.find((s) => s.scheme === 'basicBed')!;
    expect(bed.eligible).toBe(false);
    expect(bed.hint).toBeTruthy();

    const { context, page } = await newPage(env.browser);
    try {
      // From the portal home, by keyboard: the 待遇查询 card links to the self-check.
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await tabTo(page, 'the 开始测算 link', (f) => f.tag === 'A' && f.href === '/check');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${env.baseUrl}/check`);
      await page.getByRole('heading', { level: 1, name: '待遇自助测算' }).waitFor();
      expect(await page.title()).toContain('待遇自助测算');
      await expect.poll(() => page.getByText('无需登录').count()).toBeGreaterThan(0);
      expect(await page.getByText('不会被保存').count()).toBeGreaterThan(0);
      // The district list comes from the regions API.
      await expect.poll(() => page.locator('select option', { hasText: '浦东新区' }).count()).toBe(1);
      await expectAccessible(page, 'self-check, empty form');

      // Submitting with nothing filled: the error sits next to the date of birth, focus goes there.
      await tabTo(page, 'the submit button', (f) => f.tag === 'BUTTON' && f.text === '开始测算');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.field-error', { hasText: '请填写出生日期' }).count()).toBe(1);
      expect(await page.locator('.field-error', { hasText: '请选择户籍所在区' }).count()).toBe(1);
      expect((await focused(page)).label).toBe('年');
      expect(await page.getByRole('group', { name: /出生日期/ }).getByLabel('年').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page, 'self-check, errors');

      // Fill the contract example by keyboard only; focus is on 年 of the date of birth.
      await page.keyboard.type('1950');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('月');
      await page.keyboard.type('3');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toContain('户籍所在区');
      await arrowToOption(page, '浦东新区');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toContain('医保类型');
      await arrowToOption(page, '职工医保');
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toContain('照护等级');
      await arrowToOption(page, '照护 3 级');
      // 有效期至 appears once a grade is chosen, right after it.
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toBe('年');
      await page.keyboard.type('2026');
      await page.keyboard.press('Tab');
      await page.keyboard.type('1');
      await page.keyboard.press('Tab');
      await page.keyboard.type('1');
      await tabTo(page, 'the submit button', (f) => f.tag === 'BUTTON' && f.text === '开始测算');
      await page.keyboard.press('Enter');

      // Results: focus moves to their heading; one card per scheme.
      const resultsHeading = page.getByRole('heading', { level: 2, name: '测算结果' });
      await resultsHeading.waitFor();
      await expect.poll(async () => (await focused(page)).text).toBe('测算结果');
      expect(await page.locator('.field-error').count()).toBe(0);
      expect(await page.locator('li.ent-card').count()).toBe(expected.schemes.length);
      expect(await page.locator('.check-summary').innerText()).toContain(`${expected.age} 周岁`);

      const allowance = card(page, '老年综合津贴');
      expect((await allowance.locator('.ent-status-text').innerText()).trim()).toBe('符合');
      expect(await allowance.locator('.ent-amount').innerText()).toBe(`每月 ${expected.allowance.monthlyFen / 100} 元`);
      expect(await allowance.innerText()).toContain(expected.schemes.find((s) => s.scheme === 'allowance')!.headline);

      const bedCard = card(page, '保基本养老床位');
      expect((await bedCard.locator('.ent-status-text').innerText()).trim()).toBe('不符合');
      expect(await bedCard.locator('.ent-hint').innerText()).toContain('怎样会改变结果');
      expect(await bedCard.locator('.ent-hint dd').innerText()).toBe(bed.hint);
      expect(await bedCard.innerText()).toContain(bed.reason);

      // Every card says 符合 or 不符合 in words (not colour alone).
      for (const s of expected.schemes) {
        const status = (await card(page, s.name).locator('.ent-status-text').innerText()).trim();
        expect(status, s.name).toBe(s.eligible ? '符合' : '不符合');
      }

      // 依据 opens by keyboard and cites the source and how sure it is.
      await tabTo(page, 'the 依据 of 老年综合津贴', (f) => f.tag === 'SUMMARY' && f.text.includes('老年综合津贴'));
      await page.keyboard.press('Enter');
      const basis = allowance.locator('details.ent-basis');
      expect(await basis.getAttribute('open')).not.toBeNull();
      const steps = allowance.locator('.ent-step');
      const allowanceSteps = expected.explanation.filter((e) => e.scheme === 'allowance');
      expect(await steps.count()).toBe(allowanceSteps.length);
      const basisText = await basis.innerText();
      expect(basisText).toContain('出处');
      expect(basisText).toContain('可信程度');
      for (const step of allowanceSteps) if (step.parameter) expect(basisText).toContain(step.parameter.source);
      await expectAccessible(page, 'self-check, results with the basis open');

      // Large text, switched on by keyboard from the results: bigger, same content, axe clean,
      // and every control still at least 60 px.
      await largeTextByKeyboard(page, { max: 80 });
      expect(await page.locator('li.ent-card').count()).toBe(expected.schemes.length);
      expect(await smallTargets(page)).toEqual([]);
      await expectAccessible(page, 'self-check, results, large text');

      // Narrow phone width in large text: nothing scrolls sideways.
      await page.setViewportSize({ width: 360, height: 800 });
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      expect(overflow).toBeLessThanOrEqual(1);
      await expectAccessible(page, 'self-check, results, large text, 360 px');

      // High contrast as well: the status still reads in words, axe clean.
      await page.getByRole('button', { name: '高对比度' }).press('Enter');
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      expect((await allowance.locator('.ent-status-text').innerText()).trim()).toBe('符合');
      await expectAccessible(page, 'self-check, results, large text + high contrast, 360 px');
    } finally {
      await context.close();
    }
  });

  it('the advisor sees the 待遇核定 card on a person page: 核对日期 today, the five schemes with their basis, another date on request', async () => {
    const advisorApi = await apiSession(env.baseUrl, 'advisor');
    const people = await apiGet<{ items: { id: string; name: string; deceased: boolean }[] }>(env.baseUrl, '/api/v1/people?limit=20', advisorApi);
    const person = people.items.find((p) => !p.deceased) ?? people.items[0];
    expect(person, 'the advisor sees someone in the demo register').toBeTruthy();
    const today = await apiGet<{ asOf: string; schemes: { name: string; eligible: boolean }[] }>(
      env.baseUrl,
      `/api/v1/people/${person!.id}/entitlements`,
      advisorApi,
    );

    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'advisor');
      await page.goto(`${env.baseUrl}/workbench/people/${person!.id}`);
      await page.getByRole('heading', { level: 1, name: person!.name }).waitFor();
      const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: '待遇核定' }) });
      await section.waitFor();
      const date = section.getByLabel('核对日期');
      expect(await date.inputValue()).toBe(today.asOf);
      await expect.poll(() => section.locator('li.ent-card').count()).toBe(today.schemes.length);
      expect(today.schemes.length).toBe(5);
      for (const s of today.schemes) {
        const status = (await card(page, s.name).locator('.ent-status-text').innerText()).trim();
        expect(status, s.name).toBe(s.eligible ? '符合' : '不符合');
      }
      expect(await section.locator('details.ent-basis').count()).toBe(5);
      await expectAccessible(page, 'person page with the entitlements card');

      // Another date: the card checks again as of that date.
      await date.fill('2025-01-01');
      await section.getByRole('button', { name: '核对', exact: true }).click();
      await expect.poll(() => section.locator('.ent-summary').innerText()).toContain('核对日期 2025-01-01');
      await expect.poll(() => section.locator('li.ent-card').count()).toBe(5);

      // Large text on the workbench too.
      await page.getByRole('button', { name: '大字模式' }).click();
      await section.locator('details.ent-basis summary').first().click();
      await expectAccessible(page, 'person page with the entitlements card, large text');
    } finally {
      await context.close();
    }
  });
});
