// The care-grade screen in Chromium: the 浦东 officer opens 照护等级 from the navigation, imports a
// small CSV of agency-signed records that name the person by ID number (one good row, one whose
// signature was tampered with), reads the summary and the row error in Chinese, finds the new
// record by typing the ID number (keyboard only), and sees the grade on the person page.
// axe-core on the page, after the import and in large-text mode.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { WEB_DIR } from '../../src/app.ts';
import { addDays, addYears, todayIn } from '../../src/core/dates.ts';
import { signCareGrade, type SignedCareGrade } from '../../src/assessment/index.ts';
import { demoAgencyKey } from '../../src/assessment/wiring.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { apiGet, apiSession, expectAccessible, launchBrowser, login, newPage, skipBrowserTests } from './browser.ts';

describe.skipIf(skipBrowserTests)('care grades (browser)', () => {
  let p: TestPlatform | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  let dir = '';

  beforeAll(async () => {
    // Like harness.ts, but keeping the platform: the test signs records with the seed-time agency key.
    ensureWebBuilt();
    p = await startTestPlatform('pglite', { people: 2000, webDir: WEB_DIR });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = p.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    dir = mkdtempSync(join(tmpdir(), 'yiyang-e2e-grades-'));
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await p?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('import a signed CSV by ID number, see the row error in Chinese, find the record, see it on the person page', async () => {
    const officerApi = await apiSession(baseUrl, 'officer.pudong');
    // a 浦东 person without a care grade yet, and their ID number (revealed through the API, audited)
    const people = await apiGet<{ items: { id: string; name: string; deceased: boolean }[] }>(baseUrl, '/api/v1/people?districtCode=310115&ageMin=70&limit=60', officerApi);
    let person: { id: string; name: string } | undefined;
    for (const x of people.items.filter((y) => !y.deceased)) {
      const g = await apiGet<{ items: unknown[] }>(baseUrl, `/api/v1/care-grades?personId=${x.id}`, officerApi);
      if (g.items.length === 0) {
        person = x;
        break;
      }
    }
    expect(person, 'a 浦东 person without a care grade').toBeDefined();
    const reveal = await fetch(`${baseUrl}/api/v1/people/${person!.id}/reveal`, {
      method: 'POST',
      headers: { ...officerApi, 'content-type': 'application/json' },
      body: JSON.stringify({ purpose: '照护等级导入浏览器测试' }),
    });
    const idNumber = ((await reveal.json()) as { idNumber: string }).idNumber;
    expect(idNumber).toMatch(/^\d{17}[\dX]$/);

    const key = await demoAgencyKey(p!.ctx, { code: '310115-A', districtCode: '310115' });
    const assessedOn = addDays(todayIn(p!.ctx.clock), -7);
    const good = signCareGrade({ personRef: idNumber, grade: 3, outcome: 'grade', agencyCode: '310115-A', assessedOn, validUntil: addDays(addYears(assessedOn, 2), -1) }, key);
    const tampered: SignedCareGrade = { ...good, grade: 5 };
    const line = (s: SignedCareGrade) => [s.personRef, s.grade, s.agencyCode, s.assessedOn, s.validUntil, s.keyId, s.signature].join(',');
    const file = join(dir, '照护等级-浦东.csv');
    writeFileSync(file, `身份证号,照护等级,评估机构代码,评估日期,有效期至,密钥编号,签名\r\n${line(good)}\r\n${line(tampered)}\r\n`, 'utf8');

    const { context, page } = await newPage(browser!);
    try {
      await login(page, baseUrl, 'officer.pudong');
      await page.getByRole('navigation').getByRole('link', { name: '照护等级' }).click();
      await page.getByRole('heading', { level: 1, name: '照护等级记录' }).waitFor();
      await page.getByTestId('care-grades').waitFor(); // the demo's signed grades
      await expectAccessible(page, 'care grades');

      // --- import ---
      const submit = page.getByRole('button', { name: '开始导入' });
      await submit.click();
      await page.getByRole('alert').filter({ hasText: '请先选择要导入的文件' }).waitFor();
      await page.getByLabel('选择文件（CSV 或 XLSX）').setInputFiles(file);
      await submit.click();
      await page.getByRole('heading', { name: '导入结果' }).waitFor();
      const summary = await page.getByTestId('care-grade-import-summary').innerText();
      expect(summary).toMatch(/共读取\s*2/);
      expect(summary).toMatch(/新记录\s*1/);
      expect(summary).toMatch(/有问题\s*1/);
      const errors = page.getByTestId('care-grade-import-errors');
      expect(await errors.innerText()).toContain('签名校验失败');
      expect(await errors.getByRole('row').nth(1).innerText()).toMatch(/^3\s+签名\s+签名校验失败/);
      await expectAccessible(page, 'care grades after import');

      // --- find it by ID number, by keyboard ---
      const q = page.getByLabel('老人编号或身份证号');
      await q.fill(idNumber);
      await q.press('Enter');
      await page.getByRole('status').filter({ hasText: '共 1 条' }).waitFor();
      const row = page.getByTestId('care-grades').getByRole('row').nth(1);
      await row.getByRole('link', { name: new RegExp(person!.name) }).waitFor();
      const text = await row.innerText();
      expect(text).toContain('照护三级（03）');
      expect(text).toContain('✓ 已验证');
      expect(text).toContain('当前有效');
      expect(text).not.toContain(idNumber); // masked in the table
      expect(page.url()).not.toContain(idNumber.slice(0, 10)); // never in the address

      // large text: still usable, still axe-clean
      await page.getByRole('button', { name: '大字模式' }).click();
      await expectAccessible(page, 'care grades, large text');
      await page.getByRole('button', { name: '大字模式' }).click();

      // --- the person page shows the grade in force ---
      await row.getByRole('link', { name: new RegExp(person!.name) }).click();
      await page.getByRole('heading', { level: 1, name: person!.name }).waitFor();
      const card = page.getByTestId('current-care-grade');
      await card.getByText('照护三级（03）').waitFor();
      const agencies = await apiGet<{ items: { code: string; name: string }[] }>(baseUrl, '/api/v1/assessments/agencies', officerApi);
      expect(await card.innerText()).toContain(agencies.items.find((a) => a.code === '310115-A')!.name);
      expect(await card.innerText()).toContain(good.validUntil);
      await card.getByRole('link', { name: '查看全部记录' }).click();
      await page.getByRole('heading', { level: 1, name: '照护等级记录' }).waitFor();
      await page.getByRole('status').filter({ hasText: '共 1 条' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
