// The staff workbench in Chromium against a seeded server: login errors, the people register,
// person detail, bulk import with a row-error report, and region scope (a 浦东 officer gets
// "not found" for a 黄浦 person). axe-core must find nothing serious on each page.
// Skipped without Chromium: install Debian's chromium (apt-get install chromium) or set
// CHROME_PATH; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  apiGet,
  apiSession,
  expectAccessible,
  login,
  newPage,
  residentId,
  skipBrowserTests,
} from './browser.ts';
import { arrowToOption, focused, tabTo, useBrowserAndServer } from './helpers.ts';

interface PersonSummary {
  id: string;
  name: string;
  districtCode: string;
  districtName: string;
}

/** Rows of the people table as { name, district } (name is the row header). */
async function tableRows(page: Page): Promise<{ name: string; district: string }[]> {
  return (await page.evaluate(`[...document.querySelectorAll('table.data-table tbody tr')].map((tr) => ({
    name: tr.querySelector('th').innerText.trim(),
    district: tr.querySelectorAll('td')[3].innerText.trim(),
  }))`)) as { name: string; district: string }[];
}

describe.skipIf(skipBrowserTests)('staff workbench (browser)', () => {
  const env = useBrowserAndServer();

  it('a wrong password shows the server’s Chinese message, and the login page passes axe', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(`${env.baseUrl}/workbench`);
      await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
      await expectAccessible(page, 'login');

      // Empty form: told in words which field is missing, nothing sent.
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByText('请输入用户名。').waitFor();

      await page.getByLabel('用户名', { exact: true }).fill('advisor');
      await page.getByLabel('密码', { exact: true }).fill('not-the-password');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: '用户名或密码错误' });
      await alert.waitFor();
      expect(await alert.innerText()).toContain('登录失败');
      // Still on the form, not signed in.
      expect(await page.getByRole('button', { name: '退出登录' }).count()).toBe(0);
      await expectAccessible(page, 'login with an error');
    } finally {
      await context.close();
    }
  });

  it('officer.pudong searches the people register and opens a person (axe on each page)', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer.pudong');
      await page.waitForURL(`${env.baseUrl}/workbench/people`);
      await page.getByRole('heading', { level: 1, name: '人员名册' }).waitFor();
      // The shell names the user, role and region.
      const header = await page.locator('header').first().innerText();
      expect(header).toContain('民政工作人员');
      expect(header).toContain('浦东新区');

      await page.locator('table.data-table tbody tr').first().waitFor();
      const rows = await tableRows(page);
      expect(rows.length).toBeGreaterThan(0);
      // Scope: a Pudong officer sees only Pudong residents.
      expect(rows.filter((r) => r.district !== '浦东新区')).toEqual([]);
      // The district filter offers Pudong only (plus "全部").
      const districtOptions = await page.getByLabel('区', { exact: true }).locator('option').allInnerTexts();
      expect(districtOptions.filter((o) => o !== '全部')).toEqual(['浦东新区']);
      await expectAccessible(page, 'people list');

      // Search by the first person's name.
      const target = rows[0]!.name;
      await page.getByRole('searchbox', { name: '姓名或身份证号' }).fill(target);
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/people?') && r.url().includes('q=')),
        page.getByRole('button', { name: '查询', exact: true }).click(),
      ]);
      expect(new URL(page.url()).searchParams.get('q')).toBe(target);
      await expect.poll(async () => (await tableRows(page)).map((r) => r.name)).toContain(target);

      // Filters by select: living arrangement 独居 shows up in the URL and the request.
      await page.getByLabel('居住状况').selectOption({ label: '独居' });
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('livingArrangement=alone')),
        page.getByRole('button', { name: '查询', exact: true }).click(),
      ]);
      await page.getByLabel('居住状况').selectOption({ label: '全部' });
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/people?') && !r.url().includes('livingArrangement')),
        page.getByRole('button', { name: '查询', exact: true }).click(),
      ]);
      await expect.poll(async () => (await tableRows(page)).map((r) => r.name)).toContain(target);

      // Open the detail page.
      await page.getByRole('link', { name: target, exact: true }).first().click();
      await page.waitForURL(/\/workbench\/people\/[^/?]+$/);
      await page.getByRole('heading', { level: 1, name: target }).waitFor();
      await page.getByRole('heading', { level: 2, name: '基本信息' }).waitFor();
      const basic = await page.locator('dl.field-list').innerText();
      for (const label of ['姓名', '身份证号', '性别', '出生日期', '居住地址', '居住状况', '经济状况', '医保类型']) {
        expect(basic).toContain(label);
      }
      // The ID number is masked.
      const idRow = page.locator('.field-row', { hasText: '身份证号' }).locator('dd');
      expect(await idRow.innerText()).toMatch(/\*/);
      await page.getByRole('heading', { level: 2, name: '联系人' }).waitFor();
      await page.getByRole('heading', { level: 2, name: '授权同意' }).waitFor();
      await page.getByRole('heading', { level: 2, name: '变更记录' }).waitFor();
      // History loaded (a registered person has at least the version that created them).
      const history = page.locator('section', { has: page.getByRole('heading', { level: 2, name: '变更记录' }) });
      await history.locator('table tbody tr').first().waitFor();
      expect(await history.locator('thead').innerText()).toMatch(/版本[\s\S]*时间[\s\S]*操作人[\s\S]*操作[\s\S]*变更内容/);
      await expectAccessible(page, 'person detail');

      // Back to the list keeps the search.
      await page.getByRole('link', { name: '返回人员名册' }).click();
      await page.waitForURL(/\/workbench\/people\?/);
      expect(new URL(page.url()).searchParams.get('q')).toBe(target);

      // Logout returns to the login form.
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('imports a CSV with one bad ID number and shows the row-error report', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer.pudong');
      await page.getByRole('link', { name: '批量导入' }).click();
      await page.getByRole('heading', { level: 1, name: '批量导入' }).waitFor();
      expect(await page.getByRole('link', { name: '下载模板（CSV）' }).getAttribute('href')).toBe(
        '/api/v1/people/import/template.csv',
      );
      await expectAccessible(page, 'import');

      // Line 1 header, line 2 a good row, line 3 a bad check character.
      const seq = String(100 + Math.floor(Math.random() * 800));
      const good = residentId(`31011519480312${seq}`);
      const valid = residentId(`31011519470618${seq}`);
      const bad = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
      const csv = [
        '姓名,身份证号,居住街道,地址,医保类型,经济状况,居住状况,电话',
        `测试导入甲,${good},潍坊新村街道,浦东新区潍坊路100弄1号101室,职工医保,无,独居,13800138000`,
        `测试导入乙,${bad},潍坊新村街道,浦东新区潍坊路100弄2号202室,城乡居民医保,低保,纯老家庭,13900139000`,
      ].join('\r\n');

      await page.getByLabel('选择文件（CSV 或 XLSX）').setInputFiles({
        name: '测试导入.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`${csv}\r\n`, 'utf8'),
      });
      await page.getByRole('button', { name: '上传并导入' }).click();
      await page.getByRole('heading', { level: 2, name: '导入结果' }).waitFor();

      const stat = async (cls: string) =>
        Number(await page.locator(`[data-testid="import-summary"] .${cls} dd`).innerText());
      expect(await stat('stat-total')).toBe(2);
      expect(await stat('stat-rejected')).toBe(1);
      expect((await stat('stat-created')) + (await stat('stat-updated')) + (await stat('stat-unchanged'))).toBe(1);

      const report = page.locator('section.import-result table');
      expect(await report.locator('thead').innerText()).toMatch(/行号[\s\S]*字段[\s\S]*原因/);
      const errorRows = (await report.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
      expect(errorRows).toHaveLength(1);
      // 行号 is the line in the file (header = line 1), as a spreadsheet shows it.
      expect(errorRows[0]).toMatch(/^3 /);
      expect(errorRows[0]).toMatch(/身份证/);
      await expectAccessible(page, 'import with a row-error report');
    } finally {
      await context.close();
    }
  });

  it('an advisor links the demo citizen account as 家属 by keyboard, sees it listed, and removes it (axe on the way)', async () => {
    // A living 浦东 person the demo citizen is not yet linked to.
    const advisor = await apiSession(env.baseUrl, 'advisor');
    const people = await apiGet<{ items: (PersonSummary & { deceased: boolean })[] }>(env.baseUrl, '/api/v1/people?limit=20', advisor);
    let person: PersonSummary | undefined;
    for (const p of people.items.filter((x) => !x.deceased)) {
      const links = await apiGet<{ items: { username: string }[] }>(env.baseUrl, `/api/v1/people/${p.id}/links`, advisor);
      if (!links.items.some((l) => l.username === 'citizen')) {
        person = p;
        break;
      }
    }
    expect(person, 'a 浦东 person not linked to the demo citizen').toBeDefined();

    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'advisor');
      await page.goto(`${env.baseUrl}/workbench/people/${encodeURIComponent(person!.id)}`);
      await page.getByRole('heading', { level: 1, name: person!.name }).waitFor();
      const card = page.locator('[data-testid="person-links"]');
      await card.getByRole('heading', { level: 2, name: '关联的居民账号' }).waitFor();
      await card.getByText('还没有关联的居民账号。').waitFor();

      // Keyboard only: into the account field, type, Tab to 关系 and arrow to 家属, Tab to 关联, Enter.
      await card.getByLabel('居民账号', { exact: true }).focus();
      await page.keyboard.type('citizen');
      await tabTo(page, 'the 关系 select', (f) => f.tag === 'SELECT' && f.label === '关系', { max: 5 });
      await arrowToOption(page, '家属');
      await tabTo(page, 'the 关联 button', (f) => f.tag === 'BUTTON' && f.text === '关联', { max: 5 });
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/api/v1/people/${person!.id}/links`) && r.request().method() === 'POST' && r.status() === 201),
        page.keyboard.press('Enter'),
      ]);
      await card.getByRole('status').filter({ hasText: '已关联居民账号 citizen（家属）' }).waitFor();
      const row = card.locator('tbody tr', { hasText: 'citizen' });
      await row.waitFor();
      expect((await row.innerText()).replace(/\s+/g, ' ')).toMatch(/citizen 市民 钱阿婆 家属 .+ 养老顾问 张老师/);
      await expectAccessible(page, 'person with a linked citizen account');

      // 解除关联: the dialog asks first, with 返回 focused; Shift+Tab to 确认解除, Enter.
      await row.getByRole('button', { name: '解除关联：citizen' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: '解除关联' });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('citizen（市民 钱阿婆）');
      expect((await focused(page)).text).toBe('返回');
      await expectAccessible(page, 'unlink dialog');
      await page.keyboard.press('Shift+Tab');
      expect((await focused(page)).text).toBe('确认解除');
      await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/api/v1/people/${person!.id}/links/`) && r.request().method() === 'DELETE' && r.status() === 204),
        page.keyboard.press('Enter'),
      ]);
      await card.getByRole('status').filter({ hasText: '已解除居民账号 citizen 的关联' }).waitFor();
      await card.getByText('还没有关联的居民账号。').waitFor();
      expect(await dialog.count()).toBe(0);
      expect((await focused(page)).text).toBe('关联的居民账号');
      await expectAccessible(page, 'person after unlinking');
      const after = await apiGet<{ items: { username: string }[] }>(env.baseUrl, `/api/v1/people/${person!.id}/links`, advisor);
      expect(after.items.map((l) => l.username)).not.toContain('citizen');
    } finally {
      await context.close();
    }
  });

  it('a 浦东 officer opening a 黄浦 person sees “not found”', async () => {
    // Find a Huangpu person as the Huangpu officer, through the API.
    const huangpu = await apiSession(env.baseUrl, 'officer.huangpu');
    const page1 = await apiGet<{ items: PersonSummary[] }>(env.baseUrl, '/api/v1/people?limit=5', huangpu);
    const person = page1.items.find((p) => p.districtCode === '310101');
    expect(person, 'the seed has a person in 黄浦区').toBeDefined();

    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer.pudong');
      await page.goto(`${env.baseUrl}/workbench/people/${encodeURIComponent(person!.id)}`);
      await page.getByRole('heading', { level: 1, name: '未找到该人员' }).waitFor();
      expect(await page.getByRole('alert').innerText()).toContain('未找到');
      expect(await page.locator('main').innerText()).not.toContain(person!.name);
      await expectAccessible(page, 'person not found');
    } finally {
      await context.close();
    }
  });
});
