// Closing an assessment application in Chromium, by keyboard: the 浦东 officer opens the
// 不予受理 dialog, is told a reason is needed and must be Chinese, gives one, and sees the state
// and the reason; an advisor withdraws (撤销) another application. axe-core with the dialog open.
import { beforeAll, describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { useBrowserAndServer } from './helpers.ts';

describe.skipIf(skipBrowserTests)('closing an assessment application (browser)', () => {
  const env = useBrowserAndServer();
  let officerApi: Record<string, string> = {};

  /** Apply (through the API) for 浦东 people without an open application. */
  const applyFor = async (n: number): Promise<string[]> => {
    const people = await apiGet<{ items: { id: string; age: number; deceased: boolean }[] }>(env.baseUrl, '/api/v1/people?districtCode=310115&limit=60', officerApi);
    const out: string[] = [];
    for (const p of people.items.filter((x) => !x.deceased && x.age >= 65)) {
      if (out.length === n) break;
      const open = await apiGet<{ items: { state: string }[] }>(env.baseUrl, `/api/v1/assessments?personId=${p.id}`, officerApi);
      if (open.items.some((a) => ['applied', 'assigned', 'in_progress', 'submitted'].includes(a.state))) continue;
      const res = await fetch(`${env.baseUrl}/api/v1/assessments`, {
        method: 'POST',
        headers: { ...officerApi, 'content-type': 'application/json' },
        body: JSON.stringify({ personId: p.id, reason: 'first', channel: 'centre', applicant: 'family' }),
      });
      expect(res.status).toBe(201);
      out.push(((await res.json()) as { id: string }).id);
    }
    expect(out).toHaveLength(n);
    return out;
  };

  beforeAll(async () => {
    officerApi = await apiSession(env.baseUrl, 'officer.pudong');
  });

  it('不予受理 with a Chinese reason, by keyboard; the reason shows with the state', async () => {
    const [id] = await applyFor(1);
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer.pudong');
      await page.goto(`${env.baseUrl}/workbench/assessments/${id}`);
      const open = page.getByRole('button', { name: '不予受理', exact: true });
      await open.waitFor();
      await open.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: '不予受理该评估申请' });
      await dialog.waitFor();
      const reason = dialog.getByLabel('原因（必填，请用中文填写）');
      expect(await page.evaluate('document.activeElement?.tagName')).toBe('TEXTAREA');
      await expectAccessible(page, 'reject dialog');

      // Esc closes without a change, and focus returns to the button
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // Focus goes back once the dialog has closed and React has re-rendered: wait for it rather than read it at once.
      await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('不予受理');

      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.getByRole('button', { name: '确认不予受理' }).click();
      await dialog.getByRole('alert').filter({ hasText: '请填写原因' }).waitFor();
      await reason.fill('incomplete');
      await reason.press('Tab'); // to the confirm button
      await page.keyboard.press('Enter');
      await dialog.getByRole('alert').filter({ hasText: '请用中文填写原因' }).waitFor();
      await reason.fill('申请材料不全，请补充户籍证明后重新申请');
      await dialog.getByRole('button', { name: '确认不予受理' }).press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('status').filter({ hasText: '已不予受理' }).waitFor();
      expect(await page.locator('dl.field-list').innerText()).toContain('未受理');
      expect(await page.getByText('申请材料不全，请补充户籍证明后重新申请').count()).toBe(1);
      expect(await page.getByRole('button', { name: '不予受理', exact: true }).count()).toBe(0);
      await expectAccessible(page, 'assessment detail (rejected)');
      const app = await apiGet<{ state: string; stateReasons: { code: string }[] }>(env.baseUrl, `/api/v1/assessments/${id}`, officerApi);
      expect(app).toMatchObject({ state: 'rejected', stateReasons: [{ code: 'not_accepted' }] });
    } finally {
      await context.close();
    }
  });

  it('an advisor withdraws (撤销) an application; an advisor is not offered 不予受理', async () => {
    const [id] = await applyFor(1);
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'advisor');
      await page.goto(`${env.baseUrl}/workbench/assessments/${id}`);
      await page.getByRole('button', { name: '撤销申请' }).click();
      expect(await page.getByRole('button', { name: '不予受理', exact: true }).count()).toBe(0);
      const dialog = page.getByRole('dialog', { name: '撤销该评估申请' });
      await dialog.getByLabel('原因（必填，请用中文填写）').fill('家属已为老人另行安排，申请撤销');
      await dialog.getByRole('button', { name: '确认撤销' }).click();
      await page.getByRole('status').filter({ hasText: '已撤销该申请' }).waitFor();
      expect(await page.locator('dl.field-list').innerText()).toContain('已撤销');
      const app = await apiGet<{ state: string }>(env.baseUrl, `/api/v1/assessments/${id}`, officerApi);
      expect(app.state).toBe('cancelled');
    } finally {
      await context.close();
    }
  });
});
