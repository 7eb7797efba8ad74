// Versioned SQL migrations (migrations/NNNN_name.sql), the same on PGlite and PostgreSQL.
// Applied in order on start and by `yiyang migrate`; a landed migration is never edited:
// its checksum is recorded and a changed file stops the start.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sql, type Database } from './db.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
const LOCK_KEY = 7_251_020_001; // advisory lock id for migrations

export interface Migration {
  version: string;
  file: string;
  text: string;
  checksum: string;
}

/** The migration files in order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return { version: file.slice(0, 4), file, text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/** Apply every pending migration; returns the files applied. */
export async function migrate(db: Database, onApply?: (m: Migration) => void): Promise<string[]> {
  await db.exec(`CREATE SCHEMA IF NOT EXISTS platform;
    CREATE TABLE IF NOT EXISTS platform.schema_migrations (
      version text PRIMARY KEY, file text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  await db.tx(
    async (q) => {
      await q.rows(sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
      const done = new Map(
        (await q.rows<{ version: string; checksum: string; file: string }>(
          sql`SELECT version, checksum, file FROM platform.schema_migrations`,
        )).map((r) => [r.version, r]),
      );
      for (const m of listMigrations()) {
        const prior = done.get(m.version);
        if (prior) {
          if (prior.checksum !== m.checksum) {
            throw new Error(`migration ${m.file} was changed after it was applied (checksum differs); add a new migration instead`);
          }
          continue;
        }
        await q.exec(m.text);
        await q.run(sql`INSERT INTO platform.schema_migrations (version, file, checksum) VALUES (${m.version}, ${m.file}, ${m.checksum})`);
        applied.push(m.file);
        onApply?.(m);
      }
    },
    { asAppRole: false },
  );
  return applied;
}
