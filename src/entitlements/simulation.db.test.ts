// What-if simulations over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL: an
// officer copies the parameters, changes some, and gets people gaining / losing / changed and the
// monthly and yearly cost for the population in scope, per district, with example people; the
// figures agree with evaluating every person directly; bad changes are refused with the checker's
// reasons; runs are kept and listed; another district cannot see them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn, type LocalDate } from '../core/dates.ts';
import { sql } from '../platform/db.ts';
import { SIMULATION_PORTS } from '../app.ts';
import { compileParameterFiles, createEngine, loadParameters, readParameterFiles } from './index.ts';
import { factsOf } from './recompute.ts';
import { applyChanges } from './simulate.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`entitlement simulations (${backend})`, () => {
    let p: TestPlatform;
    let officer: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const finished = async (token: string, id: string): Promise<Body> => {
      for (let i = 0; i < 200; i++) {
        const r = await call(token, 'GET', `/api/v1/entitlements/simulations/${id}`);
        if (r.body.status === 'done' || r.body.status === 'failed') return r.body;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error('simulation did not finish');
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 400 });
      officer = await p.token('officer.pudong');
    });
    afterAll(async () => {
      await p?.close();
    });

    it('raising the 80–89 band: everyone 80–89 in scope changes, nobody gains or loses, the cost is the difference; figures agree with a direct evaluation', async () => {
      const r = await call(officer, 'POST', '/api/v1/entitlements/simulations', { name: '80–89 岁提高到 200 元', changes: [{ scheme: 'allowance', name: 'monthlyFen', value: { '80-89': 20000 } }] });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      expect(['queued', 'running', 'done']).toContain(r.body.status);
      const s = await finished(officer, r.body.id);
      expect(s.status).toBe('done');
      const a = s.result.schemes.allowance;
      expect(a.gaining).toBe(0);
      expect(a.losing).toBe(0);

      // The same figures, computed person by person here.
      const asOf = todayIn(p.ctx.clock) as LocalDate;
      const base = createEngine(await loadParameters(), { rootCode: '310000' });
      const alt = createEngine(compileParameterFiles(applyChanges((await readParameterFiles()).files, [{ scheme: 'allowance', name: 'monthlyFen', value: { '80-89': 20000 } }], asOf, '310000', 't')), { rootCode: '310000' });
      let people = 0;
      let changed = 0;
      let delta = 0;
      let after: string | null = null;
      for (;;) {
        const rows = await p.ctx.db.tx((q) => SIMULATION_PORTS.page(q, '310115', after, 1000), { scope: '310115', asAppRole: true });
        if (rows.length === 0) break;
        const grades = await p.ctx.db.tx((q) => SIMULATION_PORTS.grades(q, rows.map((x) => x.id), asOf), { asAppRole: false });
        for (const row of rows) {
          const f = factsOf(row, grades.get(row.id));
          const b = base.evaluate(f, asOf);
          const c = alt.evaluate(f, asOf);
          people += 1;
          if (b.allowance.monthlyFen !== c.allowance.monthlyFen) changed += 1;
          delta += c.allowance.monthlyFen - b.allowance.monthlyFen;
        }
        after = rows[rows.length - 1]!.id;
      }
      expect(s.result.people).toBe(people);
      expect(s.total).toBe(people);
      expect(a.changed).toBe(changed);
      expect(changed).toBeGreaterThan(0);
      expect(a.monthlyFenDelta).toBe(delta);
      expect(a.monthlyFenDelta).toBe(changed * 2000);
      expect(a.yearlyFenDelta).toBe(delta * 12);
      expect(Object.keys(s.result.districts)).toEqual(['310115']);
      expect(s.result.districts['310115'].schemes.allowance.changed).toBe(changed);
      expect(a.examples.changed.length).toBe(Math.min(5, changed));
      expect(a.examples.changed[0]).toMatchObject({ before: 18000, after: 20000 });
      expect(a.examples.changed[0].age).toBeGreaterThanOrEqual(80);
    });

    it('lowering the LTCI grade threshold to 1 with hours for grade 1: people gain, nobody loses', async () => {
      const r = await call(officer, 'POST', '/api/v1/entitlements/simulations', {
        name: '长护险放宽到一级', changes: [{ scheme: 'ltci', name: 'minGrade', value: 1 }, { scheme: 'ltci', name: 'homeCareHoursPerWeek', value: { '1': 2 } }],
      });
      const s = await finished(officer, r.body.id);
      expect(s.status).toBe('done');
      expect(s.result.schemes.ltci.losing).toBe(0);
      expect(s.result.schemes.ltci.gaining).toBe(s.result.schemes.ltci.eligibleAfter - s.result.schemes.ltci.eligibleBefore);
      expect(s.result.schemes.ltci.monthlyFenDelta).toBeNull();
    });

    it('a change that breaks the parameters is refused with the reason; nothing is run', async () => {
      const before = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM entitlements.simulation`))!.n;
      const bad = await call(officer, 'POST', '/api/v1/entitlements/simulations', { name: '错误', changes: [{ scheme: 'ltci', name: 'fundShareHome', value: 90 }] });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toMatch(/比例/);
      const unknown = await call(officer, 'POST', '/api/v1/entitlements/simulations', { name: '错误', changes: [{ scheme: 'allowance', name: 'salary', value: 1 }] });
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body)).toMatch(/没有名为 \\"salary\\" 的参数/);
      expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM entitlements.simulation`))!.n).toBe(before);
    });

    it('runs are kept and listed for comparison; 黄浦 sees none of 浦东’s; an advisor may not simulate', async () => {
      const list = await call(officer, 'GET', '/api/v1/entitlements/simulations');
      expect(list.body.items.map((x: Body) => x.name)).toEqual(['长护险放宽到一级', '80–89 岁提高到 200 元']);
      expect(list.body.items.every((x: Body) => x.result !== null)).toBe(true);
      const huangpu = await call(await p.token('officer.huangpu'), 'GET', '/api/v1/entitlements/simulations');
      expect(huangpu.body.items).toEqual([]);
      expect((await call(await p.token('officer.huangpu'), 'GET', `/api/v1/entitlements/simulations/${list.body.items[0].id}`)).status).toBe(404);
      expect((await call(await p.token('advisor'), 'GET', '/api/v1/entitlements/simulations')).status).toBe(403);
    });
  });
}
