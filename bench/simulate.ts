// Benchmark of the what-if simulation end to end (issue 5 "Performance"): a city-wide officer's
// what-if over N people (default 1,000,000) on embedded PGlite — load from the database page by
// page, evaluate every person with the current and the changed parameters, aggregate — through the
// real SimulationService (src/entitlements/service.ts) and the real ports (SIMULATION_PORTS in
// src/app.ts). Goal: 1M people in under 30 s on PGlite.
//
//   npx tsx bench/simulate.ts                 → prints the result object (one child per size)
//   runSimulateBench() from bench/run.ts      → the same object
//   BENCH_SIMULATE_N=100000,1000000           → sizes (default 1000000)
//   BENCH_SIMULATE_STATISTICS=both|none|analyzed → measure the database as the platform leaves it
//       (no planner statistics: PGlite has no autovacuum and nothing runs ANALYZE), after
//       ANALYZE, or both (default; same data, same process, no-statistics first)
//   BENCH_SIMULATE_IDS=v7|random              → person ids time-ordered like the platform's UUIDv7
//       (default: heap in id order) or random (md5; heap order unrelated to id order)
//
// Each size runs in its own process (peak RSS is its own) on a fresh PGlite in a temp dir:
//  1. fill people.person with N synthetic people by INSERT … SELECT FROM generate_series (not
//     timed as part of the what-if): the 16 districts' committee codes from
//     policy/jurisdictions/shanghai/regions.json, ages 55–105, hukou mostly Shanghai, insurance,
//     economic status and living arrangement mixed like bench/entitle.ts; ≈ 10% with a care grade
//     in assessment.care_grade (most in force). ID-number columns hold placeholders: the what-if
//     never decrypts them.
//  2. baseline: the same pages through SIMULATION_PORTS (page + grades, 5,000 a page, same scope,
//     role and transactions as the service) without evaluating;
//  3. the what-if: SimulationService.start as the city-wide officer, raising the 80–89 band of
//     老年综合津贴 from 180 to 200 yuan, until its run finishes;
//  4. breakdown: one more pass timing each part separately (page query, grades query, facts,
//     the two evaluations, aggregation) to say where the time goes.
// Steps 2–4 run first on the database as filled (no planner statistics), then after ANALYZE.
// The machine's load average at the start and end is recorded: results on a shared machine vary.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const GOAL_MS = 30_000;
const PAGE = 5000; // SIM_PAGE in src/entitlements/service.ts
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151'];
const ID_ORDER = process.env.BENCH_SIMULATE_IDS === 'random' ? 'random' : 'v7';
const CHANGE = { scheme: 'allowance', name: 'monthlyFen', value: { '80-89': 20000 } };
const mib = (b: number) => Math.round(b / 2 ** 20);
const log = (s: string) => process.stderr.write(s + '\n');

export async function runSimulateBench(): Promise<Record<string, unknown>> {
  const sizes = (process.env.BENCH_SIMULATE_N ?? '1000000').split(',').map(Number);
  const out: Record<string, unknown> = { goal: { people: 1_000_000, msUnder: GOAL_MS }, change: CHANGE };
  for (const n of sizes) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(n)], {
      maxBuffer: 1 << 22,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    out[String(n)] = r;
    log(`  (f) ${n}: ${JSON.stringify(r)}`);
  }
  return out;
}

/** The fill: N people and ≈ 10% care grades, by SQL, in chunks. Returns the ms taken. */
async function fill(db: import('../src/platform/db.ts').Database, n: number): Promise<{ ms: number; personMs: number; gradeMs: number; grades: number; committees: number }> {
  const { sql } = await import('../src/platform/db.ts');
  const regions = (JSON.parse(readFileSync(new URL('../policy/jurisdictions/shanghai/regions.json', import.meta.url), 'utf8')) as { regions: [string, string, string][] }).regions;
  const committees = regions.map((r) => r[0]).filter((c) => c.length === 12 && DISTRICTS.includes(c.slice(0, 6)));
  const t0 = performance.now();
  await db.tx(async (q) => {
    await q.exec('DROP TABLE IF EXISTS public.bench_committee; CREATE TABLE public.bench_committee (n int PRIMARY KEY, code text NOT NULL)');
    await q.run(sql`INSERT INTO public.bench_committee SELECT i::int, c FROM unnest(${sql.param(committees)}::text[]) WITH ORDINALITY AS t(c, i)`);
  }, { asAppRole: false });
  // r(k): a deterministic pseudo-random fraction in [0, 1) per person and k.
  const r = (k: number) => `((hashint4(g + ${k * 100_000_000}) & 2147483647) / 2147483648.0)`;
  const districtList = `ARRAY[${[...DISTRICTS, '310108'].map((d) => `'${d}'`).join(',')}]`;
  // Ids: 'v7' (default) like the platform's own (UUIDv7, time-ordered: people written in id
  // order, so the heap follows the id index); 'random' (md5 → uuid) puts neighbouring ids on
  // unrelated heap pages, like a register whose rows were rewritten over years.
  const idExpr = ID_ORDER === 'random'
    ? `md5('bench-person-' || g)::uuid`
    : `(substr(lpad(to_hex(1735689600000 + g), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(1735689600000 + g), 12, '0'), 9, 4) || '-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid`;
  const CHUNK = 100_000;
  for (let from = 1; from <= n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK - 1);
    await db.exec(`
      INSERT INTO people.person (district_code, id, region_code, street_code, committee_code, name, id_number_enc, id_number_hash, id_number_masked,
        birth_date, sex, hukou_district_code, insurance_type, economic_status, living_arrangement, death_date, created_action, created_reason)
      SELECT left(c.code, 6), ${idExpr}, c.code, left(c.code, 9), c.code, '测试' || g, 'bench-placeholder:' || g,
        md5('bench-id-' || g), left(c.code, 6) || '********' || lpad((g % 10000)::text, 4, '0'),
        current_date - (((55 + 50 * power(s.age, 1.6)) * 365.25)::int), CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END,
        CASE WHEN s.hk < 0.85 THEN left(c.code, 6) WHEN s.hk < 0.92 THEN (${districtList})[1 + (s.hk * 1000)::int % 17]
             WHEN s.hk < 0.96 THEN '330604' ELSE NULL END,
        CASE WHEN s.ins < 0.55 THEN 'employee' WHEN s.ins < 0.95 THEN 'resident' ELSE 'none' END,
        CASE WHEN s.eco < 0.02 THEN 'tekun' WHEN s.eco < 0.07 THEN 'dibao' WHEN s.eco < 0.12 THEN 'low_income' ELSE 'none' END,
        CASE WHEN s.liv < 0.15 THEN 'alone' WHEN s.liv < 0.35 THEN 'elderly_only' WHEN s.liv < 0.95 THEN 'with_children' WHEN s.liv < 0.98 THEN 'institution' ELSE 'other' END,
        CASE WHEN s.dead < 0.03 THEN current_date - (s.dead * 30000)::int ELSE NULL END,
        'seed', 'bench/simulate.ts'
      FROM (SELECT g, ${r(1)} AS loc, ${r(2)} AS age, ${r(3)} AS hk, ${r(4)} AS ins, ${r(5)} AS eco, ${r(6)} AS liv, ${r(7)} AS dead
            FROM generate_series(${from}, ${to}) AS g) s
      JOIN public.bench_committee c ON c.n = 1 + (s.loc * ${committees.length})::int % ${committees.length}
      ORDER BY g`);
  }
  const personMs = performance.now() - t0;
  const g0 = performance.now();
  // ≈ 10% with a grade; grades 0–6; valid two years from a start within the last 900 days (≈ 80% in force).
  await db.exec(`
    INSERT INTO assessment.care_grade (district_code, id, person_id, region_code, grade, outcome, agency_code, assessed_on, valid_from, valid_until, source, record, record_hash, key_id)
    SELECT p.district_code, md5('bench-grade-' || p.id)::uuid, p.id, p.region_code,
      CASE WHEN x.gr < 0.05 THEN 0 WHEN x.gr < 0.15 THEN 1 WHEN x.gr < 0.40 THEN 2 WHEN x.gr < 0.60 THEN 3 WHEN x.gr < 0.80 THEN 4 WHEN x.gr < 0.92 THEN 5 ELSE 6 END,
      'grade', 'BENCH', current_date - x.days, current_date - x.days, current_date - x.days + 729, 'file',
      '{"bench": true}'::jsonb, md5('bench-grade-hash-' || p.id), 'bench-key'
    FROM (SELECT id, district_code, region_code, hashtext(id::text) AS h FROM people.person) p
    CROSS JOIN LATERAL (SELECT ((hashint4(p.h) & 2147483647) / 2147483648.0) AS gr, ((hashint4(p.h + 7) & 2147483647) % 900) AS days) x
    WHERE (p.h & 1023) < 102`);
  await db.exec('DROP TABLE public.bench_committee');
  const grades = (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM assessment.care_grade`))!.n;
  return { ms: performance.now() - t0, personMs, gradeMs: performance.now() - g0, grades, committees: committees.length };
}

async function child(n: number): Promise<Record<string, unknown>> {
  const { openPlatform, seedDemo, SIMULATION_PORTS } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/platform/config.ts');
  const { makeLogger } = await import('../src/platform/logger.ts');
  const { sql } = await import('../src/platform/db.ts');
  const { scopePrefix } = await import('../src/core/regions.ts');
  const { todayIn } = await import('../src/core/dates.ts');
  const { EntitlementService, SimulationService } = await import('../src/entitlements/wiring.ts');
  const { factsOf } = await import('../src/entitlements/recompute.ts');
  const { Aggregator, applyChanges } = await import('../src/entitlements/simulate.ts');
  const { compileParameterFiles, createEngine, readParameterFiles } = await import('../src/entitlements/index.ts');

  const loadStart = loadavg().map((x) => Math.round(x * 100) / 100); // the machine is shared: say how busy it was
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-bench-sim-'));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const phasePeak = () => {
    const p = Math.max(peakRss, process.memoryUsage().rss);
    peakRss = 0;
    return mib(p);
  };
  const config = loadConfig({ YIYANG_DATA_DIR: dir, DATABASE_URL: '', YIYANG_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' });
  const ctx = await openPlatform(config, { logger: makeLogger('silent') });
  try {
    await seedDemo(ctx, 0, 1); // demo accounts only
    const rssAfterOpen = phasePeak();
    const filled = await fill(ctx.db, n);
    const rssFill = phasePeak();
    const people = (await ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person`))!.n;
    if (people !== n) throw new Error(`fill: ${people} people, expected ${n}`);
    log(`    fill ${n}: ${Math.round(filled.ms)} ms (${filled.grades} grades)`);

    const u = (await ctx.db.one<{ id: string }>(sql`SELECT id FROM platform.app_user WHERE username = 'officer'`))!;
    const caller = { userId: u.id, username: 'officer', displayName: '市民政局 王科长', role: 'officer' as const, regionCode: '310000', scope: scopePrefix('310000'), sessionKind: 'bearer' as const, csrfToken: '' };
    const asOf = todayIn(ctx.clock);
    const scope = caller.scope;

    const svc = new EntitlementService(ctx, null, SIMULATION_PORTS);
    const sims = new SimulationService(ctx, svc, SIMULATION_PORTS);
    await svc.engine(); // the parameters are loaded once per process, before any request
    const round = (x: number) => Math.round(x);

    const measure = async (label: string): Promise<Record<string, unknown>> => {
      // The plan PGlite chooses for the page query (the service's, with the first cursor).
      const plan = (await ctx.db.rows<{ 'QUERY PLAN': string }>(sql.raw(`EXPLAIN SELECT id FROM people.person WHERE region_code LIKE '${scope}%' AND deleted_at IS NULL AND id > '00000000-0000-0000-0000-000000000000'::uuid ORDER BY id LIMIT ${PAGE}`))).map((r) => r['QUERY PLAN']);

      // 2. Baseline: load only — the same pages, grades, scope, role and transactions as the service.
      const loadOnly = async () => {
        const t0 = performance.now();
        let after: string | null = null;
        let loaded = 0;
        let graded = 0;
        const total = await ctx.db.tx((q) => SIMULATION_PORTS.count(q, scope), { scope, asAppRole: true });
        for (;;) {
          const cursor = after;
          const { rows, grades } = await ctx.db.tx(async (q) => {
            const page = await SIMULATION_PORTS.page(q, scope, cursor, PAGE);
            return { rows: page, grades: await SIMULATION_PORTS.grades(q, page.map((x) => x.id), asOf) };
          }, { scope, asAppRole: true });
          if (rows.length === 0) break;
          loaded += rows.length;
          graded += grades.size;
          after = rows[rows.length - 1]!.id;
        }
        if (loaded !== total) throw new Error(`load: ${loaded} of ${total}`);
        return { ms: performance.now() - t0, loaded, gradesInForce: graded };
      };
      const load = await loadOnly();
      const rssLoad = phasePeak();
      log(`    ${label}: load only ${n}: ${Math.round(load.ms)} ms`);

      // 3. The what-if through the real service.
      const t0 = performance.now();
      const started = await sims.start(caller, { name: '80–89 岁提高到 200 元 (bench)', changes: [CHANGE] });
      await svc.running.get(started.id);
      const whatIfMs = performance.now() - t0;
      const rssWhatIf = phasePeak();
      const s = await sims.get(caller, started.id, false);
      if (s.status !== 'done' || !s.result) throw new Error(`simulation ${s.status}: ${s.error}`);
      const a = s.result.schemes.allowance;
      if (s.result.people !== n || a.monthlyFenDelta !== a.changed * 2000 || a.gaining !== 0 || a.losing !== 0) throw new Error(`unexpected result ${JSON.stringify(a)}`);
      log(`    ${label}: what-if ${n}: ${Math.round(whatIfMs)} ms`);

      // 4. Where the time goes: one more pass, each part timed on its own.
      const base = await svc.engine();
      const alt = createEngine(compileParameterFiles(applyChanges((await readParameterFiles()).files, [CHANGE], asOf, ctx.jurisdiction.rootCode, 'bench'), (c) => c), { rootCode: ctx.jurisdiction.rootCode });
      const parts = { pageQueryMs: 0, gradesQueryMs: 0, txOverheadMs: 0, factsMs: 0, evaluateMs: 0, aggregateMs: 0, progressUpdateMs: 0 };
      const agg = new Aggregator();
      const p0 = performance.now();
      let after: string | null = null;
      for (;;) {
        const cursor = after;
        const tx0 = performance.now();
        let inner = 0;
        const { rows, grades } = await ctx.db.tx(async (q) => {
          let t = performance.now();
          const page = await SIMULATION_PORTS.page(q, scope, cursor, PAGE);
          parts.pageQueryMs += performance.now() - t;
          t = performance.now();
          const g = await SIMULATION_PORTS.grades(q, page.map((x) => x.id), asOf);
          parts.gradesQueryMs += performance.now() - t;
          inner = performance.now() - tx0;
          return { rows: page, grades: g };
        }, { scope, asAppRole: true });
        parts.txOverheadMs += performance.now() - tx0 - inner;
        if (rows.length === 0) break;
        let t = performance.now();
        const facts = rows.map((x) => factsOf(x, grades.get(x.id)));
        parts.factsMs += performance.now() - t;
        t = performance.now();
        const evals = facts.map((f) => [base.evaluate(f, asOf), alt.evaluate(f, asOf)] as const);
        parts.evaluateMs += performance.now() - t;
        t = performance.now();
        for (let i = 0; i < rows.length; i++) agg.add(rows[i]!.id, rows[i]!.district_code, evals[i]![0], evals[i]![1]);
        parts.aggregateMs += performance.now() - t;
        t = performance.now();
        await ctx.db.tx((q) => q.run(sql`UPDATE entitlements.simulation SET done = done WHERE id = ${started.id}::uuid`), { asAppRole: false });
        parts.progressUpdateMs += performance.now() - t;
        after = rows[rows.length - 1]!.id;
      }
      const t = performance.now();
      const result = agg.result();
      const resultMs = performance.now() - t;
      const breakdownTotal = performance.now() - p0;
      if (result.schemes.allowance.changed !== a.changed) throw new Error('breakdown pass disagrees with the service');

      return {
        pagePlan: plan,
        loadOnlyMs: round(load.ms),
        gradesInForce: load.gradesInForce,
        whatIfMs: round(whatIfMs),
        peoplePerS: round(n / (whatIfMs / 1000)),
        whatIfOverLoadOnly: Math.round((whatIfMs / load.ms) * 100) / 100,
        underGoal: whatIfMs < GOAL_MS,
        result: { allowanceChanged: a.changed, allowanceMonthlyFenDelta: a.monthlyFenDelta, allowanceYearlyFenDelta: a.yearlyFenDelta, districts: Object.keys(s.result.districts).length },
        breakdown: { ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])), resultMs: round(resultMs), totalMs: round(breakdownTotal) },
        peakRssMiB: { loadOnly: rssLoad, whatIf: rssWhatIf, breakdown: phasePeak() },
      };
    };

    // As the platform leaves the database: PGlite runs no autovacuum and nothing runs ANALYZE.
    const statistics = process.env.BENCH_SIMULATE_STATISTICS ?? 'both';
    const noStatistics = statistics === 'analyzed' ? null : await measure('no statistics');
    let analyzed: Record<string, unknown> | null = null;
    let analyzeMs = 0;
    if (statistics !== 'none') {
      const t0 = performance.now();
      await ctx.db.exec('ANALYZE people.person; ANALYZE assessment.care_grade');
      analyzeMs = performance.now() - t0;
      analyzed = await measure('after ANALYZE');
    }
    clearInterval(sampler);
    return {
      people: n,
      ids: ID_ORDER,
      asOf,
      gradesRecorded: filled.grades,
      fill: { ms: round(filled.ms), personMs: round(filled.personMs), gradeMs: round(filled.gradeMs), peoplePerS: round(n / (filled.personMs / 1000)), committees: filled.committees },
      loadAverage: { start: loadStart, end: loadavg().map((x) => Math.round(x * 100) / 100) },
      ...(noStatistics ? { noStatistics } : {}),
      ...(analyzed ? { analyzeMs: round(analyzeMs), afterAnalyze: analyzed } : {}),
      rssMiB: { afterOpen: rssAfterOpen, peakFill: rssFill, maxRss: mib(process.resourceUsage().maxRSS * 1024) },
    };
  } finally {
    clearInterval(sampler);
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) process.stdout.write(JSON.stringify(await child(Number(process.argv[i + 1]))) + '\n');
  else process.stdout.write(JSON.stringify(await runSimulateBench()) + '\n');
}
