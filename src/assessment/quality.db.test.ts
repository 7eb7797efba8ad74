// Quality control through the API on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL:
// figures of the caller's scope only, cross-checked against the table; out-of-scope results not
// counted; outliers with Chinese reasons; a reproducible sample; the read audited.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

const FROM = '2025-06-01';
const TO = '2026-12-31';

for (const backend of backends()) {
  describe(`assessment quality control (${backend})`, () => {
    let p: TestPlatform;
    let pudong: string;
    let huangpu: string;
    let admin: string;
    const huangpuIds: string[] = [];

    const get = async (token: string, query: string) => {
      const r = await p.app.inject({ method: 'GET', url: `/api/v1/assessments/quality${query}`, headers: { authorization: `Bearer ${token}` } });
      return { status: r.statusCode, body: r.json() as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      pudong = await p.token('officer.pudong');
      huangpu = await p.token('officer.huangpu');
      admin = await p.token('admin');
      // three completed results in 黄浦 (out of the Pudong officer's scope), written directly
      await p.ctx.db.tx(async (q) => {
        const agency = (await q.one<{ id: string }>(sql`SELECT id FROM assessment.agency WHERE code = '310101-A'`))!;
        const person = (await q.one<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310101' LIMIT 1`))!;
        for (const [i, level] of [4, 4, 3].entries()) {
          const id = randomUUID();
          huangpuIds.push(id);
          await q.run(sql`INSERT INTO assessment.application (district_code, id, person_id, region_code, reason, channel, applicant, state, applied_on,
              agency_id, assessor1_id, assessor2_id, level, started_at, submitted_at, completed_at)
            VALUES ('310101', ${id}::uuid, ${person.id}::uuid, '310101', 'first', 'centre', 'family', 'completed', ${`2026-03-0${i + 1}`}::date,
              ${agency.id}::uuid, ${randomUUID()}::uuid, ${randomUUID()}::uuid, ${level},
              '2026-03-10T02:00:00Z', '2026-03-10T02:05:00Z', '2026-03-11T02:00:00Z')`);
        }
      }, { asAppRole: false });
    });
    afterAll(async () => {
      await p?.close();
    });

    it('a 浦东 officer sees only 浦东 figures, equal to the table, with the demo outliers explained in Chinese', async () => {
      const r = await get(pudong, `?from=${FROM}&to=${TO}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const b = r.body;
      expect(b.districts.map((d: { districtCode: string }) => d.districtCode)).toEqual(['310115']);
      expect(b.agencies.length).toBeGreaterThanOrEqual(2);
      expect(b.agencies.every((a: { districtCode: string; code: string }) => a.districtCode === '310115' && a.code.startsWith('310115-'))).toBe(true);
      expect(b.assessors.every((a: { districtCode: string }) => a.districtCode === '310115')).toBe(true);
      const ids = new Set(b.sample.applicationIds as string[]);
      expect(huangpuIds.some((id) => ids.has(id))).toBe(false);

      // the district distribution is the table's, counted independently
      const counts = await p.ctx.db.rows<{ level: number; n: number }>(sql`SELECT level, count(*)::int AS n FROM assessment.application
        WHERE district_code = '310115' AND state = 'completed' AND (completed_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${FROM}::date AND ${TO}::date
        GROUP BY level`);
      const expected = [0, 0, 0, 0, 0];
      for (const c of counts) expected[c.level] = c.n;
      expect(b.districts[0].distribution).toEqual(expected);
      expect(b.districts[0].results).toBe(expected.reduce((s, n) => s + n, 0));
      expect(b.agencies.reduce((s: number, a: { results: number }) => s + a.results, 0)).toBe(b.districts[0].results);
      expect(b.levels).toHaveLength(5);

      // the demo's second agency is quick and often changed on review: flagged, reasons in Chinese
      expect(b.outliers.length).toBeGreaterThan(0);
      for (const o of b.outliers as { name: string; flags: { code: string; message: string }[] }[]) {
        expect(o.name).toBeTruthy();
        for (const f of o.flags) expect(f.message).toMatch(/[\u4e00-\u9fff]/);
      }
      const kappas = (b.agencies as { kappa: number | null }[]).map((a) => a.kappa).filter((k): k is number => k !== null);
      expect(kappas.every((k) => k <= 1 && k >= -1)).toBe(true);
      // every sampled id is a first assessment (not a review) of the district
      const sampled = await p.ctx.db.rows<{ reason: string; district_code: string }>(sql`SELECT reason, district_code FROM assessment.application
        WHERE id IN (${sql.join([...ids].map((id) => sql`${id}::uuid`), sql`, `)})`);
      expect(sampled).toHaveLength(ids.size);
      expect(sampled.every((s) => s.reason !== 'review' && s.district_code === '310115')).toBe(true);
    });

    it('out-of-scope results are not counted: asking for 黄浦 gives a 浦东 officer nothing; the 黄浦 officer sees exactly them', async () => {
      const other = await get(pudong, `?from=${FROM}&to=${TO}&districtCode=310101`);
      expect(other.status).toBe(200);
      expect(other.body.districts).toEqual([]);
      expect(other.body.agencies).toEqual([]);

      const hp = await get(huangpu, `?from=${FROM}&to=${TO}`);
      expect(hp.status).toBe(200);
      expect(hp.body.districts).toEqual([{ districtCode: '310101', results: 3, distribution: [0, 0, 0, 1, 2], shares: [0, 0, 0, 1 / 3, 2 / 3] }]);
      expect(hp.body.agencies).toHaveLength(1);
      expect(hp.body.agencies[0]).toMatchObject({ code: '310101-A', results: 3, daysToResult: { mean: 9, median: 9 }, minutesVisitToSubmit: { mean: 5, median: 5 } });
      expect(hp.body.sample.applicationIds).toHaveLength(1); // ⌈5% × 3⌉

      const all = await get(admin, `?from=${FROM}&to=${TO}`);
      expect(all.body.districts.map((d: { districtCode: string }) => d.districtCode)).toEqual(['310101', '310115']);
    });

    it('the period bounds the results; the sample is reproducible; the share is a parameter', async () => {
      const hp = await get(huangpu, '?from=2026-03-12&to=2026-12-31');
      expect(hp.body.districts).toEqual([]);
      const a = await get(pudong, `?from=${FROM}&to=${TO}`);
      const again = await get(pudong, `?from=${FROM}&to=${TO}`);
      expect(again.body.sample).toEqual(a.body.sample);
      const more = await get(pudong, `?from=${FROM}&to=${TO}&sampleShare=0.5`);
      expect(more.body.sample.share).toBe(0.5);
      expect(more.body.sample.applicationIds.length).toBeGreaterThan(a.body.sample.applicationIds.length);
      // a period before the instrument's first version: no results, labelled with the latest version's levels
      const early = await get(pudong, '?from=2020-01-01&to=2020-12-31');
      expect(early.status).toBe(200);
      expect(early.body.levels).toHaveLength(5);
    });

    it('auditor reads; assessor and citizen may not; bad periods are 400; the read is audited', async () => {
      expect((await get(await p.token('auditor'), `?from=${FROM}&to=${TO}`)).status).toBe(200);
      expect((await get(await p.token('assessor'), '')).status).toBe(403);
      expect((await get(await p.token('citizen'), '')).status).toBe(403);
      expect((await get(pudong, '?from=2026-05-01&to=2026-04-01')).status).toBe(400);
      expect((await get(pudong, '?from=2026-02-30')).status).toBe(400);
      expect((await get(pudong, '?districtCode=31')).status).toBe(400);
      const audited = await p.ctx.db.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.audit_log WHERE action = 'assessment.quality'`);
      expect(audited[0]!.n).toBeGreaterThan(0);
    });
  });
}
