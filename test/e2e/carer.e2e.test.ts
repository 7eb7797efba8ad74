// Care delivery on the caregiver's phone and the family's page (issue 8 §4, §5), against the real
// server on PGlite. Set up through the API as src/care/care.db.test.ts does: the provider
// registers a caregiver and links the demo `caregiver` account; a plan is drafted from an
// LTCI-eligible person's entitlement and confirmed by the family (the demo `citizen`, linked to
// the person); one of its orders is moved to today and assigned; a self-paid order for a second
// person later today too; a second plan is left as a draft for the family to confirm on the page.
//
// 1. The phone's queue and sync (web/src/carer/queue.ts, sync.ts) without a browser, against the
//    real /api/v1/care/sync: an offline day of 12 visits arrives once whatever the connection does
//    (a property over dropped requests and lost answers), a check-out waits for its check-in,
//    refusals are told in plain Chinese, an unreadable batch is sent one by one, no session stops.
// 2. In Chromium on a phone-sized screen: the caregiver signs in on /carer, sees the day with the
//    route hint, goes offline, checks in (position set, the home tag's code typed), ticks items,
//    writes a note, takes a photo, checks out — 2 records and 1 photo wait; the page is reloaded
//    offline (the service worker serves it, IndexedDB keeps the queue); back online it syncs, and
//    the API has exactly one visit with those times, items, note and a ≤ 1600 px JPEG. The second
//    visit is checked in online with the elder's phone code and the position refused.
// 3. The family on /my/care: the code, the plans (the draft confirmed on the page), the visits as
//    they happen (进行中, 已完成), a 5-star rating by keyboard alone; axe on every screen.
// Skipped without Chromium (the browser part); with YIYANG_REQUIRE_BROWSER=1 it fails instead.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carePorts, WEB_DIR } from '../../src/app.ts';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { addDays, startOfLocalDay, todayIn, type LocalDate } from '../../src/core/dates.ts';
import { makeIdNumber } from '../../src/core/idnumber.ts';
import { linkUser } from '../../src/people/index.ts';
import { userIdOf } from '../../src/platform/auth.ts';
import { sql } from '../../src/platform/db.ts';
import { usccCheckChar } from '../../src/supply/index.ts';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { applyOp, commit, memoryStore, newClientId, overlay, type Day, type DayItem, type QueueStore, type WireOp } from '../../web/src/carer/queue.ts';
import { syncOnce, TransportError, type SyncResult } from '../../web/src/carer/sync.ts';
import { DEMO_PASSWORD, expectAccessible, launchBrowser, skipBrowserTests } from './browser.ts';
import { focused, largeTextByKeyboard, tabTo } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let p: TestPlatform;
const call = async (user: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
  const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${await p.token(user)}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: r.statusCode, body: r.body && r.headers['content-type']?.toString().includes('json') ? (r.json() as Body) : {} };
};

let today: LocalDate;
let carerId = '';
let carerUserId = '';
let personA: { id: string; name: string; home: { lat: number; lon: number } };
let personB: { id: string; name: string; home: { lat: number; lon: number } };
/** The sync tests' person (not linked to the family account). */
let personC: { id: string; home: { lat: number; lon: number } };
let planId = '';
let draftId = '';
let orderA = '';
let orderB = '';

/** A self-paid order at an instant (for the sync tests' person unless told), assigned to the caregiver; its id. */
async function orderFor(startsAt: Date, personId = personC.id): Promise<string> {
  const o = await call('provider', 'POST', '/api/v1/care/orders', { personId, kind: 'care', items: ['L06', 'L09'], startsAt: startsAt.toISOString(), minutes: 30, priceFenPerHour: 6000 });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  const a = await call('provider', 'POST', '/api/v1/care/orders/assign', { items: [{ orderId: o.body.id, caregiverId: carerId }] });
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return o.body.id as string;
}

beforeAll(async () => {
  ensureWebBuilt();
  p = await startTestPlatform('pglite', { people: 2000, webDir: WEB_DIR });
  today = todayIn(p.ctx.clock);
  const body17 = '52310115MJ0000087';
  const prov = await call('provider', 'POST', '/api/v1/supply/providers', { name: '颐康居家照护服务社', uscc: body17 + usccCheckChar(body17), legalRepresentative: '陈敏', kind: 'social_org', phone: '021-58880087' });
  expect(prov.status, JSON.stringify(prov.body)).toBe(201);

  // Two people in Pudong with homes: A has an LTCI home-care entitlement, B buys services himself.
  const ids = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL AND lat IS NOT NULL ORDER BY id`)).map((r) => r.id);
  const ltci = await p.ctx.db.tx((q) => carePorts(p.ctx).ltci(q, ids, today), { asAppRole: false });
  const homes = await p.ctx.db.tx((q) => carePorts(p.ctx).people(q, '*', ids), { asAppRole: false });
  const pick = [...ltci.entries()].find(([id, e]) => e.eligible && (e.hoursPerWeek ?? 0) >= 3 && homes.get(id)?.home && e.gradeValidTo && e.gradeValidTo > addDays(today, 60));
  expect(pick, 'an LTCI-eligible person in the demo population').toBeTruthy();
  const a = homes.get(pick![0])!;
  personA = { id: pick![0], name: a.name, home: a.home! };
  const b = ids.map((id) => homes.get(id)!).find((h) => h.id !== personA.id && h.home && Math.abs(h.home.lat - personA.home.lat) + Math.abs(h.home.lon - personA.home.lon) > 0.01)!;
  personB = { id: b.id, name: b.name, home: b.home! };
  const c3 = ids.map((id) => homes.get(id)!).find((h) => h.id !== personA.id && h.id !== personB.id && h.home)!;
  personC = { id: c3.id, home: c3.home! };
  const citizen = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
  await p.ctx.db.tx(async (q) => {
    await linkUser(q, citizen!, personA.id, '310115', 'family');
    await linkUser(q, citizen!, personB.id, '310115', 'family');
  }, { asAppRole: false });

  // The caregiver, registered by the provider; the phone account linked.
  const c = await call('provider', 'POST', '/api/v1/care/caregivers', {
    name: '孙桂英', idNumber: makeIdNumber('310115', '1976-05-04' as LocalDate, 27, 'F'), phone: '13800007788', kind: 'caregiver', skillLevel: 4, qualifications: ['caregiver_cert'], trainingHours: 120,
    healthCertValidTo: addDays(today, 300), backgroundCheck: 'passed', backgroundCheckedOn: addDays(today, -200), shiftStart: '00:00', shiftEnd: '23:59',
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  carerId = c.body.id;
  expect((await call('provider', 'POST', `/api/v1/care/caregivers/${carerId}/account`, { username: 'caregiver' })).status).toBe(200);
  carerUserId = (await p.ctx.db.tx((q) => userIdOf(q, 'caregiver'), { asAppRole: false }))!;

  // A's plan from the entitlement's proposal, confirmed by the family: orders for two weeks.
  const e = await call('provider', 'GET', `/api/v1/care/entitlement/${personA.id}`);
  expect(e.status, JSON.stringify(e.body)).toBe(200);
  const plan = await call('provider', 'POST', '/api/v1/care/plans', { personId: personA.id, items: ['L01', 'L06', 'L09'], slots: e.body.proposal, validFrom: today });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  planId = plan.body.id;
  const confirmed = await call('citizen', 'POST', `/api/v1/care/plans/${planId}/confirm`);
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  expect(confirmed.body.ordersMade).toBeGreaterThan(0);
  // A new proposal for the afternoons, left as a draft: the family confirms it on /my/care.
  const draft = await call('provider', 'POST', '/api/v1/care/plans', { personId: personA.id, items: ['L01', 'L09'], slots: e.body.proposal.map((s: Body) => ({ ...s, start: '14:00' })), validFrom: addDays(today, 1) });
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  draftId = draft.body.id;

  // Today's two visits: A's first plan order moved to this hour, B's self-paid one two hours apart.
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const midnight = startOfLocalDay(today).getTime();
  const [t1, t2]: [number, number] = hour + 3 * HOUR <= midnight + DAY ? [hour, hour + 2 * HOUR] : [hour - 2 * HOUR, hour];
  const orders = await call('provider', 'GET', `/api/v1/care/orders?from=${today}&to=${addDays(today, 13)}&personId=${personA.id}`);
  orderA = orders.body.items[0].id;
  const assigned = await call('provider', 'POST', '/api/v1/care/orders/assign', { items: [{ orderId: orderA, caregiverId: carerId, startsAt: new Date(t1).toISOString() }] });
  expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  orderB = await orderFor(new Date(t2), personB.id);

  await p.app.listen({ port: 0, host: '127.0.0.1' });
}, 240_000);

afterAll(async () => {
  await p?.close();
});

// ------------------------------------------------------------------------------------------------
// 1. The queue and the sync, against the real server (only the failures are injected).

/** POST /api/v1/care/sync as the caregiver, through inject; errors as the phone's api.ts maps them. */
async function send(ops: WireOp[]): Promise<{ results: SyncResult[] }> {
  const r = await p.app.inject({ method: 'POST', url: '/api/v1/care/sync', headers: { authorization: `Bearer ${await p.token('caregiver')}` }, payload: { deviceId: 'test-phone', ops } });
  if (r.statusCode === 200) return r.json() as { results: SyncResult[] };
  if (r.statusCode === 401 || r.statusCode === 403) throw new TransportError('auth', (r.json() as Body).error.message);
  if (r.statusCode >= 500) throw new TransportError('offline');
  throw new TransportError('invalid', (r.json() as Body).error.message);
}

async function upload(photo: { id: string; visitId: string; takenAt: string; data: unknown }): Promise<void> {
  const r = await p.app.inject({
    method: 'POST', url: `/api/v1/care/visits/${photo.visitId}/photos`, headers: { authorization: `Bearer ${await p.token('caregiver')}` },
    payload: { id: photo.id, mime: 'image/jpeg', dataBase64: Buffer.from(String(photo.data)).toString('base64'), takenAt: photo.takenAt },
  });
  if (r.statusCode === 200) return;
  if (r.statusCode === 404 || r.statusCode === 400) throw new TransportError('invalid', (r.json() as Body).error.message);
  throw new TransportError(r.statusCode === 401 || r.statusCode === 403 ? 'auth' : 'offline');
}

type Fault = 'ok' | 'drop' | 'lose-answer';
/** The transport with a schedule of faults: the request never arrives, or its answer is lost. */
function flaky<A extends unknown[], R>(fn: (...a: A) => Promise<R>, faults: Fault[]): (...a: A) => Promise<R> {
  return async (...a: A) => {
    const f = faults.shift() ?? 'ok';
    if (f === 'drop') throw new TransportError('offline');
    const r = await fn(...a);
    if (f === 'lose-answer') throw new TransportError('offline');
    return r;
  };
}

/** A visit worked offline: check-in, check-out (and a photo) queued for the caregiver. */
async function queueVisit(store: QueueStore, orderId: string, at: number, opts: { photo?: boolean; label?: string } = {}): Promise<string> {
  const visitId = newClientId();
  const near = { lat: personC.home.lat + 0.0001, lon: personC.home.lon, accuracy: 10 };
  await store.addOp({ id: newClientId(), kind: 'check_in', visitId, orderId, at: new Date(at).toISOString(), location: near, mockLocation: false, proof: null, owner: carerUserId, locationStatus: 'ok', label: opts.label });
  if (opts.photo) await store.addPhoto({ id: newClientId(), visitId, orderId, owner: carerUserId, mime: 'image/jpeg', takenAt: new Date(at + 60_000).toISOString(), bytes: 4, data: `photo of ${visitId}` });
  await store.addOp({ id: newClientId(), kind: 'check_out', visitId, at: new Date(at + 30 * 60_000).toISOString(), location: near, mockLocation: false, items: ['L06'], note: null, owner: carerUserId });
  return visitId;
}

const countOf = async (q: ReturnType<typeof sql>) => (await p.ctx.db.rows<{ n: number }>(q))[0]!.n;

describe('the caregiver phone: queue and sync against the real server', () => {
  it('an offline day of 12 visits arrives exactly once, in order, although requests drop and answers are lost', async () => {
    const store = memoryStore();
    const start = Date.now() - 8 * HOUR;
    const orders: string[] = [];
    const visits: string[] = [];
    for (let i = 0; i < 12; i++) {
      orders.push(await orderFor(new Date(startOfLocalDay(addDays(today, 2)).getTime() + (8 * 60 + i * 40) * 60_000)));
      visits.push(await queueVisit(store, orders[i]!, start + i * 40 * 60_000, { photo: i % 4 === 0 }));
    }
    expect((await store.ops(carerUserId)).length).toBe(24);
    // Batches of 5: the first request never arrives, the second one's answer is lost, one photo's too.
    const faults: Fault[] = ['drop', 'lose-answer', 'ok', 'lose-answer'];
    const photoFaults: Fault[] = ['lose-answer'];
    const reports = [];
    for (let round = 0; round < 10 && (await store.ops(carerUserId)).length + (await store.photos(carerUserId)).length > 0; round++) {
      reports.push(await syncOnce({ store, owner: carerUserId, send: flaky(send, faults), upload: flaky(upload, photoFaults), batchSize: 5 }));
    }
    expect(reports[0]!.stopped).toBe('offline');
    expect(reports.at(-1)).toMatchObject({ stopped: null, refused: [] });
    expect(await store.ops(carerUserId)).toEqual([]);
    expect(await store.photos(carerUserId)).toEqual([]);
    expect(await store.notices(carerUserId)).toEqual([]);
    // One visit per order, each done, each operation recorded once, each photo stored once.
    const rows = await p.ctx.db.rows<{ id: string; order_id: string; status: string; items: string[] }>(sql`SELECT id, order_id, status, items FROM care.visit WHERE order_id = ANY(${sql.param(orders)}::uuid[]) ORDER BY check_in`);
    expect(rows.map((r) => [r.id, r.order_id, r.status, r.items])).toEqual(visits.map((v, i) => [v, orders[i], 'done', ['L06']]));
    expect(await countOf(sql`SELECT count(*)::int AS n FROM care.sync_op WHERE visit_id = ANY(${sql.param(visits)}::uuid[])`)).toBe(24);
    expect(await countOf(sql`SELECT count(*)::int AS n FROM care.visit_photo WHERE visit_id = ANY(${sql.param(visits)}::uuid[])`)).toBe(3);
    expect(await countOf(sql`SELECT coalesce(sum(photo_count), 0)::int AS n FROM care.visit WHERE id = ANY(${sql.param(visits)}::uuid[])`)).toBe(3);
  });

  it('whatever the connection does, once it holds every record has arrived once (property)', async () => {
    const base = startOfLocalDay(addDays(today, 3)).getTime();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom<Fault>('ok', 'drop', 'lose-answer'), { maxLength: 6 }), fc.array(fc.constantFrom<Fault>('ok', 'drop', 'lose-answer'), { maxLength: 3 }), async (faults, photoFaults) => {
        const store = memoryStore();
        const orderId = await orderFor(new Date(base + n++ * 20 * 60_000));
        const visitId = await queueVisit(store, orderId, Date.now() - HOUR, { photo: true });
        const sendF = flaky(send, [...faults]);
        const uploadF = flaky(upload, [...photoFaults]);
        for (let round = 0; round < 12; round++) await syncOnce({ store, owner: carerUserId, send: sendF, upload: uploadF, batchSize: 1 });
        expect(await store.ops(carerUserId)).toEqual([]);
        expect(await store.photos(carerUserId)).toEqual([]);
        expect(await countOf(sql`SELECT count(*)::int AS n FROM care.visit WHERE order_id = ${orderId}::uuid AND status = 'done'`)).toBe(1);
        expect(await countOf(sql`SELECT count(*)::int AS n FROM care.sync_op WHERE visit_id = ${visitId}::uuid`)).toBe(2);
        expect(await countOf(sql`SELECT photo_count AS n FROM care.visit WHERE id = ${visitId}::uuid`)).toBe(1);
      }),
      { numRuns: 12, seed: 20261102 },
    );
  });

  it('keeps a check-out whose check-in has not arrived, and sends it once the check-in is there', async () => {
    const phone = memoryStore();
    const orderId = await orderFor(new Date(startOfLocalDay(addDays(today, 4)).getTime() + 9 * HOUR));
    const visitId = await queueVisit(phone, orderId, Date.now() - HOUR);
    const [checkIn, checkOut] = await phone.ops(carerUserId);
    // Only the check-out is on this phone (the check-in went from another one, later).
    await phone.removeOps([checkIn!.id]);
    const first = await syncOnce({ store: phone, owner: carerUserId, send, upload });
    expect(first).toMatchObject({ done: 0, kept: 1, refused: [], stopped: null });
    expect((await phone.ops(carerUserId)).map((o) => o.id)).toEqual([checkOut!.id]);
    const other = memoryStore();
    await other.addOp(checkIn!);
    expect((await syncOnce({ store: other, owner: carerUserId, send, upload })).done).toBe(1);
    const second = await syncOnce({ store: phone, owner: carerUserId, send, upload });
    expect(second).toMatchObject({ done: 1, kept: 0, refused: [] });
    expect(await countOf(sql`SELECT count(*)::int AS n FROM care.visit WHERE id = ${visitId}::uuid AND status = 'done'`)).toBe(1);
  });

  it('tells refusals in plain Chinese; a refused check-in takes its later records and photos with it; a refused duplicate stays refused', async () => {
    const store = memoryStore();
    // An order of another caregiver's provider? Simpler: an order not assigned to anyone.
    const o = await call('provider', 'POST', '/api/v1/care/orders', { personId: personC.id, kind: 'care', items: ['L06'], startsAt: new Date(startOfLocalDay(addDays(today, 5)).getTime() + 9 * HOUR).toISOString(), minutes: 30, priceFenPerHour: 6000 });
    await queueVisit(store, o.body.id, Date.now() - HOUR, { photo: true, label: '测试老人 09:00' });
    const r = await syncOnce({ store, owner: carerUserId, send, upload });
    expect(r.refused.map((n) => n.text)).toEqual(['测试老人 09:00的签到没有被接受：该工单未派给您。这次服务的1 条后续记录和1 张照片也无法上传，请联系机构核实。']);
    expect(await store.ops(carerUserId)).toEqual([]);
    expect(await store.photos(carerUserId)).toEqual([]);
    expect((await store.notices(carerUserId)).map((n) => n.text)).toEqual(r.refused.map((n) => n.text));

    // A check-out dated far ahead: refused; its answer lost, the phone sends it again and is told the first answer.
    const orderId = await orderFor(new Date(startOfLocalDay(addDays(today, 5)).getTime() + 11 * HOUR));
    const later = memoryStore();
    await queueVisit(later, orderId, Date.now() - HOUR);
    const [, out] = await later.ops(carerUserId);
    await later.removeOps([out!.id]);
    await later.addOp({ ...out!, at: new Date(Date.now() + 5 * HOUR).toISOString() });
    const lost = await syncOnce({ store: later, owner: carerUserId, send: flaky(send, ['lose-answer']), upload });
    expect(lost.stopped).toBe('offline');
    const again = await syncOnce({ store: later, owner: carerUserId, send, upload });
    expect(again.done).toBe(1); // the check-in
    expect(again.refused.map((n) => n.text)).toEqual(['签退没有被接受：记录时间晚于当前时间，请检查手机时间设置。']);
    expect(await later.ops(carerUserId)).toEqual([]);
  });

  it('sends an unreadable batch one by one and drops only the unreadable record; without a session nothing is removed', async () => {
    const store = memoryStore();
    const orderId = await orderFor(new Date(startOfLocalDay(addDays(today, 6)).getTime() + 9 * HOUR));
    const visitId = await queueVisit(store, orderId, Date.now() - HOUR);
    const [, out] = await store.ops(carerUserId);
    if (out?.kind !== 'check_out') throw new Error('the check-out is second');
    await store.removeOps([out.id]);
    await store.addOp({ ...out, note: '很'.repeat(1001) }); // longer than the API takes
    await store.addOp({ ...out, id: newClientId(), note: '第二次签退' });
    const noSession = await syncOnce({ store, owner: carerUserId, send: async () => Promise.reject(new TransportError('auth', '请先登录')), upload });
    expect(noSession).toMatchObject({ stopped: 'auth', stopMessage: '请先登录', kept: 3 });
    expect((await store.ops(carerUserId)).length).toBe(3);
    const r = await syncOnce({ store, owner: carerUserId, send, upload });
    expect(r.done).toBe(2);
    expect(r.refused).toHaveLength(1);
    expect(r.refused[0]!.text).toMatch(/^签退无法上传：/);
    expect((await p.ctx.db.rows<{ note: string }>(sql`SELECT note FROM care.visit WHERE id = ${visitId}::uuid`))[0]!.note).toBe('第二次签退');
  });

  it("lays the waiting records over the server's day by the server's rules", () => {
    const item: DayItem = { orderId: 'o1', personId: 'p1', personName: '王阿姨', address: null, home: null, startsAt: '2026-11-02T01:00:00.000Z', minutes: 60, kind: 'care', payer: 'ltci', items: ['L01'], status: 'assigned', fromPreviousMeters: null, travelMinutes: null, visit: null };
    const day: Day = { date: '2026-11-02', serverTime: '2026-11-02T00:00:00.000Z', caregiver: { id: 'c', name: '孙', providerId: 'x' }, items: [item], catalogue: [], maxClockSkewMinutes: 10 };
    const inOp: WireOp = { id: 'a', kind: 'check_in', visitId: 'v1', orderId: 'o1', at: '2026-11-02T01:02:00.000Z', location: null, mockLocation: false, proof: null };
    const second: WireOp = { ...inOp, id: 'b', visitId: 'v2', at: '2026-11-02T01:05:00.000Z' };
    const early: WireOp = { id: 'c', kind: 'check_out', visitId: 'v1', at: '2026-11-02T01:00:00.000Z', location: null, mockLocation: false, items: ['L01'], note: null };
    const outOp: WireOp = { ...early, id: 'd', at: '2026-11-02T02:05:00.000Z', note: '好' };
    const lateOut: WireOp = { ...outOp, id: 'e', at: '2026-11-02T02:30:00.000Z', items: [] };
    const q = (ops: WireOp[]) => ops.map((o, i) => ({ ...o, owner: 'u', seq: i + 1, locationStatus: 'denied' as const }));
    const shown = overlay(day, q([inOp, second, early, outOp, lateOut]))[0]!;
    // The first check-in and the first valid check-out stand; the others change nothing.
    expect(shown.visit).toEqual({ id: 'v1', status: 'done', checkIn: inOp.at, checkOut: outOp.at, items: ['L01'], note: '好', homeProofValid: null });
    // Every record not yet answered waits, the ones the server will refuse too.
    expect(shown.waiting.map((o) => o.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(shown.checkInLocation).toBe('denied');
    expect(commit(day, [inOp, second, early, outOp, lateOut]).items[0]!.visit).toEqual(shown.visit);
    expect(applyOp(item, outOp)).toBe(item);
    expect(overlay(day, [])[0]).toMatchObject({ visit: null, waiting: [] });
  });
});

// ------------------------------------------------------------------------------------------------
// 2–3. In the browser.

/** Every visible control in the selector's scope at least `min` CSS px tall and wide. */
async function smallTargets(page: Page, min: number): Promise<unknown[]> {
  return (await page.evaluate(`[...document.querySelectorAll('main button, main a.button, main input:not([type=radio]):not([type=checkbox]):not([type=file]), main select, main textarea, main label.option-card, .carer-status button')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width }))
    .filter((b) => b.h < ${min} - 0.5 || b.w < ${min} - 0.5)`)) as unknown[];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A camera-sized PNG (a colour gradient), as a phone's photo would come in. */
function pngOf(width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Width and height of a JPEG (its SOF marker). */
function jpegSize(b: Buffer): { width: number; height: number } {
  expect(b[0]).toBe(0xff);
  expect(b[1]).toBe(0xd8);
  let i = 2;
  while (i < b.length) {
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + len;
  }
  throw new Error('no SOF marker');
}

const settled = (page: Page) => page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');

describe.skipIf(skipBrowserTests)('the caregiver phone and the family page (browser)', () => {
  let browser: Browser;
  let baseUrl = '';
  const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' };
  let visitA = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    const addr = p.app.server.address();
    baseUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    await browser?.close();
  });

  const signInCarer = async (page: Page) => {
    await page.goto(`${baseUrl}/carer`);
    await page.getByRole('heading', { level: 1, name: '护理员登录' }).waitFor();
    await page.getByLabel('用户名', { exact: true }).fill('caregiver');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /今日上门服务/ }).waitFor();
  };

  it('the caregiver works a visit offline, reloads offline, and it syncs once — one visit with its times, items, note and photo', async () => {
    const context: BrowserContext = await browser.newContext({ ...phone, permissions: ['geolocation'], geolocation: { latitude: personA.home.lat + 0.0002, longitude: personA.home.lon + 0.0001, accuracy: 12 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[e2e] page error: ${err.message}`));
    try {
      await expectAccessibleAfter(page, `${baseUrl}/carer`, '/carer sign-in');
      await signInCarer(page);
      await expect.poll(async () => (await focused(page)).tag).toBe('H1');
      const cards = page.getByTestId('carer-visit');
      await expect.poll(() => cards.count()).toBe(2);
      const cardA = page.locator(`[data-testid="carer-visit"][data-order="${orderA}"]`);
      const cardB = page.locator(`[data-testid="carer-visit"][data-order="${orderB}"]`);
      expect(await cardA.getByRole('heading', { level: 2 }).innerText()).toBe(personA.name);
      expect(await cardA.getByTestId('carer-route').innerText()).toContain('今天第一家');
      expect(await cardA.innerText()).toContain('服务项目：头面部清洁、梳理、沐浴');
      expect(await cardB.getByTestId('carer-route').innerText()).toMatch(/距上一家约 [\d.]+ (公里|米)，路上约 \d+ 分钟/);
      expect(await cardB.innerText()).toContain('自费');
        expect(await cardA.getByRole('link', { name: /^在地图中打开/ }).getAttribute('href')).toContain(`position=${personA.home.lon},${personA.home.lat}`);
      expect(await page.getByTestId('carer-online').innerText()).toContain('在线');
      expect(await page.getByTestId('carer-pending').innerText()).toBe('全部已同步');
      await expectAccessible(page, '/carer, the day');
      expect(await smallTargets(page, 48)).toEqual([]);
      // Installable: the manifest is on the page; the service worker has the shell before we go offline.
      expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/carer.webmanifest');
      await expect.poll(() => page.evaluate(`caches.open('yiyang-carer-v1').then((c) => c.match('/carer')).then(Boolean)`), { timeout: 20_000 }).toBe(true);

      // Offline from here.
      await context.setOffline(true);
      await expect.poll(() => page.getByTestId('carer-online').innerText()).toContain('离线');
      await cardA.getByRole('link', { name: '开始服务' }).click();
      await page.getByRole('heading', { level: 1, name: personA.name }).waitFor();
      const tag = await call('provider', 'GET', `/api/v1/care/home-tag/${personA.id}`);
      expect(tag.status).toBe(200);
      await expect.poll(async () => page.getByRole('radio', { name: /^入户码/ }).isChecked()).toBe(true);
      // The check-in button without a code: the problem is said at the field, focus on it.
      await page.getByRole('button', { name: '签到', exact: true }).click();
      await page.getByText('请输入 6 位确认码').waitFor();
      expect((await focused(page)).label).toBe('6 位确认码');
      await expectAccessible(page, '/carer visit, check-in, code missing');
      await page.keyboard.type(tag.body.code);
      const beforeIn = Date.now();
      await page.getByRole('button', { name: '签到', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: '服务中' }).waitFor();
      const afterIn = Date.now();
      expect(await page.getByTestId('carer-checked-in').innerText()).toContain('已记录位置');
      expect(await page.getByTestId('carer-pending').innerText()).toBe('1 条记录待同步');
      await page.getByRole('checkbox', { name: '头面部清洁、梳理', exact: true }).check();
      await page.getByRole('checkbox', { name: '沐浴', exact: true }).check();
      await page.getByLabel(/^备注/).fill('老人精神好，已提醒按时服药');
      // A 2000 px photo, made ≤ 1600 px JPEG on the phone.
      await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: pngOf(2400, 1800) });
      await expect.poll(() => page.getByTestId('carer-photo-status').innerText()).toContain('照片已保存（1600 × 1200）');
      expect(await page.getByTestId('carer-pending').innerText()).toBe('1 条记录、1 张照片待同步');
      await expectAccessible(page, '/carer visit, in progress, offline');
      expect(await smallTargets(page, 48)).toEqual([]);
      const beforeOut = Date.now();
      await page.getByRole('button', { name: '签退', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: '服务已完成' }).waitFor();
      const afterOut = Date.now();
      expect(await page.getByTestId('carer-pending').innerText()).toBe('2 条记录、1 张照片待同步');
      expect(await page.getByTestId('carer-finished').innerText()).toContain('头面部清洁、梳理、沐浴');
      // Nothing has reached the server.
      expect(await countOf(sql`SELECT count(*)::int AS n FROM care.visit WHERE order_id = ${orderA}::uuid`)).toBe(0);

      // Reload while offline: the service worker serves the page, IndexedDB still has the queue.
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await page.getByRole('heading', { level: 2, name: '服务已完成' }).waitFor();
      expect(await page.getByTestId('carer-online').innerText()).toContain('离线');
      expect(await page.getByTestId('carer-pending').innerText()).toBe('2 条记录、1 张照片待同步');
      await page.getByRole('link', { name: '← 返回今日服务' }).click();
      await expect.poll(() => cardA.getAttribute('data-state')).toBe('done');
      expect(await cardA.innerText()).toContain('2 条记录待同步');
      expect(await countOf(sql`SELECT count(*)::int AS n FROM care.visit WHERE order_id = ${orderA}::uuid`)).toBe(0);

      // Online again: the session is checked, the queue goes; 立即同步 sends nothing twice.
      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('carer-pending').innerText(), { timeout: 30_000 }).toBe('全部已同步');
      expect(await page.getByTestId('carer-online').innerText()).toContain('在线');
      await page.getByRole('button', { name: '立即同步' }).click();
      await expect.poll(() => page.getByTestId('carer-pending').innerText()).toBe('全部已同步');
      expect(await page.getByTestId('carer-notices').count()).toBe(0);

      const visits = (await call('provider', 'GET', `/api/v1/care/visits?from=${today}&to=${today}&personId=${personA.id}`)).body.items as Body[];
      expect(visits).toHaveLength(1);
      const v = visits[0]!;
      visitA = v.id;
      expect(v).toMatchObject({ orderId: orderA, status: 'done', homeProof: 'tag', homeProofValid: true, note: '老人精神好，已提醒按时服药', photoCount: 1, caregiverName: '孙桂英' });
      expect(v.items.map((i: Body) => i.code)).toEqual(['L01', 'L06']);
      expect(Date.parse(v.checkIn)).toBeGreaterThanOrEqual(beforeIn - 1000);
      expect(Date.parse(v.checkIn)).toBeLessThanOrEqual(afterIn + 1000);
      expect(Date.parse(v.checkOut)).toBeGreaterThanOrEqual(beforeOut - 1000);
      expect(Date.parse(v.checkOut)).toBeLessThanOrEqual(afterOut + 1000);
      expect(v.checkInAt.lat).toBeCloseTo(personA.home.lat + 0.0002, 6);
      expect(await countOf(sql`SELECT count(*)::int AS n FROM care.visit WHERE order_id = ${orderA}::uuid`)).toBe(1);
      expect(await countOf(sql`SELECT count(*)::int AS n FROM care.sync_op WHERE visit_id = ${visitA}::uuid`)).toBe(2);
      const photo = (await p.ctx.db.rows<{ mime: string; bytes: Uint8Array }>(sql`SELECT mime, bytes FROM care.visit_photo WHERE visit_id = ${visitA}::uuid`))[0]!;
      expect(photo.mime).toBe('image/jpeg');
      expect(jpegSize(Buffer.from(photo.bytes))).toEqual({ width: 1600, height: 1200 });

      // Large text on the phone: everything grows, nothing spills sideways, axe stays clean.
      await page.locator('h1').focus();
      await largeTextByKeyboard(page);
      await settled(page);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await expectAccessible(page, '/carer, the day, large text');
      expect(await smallTargets(page, 48)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("the second visit, online: the elder's phone code, the position refused and said so; the family sees it in progress", async () => {
    const context = await browser.newContext(phone);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    try {
      await signInCarer(page);
      await page.locator(`[data-testid="carer-visit"][data-order="${orderB}"]`).getByRole('link', { name: '开始服务' }).click();
      await page.getByRole('heading', { level: 1, name: personB.name }).waitFor();
      await page.getByRole('radio', { name: /^老人手机上的确认码/ }).check();
      const code = await call('citizen', 'GET', `/api/v1/care/elder-code/${personB.id}`);
      expect(code.status).toBe(200);
      await page.getByLabel('6 位确认码').fill(code.body.code);
      await page.getByRole('button', { name: '签到', exact: true }).click();
      await page.getByRole('heading', { level: 2, name: '服务中' }).waitFor();
      expect(await page.getByTestId('carer-checked-in').innerText()).toContain('没有允许定位');
      await expect.poll(() => page.getByTestId('carer-pending').innerText()).toBe('全部已同步');
      await expectAccessible(page, '/carer visit, in progress, online');
    } finally {
      await context.close();
    }
    const staff = (await call('officer', 'GET', `/api/v1/care/visits?from=${today}&to=${today}&personId=${personB.id}`)).body.items as Body[];
    expect(staff).toHaveLength(1);
    expect(staff[0]).toMatchObject({ orderId: orderB, status: 'in_progress', homeProof: 'elder_phone', homeProofValid: true, checkInAt: null });
    expect(staff[0]!.flags.map((f: Body) => f.code)).toContain('no_location');
    // The phone said why: the explanation carries it.
    expect(staff[0]!.flags.find((f: Body) => f.code === 'no_location').explanation).toContain('定位权限被拒绝');
  });

  it('the family on /my/care: the code, the plans (the draft confirmed), the visits as they happen, and a 5-star rating by keyboard alone', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1100, height: 900 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    try {
      await page.goto(`${baseUrl}/my/care`);
      await page.getByRole('heading', { level: 1, name: '我的居家照护' }).waitFor();
      await page.getByRole('heading', { level: 2, name: '请先登录' }).waitFor();
      await page.getByLabel('用户名', { exact: true }).fill('citizen');
      await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      const a = page.locator(`[data-testid="care-person"][data-person="${personA.id}"]`);
      const b = page.locator(`[data-testid="care-person"][data-person="${personB.id}"]`);
      await a.getByRole('heading', { level: 2, name: `${personA.name}（家属）` }).waitFor();

      // The code: six digits, until when, the one-line why.
      const code = a.getByTestId('care-code');
      await expect.poll(() => code.locator('.care-code').getAttribute('data-code')).toMatch(/^\d{6}$/);
      expect(await code.innerText()).toMatch(/有效至 \d{2}:\d{2}/);
      expect(await code.innerText()).toContain('护理员上门签到时会问您要这个确认码');

      // The plans: the confirmed one, and the draft to confirm.
      const confirmedPlan = a.locator(`[data-testid="care-plan"][data-plan="${planId}"]`);
      await confirmedPlan.waitFor();
      expect(await confirmedPlan.innerText()).toContain('执行中');
      expect(await confirmedPlan.getByTestId('care-plan-minutes').innerText()).toMatch(/^\d+ 小时（长护险每周最多 \d+ 小时）$/);
      expect(await confirmedPlan.innerText()).toMatch(/周一 09:00，1 小时（生活照料）/);
      expect(await confirmedPlan.innerText()).toContain('头面部清洁、梳理、沐浴');
      const draftPlan = a.locator(`[data-testid="care-plan"][data-plan="${draftId}"]`);
      expect(await draftPlan.innerText()).toContain('待您确认');

      // The visits: A's finished, B's in progress.
      const doneVisit = a.locator(`[data-testid="care-visit"][data-visit="${visitA}"]`);
      await doneVisit.waitFor();
      expect(await doneVisit.getByTestId('care-visit-status').innerText()).toBe('已完成');
      const text = await doneVisit.innerText();
      for (const s of ['孙桂英', '头面部清洁、梳理、沐浴', '老人精神好，已提醒按时服药', '1 张']) expect(text).toContain(s);
      await expect.poll(() => b.getByTestId('care-visit').count()).toBe(1);
      expect(await b.getByTestId('care-visit-status').innerText()).toBe('进行中');
      expect(await b.getByTestId('care-visit').innerText()).toContain('服务中');
      await settled(page);
      await expectAccessible(page, '/my/care');

      // Confirm the draft: a second, explicit press.
      await draftPlan.getByRole('button', { name: '确认这份计划' }).click();
      await expect.poll(async () => (await focused(page)).text).toBe('确认，计划生效');
      await expectAccessible(page, '/my/care, confirming a plan');
      await page.keyboard.press('Enter');
      await expect.poll(() => draftPlan.innerText()).toContain('计划已确认并生效');
      expect(await draftPlan.getAttribute('data-status')).toBe('confirmed');
      const plans = (await call('citizen', 'GET', `/api/v1/care/plans?personId=${personA.id}`)).body.items as Body[];
      expect(Object.fromEntries(plans.map((x) => [x.id, x.status]))).toMatchObject({ [planId]: 'ended', [draftId]: 'confirmed' });

      // Rate by keyboard alone: Tab into the stars, arrows to 5, Tab to the comment, Tab to submit.
      await doneVisit.getByRole('heading', { level: 4 }).evaluate('(h) => { h.tabIndex = -1; h.focus(); }');
      await tabTo(page, 'the stars', (f) => f.tag === 'INPUT' && f.type === 'radio', { max: 10 });
      expect((await focused(page)).label).toContain('1 星（很不满意）');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
      expect((await focused(page)).label).toContain('5 星（非常满意）');
      expect(await doneVisit.getByRole('radio', { name: '5 星（非常满意）' }).isChecked()).toBe(true);
      await page.keyboard.press('Tab');
      expect((await focused(page)).label).toContain('想说的话');
      await page.keyboard.type('很细心，老人很满意');
      await page.keyboard.press('Tab');
      expect((await focused(page)).text).toBe('提交评价');
      await page.keyboard.press('Enter');
      await expect.poll(() => doneVisit.getByTestId('care-rated').innerText()).toContain('5 星（非常满意）');
      expect(await doneVisit.getByTestId('care-rated').innerText()).toContain('很细心，老人很满意');
      await expect.poll(async () => (await focused(page)).text).toBe('修改评价');
      await expectAccessible(page, '/my/care, rated');
      await page.locator('h1').focus();
      await largeTextByKeyboard(page);
      await expectAccessible(page, '/my/care, large text');
    } finally {
      await context.close();
    }
    const after = (await call('citizen', 'GET', `/api/v1/care/visits?from=${today}&to=${today}&personId=${personA.id}`)).body.items as Body[];
    expect(after.find((x) => x.id === visitA)!.rating).toMatchObject({ stars: 5, comment: '很细心，老人很满意' });
  });
});

async function expectAccessibleAfter(page: Page, url: string, label: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await expectAccessible(page, label);
}
