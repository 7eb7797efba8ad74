// A real platform for tests: a fresh database (in-memory PGlite, or a new database on the
// PostgreSQL server named by TEST_DATABASE_URL), migrated, with the demo accounts and a small
// deterministic population. No mocks.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildPlatformApp, openPlatform, seedDemo } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { openDatabase } from '../../src/platform/db.ts';
import type { App } from '../../src/platform/http.ts';
import { makeLogger } from '../../src/platform/logger.ts';

export type Backend = 'pglite' | 'pg';

export const DEMO_PASSWORD = 'Yiyang-demo-2026';

/** The back ends to run store tests on: PGlite always, the server when TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.YIYANG_REQUIRE_PG === '1') throw new Error('YIYANG_REQUIRE_PG=1 but TEST_DATABASE_URL is not set');
  return url ? ['pglite', 'pg'] : ['pglite'];
}

/** Create a throwaway database on the test server; returns its URL and a dropper. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `yiyang_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestPlatform {
  ctx: AppContext;
  app: App;
  config: Config;
  backend: Backend;
  /** Log in through the API; returns a bearer token. */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestPlatformOptions {
  people?: number;
  seed?: number;
  clock?: () => Date;
  env?: Record<string, string>;
  webDir?: string | null;
  /** Seed the demo supply (facilities, beds, walking networks; several seconds): off unless a test needs it. */
  supply?: boolean;
  /** Add routes before the app is made ready (benchmarks' baselines). */
  beforeReady?: (app: App, ctx: AppContext) => void;
}

/** Start a platform on the given back end with demo accounts and `people` demo people. */
export async function startTestPlatform(backend: Backend, opts: TestPlatformOptions = {}): Promise<TestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-test-'));
  let drop: (() => Promise<void>) | null = null;
  let url = '';
  if (backend === 'pg') {
    const d = await createServerDatabase();
    url = d.url;
    drop = d.drop;
  }
  const config = loadConfig({
    YIYANG_DATA_DIR: dir,
    DATABASE_URL: url,
    YIYANG_SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    YIYANG_LOGIN_RATE_LIMIT: '1000',
    ...(process.env.YIYANG_DB_POOL ? { YIYANG_DB_POOL: process.env.YIYANG_DB_POOL } : {}),
    ...opts.env,
  });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: null, poolSize: config.dbPoolSize });
  const ctx = await openPlatform(config, { db, clock: opts.clock, logger: makeLogger('silent') });
  await seedDemo(ctx, opts.people ?? 300, opts.seed ?? 1, undefined, { supply: opts.supply ?? false });
  const app = await buildPlatformApp(ctx, opts.webDir ?? null);
  opts.beforeReady?.(app, ctx);
  await app.ready();
  const tokens = new Map<string, string>();
  return {
    ctx, app, config, backend,
    async token(username) {
      const have = tokens.get(username);
      if (have) return have;
      const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD, client: 'api' } });
      if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.statusCode} ${r.body}`);
      const t = (r.json() as { token: string }).token;
      tokens.set(username, t);
      return t;
    },
    async close() {
      await app.close();
      await ctx.close();
      if (drop) await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
