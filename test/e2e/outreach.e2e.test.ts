// 政策找人 and 探访任务 in Chromium, keyboard only. officer.pudong lists the people who qualify for
// 老年综合津贴 but neither receive it nor applied (total and per street as the API counts them),
// narrows to one street, ticks two people and grants them 免申即享 after a confirmation dialog, then
// asks the advisor to visit a third; the person page shows the grant under 申请与享受记录. The
// advisor finds the visit, records an application (登记申请) and closes the visit with a note.
// 长期护理保险, which needs an application, offers no 免申即享. axe finds nothing serious, in large
// text (and high contrast) too. Stored entitlements come from the serve command's
// first sweep, run here before the tests.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import { describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { arrowToOption, focused, largeTextByKeyboard, tabTo as tabToWithin60, useBrowserAndServer } from './helpers.ts';

interface Unclaimed {
  total: number;
  noApplicationGrant: boolean;
  byStreet: { streetCode: string; streetName: string; count: number }[];
  items: { personId: string; name: string; regionName: string; outreach: { advisorName: string | null } | null }[];
}
interface Grant {
  scheme: string;
  status: string;
  statusName: string;
  channel: string;
}
interface Task {
  id: string;
  personId: string;
  name: string;
  status: string;
  note: string | null;
}

/** Tab (or Shift+Tab) to a control: at most 80 presses on these pages unless told. */
const tabTo: typeof tabToWithin60 = (page, what, match, opts = {}) => tabToWithin60(page, what, match, { max: 80, ...opts });

describe.skipIf(skipBrowserTests)('政策找人 and 探访任务 (browser)', () => {
  const env = useBrowserAndServer({ sweeps: true });
  let granted: { personId: string; name: string }[] = [];
  let visited: { personId: string; name: string } | undefined;

  it('officer.pudong, by keyboard: the total and streets as the API counts them; one street; two granted 免申即享 after confirming; a third asked to visit; axe clean (large text too)', async () => {
    const api = await apiSession(env.baseUrl, 'officer.pudong');
    const all = await apiGet<Unclaimed>(env.baseUrl, '/api/v1/entitlements/unclaimed?scheme=allowance&limit=1', api);
    expect(all.total).toBeGreaterThan(3);
    expect(all.noApplicationGrant).toBe(true);
    const street = [...all.byStreet].sort((a, b) => b.count - a.count)[0]!;
    expect(street.count).toBeGreaterThanOrEqual(3);

    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'officer.pudong');
      await tabTo(page, 'the 政策找人 link', (f) => f.tag === 'A' && f.href === '/workbench/outreach', { reverse: true });
      await page.keyboard.press('Enter');
      await page.waitForURL(`${env.baseUrl}/workbench/outreach`);
      await page.getByRole('heading', { level: 1, name: '政策找人' }).waitFor();
      expect(await page.title()).toContain('政策找人');
      const summary = page.getByTestId('out-summary');
      await expect.poll(() => summary.innerText()).toContain(`共 ${all.total.toLocaleString('zh-CN')} 人`);
      expect(await summary.innerText()).toContain('本项目可免申即享');
      const streets = page.getByTestId('out-streets');
      expect(await streets.locator('tbody tr').count()).toBe(all.byStreet.length);
      expect(await streets.locator(`tr[data-street="${street.streetCode}"] td.num`).innerText()).toBe(street.count.toLocaleString('zh-CN'));
      await expect.poll(() => page.getByTestId('out-people').locator('tbody tr').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'outreach, all streets');

      // One street, from the per-street table.
      await tabTo(page, `the link to ${street.streetName}`, (f) => f.tag === 'A' && f.name === `只看该街镇（${street.streetName}）`, { max: 200 });
      await page.keyboard.press('Enter');
      await page.waitForURL(/street=/);
      await page.getByRole('heading', { level: 2, name: `名单：${street.streetName}` }).waitFor();
      await expect.poll(async () => (await focused(page)).text).toBe(`名单：${street.streetName}`);
      const rows = page.getByTestId('out-people').locator('tbody tr');
      await expect.poll(() => page.locator('.count', { hasText: `共 ${street.count} 人` }).count()).toBe(1);
      const listed = await apiGet<Unclaimed>(env.baseUrl, `/api/v1/entitlements/unclaimed?scheme=allowance&region=${street.streetCode}&limit=50`, api);
      expect(await rows.count()).toBe(listed.items.length);
      for (const place of await rows.locator('td.wrap:nth-of-type(3)').allInnerTexts()) expect(place.startsWith(street.streetName)).toBe(true);
      const [a, b, c] = listed.items;
      granted = [a!, b!].map((x) => ({ personId: x.personId, name: x.name }));
      visited = { personId: c!.personId, name: c!.name };
      expect(await rows.first().locator('th a').getAttribute('href')).toBe(`/workbench/people/${a!.personId}`);

      // Tick two people by keyboard and grant 免申即享 after the confirmation dialog.
      for (const x of granted) {
        await tabTo(page, `the tick box of ${x.name}`, (f) => f.type === 'checkbox' && f.label === `选择${x.name}`);
        await page.keyboard.press('Space');
      }
      expect(await page.getByTestId('out-selected').innerText()).toBe('已选 2 人。');
      await tabTo(page, 'the 免申即享发放 button', (f) => f.tag === 'BUTTON' && f.text === '免申即享发放', { reverse: true });
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: '确认免申即享发放' });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain('将为所选 2 位老人免申即享发放老年综合津贴');
      expect((await focused(page)).text).toBe('确认发放');
      await expectAccessible(page, 'outreach, confirmation dialog');
      await page.keyboard.press('Enter');
      const outcome = page.getByTestId('out-outcome');
      await expect.poll(() => outcome.innerText()).toContain('已为 2 人免申即享发放老年综合津贴');
      expect(await outcome.getAttribute('role')).toBe('status');
      await expect.poll(async () => (await focused(page)).text).toContain('已为 2 人免申即享发放');
      for (const x of granted) {
        const g = await apiGet<{ items: Grant[] }>(env.baseUrl, `/api/v1/people/${x.personId}/grants`, api);
        expect(g.items).toEqual([expect.objectContaining({ scheme: 'allowance', status: 'granted', channel: 'no_application' })]);
        await expect.poll(() => page.locator(`tr[data-id="${x.personId}"]`).count()).toBe(0);
      }
      await expect.poll(() => page.locator('.count', { hasText: `共 ${street.count - 2} 人` }).count()).toBe(1);
      await expectAccessible(page, 'outreach, granted');

      // Ask the advisor to visit the third.
      await page.locator(`tr[data-id="${visited.personId}"]`).waitFor();
      await tabTo(page, `the tick box of ${visited.name}`, (f) => f.type === 'checkbox' && f.label === `选择${visited!.name}`, { max: 200 });
      await page.keyboard.press('Space');
      expect(await page.getByTestId('out-selected').innerText()).toBe('已选 1 人。');
      await tabTo(page, 'the advisor select', (f) => f.tag === 'SELECT' && f.label === '养老顾问', { reverse: true, max: 200 });
      await arrowToOption(page, '养老顾问 张老师');
      await tabTo(page, 'the assign button', (f) => f.tag === 'BUTTON' && f.text === '派养老顾问上门');
      await page.keyboard.press('Enter');
      await expect.poll(() => outcome.innerText()).toContain('已派养老顾问 张老师上门探访 1 人');
      await expect.poll(() => page.locator(`tr[data-id="${visited!.personId}"]`).innerText()).toContain('已派养老顾问 张老师');
      const after = await apiGet<Unclaimed>(env.baseUrl, `/api/v1/entitlements/unclaimed?scheme=allowance&region=${street.streetCode}&limit=50`, api);
      expect(after.items.find((x) => x.personId === visited!.personId)?.outreach?.advisorName).toBe('养老顾问 张老师');

      // Large text, by keyboard: bigger, axe clean.
      await largeTextByKeyboard(page, { max: 300 });
      await expectAccessible(page, 'outreach, large text');

      // 长期护理保险 needs an application: 免申即享 is not offered, a visit is.
      const ltci = await apiGet<Unclaimed>(env.baseUrl, '/api/v1/entitlements/unclaimed?scheme=ltci&limit=1', api);
      expect(ltci.noApplicationGrant).toBe(false);
      await tabTo(page, 'the scheme select', (f) => f.tag === 'SELECT' && f.label === '待遇项目');
      await arrowToOption(page, '长期护理保险');
      await expect.poll(() => summary.innerText()).toContain('本项目须本人申请，不能免申即享');
      expect(await summary.innerText()).toContain(`共 ${ltci.total.toLocaleString('zh-CN')} 人`);
      expect(page.url()).toContain('scheme=ltci');
      expect(page.url()).not.toContain('street=');
      await expect.poll(() => page.getByRole('button', { name: '派养老顾问上门' }).count()).toBe(ltci.total > 0 ? 1 : 0);
      expect(await page.getByRole('button', { name: '免申即享发放' }).count()).toBe(0);

      // High contrast as well: axe clean.
      await tabTo(page, 'the 高对比度 button', (f) => f.tag === 'BUTTON' && f.text.includes('高对比度'), { reverse: true, max: 40 });
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      await expectAccessible(page, 'outreach, 长期护理保险, large text + high contrast');

      // The person page lists the grant under 申请与享受记录.
      await page.goto(`${env.baseUrl}/workbench/people/${granted[0]!.personId}`);
      const card = page.getByTestId('person-grants');
      await expect.poll(() => card.innerText()).toContain('免申即享');
      expect(await card.locator('tbody tr[data-scheme="allowance"]').innerText()).toContain('享受中');
      await expectAccessible(page, 'person page with grants, large text');

      // The officer's 探访任务 lists the visit with the advisor asked to make it.
      await page.goto(`${env.baseUrl}/workbench/tasks`);
      const task = page.locator(`li[data-person="${visited.personId}"]`);
      await expect.poll(() => task.innerText()).toContain('养老顾问 张老师');
      expect(await page.getByText('本辖区养老顾问的上门探访任务。').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('the advisor, by keyboard: the visit with the person and scheme; 登记申请 records an application; the visit closed as done with a note; no 政策找人 link', async () => {
    expect(visited, 'the first test asked the advisor to visit someone').toBeDefined();
    const who = visited!;
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'advisor');
      const nav = page.getByRole('navigation', { name: '工作台导航' });
      expect(await nav.getByRole('link', { name: '政策找人' }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: '待遇发放' }).count()).toBe(0);
      await tabTo(page, 'the 探访任务 link', (f) => f.tag === 'A' && f.href === '/workbench/tasks', { reverse: true });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: '探访任务' }).waitFor();
      const card = page.locator(`li[data-person="${who.personId}"]`);
      await card.waitFor();
      expect(await card.locator('h3').innerText()).toContain(`${who.name} · 老年综合津贴`);
      expect(await card.locator('h3 a').getAttribute('href')).toBe(`/workbench/people/${who.personId}`);
      await expectAccessible(page, 'tasks');

      // 登记申请 for that scheme.
      await tabTo(page, 'the 登记申请 button', (f) => f.tag === 'BUTTON' && f.name === `登记申请（${who.name}，老年综合津贴）`);
      await page.keyboard.press('Enter');
      const message = page.getByTestId('task-message');
      await expect.poll(() => message.innerText()).toContain(`已为${who.name}登记老年综合津贴申请`);
      const api = await apiSession(env.baseUrl, 'advisor');
      const grants = await apiGet<{ items: Grant[] }>(env.baseUrl, `/api/v1/people/${who.personId}/grants`, api);
      expect(grants.items).toEqual([expect.objectContaining({ scheme: 'allowance', status: 'applied', channel: 'application' })]);

      // Close the visit with a note, in the dialog.
      await tabTo(page, 'the 完成探访 button', (f) => f.tag === 'BUTTON' && f.name === `完成探访（${who.name}）`);
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: `完成探访：${who.name}` });
      await dialog.waitFor();
      expect((await focused(page)).label).toBe('探访情况（可不填）');
      await page.keyboard.type('已上门说明政策，老人同意申请');
      await expectAccessible(page, 'tasks, close dialog');
      await tabTo(page, 'the 确认完成 button', (f) => f.tag === 'BUTTON' && f.text === '确认完成');
      await page.keyboard.press('Enter');
      await expect.poll(() => message.innerText()).toContain(`已完成对${who.name}的探访`);
      await expect.poll(async () => (await focused(page)).text).toContain('已完成');
      await expect.poll(() => card.count()).toBe(0);
      const done = await apiGet<{ items: Task[] }>(env.baseUrl, '/api/v1/entitlements/outreach?status=done', api);
      expect(done.items.find((x) => x.personId === who.personId)).toMatchObject({ status: 'done', note: '已上门说明政策，老人同意申请' });

      // The closed visit under 已完成, in large text; axe clean.
      await page.goto(`${env.baseUrl}/workbench/tasks?status=done`);
      await card.waitFor();
      expect(await card.innerText()).toContain('已上门说明政策，老人同意申请');
      await tabTo(page, 'the 大字模式 button', (f) => f.tag === 'BUTTON' && f.text.includes('大字模式'), { reverse: true, max: 40 });
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('html', 'data-text-size')).toBe('large');
      await expectAccessible(page, 'tasks, done, large text');
    } finally {
      await context.close();
    }
  });
});
