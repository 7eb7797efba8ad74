// (j) The public portal's search (issue 6): `GET /api/v1/services/search` under 100 concurrent
// keep-alive clients over loopback, against the demo city's supply on PGlite, with a seeded mix of
// realistic queries drawn from the catalogue, the places endpoint and the facilities themselves.
// Goal: p99 < 50 ms. Baselines in the same run and on the same server: the same load on
// `GET /api/v1/health` (what HTTP + Fastify cost at this concurrency), and the same queries
// answered by one SQL query each against supply.facility (a plain route added for the bench: what
// the in-memory snapshot buys). Before anything is timed, every distinct query of the mix is
// answered by both the snapshot route and the SQL route and their totals compared, and a few
// totals are checked against direct counts, so the benchmark cannot pass by returning nothing.
//
// The load comes from a second process (this file run as `portal.ts load <file>`): node's
// http.Agent with keepAlive, 100 loops each sending its next request as soon as the previous one
// is answered (a closed loop), a warm-up, then a fixed number of requests or a time cap.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const CLIENTS = Number(process.env.BENCH_PORTAL_CLIENTS ?? 100);
const REQUESTS = Number(process.env.BENCH_PORTAL_REQUESTS ?? 20_000);
const WARMUP = Number(process.env.BENCH_PORTAL_WARMUP ?? 2_000);
const MAX_SECONDS = Number(process.env.BENCH_PORTAL_MAX_SECONDS ?? 40);
const PEOPLE = Number(process.env.BENCH_PORTAL_PEOPLE ?? 20_000);
const PACED_THINK_MS = 200;
const GOAL_P99_MS = 50;

export interface Target { path: string; kind: string }
export interface LoadSpec {
  base: string; targets: Target[]; clients: number; requests: number; warmup: number; maxSeconds: number; /** Paced clients: each waits about this long (0.5–1.5×) before its next request, as a person reading the results would. */ thinkMs?: number;
  /** Request headers (e.g. a bearer token; bench/waitlist-page.ts). */ headers?: Record<string, string>;
}
export interface Stats { requests: number; seconds: number; rps: number; p50: number; p95: number; p99: number; max: number; mean: number; errors: number; avgBytes: number; capped: boolean; byKind?: Record<string, { n: number; p50: number; p99: number; max: number }> }

const r2 = (x: number) => Math.round(x * 100) / 100;
const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

// ---------------------------------------------------------------------------------------------
// The load generator (child process).

export async function loadChild(spec: LoadSpec): Promise<Stats> {
  const url = new URL(spec.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.clients, maxFreeSockets: spec.clients });
  const get = (path: string) => new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent, headers: spec.headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
  const total = spec.warmup + spec.requests;
  const lat = new Float64Array(spec.requests);
  const kinds: string[] = new Array<string>(spec.requests);
  let next = 0;
  let done = 0;
  let errors = 0;
  let bytes = 0;
  let t0 = 0;
  let deadline = Infinity;
  let capped = false;
  // Paced clients are people reading pages: each starts at its own moment within one think time
  // (not all 50 on the same millisecond) and thinks between requests during the warm-up as well,
  // so the timed requests see the steady state rather than the synchronised first burst.
  const think = (i: number) => new Promise((res) => setTimeout(res, spec.thinkMs! * (0.5 + ((i * 7919) % 1000) / 1000)));
  const loop = async (_: unknown, client: number) => {
    if (spec.thinkMs) await new Promise((res) => setTimeout(res, spec.thinkMs! * (((client * 7919) % 1000) / 1000)));
    for (;;) {
      const i = next++;
      if (i >= total) return;
      if (i === spec.warmup) {
        t0 = performance.now();
        deadline = t0 + spec.maxSeconds * 1000;
      }
      if (i >= spec.warmup && performance.now() > deadline) {
        capped = true;
        return;
      }
      const target = spec.targets[i % spec.targets.length]!;
      const start = performance.now();
      const r = await get(target.path).catch(() => ({ status: 0, bytes: 0 }));
      if (i < spec.warmup) {
        if (spec.thinkMs) await think(i);
        continue;
      }
      const j = done++;
      lat[j] = performance.now() - start;
      kinds[j] = target.kind;
      bytes += r.bytes;
      if (r.status !== 200) errors++;
      if (spec.thinkMs) await think(i);
    }
  };
  await Promise.all(Array.from({ length: spec.clients }, loop));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const all = Array.from(lat.subarray(0, done)).sort((a, b) => a - b);
  const byKindLists = new Map<string, number[]>();
  for (let j = 0; j < done; j++) {
    const k = kinds[j]!;
    if (!byKindLists.has(k)) byKindLists.set(k, []);
    byKindLists.get(k)!.push(lat[j]!);
  }
  const byKind = Object.fromEntries([...byKindLists].sort(([a], [b]) => a.localeCompare(b)).map(([k, xs]) => {
    xs.sort((a, b) => a - b);
    return [k, { n: xs.length, p50: r2(quantile(xs, 0.5)), p99: r2(quantile(xs, 0.99)), max: r2(xs.at(-1)!) }];
  }));
  return {
    requests: done, seconds: r2(seconds), rps: Math.round(done / seconds), p50: r2(quantile(all, 0.5)), p95: r2(quantile(all, 0.95)), p99: r2(quantile(all, 0.99)),
    max: r2(all.at(-1) ?? NaN), mean: r2(all.reduce((s, x) => s + x, 0) / Math.max(1, done)), errors, avgBytes: Math.round(bytes / Math.max(1, done)), capped,
    ...(byKindLists.size > 1 ? { byKind } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The bench (parent process).

interface Card { id: string; name: string; typeCode: string; districtCode: string; streetName: string; lon: number; lat: number; priceFrom: { fen: number } | null }
interface SearchResult { total: number; items: Card[] }
interface SqlResult { total: number; items: { id: string }[] }

export async function runPortalBench(): Promise<Record<string, unknown>> {
  const { execFile } = await import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { loadavg, tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { promisify } = await import('node:util');
  const { sql } = await import('../src/platform/db.ts');
  const { mulberry32, supplyPolicy } = await import('../src/supply/index.ts');
  const { functionCodes } = await import('../src/supply/model.ts');
  const { PublicDirectory } = await import('../src/supply/wiring.ts');
  const { startTestPlatform } = await import('../test/helpers/platform.ts');
  const run = promisify(execFile);
  const log = (s: string) => process.stderr.write(s + '\n');
  const policy = supplyPolicy();
  const residentialTypes = policy.catalogue.facilityTypes.filter((t) => t.residential).map((t) => t.code);

  let bareBody = '{}';
  const t0 = performance.now();
  const p = await startTestPlatform('pglite', {
    people: PEOPLE,
    supply: true,
    beforeReady: (app, ctx) => {
      // Baseline: HTTP + Fastify + the platform's hooks alone — a fixed body the size of a real
      // search answer (set below, once the supply is there), no work, no database.
      app.get('/bench/bare', { config: { auth: 'public' } }, async (_req, reply) => reply.type('application/json; charset=utf-8').send(bareBody));
      // Baseline: the same query string answered by one SQL query against supply.facility (the
      // same filters, the same headline price, distance by the same haversine; name order by the
      // database's collation, not zh-CN — totals compare, name-sorted pages may differ).
      let names: Promise<Map<string, string>> | null = null;
      const regionNames = () => (names ??= ctx.db.rows<{ region_code: string }>(sql`SELECT DISTINCT region_code FROM supply.facility`)
        .then((rows) => new Map(rows.map((r) => [r.region_code, ctx.regions.get(r.region_code)?.name ?? '']))));
      app.get<{ Querystring: Record<string, string | undefined> }>('/bench/sql/search', { config: { auth: 'public' } }, async (req) => {
        const s = req.query;
        const today = new Date().toISOString().slice(0, 10);
        const days = policy.param('ltciDaysPerMonth', today);
        const page = Number(s.page ?? 1);
        const pageSize = Number(s.pageSize ?? 20);
        const where = [sql`f.status = 'approved'`];
        if (s.region) where.push(sql`f.region_code LIKE ${s.region + '%'}`);
        const types = s.type?.split(',').filter(Boolean);
        if (types?.length) where.push(sql`f.type_code = ANY(${sql.param(types)}::text[])`);
        if (s.function) where.push(sql`f.functions && ${sql.param(functionCodes(policy.catalogue, s.function) ?? [])}::text[]`);
        const basic = s.basic === 'true';
        if (basic) where.push(sql`f.basic_guarantee`);
        if (s.vacancy === 'true') {
          where.push(sql`f.type_code = ANY(${sql.param(residentialTypes)}::text[]) AND jsonb_typeof(f.vacancy->'total') = 'number' AND (f.vacancy->>${basic ? 'basicVacant' : 'vacant'})::int > 0`);
        }
        if (s.minPrice) where.push(sql`pr.fen >= ${Number(s.minPrice)}`);
        if (s.maxPrice) where.push(sql`pr.fen <= ${Number(s.maxPrice)}`);
        const words = (s.q ?? '').trim().split(/\s+/).filter(Boolean);
        if (words.length) {
          const rn = await regionNames();
          for (const w of words) {
            const codes = [...rn].filter(([, n]) => n.includes(w)).map(([c]) => c);
            where.push(sql`(strpos(f.name, ${w}) > 0 OR strpos(f.address, ${w}) > 0 OR strpos(p.name, ${w}) > 0 OR f.region_code = ANY(${sql.param(codes)}::text[]))`);
          }
        }
        const near = s.near?.split(',').map(Number) as [number, number] | undefined;
        const dist = near
          ? sql`2 * 6371008.8 * asin(least(1, sqrt(sin(radians(f.lat - ${near[1]}) / 2) ^ 2 + cos(radians(${near[1]}::float8)) * cos(radians(f.lat)) * sin(radians(f.lon - ${near[0]}) / 2) ^ 2)))`
          : sql`NULL::float8`;
        const sort = s.sort ?? (near ? 'distance' : 'name');
        const order = sort === 'distance' && near ? sql`h.distance_m, h.name, h.id`
          : sort === 'vacancy' ? sql`h.beds_vacant DESC, h.name, h.id`
            : sort === 'price' ? sql`h.price_fen NULLS LAST, h.name, h.id` : sql`h.name, h.id`;
        // One statement: the hits, their count, and the requested page of them (an empty page still carries the count).
        const rows = await ctx.db.rows<Record<string, unknown> & { total: number; id: string | null }>(sql`
          WITH hits AS (
            SELECT f.id, f.name, f.type_code, f.district_code, f.region_code, f.address, f.lon, f.lat, f.functions, f.basic_guarantee, f.ownership, f.vacancy, f.beds_vacant,
              to_char(f.vacancy_confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS vacancy_confirmed_at, f.rating, f.phone, pr.fen AS price_fen,
              ${dist} AS distance_m
            FROM supply.facility f JOIN supply.provider p ON p.id = f.provider_id
            LEFT JOIN LATERAL (
              SELECT CASE WHEN jsonb_array_length(f.prices) = 0 THEN NULL
                WHEN f.type_code = ANY(${sql.param(residentialTypes)}::text[]) AND m.parts IS NOT NULL THEN m.parts
                ELSE (SELECT min((e->>'fen')::float8) FROM jsonb_array_elements(f.prices) e) END AS fen
              FROM (SELECT sum(c.m) AS parts FROM (
                SELECT min(CASE e->>'unit' WHEN 'month' THEN (e->>'fen')::float8 WHEN 'day' THEN (e->>'fen')::float8 * ${days}::float8 END) AS m
                FROM jsonb_array_elements(f.prices) e WHERE e->>'category' IN ('bed', 'board', 'care') GROUP BY e->>'category') c) m
            ) pr ON true
            WHERE ${sql.join(where, sql` AND `)})
          SELECT n.total, pg.* FROM (SELECT count(*)::int AS total FROM hits) n
          LEFT JOIN LATERAL (SELECT h.* FROM hits h ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}) pg ON true`);
        return { total: rows[0]?.total ?? 0, page, pageSize, items: rows.filter((r) => r.id !== null).map(({ total: _t, ...r }) => r) };
      });
    },
  });
  const seedSeconds = (performance.now() - t0) / 1000;
  log(`  (j) platform with ${PEOPLE} people and the demo supply: ${seedSeconds.toFixed(1)} s`);
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-portal-'));
  try {
    const inject = async <T>(url: string): Promise<T> => {
      const r = await p.app.inject({ method: 'GET', url });
      if (r.statusCode !== 200) throw new Error(`portal bench: ${url} → ${r.statusCode} ${r.body.slice(0, 300)}`);
      return r.json() as T;
    };
    const counts = (await p.ctx.db.one<{ approved: number; all: number }>(sql`SELECT count(*) FILTER (WHERE status = 'approved')::int AS approved, count(*)::int AS all FROM supply.facility`))!;

    // ----- the query mix, seeded, from the catalogue, the places endpoint and the facilities
    const cat = await inject<{ facilityTypes: { code: string; residential: boolean }[]; categories: { code: string }[]; functions: { code: string }[]; districts: { code: string; name: string }[] }>('/api/v1/services/catalogue');
    const districts: string[] = [];
    const streetNames = new Set<string>();
    const names: string[] = [];
    const prices = { residential: [] as number[], other: [] as number[] };
    for (const d of cat.districts) {
      const r = await inject<SearchResult>(`/api/v1/services/search?region=${d.code}&pageSize=100`);
      if (r.total === 0) continue;
      districts.push(d.code);
      for (const c of r.items) {
        if (c.streetName) streetNames.add(c.streetName);
        names.push(c.name);
        if (c.priceFrom) (residentialTypes.includes(c.typeCode) ? prices.residential : prices.other).push(c.priceFrom.fen);
      }
    }
    const streets: { code: string; lon: number; lat: number }[] = [];
    const spots: { lon: number; lat: number }[] = [];
    for (const n of [...streetNames].sort()) {
      const r = await inject<{ items: { code: string; lon: number; lat: number }[] }>(`/api/v1/services/places?q=${encodeURIComponent(n)}`);
      for (const it of r.items) {
        if (it.code.length === 9 && !streets.some((s) => s.code === it.code)) streets.push(it);
        spots.push({ lon: it.lon, lat: it.lat });
      }
    }
    if (districts.length === 0 || streets.length === 0 || spots.length === 0) throw new Error(`portal bench: no supply to search (${districts.length} districts, ${streets.length} streets)`);
    prices.residential.sort((a, b) => a - b);
    prices.other.sort((a, b) => a - b);
    const rnd = mulberry32(2026);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const chance = (x: number) => rnd() < x;
    const allTypes = cat.facilityTypes.map((t) => t.code);
    const fnOrCategory = [...cat.functions.map((f) => f.code), ...cat.categories.map((c) => c.code)];
    const words = [...[...streetNames].map((n) => n.replace(/(街道|镇|乡)$/, '')).filter((w) => w.length >= 2), ...names.map((n) => n.slice(-4)), '食堂', '照料', '养老', '护理'];
    const page = () => { const x = rnd(); return x < 0.7 ? 1 : x < 0.9 ? 2 : 3; };
    const priceRange = (xs: number[]) => {
      const a = quantile(xs, rnd() * 0.5);
      const b = quantile(xs, 0.5 + rnd() * 0.5);
      const round = (v: number) => Math.round(v / 100) * 100;
      return chance(0.4) ? { maxPrice: round(b) } : chance(0.3) ? { minPrice: round(a) } : { minPrice: round(a), maxPrice: round(b) };
    };
    const kinds: [string, number, () => Record<string, string | number>][] = [
      ['all', 4, () => ({})], // the portal's landing page: everything, by name
      ['district', 14, () => ({ region: pick(districts), ...(chance(0.3) ? { type: pick(allTypes) } : {}) })],
      ['street', 14, () => ({ region: pick(streets).code, ...(chance(0.2) ? { type: pick(allTypes) } : {}) })],
      ['types', 10, () => ({ type: Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(allTypes)).filter((t, i, a) => a.indexOf(t) === i).join(','), ...(chance(0.5) ? { region: pick(districts) } : {}) })],
      ['function', 10, () => ({ function: pick(fnOrCategory), ...(chance(0.6) ? { region: pick(districts) } : {}) })],
      ['vacancy', 10, () => ({ vacancy: 'true', type: pick(residentialTypes), ...(chance(0.7) ? { region: pick(districts) } : {}), ...(chance(0.3) ? { sort: 'vacancy' } : {}) })],
      ['basic', 5, () => ({ basic: 'true', ...(chance(0.5) ? { vacancy: 'true' } : {}), ...(chance(0.6) ? { region: pick(districts) } : {}) })],
      ['price', 10, () => chance(0.7)
        ? { type: pick(residentialTypes), ...priceRange(prices.residential), ...(chance(0.5) ? { region: pick(districts) } : {}), ...(chance(0.3) ? { sort: 'price' } : {}) }
        : { type: pick(allTypes.filter((t) => !residentialTypes.includes(t))), ...priceRange(prices.other), ...(chance(0.5) ? { region: pick(districts) } : {}) }],
      ['near', 18, () => {
        const s = pick(spots);
        const extra = chance(0.3) ? { function: pick(fnOrCategory) } : chance(0.3) ? { type: pick(allTypes) } : {};
        return { near: `${(s.lon + (rnd() - 0.5) * 0.006).toFixed(5)},${(s.lat + (rnd() - 0.5) * 0.006).toFixed(5)}`, nearLabel: '所选位置', sort: 'distance', ...extra };
      }],
      ['text', 5, () => ({ q: pick(words), ...(chance(0.3) ? { region: pick(districts) } : {}) })],
    ];
    const weight = kinds.reduce((s, k) => s + k[1], 0);
    // A visitor turns to page 2 or 3 only when there is one: the page is drawn after the first
    // page's total is known.
    const DISTINCT = 1_000;
    const targets: Target[] = [];
    for (let i = 0; i < DISTINCT; i++) {
      let x = rnd() * weight;
      const [kind, , make] = kinds.find((k) => (x -= k[1]) < 0) ?? kinds[0]!;
      const params = new URLSearchParams(Object.entries({ ...make(), pageSize: 20 }).map(([k, v]): [string, string] => [k, String(v)]));
      const first = await inject<SearchResult>(`/api/v1/services/search?${params}`);
      params.set('page', String(Math.min(page(), Math.max(1, Math.ceil(first.total / 20)))));
      targets.push({ path: `/api/v1/services/search?${params}`, kind });
    }

    // ----- correctness: every distinct query by both routes; a few totals by direct SQL
    let empty = 0;
    let idsCompared = 0;
    let idsDiffer = 0;
    const byKindHits: Record<string, { queries: number; meanTotal: number }> = {};
    for (const t of targets) {
      const a = await inject<SearchResult>(t.path);
      const b = await inject<SqlResult>(t.path.replace('/api/v1/services/search', '/bench/sql/search'));
      if (a.total !== b.total) throw new Error(`portal bench: snapshot and SQL disagree on ${t.path}: ${a.total} vs ${b.total}`);
      if (a.items.length !== b.items.length) throw new Error(`portal bench: page sizes differ on ${t.path}`);
      if (a.total === 0) empty++;
      if (t.path.includes('sort=distance')) {
        idsCompared++;
        if (a.items.map((c) => c.id).join() !== b.items.map((c) => c.id).join()) idsDiffer++;
      }
      const k = (byKindHits[t.kind] ??= { queries: 0, meanTotal: 0 });
      k.meanTotal = (k.meanTotal * k.queries + a.total) / (k.queries + 1);
      k.queries++;
    }
    for (const k of Object.values(byKindHits)) k.meanTotal = Math.round(k.meanTotal);
    const checks = [];
    for (const [query, where] of [
      ['region=310115&type=institution', sql`region_code LIKE '310115%' AND type_code = 'institution'`],
      ['region=310101&type=canteen,meal_point', sql`region_code LIKE '310101%' AND type_code IN ('canteen', 'meal_point')`],
      ['basic=true', sql`basic_guarantee`],
      ['', sql`true`],
    ] as const) {
      const direct = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM supply.facility WHERE status = 'approved' AND ${where}`))!.n;
      const got = (await inject<SearchResult>(`/api/v1/services/search?${query}`)).total;
      if (got !== direct || direct === 0) throw new Error(`portal bench: ${query || '(everything)'} gives ${got}, the database counts ${direct}`);
      checks.push({ query: query || '(everything)', total: got, direct });
    }
    log(`  (j) mix: ${DISTINCT} distinct queries, ${empty} with no result; totals agree with the SQL route; ${idsDiffer}/${idsCompared} distance-sorted pages order ties differently; ${JSON.stringify(checks)}`);

    // ----- the search alone, in process (no HTTP): what each kind of query costs the server
    const directory = new PublicDirectory(p.ctx, {} as never);
    const parse = (path: string) => {
      const s = Object.fromEntries(new URL(path, 'http://x').searchParams);
      const near = s.near?.split(',').map(Number);
      return {
        q: s.q, region: s.region, types: s.type?.split(','), fn: s.function, vacancy: s.vacancy === 'true' ? true : undefined, basic: s.basic === 'true' ? true : undefined,
        minPrice: s.minPrice ? Number(s.minPrice) : undefined, maxPrice: s.maxPrice ? Number(s.maxPrice) : undefined,
        near: near ? { lon: near[0]!, lat: near[1]!, label: s.nearLabel } : undefined, sort: s.sort as 'distance' | undefined, page: Number(s.page), pageSize: Number(s.pageSize),
      };
    };
    const queries = targets.map((t) => ({ kind: t.kind, q: parse(t.path) }));
    await directory.search(queries[0]!.q); // the snapshot load
    for (const x of queries) directory.answerUncached(x.q); // warm-up
    const inProc: Record<string, number[]> = {};
    const inProcStart = performance.now();
    for (let round = 0; round < 3; round++) {
      for (const x of queries) {
        const s0 = performance.now();
        directory.answerUncached(x.q); // the search's own work, without the short-lived answer cache
        (inProc[x.kind] ??= []).push(performance.now() - s0);
      }
    }
    const inProcAll = Object.values(inProc).flat().sort((a, b) => a - b);
    const inProcess = {
      calls: inProcAll.length, meanMs: r2((performance.now() - inProcStart) / inProcAll.length), p50: r2(quantile(inProcAll, 0.5)), p99: r2(quantile(inProcAll, 0.99)), max: r2(inProcAll.at(-1)!),
      byKind: Object.fromEntries(Object.entries(inProc).sort(([a], [b]) => a.localeCompare(b)).map(([k, xs]) => {
        xs.sort((a, b) => a - b);
        return [k, { meanMs: r2(xs.reduce((s, v) => s + v, 0) / xs.length), p50: r2(quantile(xs, 0.5)), p99: r2(quantile(xs, 0.99)), max: r2(xs.at(-1)!) }];
      })),
    };
    log(`  (j) directory.search in process: ${JSON.stringify(inProcess)}`);

    // ----- the load over loopback
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(p.app.server.address() as { port: number }).port}`;
    const load = async (name: string, ts: Target[], opts: Partial<Omit<LoadSpec, 'base' | 'targets'>> = {}) => {
      const spec: LoadSpec = { base, targets: ts, clients: CLIENTS, requests: REQUESTS, warmup: WARMUP, maxSeconds: MAX_SECONDS, ...opts };
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(spec));
      const load1 = loadavg()[0]!;
      const { stdout } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'load', file], { maxBuffer: 1 << 22 });
      const out = { ...(JSON.parse(stdout) as Stats), clients: spec.clients, loadAverage1m: r2(load1) };
      log(`  (j) ${name}: ${JSON.stringify(out)}`);
      return out;
    };
    bareBody = (await p.app.inject({ method: 'GET', url: `/api/v1/services/search?region=${districts[0]}&pageSize=20` })).body;
    const bare = await load('bare', [{ path: '/bench/bare', kind: 'bare' }]);
    const health = await load('health', [{ path: '/api/v1/health', kind: 'health' }]);
    const search = await load('search', targets);
    const sqlTargets = targets.map((t) => ({ ...t, path: t.path.replace('/api/v1/services/search', '/bench/sql/search') }));
    const sqlBaseline = await load('sql', sqlTargets, { requests: Math.min(REQUESTS, 5_000), warmup: 500, maxSeconds: 15 });
    // 100 people at once, each reading a page for a moment (≈ 0.1–0.3 s) before the next search: the portal's heavy but human load.
    const paced = await load('search-paced', targets, { thinkMs: PACED_THINK_MS, requests: 10_000, warmup: 1_000, maxSeconds: 40 });
    const single = await load('search-1-client', targets, { clients: 1, requests: 1_000, warmup: 100, maxSeconds: 10 });
    const healthSingle = await load('health-1-client', [{ path: '/api/v1/health', kind: 'health' }], { clients: 1, requests: 1_000, warmup: 100, maxSeconds: 10 });
    const bareSingle = await load('bare-1-client', [{ path: '/bench/bare', kind: 'bare' }], { clients: 1, requests: 1_000, warmup: 100, maxSeconds: 10 });
    return {
      setup: {
        backend: 'pglite', people: PEOPLE, facilities: counts.all, approvedFacilities: counts.approved, seedSeconds: r2(seedSeconds), clients: CLIENTS, requests: REQUESTS, warmup: WARMUP,
        maxSeconds: MAX_SECONDS, distinctQueries: DISTINCT, emptyResults: empty, loadGenerator: 'bench/portal.ts load (node http.Agent keepAlive, closed loop, second process)',
      },
      mix: byKindHits,
      checks: { totalsAgreeWithSql: DISTINCT, distanceSortedPages: idsCompared, distanceSortedPagesOrderedDifferently: idsDiffer, direct: checks },
      bare: { ...bare, bodyBytes: Buffer.byteLength(bareBody) }, health, search, sqlBaseline, searchOneClient: single, healthOneClient: healthSingle, bareOneClient: bareSingle, inProcess,
      searchPaced: paced,
      goal: { p99MsBelow: GOAL_P99_MS },
      met: { backToBack: search.p99 < GOAL_P99_MS && search.errors === 0, paced: paced.p99 < GOAL_P99_MS && paced.errors === 0 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await p.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === 'load') {
    const { readFileSync } = await import('node:fs');
    process.stdout.write(JSON.stringify(await loadChild(JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as LoadSpec)) + '\n');
  } else {
    process.stdout.write(JSON.stringify(await runPortalBench(), null, 2) + '\n');
  }
}
