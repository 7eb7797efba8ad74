// (n) The caregiver's offline day synced (issue 8): `POST /api/v1/care/sync` with one caregiver's
// day — 12 visits, 24 operations (check-in with a position, check-out with items), client-made
// ids — through the real route (bearer auth, the caregiver look-up, the conflict rules, the
// writes, the anomaly flags recomputed with the visits' context, audit). Goal: p99 < 200 ms with
// 500 caregivers syncing at once.
//
// Setup: the platform with the demo register (30,000 people), one provider, 500 caregiver accounts
// (argon2 passwords, real logins) linked to 500 caregivers, and 12 assigned LTCI orders each for
// today (earlier today, so the phones' times are in the past), to people of Pudong with homes —
// each person about one visit a day, as LTCI home care is (at most an hour a day), by caregivers
// picked at random. (Until 2026-11-29 the register had 3,000 people, so each person of Pudong had
// some ten visits a day from different caregivers, which inflated the visits the anomaly checks
// read around each sync.)
//
// Load (a second process, one keep-alive connection per caregiver):
//  - evening: the 500 phones sync over 20 s (each at a random moment: the "at once" of a real
//    evening, when caregivers come back into coverage);
//  - burst: the 500 phones' previous day (another 12 visits each), all at the same instant (every
//    request in flight together) — a worst case;
//  - retry: the same 500 batches again at once (answers lost): every operation comes back as
//    `duplicate`, nothing is written.
// Baseline in the same run: the same requests with no operations (auth, look-up, transaction,
// nothing to do), in the same evening and burst patterns. After the load the database is checked:
// exactly 12 visits and 24 applied operations per caregiver, every visit done.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CARERS = Number(process.env.BENCH_SYNC_CARERS ?? 500);
const VISITS = 12;
const EVENING_SECONDS = Number(process.env.BENCH_SYNC_SECONDS ?? 20);
const GOAL_P99_MS = 200;
const PEOPLE = Number(process.env.BENCH_SYNC_PEOPLE ?? 30_000);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const log = (s: string) => process.stderr.write(s + '\n');
const quantile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

interface Req { token: string; body: string }
interface LoadSpec { base: string; path: string; requests: Req[]; mode: 'burst' | 'evening'; seconds: number; seed: number }
interface Stats { requests: number; seconds: number; p50: number; p95: number; p99: number; max: number; errors: number; statuses: Record<string, number> }

// ---------------------------------------------------------------------------------------------
// The load generator (child process).

async function loadChild(spec: LoadSpec): Promise<Stats> {
  const url = new URL(spec.base);
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  // A seeded spread of start moments over the evening.
  let s = spec.seed >>> 0;
  const rand = () => ((s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32);
  const t0 = performance.now();
  await Promise.all(spec.requests.map(async (r) => {
    const agent = new http.Agent({ keepAlive: false });
    if (spec.mode === 'evening') await new Promise((res) => setTimeout(res, rand() * spec.seconds * 1000));
    const start = performance.now();
    const status = await new Promise<number>((resolve) => {
      const req = http.request({ host: url.hostname, port: url.port, path: spec.path, method: 'POST', agent, headers: { authorization: `Bearer ${r.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(r.body);
    });
    lat.push(performance.now() - start);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 200) errors++;
  }));
  const sorted = lat.sort((a, b) => a - b);
  return { requests: sorted.length, seconds: r2((performance.now() - t0) / 1000), p50: r2(quantile(sorted, 0.5)), p95: r2(quantile(sorted, 0.95)), p99: r2(quantile(sorted, 0.99)), max: r2(sorted.at(-1) ?? NaN), errors, statuses };
}

// ---------------------------------------------------------------------------------------------
// The bench (parent process).

export async function runCareSyncBench(): Promise<Record<string, unknown>> {
  const { sql } = await import('../src/platform/db.ts');
  const { upsertUser } = await import('../src/platform/auth.ts');
  const { addDays, todayIn } = await import('../src/core/dates.ts');
  const { makeIdNumber } = await import('../src/core/idnumber.ts');
  const { mulberry32, newId } = await import('../src/core/ids.ts');
  const { usccCheckChar } = await import('../src/supply/index.ts');
  const { backends, startTestPlatform, DEMO_PASSWORD } = await import('../test/helpers/platform.ts');
  const cg = await import('../src/care/store/caregivers.ts');
  const pl = await import('../src/care/store/plans.ts');
  const run = promisify(execFile);
  const out: Record<string, unknown> = { goal: { p99Ms: GOAL_P99_MS, caregivers: CARERS, visitsEach: VISITS } };
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-sync-'));
  for (const backend of backends()) {
    log(`  (n) ${backend}: setting up ${CARERS} caregivers with ${VISITS} visits each, ${PEOPLE} people`);
    const p = await startTestPlatform(backend, { people: PEOPLE });
    try {
      const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
      const inject = async (user: string, method: string, url: string, payload?: unknown) => {
        const r = await p.app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${await p.token(user)}` }, ...(payload ? { payload: payload as object } : {}) });
        return r.json() as Record<string, string>;
      };
      const body17 = '52310115MJ0000009';
      const providerId = (await inject('provider', 'POST', '/api/v1/supply/providers', { name: '压测居家照护服务社', uscc: body17 + usccCheckChar(body17), legalRepresentative: '张三', kind: 'social_org', phone: '021-58880000' })).id!;
      const today = todayIn(p.ctx.clock);
      const now = Date.now();
      const homes = await p.ctx.db.rows<{ id: string; region_code: string; lat: number; lon: number }>(sql`SELECT id, region_code, lat, lon FROM people.person WHERE district_code = '310115' AND lat IS NOT NULL AND death_date IS NULL ORDER BY id`);
      const rand = mulberry32(2026);
      const people = homes.map((_, i) => i);
      for (let i = people.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [people[i], people[j]] = [people[j]!, people[i]!];
      }
      let next = 0;
      log(`  (n) ${backend}: ${homes.length} people of Pudong with a home (about ${r2((CARERS * VISITS) / Math.max(1, homes.length))} visits each a day)`);
      const requests: Req[] = [];
      const burst: Req[] = [];
      const empty: Req[] = [];
      // Accounts and logins, a few at a time (argon2 runs on the thread pool).
      const tokens: string[] = [];
      for (let i = 0; i < CARERS; i += 8) {
        const batch = Array.from({ length: Math.min(8, CARERS - i) }, (_, k) => i + k);
        await Promise.all(batch.map((n) => p.ctx.db.tx((q) => upsertUser(q, { username: `bench.carer${n}`, displayName: `压测护理员${n}`, role: 'caregiver', regionCode: '310115', password: DEMO_PASSWORD }), { asAppRole: false })));
        tokens.push(...(await Promise.all(batch.map(async (n) => {
          const r = await p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `bench.carer${n}`, password: DEMO_PASSWORD, client: 'api' } });
          return (r.json() as { token: string }).token;
        }))));
      }
      const users = await p.ctx.db.rows<{ id: string; username: string }>(sql`SELECT id, username FROM platform.app_user WHERE username LIKE 'bench.carer%'`);
      const userOf = new Map(users.map((u) => [u.username, u.id]));
      const at = new Date();
      // The day's 12 half-hour visits, 40 minutes apart, all before now (the phones' times are in the past).
      const dayStart = now - VISITS * 40 * MINUTE - HOUR;
      await p.ctx.db.tx(async (q) => {
        for (let n = 0; n < CARERS; n++) {
          const id = newId();
          const idn = makeIdNumber('310115', addDays('1970-01-01' as never, n) as never, n % 500, 'F');
          await cg.insertCaregiver(q, {
            id, region_code: '310115', district_code: '310115', provider_id: providerId, user_id: userOf.get(`bench.carer${n}`)!, name: `压测护理员${n}`, gender: 'F', birth_date: '1975-01-01',
            id_number_enc: p.ctx.crypto.encrypt(idn), id_hash: p.ctx.crypto.blindIndex(idn, 'caregiver'), phone_enc: null, kind: 'caregiver', skill_level: 4, qualifications: ['caregiver_cert'],
            training_hours: 100, health_cert_valid_to: addDays(today, 100), background_check: 'passed', background_checked_on: addDays(today, -100), status: 'active', status_reason: null,
            shift_start: '08:00', shift_end: '17:00', home_lat: null, home_lon: null,
          }, at);
          // Two days of 12 visits: today's (synced in the evening pattern) and yesterday's (in the burst).
          for (const [offset, into] of [[0, requests], [-24 * HOUR, burst]] as const) {
            const orders = Array.from({ length: VISITS }, (_, k) => {
              // Each person of Pudong gets about one visit a day (LTCI home care is at most an hour a day), from caregivers picked at random.
              const h = homes[people[next++ % people.length]!]!;
              return { h, order: {
                id: newId(), person_id: h.id, region_code: h.region_code, district_code: '310115', provider_id: providerId, plan_id: null, payer: 'ltci' as const, kind: 'care', items: ['L01', 'L06'],
                starts_at: new Date(dayStart + offset + k * 40 * MINUTE).toISOString(), minutes: 30, price_fen_per_hour: null, caregiver_id: id, status: 'assigned' as const,
              } };
            });
            await pl.insertOrders(q, orders.map((o) => o.order), at);
            const ops = orders.flatMap(({ h, order }, k) => {
              const visitId = newId();
              const where = { lat: h.lat + (rand() - 0.5) * 0.0004, lon: h.lon + (rand() - 0.5) * 0.0004, accuracy: 10 + Math.floor(rand() * 20) };
              const checkIn = dayStart + offset + k * 40 * MINUTE + Math.floor(rand() * 5) * MINUTE;
              return [
                { id: newId(), kind: 'check_in', visitId, orderId: order.id, at: new Date(checkIn).toISOString(), location: where, mockLocation: false, proof: null },
                { id: newId(), kind: 'check_out', visitId, at: new Date(checkIn + 30 * MINUTE).toISOString(), location: where, mockLocation: false, items: ['L01', 'L06'], note: null },
              ];
            });
            into.push({ token: tokens[n]!, body: JSON.stringify({ deviceId: `bench-phone-${n}`, ops }) });
          }
          empty.push({ token: tokens[n]!, body: JSON.stringify({ deviceId: `bench-phone-${n}`, ops: [] }) });
        }
      }, { asAppRole: false });
      await p.ctx.db.run(sql`ANALYZE`);
      const load = async (name: string, reqs: Req[], mode: LoadSpec['mode']) => {
        const file = join(dir, `${backend}-${name}.json`);
        writeFileSync(file, JSON.stringify({ base: address, path: '/api/v1/care/sync', requests: reqs, mode, seconds: EVENING_SECONDS, seed: 7 } satisfies LoadSpec));
        const r = await run('node', ['--import', 'tsx', fileURLToPath(import.meta.url), 'load', file], { maxBuffer: 1 << 24 });
        const stats = JSON.parse(r.stdout) as Stats;
        log(`  (n) ${backend} ${name}: p50 ${stats.p50} ms, p99 ${stats.p99} ms, max ${stats.max} ms, ${stats.seconds} s, errors ${stats.errors}`);
        return stats;
      };
      const res: Record<string, unknown> = {};
      res.baselineEvening = await load('baseline-evening', empty, 'evening');
      res.evening = await load('evening', requests, 'evening');
      // Yesterday's days, all 500 first syncs at the same instant (worst case).
      res.burst = await load('burst', burst, 'burst');
      // Today's batches again, all at once: the answers were lost and the phones retry.
      res.retryBurst = await load('retry-burst', requests, 'burst');
      res.baselineBurst = await load('baseline-burst', empty, 'burst');
      const counts = await p.ctx.db.one<{ visits: number; done: number; ops: number; applied: number }>(sql`SELECT (SELECT count(*)::int FROM care.visit) AS visits,
        (SELECT count(*)::int FROM care.visit WHERE status = 'done') AS done, (SELECT count(*)::int FROM care.sync_op) AS ops,
        (SELECT count(*)::int FROM care.sync_op WHERE result->>'status' = 'applied') AS applied`);
      const want = 2 * CARERS * VISITS;
      res.check = { ...counts, expectedVisits: want, expectedOps: 2 * want, ok: counts!.visits === want && counts!.done === want && counts!.applied === 2 * want };
      log(`  (n) ${backend} check: ${JSON.stringify(res.check)}`);
      res.loadAverage = loadavg().map(r2);
      res.met = { evening: (res.evening as Stats).p99 < GOAL_P99_MS && (res.evening as Stats).errors === 0, check: (res.check as { ok: boolean }).ok };
      out[backend] = res;
    } finally {
      await p.close();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'load') {
  process.stdout.write(JSON.stringify(await loadChild(JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as LoadSpec)) + '\n');
}
