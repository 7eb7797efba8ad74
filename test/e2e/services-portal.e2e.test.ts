// 找服务 in Chromium against the real server and the demo supply: search by place (the
// autocomplete, by keyboard) and filters, the results as cards and on the map (our own district
// outlines, focusable markers), a facility's page with its own-share estimate, the SMS dialog
// (validation in Chinese, focus kept inside and returned), the print view, axe-core in normal and
// large-text mode, the keyboard-only path, and 为谁查找 for a signed-in family member.
// Skipped without Chromium: install Debian's chromium (apt-get install chromium) or set
// CHROME_PATH; with YIYANG_REQUIRE_BROWSER=1 these tests fail instead of skipping.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiGet, apiSession, DEMO_PASSWORD, expectAccessible, login, newPage, skipBrowserTests } from './browser.ts';
import { focused, tabTo, useBrowserAndServer } from './helpers.ts';

interface Place {
  code: string;
  name: string;
  path: string;
  lon: number;
  lat: number;
}

interface Card {
  id: string;
  name: string;
  beds: { vacant: number } | null;
  distanceMeters: number | null;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A place of the demo city that has facilities around it (the places list only offers those). */
async function demoPlace(baseUrl: string): Promise<{ query: string; place: Place }> {
  for (const query of ['陆家嘴', '街道', '镇']) {
    const r = await getJson<{ items: Place[] }>(`${baseUrl}/api/v1/services/places?q=${encodeURIComponent(query)}`);
    const place = r.items[0];
    if (place) return { query, place };
  }
  throw new Error('no place with facilities in the demo city');
}

async function settled(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** The result count in the live region, once the search has answered. */
async function resultCount(page: Page): Promise<number> {
  const status = page.locator('.svc-count');
  await expect.poll(() => status.innerText(), { timeout: 20_000 }).toMatch(/找到 \d+ 家机构|没有找到/);
  const m = /找到 (\d+) 家机构/.exec(await status.innerText());
  return m ? Number(m[1]) : 0;
}

describe.skipIf(skipBrowserTests)('找服务 portal (browser)', () => {
  const env = useBrowserAndServer({ supply: true });

  it('searches by place and filters, shows cards and the map, opens a facility, estimates the own share, sends an SMS, prints, and passes axe', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      const { query, place } = await demoPlace(env.baseUrl);

      // From the portal's home page: the big 找服务 entry.
      await page.goto(`${env.baseUrl}/`);
      await page.getByRole('link', { name: /找服务.*附近的养老院/ }).click();
      await page.waitForURL(`${env.baseUrl}/services`);
      await page.getByRole('heading', { level: 1, name: '找服务' }).waitFor();
      expect(await page.title()).toContain('找服务');
      await resultCount(page);
      await expectAccessible(page, '/services');

      // The place box: type, the list opens, ↓ and Enter pick the first place.
      const box = page.getByRole('combobox', { name: '在哪里找（地址、小区或街道）' });
      await box.fill(query);
      await page.getByRole('option', { name: new RegExp(place.name) }).first().waitFor();
      expect(await box.getAttribute('aria-expanded')).toBe('true');
      await box.press('ArrowDown');
      expect(await box.getAttribute('aria-activedescendant')).toBeTruthy();
      await box.press('Enter');
      expect(await box.inputValue()).toBe(place.name);
      expect(await box.getAttribute('aria-expanded')).toBe('false');

      // Filters: free beds only, and a type chip (a checkbox with its name).
      await page.getByRole('checkbox', { name: '只看有空床位的' }).check();
      await page.getByRole('checkbox', { name: '养老机构', exact: true }).check();
      await page.getByRole('button', { name: '查找', exact: true }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('vacancy')).toBe('1');
      const url = new URL(page.url());
      expect(url.searchParams.get('near')).toMatch(/^\d+\.\d+,\d+\.\d+$/);
      expect(url.searchParams.get('place')).toBe(place.name);
      expect(url.searchParams.get('type')).toBe('institution');

      const api = await getJson<{ total: number; items: Card[] }>(
        `${env.baseUrl}/api/v1/services/search?near=${url.searchParams.get('near')}&vacancy=true&type=institution&pageSize=10`,
      );
      // The URL changes before the new results arrive: wait for the count of this search, not the last one's.
      await expect.poll(() => resultCount(page), { timeout: 20_000 }).toBe(api.total);
      const total = await resultCount(page);
      expect(total).toBeGreaterThan(0);
      expect(await page.locator('.svc-count').getAttribute('aria-live')).toBe('polite');
      const first = api.items[0]!;
      const cards = page.locator('.svc-list > li');
      expect(await cards.count()).toBe(api.items.length);
      const firstCard = cards.first();
      expect(await firstCard.getByRole('heading', { level: 3 }).innerText()).toContain(first.name);
      const cardText = await firstCard.innerText();
      expect(cardText).toMatch(/步行约 \d+ 分钟/);
      expect(cardText).toMatch(/有 \d+ 张空床/);
      expect(cardText).toMatch(/最后确认：/);
      expect(cardText).toMatch(/暂无评级|\d 级/);
      expect(await firstCard.locator('a[href^="tel:"]').count()).toBe(1);
      // A stale vacancy is said in words, wherever it appears.
      const staleShown = await page.locator('.svc-stale').count();
      if (staleShown > 0) expect(await page.locator('.svc-stale').first().innerText()).toContain('信息可能已过期');

      // The map: our outlines as paths, one focusable, named marker per card, a text alternative.
      await page.getByRole('button', { name: '地图', exact: true }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('view')).toBe('map');
      const map = page.getByRole('region', { name: '机构地图' });
      await map.locator('.leaflet-container').waitFor();
      await expect.poll(() => map.locator('path.leaflet-interactive, path').count()).toBeGreaterThan(0);
      const pins = map.locator('.map-pin');
      await expect.poll(() => pins.count()).toBe(api.items.length);
      expect(await pins.first().getAttribute('tabindex')).toBe('0');
      expect(await pins.first().getAttribute('aria-label')).toContain(first.name);
      expect(await map.innerText()).toMatch(/地图上标出了这一页的 \d+ 家机构/);
      expect(await page.locator('.leaflet-tile').count()).toBe(0); // no tile layer unless configured
      await expectAccessible(page, '/services, map');

      // Back goes to the previous search (no filters), forward returns.
      await page.goBack();
      await expect.poll(() => new URL(page.url()).searchParams.get('vacancy')).toBeNull();
      await expect.poll(() => page.getByRole('checkbox', { name: '只看有空床位的' }).isChecked()).toBe(false);
      await page.goForward();
      await expect.poll(() => page.getByRole('checkbox', { name: '只看有空床位的' }).isChecked()).toBe(true);
      await resultCount(page);

      // A marker opens its facility (Enter on the focused marker).
      await page.locator('.map-pin').first().waitFor();
      await page.locator('.map-pin').first().focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: first.name }).waitFor();
      expect(page.url()).toContain(`/services/${first.id}`);
      expect(new URL(page.url()).searchParams.get('near')).toBe(url.searchParams.get('near'));

      // The detail: vacancy by kind, prices, the route hint, the map.
      const main = page.locator('main');
      await main.getByRole('heading', { level: 2, name: '床位' }).waitFor();
      const bedsTable = main.getByRole('table', { name: '各类床位数和空床位数' });
      expect(await bedsTable.getByRole('columnheader').allInnerTexts()).toEqual(['床位类型', '床位数', '空床位']);
      expect(await main.getByRole('table', { name: '收费标准' }).count()).toBe(1);
      expect(await main.getByRole('heading', { level: 2, name: '怎么去' }).count()).toBe(1);
      expect(await main.innerText()).toMatch(/步行约[\d.]+ ?(米|公里)，大约 \d+ 分钟|步行大约 \d+ 分钟/);
      await page.getByRole('region', { name: `${first.name}的位置地图` }).locator('.map-pin').waitFor();
      await expectAccessible(page, '/services/:id');

      // Own share: grade and insurance in, a monthly table out, with notes or citations.
      await page.getByLabel('照护等级').selectOption({ label: '照护三级' });
      await page.getByRole('radio', { name: '城乡居民医保' }).check();
      const ownShare = page.waitForResponse((r) => r.url().includes(`/services/facilities/${first.id}/own-share`));
      await page.getByRole('button', { name: '计算', exact: true }).click();
      const ownRes = await ownShare;
      expect(ownRes.status()).toBe(200);
      const own = (await ownRes.json()) as { monthly: { ownFen: number }; insurance: string; grade: number };
      expect(own.grade).toBe(3);
      expect(own.insurance).toBe('resident');
      const ownTable = page.getByRole('table', { name: '每月费用：价格、长护险支付、个人自付' });
      await ownTable.waitFor();
      expect(await ownTable.locator('tfoot').innerText()).toContain('每月合计');
      const yuan = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }).format(own.monthly.ownFen / 100);
      expect(await page.locator('.svc-own-headline').innerText()).toContain(`${yuan} 元`);
      await expect.poll(async () => (await focused(page)).text).toContain('照护三级');

      // SMS: the dialog takes focus, says what is wrong in Chinese, keeps Tab inside, sends, and gives focus back.
      const smsButton = page.getByRole('button', { name: '发短信给家人/老人' });
      await smsButton.click();
      const dialog = page.getByRole('dialog', { name: '发短信给家人或老人' });
      await dialog.waitFor();
      const phone = dialog.getByLabel('手机号码');
      await expect.poll(async () => (await focused(page)).label).toBe('手机号码');
      await dialog.getByRole('button', { name: '发送短信' }).click();
      await dialog.getByText('请填写手机号码。').waitFor();
      await phone.fill('12345');
      await dialog.getByRole('button', { name: '发送短信' }).click();
      await dialog.getByText(/手机号码应该是 11 位数字/).waitFor();
      expect(await phone.getAttribute('aria-invalid')).toBe('true');
      // Tab cycles within the dialog.
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate('!!document.activeElement.closest("dialog")')).toBe(true);
      }
      await phone.fill('13812345678');
      const share = page.waitForResponse((r) => r.url().endsWith('/api/v1/services/share'));
      await dialog.getByRole('button', { name: '发送短信' }).click();
      const shareRes = await share;
      expect(shareRes.status()).toBe(200);
      const sent = (await shareRes.json()) as { sent: boolean; to: string; text: string };
      expect(sent.sent).toBe(true);
      expect(sent.to).not.toContain('12345678');
      expect(sent.text).toContain(first.name);
      await dialog.getByText(`短信已发送到 ${sent.to}`).waitFor();
      await expectAccessible(page, '/services/:id, SMS dialog');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      expect((await focused(page)).text).toBe('发短信给家人/老人');

      // Print: the facts in black on white, without header, buttons, map or forms.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.site-header').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
      expect(await page.locator('.service-map').first().isVisible()).toBe(false);
      expect(await page.getByRole('heading', { level: 1, name: first.name }).isVisible()).toBe(true);
      expect(await page.getByRole('table', { name: '收费标准' }).isVisible()).toBe(true);
      expect(await ownTable.isVisible()).toBe(true);
      expect(await page.locator('.svc-print-only').isVisible()).toBe(true);
      const colours = (await page.evaluate(`(() => { const h = document.querySelector('main h1');
        return [getComputedStyle(h).color, getComputedStyle(document.querySelector('.svc-detail')).backgroundColor]; })()`)) as string[];
      expect(colours[0]).toBe('rgb(0, 0, 0)');
      expect(colours[1]).toBe('rgb(255, 255, 255)');
      await page.emulateMedia({ media: 'screen' });
    } finally {
      await context.close();
    }
  });

  it('passes axe in large-text mode on /services and a facility page; the SMS number is checked on the server too', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(`${env.baseUrl}/services?vacancy=1`);
      await page.getByRole('heading', { level: 1, name: '找服务' }).waitFor();
      await resultCount(page);
      await page.getByRole('button', { name: '大字模式' }).click();
      expect(await page.getAttribute('html', 'data-text-size')).toBe('large');
      await expectAccessible(page, '/services, large text');
      await page.getByRole('button', { name: '地图', exact: true }).click();
      await page.locator('.map-pin').first().waitFor();
      await expectAccessible(page, '/services map, large text');

      // Elder-mode targets: the form's controls and the map's zoom buttons are at least 60 px high.
      const small = (await page.evaluate(`[...document.querySelectorAll('main button, main a.button, main input[type=text], main select, .svc-chip, .leaflet-bar a')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
        .filter((b) => b.h < 60)`)) as unknown[];
      expect(small).toEqual([]);

      await page.locator('.svc-list h3 a').first().click();
      await page.getByRole('heading', { level: 2, name: '收费标准' }).waitFor();
      await expectAccessible(page, '/services/:id, large text');

      // The server refuses a number that is not a mobile, in Chinese.
      const id = new URL(page.url()).pathname.split('/').pop()!;
      const res = await fetch(`${env.baseUrl}/api/v1/services/share`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ facilityIds: [id], phone: '12345' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
    } finally {
      await context.close();
    }
  });

  it('keyboard only: Tab to 查找, Enter, reach the first result and open it', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      await page.goto(`${env.baseUrl}/services`);
      await page.getByRole('heading', { level: 1, name: '找服务' }).waitFor();
      await resultCount(page);
      await settled(page);
      // Large text by keyboard: Tab from the top to the header's 大字模式 toggle.
      await tabTo(page, 'the 大字模式 button', (f) => f.tag === 'BUTTON' && f.text.includes('大字模式'), { max: 10 });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getAttribute('html', 'data-text-size')).toBe('large');
      await tabTo(page, 'the 只看有空床位的 checkbox', (f) => f.type === 'checkbox' && f.label.includes('只看有空床位'), { max: 80 });
      await page.keyboard.press('Space');
      await tabTo(page, 'the 查找 button', (f) => f.tag === 'BUTTON' && f.text === '查找', { max: 20 });
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).searchParams.get('vacancy')).toBe('1');
      // The URL changes before the new list: wait for this search's count before tabbing into the list.
      const vacant = await getJson<{ total: number }>(`${env.baseUrl}/api/v1/services/search?vacancy=true&pageSize=1`);
      await expect.poll(() => resultCount(page), { timeout: 20_000 }).toBe(vacant.total);
      await settled(page);
      await tabTo(page, 'the first result', (f) => f.tag === 'A' && (f.href ?? '').startsWith('/services/'), { max: 10 });
      const name = (await focused(page)).text;
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name }).waitFor();
      // Focus lands on the page's heading, so that a screen reader starts there.
      await expect.poll(async () => (await focused(page)).tag).toBe('H1');
      await tabTo(page, 'the 发短信 button', (f) => f.tag === 'BUTTON' && f.text === '发短信给家人/老人', { max: 10 });
      await page.keyboard.press('Enter');
      await page.getByRole('dialog').waitFor();
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      await expect.poll(async () => (await focused(page)).text).toBe('发短信给家人/老人');
    } finally {
      await context.close();
    }
  });

  it('为谁查找: a signed-in family member picks their elder, the search centres on them and the SMS can go to them', async () => {
    const { context, page } = await newPage(env.browser);
    try {
      // Signed in on the portal (the citizen's own form), then to 找服务 with the same session.
      await page.goto(`${env.baseUrl}/my/vouchers`);
      await page.getByLabel('用户名', { exact: true }).fill('citizen');
      await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      await page.goto(`${env.baseUrl}/services`);
      await page.getByRole('heading', { level: 1, name: '找服务' }).waitFor();
      const picker = page.getByLabel('选择本人或家人');
      await picker.waitFor();
      const options = await picker.locator('option').allInnerTexts();
      expect(options.length).toBeGreaterThan(1);
      await picker.selectOption({ index: 1 });
      await expect.poll(() => new URL(page.url()).searchParams.get('for')).toBeTruthy();
      const url = new URL(page.url());
      const personName = options[1]!.split('（')[0]!;
      await page.getByText(`正在为 ${personName} 查找`).waitFor();
      if (url.searchParams.get('near')) {
        expect(url.searchParams.get('sort')).toBe('distance');
        await expect.poll(() => page.locator('.svc-count').innerText(), { timeout: 20_000 }).toMatch(/距离从“.+”算起/);
      }
      await resultCount(page);
      await expectAccessible(page, '/services, 为谁查找');

      await page.locator('.svc-list h3 a').first().click();
      await page.getByRole('heading', { level: 2, name: '收费标准' }).waitFor();
      expect(new URL(page.url()).searchParams.get('for')).toBe(url.searchParams.get('for'));
      await page.getByRole('button', { name: '发短信给家人/老人' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: new RegExp(`${personName}（用登记的手机号码）`) }).waitFor();
      const share = page.waitForResponse((r) => r.url().endsWith('/api/v1/services/share'));
      await dialog.getByRole('button', { name: '发送短信' }).click();
      const res = await share;
      expect(res.status()).toBe(200);
      expect(JSON.parse(res.request().postData() ?? '{}')).toHaveProperty('personId', url.searchParams.get('for'));
      await dialog.getByText(/短信已发送到/).waitFor();
    } finally {
      await context.close();
    }
  });

  it('为谁查找 for an advisor: the person named in the link (?for=) is the one searched for', async () => {
    const headers = await apiSession(env.baseUrl, 'advisor');
    const people = await apiGet<{ items: { id: string; name: string }[] }>(env.baseUrl, '/api/v1/people?limit=5', headers);
    const person = people.items[0]!;
    const { context, page } = await newPage(env.browser);
    try {
      await login(page, env.baseUrl, 'advisor');
      await page.goto(`${env.baseUrl}/services?for=${person.id}`);
      const picker = page.getByLabel('为这位老人查找');
      await picker.waitFor();
      await expect.poll(() => picker.inputValue()).toBe(person.id);
      await page.getByText(`正在为 ${person.name} 查找`).waitFor();
      // centred on the person's street when the server knows where that is
      const proxy = await apiGet<{ people: { personId: string; center: unknown }[] }>(env.baseUrl, `/api/v1/services/proxy?personId=${person.id}`, headers);
      if (proxy.people[0]?.center) await expect.poll(() => new URL(page.url()).searchParams.get('near')).toBeTruthy();
      await resultCount(page);
    } finally {
      await context.close();
    }
  });
});
