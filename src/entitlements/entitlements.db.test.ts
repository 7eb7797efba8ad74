// Entitlements over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL: the public
// self-check needs no login and stores nothing; the advisor's check reads a registered person's
// facts and care grade, scoped and audited, and changes when a signed care grade is recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, todayIn, type LocalDate } from '../core/dates.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { sql } from '../platform/db.ts';
import { signCareGrade } from '../assessment/index.ts';
import { demoAgencyKey } from '../assessment/wiring.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`entitlements API (${backend})`, () => {
    let p: TestPlatform;
    let today: LocalDate;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string | null, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const auditCount = async () => (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.audit_log`))!.n;

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 40 });
      today = todayIn(p.ctx.clock);
    });
    afterAll(async () => {
      await p?.close();
    });

    it('self-check without login: the contract example p1, with schemes, reasons and citations; nothing stored or audited', async () => {
      const before = await auditCount();
      const r = await call(null, 'POST', '/api/v1/entitlements/check', {
        asOf: '2025-03-01', birthDate: '1950-03-02', hukouDistrict: '310115', insurance: 'employee', careGrade: 3, careGradeValidUntil: '2026-01-01', economic: 'none', deathDate: null,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ age: 74, allowance: { eligible: true, band: '70-79', monthlyFen: 15000 }, ltci: { eligible: true, homeCareHoursPerWeek: 3 }, basicBed: { eligible: false, tier: null } });
      expect(r.body.schemes.map((s: Body) => s.name)).toEqual(['老年综合津贴', '长期护理保险', '养老服务补贴', '保基本养老床位', '关爱探访']);
      const bed = r.body.schemes.find((s: Body) => s.scheme === 'basicBed');
      expect(bed.hint).toMatch(/照护等级达到 4 级/);
      expect(r.body.explanation.some((s: Body) => /沪府发〔2017〕97号/.test(s.parameter?.source ?? ''))).toBe(true);
      expect(await auditCount()).toBe(before);
    });

    it('self-check with bad facts: 400, a Chinese message naming the field', async () => {
      const r = await call(null, 'POST', '/api/v1/entitlements/check', { birthDate: '1950-02-30', hukouDistrict: '310115' });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toMatch(/出生日期 \\"1950-02-30\\" 无效/);
      expect(JSON.stringify(r.body)).toMatch(/birthDate/);
      const unknown = await call(null, 'POST', '/api/v1/entitlements/check', { birthDate: '1950-01-01', salary: 1 });
      expect(unknown.status).toBe(400);
    });

    it('the parameters in force are public, with citations and confidence', async () => {
      const r = await call(null, 'GET', '/api/v1/entitlements/parameters?asOf=2025-08-31');
      expect(r.status).toBe(200);
      const ltci = r.body.schemes.find((s: Body) => s.scheme === 'ltci');
      const limit = ltci.parameters.find((x: Body) => x.name === 'institutionDailyLimitFen');
      expect(limit.value).toMatchObject({ '4': 2500 });
      expect(limit.citation.number).toBe('沪府发〔2017〕97号');
      const later = await call(null, 'GET', '/api/v1/entitlements/parameters?asOf=2025-09-01');
      expect(later.body.schemes.find((s: Body) => s.scheme === 'ltci').parameters.find((x: Body) => x.name === 'institutionDailyLimitFen').value).toMatchObject({ '4': 3500 });
    });

    it("the advisor's check of a registered person follows the register and the care grade; scoped and audited", async () => {
      const officer = await p.token('officer.pudong');
      const advisor = await p.token('advisor');
      const birth = addYears(today, -82);
      const created = await call(officer, 'POST', '/api/v1/people', {
        name: '待遇测试', idNumber: makeIdNumber('310115', birth, 77, 'F'), regionCode: '310115', hukouDistrictCode: '310115',
        insuranceType: 'employee', economicStatus: 'dibao', livingArrangement: 'with_children',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;

      const before = await call(advisor, 'GET', `/api/v1/people/${id}/entitlements`);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ personId: id, age: 82, allowance: { eligible: true, band: '80-89', monthlyFen: 18000 }, ltci: { eligible: false }, serviceSubsidy: { eligible: false } });
      expect(before.body.schemes.find((s: Body) => s.scheme === 'ltci').hint).toMatch(/照护 2 级及以上/);

      // A designated agency's signed grade 4 record arrives.
      const key = await demoAgencyKey(p.ctx, { code: '310115-A', districtCode: '310115' });
      const assessedOn = addDays(today, -3);
      const signed = signCareGrade({ personRef: id, grade: 4, outcome: 'grade', agencyCode: '310115-A', assessedOn, validUntil: addDays(addYears(assessedOn, 2), -1) }, key);
      const imported = await call(officer, 'POST', '/api/v1/care-grades', { records: [signed] });
      expect(imported.status, JSON.stringify(imported.body)).toBe(200);

      const after = await call(advisor, 'GET', `/api/v1/people/${id}/entitlements`);
      expect(after.body).toMatchObject({ ltci: { eligible: true, homeCareHoursPerWeek: 5 }, serviceSubsidy: { eligible: true, monthlyFen: 103600 }, basicBed: { eligible: true, tier: 2 } });
      // As of a date before the grade was assessed, the grade does not count.
      const earlier = await call(advisor, 'GET', `/api/v1/people/${id}/entitlements?asOf=${addDays(today, -10)}`);
      expect(earlier.body.ltci.eligible).toBe(false);

      const audits = await p.ctx.db.rows<{ action: string }>(sql`SELECT action FROM platform.audit_log WHERE entity_id = ${id} AND action = 'entitlements.read'`);
      expect(audits.length).toBe(3);

      // Out of scope: 黄浦's officer gets 404; a citizen is refused; no login is 401.
      expect((await call(await p.token('officer.huangpu'), 'GET', `/api/v1/people/${id}/entitlements`)).status).toBe(404);
      expect((await call(await p.token('citizen'), 'GET', `/api/v1/people/${id}/entitlements`)).status).toBe(403);
      expect((await call(null, 'GET', `/api/v1/people/${id}/entitlements`)).status).toBe(401);
    });
  });
}
