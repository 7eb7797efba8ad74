// The database handle: embedded PGlite by default, a PostgreSQL server when DATABASE_URL is set.
// Queries are built with drizzle's `sql` tagged template (composable, parameters never inlined)
// and run on the raw drivers, so both back ends behave the same way. Only src/platform touches
// drivers (CONVENTIONS §7).
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

export { sql, type SQL };

const dialect = new PgDialect();

/** A query runner: the database itself or an open transaction. */
export interface Queryable {
  /** Run a query and return its rows. */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Run a query and return its first row, or null. */
  one<T = Record<string, unknown>>(query: SQL): Promise<T | null>;
  /** Run a statement and return the number of affected rows. */
  run(query: SQL): Promise<number>;
  /** Run several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface TxOptions {
  /** Caller's region scope prefix for row-level security; '*' for the whole deployment. */
  scope?: string;
  /** Run as the non-superuser application role so that row-level security applies. */
  asAppRole?: boolean;
  isolation?: 'read committed' | 'serializable';
  readOnly?: boolean;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Run fn in one transaction; retried on serialization failure when serializable. */
  tx<T>(fn: (q: Queryable) => Promise<T>, opts?: TxOptions): Promise<T>;
  close(): Promise<void>;
}

export const APP_ROLE = 'yiyang_app';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';
const MAX_RETRIES = 5;

function compile(query: SQL): { text: string; params: unknown[] } {
  const q = dialect.sqlToQuery(query);
  return { text: q.sql, params: q.params };
}

interface Raw {
  query(text: string, params: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number; rowCount?: number | null }>;
  exec(text: string): Promise<void>;
}

function queryable(raw: Raw): Queryable {
  return {
    async rows<T>(query: SQL) {
      const { text, params } = compile(query);
      return (await raw.query(text, params)).rows as T[];
    },
    async one<T>(query: SQL) {
      const { text, params } = compile(query);
      const r = (await raw.query(text, params)).rows as T[];
      return r[0] ?? null;
    },
    async run(query: SQL) {
      const { text, params } = compile(query);
      const r = await raw.query(text, params);
      return r.affectedRows ?? r.rowCount ?? 0;
    },
    exec: (text: string) => raw.exec(text),
  };
}

function beginStatements(opts: TxOptions): string[] {
  const out: string[] = [];
  const mode = [
    opts.isolation === 'serializable' ? 'ISOLATION LEVEL SERIALIZABLE' : '',
    opts.readOnly ? 'READ ONLY' : '',
  ].filter(Boolean);
  if (mode.length) out.push(`SET TRANSACTION ${mode.join(' ')}`);
  return out;
}

async function applyScope(q: Queryable, opts: TxOptions): Promise<void> {
  if (opts.asAppRole === false && opts.scope === undefined) return;
  const role = opts.asAppRole === false ? null : APP_ROLE;
  await q.rows(
    sql`SELECT set_config('yiyang.scope', ${opts.scope ?? ''}, true)${role ? sql`, set_config('role', ${role}, true)` : sql``}`,
  );
}

function isRetryable(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK;
}

async function withRetry<T>(opts: TxOptions, attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (opts.isolation === 'serializable' && isRetryable(e) && i < MAX_RETRIES) continue;
      throw e;
    }
  }
}

async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const parsers = {
    [pgliteTypes.DATE]: (v: string) => v,
    [pgliteTypes.INT8]: (v: string) => Number(v),
    [pgliteTypes.NUMERIC]: (v: string) => Number(v),
  };
  const db = dataDir ? new PGlite(dataDir, { parsers }) : new PGlite({ parsers });
  await db.waitReady;
  return pgliteDatabase(db);
}

/** Wrap an already-open PGlite instance (tests start from a migrated snapshot). */
export function pgliteDatabase(db: PGlite): Database {
  const base = queryable({ query: (t, p) => db.query(t, p), exec: async (t) => void (await db.exec(t)) });
  return {
    kind: 'pglite',
    ...base,
    tx(fn, opts = {}) {
      return withRetry(opts, () =>
        db.transaction(async (t) => {
          const q = queryable({ query: (x, p) => t.query(x, p), exec: async (x) => void (await t.exec(x)) });
          for (const s of beginStatements(opts)) await t.exec(s);
          await applyScope(q, opts);
          return fn(q);
        }),
      );
    },
    close: () => db.close(),
  };
}

let pgTypesSet = false;
function setPgTypes(): void {
  if (pgTypesSet) return;
  pg.types.setTypeParser(1082, (v: string) => v); // date stays a LocalDate string
  pg.types.setTypeParser(20, (v: string) => Number(v)); // int8 counts
  pg.types.setTypeParser(1700, (v: string) => Number(v)); // numeric
  pgTypesSet = true;
}

async function openPg(url: string, max: number): Promise<Database> {
  setPgTypes();
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => undefined); // idle client errors surface on next use
  const raw = (c: pg.Pool | pg.PoolClient): Raw => ({
    query: (t, p) => c.query(t, p as unknown[]),
    exec: async (t) => void (await c.query(t)),
  });
  return {
    kind: 'pg',
    ...queryable(raw(pool)),
    async tx(fn, opts = {}) {
      return withRetry(opts, async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const q = queryable(raw(client));
          for (const s of beginStatements(opts)) await client.query(s);
          await applyScope(q, opts);
          const result = await fn(q);
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        } finally {
          client.release();
        }
      });
    },
    close: () => pool.end(),
  };
}

export interface DbConfig {
  databaseUrl?: string | null;
  dataDir?: string | null;
  poolSize?: number;
}

/** Open the configured database: a server when databaseUrl is set, else PGlite under dataDir (memory when null). */
export async function openDatabase(cfg: DbConfig): Promise<Database> {
  if (cfg.databaseUrl) return openPg(cfg.databaseUrl, cfg.poolSize ?? 10);
  return openPglite(cfg.dataDir ?? null);
}
