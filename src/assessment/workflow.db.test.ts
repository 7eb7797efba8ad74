// The assessment workflow end to end through app.inject(), on PGlite and (when
// TEST_DATABASE_URL is set) PostgreSQL: apply → assign → answers in two offline batches (one
// re-sent) → submit → countersign by the second assessor → signed result that verifies.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, type LocalDate } from '../core/dates.ts';
import { sql } from '../platform/db.ts';
import { loadInstrument } from './instruments.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`assessment workflow (${backend})`, () => {
    let p: TestPlatform;
    let officer: string;
    let advisor: string;
    let a1: string;
    let a2: string;
    let auditor: string;
    let huangpuOfficer: string;
    let pudongPerson: string;
    let huangpuPerson: string;
    let agencyA: { id: string; assessors: string[] };
    let agencyB: { id: string };
    let assessmentId: string;
    let signed: Record<string, unknown>;

    const call = async (token: string, method: string, url: string, payload?: unknown) => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Record<string, any>) : {} }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const firstPerson = async (district: string, skip = 0) => {
      const admin = await p.token('admin');
      const r = await call(admin, 'GET', `/api/v1/people?districtCode=${district}&ageMin=61&limit=${skip + 1}`);
      return (r.body.items as { id: string }[])[skip]!.id;
    };
    const answers = (score: (k: number) => number) => Object.fromEntries(Array.from({ length: 26 }, (_, i) => [String(i + 1), score(i + 1)]));

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      officer = await p.token('officer.pudong');
      advisor = await p.token('advisor');
      a1 = await p.token('assessor');
      a2 = await p.token('assessor2');
      auditor = await p.token('auditor');
      huangpuOfficer = await p.token('officer.huangpu');
      pudongPerson = await firstPerson('310115');
      huangpuPerson = await firstPerson('310101');
      const ag = await call(officer, 'GET', '/api/v1/assessments/agencies');
      const items = ag.body.items as { id: string; code: string; assessors: string[] }[];
      agencyA = items.find((a) => a.code === '310115-A')!;
      agencyB = items.find((a) => a.code === '310115-B')!;
    });
    afterAll(async () => {
      await p?.close();
    });

    it('lists the district agencies with the demo assessors', () => {
      expect(agencyA.assessors).toHaveLength(2);
      expect(agencyB).toBeDefined();
    });

    it('the demo has assessment histories: completed and signed, some expiring soon, some open', async () => {
      const done = (await call(officer, 'GET', '/api/v1/assessments?state=completed&limit=200')).body.items as { signedDocument: object; validUntil: string }[];
      expect(done.length).toBeGreaterThanOrEqual(5);
      const v = await p.app.inject({ method: 'POST', url: '/api/v1/assessments/verify', payload: done[0]!.signedDocument });
      expect(v.json()).toMatchObject({ valid: true });
      const soon = (await call(officer, 'GET', '/api/v1/assessments/expiring')).body.items as unknown[];
      expect(soon.length).toBeGreaterThanOrEqual(1);
      expect(((await call(a1, 'GET', '/api/v1/assessments?state=assigned')).body.items as unknown[]).length).toBeGreaterThanOrEqual(1);
    });

    it('apply → assign → answers (offline batches, one re-sent) → submit → countersign → signed result', async () => {
      const applied = await call(advisor, 'POST', '/api/v1/assessments', { personId: pudongPerson, reason: 'first', channel: 'centre', applicant: 'advisor' });
      expect(applied.status, JSON.stringify(applied.body)).toBe(201);
      expect(applied.body).toMatchObject({ state: 'applied', stateName: '已申请', personId: pudongPerson, agencyId: null });
      expect(applied.body.expectedVisitBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      assessmentId = applied.body.id as string;

      const again = await call(advisor, 'POST', '/api/v1/assessments', { personId: pudongPerson, reason: 'first', channel: 'centre', applicant: 'advisor' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ASSESSMENT_OPEN_APPLICATION');

      // illegal: submit before assignment → coded error naming the state, in Chinese
      const early = await call(a1, 'POST', `/api/v1/assessments/${assessmentId}/submit`, {});
      expect(early.status).toBe(404); // not yet assigned to this assessor: invisible to them

      const me1 = (await call(a1, 'GET', '/api/v1/auth/me')).body;
      const me2 = (await call(a2, 'GET', '/api/v1/auth/me')).body;
      const id1 = (me1.id ?? me1.userId ?? me1.user?.id) as string;
      const id2 = (me2.id ?? me2.userId ?? me2.user?.id) as string;
      expect(agencyA.assessors.sort()).toEqual([id1, id2].sort());

      const sameTwice = await call(officer, 'POST', `/api/v1/assessments/${assessmentId}/assign`, { agencyId: agencyA.id, assessorIds: [id1, id1] });
      expect(sameTwice.status).toBe(400);
      expect(sameTwice.body.error.code).toBe('ASSESSMENT_ASSIGNMENT_INVALID');
      const assigned = await call(officer, 'POST', `/api/v1/assessments/${assessmentId}/assign`, { agencyId: agencyA.id, assessorIds: [id1, id2] });
      expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
      expect(assigned.body).toMatchObject({ state: 'assigned', agencyId: agencyA.id, assessor1Id: id1, assessor2Id: id2 });

      const reassign = await call(officer, 'POST', `/api/v1/assessments/${assessmentId}/assign`, { agencyId: agencyA.id, assessorIds: [id1, id2] });
      expect(reassign.status).toBe(409);
      expect(reassign.body.error.code).toBe('ASSESSMENT_ILLEGAL_TRANSITION');
      expect(reassign.body.error.message).toContain('已派单');
      expect(reassign.body.error.details).toEqual([{ path: 'state', message: 'assigned' }]);

      const submitEarly = await call(a1, 'POST', `/api/v1/assessments/${assessmentId}/submit`, {});
      expect(submitEarly.status).toBe(409);
      expect(submitEarly.body.error.message).toContain('已派单');

      // batch 1: items 1–13; batch 2: items 14–26 with the adjustment inputs
      const gbt = await loadInstrument('gbt42195-2022');
      // the second-best option of every item: a person with some loss of ability
      const all = Object.fromEntries(gbt.data.items.map((i) => [i.key, [...i.options.map((o) => o.score)].sort((x, y) => y - x)[1]!]));
      const batch1 = { opId: randomUUID(), answers: Object.fromEntries(Object.entries(all).filter(([k]) => Number(k) <= 13)) };
      const b1 = await call(a1, 'PUT', `/api/v1/assessments/${assessmentId}/answers`, batch1);
      expect(b1.status, JSON.stringify(b1.body)).toBe(200);
      expect(b1.body).toMatchObject({ applied: true, progress: { answered: 13, total: 26 }, preview: null });
      expect(b1.body.assessment.state).toBe('in_progress');
      const resent = await call(a1, 'PUT', `/api/v1/assessments/${assessmentId}/answers`, { ...batch1, answers: { '1': 0 } });
      expect(resent.body.applied).toBe(false);
      expect(resent.body.assessment.answers['1']).toBe(all['1']);
      expect(resent.body.assessment.version).toBe(b1.body.assessment.version);

      const bad = await call(a2, 'PUT', `/api/v1/assessments/${assessmentId}/answers`, { opId: randomUUID(), answers: { '12': 4 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('ASSESSMENT_ANSWERS_INVALID');

      const batch2 = { opId: randomUUID(), answers: Object.fromEntries(Object.entries(all).filter(([k]) => Number(k) > 13)), diagnoses: ['F03.9'], riskEvents30d: 0 };
      const b2 = await call(a2, 'PUT', `/api/v1/assessments/${assessmentId}/answers`, batch2);
      expect(b2.status, JSON.stringify(b2.body)).toBe(200);
      expect(b2.body.progress).toMatchObject({ answered: 26, total: 26, missing: [] });
      expect(b2.body.preview).toMatchObject({ level: expect.any(Number), levelName: expect.any(String) });
      expect(b2.body.preview.adjustments.length).toBe(1);
      const resent2 = await call(a2, 'PUT', `/api/v1/assessments/${assessmentId}/answers`, batch2);
      expect(resent2.body.applied).toBe(false);
      const ops = await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM assessment.answer_op WHERE application_id = ${assessmentId}::uuid`);
      expect(ops!.n).toBe(2);

      const bySecond = await call(a2, 'POST', `/api/v1/assessments/${assessmentId}/submit`, {});
      expect(bySecond.status).toBe(403);
      const submitted = await call(a1, 'POST', `/api/v1/assessments/${assessmentId}/submit`, {});
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
      expect(submitted.body.state).toBe('submitted');

      const lateAnswer = await call(a1, 'PUT', `/api/v1/assessments/${assessmentId}/answers`, { opId: randomUUID(), answers: { '1': 0 } });
      expect(lateAnswer.status).toBe(409);
      expect(lateAnswer.body.error.message).toContain('已提交待复核签字');

      const selfSign = await call(a1, 'POST', `/api/v1/assessments/${assessmentId}/countersign`, {});
      expect(selfSign.status).toBe(403);
      expect(selfSign.body.error.code).toBe('ASSESSMENT_COUNTERSIGN_NOT_ALLOWED');

      const done = await call(a2, 'POST', `/api/v1/assessments/${assessmentId}/countersign`, {});
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ state: 'completed', level: b2.body.preview.level, instrument: { id: 'gbt42195-2022' } });
      const from = done.body.validFrom as LocalDate;
      expect(done.body.validUntil).toBe(addDays(addYears(from, 2), -1));
      expect(done.body.appealBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      signed = done.body.signedDocument as Record<string, unknown>;
      expect(signed.format).toBe('yiyang.assessment-result/1');

      const outbox = await p.ctx.db.rows<{ topic: string; payload: { applicationId: string; level: number } }>(sql`SELECT topic, payload FROM platform.outbox WHERE topic = 'assessment.completed'`);
      expect(outbox.map((e) => e.payload.applicationId)).toContain(assessmentId);
      const audit = await p.ctx.db.rows<{ action: string }>(sql`SELECT action FROM platform.audit_log WHERE entity_id = ${assessmentId} ORDER BY seq`);
      const actions = audit.map((a) => a.action);
      for (const a of ['assessment.apply', 'assessment.assign', 'assessment.record_answers', 'assessment.submit', 'assessment.countersign']) expect(actions).toContain(a);
    });

    it('the signed result verifies; a tampered one fails and says why; the public key is published', async () => {
      const keys = await p.app.inject({ method: 'GET', url: '/api/v1/assessments/keys' });
      expect(keys.statusCode).toBe(200);
      expect((keys.json() as { keys: { keyId: string }[] }).keys[0]!.keyId).toBe((signed.signature as { keyId: string }).keyId);
      const ok = await p.app.inject({ method: 'POST', url: '/api/v1/assessments/verify', payload: signed });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ valid: true, problems: [] });
      const tampered = structuredClone(signed) as { payload: { result: { level: number } } };
      tampered.payload.result.level = (tampered.payload.result.level + 1) % 5;
      const bad = await p.app.inject({ method: 'POST', url: '/api/v1/assessments/verify', payload: tampered });
      const v = bad.json() as { valid: boolean; summary: string; problems: { code: string }[] };
      expect(v.valid).toBe(false);
      expect(v.problems.map((x) => x.code)).toContain('tampered');
      expect(v.summary).toMatch(/签名后被修改/);
      const junk = await p.app.inject({ method: 'POST', url: '/api/v1/assessments/verify', payload: { hello: 1 } });
      expect(junk.json()).toMatchObject({ valid: false });
    });

    it('out of scope is 404; an assessor sees only assessments assigned to them', async () => {
      expect((await call(huangpuOfficer, 'GET', `/api/v1/assessments/${assessmentId}`)).status).toBe(404);
      expect((await call(huangpuOfficer, 'POST', `/api/v1/assessments/${assessmentId}/appeal`, { channel: 'centre', applicant: 'self' })).status).toBe(404);
      const list = await call(huangpuOfficer, 'GET', '/api/v1/assessments');
      expect(list.body.items).toEqual([]);
      expect((await call(auditor, 'GET', `/api/v1/assessments/${assessmentId}`)).status).toBe(200);
      const hp = await call(await p.token('admin'), 'POST', '/api/v1/assessments', { personId: huangpuPerson, reason: 'first', channel: 'online', applicant: 'family' });
      expect(hp.status).toBe(201);
      expect((await call(advisor, 'GET', `/api/v1/assessments/${hp.body.id}`)).status).toBe(404);
      expect((await call(advisor, 'POST', '/api/v1/assessments', { personId: huangpuPerson, reason: 'first', channel: 'online', applicant: 'family' })).status).toBe(404);
      expect((await call(a1, 'GET', `/api/v1/assessments/${hp.body.id}`)).status).toBe(404);
      const mine = await call(a1, 'GET', '/api/v1/assessments?limit=200');
      const ids = (mine.body.items as { id: string; assessor1Id: string }[]);
      expect(ids.map((i) => i.id)).toContain(assessmentId);
      expect(ids.map((i) => i.id)).not.toContain(hp.body.id);
      expect(new Set(ids.map((i) => i.assessor1Id)).size).toBe(1);
    });

    it('appeal creates a review linked to the original, given to a different agency, which the original agency may not take', async () => {
      const r = await call(advisor, 'POST', `/api/v1/assessments/${assessmentId}/appeal`, { channel: 'centre', applicant: 'family', note: '家属认为等级偏低' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ reason: 'review', reviewOf: assessmentId, state: 'applied', personId: pudongPerson });
      expect(r.body.agencyId).toBe(agencyB.id);
      expect(r.body.agencyId).not.toBe(agencyA.id);
      const back = await call(officer, 'POST', `/api/v1/assessments/${r.body.id}/assign`, { agencyId: agencyA.id, assessorIds: agencyA.assessors });
      expect(back.status).toBe(400);
      expect(back.body.error.message).toContain('另一家评估机构');
      const twice = await call(advisor, 'POST', `/api/v1/assessments/${assessmentId}/appeal`, { channel: 'centre', applicant: 'family' });
      expect(twice.status).toBe(409);
      const notDone = await call(advisor, 'POST', `/api/v1/assessments/${r.body.id}/appeal`, { channel: 'centre', applicant: 'family' });
      expect(notDone.status).toBe(409);
      expect(notDone.body.error.code).toBe('ASSESSMENT_ILLEGAL_TRANSITION');
      expect(notDone.body.error.message).toContain('已申请');
    });

    it('lists: by state and person, expiring within a window, overdue for the officer', async () => {
      const byPerson = await call(officer, 'GET', `/api/v1/assessments?personId=${pudongPerson}&state=completed`);
      expect((byPerson.body.items as { id: string }[]).map((i) => i.id)).toContain(assessmentId);
      const soon = await call(officer, 'GET', '/api/v1/assessments/expiring?days=60');
      expect(soon.status).toBe(200);
      expect((soon.body.items as { id: string }[]).map((i) => i.id)).not.toContain(assessmentId);
      const later = await call(officer, 'GET', '/api/v1/assessments/expiring?days=366');
      expect((later.body.items as { id: string }[]).map((i) => i.id)).not.toContain(assessmentId);
      // make the result expire soon, and an open application late
      await p.ctx.db.run(sql`UPDATE assessment.application SET valid_until = current_date + 10 WHERE id = ${assessmentId}::uuid`);
      const nowSoon = await call(officer, 'GET', '/api/v1/assessments/expiring');
      expect((nowSoon.body.items as { id: string }[]).map((i) => i.id)).toContain(assessmentId);
      const other = await firstPerson('310115', 1);
      const late = await call(officer, 'POST', '/api/v1/assessments', { personId: other, reason: 'change', channel: 'online', applicant: 'self' });
      expect(late.status).toBe(201);
      await p.ctx.db.run(sql`UPDATE assessment.application SET expected_visit_by = current_date - 1 WHERE id = ${late.body.id}::uuid`);
      const overdue = await call(officer, 'GET', '/api/v1/assessments/overdue');
      expect((overdue.body.items as { id: string; overdue: boolean }[]).find((i) => i.id === late.body.id)?.overdue).toBe(true);
      const flagged = await call(officer, 'GET', '/api/v1/assessments?overdue=true');
      expect((flagged.body.items as { id: string }[]).map((i) => i.id)).toContain(late.body.id);
    });

    it('instrument for the tablet (public) and stateless scoring (the CLI line)', async () => {
      const inst = await p.app.inject({ method: 'GET', url: '/api/v1/instruments/gbt42195-2022' });
      expect(inst.statusCode).toBe(200);
      expect((inst.json() as { items: unknown[] }).items).toHaveLength(26);
      expect((await p.app.inject({ method: 'GET', url: '/api/v1/instruments/nope' })).statusCode).toBe(404);
      const full = answers(() => 0);
      const s = await call(a1, 'POST', '/api/v1/assessments/score', { id: 'a1', answers: full });
      expect(s.status).toBe(200);
      expect(s.body).toMatchObject({ id: 'a1', total: 0, level: 4, levelName: '完全失能' });
      const e = await call(a1, 'POST', '/api/v1/assessments/score', { id: 'a2', answers: { ...full, '27': 1 } });
      expect(e.status).toBe(400);
      expect(e.body).toMatchObject({ id: 'a2', error: { code: 'unknown_item' } });
      const anon = await call(a1, 'POST', '/api/v1/assessments/score', { answers: full, coma: true });
      expect(anon.status).toBe(200);
      expect(anon.body.id).toBeUndefined();
      expect(anon.body).toMatchObject({ level: 4, adjustments: [{ code: expect.any(String) }] });
      expect((await call(await p.token('citizen'), 'POST', '/api/v1/assessments/score', { id: 'x', answers: full })).status).toBe(403);
    });
  });
}
