// The database handle: embedded PGlite by default, a PostgreSQL server when DATABASE_URL is set.
// Queries are built with drizzle's `sql` tagged template (composable, parameters never inlined)
// and run on the raw drivers, so both back ends behave the same way. Only src/platform touches
// drivers (CONVENTIONS §7).
import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
// @ts-expect-error pg's utils module has no type declarations; prepareValue is its array serialiser
import pgUtils from 'pg/lib/utils.js';
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
  /**
   * Several statements as one implicit transaction under the given scope and role: on a server
   * one round trip (one simple-query message), elsewhere a transaction. Returns each
   * statement's rows and affected-row count. An error rolls all of them back.
   */
  script(statements: SQL[], opts?: TxOptions): Promise<{ rows: Record<string, unknown>[]; count: number }[]>;
  /**
   * One read under the caller's scope and the application role, as a single implicit
   * transaction: on a server, one round trip (the hot read path); elsewhere a transaction.
   */
  readScoped<T = Record<string, unknown>>(query: SQL, scope: string): Promise<T[]>;
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

const SCOPE_RE = /^(\*|\d{0,12})$/;

/**
 * The statements that open a transaction: isolation, then the caller's scope and the
 * application role for row-level security. The scope is checked to be '*' or digits before it
 * is written into the text, so the whole preamble goes to the server in one round trip.
 */
function preamble(opts: TxOptions): string {
  const out: string[] = [];
  const mode = [
    opts.isolation === 'serializable' ? 'ISOLATION LEVEL SERIALIZABLE' : '',
    opts.readOnly ? 'READ ONLY' : '',
  ].filter(Boolean);
  if (mode.length) out.push(`SET TRANSACTION ${mode.join(' ')}`);
  if (opts.asAppRole !== false || opts.scope !== undefined) {
    const scope = opts.scope ?? '';
    if (!SCOPE_RE.test(scope)) throw new Error('invalid scope');
    const role = opts.asAppRole === false ? '' : `, set_config('role', '${APP_ROLE}', true)`;
    out.push(`SELECT set_config('yiyang.scope', '${scope}', true)${role}`);
  }
  return out.join('; ');
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
          const pre = preamble(opts);
          if (pre) await t.exec(pre);
          return fn(q);
        }),
      );
    },
    readScoped(query, scope) {
      return this.tx((q) => q.rows(query), { scope, asAppRole: true });
    },
    script(statements, opts = {}) {
      return db.transaction(async (t) => {
        const pre = preamble(opts);
        if (pre) await t.exec(pre);
        const out: { rows: Record<string, unknown>[]; count: number }[] = [];
        for (const st of statements) {
          const { text, params } = compile(st);
          const r = await t.query<Record<string, unknown>>(text, params);
          out.push({ rows: r.rows, count: r.affectedRows ?? r.rows.length });
        }
        return out;
      });
    },
    close: () => db.close(),
  };
}

/**
 * A parameter as an SQL literal, for the one-round-trip read. Only scalars; strings through
 * the driver's own escaping (standard_conforming_strings is on from PostgreSQL 9.1).
 */
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return pg.escapeLiteral(String(pgUtils.prepareValue(v)));
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return pg.escapeLiteral(v);
  if (v instanceof Date) return pg.escapeLiteral(v.toISOString());
  throw new Error('only scalars and arrays of scalars can be sent in one message');
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
          const pre = preamble(opts);
          await client.query(pre ? `BEGIN; ${pre}` : 'BEGIN');
          const q = queryable(raw(client));
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
    async readScoped<T>(query: SQL, scope: string): Promise<T[]> {
      const res = await script([query], { scope, asAppRole: true });
      return res[res.length - 1]!.rows as T[];
    },
    script,
    close: () => pool.end(),
  };
  async function script(statements: SQL[], opts: TxOptions = {}): Promise<{ rows: Record<string, unknown>[]; count: number }[]> {
    // Statements sent in one simple-query message run as one implicit transaction: the
    // transaction-local settings of the first apply to the rest, and an error rolls all back.
    const pre = preamble(opts);
    const body = statements.map((st) => {
      const { text, params } = compile(st);
      return text.replace(/\$(\d+)/g, (_m, n: string) => literal(params[Number(n) - 1]));
    });
    const all = [...(pre ? [pre] : []), ...body];
    const res = (await pool.query(all.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
    const list = Array.isArray(res) ? res : [res];
    return list.slice(pre ? 1 : 0).map((r) => ({ rows: r.rows as Record<string, unknown>[], count: r.rowCount ?? r.rows.length }));
  }
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

/**
 * The scope filter of every store function: rows whose region column starts with the caller's
 * scope prefix ('*' = everything). Anything that is not a region prefix denies everything.
 */
export function inScope(scope: string, column: SQL = sql`region_code`): SQL {
  if (scope === '*') return sql`TRUE`;
  if (!/^\d{1,12}$/.test(scope)) return sql`FALSE`; // default deny on anything odd
  return sql`${column} LIKE ${scope + '%'}`;
}

/** Rows above which an import refreshes the planner's statistics (PGlite has no autovacuum). */
export const ANALYZE_AFTER_ROWS = 10_000;

/**
 * Refresh the planner's statistics of the whole database. Embedded PGlite has no autovacuum, so
 * after bulk writes (the demo seed, a large import) and before whole-population scans (the
 * entitlement sweep, what-if simulations) the planner would otherwise guess a few rows per table
 * and page through a million people with a plan that grows with the square of their number.
 * Runs as the owner (not the app role); about a second per million people.
 */
export async function analyzeDatabase(db: Database): Promise<void> {
  await db.tx((q) => q.run(sql`ANALYZE`), { asAppRole: false });
}
