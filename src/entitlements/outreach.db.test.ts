// 政策找人 and 免申即享 over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL: per
// street, the people who qualify but neither receive nor have applied, with why; a bulk grant
// where the scheme allows it (each person re-checked); an advisor asked to visit; applications
// recorded at the counter take people off the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { startEntitlementSweeps } from '../app.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`政策找人 (${backend})`, () => {
    let p: TestPlatform;
    let officer: string;
    let advisor: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      await startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 }).done;
      officer = await p.token('officer.pudong');
      advisor = await p.token('advisor');
    });
    afterAll(async () => {
      await p?.close();
    });

    it('lists, per street, the people in scope who qualify for the allowance and have not claimed it, with why', async () => {
      const r = await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=200');
      expect(r.status).toBe(200);
      const eligible = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM entitlements.person_entitlement WHERE allowance_fen > 0 AND region_code LIKE '310115%'`))!.n;
      expect(r.body.total).toBe(eligible);
      expect(r.body.total).toBeGreaterThan(0);
      expect(r.body.byStreet.reduce((s: number, x: Body) => s + x.count, 0)).toBe(r.body.total);
      expect(r.body.byStreet.every((x: Body) => x.streetCode.startsWith('310115') && /街道|镇|区/.test(x.streetName))).toBe(true);
      expect(r.body.noApplicationGrant).toBe(true);
      const first = r.body.items[0];
      expect(first.name.length).toBeGreaterThan(0);
      expect(first.reason).toMatch(/本市户籍，\d+ 周岁（\d+(-\d+|\+) 周岁段），每月 ¥\d+\.\d\d/);
      expect(first.age).toBeGreaterThanOrEqual(65);
      // Another district's officer sees none of them.
      const hp = await call(await p.token('officer.huangpu'), 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=200');
      expect(hp.body.items.every((x: Body) => x.districtCode === '310101')).toBe(true);
    });

    it('免申即享: granted where the scheme allows it, each person re-checked; they leave the list; LTCI needs an application', async () => {
      const list = (await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=3')).body;
      const ids = list.items.map((x: Body) => x.personId);
      const outOfScope = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310101' LIMIT 1`))!.id;
      const notEligible = (await p.ctx.db.one<{ person_id: string }>(sql`SELECT person_id FROM entitlements.person_entitlement WHERE allowance_fen = 0 AND region_code LIKE '310115%' LIMIT 1`))!.person_id;
      const g = await call(officer, 'POST', '/api/v1/entitlements/grants/bulk', { scheme: 'allowance', personIds: [...ids, outOfScope, notEligible] });
      expect(g.status).toBe(200);
      expect(g.body.granted).toBe(3);
      expect(g.body.skipped).toEqual([
        { personId: outOfScope, reason: '不在本辖区或尚无待遇核定结果' },
        { personId: notEligible, reason: expect.stringMatching(/不符合老年综合津贴条件/) },
      ]);
      const after = (await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=1')).body;
      expect(after.total).toBe(list.total - 3);
      const again = await call(officer, 'POST', '/api/v1/entitlements/grants/bulk', { scheme: 'allowance', personIds: ids });
      expect(again.body).toMatchObject({ granted: 0, skipped: ids.map((id: string) => ({ personId: id, reason: '已申请或已在享受' })) });
      const grants = await call(officer, 'GET', `/api/v1/people/${ids[0]}/grants`);
      expect(grants.body.items).toEqual([expect.objectContaining({ scheme: 'allowance', status: 'granted', statusName: '享受中', channel: 'no_application' })]);
      const event = await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.outbox WHERE topic = 'entitlements.granted'`);
      expect(event!.n).toBe(3);
      // Each person is told, once, in Chinese: what, from when, how much.
      await p.ctx.dispatcher.runOnce();
      await p.ctx.dispatcher.runOnce();
      const notes = (await call(officer, 'GET', `/api/v1/people/${ids[0]}/notifications`)).body.items;
      expect(notes).toHaveLength(1);
      expect(notes[0].title).toBe('老年综合津贴：已为您办理');
      expect(notes[0].body).toMatch(/免申即享.*自\d{4}年\d{1,2}月起按月发放至您的社保卡，每月 \d+\.\d\d 元（\d+(-\d+|\+) 周岁段）/);

      const ltci = (await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=ltci&limit=1')).body;
      expect(ltci.noApplicationGrant).toBe(false);
      if (ltci.items.length > 0) {
        const no = await call(officer, 'POST', '/api/v1/entitlements/grants/bulk', { scheme: 'ltci', personIds: [ltci.items[0].personId] });
        expect(no.body).toMatchObject({ granted: 0, skipped: [{ reason: expect.stringMatching(/须本人申请/) }] });
      }
    });

    it('an advisor is asked to visit; sees the task; closes it once; the officer sees who is assigned', async () => {
      const list = (await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=2')).body;
      const ids = list.items.map((x: Body) => x.personId);
      const advisors = (await call(officer, 'GET', '/api/v1/entitlements/advisors')).body.items;
      const me = advisors.find((a: Body) => a.username === 'advisor');
      const a = await call(officer, 'POST', '/api/v1/entitlements/outreach', { scheme: 'allowance', personIds: ids, advisorId: me.id });
      expect(a.body).toMatchObject({ assigned: 2, alreadyAssigned: 0, skipped: [] });
      expect((await call(officer, 'POST', '/api/v1/entitlements/outreach', { scheme: 'allowance', personIds: ids, advisorId: me.id })).body).toMatchObject({ assigned: 0, alreadyAssigned: 2 });
      const listed = (await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=2')).body.items;
      expect(listed.map((x: Body) => x.outreach?.advisorName)).toEqual([me.displayName, me.displayName]);
      const tasks = (await call(advisor, 'GET', '/api/v1/entitlements/outreach?status=assigned')).body.items;
      expect(tasks.map((t: Body) => t.personId).sort()).toEqual([...ids].sort());
      const done = await call(advisor, 'POST', `/api/v1/entitlements/outreach/${tasks[0].id}/close`, { status: 'done', note: '已上门说明政策' });
      expect(done.status).toBe(200);
      expect((await call(advisor, 'POST', `/api/v1/entitlements/outreach/${tasks[0].id}/close`, { status: 'done' })).status).toBe(409);
      const other = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM platform.app_user WHERE username = 'officer.huangpu'`))!.id;
      const bad = await call(officer, 'POST', '/api/v1/entitlements/outreach', { scheme: 'allowance', personIds: ids, advisorId: other });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('该养老顾问不存在或不在本辖区');
    });

    it('an application recorded at the counter takes the person off the list; a second one is refused', async () => {
      const list = (await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=1')).body;
      const id = list.items[0].personId;
      const r = await call(advisor, 'POST', `/api/v1/people/${id}/grants`, { scheme: 'allowance', status: 'applied' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ scheme: 'allowance', status: 'applied', statusName: '已申请', channel: 'application' });
      expect((await call(officer, 'GET', '/api/v1/entitlements/unclaimed?scheme=allowance&limit=1')).body.total).toBe(list.total - 1);
      const twice = await call(advisor, 'POST', `/api/v1/people/${id}/grants`, { scheme: 'allowance', status: 'applied' });
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toBe('该老人已申请或正在享受老年综合津贴');
    });
  });
}
