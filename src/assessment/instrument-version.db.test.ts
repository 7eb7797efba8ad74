// The workflow scores with the instrument version in force on the visit date, on PGlite and
// (when TEST_DATABASE_URL is set) PostgreSQL. Two versions of the workflow's instrument are
// written to a temporary directory only (never to policy/): 1.0.0 as shipped, and a test version
// from day D+3 whose 轻度/中度 cut-off is 70 instead of 66. The same answers (total 68) give
// 轻度失能 on a visit on D+2 and 中度失能 on D+3; a tablet that synchronises on D+4 the answers of
// a visit on D+2 gets 1.0.0; every result names its version, and re-scores and verifies with it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn, type LocalDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { scopePrefix } from '../core/regions.ts';
import type { Caller } from '../platform/auth.ts';
import { sql } from '../platform/db.ts';
import { DEFAULT_INSTRUMENTS_DIR, loadInstrument } from './instruments.ts';
import { score, type InstrumentData } from './model.ts';
import { personPort } from './people-port.ts';
import { AssessmentService } from './service.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

const shipped = JSON.parse(readFileSync(join(DEFAULT_INSTRUMENTS_DIR, 'gbt42195-2022.json'), 'utf8')) as InstrumentData;

/** Every item at its best option, lowered item by item until `lose` points are gone. */
function answersLosing(lose: number): Record<string, number> {
  let left = lose;
  return Object.fromEntries(
    shipped.items.map((i) => {
      const best = Math.max(...i.options.map((o) => o.score));
      const chosen = Math.min(...i.options.map((o) => o.score).filter((x) => best - x <= left));
      left -= best - chosen;
      return [i.key, chosen];
    }),
  );
}

for (const backend of backends()) {
  describe(`instrument version by visit date (${backend})`, () => {
    let p: TestPlatform;
    let dir: string;
    let D: LocalDate;
    let admin: Caller;
    let first: Caller;
    let second: Caller;
    let agencyId: string;
    let people: string[];
    const answers = answersLosing(90 - 68);

    const svcOn = (day: LocalDate) => {
      const at = new Date(`${day}T10:00:00+08:00`);
      return new AssessmentService({ ...p.ctx, clock: () => at }, personPort(p.ctx), dir);
    };
    /** Apply and assign on D. */
    const open = async (personId: string) => {
      const a = await svcOn(D).apply(admin, { personId, reason: 'first', channel: 'centre', applicant: 'family' });
      expect(a.state).toBe('applied');
      return (await svcOn(D).assign(admin, a.id, { agencyId, assessorIds: [first.userId, second.userId] })).id;
    };
    /** Answers synced on `syncOn` (a visit on `visitedOn` when given), then submitted and countersigned that day. */
    const complete = async (id: string, syncOn: LocalDate, visitedOn?: LocalDate) => {
      const r = await svcOn(syncOn).recordAnswers(first, id, { opId: randomUUID(), answers, ...(visitedOn ? { visitedOn } : {}) });
      expect(r.progress.missing).toEqual([]);
      await svcOn(syncOn).submit(first, id);
      return svcOn(syncOn).countersign(second, id);
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      const today = todayIn(p.ctx.clock);
      D = addDays(today, -30);
      dir = mkdtempSync(join(tmpdir(), 'yiyang-instrument-versions-'));
      const v2: InstrumentData = { ...structuredClone(shipped), version: '2.0.0-test', effectiveFrom: addDays(D, 3), note: 'test only: 轻度/中度 cut-off moved to 70' };
      v2.levels[1]!.minTotal = 70;
      v2.levels[2]!.maxTotal = 69;
      writeFileSync(join(dir, 'gbt42195-2022.json'), JSON.stringify(v2));
      writeFileSync(join(dir, 'gbt42195-2022@1.0.0.json'), JSON.stringify(shipped));

      const users = await p.ctx.db.rows<{ id: string; username: string; display_name: string; role: string; region_code: string }>(
        sql`SELECT id, username, display_name, role, region_code FROM platform.app_user WHERE username IN ('officer.pudong', 'assessor', 'assessor2')`);
      const callerOf = (username: string): Caller => {
        const u = users.find((x) => x.username === username)!;
        return { userId: u.id, username, displayName: u.display_name, role: u.role as Caller['role'], regionCode: u.region_code, scope: scopePrefix(u.region_code), sessionKind: 'bearer', csrfToken: '' };
      };
      admin = callerOf('officer.pudong');
      first = callerOf('assessor');
      second = callerOf('assessor2');
      const agencies = await svcOn(D).agencies(admin);
      agencyId = agencies.items.find((a) => a.code === '310115-A')!.id;
      const busy = new Set((await p.ctx.db.rows<{ person_id: string }>(sql`SELECT person_id FROM assessment.application`)).map((r) => r.person_id));
      const token = await p.token('officer.pudong');
      const list = await p.app.inject({ method: 'GET', url: '/api/v1/people?districtCode=310115&ageMin=62&limit=40', headers: { authorization: `Bearer ${token}` } });
      people = (list.json() as { items: { id: string; deceased: boolean }[] }).items.filter((x) => !x.deceased && !busy.has(x.id)).map((x) => x.id);
      expect(people.length).toBeGreaterThanOrEqual(5);
    }, 120_000);
    afterAll(async () => {
      await p?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('a visit the day before the new version: 1.0.0, 轻度失能; on its first day: the new version, 中度失能', async () => {
      const before = await complete(await open(people[0]!), addDays(D, 2));
      const onDay = await complete(await open(people[1]!), addDays(D, 3));
      expect(before.instrument).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
      expect(onDay.instrument).toEqual({ id: 'gbt42195-2022', version: '2.0.0-test' });
      expect([before.result?.total, before.level, before.levelName]).toEqual([68, 1, '轻度失能']);
      expect([onDay.result?.total, onDay.level, onDay.levelName]).toEqual([68, 2, '中度失能']);
      // the signed document names the version; it verifies, i.e. re-scoring with that version gives the same result
      for (const r of [before, onDay]) {
        const payload = (r.signedDocument as { payload: { instrument: unknown } }).payload;
        expect(payload.instrument).toEqual(r.instrument);
        expect(await svcOn(addDays(D, 10)).verify(r.signedDocument)).toMatchObject({ valid: true, problems: [] });
        const again = score(await loadInstrument(`${r.instrument!.id}@${r.instrument!.version}`, dir), { answers });
        expect(again.ok && again.value.level).toBe(r.level);
      }
    });

    it('offline: answers of a visit on D+2 synchronised on D+4 are scored with the version of D+2; the audit says which and why', async () => {
      const id = await open(people[2]!);
      const done = await complete(id, addDays(D, 4), addDays(D, 2));
      expect(done.instrument?.version).toBe('1.0.0');
      expect(done.level).toBe(1);
      const audit = await p.ctx.db.rows<{ details: Record<string, unknown> }>(sql`SELECT details FROM platform.audit_log WHERE entity_id = ${id} AND action = 'assessment.record_answers'`);
      expect(audit[0]!.details).toMatchObject({ instrument: { id: 'gbt42195-2022', version: '1.0.0' }, visitedOn: addDays(D, 2) });
    });

    it('a visit date after today or before the application is refused in Chinese, and nothing is recorded', async () => {
      const id = await open(people[3]!);
      const tryOn = async (visitedOn: LocalDate) => {
        try {
          await svcOn(addDays(D, 4)).recordAnswers(first, id, { opId: randomUUID(), answers: { '1': 0 }, visitedOn });
        } catch (e) {
          return e as AppError;
        }
        throw new Error('expected a refusal');
      };
      expect(await tryOn(addDays(D, 5))).toMatchObject({ code: 'ASSESSMENT_ANSWERS_INVALID', message: `评估日期 ${addDays(D, 5)} 晚于今天（${addDays(D, 4)}）`, details: [{ path: 'visitedOn' }] });
      expect(await tryOn(addDays(D, -1))).toMatchObject({ code: 'ASSESSMENT_ANSWERS_INVALID', message: `评估日期 ${addDays(D, -1)} 早于申请日期 ${D}` });
      const app = await svcOn(addDays(D, 4)).get(admin, id);
      expect([app.state, app.instrument]).toEqual(['assigned', null]);
    });

    it('over HTTP: visitedOn is part of the answers request, and the tablet fetches the version in force on a date', async () => {
      const today = todayIn(p.ctx.clock);
      const officer = await p.token('officer.pudong');
      const a1 = await p.token('assessor');
      const call = (token: string, method: 'POST' | 'PUT', url: string, payload: object) =>
        p.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
      const applied = await call(officer, 'POST', '/api/v1/assessments', { personId: people[4]!, reason: 'first', channel: 'centre', applicant: 'family' });
      expect(applied.statusCode, applied.body).toBe(201);
      const id = (applied.json() as { id: string }).id;
      expect((await call(officer, 'POST', `/api/v1/assessments/${id}/assign`, { agencyId, assessorIds: [first.userId, second.userId] })).statusCode).toBe(200);
      const late = await call(a1, 'PUT', `/api/v1/assessments/${id}/answers`, { opId: randomUUID(), answers: { '1': 0 }, visitedOn: addDays(today, 1) });
      expect(late.statusCode).toBe(400);
      expect(late.json()).toMatchObject({ error: { code: 'ASSESSMENT_ANSWERS_INVALID', details: [{ path: 'visitedOn' }] } });
      const ok = await call(a1, 'PUT', `/api/v1/assessments/${id}/answers`, { opId: randomUUID(), answers: { '1': 0 }, visitedOn: today });
      expect(ok.statusCode, ok.body).toBe(200);
      expect((ok.json() as { assessment: { instrument: unknown } }).assessment.instrument).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
      const inst = await p.app.inject({ method: 'GET', url: `/api/v1/instruments/gbt42195-2022?asOf=${today}` });
      expect([inst.statusCode, (inst.json() as { version: string }).version]).toEqual([200, '1.0.0']);
      const before = await p.app.inject({ method: 'GET', url: '/api/v1/instruments/gbt42195-2022?asOf=2020-01-01' });
      expect(before.statusCode).toBe(404);
      expect((before.json() as { error: { message: string } }).error.message).toBe('评估量表 gbt42195-2022 在 2020-01-01 没有生效的版本');
    });
  });
}

