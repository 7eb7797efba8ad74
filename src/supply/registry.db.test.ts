// The supply registry over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL: a
// provider registers (统一社会信用代码 checked), files a facility, an officer approves it; rooms
// and beds; a bed status change updates the vacancy, writes the history, the change feed, the
// audit log and `supply.vacancy_changed`; the public directory shows it at once; providers touch
// only their own, officers only their scope; planning ratios and coverage follow the registry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { usccCheckChar } from './model.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`supply registry (${backend})`, () => {
    let p: TestPlatform;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (user: string | null, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const headers: Record<string, string> = user ? { authorization: `Bearer ${await p.token(user)}` } : {};
      const r = await p.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const body17 = '52310115MJ0000001';
    const uscc = body17 + usccCheckChar(body17);
    let providerId = '';
    let facilityId = '';
    const facility = {
      name: '测试长者照护之家', typeCode: 'care_home', ownership: 'public_private', regionCode: '310115004', address: '潍坊路 1 号', lon: 121.53, lat: 31.22,
      phone: '021-58880000', functions: ['institutional_care', 'short_stay'], floorAreaM2: 800,
      prices: [{ item: '床位费', category: 'bed', unit: 'month', fen: 250_000 }, { item: '伙食费', category: 'board', unit: 'month', fen: 100_000 }, { item: '护理费', category: 'care', unit: 'month', fen: 150_000 }],
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 60 });
      const { upsertUser } = await import('../platform/auth.ts');
      await upsertUser(p.ctx.db, { username: 'provider.b', displayName: '另一家机构', role: 'provider', regionCode: '310115', password: 'Yiyang-demo-2026' });
    });
    afterAll(async () => {
      await p?.close();
    });

    it('a provider registers with a checked 统一社会信用代码; a wrong check character is refused with the reason; a code is registered once', async () => {
      const bad = await call('provider', 'POST', '/api/v1/supply/providers', { name: '测试养老服务社', uscc: uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0'), legalRepresentative: '张三', kind: 'social_org', phone: '021-1' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('SUPPLY_USCC_INVALID');
      expect(bad.body.error.message).toContain('校验位');
      const ok = await call('provider', 'POST', '/api/v1/supply/providers', { name: '测试养老服务社', uscc: uscc.toLowerCase(), legalRepresentative: '张三', kind: 'social_org', phone: '021-58880000' });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ uscc, filingStatus: 'draft', regionCode: '310115' });
      providerId = ok.body.id;
      const again = await call('provider.b', 'POST', '/api/v1/supply/providers', { name: '冒用', uscc, legalRepresentative: '李四', kind: 'enterprise', phone: '021-2' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('SUPPLY_PROVIDER_EXISTS');
    });

    it('the facility goes draft → submitted → approved; only an officer approves, and a rejection needs a reason', async () => {
      const created = await call('provider', 'POST', '/api/v1/supply/facilities', facility);
      expect(created.status).toBe(201);
      facilityId = created.body.id;
      expect(created.body).toMatchObject({ status: 'draft', providerId, typeName: '长者照护之家', residential: true });
      expect((await call(null, 'GET', `/api/v1/services/facilities/${facilityId}`)).status).toBe(404); // not public before it is filed
      expect((await call('provider', 'POST', `/api/v1/supply/facilities/${facilityId}/submit`, {})).body.status).toBe('submitted');
      expect((await call('provider', 'POST', `/api/v1/supply/facilities/${facilityId}/approve`, {})).status).toBe(403);
      const noReason = await call('officer.pudong', 'POST', `/api/v1/supply/facilities/${facilityId}/reject`, {});
      expect(noReason.status).toBe(400);
      const queue = await call('officer.pudong', 'GET', '/api/v1/supply/review');
      expect(queue.body.facilities.map((f: Body) => f.id)).toContain(facilityId);
      expect((await call('officer.huangpu', 'GET', '/api/v1/supply/review')).body.facilities.map((f: Body) => f.id)).not.toContain(facilityId);
      expect((await call('officer.huangpu', 'POST', `/api/v1/supply/facilities/${facilityId}/approve`, {})).status).toBe(404);
      const approved = await call('officer.pudong', 'POST', `/api/v1/supply/facilities/${facilityId}/approve`, {});
      expect(approved.body.status).toBe('approved');
      expect((await call('officer.pudong', 'POST', `/api/v1/supply/facilities/${facilityId}/approve`, {})).status).toBe(409);
    });

    it('another provider can neither read nor change it', async () => {
      expect((await call('provider.b', 'GET', `/api/v1/supply/facilities/${facilityId}`)).status).toBe(403);
      expect((await call('provider.b', 'PATCH', `/api/v1/supply/facilities/${facilityId}/beds`, { changes: [] })).status).toBe(403);
      expect((await call('provider.b', 'GET', '/api/v1/supply/changes')).body.items).toEqual([]);
    });

    it('rooms and beds: a status change updates the vacancy, the history, the change feed, the audit log, and emits supply.vacancy_changed', async () => {
      const room = await call('provider', 'POST', `/api/v1/supply/facilities/${facilityId}/rooms`, { name: '101', floor: 1, beds: [{ kind: 'nursing', basicGuarantee: false }, { kind: 'nursing' }, { kind: 'cognitive' }] });
      expect(room.status).toBe(201);
      expect(room.body.beds).toMatchObject({ total: 3, vacant: 3 });
      const bed = room.body.bedList[0];
      const changed = await call('provider', 'PATCH', `/api/v1/supply/facilities/${facilityId}/beds`, { changes: [{ bedId: bed.id, status: 'occupied', note: '入住' }, { bedId: room.body.bedList[2].id, status: 'out_of_service' }] });
      expect(changed.body.changed).toBe(2);
      expect(changed.body.facility.beds).toMatchObject({ total: 2, vacant: 1, occupied: 1, outOfService: 1, byKind: { nursing: { total: 2, vacant: 1 }, cognitive: { total: 0, vacant: 0 } } });
      // setting the same status again changes nothing
      expect((await call('provider', 'PATCH', `/api/v1/supply/facilities/${facilityId}/beds`, { changes: [{ bedId: bed.id, status: 'occupied' }] })).body.changed).toBe(0);
      const history = await call('provider', 'GET', `/api/v1/supply/facilities/${facilityId}/bed-history?bedId=${bed.id}`);
      expect(history.body.items.map((e: Body) => [e.fromName, e.toName, e.note])).toEqual([['空闲', '已入住', '入住'], [null, '空闲', '新增床位']]);
      const events = await p.ctx.db.rows<{ payload: Body }>(sql`SELECT payload FROM platform.outbox WHERE topic = 'supply.vacancy_changed' ORDER BY created_at`);
      expect(events.at(-1)!.payload).toMatchObject({ facilityId, total: 2, vacant: 1, byKind: { nursing: { total: 2, vacant: 1 } } });
      const feed = await call('officer.pudong', 'GET', `/api/v1/supply/changes?facilityId=${facilityId}`);
      expect(feed.body.items.map((c: Body) => c.kind)).toEqual(expect.arrayContaining(['facility.created', 'facility.submitted', 'facility.approved', 'beds.changed']));
      const audit = await p.ctx.db.rows<{ action: string }>(sql`SELECT action FROM platform.audit_log WHERE entity_id = ${facilityId} ORDER BY seq`);
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['supply.facility.create', 'supply.facility.approved', 'supply.beds.update']));
    });

    it('the public directory shows the change at once: vacancy, its confirmation time, price and own share', async () => {
      const found = await call(null, 'GET', '/api/v1/services/search?q=测试长者照护之家&vacancy=true');
      expect(found.body.total).toBe(1);
      const card = found.body.items[0];
      expect(card).toMatchObject({ id: facilityId, beds: { total: 2, vacant: 1 }, vacancyStale: false, vacancyDays: 0, priceFrom: { fen: 500_000, unit: 'month' } });
      const near = await call(null, 'GET', `/api/v1/services/facilities/${facilityId}?near=121.53,31.23&nearLabel=潍坊新村街道`);
      expect(near.body.route.text).toContain('从潍坊新村街道向南方向');
      const share = await call(null, 'GET', `/api/v1/services/facilities/${facilityId}/own-share?grade=3&insurance=employee`);
      expect(share.status).toBe(200);
      expect(share.body.eligible).toBe(true);
      expect(share.body.monthly.priceFen).toBe(500_000);
      expect(share.body.monthly.insuranceFen).toBeGreaterThan(0);
      expect(share.body.monthly.insuranceFen).toBeLessThanOrEqual(150_000);
      expect(share.body.citations.length).toBeGreaterThan(0);
      // all beds taken: gone from the vacancy search
      const all = (await call('provider', 'GET', `/api/v1/supply/facilities/${facilityId}`)).body.bedList as Body[];
      await call('provider', 'PATCH', `/api/v1/supply/facilities/${facilityId}/beds`, { changes: all.filter((b) => b.status === 'vacant').map((b) => ({ bedId: b.id, status: 'reserved' })) });
      expect((await call(null, 'GET', '/api/v1/services/search?q=测试长者照护之家&vacancy=true')).body.total).toBe(0);
    });

    it('an SMS goes to a valid mobile number only, stored encrypted and masked; a number gets a limited number of texts an hour', async () => {
      const bad = await call(null, 'POST', '/api/v1/services/share', { facilityIds: [facilityId], phone: '12345' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('手机号码');
      const ok = await call(null, 'POST', '/api/v1/services/share', { facilityIds: [facilityId], phone: '+86 139-0013-9000' });
      expect(ok.body).toMatchObject({ sent: true, to: '139****9000' });
      expect(ok.body.text).toContain('测试长者照护之家');
      const stored = await p.ctx.db.rows<{ phone_enc: string; phone_mask: string }>(sql`SELECT phone_enc, phone_mask FROM platform.sms_message`);
      expect(stored.at(-1)!.phone_mask).toBe('139****9000');
      expect(stored.at(-1)!.phone_enc).not.toContain('13900139000');
      let last = 200;
      for (let i = 0; i < 6 && last === 200; i++) last = (await call(null, 'POST', '/api/v1/services/share', { facilityIds: [facilityId], phone: '13900139000' })).status;
      expect(last).toBe(429);
    });

    it('planning ratios count the approved registry against the reference population', async () => {
      const before = await call('officer.pudong', 'GET', '/api/v1/supply/planning?district=310115');
      const street = (b: Body) => b.streets.find((s: Body) => s.code === '310115004');
      expect(street(before.body).population).toBeNull();
      const imported = await call('officer.pudong', 'POST', '/api/v1/supply/population', { rows: [{ regionCode: '310115004', year: 2026, registered60: 1000, registered65: 800, resident: 10_000, source: '测试' }] });
      expect(imported.body.imported).toBe(1);
      const after = await call('officer.pudong', 'GET', '/api/v1/supply/planning?district=310115&asOf=2026-11-29');
      const beds = street(after.body).ratios.find((r: Body) => r.code === 'beds_pct_registered_elders');
      // 3 beds, 1 out of service: 2 in service of 1,000 registered elders = 0.2 % against Pudong streets' 2.5 %: 23 beds short
      expect(beds).toMatchObject({ value: 0.2, numerator: 2, met: false, gap: 23, target: { value: 2.5 } });
      expect((await call('officer.huangpu', 'GET', '/api/v1/supply/planning?district=310115')).status).toBe(404);
    });
  });
}

describe('the same code for another jurisdiction (上虞区, one district)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('pglite', { people: 300, supply: true, env: { YIYANG_JURISDICTION: 'shangyu' }, clock: () => new Date('2026-06-01T02:00:00Z') });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('its demo supply, its own targets (S004: beds per 10,000 elders, 110 in 2026), its streets and walking network', async () => {
    const token = await p.token('officer');
    const planning = (await p.app.inject({ method: 'GET', url: '/api/v1/supply/planning?district=330604', headers: { authorization: `Bearer ${token}` } })).json() as { districts: { code: string; ratios: { code: string; value: number | null; target: { value: number } | null }[] }[]; streets: unknown[] };
    expect(planning.districts.map((d) => d.code)).toEqual(['330604']);
    const perTenK = planning.districts[0]!.ratios.find((r) => r.code === 'beds_per_10k_elders')!;
    expect(perTenK.target?.value).toBe(110);
    expect(perTenK.value).toBeGreaterThan(0);
    expect(planning.districts[0]!.ratios.find((r) => r.code === 'beds_pct_registered_elders')!.target).toBeNull(); // Shanghai's ratios do not apply
    expect(planning.streets.length).toBeGreaterThan(10);
    const cover = (await p.app.inject({ method: 'GET', url: '/api/v1/supply/coverage?district=330604&function=meals', headers: { authorization: `Bearer ${token}` } })).json() as { total: number; share: number; byStreet: unknown[] };
    expect(cover.total).toBeGreaterThan(0);
    expect(cover.share).toBeGreaterThan(0);
    expect(cover.byStreet.length).toBeGreaterThan(10);
  });
});
