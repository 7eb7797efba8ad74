// Stored entitlements follow the facts, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL:
// the first sweep decides everyone; a person's change, a care grade and a deletion recompute only
// that person through the outbox (once, however often the event is delivered); the due sweep
// picks up a birthday; `entitlements.changed` says what changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, todayIn } from '../core/dates.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { sql } from '../platform/db.ts';
import { signCareGrade } from '../assessment/index.ts';
import { demoAgencyKey } from '../assessment/wiring.ts';
import { RECOMPUTE_PORTS, startEntitlementSweeps } from '../app.ts';
import { createEngine, loadParameters } from './index.ts';
import { sweep } from './wiring.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`entitlements recompute (${backend})`, () => {
    let p: TestPlatform;
    let now = new Date();
    let officer: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const stored = (id: string) =>
      p.ctx.db.one<{ allowance_fen: number; allowance_band: string | null; ltci_hours: number; subsidy_fen: number; bed_tier: number | null; due_on: string; cause: string; parameter_version: string }>(
        sql`SELECT allowance_fen, allowance_band, ltci_hours::float8 AS ltci_hours, subsidy_fen, bed_tier, to_char(due_on, 'YYYY-MM-DD') AS due_on, cause, parameter_version
            FROM entitlements.person_entitlement WHERE person_id = ${id}::uuid`);
    const changes = (id: string) =>
      p.ctx.db.rows<{ payload: Body }>(sql`SELECT payload FROM platform.outbox WHERE topic = 'entitlements.changed' AND payload->>'personId' = ${id} ORDER BY seq`);
    const today = () => todayIn(() => now);

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 60, clock: () => now });
      officer = await p.token('officer.pudong');
    });
    afterAll(async () => {
      await p?.close();
    });

    it('the first sweep decides every registered person once, with the parameter version', async () => {
      const s = startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 });
      await s.done;
      s.stop();
      const people = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person WHERE deleted_at IS NULL`))!.n;
      const rows = (await p.ctx.db.one<{ n: number; v: number }>(sql`SELECT count(*)::int AS n, count(DISTINCT parameter_version)::int AS v FROM entitlements.person_entitlement`))!;
      expect(rows.n).toBe(people);
      expect(rows.v).toBe(1);
      // Nothing changed for anyone yet: first computations emit no change events.
      expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.outbox WHERE topic = 'entitlements.changed'`))!.n).toBe(0);
    });

    it('a registered person, a change of economic status, a care grade and a deletion each recompute that person', async () => {
      const birth = addYears(today(), -75);
      const created = await call(officer, 'POST', '/api/v1/people', {
        name: '重算测试', idNumber: makeIdNumber('310115', birth, 91, 'M'), regionCode: '310115', hukouDistrictCode: '310115', insuranceType: 'resident', economicStatus: 'none',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      await p.ctx.dispatcher.runOnce();
      expect(await stored(id)).toMatchObject({ allowance_fen: 15000, allowance_band: '70-79', ltci_hours: 0, subsidy_fen: 0, cause: 'people.registered', due_on: addYears(birth, 76) });

      const upd = await call(officer, 'PATCH', `/api/v1/people/${id}`, { version: created.body.version, economicStatus: 'low_income' });
      expect(upd.status).toBe(200);
      const key = await demoAgencyKey(p.ctx, { code: '310115-A', districtCode: '310115' });
      const assessedOn = addDays(today(), -1);
      const validUntil = addDays(addYears(assessedOn, 2), -1);
      const imported = await call(officer, 'POST', '/api/v1/care-grades', { records: [signCareGrade({ personRef: id, grade: 5, outcome: 'grade', agencyCode: '310115-A', assessedOn, validUntil }, key)] });
      expect(imported.status).toBe(200);
      await p.ctx.dispatcher.runOnce();
      expect(await stored(id)).toMatchObject({ ltci_hours: 7, subsidy_fen: 44400, bed_tier: 2, cause: 'assessment.care_grade_recorded' });
      const ev = await changes(id);
      expect(ev.length).toBeGreaterThanOrEqual(1);
      expect(ev[ev.length - 1]!.payload).toMatchObject({ personId: id, after: { ltciHours: 7, subsidyFen: 44400, bedTier: 2 } });

      // A redelivered event changes nothing twice (the consumer's inbox).
      const before = (await changes(id)).length;
      await p.ctx.db.run(sql`UPDATE platform.outbox SET dispatched_at = NULL WHERE topic = 'assessment.care_grade_recorded' AND payload->>'personId' = ${id}`);
      await p.ctx.dispatcher.runOnce();
      expect((await changes(id)).length).toBe(before);

      const person = await call(officer, 'GET', `/api/v1/people/${id}`);
      const del = await call(officer, 'DELETE', `/api/v1/people/${id}`, { version: person.body.version, reason: '重复登记' });
      expect(del.status).toBe(204);
      await p.ctx.dispatcher.runOnce();
      expect(await stored(id)).toBeNull();
      expect((await changes(id)).at(-1)!.payload).toMatchObject({ removed: true });
    });

    it('the due sweep recomputes on the birthday: turning 65 starts the allowance, and the change is announced', async () => {
      const birth = addYears(addDays(today(), 3), -65); // turns 65 in three days
      const created = await call(officer, 'POST', '/api/v1/people', {
        name: '生日测试', idNumber: makeIdNumber('310115', birth, 93, 'F'), regionCode: '310115', hukouDistrictCode: '310115',
      });
      const id = created.body.id as string;
      await p.ctx.dispatcher.runOnce();
      expect(await stored(id)).toMatchObject({ allowance_fen: 0, due_on: addDays(today(), 3) });
      const engine = createEngine(await loadParameters(), { rootCode: '310000' });
      const tx = <T>(fn: (q: import('../platform/db.ts').Queryable) => Promise<T>) => p.ctx.db.tx(fn, { asAppRole: false });
      // Two days on: not due yet.
      now = new Date(now.getTime() + 2 * 86_400_000);
      await sweep(tx, engine, RECOMPUTE_PORTS, () => now);
      expect(await stored(id)).toMatchObject({ allowance_fen: 0 });
      now = new Date(now.getTime() + 86_400_000);
      const r = await sweep(tx, engine, RECOMPUTE_PORTS, () => now);
      expect(r.computed).toBeGreaterThanOrEqual(1);
      expect(await stored(id)).toMatchObject({ allowance_fen: 7500, allowance_band: '65-69', cause: 'due' });
      expect((await changes(id)).at(-1)!.payload).toMatchObject({ cause: 'due', before: { allowanceFen: 0 }, after: { allowanceFen: 7500 } });
    });

    it('rows from other parameters are due: a version change recomputes them', async () => {
      await p.ctx.db.run(sql`UPDATE entitlements.person_entitlement SET parameter_version = 'old'`);
      const engine = createEngine(await loadParameters(), { rootCode: '310000' });
      const tx = <T>(fn: (q: import('../platform/db.ts').Queryable) => Promise<T>) => p.ctx.db.tx(fn, { asAppRole: false });
      const r = await sweep(tx, engine, RECOMPUTE_PORTS, () => now);
      const n = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM entitlements.person_entitlement`))!.n;
      expect(r.computed).toBe(n);
      expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM entitlements.person_entitlement WHERE parameter_version = 'old'`))!.n).toBe(0);
    });
  });
}
