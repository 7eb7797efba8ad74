// Closing an application before its result, through app.inject(), on PGlite and (when
// TEST_DATABASE_URL is set) PostgreSQL: 不予受理 (reject, officer, only from `applied`) and 撤销
// (cancel, applied / assigned / in progress), each with a Chinese reason kept on the application,
// audited and emitted; wrong state → 409 naming it, wrong role → 403, out of scope → 404.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`assessment reject and cancel (${backend})`, () => {
    let p: TestPlatform;
    let officer: string;
    let advisor: string;
    let a1: string;
    let a2: string;
    let huangpuOfficer: string;
    let people: string[];
    let agency: { id: string; assessors: string[] };
    let ids: [string, string];

    const call = async (token: string, method: string, url: string, payload?: unknown) => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Record<string, any>) : {} }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const apply = async (personId: string) => {
      const r = await call(advisor, 'POST', '/api/v1/assessments', { personId, reason: 'first', channel: 'centre', applicant: 'family' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; version: number; state: string };
    };
    const assign = async (id: string) => {
      const r = await call(officer, 'POST', `/api/v1/assessments/${id}/assign`, { agencyId: agency.id, assessorIds: ids });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as { id: string; version: number; state: string };
    };
    const auditOf = (id: string) =>
      p.ctx.db.rows<{ action: string; details: Record<string, unknown> }>(sql`SELECT action, details FROM platform.audit_log WHERE entity_id = ${id} ORDER BY seq`);
    const eventsOf = async (topic: string, id: string) =>
      (await p.ctx.db.rows<{ payload: Record<string, unknown> }>(sql`SELECT payload FROM platform.outbox WHERE topic = ${topic}`)).filter((e) => e.payload.applicationId === id);

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      officer = await p.token('officer.pudong');
      advisor = await p.token('advisor');
      a1 = await p.token('assessor');
      a2 = await p.token('assessor2');
      huangpuOfficer = await p.token('officer.huangpu');
      const admin = await p.token('admin');
      // people of 浦东 without an open application (the demo gives some people one)
      const open = new Set(((await call(admin, 'GET', '/api/v1/assessments?limit=200')).body.items as { personId: string; state: string }[])
        .filter((a) => ['applied', 'assigned', 'in_progress', 'submitted'].includes(a.state)).map((a) => a.personId));
      people = ((await call(admin, 'GET', '/api/v1/people?districtCode=310115&ageMin=61&limit=40')).body.items as { id: string }[])
        .map((x) => x.id).filter((x) => !open.has(x));
      const ag = (await call(officer, 'GET', '/api/v1/assessments/agencies')).body.items as { id: string; code: string; assessors: string[] }[];
      agency = ag.find((a) => a.code === '310115-A')!;
      const me = async (t: string) => (await call(t, 'GET', '/api/v1/auth/me')).body.user.id as string;
      ids = [await me(a1), await me(a2)];
    });
    afterAll(async () => {
      await p?.close();
    });

    it('an officer rejects an application (不予受理) with a reason: kept, audited, emitted; it is then closed', async () => {
      const app = await apply(people[0]!);
      const r = await call(officer, 'POST', `/api/v1/assessments/${app.id}/reject`, { reason: '申请材料不全，请补充后重新申请', version: app.version });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ state: 'rejected', stateName: '不予受理', stateReasons: [{ code: 'not_accepted', message: '申请材料不全，请补充后重新申请' }] });
      expect(r.body.version).toBe(app.version + 1);
      const audit = await auditOf(app.id);
      expect(audit.find((a) => a.action === 'assessment.reject')?.details).toMatchObject({ from: 'applied', to: 'rejected', reason: { code: 'not_accepted', message: '申请材料不全，请补充后重新申请' } });
      const events = await eventsOf('assessment.rejected', app.id);
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).not.toHaveProperty('reason'); // free text stays out of events

      const again = await call(officer, 'POST', `/api/v1/assessments/${app.id}/reject`, { reason: '重复操作' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: 'ASSESSMENT_ILLEGAL_TRANSITION', details: [{ path: 'state', message: 'rejected' }] });
      expect(again.body.error.message).toBe('评估申请当前状态为“不予受理”（rejected），不能不予受理');
      const cancel = await call(advisor, 'POST', `/api/v1/assessments/${app.id}/cancel`, { reason: '家属要求撤销' });
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.message).toContain('不能撤销');
      // closed: the person may apply again
      const next = await apply(people[0]!);
      expect(next.state).toBe('applied');
    });

    it('reject only from 已申请: an assigned application cannot be rejected, it can be cancelled', async () => {
      const app = await assign((await apply(people[1]!)).id);
      const r = await call(officer, 'POST', `/api/v1/assessments/${app.id}/reject`, { reason: '不符合条件' });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('ASSESSMENT_ILLEGAL_TRANSITION');
      expect(r.body.error.message).toContain('已派单');
      const c = await call(officer, 'POST', `/api/v1/assessments/${app.id}/cancel`, { reason: '老人已入住医院，家属申请撤销' });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
      expect(c.body).toMatchObject({ state: 'cancelled', stateName: '已撤销', stateReasons: [{ code: 'withdrawn' }] });
      expect(await eventsOf('assessment.cancelled', app.id)).toHaveLength(1);
    });

    it('cancel during the visit (评估中) with optimistic concurrency; not once submitted', async () => {
      const app = await assign((await apply(people[2]!)).id);
      const rec = await call(a1, 'PUT', `/api/v1/assessments/${app.id}/answers`, { opId: randomUUID(), answers: { '1': 0 } });
      expect(rec.status, JSON.stringify(rec.body)).toBe(200);
      const current = rec.body.assessment as { version: number; state: string };
      expect(current.state).toBe('in_progress');
      const stale = await call(advisor, 'POST', `/api/v1/assessments/${app.id}/cancel`, { reason: '本人不愿评估', version: current.version - 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('CONFLICT_VERSION');
      const ok = await call(advisor, 'POST', `/api/v1/assessments/${app.id}/cancel`, { reason: '本人不愿评估', version: current.version });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.state).toBe('cancelled');
      expect((await auditOf(app.id)).map((a) => a.action)).toContain('assessment.cancel');
      // answers can no longer be recorded
      const late = await call(a1, 'PUT', `/api/v1/assessments/${app.id}/answers`, { opId: randomUUID(), answers: { '2': 0 } });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toContain('已撤销');

      const sub = await assign((await apply(people[3]!)).id);
      await p.ctx.db.run(sql`UPDATE assessment.application SET state = 'submitted' WHERE id = ${sub.id}::uuid`);
      const no = await call(officer, 'POST', `/api/v1/assessments/${sub.id}/cancel`, { reason: '家属要求撤销' });
      expect(no.status).toBe(409);
      expect(no.body.error.message).toBe('评估申请当前状态为“已提交待复核签字”（submitted），不能撤销');
    });

    it('a reason is required, in Chinese, at most 500 characters', async () => {
      const app = await apply(people[4]!);
      // The schema's own Chinese messages reach the client (platform/http.ts zhIssue).
      const cases: [object, string][] = [
        [{}, '类型不正确或缺少该字段'],
        [{ reason: '   ' }, '请填写原因'],
        [{ reason: 'withdrawn by family' }, '请用中文填写原因'],
        [{ reason: '撤'.repeat(501) }, '原因不能超过 500 字'],
      ];
      for (const [body, message] of cases) {
        const r = await call(advisor, 'POST', `/api/v1/assessments/${app.id}/cancel`, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error.code).toBe('VALIDATION_FAILED');
        expect(r.body.error.details).toEqual([{ path: 'reason', message }]);
      }
      expect((await call(advisor, 'GET', `/api/v1/assessments/${app.id}`)).body.state).toBe('applied');
    });

    it('wrong role → 403; out of scope → 404', async () => {
      const app = await apply(people[5]!);
      for (const t of [advisor, a1, await p.token('auditor'), await p.token('citizen')]) {
        const r = await call(t, 'POST', `/api/v1/assessments/${app.id}/reject`, { reason: '不符合条件' });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
      }
      for (const t of [a1, await p.token('auditor')]) {
        expect((await call(t, 'POST', `/api/v1/assessments/${app.id}/cancel`, { reason: '家属要求撤销' })).status).toBe(403);
      }
      for (const action of ['reject', 'cancel']) {
        const r = await call(huangpuOfficer, 'POST', `/api/v1/assessments/${app.id}/${action}`, { reason: '不符合条件' });
        expect(r.status, action).toBe(404);
      }
      expect((await call(officer, 'POST', `/api/v1/assessments/${randomUUID()}/cancel`, { reason: '家属要求撤销' })).status).toBe(404);
      expect((await call(advisor, 'GET', `/api/v1/assessments/${app.id}`)).body.state).toBe('applied');
    });

    it('both moves are in the OpenAPI document', async () => {
      const doc = (await p.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      expect(doc.paths['/api/v1/assessments/{id}/reject']?.post).toBeDefined();
      expect(doc.paths['/api/v1/assessments/{id}/cancel']?.post).toBeDefined();
    });
  });
}
