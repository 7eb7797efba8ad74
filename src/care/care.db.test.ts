// Care delivery end to end over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL:
// the caregiver register (one record citywide, a move keeps it), a plan drafted from the person's
// LTCI entitlement and confirmed → orders; assignment checks; the phone's day; offline sync that
// is idempotent (a retried batch applies nothing twice, a connection dropped mid-way loses
// nothing); the elder-side code; anomaly flags; the family's view and rating; the monthly claim,
// the insurer's risk-weighted sample, decisions, an appeal, and the Excel export.
import { connect } from 'node:net';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateOf, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { sql } from '../platform/db.ts';
import { userIdOf } from '../platform/auth.ts';
import { linkUser } from '../people/index.ts';
import { usccCheckChar } from '../supply/index.ts';
import { carePorts } from '../app.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { drawCallbacks } from './anomaly.ts';
import { homeCode } from './homecode.ts';
import { readCarePolicy } from './policy.ts';

const HOUR = 3_600_000;
const RULES = readCarePolicy().on('2026-11-02');

for (const backend of backends()) {
  describe(`care delivery (${backend})`, () => {
    let p: TestPlatform;
    // Monday 2 November 2026, 07:00 in Shanghai.
    let now = new Date('2026-11-01T23:00:00Z');
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (user: string | null, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const headers: Record<string, string> = user ? { authorization: `Bearer ${await p.token(user)}` } : {};
      const r = await p.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body && r.headers['content-type']?.toString().includes('json') ? (r.json() as Body) : {} };
    };
    let providerId = '';
    let otherProviderId = '';
    let person: { id: string; home: { lat: number; lon: number }; grade: number; hours: number } = { id: '', home: { lat: 0, lon: 0 }, grade: 0, hours: 0 };
    let carer = '';
    let nurseId = '';
    const idNumber = makeIdNumber('310115', '1975-04-03' as LocalDate, 21, 'F');

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 400, clock: () => now, env: { YIYANG_SESSION_IDLE_MINUTES: String(60 * 24 * 90) } });
      const body17 = '52310115MJ0000003';
      const prov = await call('provider', 'POST', '/api/v1/supply/providers', { name: '测试居家照护服务社', uscc: body17 + usccCheckChar(body17), legalRepresentative: '张三', kind: 'social_org', phone: '021-58880000' });
      expect(prov.status, JSON.stringify(prov.body)).toBe(201);
      providerId = prov.body.id;
      const other17 = '52310101MJ0000004';
      const prov2 = await call('officer', 'POST', '/api/v1/supply/providers', { name: '黄浦测试护理站', uscc: other17 + usccCheckChar(other17), legalRepresentative: '李四', kind: 'social_org', phone: '021-63330000', regionCode: '310101' });
      expect(prov2.status, JSON.stringify(prov2.body)).toBe(201);
      otherProviderId = prov2.body.id;
      // Someone in Pudong with an LTCI home-care entitlement and a known home.
      const ids = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL AND lat IS NOT NULL ORDER BY id`)).map((r) => r.id);
      const ltci = await p.ctx.db.tx((q) => carePorts(p.ctx).ltci(q, ids, '2026-11-02' as LocalDate), { asAppRole: false });
      const homes = await p.ctx.db.tx((q) => carePorts(p.ctx).people(q, '*', ids), { asAppRole: false });
      const pick = [...ltci.entries()].find(([id, e]) => e.eligible && e.hoursPerWeek === 3 && homes.get(id)?.home && e.gradeValidTo && e.gradeValidTo > '2027-01-01');
      expect(pick, 'an LTCI-eligible person of grade 2–3 in the demo population').toBeTruthy();
      person = { id: pick![0], home: homes.get(pick![0])!.home!, grade: pick![1].grade!, hours: pick![1].hoursPerWeek! };
      // The demo citizen account is this person's family.
      await p.ctx.db.tx(async (q) => linkUser(q, (await userIdOf(q, 'citizen'))!, person.id, '310115', 'family'), { asAppRole: false });
    });
    afterAll(async () => {
      await p?.close();
    });

    it('registers a caregiver once citywide, masks the ID number, and keeps the record when they move', async () => {
      const r = await call('provider', 'POST', '/api/v1/care/caregivers', {
        name: '孙桂英', idNumber, phone: '13800001234', kind: 'caregiver', skillLevel: 4, qualifications: ['caregiver_cert'], trainingHours: 120, healthCertValidTo: '2027-06-30', backgroundCheck: 'passed', backgroundCheckedOn: '2026-01-10',
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      carer = r.body.id;
      expect(r.body.idNumber).not.toBe(idNumber);
      expect(r.body.idNumber).toMatch(/^310115\*{8}\d{3}[\dX]$/);
      expect(r.body.phone).not.toContain('00001234'.slice(0, 4) + '1234');
      expect(r.body.providerId).toBe(providerId);
      expect(r.body.skillLevelName).toBe('四级/中级工');
      expect(r.body.unfit).toBeNull();
      // The same person again at the same provider is refused.
      const again = await call('provider', 'POST', '/api/v1/care/caregivers', { name: '孙桂英', idNumber, kind: 'caregiver' });
      expect(again.status).toBe(409);
      // An officer finds her citywide by ID number; the statistics count her.
      const found = await call('officer', 'GET', `/api/v1/care/caregivers?idNumber=${idNumber}`);
      expect(found.body.total).toBe(1);
      expect(found.body.items[0].id).toBe(carer);
      const stats = await call('officer', 'GET', '/api/v1/care/caregivers/stats');
      expect(stats.body.items.some((s: Body) => s.districtCode === '310115' && s.kind === 'caregiver' && s.count >= 1)).toBe(true);
      // A nurse whose health certificate has expired.
      const n = await call('provider', 'POST', '/api/v1/care/caregivers', {
        name: '周护士', idNumber: makeIdNumber('310115', '1985-09-09' as LocalDate, 33, 'F'), kind: 'nurse', qualifications: ['nurse_licence'], healthCertValidTo: '2026-10-31', backgroundCheck: 'passed',
      });
      expect(n.status).toBe(201);
      nurseId = n.body.id;
      expect(n.body.unfit).toContain('健康证');
      expect(n.body.serviceKinds).toEqual(['care', 'nursing']);
      // A move: another provider (Huangpu) registers the nurse; one record, two employments.
      const moved = await call('officer', 'POST', '/api/v1/care/caregivers', { providerId: otherProviderId, name: '周护士', idNumber: makeIdNumber('310115', '1985-09-09' as LocalDate, 33, 'F'), kind: 'nurse' });
      expect(moved.status, JSON.stringify(moved.body)).toBe(201);
      expect(moved.body.id).toBe(nurseId);
      expect(moved.body.moved).toBe(true);
      expect(moved.body.qualifications).toEqual(['nurse_licence']);
      expect(moved.body.employment.map((e: Body) => [e.providerId, e.to === null])).toEqual([[providerId, false], [otherProviderId, true]]);
      // The first provider no longer sees her among its staff.
      const own = await call('provider', 'GET', '/api/v1/care/caregivers');
      expect(own.body.items.map((c: Body) => c.id)).toEqual([carer]);
      // Link the phone account.
      const linked = await call('provider', 'POST', `/api/v1/care/caregivers/${carer}/account`, { username: 'caregiver' });
      expect(linked.status, JSON.stringify(linked.body)).toBe(200);
      expect(linked.body.hasAccount).toBe(true);
    });

    let planId = '';
    it('drafts a plan against the LTCI entitlement, refuses one over the cap, and makes orders when the family confirms', async () => {
      const e = await call('provider', 'GET', `/api/v1/care/entitlement/${person.id}`);
      expect(e.status, JSON.stringify(e.body)).toBe(200);
      expect(e.body.entitlement.eligible).toBe(true);
      expect(e.body.capMinutes).toBe(person.hours * 60);
      expect(e.body.proposal.map((s: Body) => s.weekday)).toEqual([1, 3, 5]);
      const over = await call('provider', 'POST', '/api/v1/care/plans', { personId: person.id, items: ['L01', 'L06'], slots: [1, 2, 3, 4].map((weekday) => ({ weekday, start: '09:00', minutes: 60, kind: 'care' })), validFrom: '2026-11-02' });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toContain(`超过长护险每周 ${person.hours * 60} 分钟`);
      const noNursing = await call('provider', 'POST', '/api/v1/care/plans', { personId: person.id, items: ['L01'], slots: [{ weekday: 1, start: '09:00', minutes: 60, kind: 'nursing' }], validFrom: '2026-11-02' });
      expect(noNursing.status).toBe(400);
      const d = await call('provider', 'POST', '/api/v1/care/plans', { personId: person.id, items: ['L01', 'L06', 'L09'], slots: e.body.proposal, validFrom: '2026-11-02' });
      expect(d.status, JSON.stringify(d.body)).toBe(201);
      planId = d.body.id;
      expect(d.body.status).toBe('draft');
      expect(d.body.weeklyMinutes).toBe(180);
      // The family confirms on their phone.
      const c = await call('citizen', 'POST', `/api/v1/care/plans/${planId}/confirm`);
      expect(c.status, JSON.stringify(c.body)).toBe(200);
      expect(c.body.status).toBe('confirmed');
      // Two weeks ahead, three visits a week, from today 07:00 (today's 09:00 included).
      expect(c.body.ordersMade).toBe(6);
      const again = await call('citizen', 'POST', `/api/v1/care/plans/${planId}/confirm`);
      expect(again.status).toBe(409);
      const orders = await call('provider', 'GET', '/api/v1/care/orders?from=2026-11-02&to=2026-11-15');
      expect(orders.body.items.map((o: Body) => localDateOf(new Date(o.startsAt)))).toEqual(['2026-11-02', '2026-11-04', '2026-11-06', '2026-11-09', '2026-11-11', '2026-11-13']);
      expect(orders.body.items[0].startsAt).toBe('2026-11-02T01:00:00.000Z');
      // The daily extension is idempotent.
      const { care } = (await import('../app.ts')).careServices(p.ctx);
      expect(await care.extendOrders()).toBe(0);
    });

    it('assigns orders only to fit, qualified staff of the provider, and tells the caregiver', async () => {
      const orders = (await call('provider', 'GET', '/api/v1/care/orders?from=2026-11-02&to=2026-11-15')).body.items as Body[];
      const unfit = await call('officer', 'POST', '/api/v1/care/orders/assign', { items: [{ orderId: orders[0]!.id, caregiverId: nurseId }] });
      expect(unfit.status).toBe(404); // she works for another provider now
      const ok = await call('provider', 'POST', '/api/v1/care/orders/assign', { items: orders.map((o) => ({ orderId: o.id, caregiverId: carer })) });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.changed).toBe(6);
      const msgs = await call('officer', 'GET', '/api/v1/messages?kind=care.schedule');
      expect(msgs.body.items.some((m: Body) => m.body.includes('孙桂英'))).toBe(true);
    });

    it('schedules a day automatically, explains it and gives travel minutes per care hour', async () => {
      const s = await call('provider', 'POST', '/api/v1/care/orders/schedule', { date: '2026-11-09' });
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      expect(s.body.assigned).toBe(1);
      expect(s.body.unassigned).toEqual([]);
      expect(s.body.routes[0].caregiverName).toBe('孙桂英');
      expect(s.body.assignments[0].explain).toMatch(/[\u4e00-\u9fa5]/);
      expect(typeof s.body.travelMinutesPerCareHour).toBe('number');
      const start = Date.parse(s.body.assignments[0].start);
      expect(Math.abs(start - Date.parse('2026-11-09T01:00:00Z'))).toBeLessThanOrEqual(RULES.scheduleWindowMinutes * 60_000);
      const o = (await call('provider', 'GET', '/api/v1/care/orders?from=2026-11-09&to=2026-11-09')).body.items[0];
      expect(o).toMatchObject({ caregiverName: '孙桂英', status: 'assigned', startsAt: new Date(start).toISOString() });
    });

    const tagCode = async (at: number) => {
      const t = await call('provider', 'GET', `/api/v1/care/home-tag/${person.id}`);
      expect(t.status).toBe(200);
      const secret = p.ctx.crypto.decrypt((await p.ctx.db.one<{ secret_enc: string }>(sql`SELECT secret_enc FROM care.home_tag WHERE person_id = ${person.id}::uuid`))!.secret_enc);
      expect(t.body.code).toBe(homeCode(secret, 'tag', now.getTime(), RULES));
      return homeCode(secret, 'tag', at, RULES);
    };

    let visitId = '';
    it("shows the caregiver's day and syncs an offline day idempotently", async () => {
      const day = await call('caregiver', 'GET', '/api/v1/care/my/day?date=2026-11-02');
      expect(day.status, JSON.stringify(day.body)).toBe(200);
      expect(day.body.items).toHaveLength(1);
      const o = day.body.items[0];
      expect(o.personId).toBe(person.id);
      expect(o.home).toEqual(person.home);
      expect(day.body.catalogue.length).toBe(42);
      // The caregiver works offline: check-in 09:02, check-out 10:05, both queued; synced at 18:00.
      const checkIn = Date.parse('2026-11-02T01:02:00Z');
      const code = await tagCode(checkIn);
      visitId = newId();
      const near = { lat: person.home.lat + 0.0002, lon: person.home.lon + 0.0001, accuracy: 12 };
      const ops = [
        { id: newId(), kind: 'check_in', visitId, orderId: o.orderId, at: new Date(checkIn).toISOString(), location: near, mockLocation: false, proof: { kind: 'tag', code } },
        { id: newId(), kind: 'check_out', visitId, at: '2026-11-02T02:05:00Z', location: near, mockLocation: false, items: ['L01', 'L06'], note: '老人精神好' },
      ];
      now = new Date('2026-11-02T10:00:00Z');
      // The check-out alone first (the check-in is still on the phone): refused, to be sent again.
      const early = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [ops[1]] });
      expect(early.body.results[0]).toMatchObject({ status: 'rejected', code: 'unknown_visit', retry: true });
      const first = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.results.map((r: Body) => r.status)).toEqual(['applied', 'applied']);
      // The same batch again (the answer was lost): nothing applied twice.
      const second = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops });
      expect(second.body.results.map((r: Body) => r.status)).toEqual(['duplicate', 'duplicate']);
      const rows = await p.ctx.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.visit WHERE order_id = ${o.orderId}::uuid`);
      expect(rows[0]!.n).toBe(1);
      // A second check-in of the same order under another visit id is refused.
      const dup = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [{ ...ops[0], id: newId(), visitId: newId() }] });
      expect(dup.body.results[0]).toMatchObject({ status: 'rejected', code: 'order_has_visit' });
      // A time far in the future is refused.
      const future = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [{ ...ops[1], id: newId(), at: '2026-11-03T10:00:00Z' }] });
      expect(future.body.results[0].code).toBe('future_time');
      const v = (await call('provider', 'GET', '/api/v1/care/visits?from=2026-11-02&to=2026-11-02')).body.items[0];
      expect(v).toMatchObject({ id: visitId, status: 'done', minutes: 63, homeProof: 'tag', homeProofValid: true, anomalyScore: 0 });
      expect(v.items.map((i: Body) => i.name)).toEqual(['头面部清洁、梳理', '沐浴']);
    });

    it('loses nothing and duplicates nothing when the connection drops mid-way and the phone retries', async () => {
      const day = await call('caregiver', 'GET', '/api/v1/care/my/day?date=2026-11-04');
      const o = day.body.items[0];
      now = new Date('2026-11-04T12:00:00Z');
      const vid = newId();
      const at = Date.parse('2026-11-04T01:00:00Z');
      const ops = [
        { id: newId(), kind: 'check_in', visitId: vid, orderId: o.orderId, at: new Date(at).toISOString(), location: { lat: person.home.lat, lon: person.home.lon + 0.0003 }, mockLocation: false, proof: { kind: 'tag', code: await tagCode(at) } },
        { id: newId(), kind: 'check_out', visitId: vid, at: '2026-11-04T02:00:00Z', location: { lat: person.home.lat, lon: person.home.lon + 0.0003 }, mockLocation: false, items: ['L09'], note: null },
      ];
      const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const body = JSON.stringify({ deviceId: 'phone-1', ops });
      const head = `POST /api/v1/care/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${await p.token('caregiver')}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
      const send = (text: string, waitForAnswer: boolean) => new Promise<void>((resolve) => {
        const s = connect(Number(port), '127.0.0.1', () => {
          s.write(text, () => {
            if (!waitForAnswer) {
              s.destroy(); // dropped while sending
              resolve();
            }
          });
        });
        // Dropped after the server got the whole request, before the answer is read.
        if (waitForAnswer) s.once('data', () => { s.destroy(); resolve(); });
        s.on('error', () => resolve());
      });
      // 1. The connection breaks half-way through the body: nothing is applied.
      await send(head + body.slice(0, body.length >> 1), false);
      await new Promise((r) => setTimeout(r, 200));
      expect((await p.ctx.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.visit WHERE id = ${vid}::uuid`))[0]!.n).toBe(0);
      // 2. The whole request arrives, the answer is lost.
      await send(head + body, true);
      expect((await p.ctx.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.visit WHERE id = ${vid}::uuid`))[0]!.n).toBe(1);
      // 3. The phone retries: both operations come back as already applied; one visit, done.
      const retry = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops });
      expect(retry.body.results.map((r: Body) => r.status)).toEqual(['duplicate', 'duplicate']);
      const rows = await p.ctx.db.rows<{ n: number; status: string }>(sql`SELECT count(*)::int AS n, max(status) AS status FROM care.visit WHERE order_id = ${o.orderId}::uuid`);
      expect(rows[0]).toEqual({ n: 1, status: 'done' });
      expect((await p.ctx.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.sync_op WHERE visit_id = ${vid}::uuid`))[0]!.n).toBe(2);
    });

    it('flags a spoofed visit for staff and shows the family their visits, which they can rate', async () => {
      const day = await call('caregiver', 'GET', '/api/v1/care/my/day?date=2026-11-06');
      const o = day.body.items[0];
      now = new Date('2026-11-06T12:00:00Z');
      const vid = newId();
      const far = { lat: person.home.lat + 0.05, lon: person.home.lon, accuracy: 5 };
      const r = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [
        { id: newId(), kind: 'check_in', visitId: vid, orderId: o.orderId, at: '2026-11-06T01:00:00Z', location: far, mockLocation: true, proof: { kind: 'tag', code: '000000' } },
        { id: newId(), kind: 'check_out', visitId: vid, at: '2026-11-06T01:10:00Z', location: far, mockLocation: true, items: ['L01'], note: null },
      ] });
      expect(r.body.results.map((x: Body) => x.status)).toEqual(['applied', 'applied']);
      const staff = (await call('officer', 'GET', '/api/v1/care/visits?from=2026-11-06&to=2026-11-06&flagged=true')).body.items;
      expect(staff).toHaveLength(1);
      const codes = staff[0].flags.map((f: Body) => f.code).sort();
      expect(codes).toEqual(expect.arrayContaining(['far_from_home', 'mock_location', 'too_short', 'no_home_proof']));
      expect(staff[0].flags.find((f: Body) => f.code === 'far_from_home').explanation).toMatch(/\d/);
      expect(staff[0].anomalyScore).toBeGreaterThan(0);
      // A hospital stay recorded afterwards changes the flags of a visit already checked.
      const stay = await call('officer', 'POST', '/api/v1/care/absences', { personId: person.id, from: '2026-11-06', to: '2026-11-07', source: '医院出院小结' });
      expect(stay.status, JSON.stringify(stay.body)).toBe(201);
      const again = (await call('officer', 'GET', '/api/v1/care/visits?from=2026-11-06&to=2026-11-06&flagged=true')).body.items;
      expect(again[0].flags.map((f: Body) => f.code)).toContain('in_hospital');
      expect(again[0].flags.length).toBe(staff[0].flags.length + 1);
      // The family: their visits as they happen, no flags.
      const fam = await call('citizen', 'GET', `/api/v1/care/visits?from=2026-11-01&to=2026-11-30&personId=${person.id}`);
      expect(fam.status).toBe(200);
      expect(fam.body.items).toHaveLength(3);
      expect(fam.body.items[0].caregiverName).toBe('孙桂英');
      expect(fam.body.items[0].flags).toBeUndefined();
      const rate = await call('citizen', 'POST', `/api/v1/care/visits/${visitId}/rating`, { stars: 5, comment: '很细心' });
      expect(rate.status, JSON.stringify(rate.body)).toBe(200);
      const after = (await call('citizen', 'GET', `/api/v1/care/visits?from=2026-11-02&to=2026-11-02&personId=${person.id}`)).body.items[0];
      expect(after.rating.stars).toBe(5);
      // Another family's account sees nothing of them.
      expect((await call('citizen', 'GET', `/api/v1/care/visits?from=2026-11-01&to=2026-11-30&personId=${newId()}`)).body.items).toHaveLength(0);
      // The elder's code is shown only to the family.
      expect((await call('citizen', 'GET', `/api/v1/care/elder-code/${person.id}`)).body.code).toMatch(/^\d{6}$/);
      expect((await call('provider', 'GET', `/api/v1/care/elder-code/${person.id}`)).status).toBe(403);
    });

    it('takes a self-paid order on the same model, its own items, and the reason the phone gives for a missing position', async () => {
      const o = await call('provider', 'POST', '/api/v1/care/orders', { personId: person.id, kind: 'haircut', items: ['理发'], startsAt: '2026-11-06T07:00:00Z', minutes: 30, priceFenPerHour: 3000 });
      expect(o.status, JSON.stringify(o.body)).toBe(201);
      expect((await call('provider', 'POST', '/api/v1/care/orders/assign', { items: [{ orderId: o.body.id, caregiverId: carer }] })).body.changed).toBe(1);
      const vid = newId();
      const checkOut = { id: newId(), kind: 'check_out', visitId: vid, at: '2026-11-06T07:35:00Z', location: null, locationStatus: 'denied', mockLocation: false, items: ['理发'], note: null };
      const r = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [
        { id: newId(), kind: 'check_in', visitId: vid, orderId: o.body.id, at: '2026-11-06T07:01:00Z', location: null, locationStatus: 'denied', mockLocation: false, proof: null },
        checkOut,
      ] });
      expect(r.body.results.map((x: Body) => x.status)).toEqual(['applied', 'applied']);
      // An LTCI visit's check-out with that item is refused, and a refused operation sent again stays refused.
      const bad = { ...checkOut, id: newId(), visitId: visitId, items: ['理发'] };
      const first = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [bad] });
      expect(first.body.results[0]).toMatchObject({ status: 'rejected', code: 'already_checked_out' });
      const again = await call('caregiver', 'POST', '/api/v1/care/sync', { deviceId: 'phone-1', ops: [bad] });
      expect(again.body.results[0]).toMatchObject({ status: 'rejected', code: 'already_checked_out', duplicate: true });
      const v = (await call('officer', 'GET', '/api/v1/care/visits?from=2026-11-06&to=2026-11-06')).body.items.find((x: Body) => x.id === vid);
      expect(v).toMatchObject({ payer: 'self', status: 'done', minutes: 34 });
      expect(v.flags.find((f: Body) => f.code === 'no_location').explanation).toContain('定位权限被拒绝');
    });

    it('draws call-backs reproducibly, lists them with what the caller needs, and records a denial that the claim weighs', async () => {
      const done = (await call('officer', 'GET', '/api/v1/care/visits?from=2026-11-01&to=2026-11-30')).body.items.filter((v: Body) => v.status === 'done').map((v: Body) => v.id as string);
      const share = readCarePolicy().anomaly.find((r) => r.name === 'callbackShare')!.value as number;
      const seed = Array.from({ length: 5000 }, (_, i) => i).find((s) => drawCallbacks(done, share, s).has(visitId))!;
      const expected = drawCallbacks(done, share, seed);
      const d = await call('insurer', 'POST', '/api/v1/care/callbacks/draw', { from: '2026-11-01', to: '2026-11-30', seed });
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      expect(d.body).toMatchObject({ visits: done.length, drawn: expected.size });
      // Drawing again adds nothing (a visit is called back once).
      expect((await call('insurer', 'POST', '/api/v1/care/callbacks/draw', { from: '2026-11-01', to: '2026-11-30', seed })).body.drawn).toBe(0);
      const list = await call('insurer', 'GET', '/api/v1/care/callbacks');
      const cb = list.body.items.find((c: Body) => c.visitId === visitId);
      expect(cb).toMatchObject({ personId: person.id, caregiverName: '孙桂英', outcome: null });
      const a = await call('insurer', 'POST', `/api/v1/care/callbacks/${cb.id}`, { outcome: 'denied', answer: '老人说那天没有人来' });
      expect(a.status).toBe(200);
      expect((await call('insurer', 'GET', '/api/v1/care/callbacks')).body.items.some((c: Body) => c.id === cb.id)).toBe(false);
      expect((await call('provider', 'POST', `/api/v1/care/callbacks/${cb.id}`, { outcome: 'confirmed' })).status).toBe(403);
    });

    it("builds the month's claim, samples risky lines for the insurer, takes decisions and an appeal, and exports", async () => {
      now = new Date('2026-11-20T02:00:00Z');
      expect((await call('provider', 'POST', '/api/v1/care/claims', { month: '2026-11' })).status).toBe(409); // the month is not over
      now = new Date('2026-12-02T02:00:00Z');
      const c = await call('provider', 'POST', '/api/v1/care/claims', { month: '2026-11' });
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      expect(c.body.status).toBe('in_review');
      expect(c.body.lines).toHaveLength(3);
      const byId = new Map<string, Body>(c.body.lines.map((l: Body) => [l.visitId, l]));
      // 63 minutes at 65 yuan an hour: 6,825 fen, fund 90 % = 6,143 (6,142.5 rounded half up), copay 682.
      expect(byId.get(visitId)).toMatchObject({ status: 'paid', billedMinutes: 63, amountFen: 6825, fundFen: 6143, copayFen: 682 });
      expect(byId.get(visitId)!.explanation).toContain('63 分钟 × 65.00 元/小时 = 68.25 元');
      // The spoofed visit: too far from the home by the settlement rules, and a risk line.
      const spoofed = c.body.lines.find((l: Body) => l.visitId !== visitId && l.anomalyScore > 0);
      expect(spoofed).toMatchObject({ status: 'rejected', reason: 'too_far', amountFen: 0 });
      expect(c.body.totals.claimedFen).toBe(c.body.lines.reduce((s: number, l: Body) => s + l.amountFen, 0));
      expect(c.body.sample.seed).toBeTypeOf('number');
      // The call-back denial weighs as much as the worst anomaly: the line is a risk line of the sample.
      expect(byId.get(visitId)).toMatchObject({ sample: 'risk', anomalyScore: 100 });
      expect(byId.get(visitId)!.flags.map((f: Body) => f.code)).toContain('callback_denied');
      expect((await call('provider', 'POST', '/api/v1/care/claims', { month: '2026-11' })).status).toBe(409);
      // The provider cannot review; the insurer can.
      const paid = c.body.lines.filter((l: Body) => l.status !== 'rejected');
      expect((await call('provider', 'POST', `/api/v1/care/claims/${c.body.id}/decisions`, { items: [{ visitId, decision: 'approved' }] })).status).toBe(403);
      expect((await call('insurer', 'POST', `/api/v1/care/claims/${c.body.id}/decisions`, { items: [{ visitId: paid[1].visitId, decision: 'rejected' }] })).status).toBe(400);
      const d = await call('insurer', 'POST', `/api/v1/care/claims/${c.body.id}/decisions`, { items: [{ visitId, decision: 'approved' }, { visitId: paid[1].visitId, decision: 'rejected', reason: '回访未能确认' }] });
      expect(d.status, JSON.stringify(d.body)).toBe(200);
      const f = await call('insurer', 'POST', `/api/v1/care/claims/${c.body.id}/finish`);
      expect(f.status, JSON.stringify(f.body)).toBe(200);
      expect(f.body.status).toBe('decided');
      expect(f.body.totals.approvedFen).toBe(6825);
      // The provider appeals the rejection; the insurer overturns it.
      const a = await call('provider', 'POST', `/api/v1/care/claims/${c.body.id}/appeals`, { visitId: paid[1].visitId, text: '家属已书面确认服务' });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      const o = await call('insurer', 'POST', `/api/v1/care/claims/${c.body.id}/appeals/decide`, { visitId: paid[1].visitId, decision: 'overturned', note: '证据充分' });
      expect(o.status).toBe(200);
      expect(o.body.totals.approvedFen).toBe(6825 + paid[1].amountFen);
      // The Excel export carries the same figures.
      const token = await p.token('insurer');
      const x = await p.app.inject({ method: 'GET', url: `/api/v1/care/claims/${c.body.id}/export`, headers: { authorization: `Bearer ${token}` } });
      expect(x.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('结算明细')!;
      expect(sheet.rowCount).toBe(4);
      const amounts = [2, 3, 4].map((i) => Number(sheet.getRow(i).getCell(8).value));
      expect(Math.round(amounts.reduce((s, n) => s + n, 0) * 100)).toBe(c.body.totals.claimedFen);
      // Audited: the claim's reads and decisions.
      const audit = await p.ctx.db.rows<{ action: string }>(sql`SELECT action FROM platform.audit_log WHERE entity_id = ${c.body.id}`);
      expect(audit.map((r) => r.action)).toEqual(expect.arrayContaining(['care.claim.build', 'care.claim.decide', 'care.claim.finish', 'care.claim.appeal', 'care.claim.export']));
      void addDays;
      void HOUR;
    });
  });
}
