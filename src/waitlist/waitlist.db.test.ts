// The waiting list end to end over HTTP, on PGlite and (when TEST_DATABASE_URL is set)
// PostgreSQL: eligibility and tier from the entitlement rules; apply, change, pause, withdraw;
// a dry run writes nothing; a district officer may only try; a city run reserves beds, makes
// offers, logs messages and passes its fairness check; accept → admitted (bed occupied);
// decline → the bed goes to the next applicant by the automatic run; an offer expires after its
// working days; a run replays to the same result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { usccCheckChar } from '../supply/index.ts';
import { allocate } from './allocate.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { waitlistPorts, waitlistService } from '../app.ts';
import { scopePrefix } from '../core/regions.ts';
import { WaitlistService } from './service.ts';
import { getRun } from './store.ts';
import { replayRun } from './replay.ts';
import { spawnSync } from 'node:child_process';
import { diffDays, localDateOf, todayIn } from '../core/dates.ts';

for (const backend of backends()) {
  describe(`waiting list (${backend})`, () => {
    let p: TestPlatform;
    let now = new Date('2026-11-27T02:00:00Z'); // a Friday, 10:00 in Shanghai
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (user: string | null, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const headers: Record<string, string> = user ? { authorization: `Bearer ${await p.token(user)}` } : {};
      const r = await p.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const fac = { A: '', B: '' };
    let eligible: { id: string; tier: number }[] = [];
    let ineligible = '';
    const apps: string[] = [];

    let providerId = '';
    const newFacility = async (name: string, regionCode: string, lon: number, lat: number, basicBeds: number, approver: string) => {
      const by = approver === 'officer.pudong' ? 'provider' : 'officer';
      const f = await call(by, 'POST', '/api/v1/supply/facilities', {
        ...(by === 'provider' ? {} : { providerId }), name, typeCode: 'care_home', ownership: 'public', basicGuarantee: true, regionCode, address: '测试路 1 号', lon, lat, phone: '021-58880000', functions: ['institutional_care'],
      });
      expect(f.status, JSON.stringify(f.body)).toBe(201);
      if (by === 'provider') {
        expect((await call(by, 'POST', `/api/v1/supply/facilities/${f.body.id}/submit`, {})).status).toBe(200);
        expect((await call(approver, 'POST', `/api/v1/supply/facilities/${f.body.id}/approve`, {})).status).toBe(200);
      } else expect(f.body.status).toBe('approved'); // an officer's own entry needs no review
      const room = await call(by, 'POST', `/api/v1/supply/facilities/${f.body.id}/rooms`, {
        name: '101', floor: 1, beds: [...Array.from({ length: basicBeds }, () => ({ kind: 'nursing', basicGuarantee: true })), { kind: 'general', basicGuarantee: false }],
      });
      expect(room.status).toBe(201);
      return f.body.id as string;
    };
    const vacancyOf = async (id: string) => (await call('officer', 'GET', `/api/v1/supply/facilities/${id}`)).body;

    beforeAll(async () => {
      // The clock jumps days ahead to let an offer expire: sessions must outlive it.
      p = await startTestPlatform(backend, { people: 400, clock: () => now, env: { YIYANG_SESSION_IDLE_MINUTES: String(60 * 24 * 30) } });
      const body17 = '52310115MJ0000002';
      const prov = await call('provider', 'POST', '/api/v1/supply/providers', { name: '测试公办养老院', uscc: body17 + usccCheckChar(body17), legalRepresentative: '张三', kind: 'public_institution', phone: '021-58880000' });
      expect(prov.status).toBe(201);
      providerId = prov.body.id;
      fac.A = await newFacility('浦东测试敬老院', '310115004', 121.53, 31.22, 2, 'officer.pudong');
      fac.B = await newFacility('黄浦测试养老院', '310101002', 121.48, 31.24, 1, 'officer.huangpu');
      // Who qualifies, by the entitlement rules on the register and the grades in force.
      const ids = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' AND death_date IS NULL ORDER BY id`)).map((r) => r.id);
      const svc = waitlistService(p.ctx);
      const facts = await p.ctx.db.tx((q) => (svc as unknown as { ports: { people: (q: unknown, ids: string[], d: string) => Promise<Map<string, { eligible: boolean; tier: number | null }>> } }).ports.people(q, ids, todayIn(() => now)), { asAppRole: false });
      eligible = [...facts.entries()].filter(([, f]) => f.eligible).map(([id, f]) => ({ id, tier: f.tier! }));
      ineligible = [...facts.entries()].find(([, f]) => !f.eligible)![0];
      expect(eligible.length).toBeGreaterThanOrEqual(4);
    });
    afterAll(async () => {
      await p?.close();
    });

    it('publishes its rules, generated from the parameters, without a login', async () => {
      const r = await call(null, 'GET', '/api/v1/waitlist/rules');
      expect(r.status).toBe(200);
      expect(r.body.order[0]).toContain('优先层级');
      expect(r.body.order.join()).toContain('就近');
      expect(r.body.tiers[0]).toMatch(/^第 1 层级：特困/);
      expect(r.body.offers.join()).toContain('3 个工作日');
      const f = await call(null, 'GET', '/api/v1/waitlist/facilities');
      expect(f.body.items.map((x: Body) => x.id)).toEqual(expect.arrayContaining([fac.A, fac.B]));
      expect(f.body.items.find((x: Body) => x.id === fac.A)).toMatchObject({ basicBeds: 2, vacantBasicBeds: 2, waiting: 0 });
    });

    it('refuses who does not qualify (with the reason), unknown facilities, a second open application, and people out of scope', async () => {
      const no = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: ineligible, mode: 'choices', choices: [fac.A] });
      expect(no.status).toBe(409);
      expect(no.body.error.code).toBe('WAITLIST_NOT_ELIGIBLE');
      expect(no.body.error.message).toMatch(/不符合保基本养老床位轮候条件：.+/);
      const unknown = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: eligible[0]!.id, mode: 'choices', choices: ['00000000-0000-4000-8000-000000000000'] });
      expect(unknown.status).toBe(400);
      const tooMany = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: eligible[0]!.id, mode: 'choices', choices: [fac.A, fac.A] });
      expect(tooMany.status).toBe(400);
      const outside = await call('officer.huangpu', 'POST', '/api/v1/waitlist/applications', { personId: eligible[0]!.id, mode: 'choices', choices: [fac.A] });
      expect(outside.status).toBe(404);
      const noBody = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: eligible[0]!.id, mode: 'radius', radiusKm: 5 });
      expect(noBody.status).toBe(400);
    });

    it('applications: ranked choices across districts or "any within N km"; positions per choice with the number ahead by tier', async () => {
      for (const [i, e] of eligible.slice(0, 4).entries()) {
        now = new Date(now.getTime() + 60_000);
        const body = i === 3 ? { personId: e.id, mode: 'radius', radiusKm: 3, origin: { lon: 121.53, lat: 31.22, label: '潍坊新村街道' } } : { personId: e.id, mode: 'choices', choices: i === 0 ? [fac.B, fac.A] : [fac.A, fac.B] };
        const r = await call('advisor', 'POST', '/api/v1/waitlist/applications', body);
        expect(r.status, JSON.stringify(r.body)).toBe(201);
        expect(r.body).toMatchObject({ status: 'active', tier: e.tier, personId: e.id });
        apps.push(r.body.id);
      }
      const again = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: eligible[0]!.id, mode: 'choices', choices: [fac.A] });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('WAITLIST_ALREADY_OPEN');
      const radius = await call('advisor', 'GET', `/api/v1/waitlist/applications/${apps[3]}`);
      expect(radius.body.choices.map((c: Body) => c.facilityId)).toEqual([fac.A]); // B is ≈ 5 km away
      const last = await call('advisor', 'GET', `/api/v1/waitlist/applications/${apps[2]}`);
      const atA = last.body.choices.find((c: Body) => c.facilityId === fac.A);
      // Everyone listing A who ranks before this applicant: tier, then district, then time.
      const before = eligible.slice(0, 4).filter((e, i) => i !== 2 && (e.tier < eligible[2]!.tier || (e.tier === eligible[2]!.tier && i < 2)));
      expect(atA.position).toBe(before.length + 1);
      expect(Object.values(atA.aheadByTier as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(before.length);
      expect(last.body.history[0]).toMatchObject({ kind: 'applied' });
    });

    it('a district officer may try a run but not start one; a dry run changes nothing', async () => {
      const real = await call('officer.pudong', 'POST', '/api/v1/waitlist/runs', { dryRun: false });
      expect(real.status).toBe(403);
      expect(real.body.error.code).toBe('WAITLIST_RUN_CITY_ONLY');
      const dry = await call('officer.pudong', 'POST', '/api/v1/waitlist/runs', { dryRun: true });
      expect(dry.status).toBe(201);
      expect(dry.body).toMatchObject({ dryRun: true, fairnessOk: true });
      expect(dry.body.summary).toMatchObject({ applicants: 4, places: 3, offers: 3 });
      expect(dry.body.offers).toEqual([]);
      expect((await vacancyOf(fac.A)).beds.basicVacant).toBe(2);
      expect((await call('advisor', 'GET', `/api/v1/waitlist/applications/${apps[0]}`)).body.status).toBe('active');
    });

    it('a city run reserves the beds, makes offers with a deadline in working days, logs the messages, and passes its fairness check', async () => {
      const run = await call('officer', 'POST', '/api/v1/waitlist/runs', { dryRun: false });
      expect(run.status).toBe(201);
      expect(run.body).toMatchObject({ dryRun: false, fairnessOk: true, violations: 0 });
      expect(run.body.offers).toHaveLength(3);
      expect((await vacancyOf(fac.A)).beds.basicVacant).toBe(0);
      expect((await vacancyOf(fac.B)).beds.basicVacant).toBe(0);
      const offered = await call('advisor', 'GET', `/api/v1/waitlist/mine`);
      expect(offered.status).toBe(200);
      const views = await Promise.all(apps.map(async (id) => (await call('advisor', 'GET', `/api/v1/waitlist/applications/${id}`)).body));
      const withOffer = views.filter((v) => v.status === 'offered');
      expect(withOffer).toHaveLength(3);
      // Friday 10:00 + 3 working days → the end of Wednesday, Shanghai time.
      expect(withOffer[0]!.offers[0].deadline).toBe('2026-12-02T15:59:59.999Z');
      const msgs = await call('officer.pudong', 'GET', '/api/v1/messages?kind=waitlist.offer');
      expect(msgs.status).toBe(200);
      expect(msgs.body.items.length).toBeGreaterThanOrEqual(withOffer.filter((v) => v.districtCode === '310115').length);
      expect(msgs.body.items[0].body).toContain('请于 2026年12月2日 前');
      expect((await call('advisor', 'GET', '/api/v1/messages')).status).toBe(403);
      // The run replays to the same result from its stored input.
      const stored = await p.ctx.db.tx((q) => getRun(q, run.body.id), { asAppRole: false });
      const again = allocate(stored!.input.facilities, stored!.input.applicants.map((a) => ({ ...a, appliedAt: Date.parse(a.appliedAt) })), { order: stored!.rule.order as never });
      expect(again).toEqual(stored!.result);
      const rep = replayRun(stored!);
      expect(rep).toMatchObject({ same: true, differences: [] });
      expect(rep.fairness.ok).toBe(true);
      // A tampered record does not replay to itself.
      const tampered = replayRun({ ...stored!, result: { assignments: stored!.result.assignments.slice(1), unassigned: [...stored!.result.unassigned, stored!.result.assignments[0]!.applicant].sort() } });
      expect(tampered.same).toBe(false);
      expect(tampered.differences).toHaveLength(1);
      if (p.config.databaseUrl) {
        // `yiyang allocate replay` as a real process on the server database.
        const r = spawnSync(process.execPath, ['bin/yiyang.js', 'allocate', 'replay', String(stored!.seq)], { env: { ...process.env, DATABASE_URL: p.config.databaseUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
        expect(r.status, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ run: stored!.id, same: true, fairness: { ok: true } });
        expect(r.stderr).toContain('重算一致');
        const missing = spawnSync(process.execPath, ['bin/yiyang.js', 'allocate', 'replay', '999999'], { env: { ...process.env, DATABASE_URL: p.config.databaseUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
        expect(missing.status).toBe(2);
        expect(missing.stdout).toBe('');
      }
    });

    it('accept → admitted and the bed occupied; decline → the bed passes to the next applicant at once', async () => {
      const views = await Promise.all(apps.map(async (id) => (await call('advisor', 'GET', `/api/v1/waitlist/applications/${id}`)).body));
      const atA = views.filter((v) => v.status === 'offered' && v.offers[0].facilityId === fac.A);
      expect(atA.length).toBeGreaterThanOrEqual(1);
      const acc = await call('advisor', 'POST', `/api/v1/waitlist/offers/${atA[0]!.offers[0].id}/accept`);
      expect(acc.status).toBe(200);
      expect(acc.body.status).toBe('admitted');
      expect(acc.body.offers[0].status).toBe('accepted');
      expect((await call('advisor', 'POST', `/api/v1/waitlist/offers/${atA[0]!.offers[0].id}/decline`, { reason: '改主意' })).status).toBe(409);
      const waiting = views.find((v) => v.status === 'active')!;
      // The one still waiting chooses B too (a change keeps their place), so the declined bed has somewhere to go.
      if (!waiting.choices.some((c: Body) => c.facilityId === fac.B)) {
        expect((await call('advisor', 'PUT', `/api/v1/waitlist/applications/${waiting.id}`, { mode: 'choices', choices: [fac.A, fac.B] })).status).toBe(200);
      }
      const offeredB = views.find((v) => v.status === 'offered' && v.offers[0].facilityId === fac.B)!;
      const dec = await call('advisor', 'POST', `/api/v1/waitlist/offers/${offeredB.offers[0].id}/decline`, { reason: '离家太远' });
      expect(dec.status).toBe(200);
      expect(dec.body).toMatchObject({ status: 'active', declines: 1 });
      expect(dec.body.choices.map((c: Body) => c.facilityId)).not.toContain(fac.B);
      expect(dec.body.history.at(-1).summary).toContain('保留原排序');
      await p.ctx.dispatcher.runOnce(); // the vacancy event → an automatic run (in the event's transaction)
      const next = (await call('advisor', 'GET', `/api/v1/waitlist/applications/${waiting.id}`)).body;
      expect(next.status).toBe('offered');
      expect(next.offers[0].facilityId).toBe(fac.B);
      expect((await vacancyOf(fac.B)).beds.basicVacant).toBe(0);
      const auto = (await call('officer', 'GET', '/api/v1/waitlist/overview')).body.runs[0];
      expect(auto).toMatchObject({ trigger: 'vacancy', dryRun: false, fairnessOk: true });
      const runs = await call('officer', 'GET', '/api/v1/waitlist/overview');
      expect(runs.body.runs.every((r: Body) => r.fairnessOk)).toBe(true);
      const report = await call('officer', 'GET', '/api/v1/waitlist/report');
      expect(report.status).toBe(200);
      expect(report.body.offers.accepted).toBe(1);
      expect(report.body.offers.declined).toBe(1);
      expect(report.body.admissionsByMonth.reduce((s: number, m: Body) => s + m.admissions, 0)).toBe(1);
      expect(report.body.byTier.reduce((s: number, t: Body) => s + t.admitted.count, 0)).toBe(1);
      expect(report.body.fairness.runs).toBeGreaterThanOrEqual(1);
      expect(report.body.fairness.passed).toBe(report.body.fairness.runs);
      // A street officer's overview shows their district's queue (aggregates are per district).
      const street = await call('officer.weifang', 'GET', '/api/v1/waitlist/overview');
      expect(street.body.queue.length).toBeGreaterThan(0);
      expect(street.body.queue.every((q: Body) => q.districtCode === '310115')).toBe(true);
      // A district officer's report holds only their district.
      const huangpu = await call('officer.huangpu', 'GET', '/api/v1/waitlist/report');
      expect(huangpu.body.byDistrict.every((d: Body) => d.key.startsWith('310101'))).toBe(true);
    });

    it('an unanswered offer expires after its deadline: the bed goes back and the expiry counts as a decline', async () => {
      const views = await Promise.all(apps.map(async (id) => (await call('advisor', 'GET', `/api/v1/waitlist/applications/${id}`)).body));
      const open = views.filter((v) => v.status === 'offered');
      expect(open.length).toBeGreaterThanOrEqual(1);
      now = new Date('2026-12-02T16:00:01Z'); // Thursday, just after the deadline
      const expired = await waitlistService(p.ctx).expireDue();
      expect(expired).toBeGreaterThanOrEqual(1);
      const after = (await call('advisor', 'GET', `/api/v1/waitlist/applications/${open[0]!.id}`)).body;
      expect(after.offers[0]).toMatchObject({ status: 'expired' });
      expect(after.declines).toBeGreaterThanOrEqual(1);
      expect(after.history.some((h: Body) => h.kind === 'expired')).toBe(true);
    });

    it('a what-if replays the period\'s vacancies under the rule and a variant (a new facility) and compares waits', async () => {
      // A discharge: the admitted resident's bed falls vacant — the history the replay draws on.
      const beds = (await call('officer', 'GET', `/api/v1/supply/facilities/${fac.A}`)).body.bedList as Body[];
      const occupied = beds.find((b) => b.basicGuarantee && b.status === 'occupied')!;
      expect((await call('officer', 'PATCH', `/api/v1/supply/facilities/${fac.A}/beds`, { changes: [{ bedId: occupied.id, status: 'vacant', note: '退住' }] })).status).toBe(200);
      const pudong = await call('officer.pudong', 'POST', '/api/v1/waitlist/simulations', {});
      expect(pudong.status).toBe(200);
      // The replay is city-wide; a district officer is shown their district's applicants only.
      expect(pudong.body.byDistrict.every((d: Body) => d.key === '310115')).toBe(true);
      expect(pudong.body.byTier.reduce((s: number, t: Body) => s + t.base.applicants, 0)).toBe(pudong.body.applicants);
      expect(pudong.body.total.base.applicants).toBe(pudong.body.applicants);
      expect((await call('advisor', 'POST', '/api/v1/waitlist/simulations', {})).status).toBe(403);
      const sim = await call('officer', 'POST', '/api/v1/waitlist/simulations', { newFacility: { name: '新建浦东福利院', districtCode: '310115', beds: 5, turnoverPerYear: 0.3 } });
      expect(sim.status, JSON.stringify(sim.body)).toBe(200);
      expect(sim.body.baseVacancies).toBe(1);
      expect(sim.body.vacancies).toBeGreaterThanOrEqual(6);
      expect(sim.body.total.base.placed).toBe(1);
      expect(sim.body.total.variant.placed).toBeGreaterThan(sim.body.total.base.placed);
      expect(sim.body.byDistrict.find((d: Body) => d.key === '310115').variant.placed).toBeGreaterThan(sim.body.byDistrict.find((d: Body) => d.key === '310115').base.placed);
      const bad = await call('officer', 'POST', '/api/v1/waitlist/simulations', { order: ['tier', 'height'] });
      expect(bad.status).toBe(400);
    });

    it('the officers\' list: open applications in queue order with names, filtered and scoped; closed ones by status', async () => {
      const all = await call('officer', 'GET', '/api/v1/waitlist/applications');
      expect(all.status).toBe(200);
      const open = await p.ctx.db.rows<{ id: string; tier: number; priority_at: string }>(sql`SELECT id, tier, priority_at::text FROM waitlist.application WHERE status IN ('active', 'paused', 'offered')`);
      expect(all.body.total).toBe(open.length);
      const key = (x: Body) => [x.tier, x.priorityAt, x.id] as const;
      const items = all.body.items as Body[];
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [key(items[i - 1]!), key(items[i]!)];
        expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2]))), 'queue order').toBe(true);
      }
      expect(items.every((x) => x.personName !== '')).toBe(true);
      for (const x of items.slice(0, 5)) {
        const c = (await p.ctx.db.one<{ c: string }>(sql`SELECT created_at::text AS c FROM waitlist.application WHERE id = ${x.id}::uuid`))!.c;
        expect(x.waitingDays).toBe(diffDays(todayIn(() => now), localDateOf(new Date(c))));
      }
      const tier = items[0]!.tier as number;
      expect((await call('officer', 'GET', `/api/v1/waitlist/applications?tier=${tier}`)).body.items.every((x: Body) => x.tier === tier)).toBe(true);
      expect((await call('officer.huangpu', 'GET', '/api/v1/waitlist/applications')).body.items.every((x: Body) => x.districtCode === '310101')).toBe(true);
      expect((await call('officer', 'GET', '/api/v1/waitlist/applications?district=310101')).body.items.every((x: Body) => x.districtCode === '310101')).toBe(true);
      const admitted = await call('officer', 'GET', '/api/v1/waitlist/applications?status=admitted');
      expect(admitted.body.total).toBe(1);
      expect(admitted.body.items[0]).toMatchObject({ status: 'admitted', statusName: '已入住' });
      const mine = await call('advisor', 'GET', `/api/v1/waitlist/applications?personId=${admitted.body.items[0].personId}`);
      expect(mine.body.items.map((x: Body) => x.status)).toEqual(['admitted']);
    });

    it('a district page lists exactly the open applications filed in that district and lying in it', async () => {
      const d = (await p.ctx.db.one<{ d: string }>(sql`SELECT district_code AS d FROM waitlist.application WHERE status = 'active' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`))!.d;
      const count = async () => (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM waitlist.application
        WHERE status IN ('active', 'paused', 'offered') AND district_code = ${d} AND region_code LIKE ${d + '%'}`))!.n;
      const page = async () => (await call('officer', 'GET', `/api/v1/waitlist/applications?district=${d}`)).body as { total: number; items: Body[] };
      expect((await page()).total).toBe(await count());
      // One application filed under the district but lying in another (by SQL): the page leaves it out, as the SQL filter does.
      const x = (await p.ctx.db.one<{ id: string; region_code: string }>(sql`SELECT id, region_code FROM waitlist.application WHERE status = 'active' AND district_code = ${d} ORDER BY id LIMIT 1`))!;
      const elsewhere = d === '310104' ? '310101001001' : '310104001001';
      await p.ctx.db.run(sql`UPDATE waitlist.application SET region_code = ${elsewhere} WHERE id = ${x.id}::uuid`);
      let after: { total: number; items: Body[] } = { total: -1, items: [] };
      try {
        expect((await call('officer', 'POST', `/api/v1/waitlist/applications/${x.id}/pause`, { reason: '核对' })).status).toBe(200);
        after = await page();
        expect(after.total).toBe(await count());
        expect(after.items.some((i) => i.id === x.id)).toBe(false);
      } finally {
        await p.ctx.db.run(sql`UPDATE waitlist.application SET region_code = ${x.region_code} WHERE id = ${x.id}::uuid`);
      }
      // Back in its district (the resume is a change here, so the next page reads afresh).
      expect((await call('officer', 'POST', `/api/v1/waitlist/applications/${x.id}/resume`)).status).toBe(200);
      const back = await page();
      expect(back.total).toBe(await count());
      expect(back.total).toBe(after.total + 1);
    });

    it('pause keeps the place out of runs; resume and withdraw are recorded', async () => {
      const e = eligible[4] ?? null;
      if (!e) return;
      const a = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: e.id, mode: 'choices', choices: [fac.A] });
      expect(a.status).toBe(201);
      const paused = await call('advisor', 'POST', `/api/v1/waitlist/applications/${a.body.id}/pause`, { reason: '住院', until: '2027-01-10' });
      expect(paused.body).toMatchObject({ status: 'paused', pausedUntil: '2027-01-10' });
      expect((await call('advisor', 'POST', `/api/v1/waitlist/applications/${a.body.id}/pause`, { reason: '再次' })).status).toBe(409);
      const resumed = await call('advisor', 'POST', `/api/v1/waitlist/applications/${a.body.id}/resume`);
      expect(resumed.body.status).toBe('active');
      const changed = await call('advisor', 'PUT', `/api/v1/waitlist/applications/${a.body.id}`, { mode: 'choices', choices: [fac.B, fac.A] });
      expect(changed.body.choices.map((c: Body) => c.facilityId)).toEqual([fac.B, fac.A]);
      expect(changed.body.priorityAt).toBe(a.body.priorityAt);
      const w = await call('advisor', 'POST', `/api/v1/waitlist/applications/${a.body.id}/withdraw`, { reason: '家属照顾' });
      expect(w.body.status).toBe('withdrawn');
      expect(w.body.history.map((h: Body) => h.kind)).toEqual(['applied', 'paused', 'resumed', 'changed', 'withdrawn']);
    });

    it('the queue snapshot, patched after each change made here, equals one built afresh', async () => {
      const svc = waitlistService(p.ctx);
      const u = (await p.ctx.db.one<{ id: string; region_code: string }>(sql`SELECT id, region_code FROM platform.app_user WHERE username = 'officer'`))!;
      const officer = { userId: u.id, username: 'officer', displayName: '', role: 'officer' as const, regionCode: u.region_code, scope: scopePrefix(u.region_code), sessionKind: 'bearer' as const, csrfToken: '' };
      await svc.list(officer, {});
      const built = () => (svc as unknown as { snap: { builtAt: number } }).snap.builtAt;
      const before = built();
      // Changes through the API: new applications (own district and radius), a change of choices, a pause, a withdrawal.
      const made: string[] = [];
      for (const [i, body] of [[5, { mode: 'choices', choices: [fac.B, fac.A] }], [6, { mode: 'radius', radiusKm: 10, origin: { lon: 121.53, lat: 31.22, label: '潍坊新村街道' } }], [7, { mode: 'choices', choices: [fac.A] }]] as const) {
        const e = eligible[i];
        if (!e) continue;
        const a = await call('advisor', 'POST', '/api/v1/waitlist/applications', { personId: e.id, ...body });
        expect(a.status, JSON.stringify(a.body)).toBe(201);
        made.push(a.body.id);
        await svc.list(officer, {}); // each change patched in before the next
      }
      expect(made.length).toBeGreaterThan(1);
      expect((await call('advisor', 'PUT', `/api/v1/waitlist/applications/${made[0]}`, { mode: 'choices', choices: [fac.A] })).status).toBe(200);
      expect((await call('advisor', 'POST', `/api/v1/waitlist/applications/${made[1]}/pause`, { reason: '住院' })).status).toBe(200);
      if (made[2]) expect((await call('advisor', 'POST', `/api/v1/waitlist/applications/${made[2]}/withdraw`, { reason: '家属照顾' })).status).toBe(200);
      const patched = await svc.list(officer, {});
      expect(built(), 'patched, not rebuilt').toBe(before);
      // A service with no snapshot builds its own from the database.
      const fresh = new WaitlistService(p.ctx, waitlistPorts(p.ctx));
      const rebuilt = await fresh.list(officer, {});
      expect(patched.items.map((x) => [x.id, x.status, x.personName])).toEqual(rebuilt.items.map((x) => [x.id, x.status, x.personName]));
      expect(patched.total).toBe(rebuilt.total);
      expect(patched.items.some((x) => x.id === made[1] && x.status === 'paused')).toBe(true);
      expect(patched.items.some((x) => x.id === made[2])).toBe(false);
      for (const x of rebuilt.items.filter((i) => i.status === 'active')) {
        const [a, b] = [await svc.get(officer, x.id), await fresh.get(officer, x.id)];
        expect(a.choices.map((c) => [c.facilityId, c.position, c.aheadByTier]), x.id).toEqual(b.choices.map((c) => [c.facilityId, c.position, c.aheadByTier]));
      }
      expect((await svc.choosable()).items.map((f) => [f.id, f.waiting])).toEqual((await fresh.choosable()).items.map((f) => [f.id, f.waiting]));

      // The registry changes (by SQL, as another process would): facility B moves 50 km away, out of the
      // radius applicant's reach. The snapshot reads the facilities again and orders the queues anew in memory.
      expect((await call('advisor', 'POST', `/api/v1/waitlist/applications/${made[1]}/resume`)).status).toBe(200);
      await svc.list(officer, {});
      expect((await svc.get(officer, made[1]!)).choices.map((c) => c.facilityId)).toContain(fac.B);
      const at = (await p.ctx.db.one<{ lon: number; lat: number }>(sql`SELECT lon, lat FROM supply.facility WHERE id = ${fac.B}::uuid`))!;
      const move = (lon: number) => p.ctx.db.run(sql`UPDATE supply.facility SET lon = ${lon}, updated_at = updated_at + interval '1 second' WHERE id = ${fac.B}::uuid`);
      await move(at.lon + 0.5);
      try {
        await new Promise((r) => setTimeout(r, 2_100)); // the snapshot asks the database at most every 2 s
        const moved = await svc.list(officer, {});
        expect(built(), 'patched, not rebuilt').toBe(before);
        const again = new WaitlistService(p.ctx, waitlistPorts(p.ctx));
        expect(moved.items.map((x) => x.id)).toEqual((await again.list(officer, {})).items.map((x) => x.id));
        expect((await svc.get(officer, made[1]!)).choices.map((c) => c.facilityId)).not.toContain(fac.B);
        for (const x of moved.items.filter((i) => i.status === 'active')) {
          const [a, b] = [await svc.get(officer, x.id), await again.get(officer, x.id)];
          expect(a.choices.map((c) => [c.facilityId, c.position, c.aheadByTier]), x.id).toEqual(b.choices.map((c) => [c.facilityId, c.position, c.aheadByTier]));
        }
        expect((await svc.choosable()).items.map((f) => [f.id, f.waiting])).toEqual((await again.choosable()).items.map((f) => [f.id, f.waiting]));
      } finally {
        await move(at.lon);
      }
    });
  });
}
