// Benchmarks of the platform foundation, each against a baseline measured in the same run:
//  (a) the person read API with auth + scope + audit, against a bare Fastify route and against
//      the same read without auth, scope or audit — over loopback, load from a second process,
//      on PGlite and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) the PostgreSQL server;
//  (b) CSV and XLSX import rows/s on PGlite, against parsing alone;
//  (c) demo generation people/s and peak RSS at small and district scale, against generating
//      without writing;
//  (d) assessment scoring: 1M answer sets through the generic interpreter, against a
//      hand-written loop for the same instrument (bench/assess.ts);
//  (e) entitlement rules: every scheme for 1M people through the rules engine, against a
//      hand-written loop (bench/entitle.ts);
//  (f) what-if simulation end to end on PGlite: 1M people loaded page by page, evaluated twice
//      and aggregated through the real SimulationService, against loading the same pages alone
//      (bench/simulate.ts);
//  (j) the public portal's search (issue 6): p99 under 100 concurrent keep-alive clients over
//      loopback on the demo city's supply, against a bare route, the health route and the same
//      queries by SQL (bench/portal.ts);
//  (k) allocation of basic-guarantee beds (issue 7): deferred acceptance for 100,000 applicants and
//      2,000 facilities, against the straightforward version on the same input, and the fairness
//      check of the result (bench/waitlist.ts);
//  (l) the waiting list's page (issue 7): an officer's page of a district's queue of 100,000 open
//      applications, p99 under 50 clients over loopback, against a bare route, the health route and
//      the same page by one SQL statement (bench/waitlist-page.ts);
//  (m) LTCI settlement of a month for a district (issue 8): 300,000 visits of 20,000 people through
//      the real settle() with the policy's parameters and `yiyang settle` end to end as a process,
//      against JSON.parse + JSON.stringify of the same input (in process and as a process) and a
//      plain loop summing the minutes; peak RSS (bench/settle.ts).
// Results: bench/results/<date>.json (parts not run this time keep their figures from an earlier
// run that day); the summary table lives in bench/README.md.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { sql } from '../src/platform/db.ts';
import { addDays, type LocalDate } from '../src/core/dates.ts';
import { makeIdNumber } from '../src/core/idnumber.ts';
import { scopePrefix } from '../src/core/regions.ts';
import { PeopleService } from '../src/people/index.ts';
import { backends, createServerDatabase, startTestPlatform, type Backend } from '../test/helpers/platform.ts';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  settings: { seconds: SECONDS, concurrency: CONCURRENCY },
};
const log = (s: string) => process.stderr.write(s + '\n');

/**
 * Load from a second process. wrk (C, one thread) when it is installed — it leaves more of the
 * two cores to the server; otherwise bench/load.ts (Node). The results file says which.
 */
async function load(base: string, headers: Record<string, string>, paths: string[]) {
  if (WRK) return wrkLoad(base, headers, paths);
  return nodeLoad(base, headers, paths);
}

const WRK = process.env.BENCH_LOADGEN !== 'node' && (await run('wrk', ['--version']).then(() => true, (e: { stdout?: string }) => Boolean(e.stdout?.includes('wrk'))));
results.loadGenerator = WRK ? 'wrk -t1 (Debian package wrk)' : 'bench/load.ts (Node http, keep-alive)';

async function wrkLoad(base: string, headers: Record<string, string>, paths: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-wrk-'));
  const script = join(dir, 'paths.lua');
  writeFileSync(script, [
    `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }`,
    'local i = 0',
    ...Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`),
    'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end',
  ].join('\n'));
  try {
    await run('wrk', ['-t1', `-c${CONCURRENCY}`, '-d1s', '-s', script, base]); // warm-up
    const { stdout } = await run('wrk', ['-t1', `-c${CONCURRENCY}`, `-d${SECONDS}s`, '--latency', '-s', script, base]);
    const ms = (label: string) => {
      const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout);
      if (!m) return NaN;
      const v = Number(m[1]);
      return Math.round((m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v) * 100) / 100;
    };
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
    const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0) + Number(/Socket errors:.*?(\d+)/.exec(stdout)?.[1] ?? 0);
    return { requests, rps: Math.round(Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0)), p50: ms('50'), p99: ms('99'), errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function nodeLoad(base: string, headers: Record<string, string>, paths: string[]) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/load.ts', base, JSON.stringify(headers), JSON.stringify(paths), String(CONCURRENCY), String(SECONDS)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { requests: number; rps: number; p50: number; p99: number; errors: number };
}

async function readApi(backend: Backend) {
  if (!process.env.TEST_DATABASE_URL && process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
  // Baselines on the same server: a bare route answering a fixed person document, and the same
  // read with no auth, scope or audit.
  let fixed = '{}';
  const p = await startTestPlatform(backend, {
    people: 20_000,
    beforeReady: (app, ctx) => {
      const svc = new PeopleService(ctx);
      app.get('/bench/bare/:id', { config: { auth: 'public' } }, async (_req, reply) => reply.type('application/json').send(fixed));
      app.get<{ Params: { id: string } }>('/bench/plain/:id', { config: { auth: 'public' } }, async (req) => {
        const row = await ctx.db.one<Record<string, unknown>>(sql`SELECT * FROM people.person WHERE id = ${req.params.id}::uuid`);
        return svc.toDetail(row as never, []);
      });
    },
  });
  try {
    const ids = (await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM people.person WHERE district_code = '310115' ORDER BY id LIMIT 500`)).map((r) => r.id);
    const sample = await p.app.inject({ method: 'GET', url: `/api/v1/people/${ids[0]}`, headers: { authorization: `Bearer ${await p.token('officer.pudong')}` } });
    fixed = sample.body;
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (p.app.server.address() as { port: number }).port;
    const base = `http://127.0.0.1:${port}`;
    const token = await p.token('officer.pudong');
    const out: Record<string, unknown> = {};
    for (const [name, prefix, headers] of [
      ['bare', '/bench/bare/', {}],
      ['plain', '/bench/plain/', {}],
      ['full', '/api/v1/people/', { authorization: `Bearer ${token}` }],
    ] as const) {
      out[name] = await load(base, headers, ids.map((id) => prefix + id));
      log(`  (a) ${backend} ${name}: ${JSON.stringify(out[name])}`);
    }
    const audited = (await p.ctx.db.one<{ n: number; batches: number }>(sql`SELECT count(*)::int AS n, count(DISTINCT at)::int AS batches FROM platform.audit_log WHERE action = 'people.read'`))!;
    out.auditRows = audited.n;
    out.auditBatches = audited.batches;
    out.fullVsBare = Math.round(((out.full as { rps: number }).rps / (out.bare as { rps: number }).rps) * 1000) / 1000;
    return out;
  } finally {
    await p.close();
  }
}

async function importBench() {
  const p = await startTestPlatform('pglite', { people: 0 });
  try {
    const u = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM platform.app_user WHERE username = 'officer'`))!;
    const caller = { userId: u.id, username: 'officer', displayName: '王科长', role: 'officer' as const, regionCode: '310000', scope: scopePrefix('310000'), sessionKind: 'bearer' as const, csrfToken: '' };
    const N = Number(process.env.BENCH_IMPORT_ROWS ?? 20_000);
    const streets = ['潍坊新村街道', '陆家嘴街道', '周家渡街道', '塘桥街道'];
    const rows = Array.from({ length: N }, (_, i) => [
      `导入${String.fromCharCode(0x4e00 + (i % 2000))}${String.fromCharCode(0x4e00 + ((i * 7) % 2000))}`,
      makeIdNumber('310115', addDays('1940-01-01' as LocalDate, i % 7000), Math.floor(i / 7000) % 500, i % 2 ? 'M' : 'F'),
      streets[i % streets.length]!, `浦东南路${i}号`, '职工医保', '无', '独居', '13800000000',
    ]);
    const header = ['姓名', '身份证号', '居住街道', '地址', '医保类型', '经济状况', '居住状况', '电话'];
    const csv = Buffer.from('\uFEFF' + [header, ...rows].map((r) => r.join(',')).join('\r\n'));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const svc = new PeopleService(p.ctx);
    const { readSheet, mapRows } = await import('../src/people/importer.ts');
    const out: Record<string, unknown> = { rows: N };
    for (const [kind, buf] of [['csv', csv], ['xlsx', xlsx]] as const) {
      let t0 = performance.now();
      const sheet = await readSheet(buf, kind);
      mapRows(sheet, svc.names);
      const parseS = (performance.now() - t0) / 1000;
      await p.ctx.db.exec('ALTER TABLE people.person DISABLE ROW LEVEL SECURITY; DELETE FROM people.person_history; DELETE FROM people.person; ALTER TABLE people.person ENABLE ROW LEVEL SECURITY;');
      t0 = performance.now();
      const s = await svc.importFile(caller, `bench.${kind}`, buf);
      const importS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const again = await svc.importFile(caller, `bench.${kind}`, buf);
      const reimportS = (performance.now() - t0) / 1000;
      if (s.created !== N || again.unchanged !== N) throw new Error(`import bench: unexpected ${JSON.stringify({ created: s.created, unchanged: again.unchanged, errors: s.errors.slice(0, 3) })}`);
      out[kind] = { parseOnlyRowsPerS: Math.round(N / parseS), importRowsPerS: Math.round(N / importS), reimportRowsPerS: Math.round(N / reimportS), seconds: Math.round(importS * 100) / 100 };
      log(`  (b) ${kind}: ${JSON.stringify(out[kind])}`);
    }
    return out;
  } finally {
    await p.close();
  }
}

async function demoBench() {
  const out: Record<string, unknown> = {};
  for (const scale of (process.env.BENCH_SCALES ?? 'small,district').split(',')) {
    const dir = mkdtempSync(join(tmpdir(), 'yiyang-bench-'));
    try {
      const env = { ...process.env, YIYANG_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bench/seed-child.ts', scale], { env, maxBuffer: 1 << 20 });
      out[scale] = JSON.parse(stdout.trim().split('\n').pop()!);
      log(`  (c) ${scale}: ${JSON.stringify(out[scale])}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

const only = process.env.BENCH_ONLY?.split(',');
if (!only || only.includes('read')) {
  const read: Record<string, unknown> = {};
  for (const b of backends()) {
    log(`(a) person read API on ${b}`);
    read[b] = await readApi(b);
  }
  results.readApi = read;
}
if (!only || only.includes('import')) {
  log('(b) import');
  results.import = await importBench();
}
if (!only || only.includes('demo')) {
  log('(c) demo generation');
  results.demo = await demoBench();
}
if (!only || only.includes('assess')) {
  log('(d) assessment scoring (issue 4)');
  const { runAssessBench } = await import('./assess.ts');
  results.assess = await runAssessBench();
  log(`  (d) ${JSON.stringify(results.assess)}`);
}
if (!only || only.includes('entitle')) {
  log('(e) entitlement rules (issue 5)');
  const { runEntitleBench } = await import('./entitle.ts');
  results.entitle = await runEntitleBench();
  log(`  (e) ${JSON.stringify(results.entitle)}`);
}
if (!only || only.includes('simulate')) {
  log('(f) what-if simulation end to end on PGlite (issue 5)');
  const { runSimulateBench } = await import('./simulate.ts');
  results.simulate = await runSimulateBench();
}
if (!only || only.includes('batch')) {
  log('(g) coverage and (h) settlement batch computations (issues 6, 8)');
  const { runCoverageBench, runSettleBench } = await import('./batch.ts');
  results.coverage = runCoverageBench();
  log(`  (g) ${JSON.stringify(results.coverage)}`);
  results.settle = runSettleBench();
  log(`  (h) ${JSON.stringify(results.settle)}`);
}
if (!only || only.includes('siting')) {
  log('(i) walking network and siting (issue 6 §3)');
  const { runSitingBench } = await import('./siting.ts');
  results.siting = runSitingBench();
  log(`  (i) ${JSON.stringify(results.siting)}`);
}
if (!only || only.includes('portal')) {
  log('(j) portal search under 100 concurrent clients (issue 6)');
  const { runPortalBench } = await import('./portal.ts');
  results.portal = await runPortalBench();
  log(`  (j) met: ${JSON.stringify((results.portal as { met: unknown }).met)}`);
}
if (!only || only.includes('waitlist')) {
  log('(k) allocation of basic-guarantee beds by deferred acceptance (issue 7)');
  const { runWaitlistBench } = await import('./waitlist.ts');
  results.waitlist = runWaitlistBench();
  log(`  (k) ${JSON.stringify(results.waitlist)}`);
}
if (!only || only.includes('waitlist-page')) {
  log('(l) the waiting list\'s page for a district under 50 clients (issue 7)');
  const { runWaitlistPageBench } = await import('./waitlist-page.ts');
  results.waitlistPage = await runWaitlistPageBench();
  log(`  (l) met: ${JSON.stringify((results.waitlistPage as { met: unknown }).met)}`);
}
if (!only || only.includes('settle')) {
  log('(m) LTCI settlement of a month for a district, in process and through `yiyang settle` (issue 8)');
  const { runLtciSettleBench } = await import('./settle.ts');
  results.ltciSettle = await runLtciSettleBench();
  log(`  (m) ${JSON.stringify(results.ltciSettle)}`);
}
if (!only || only.includes('care-sync')) {
  log('(n) the caregiver\'s offline day synced, 500 caregivers at once (issue 8)');
  const { runCareSyncBench } = await import('./care-sync.ts');
  results.careSync = await runCareSyncBench();
  log(`  (n) ${JSON.stringify(results.careSync)}`);
}
mkdirSync('bench/results', { recursive: true });
const file = join('bench/results', `${new Date().toISOString().slice(0, 10)}.json`);
// A partial run (BENCH_ONLY) keeps the other parts' figures already in that day's file, and the
// top-level date, machine and load generator of the run that wrote them; `runs` says when and on
// which machine each part ran.
const parts = ['readApi', 'import', 'demo', 'assess', 'entitle', 'simulate', 'coverage', 'settle', 'siting', 'portal', 'waitlist', 'waitlistPage', 'ltciSettle', 'careSync'];
const earlier = only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : null;
const thisRun = { date: results.date, machine: results.machine, ...(results.readApi ? { loadGenerator: results.loadGenerator } : {}) };
const runs = (earlier?.runs as Record<string, unknown> | undefined) ??
  (earlier ? Object.fromEntries(parts.filter((k) => k in earlier).map((k) => [k, { date: earlier.date, machine: earlier.machine, ...(k === 'readApi' ? { loadGenerator: earlier.loadGenerator } : {}) }])) : {});
const merged = earlier ? { ...earlier, ...Object.fromEntries(parts.filter((k) => k in results).map((k) => [k, results[k]])) } : results;
merged.runs = { ...runs, ...Object.fromEntries(parts.filter((k) => k in results).map((k) => [k, thisRun])) };
writeFileSync(file, JSON.stringify(merged, null, 2) + '\n');
log(`results written to ${file}`);
void createServerDatabase;
