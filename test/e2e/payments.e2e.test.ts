// 待遇发放 in Chromium, keyboard only. Two people in 浦东 are granted 老年综合津贴 免申即享 (through
// the API: the page that does it has its own test); officer.pudong computes this month's batch and
// finds both in it, with the totals the API computed; approving their own batch is refused with the
// server's four-eyes message; the city officer approves it; officer.pudong downloads the bank's CSV
// (its first line checked) and reconciles with one returned payment, shown against its line. axe
// finds nothing serious, in large text (and high contrast) too. An advisor has neither the link nor
// the page.
// Skipped without Chromium; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiGet, apiSession, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { expectNoWorkbenchPage, focused, largeTextByKeyboard, tabTo, useBrowserAndServer } from './helpers.ts';

interface Batch {
  id: string;
  month: string;
  status: string;
  people: number;
  regularFen: number;
  arrearsFen: number;
  recoveryFen: number;
  netFen: number;
  items: { seq: number; personId: string; name: string; kind: string; amountFen: number; status: string; returnReason: string | null }[];
}

/** This month in Shanghai, as the page defaults to it. */
function thisMonth(): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

const yuan = (fen: number) => `${fen < 0 ? '−' : ''}¥${new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(fen) / 100)}`;

async function apiPost<T>(baseUrl: string, path: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe.skipIf(skipBrowserTests)('待遇发放 (browser)', () => {
  const env = useBrowserAndServer({ sweeps: true });
  let granted: { personId: string; name: string }[] = [];

  beforeAll(async () => {
    const baseUrl = env.baseUrl;
    // Two people in 浦东 granted the allowance 免申即享 today: this month's batch pays them.
    const api = await apiSession(baseUrl, 'officer.pudong');
    const list = await apiGet<{ items: { personId: string; name: string }[] }>(baseUrl, '/api/v1/entitlements/unclaimed?scheme=allowance&limit=2', api);
    granted = list.items.map((x) => ({ personId: x.personId, name: x.name }));
    const r = await apiPost<{ granted: number }>(baseUrl, '/api/v1/entitlements/grants/bulk', api, { scheme: 'allowance', personIds: granted.map((x) => x.personId) });
    expect(r.granted).toBe(2);
  });

  it('computed by officer.pudong, refused to the same officer (four eyes), approved by the city officer, sent to the bank as CSV and reconciled with one return — by keyboard, axe clean (large text too)', async () => {
    const month = thisMonth();
    const pudong = await apiSession(env.baseUrl, 'officer.pudong');
    const { context, page } = await newPage(env.browser);
    try {
      // Compute this month's batch: 浦东 is the only district offered, this month the default.
      await login(page, env.baseUrl, 'officer.pudong');
      await tabTo(page, 'the 待遇发放 link', (f) => f.tag === 'A' && f.href === '/workbench/payments', { reverse: true });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: '待遇发放' }).waitFor();
      expect(await page.title()).toContain('待遇发放');
      await expect.poll(() => page.getByLabel('区', { exact: true }).locator('option:checked').innerText()).toBe('浦东新区');
      expect(await page.getByLabel('区', { exact: true }).locator('option').allInnerTexts()).toEqual(['请选择区', '浦东新区']);
      expect(await page.getByLabel('发放月份').inputValue()).toBe(month);
      await expectAccessible(page, 'payments, empty');
      await tabTo(page, 'the 计算 button', (f) => f.tag === 'BUTTON' && f.text === '计算');
      await page.keyboard.press('Enter');
      const title = `批次：浦东新区 ${month} 老年综合津贴`;
      await expect.poll(async () => (await focused(page)).text).toBe(title);
      expect(page.url()).toContain('batch=');
      const outcome = page.getByTestId('pay-outcome');
      expect(await outcome.innerText()).toContain(`已计算 浦东新区 ${month} 的批次：2 人`);

      const list = await apiGet<{ items: Batch[] }>(env.baseUrl, '/api/v1/entitlements/payments', pudong);
      const id = list.items[0]!.id;
      const batch = await apiGet<Batch>(env.baseUrl, `/api/v1/entitlements/payments/${id}`, pudong);
      expect(batch).toMatchObject({ month, status: 'draft', people: 2 });
      expect(new Set(batch.items.map((l) => l.personId))).toEqual(new Set(granted.map((x) => x.personId)));
      const lines = page.getByTestId('pay-lines');
      for (const x of granted) expect(await lines.locator(`tr[data-person="${x.personId}"] th`).innerText()).toBe(x.name);
      expect(await lines.locator('tbody tr').count()).toBe(batch.items.length);
      const figure = (k: string) => page.getByTestId('pay-batch').locator(`[data-figure="${k}"] dd`).innerText();
      expect(await figure('regular')).toBe(yuan(batch.regularFen));
      expect(await figure('net')).toBe(yuan(batch.netFen));
      expect(batch.netFen).toBeGreaterThan(0);
      const row = page.getByTestId('pay-batches').locator(`tr[data-id="${id}"]`);
      expect(await row.innerText()).toContain('待审批');
      expect(await row.innerText()).toContain(yuan(batch.netFen));
      expect(await page.getByTestId('pay-status').innerText()).toBe('待审批');
      await expectAccessible(page, 'payments, draft batch');

      // Approving one's own batch: the server's four-eyes message, in an alert.
      await tabTo(page, 'the 审批 button', (f) => f.tag === 'BUTTON' && f.text === '审批');
      await page.keyboard.press('Enter');
      const refusal = page.getByTestId('pay-error');
      await expect.poll(() => refusal.innerText()).toContain('审批人不能是计算该批次的人（双人复核）');
      expect(await refusal.getAttribute('role')).toBe('alert');
      expect(await page.getByTestId('pay-status').innerText()).toBe('待审批');
      await expectAccessible(page, 'payments, approval refused');

      // The city officer approves it.
      const city = await newPage(env.browser);
      try {
        await login(city.page, env.baseUrl, 'officer');
        await tabTo(city.page, 'the 待遇发放 link', (f) => f.tag === 'A' && f.href === '/workbench/payments', { reverse: true });
        await city.page.keyboard.press('Enter');
        await city.page.getByTestId('pay-batches').locator(`tr[data-id="${id}"]`).waitFor();
        await tabTo(city.page, 'the batch’s 查看 link', (f) => f.tag === 'A' && f.name === `查看（浦东新区 ${month}）`, { max: 80 });
        await city.page.keyboard.press('Enter');
        await expect.poll(async () => (await focused(city.page)).text).toBe(title);
        await tabTo(city.page, 'the 审批 button', (f) => f.tag === 'BUTTON' && f.text === '审批');
        await city.page.keyboard.press('Enter');
        await expect.poll(() => city.page.getByTestId('pay-outcome').innerText()).toContain('已审批');
        await expect.poll(() => city.page.getByTestId('pay-status').innerText()).toBe('已审批');
        await expect.poll(() => city.page.getByTestId('pay-batches').locator(`tr[data-id="${id}"]`).innerText()).toContain('已审批');
        await expectAccessible(city.page, 'payments, approved');
      } finally {
        await city.context.close();
      }

      // officer.pudong downloads the bank's CSV: the batch is then 已报送银行.
      await page.reload();
      await expect.poll(() => page.getByTestId('pay-status').innerText()).toBe('已审批');
      await tabTo(page, 'the CSV button', (f) => f.tag === 'BUTTON' && f.text === '下载银行文件（CSV）');
      const downloading = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      const download = await downloading;
      const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
      const csvLines = csv.trim().split(/\r?\n/);
      expect(csvLines[0]).toBe('序号,姓名,身份证号,金额（元）,发放月份,类型,备注');
      expect(csvLines).toHaveLength(1 + batch.items.filter((l) => l.amountFen > 0).length);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      await expect.poll(() => outcome.innerText()).toContain('批次已标记为“已报送银行”');
      await expect.poll(() => page.getByTestId('pay-status').innerText()).toBe('已报送银行');

      // Reconcile: the bank returned the first person's payment.
      const returned = batch.items.find((l) => l.personId === granted[0]!.personId && l.amountFen > 0)!;
      await tabTo(page, 'the 再加一笔退回 button', (f) => f.tag === 'BUTTON' && f.text === '再加一笔退回');
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await focused(page)).label).toBe('序号');
      await page.keyboard.type(String(returned.seq));
      await tabTo(page, 'the reason input', (f) => f.tag === 'INPUT' && f.label === '退回原因');
      await page.keyboard.type('账户已销户');
      await expectAccessible(page, 'payments, reconciliation form');
      await tabTo(page, 'the 完成对账 button', (f) => f.tag === 'BUTTON' && f.text === '完成对账');
      await page.keyboard.press('Enter');
      const paid = batch.items.filter((l) => l.amountFen > 0).length - 1;
      await expect.poll(() => outcome.innerText()).toContain(`已对账：已发放 ${paid} 笔，退回 1 笔`);
      await expect.poll(() => page.getByTestId('pay-status').innerText()).toBe('已对账');
      await expect.poll(() => lines.locator(`tr[data-seq="${returned.seq}"] td[data-status]`).innerText()).toBe('已退回：账户已销户');
      const after = await apiGet<Batch>(env.baseUrl, `/api/v1/entitlements/payments/${id}`, pudong);
      expect(after.status).toBe('reconciled');
      expect(after.items.find((l) => l.seq === returned.seq)).toMatchObject({ status: 'returned', returnReason: '账户已销户' });
      expect(after.items.filter((l) => l.seq !== returned.seq && l.amountFen > 0).every((l) => l.status === 'paid')).toBe(true);
      await expectAccessible(page, 'payments, reconciled');

      // Large text, by keyboard: bigger, axe clean.
      await largeTextByKeyboard(page, { max: 120 });
      expect(await figure('net')).toBe(yuan(batch.netFen));
      await expectAccessible(page, 'payments, reconciled, large text');
      await tabTo(page, 'the 高对比度 button', (f) => f.tag === 'BUTTON' && f.text.includes('高对比度'));
      await page.keyboard.press('Enter');
      expect(await page.getAttribute('html', 'data-contrast')).toBe('high');
      await expectAccessible(page, 'payments, reconciled, large text + high contrast');
    } finally {
      await context.close();
    }
  });

  it('an advisor has no 待遇发放 link and the page is not found', async () => {
    await expectNoWorkbenchPage(env.browser, env.baseUrl, 'advisor', '待遇发放', '/workbench/payments');
  });
});
