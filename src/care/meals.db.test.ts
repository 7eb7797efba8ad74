// Community meals end to end over HTTP (issue 8 §7), on PGlite and (when TEST_DATABASE_URL is
// set) PostgreSQL: the public rules and points; menus published by the point's provider or an
// officer in scope (not another provider's point, not outside the scope, not a past day); orders
// by a family (linked people only) and an advisor (in scope), priced with the subsidy in force on
// the meal's date and explained; delivery needs the menu's delivery and an address, stored
// encrypted and shown masked; one meal per person and meal; one subsidised meal a day; the daily
// capacity under concurrent orders (no overbooking); the cut-off for ordering and cancelling; the
// point's day (masked) and the audited delivery sheet; served and delivered; the daily counts per
// point for officers in scope, with row-level security as the second wall; every change audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, ageOn, localDateOf, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { linkUser } from '../people/index.ts';
import { userIdOf } from '../platform/auth.ts';
import { sql } from '../platform/db.ts';
import { usccCheckChar } from '../supply/index.ts';
import { mealPorts } from '../app.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`community meals (${backend})`, () => {
    let p: TestPlatform;
    // Thursday 3 December 2026, 07:00 in Shanghai: lunch orders close at 09:00.
    let now = new Date('2026-12-02T23:00:00Z');
    const today = '2026-12-03' as LocalDate;
    const tomorrow = addDays(today, 1);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (user: string | null, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const headers: Record<string, string> = user ? { authorization: `Bearer ${await p.token(user)}` } : {};
      const r = await p.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const audits = async (action: string) => p.ctx.db.rows<{ actor_role: string; entity_id: string; details: Body }>(sql`SELECT actor_role, entity_id, details FROM platform.audit_log WHERE action = ${action} ORDER BY seq`);
    const point = { A: '', B: '', C: '' };
    const people = { poor: '', old: '', graded: '', young: '', huangpu: '' };
    let others: string[] = [];
    const lunch = { dishes: [{ name: '红烧肉' }, { name: '清炒青菜' }, { name: '番茄蛋汤', note: '少盐' }], priceFen: 1500, delivery: true, deliveryFeeFen: 300 };
    const menu = (id: string, date: string, meal: string, body: Body = lunch, user = 'provider') => call(user, 'PUT', `/api/v1/meals/points/${id}/menus/${date}/${meal}`, body);
    const order = (user: string, body: Body) => call(user, 'POST', '/api/v1/meals/orders', body);

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 400, clock: () => now, env: { YIYANG_SESSION_IDLE_MINUTES: String(60 * 24 * 30) } });
      // A caterer registers (its account is linked to it) and files a canteen in 潍坊新村街道 with room for 3 meals a day; 浦东's officer approves it.
      const body17 = '52310115MJ0000017';
      const prov = await call('provider', 'POST', '/api/v1/supply/providers', { name: '测试助餐服务社', uscc: body17 + usccCheckChar(body17), legalRepresentative: '王五', kind: 'social_org', phone: '021-58880017' });
      expect(prov.status, JSON.stringify(prov.body)).toBe(201);
      const facility = { typeCode: 'canteen', ownership: 'public_private', regionCode: '310115004', address: '浦东新区潍坊路 1 号', lon: 121.53, lat: 31.22, phone: '021-58880018', functions: ['dine_in', 'meal_delivery'] };
      const a = await call('provider', 'POST', '/api/v1/supply/facilities', { ...facility, name: '潍坊测试长者食堂', mealCapacity: 3 });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect((await call('provider', 'POST', `/api/v1/supply/facilities/${a.body.id}/submit`, {})).status).toBe(200);
      expect((await call('officer.pudong', 'POST', `/api/v1/supply/facilities/${a.body.id}/approve`, {})).status).toBe(200);
      point.A = a.body.id;
      // The same caterer's point in 黄浦 (entered by the city officer), and another operator's point in 黄浦.
      const b = await call('officer', 'POST', '/api/v1/supply/facilities', { ...facility, providerId: prov.body.id, name: '黄浦测试助餐点', typeCode: 'meal_point', regionCode: '310101002', address: '黄浦区测试路 2 号', lon: 121.48, lat: 31.24, mealCapacity: 50 });
      expect(b.status, JSON.stringify(b.body)).toBe(201);
      point.B = b.body.id;
      const other17 = '52310101MJ0000019';
      const other = await call('officer', 'POST', '/api/v1/supply/providers', { name: '另一家助餐社', uscc: other17 + usccCheckChar(other17), legalRepresentative: '赵六', kind: 'social_org', phone: '021-63330019', regionCode: '310101' });
      expect(other.status, JSON.stringify(other.body)).toBe(201);
      const c = await call('officer', 'POST', '/api/v1/supply/facilities', { ...facility, providerId: other.body.id, name: '另一家助餐点', typeCode: 'meal_point', regionCode: '310101002', address: '黄浦区测试路 3 号', lon: 121.481, lat: 31.241, mealCapacity: 50 });
      point.C = c.body.id;

      // The people: registered by the 浦东 officer with known facts; a care grade 2 for one (a fixture row, as an agency's import would write).
      let seq = 71;
      const person = async (name: string, age: number, economicStatus: string, district = '310115') => {
        const r = await call(district === '310115' ? 'officer.pudong' : 'officer.huangpu', 'POST', '/api/v1/people', {
          name, idNumber: makeIdNumber(district, addYears(addDays(today, -10), -age), seq++, 'F'), regionCode: district === '310115' ? '310115004' : '310101002', hukouDistrictCode: district, insuranceType: 'resident', economicStatus,
        });
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        return r.body.id as string;
      };
      people.poor = await person('助餐低保', 78, 'dibao');
      people.old = await person('助餐高龄', 85, 'none');
      people.graded = await person('助餐失能', 70, 'none');
      people.young = await person('助餐五九', 59, 'none');
      people.huangpu = await person('黄浦老人', 75, 'none', '310101');
      await p.ctx.db.tx((q) => q.run(sql`INSERT INTO assessment.care_grade (district_code, id, person_id, region_code, grade, outcome, agency_code, assessed_on, valid_from, valid_until, source, record, record_hash, key_id)
        VALUES ('310115', ${newId()}::uuid, ${people.graded}::uuid, '310115004', 2, 'grade', 'TEST', '2026-06-01', '2026-06-01', '2028-05-31', 'api', '{}'::jsonb, ${`meals-test-${backend}`}, 'test')`), { asAppRole: false });
      // The demo citizen is family of the first three.
      const citizen = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
      for (const id of [people.poor, people.old, people.graded]) await p.ctx.db.tx((q) => linkUser(q, citizen!, id, '310115', 'family'), { asAppRole: false });
      // Eight more living 浦东 people of the demo register for the rush on the last meals.
      others = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL AND deleted_at IS NULL AND name NOT LIKE '助餐%' ORDER BY id LIMIT 8`)).map((r) => r.id);
      expect(others).toHaveLength(8);
    });
    afterAll(async () => {
      await p?.close();
    });

    it('publishes its rules and the meal points without a login', async () => {
      const r = await call(null, 'GET', '/api/v1/meals/rules');
      expect(r.status).toBe(200);
      expect(r.body.dineIn[0]).toBe('60 岁及以上经济困难老人（低保、低收入、特困）：每餐补贴 6.00 元');
      expect(r.body.cutoffs.map((c: Body) => c.text)).toContain('午餐：用餐当天 09:00 前可以订餐或退订');
      expect(r.body.parameters.map((x: Body) => x.name)).toContain('minSpendFen');
      const list = await call(null, 'GET', '/api/v1/meals/points?region=310115004&lon=121.53&lat=31.22');
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body.items[0]).toMatchObject({ id: point.A, name: '潍坊测试长者食堂', typeName: '社区长者食堂', capacity: 3, left: 3, distanceM: 0, menus: [] });
      expect((await call(null, 'GET', `/api/v1/meals/points/${point.B}`)).body.days).toHaveLength(8);
    });

    it('the point’s provider or an officer in scope publishes a day’s menu; not another provider’s point, not out of scope, not a past day', async () => {
      const r = await menu(point.A, today, 'lunch');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.meals[0]).toMatchObject({ meal: 'lunch', mealName: '午餐', menu: { priceFen: 1500, delivery: true, deliveryFeeFen: 300, open: true, cutoff: '2026-12-03T01:00:00.000Z' } });
      expect(r.body.meals[0].menu.dishes[2]).toEqual({ name: '番茄蛋汤', note: '少盐' });
      // Dinner without delivery, by the 浦东 officer.
      expect((await menu(point.A, today, 'dinner', { ...lunch, priceFen: 1600, delivery: false }, 'officer.pudong')).status).toBe(200);
      for (const d of [tomorrow, addDays(today, 2), addDays(today, 3)]) expect((await menu(point.A, d, 'lunch')).status).toBe(200);
      expect((await menu(point.B, tomorrow, 'lunch')).status).toBe(200);
      expect((await menu(point.C, tomorrow, 'lunch')).body.error.code).toBe('MEALS_NOT_YOUR_POINT');
      expect((await menu(point.A, tomorrow, 'lunch', lunch, 'officer.huangpu')).status).toBe(404);
      expect((await menu(point.A, addDays(today, -1), 'lunch')).status).toBe(400);
      expect((await menu(point.A, tomorrow, 'lunch', { ...lunch, priceFen: 12.5 })).status).toBe(400);
      expect((await menu(point.A, tomorrow, 'lunch', lunch, 'citizen')).status).toBe(403);
      expect((await audits('meals.menu.publish')).map((a) => a.actor_role)).toEqual(['provider', 'officer', 'provider', 'provider', 'provider', 'provider']);
      const list = await call(null, 'GET', '/api/v1/meals/points?region=310115004');
      expect(list.body.items.find((x: Body) => x.id === point.A).menus.map((m: Body) => m.mealName)).toEqual(['午餐', '晚餐']);
    });

    it('a family orders dine-in for a linked person: the 低保 subsidy of the meal’s date, every figure explained; not for anyone else; once per meal', async () => {
      const r = await order('citizen', { personId: people.poor, facilityId: point.A, date: tomorrow, meal: 'lunch', mode: 'dine_in' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ personName: '助餐低保', relation: '家属', status: 'ordered', statusName: '已预订', mealFen: 1500, deliveryFeeFen: 0, priceFen: 1500, subsidyFen: 600, paysFen: 900, subsidyGroup: 'low_income_60', canCancel: true });
      expect(r.body.figures.map((f: Body) => [f.figure, f.fen])).toEqual([['price', 1500], ['subsidy', 600], ['pays', 900]]);
      expect(r.body.figures[1].text).toContain('78 岁、低保');
      const row = await p.ctx.db.one<Body>(sql`SELECT price_fen, subsidy_fen, pays_fen, parameter_version, ordered_role, relation FROM care.meal_order WHERE id = ${r.body.id}::uuid`);
      expect(row).toMatchObject({ price_fen: 1500, subsidy_fen: 600, pays_fen: 900, parameter_version: '2026-12-01', ordered_role: 'citizen', relation: '家属' });
      expect((await audits('meals.order.create')).at(-1)).toMatchObject({ actor_role: 'citizen', entity_id: r.body.id, details: { subsidyFen: 600, paysFen: 900 } });

      const again = await order('citizen', { personId: people.poor, facilityId: point.A, date: tomorrow, meal: 'lunch', mode: 'dine_in' });
      expect([again.status, again.body.error.code]).toEqual([409, 'MEALS_ALREADY_ORDERED']);
      // Not linked to the citizen: as if it did not exist.
      expect((await order('citizen', { personId: people.young, facilityId: point.A, date: tomorrow, meal: 'lunch', mode: 'dine_in' })).status).toBe(404);
      // The quote tells the same figures without ordering.
      const quote = await call('citizen', 'POST', '/api/v1/meals/quote', { personId: people.old, facilityId: point.A, date: tomorrow, meal: 'lunch', mode: 'dine_in' });
      expect(quote.body).toMatchObject({ priceFen: 1500, subsidyFen: 300, paysFen: 1200, subsidyGroup: 'age_80', leftAfter: 1 });
      expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_order WHERE person_id = ${people.old}::uuid`))!.n).toBe(0);
    });

    it('an advisor orders for people in scope (代办), not outside it; a 59-year-old gets no subsidy and is told why', async () => {
      const r = await order('advisor', { personId: people.young, facilityId: point.A, date: tomorrow, meal: 'lunch', mode: 'dine_in' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ relation: '代办', subsidyFen: 0, paysFen: 1500, subsidyGroup: null });
      expect(r.body.figures[1].text).toContain('59 岁、非经济困难、无照护等级，不在堂食补贴范围内');
      expect((await order('advisor', { personId: people.huangpu, facilityId: point.B, date: tomorrow, meal: 'lunch', mode: 'dine_in' })).status).toBe(404);
      expect((await order('officer.huangpu', { personId: people.huangpu, facilityId: point.B, date: tomorrow, meal: 'lunch', mode: 'dine_in' })).status).toBe(201);
      expect((await order('provider', { personId: people.young, facilityId: point.A, date: tomorrow, meal: 'dinner', mode: 'dine_in' })).status).toBe(403);
    });

    it('delivery: only where the menu offers it, with an address; the address is stored encrypted and shown masked; grade 2 gets the delivery subsidy', async () => {
      const noDelivery = await order('citizen', { personId: people.graded, facilityId: point.A, date: today, meal: 'dinner', mode: 'delivery', deliveryAddress: '浦东新区潍坊路 100 弄 5 号 302 室' });
      expect([noDelivery.status, noDelivery.body.error.code]).toEqual([409, 'MEALS_NO_DELIVERY']);
      const noAddress = await order('citizen', { personId: people.graded, facilityId: point.A, date: today, meal: 'lunch', mode: 'delivery' });
      expect([noAddress.status, noAddress.body.error.details[0].path]).toEqual([400, 'deliveryAddress']);
      const r = await order('citizen', { personId: people.graded, facilityId: point.A, date: today, meal: 'lunch', mode: 'delivery', deliveryAddress: '浦东新区潍坊路 100 弄 5 号 302 室', contactPhone: '13912345678' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ mode: 'delivery', modeName: '送餐上门', priceFen: 1800, subsidyFen: 400, paysFen: 1400, subsidyGroup: 'grade2_60', deliveryAddressMasked: '浦东新区潍坊路 ***************', contactPhoneMasked: '139****5678' });
      expect(r.body.figures[0].text).toBe('午餐 15.00 元 + 送餐费 3.00 元 = 18.00 元');
      const stored = await p.ctx.db.one<{ a: string; ph: string }>(sql`SELECT delivery_address_enc AS a, contact_phone_enc AS ph FROM care.meal_order WHERE id = ${r.body.id}::uuid`);
      expect(stored!.a).not.toContain('302');
      expect(stored!.ph).not.toContain('5678');
      // The same person's dinner that day (dine-in): one subsidised meal a day.
      const dinner = await order('citizen', { personId: people.graded, facilityId: point.A, date: today, meal: 'dinner', mode: 'dine_in' });
      expect(dinner.body).toMatchObject({ priceFen: 1600, subsidyFen: 0, paysFen: 1600 });
      expect(dinner.body.figures[1].text).toContain('每人每天限 1 餐');
    });

    it('the daily capacity holds under concurrent orders: of eight at once for the last two meals, exactly two succeed', async () => {
      const day = addDays(today, 3);
      expect((await order('advisor', { personId: people.poor, facilityId: point.A, date: day, meal: 'lunch', mode: 'dine_in' })).status).toBe(201);
      const answers = await Promise.all(others.map((id) => order('advisor', { personId: id, facilityId: point.A, date: day, meal: 'lunch', mode: 'dine_in' })));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
      const refused = answers.filter((a) => a.status !== 201);
      expect(refused.map((a) => a.body.error.code)).toEqual(Array(6).fill('MEALS_FULL'));
      expect(refused[0]!.body.error.message).toContain('3 份餐已订满');
      expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_order WHERE facility_id = ${point.A}::uuid AND meal_date = ${day}::date AND status <> 'cancelled'`))!.n).toBe(3);
      const pub = await call(null, 'GET', `/api/v1/meals/points/${point.A}`);
      expect(pub.body.days.find((d: Body) => d.date === day)).toMatchObject({ taken: 3, left: 0 });
    });

    it('the cut-off: before 09:00 lunch can be cancelled; from 09:00 neither ordered nor cancelled, while dinner still can', async () => {
      const r = await order('citizen', { personId: people.old, facilityId: point.A, date: today, meal: 'lunch', mode: 'dine_in' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      now = new Date('2026-12-03T00:59:59Z');
      const cancelled = await call('citizen', 'POST', `/api/v1/meals/orders/${r.body.id}/cancel`, { reason: '临时去医院' });
      expect(cancelled.body).toMatchObject({ status: 'cancelled', statusName: '已取消', cancelReason: '临时去医院', canCancel: false });
      expect((await audits('meals.order.cancel')).at(-1)).toMatchObject({ actor_role: 'citizen', details: { reason: '临时去医院' } });
      now = new Date('2026-12-03T01:00:00Z');
      const late = await order('citizen', { personId: people.old, facilityId: point.A, date: today, meal: 'lunch', mode: 'dine_in' });
      expect([late.status, late.body.error.code]).toEqual([409, 'MEALS_ORDER_CLOSED']);
      expect(late.body.error.message).toContain('用餐当天 09:00');
      const lunchOrder = (await call('citizen', 'GET', '/api/v1/meals/mine')).body.orders.find((o: Body) => o.personId === people.graded && o.meal === 'lunch');
      expect(lunchOrder.canCancel).toBe(false);
      const tooLate = await call('citizen', 'POST', `/api/v1/meals/orders/${lunchOrder.id}/cancel`, {});
      expect([tooLate.status, tooLate.body.error.code]).toEqual([409, 'MEALS_ORDER_CLOSED']);
      expect((await order('citizen', { personId: people.old, facilityId: point.A, date: today, meal: 'dinner', mode: 'dine_in' })).status).toBe(201);
      // Someone else's order cannot be cancelled by the citizen.
      const advisorOrder = (await call('advisor', 'GET', `/api/v1/meals/orders?personId=${people.young}`)).body.orders[0];
      expect((await call('citizen', 'POST', `/api/v1/meals/orders/${advisorOrder.id}/cancel`, {})).status).toBe(404);
    });

    it('the point’s day: orders per meal with names masked, the delivery list masked; the full sheet with a purpose, audited; mark served and delivered', async () => {
      const day = await call('provider', 'GET', `/api/v1/meals/points/${point.A}/day?date=${today}`);
      expect(day.status, JSON.stringify(day.body)).toBe(200);
      expect(day.body).toMatchObject({ capacity: 3, taken: 3, left: 0, counts: { ordered: 3, dineIn: 2, delivery: 1, cancelled: 1 } });
      const lunchOrders = day.body.meals.find((m: Body) => m.meal === 'lunch').orders as Body[];
      expect(lunchOrders.map((o) => o.personNameMasked).sort()).toEqual(['助***', '助***']);
      expect(day.body.delivery).toHaveLength(1);
      expect(day.body.delivery[0]).toMatchObject({ addressMasked: '浦东新区潍坊路 ***************', phoneMasked: '139****5678', canServe: true });
      expect((await audits('meals.day.read')).at(-1)).toMatchObject({ actor_role: 'provider', entity_id: point.A, details: { date: today, orders: 4 } });
      expect((await call('officer.huangpu', 'GET', `/api/v1/meals/points/${point.A}/day?date=${today}`)).status).toBe(404);

      expect((await call('provider', 'POST', `/api/v1/meals/points/${point.A}/delivery-sheet`, { date: today, purpose: '' })).status).toBe(400);
      const sheet = await call('provider', 'POST', `/api/v1/meals/points/${point.A}/delivery-sheet`, { date: today, purpose: '午餐送餐' });
      expect(sheet.body.items).toEqual([expect.objectContaining({ personName: '助餐失能', address: '浦东新区潍坊路 100 弄 5 号 302 室', phone: '13912345678', mealName: '午餐' })]);
      expect((await audits('meals.delivery_sheet.read')).at(-1)).toMatchObject({ actor_role: 'provider', details: { purpose: '午餐送餐', date: today } });

      const delivered = await call('provider', 'POST', `/api/v1/meals/orders/${day.body.delivery[0].id}/serve`, {});
      expect(delivered.body).toMatchObject({ status: 'delivered', statusName: '已送达' });
      const dineIn = day.body.meals.find((m: Body) => m.meal === 'dinner').orders.find((o: Body) => o.status === 'ordered');
      expect((await call('officer.pudong', 'POST', `/api/v1/meals/orders/${dineIn.id}/serve`, {})).body.status).toBe('served');
      expect((await call('provider', 'POST', `/api/v1/meals/orders/${dineIn.id}/serve`, {})).body.error.code).toBe('MEALS_ILLEGAL_TRANSITION');
      const future = (await call('advisor', 'GET', `/api/v1/meals/orders?personId=${people.young}`)).body.orders.find((o: Body) => o.date === tomorrow);
      expect((await call('provider', 'POST', `/api/v1/meals/orders/${future.id}/serve`, {})).body.error.message).toContain('还没到用餐日期');
      expect((await audits('meals.order.serve')).map((a) => a.details.status)).toEqual(['delivered', 'served']);
      // The family sees it.
      const mine = await call('citizen', 'GET', '/api/v1/meals/mine');
      expect(mine.body.orders.find((o: Body) => o.id === day.body.delivery[0].id).statusName).toBe('已送达');
      expect(mine.body.people.find((x: Body) => x.personId === people.graded)).toMatchObject({ careGrade: 2, subsidy: { dineIn: { fen: 200 }, delivery: { fen: 400 } } });
    });

    it('a changed menu keeps the prices of orders already placed', async () => {
      expect((await menu(point.A, tomorrow, 'lunch', { ...lunch, priceFen: 2000 })).status).toBe(200);
      const o = (await call('citizen', 'GET', '/api/v1/meals/mine')).body.orders.find((x: Body) => x.personId === people.poor && x.date === tomorrow);
      expect([o.priceFen, o.subsidyFen, o.paysFen]).toEqual([1500, 600, 900]);
      expect((await audits('meals.menu.update')).length).toBe(1);
    });

    it('daily counts per point for officers in scope; row-level security hides other districts’ orders', async () => {
      const q = `from=${today}&to=${addDays(today, 3)}`;
      const pudong = await call('officer.pudong', 'GET', `/api/v1/meals/daily-counts?${q}`);
      expect(pudong.status, JSON.stringify(pudong.body)).toBe(200);
      const todayA = pudong.body.items.find((i: Body) => i.facilityId === point.A && i.date === today);
      expect(todayA).toMatchObject({ facilityName: '潍坊测试长者食堂', districtName: '浦东新区', capacity: 3, ordered: 3, dineIn: 2, delivery: 1, served: 2, dineInServed: 1, delivered: 1, open: 1, cancelled: 1, subsidyFen: 700 });
      expect(pudong.body.items.find((i: Body) => i.facilityId === point.A && i.date === addDays(today, 3))).toMatchObject({ ordered: 3, served: 0 });
      expect(pudong.body.days.find((d: Body) => d.date === today)).toMatchObject({ ordered: 3, served: 2 });
      const huangpu = await call('officer.huangpu', 'GET', `/api/v1/meals/daily-counts?${q}`);
      expect(huangpu.body.items.map((i: Body) => i.facilityId)).not.toContain(point.A);
      expect(pudong.body.items.map((i: Body) => i.facilityId)).not.toContain(point.B);
      const city = await call('officer', 'GET', `/api/v1/meals/daily-counts?${q}&district=310101`);
      expect(city.body.items.map((i: Body) => [i.facilityId, i.date, i.ordered])).toEqual([[point.B, tomorrow, 1]]);
      expect((await call('officer', 'GET', `/api/v1/meals/daily-counts?from=${today}&to=${addDays(today, -1)}`)).status).toBe(400);
      expect((await call('citizen', 'GET', `/api/v1/meals/daily-counts?${q}`)).status).toBe(403);
      expect((await call('provider', 'GET', `/api/v1/meals/daily-counts?${q}`)).status).toBe(403);
      // The second wall: as the application role under 黄浦's scope, 浦东 orders of 浦东 people are not there at all.
      const seen = await p.ctx.db.tx((q2) => q2.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_order WHERE facility_id = ${point.A}::uuid`), { scope: '310101', asAppRole: true });
      expect(seen!.n).toBe(0);
      const own = await p.ctx.db.tx((q2) => q2.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_order WHERE facility_id = ${point.A}::uuid`), { scope: '310115', asAppRole: true });
      expect(own!.n).toBeGreaterThan(0);
    });

    it('the ports read the register as the rules need it: age on the meal’s date, grade in force, economic status', async () => {
      const facts = await p.ctx.db.tx((q) => mealPorts(p.ctx).people(q, [people.poor, people.graded], today), { asAppRole: false });
      expect(ageOn(facts.get(people.poor)!.birthDate as LocalDate, today)).toBe(78);
      expect(facts.get(people.poor)).toMatchObject({ economicStatus: 'dibao', careGrade: null, districtCode: '310115', deceased: false });
      expect(facts.get(people.graded)!.careGrade).toBe(2);
      expect(localDateOf(now)).toBe(today);
    });
  });
}
