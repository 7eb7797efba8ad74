// (l) The waiting list's page (issue 7): `GET /api/v1/waitlist/applications?district=310115&page=N`
// — a district officer (`officer.pudong`, bearer token) reading the queue of basic-guarantee beds
// in queue order, 100 a page, through the real route (auth, scope, row-level security, the
// people's names through the waiting list's ports, audit) — and one citizen-facing read,
// `GET /api/v1/waitlist/applications/:id` (one application with its position per choice), as the
// same officer. Goal: a full page for a district p99 < 50 ms.
//
// Setup: the platform on PGlite with the demo register (20,000 people) and the demo supply; then a
// city-sized waiting list written by SQL — 100,000 open applications in all (the demo's own plus
// bench applicants) over the 16 districts (浦东 310115 ≈ 20%), tiers 1–3 (15/35/50%), priority
// over 3 years, 1–5 ranked choices among the basic-guarantee facilities (70% in the own district;
// 10% "any within 3–7 km"), 3% paused, plus 10,000 closed ones (admitted, withdrawn) that an
// unfiltered page lists too. Every bench applicant is a person of the register (written by SQL like
// bench/simulate.ts: Shanghai hukou in the district, aged 65–100, a care grade 4–6 in force,
// economic status and living arrangement matching the tier), so the page's names and tiers come
// through the same ports as in production. `ANALYZE` afterwards.
//
// Baselines in the same run and on the same server: a bare route answering a fixed real page
// (HTTP + Fastify + hooks, no work), `GET /api/v1/health` (`SELECT 1`), and the same page by one
// SQL statement (count + page + names, no auth, scope, audit or rules). Before anything is timed,
// pages are checked: in queue order (tier, priority_at, id) within and across pages, 100 items a
// full page, `total` equal to a direct count for the district, names present.
//
// Load: bench/portal.ts's load generator (a second process, keep-alive, closed loop), 50 clients,
// back to back and paced (each client reads a page for 0.5–1.5 s before the next request); paced
// again while an officer changes an application of the district every second (the in-memory queue
// patches each change in; before 2026-11-29 a change rebuilt it from every open application).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LoadSpec, Stats, Target } from './portal.ts';

const CLIENTS = Number(process.env.BENCH_WLPAGE_CLIENTS ?? 50);
const OPEN = Number(process.env.BENCH_WLPAGE_OPEN ?? 100_000);
const CLOSED = Number(process.env.BENCH_WLPAGE_CLOSED ?? 10_000);
const REQUESTS = Number(process.env.BENCH_WLPAGE_REQUESTS ?? 2_000);
const PACED_REQUESTS = Number(process.env.BENCH_WLPAGE_PACED_REQUESTS ?? 1_000);
const MAX_SECONDS = Number(process.env.BENCH_WLPAGE_MAX_SECONDS ?? 30);
const THINK_MS = 1_000; // 0.5–1.5 s a page
const GOAL_P99_MS = 50;
const DISTRICT = '310115';
const PAGE_SIZE = 100;
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151'];
const PUDONG_SHARE = 0.2;
const YEARS = 3;
const DAY_MS = 86_400_000;
const CHUNK = 10_000;

const r2 = (x: number) => Math.round(x * 100) / 100;
const log = (s: string) => process.stderr.write(s + '\n');
const hex12 = (n: number) => n.toString(16).padStart(12, '0');
/** UUIDv7-shaped ids, time-ordered in the order written (like the platform's own). */
const uuid = (base: number, n: number, kind: string) => {
  const t = hex12(base + n);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${kind}-8000-${hex12(n)}`;
};

interface Page { total: number; page: number; pageSize: number; items: { id: string; personId: string; personName: string; tier: number | null; priorityAt: string; status: string }[] }

export async function runWaitlistPageBench(): Promise<Record<string, unknown>> {
  const { sql } = await import('../src/platform/db.ts');
  const { mulberry32 } = await import('../src/supply/index.ts');
  const { startTestPlatform } = await import('../test/helpers/platform.ts');
  const run = promisify(execFile);

  let bareBody = '{}';
  const t0 = performance.now();
  const p = await startTestPlatform('pglite', {
    people: 20_000,
    supply: true,
    beforeReady: (app, ctx) => {
      app.get('/bench/bare', { config: { auth: 'public' } }, async (_req, reply) => reply.type('application/json; charset=utf-8').send(bareBody));
      // Baseline: the same page by one SQL statement — count, page in queue order and the names, no
      // auth, scope, row-level security, rules or audit.
      app.get<{ Querystring: { district: string; page?: string } }>('/bench/sql/page', { config: { auth: 'public' } }, async (req) => {
        const page = Math.max(1, Number(req.query.page ?? 1));
        const rows = await ctx.db.rows<Record<string, unknown> & { total: number; id: string | null }>(sql`
          WITH hits AS (SELECT * FROM waitlist.application WHERE district_code = ${req.query.district} AND region_code LIKE ${req.query.district + '%'} AND status IN ('active', 'paused', 'offered'))
          SELECT n.total, pg.id, pg.person_id, pe.name AS person_name, pg.status, pg.tier, pg.tier_label, pg.district_code, pg.mode, cardinality(pg.choices) AS choices,
            to_char(pg.priority_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS priority_at, pg.declines,
            to_char(pg.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
          FROM (SELECT count(*)::int AS total FROM hits) n
          LEFT JOIN LATERAL (SELECT h.* FROM hits h ORDER BY h.tier NULLS LAST, h.priority_at, h.id LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}) pg ON true
          LEFT JOIN people.person pe ON pe.id = pg.person_id
          ORDER BY pg.tier NULLS LAST, pg.priority_at, pg.id`);
        return { total: rows[0]?.total ?? 0, page, pageSize: PAGE_SIZE, items: rows.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r) };
      });
    },
  });
  const platformSeconds = (performance.now() - t0) / 1000;
  log(`  (l) platform with 20,000 people and the demo supply: ${platformSeconds.toFixed(1)} s`);
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-wlpage-'));
  try {
    const token = await p.token('officer.pudong');
    const auth = { authorization: `Bearer ${token}` };
    const get = async <T>(url: string, headers: Record<string, string> = auth): Promise<T> => {
      const r = await p.app.inject({ method: 'GET', url, headers });
      if (r.statusCode !== 200) throw new Error(`waitlist-page bench: ${url} → ${r.statusCode} ${r.body.slice(0, 300)}`);
      return r.json() as T;
    };

    // ----- the city's waiting list
    const f0 = performance.now();
    const facilities = (await get<{ items: { id: string; districtCode: string; lon: number; lat: number; name: string }[] }>('/api/v1/waitlist/facilities', {})).items;
    const demoOpen = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM waitlist.application WHERE status IN ('active', 'paused', 'offered')`))!.n;
    const regions = (JSON.parse(readFileSync(new URL('../policy/jurisdictions/shanghai/regions.json', import.meta.url), 'utf8')) as { regions: [string, string, string][] }).regions;
    const committees = new Map(DISTRICTS.map((d) => [d, regions.map((r) => r[0]).filter((c) => c.length === 12 && c.startsWith(d))]));
    const own = new Map(DISTRICTS.map((d) => [d, facilities.filter((f) => f.districtCode === d)]));
    const tiers = [[1, '特困供养人员', 'tekun', 0.15], [2, '低保、低收入失能或失智老人', 'dibao', 0.35], [3, '经评估达到照护等级的其他老人', 'none', 0.5]] as const;
    const rnd = mulberry32(7_2026);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
    const given = '秀英桂兰玉兰凤英建华国强志明德明金宝阿毛根娣美英小妹文英福生荣宝杏娟雪芳云仙妙根林娣惠珍宝珍巧英龙海';
    const now = p.ctx.clock().getTime();
    const personBase = 0x0194_0000_0000; // ≈ 2024-12: bench ids never collide with the platform's own
    const people: Record<string, unknown>[] = [];
    const apps: Record<string, unknown>[] = [];
    const bench = OPEN - demoOpen;
    for (let g = 1; g <= bench + CLOSED; g++) {
      const closed = g > bench;
      const n = closed ? 1 + Math.floor(rnd() * bench) : g; // a closed application belongs to someone who applied again
      const earlier = closed ? people[n - 1]! : null;
      const district = earlier ? (earlier.district_code as string) : rnd() < PUDONG_SHARE ? DISTRICT : pick(DISTRICTS.filter((d) => d !== DISTRICT));
      const committee = earlier ? (earlier.region_code as string) : pick(committees.get(district)!);
      const x = rnd();
      const tier = x < tiers[0][3] ? tiers[0] : x < tiers[0][3] + tiers[1][3] ? tiers[1] : tiers[2];
      const personId = uuid(personBase, n, '000');
      if (!closed) {
        people.push({
          district_code: district, id: personId, region_code: committee, street_code: committee.slice(0, 9), committee_code: committee,
          name: pick([...surnames]) + pick([...given]) + (rnd() < 0.6 ? pick([...given]) : ''),
          id_number_masked: `${district}********${String(n % 10_000).padStart(4, '0')}`, birth_date: new Date(now - (65 + rnd() * 35) * 365.25 * DAY_MS).toISOString().slice(0, 10),
          sex: rnd() < 0.6 ? 'F' : 'M', economic_status: tier[2], living_arrangement: tier[0] === 3 ? 'with_children' : pick(['alone', 'elderly_only', 'with_children']),
          grade: 4 + Math.floor(rnd() * 3), graded_days: Math.floor(rnd() * 700),
        });
      }
      const at = new Date(now - rnd() * YEARS * 365 * DAY_MS);
      const mine = own.get(district)!;
      const radius = rnd() < 0.1 && mine.length > 0;
      const k = 1 + Math.floor(rnd() * 5);
      const choices = new Set<string>();
      while (!radius && choices.size < k) choices.add(rnd() < 0.7 && mine.length > 0 ? pick(mine).id : pick(facilities).id);
      const origin = radius ? pick(mine) : null;
      const status = closed ? (rnd() < 0.6 ? 'admitted' : 'withdrawn') : rnd() < 0.03 ? 'paused' : 'active';
      apps.push({
        id: uuid(personBase, g, '001'), person_id: personId, region_code: committee, district_code: district, status, mode: radius ? 'radius' : 'choices', choices: [...choices],
        radius_m: radius ? (3 + Math.floor(rnd() * 5)) * 1000 : null, origin_lon: origin?.lon ?? null, origin_lat: origin?.lat ?? null, origin_label: origin?.name ?? null,
        tier: tier[0], tier_label: tier[1], priority_at: at.toISOString(), created_at: at.toISOString(),
        updated_at: closed ? new Date(at.getTime() + rnd() * (now - at.getTime())).toISOString() : at.toISOString(),
      });
    }
    for (let i = 0; i < people.length; i += CHUNK) {
      const rows = JSON.stringify(people.slice(i, i + CHUNK));
      await p.ctx.db.run(sql`INSERT INTO people.person (district_code, id, region_code, street_code, committee_code, name, id_number_enc, id_number_hash, id_number_masked,
          birth_date, sex, hukou_district_code, insurance_type, economic_status, living_arrangement, created_action, created_reason)
        SELECT u.district_code, u.id, u.region_code, u.street_code, u.committee_code, u.name, 'bench-placeholder:' || u.id, md5('bench-id-' || u.id), u.id_number_masked,
          u.birth_date, u.sex, u.district_code, 'employee', u.economic_status, u.living_arrangement, 'seed', 'bench/waitlist-page.ts'
        FROM jsonb_to_recordset(${rows}::jsonb) AS u(district_code text, id uuid, region_code text, street_code text, committee_code text, name text, id_number_masked text,
          birth_date date, sex text, economic_status text, living_arrangement text)`);
      await p.ctx.db.run(sql`INSERT INTO assessment.care_grade (district_code, id, person_id, region_code, grade, outcome, agency_code, assessed_on, valid_from, valid_until, source, record, record_hash, key_id)
        SELECT u.district_code, md5('bench-grade-' || u.id)::uuid, u.id, u.region_code, u.grade, 'grade', 'BENCH', current_date - u.graded_days, current_date - u.graded_days,
          current_date - u.graded_days + 729, 'file', '{"bench": true}'::jsonb, md5('bench-grade-hash-' || u.id), 'bench-key'
        FROM jsonb_to_recordset(${rows}::jsonb) AS u(district_code text, id uuid, region_code text, grade int, graded_days int)`);
    }
    for (let i = 0; i < apps.length; i += CHUNK) {
      await p.ctx.db.run(sql`INSERT INTO waitlist.application (id, person_id, region_code, district_code, status, mode, choices, radius_m, origin_lon, origin_lat, origin_label, tier, tier_label,
          priority_at, declines, passed_over, created_at, updated_at)
        SELECT u.id, u.person_id, u.region_code, u.district_code, u.status, u.mode, ARRAY(SELECT jsonb_array_elements_text(u.choices))::uuid[], u.radius_m, u.origin_lon, u.origin_lat,
          u.origin_label, u.tier, u.tier_label, u.priority_at, 0, '{}', u.created_at, u.updated_at
        FROM jsonb_to_recordset(${JSON.stringify(apps.slice(i, i + CHUNK))}::jsonb) AS u(id uuid, person_id uuid, region_code text, district_code text, status text, mode text, choices jsonb,
          radius_m int, origin_lon float8, origin_lat float8, origin_label text, tier int, tier_label text, priority_at timestamptz, created_at timestamptz, updated_at timestamptz)`);
    }
    const a0 = performance.now();
    await p.ctx.db.exec('ANALYZE');
    const analyzeMs = performance.now() - a0;
    const fillSeconds = (performance.now() - f0) / 1000;
    const counts = (await p.ctx.db.one<{ open: number; all: number; district: number; districtOpen: number; people: number }>(sql`SELECT
        count(*) FILTER (WHERE status IN ('active', 'paused', 'offered'))::int AS open, count(*)::int AS all,
        count(*) FILTER (WHERE region_code LIKE ${DISTRICT + '%'})::int AS district,
        count(*) FILTER (WHERE region_code LIKE ${DISTRICT + '%'} AND status IN ('active', 'paused', 'offered'))::int AS "districtOpen",
        (SELECT count(*)::int FROM people.person) AS people
      FROM waitlist.application`))!;
    log(`  (l) waiting list: ${JSON.stringify(counts)} (${demoOpen} from the demo), ${facilities.length} basic-guarantee facilities; written in ${fillSeconds.toFixed(1)} s (ANALYZE ${Math.round(analyzeMs)} ms)`);

    // ----- correctness before timing
    // The waiting list is the open applications (closed ones are listed by status, from SQL).
    const lastPage = Math.ceil(counts.districtOpen / PAGE_SIZE);
    const key = (x: Page['items'][number]) => [x.tier ?? Number.MAX_SAFE_INTEGER, x.priorityAt, x.id] as const;
    const before = (a: Page['items'][number], b: Page['items'][number]) => {
      const [ta, pa, ia] = key(a);
      const [tb, pb, ib] = key(b);
      return ta !== tb ? ta < tb : pa !== pb ? pa < pb : ia < ib;
    };
    const checked: number[] = [];
    let prevLast: Page['items'][number] | null = null;
    let named = 0;
    let itemsChecked = 0;
    for (const n of [1, 2, 3, Math.floor(lastPage / 2), Math.floor(lastPage / 2) + 1, lastPage - 1, lastPage]) {
      const pg = await get<Page>(`/api/v1/waitlist/applications?district=${DISTRICT}&page=${n}`);
      const sqlPg = await get<{ total: number; items: { id: string }[] }>(`/bench/sql/page?district=${DISTRICT}&page=${n}`, {});
      if (pg.total !== counts.districtOpen || sqlPg.total !== counts.districtOpen) throw new Error(`waitlist-page bench: total ${pg.total} (SQL route ${sqlPg.total}), the database counts ${counts.districtOpen}`);
      const want = n < lastPage ? PAGE_SIZE : counts.districtOpen - (lastPage - 1) * PAGE_SIZE;
      if (pg.items.length !== want) throw new Error(`waitlist-page bench: page ${n} has ${pg.items.length} items, expected ${want}`);
      if (pg.items.map((x) => x.id).join() !== sqlPg.items.map((x) => x.id).join()) throw new Error(`waitlist-page bench: page ${n} differs from the SQL route`);
      for (let i = 1; i < pg.items.length; i++) if (!before(pg.items[i - 1]!, pg.items[i]!)) throw new Error(`waitlist-page bench: page ${n} not in queue order at ${i}`);
      if (prevLast && checked.at(-1) === n - 1 && !before(prevLast, pg.items[0]!)) throw new Error(`waitlist-page bench: pages ${n - 1} and ${n} overlap or are out of order`);
      prevLast = pg.items.at(-1)!;
      checked.push(n);
      named += pg.items.filter((x) => x.personName !== '').length;
      itemsChecked += pg.items.length;
    }
    if (named !== itemsChecked) log(`  (l) note: ${itemsChecked - named} of ${itemsChecked} checked items without a name`);
    const viewIds = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM waitlist.application WHERE region_code LIKE ${DISTRICT + '%'} AND status = 'active' ORDER BY md5(id::text) LIMIT 500`)).map((r) => r.id);
    const view = await get<{ id: string; choices: { position: number }[] }>(`/api/v1/waitlist/applications/${viewIds[0]}`);
    if (view.id !== viewIds[0]) throw new Error('waitlist-page bench: the application view answered another application');
    log(`  (l) checks: pages ${checked.join(', ')} of ${lastPage} in queue order, total ${counts.districtOpen} = direct count of open applications, same ids as the SQL route; ${named}/${itemsChecked} named; view positions ${view.choices.map((c) => c.position).join(', ')}`);

    // ----- in process, no HTTP: what the page's parts cost, and the plans
    const { waitlistPorts, waitlistService } = await import('../src/app.ts');
    const store = await import('../src/waitlist/store.ts');
    const { todayIn } = await import('../src/core/dates.ts');
    const { scopePrefix } = await import('../src/core/regions.ts');
    const u = (await p.ctx.db.one<{ id: string; region_code: string }>(sql`SELECT id, region_code FROM platform.app_user WHERE username = 'officer.pudong'`))!;
    const caller = { userId: u.id, username: 'officer.pudong', displayName: '', role: 'officer' as const, regionCode: u.region_code, scope: scopePrefix(u.region_code), sessionKind: 'bearer' as const, csrfToken: '' };
    const svc = waitlistService(p.ctx);
    const ports = waitlistPorts(p.ctx);
    const scoped = <T>(fn: (q: import('../src/platform/db.ts').Queryable) => Promise<T>) => p.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
    const inProcPages = Array.from({ length: 30 }, (_, i) => (i === 0 ? 1 : 1 + Math.floor(mulberry32(i)() * lastPage)));
    const timeIt = async (fn: (n: number) => Promise<unknown>) => {
      await fn(1); // warm-up
      const xs: number[] = [];
      for (const n of inProcPages) {
        const s0 = performance.now();
        await fn(n);
        xs.push(performance.now() - s0);
      }
      xs.sort((a, b) => a - b);
      return { calls: xs.length, p50: r2(xs[Math.floor(xs.length / 2)]!), max: r2(xs.at(-1)!), mean: r2(xs.reduce((a, b) => a + b, 0) / xs.length) };
    };
    const filter = { district: DISTRICT };
    const personIdsOf = new Map<number, string[]>();
    for (const n of inProcPages) personIdsOf.set(n, (await scoped((q) => store.listApplications(q, filter, PAGE_SIZE, (n - 1) * PAGE_SIZE))).rows.map((r) => r.person_id));
    const today = todayIn(p.ctx.clock);
    const parts = async () => ({
      listApplications: await timeIt((n) => scoped((q) => store.listApplications(q, filter, PAGE_SIZE, (n - 1) * PAGE_SIZE))),
      countOnly: await timeIt(() => scoped((q) => q.one(sql`SELECT count(*)::int AS n FROM waitlist.application WHERE district_code = ${DISTRICT} AND region_code LIKE ${DISTRICT + '%'}`))),
      peoplePort: await timeIt((n) => scoped((q) => ports.people(q, personIdsOf.get(n)!, today))),
      serviceList: await timeIt((n) => svc.list(caller, { ...filter, page: n })),
    });
    const inProcess: Record<string, unknown> = {
      ...(await parts()),
      serviceGet: await (async () => {
        const xs: number[] = [];
        for (const id of viewIds.slice(0, 10)) {
          const s0 = performance.now();
          await svc.get(caller, id);
          xs.push(performance.now() - s0);
        }
        xs.sort((a, b) => a - b);
        return { calls: xs.length, p50: r2(xs[Math.floor(xs.length / 2)]!), max: r2(xs.at(-1)!) };
      })(),
      openApplications: await (async () => {
        const s0 = performance.now();
        const n = (await p.ctx.db.tx((q) => store.openApplications(q), { asAppRole: false })).length;
        return { rows: n, ms: r2(performance.now() - s0) };
      })(),
    };
    const explain = async (query: import('../src/platform/db.ts').SQL) => (await scoped((q) => q.rows<{ 'QUERY PLAN': string }>(sql`EXPLAIN (ANALYZE, COSTS OFF) ${query}`))).map((r) => r['QUERY PLAN']);
    const lastOffset = (lastPage - 1) * PAGE_SIZE;
    const plans = {
      count: await explain(sql`SELECT count(*)::int AS n FROM waitlist.application WHERE TRUE AND district_code = ${DISTRICT} AND region_code LIKE ${DISTRICT + '%'}`),
      lastPage: await explain(sql`SELECT id FROM waitlist.application WHERE TRUE AND district_code = ${DISTRICT} AND region_code LIKE ${DISTRICT + '%'} ORDER BY tier NULLS LAST, priority_at, id LIMIT ${PAGE_SIZE} OFFSET ${lastOffset}`),
    };
    log(`  (l) in process: ${JSON.stringify(inProcess)}`);
    log(`  (l) plans:\n${Object.entries(plans).map(([k, v]) => `    ${k}:\n      ${v.join('\n      ')}`).join('\n')}`);
    if (process.env.BENCH_WLPAGE_EXPLAIN_ONLY) return { inProcess, plans };

    // ----- load over loopback: portal.ts's load generator in a second process
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(p.app.server.address() as { port: number }).port}`;
    const portal = fileURLToPath(new URL('./portal.ts', import.meta.url));
    const load = async (name: string, targets: Target[], opts: Partial<Omit<LoadSpec, 'base' | 'targets'>> = {}) => {
      const spec: LoadSpec = { base, targets, clients: CLIENTS, requests: REQUESTS, warmup: 200, maxSeconds: MAX_SECONDS, ...opts };
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const load1 = loadavg()[0]!;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', portal, 'load', file], { maxBuffer: 1 << 22 });
      const { byKind: _k, ...s } = JSON.parse(stdout) as Stats;
      const out = { ...s, clients: spec.clients, ...(spec.thinkMs ? { thinkMs: spec.thinkMs } : {}), loadAverage1m: r2(load1) };
      log(`  (l) ${name}: ${JSON.stringify(out)}`);
      return out;
    };
    const rndPages = mulberry32(2026);
    const pageTargets = (prefix: string, headers: boolean) => Array.from({ length: 1_000 }, () => ({ path: `${prefix}?district=${DISTRICT}&page=${1 + Math.floor(rndPages() * lastPage)}`, kind: headers ? 'page' : 'sql' }));
    const first: Target[] = [{ path: `/api/v1/waitlist/applications?district=${DISTRICT}&page=1`, kind: 'page1' }];
    const pages = pageTargets('/api/v1/waitlist/applications', true);
    const views: Target[] = viewIds.map((id) => ({ path: `/api/v1/waitlist/applications/${id}`, kind: 'view' }));
    bareBody = (await p.app.inject({ method: 'GET', url: first[0]!.path, headers: auth })).body;
    const out: Record<string, unknown> = {};
    out.bare = await load('bare', [{ path: '/bench/bare', kind: 'bare' }]);
    out.health = await load('health', [{ path: '/api/v1/health', kind: 'health' }]);
    out.sqlPages = await load('sql-pages', pageTargets('/bench/sql/page', false));
    out.page1 = await load('page1', first, { headers: auth });
    out.pages = await load('pages', pages, { headers: auth });
    out.view = await load('view', views, { headers: auth, requests: 300, warmup: 50 });
    out.pagesOneClient = await load('pages-1-client', pages, { headers: auth, clients: 1, requests: 500, warmup: 50 });
    out.viewOneClient = await load('view-1-client', views, { headers: auth, clients: 1, requests: 50, warmup: 5 });
    const paced = { thinkMs: THINK_MS, requests: PACED_REQUESTS, warmup: 100, maxSeconds: 40 };
    out.page1Paced = await load('page1-paced', first, { headers: auth, ...paced });
    out.pagesPaced = await load('pages-paced', pages, { headers: auth, ...paced });
    out.viewPaced = await load('view-paced', views, { headers: auth, ...paced, requests: 500, warmup: 50 });
    // The same paced pages while the list changes: an officer pauses (then resumes) an application
    // of the district every second through the API, so the queue snapshot takes each change.
    let changes = 0;
    let stop = false;
    const writer = (async () => {
      for (let k = 0; !stop; k++) {
        await new Promise((res) => setTimeout(res, 1_000));
        const id = viewIds[k % viewIds.length]!;
        const pause = Math.floor(k / viewIds.length) % 2 === 0;
        const r = await p.app.inject({ method: 'POST', url: `/api/v1/waitlist/applications/${id}/${pause ? 'pause' : 'resume'}`, headers: auth, ...(pause ? { payload: { reason: '压测：住院' } } : {}) });
        if (r.statusCode !== 200) throw new Error(`waitlist-page bench: change ${k} → ${r.statusCode} ${r.body.slice(0, 200)}`);
        changes++;
      }
    })();
    out.pagesPacedWithChanges = { ...(await load('pages-paced-with-changes', pages, { headers: auth, ...paced })), changesPerSecond: 1 };
    stop = true;
    await writer;
    (out.pagesPacedWithChanges as Record<string, unknown>).changes = changes;
    // The same parts after VACUUM (which the platform does not run on PGlite): with the visibility
    // map set, the count and the page's ids can come from the index alone.
    const v0 = performance.now();
    await p.ctx.db.exec('VACUUM waitlist.application');
    const afterVacuum = { vacuumMs: Math.round(performance.now() - v0), ...(await parts()), lastPage: await explain(sql`SELECT id FROM waitlist.application WHERE TRUE AND district_code = ${DISTRICT} AND region_code LIKE ${DISTRICT + '%'} ORDER BY tier NULLS LAST, priority_at, id LIMIT ${PAGE_SIZE} OFFSET ${lastOffset}`) };
    log(`  (l) after VACUUM, in process: ${JSON.stringify({ ...afterVacuum, lastPage: undefined })}\n    ${afterVacuum.lastPage.join('\n    ')}`);
    out.pagesPacedAfterVacuum = await load('pages-paced-after-vacuum', pages, { headers: auth, ...paced });
    out.pagesAfterVacuum = await load('pages-after-vacuum', pages, { headers: auth });
    const ok = (s: unknown) => (s as Stats).p99 < GOAL_P99_MS && (s as Stats).errors === 0;
    return {
      setup: {
        backend: 'pglite', people: counts.people, facilities: facilities.length, applications: counts.all, open: counts.open, demoOpen, district: DISTRICT, districtApplications: counts.district,
        districtOpen: counts.districtOpen, lastPage, pageSize: PAGE_SIZE, platformSeconds: r2(platformSeconds), fillSeconds: r2(fillSeconds), analyzeMs: Math.round(analyzeMs), clients: CLIENTS,
        thinkMs: `${THINK_MS * 0.5}–${THINK_MS * 1.5}`, loadGenerator: 'bench/portal.ts load (node http.Agent keepAlive, closed loop, second process)',
      },
      checks: { pages: checked, total: counts.districtOpen, named, itemsChecked },
      ...out,
      inProcess, plans, afterVacuum,
      goal: { p99MsBelow: GOAL_P99_MS },
      met: { page1Paced: ok(out.page1Paced), pagesPaced: ok(out.pagesPaced), pagesPacedWithChanges: ok(out.pagesPacedWithChanges), page1BackToBack: ok(out.page1), pagesBackToBack: ok(out.pages), viewPaced: ok(out.viewPaced) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await p.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await runWaitlistPageBench(), null, 2) + '\n');
}
