// 养老服务补贴 as an e-voucher over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL:
// the approved monthly batch credits the balance (no bank file); a provider redeems service
// (idempotent by its request key, never below zero); the provider's statement and the officer's
// settlement agree; the person (a linked citizen account) and staff see the balance and every use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, todayIn } from '../core/dates.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { signCareGrade } from '../assessment/index.ts';
import { demoAgencyKey } from '../assessment/wiring.ts';
import { linkUser } from '../people/index.ts';
import { userIdOf } from '../platform/auth.ts';
import { startEntitlementSweeps } from '../app.ts';
import { addMonth, firstDay, monthOf } from './payments.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`e-vouchers (${backend})`, () => {
    let p: TestPlatform;
    let pudong: string;
    let provider: string;
    let personId: string;
    let lastMonth: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 60 });
      pudong = await p.token('officer.pudong');
      provider = await p.token('provider');
      const today = todayIn(p.ctx.clock);
      lastMonth = addMonth(monthOf(today), -1);
      // A 低保 person with care grade 3 since before last month.
      const created = await call(pudong, 'POST', '/api/v1/people', {
        name: '电子券测试', idNumber: makeIdNumber('310115', addYears(today, -78), 55, 'F'), regionCode: '310115', hukouDistrictCode: '310115', insuranceType: 'resident', economicStatus: 'dibao',
      });
      personId = created.body.id;
      const key = await demoAgencyKey(p.ctx, { code: '310115-A', districtCode: '310115' });
      const assessedOn = addDays(firstDay(lastMonth as never), -5);
      const g = await call(pudong, 'POST', '/api/v1/care-grades', { records: [signCareGrade({ personRef: personId, grade: 3, outcome: 'grade', agencyCode: '310115-A', assessedOn, validUntil: addDays(addYears(assessedOn, 2), -1) }, key)] });
      expect(g.status).toBe(200);
      await p.ctx.dispatcher.runOnce();
      await startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 }).done;
      const grant = await call(pudong, 'POST', `/api/v1/people/${personId}/grants`, { scheme: 'serviceSubsidy', status: 'granted', date: firstDay(lastMonth as never) });
      expect(grant.status, JSON.stringify(grant.body)).toBe(201);
    });
    afterAll(async () => {
      await p?.close();
    });

    it('the approved subsidy batch credits the balance, needs no bank file', async () => {
      const run = await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'serviceSubsidy', districtCode: '310115', month: lastMonth });
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      expect(run.body).toMatchObject({ schemeName: '养老服务补贴', people: 1, regularFen: 103600, netFen: 103600 });
      const ok = await call(await p.token('officer'), 'POST', `/api/v1/entitlements/payments/${run.body.id}/approve`);
      expect(ok.body).toMatchObject({ status: 'reconciled', statusName: '已计入电子券' });
      const bank = await call(pudong, 'POST', `/api/v1/entitlements/payments/${run.body.id}/export?format=csv`);
      expect(bank.status).toBe(409);
      expect(bank.body.error.message).toMatch(/不生成银行代发文件/);
      const acc = await call(pudong, 'GET', `/api/v1/people/${personId}/vouchers`);
      expect(acc.body).toMatchObject({ balanceFen: 103600, entries: [{ kind: 'credit', kindName: '补贴入账', amountFen: 103600, forMonth: lastMonth }] });
    });

    it('a provider redeems: once per request key, never below zero; its statement and the settlement agree', async () => {
      const r = await call(provider, 'POST', '/api/v1/vouchers/redeem', { personId, amountFen: 5000, service: '助浴', requestKey: 'bath-2026-0001' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ balanceFen: 98600, repeated: false, entry: { kind: 'redeem', amountFen: -5000, providerName: '服务机构 赵经理', service: '助浴' } });
      const again = await call(provider, 'POST', '/api/v1/vouchers/redeem', { personId, amountFen: 5000, service: '助浴', requestKey: 'bath-2026-0001' });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ repeated: true, balanceFen: 98600 });
      expect((await call(provider, 'POST', '/api/v1/vouchers/redeem', { personId, amountFen: 6000, service: '助浴', requestKey: 'bath-2026-0001' })).status).toBe(409);
      const tooMuch = await call(provider, 'POST', '/api/v1/vouchers/redeem', { personId, amountFen: 98601, service: '助餐', requestKey: 'meal-2026-0001' });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body.error.message).toBe('电子券余额不足：余额 ¥986.00，本次 ¥986.01');
      const st = await call(provider, 'GET', '/api/v1/vouchers/statement');
      expect(st.body).toMatchObject({ totalFen: 5000, count: 1 });
      const set = await call(pudong, 'GET', '/api/v1/vouchers/settlements');
      expect(set.body).toMatchObject({ totalFen: 5000, providers: [{ providerName: '服务机构 赵经理', redemptions: 1, people: 1, totalFen: 5000 }] });
      const hp = await call(await p.token('officer.huangpu'), 'GET', '/api/v1/vouchers/settlements');
      expect(hp.body.providers).toEqual([]);
    });

    it('the person (a linked citizen account) sees the balance and every use; other districts and roles do not', async () => {
      const citizenId = await p.ctx.db.tx((q) => userIdOf(q, 'citizen'), { asAppRole: false });
      await p.ctx.db.tx((q) => linkUser(q, citizenId!, personId, '310115', 'family'), { asAppRole: false });
      const mine = await call(await p.token('citizen'), 'GET', '/api/v1/me/vouchers');
      const me = mine.body.people.find((x: Body) => x.personId === personId);
      expect(me).toMatchObject({ name: '电子券测试', relationName: '家属', balanceFen: 98600 });
      expect(me.entries.map((e: Body) => e.kindName)).toEqual(['服务消费', '补贴入账']);
      expect((await call(await p.token('officer.huangpu'), 'GET', `/api/v1/people/${personId}/vouchers`)).status).toBe(404);
      expect((await call(await p.token('citizen'), 'GET', `/api/v1/people/${personId}/vouchers`)).status).toBe(403);
      expect((await call(pudong, 'POST', '/api/v1/vouchers/redeem', { personId, amountFen: 1, service: 'x', requestKey: 'officer-0001' })).status).toBe(403);
    });
  });
}
