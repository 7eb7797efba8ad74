// The outbox: an event committed with its change survives the process being killed before
// dispatch; delivery is at least once, retried with back-off, and consumers are idempotent.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sql, type Database } from './db.ts';
import { migrate } from './migrate.ts';
import { Dispatcher, emit, type Consumer, type DomainEvent } from './outbox.ts';
import { backends, createServerDatabase } from '../../test/helpers/platform.ts';

function runChild(env: Record<string, string>): Promise<{ stdout: string; signal: string | null }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'test/fixtures/outbox-child.ts'], { env: { ...process.env, ...env } }, (err, stdout) => {
      resolve({ stdout, signal: (err as { signal?: string } | null)?.signal ?? null });
    });
  });
}

describe.each(backends())('outbox on %s', (backend) => {
  let dir: string;
  let url = '';
  let drop: (() => Promise<void>) | null = null;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'yiyang-outbox-'));
    if (backend === 'pg') {
      const d = await createServerDatabase();
      url = d.url;
      drop = d.drop;
    }
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an event whose process was killed between commit and dispatch, exactly once per consumer', async () => {
    const child = await runChild({ YIYANG_DATA_DIR: dir, DATABASE_URL: url, YIYANG_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    expect(child.signal).toBe('SIGKILL');
    const personId = child.stdout.trim();
    expect(personId).toMatch(/^[0-9a-f-]{36}$/);

    db = await openDatabase({ databaseUrl: url || null, dataDir: dir });
    const pending = await db.rows<{ topic: string; payload: { personId: string } }>(sql`SELECT topic, payload FROM platform.outbox WHERE dispatched_at IS NULL`);
    expect(pending).toEqual([expect.objectContaining({ topic: 'people.registered', payload: expect.objectContaining({ personId }) })]);

    const seen: DomainEvent[] = [];
    const recorder: Consumer = { name: 'test.recorder', topics: ['people.registered'], handle: async (e) => void seen.push(e) };
    const d = new Dispatcher(db, [recorder]);
    expect(await d.runOnce()).toBe(1);
    expect(seen.map((e) => e.payload.personId)).toEqual([personId]);
    expect(await d.runOnce()).toBe(0);

    // A redelivery (say the process died after the consumer committed but before the event was
    // marked) does not run the consumer twice.
    await db.run(sql`UPDATE platform.outbox SET dispatched_at = NULL, next_attempt_at = now()`);
    expect(await d.runOnce()).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it('retries a failing consumer with back-off and records the failure', async () => {
    await migrate(db);
    let calls = 0;
    const flaky: Consumer = {
      name: 'test.flaky',
      topics: ['test.ping'],
      handle: async () => {
        calls++;
        if (calls === 1) throw new Error('temporary failure');
      },
    };
    const d = new Dispatcher(db, [flaky], { backoffSeconds: () => 30 });
    const id = await db.tx((q) => emit(q, 'test.ping', { n: 1 }));
    await d.runOnce();
    const row = await db.one<{ attempts: number; last_error: string; dispatched_at: Date | null; wait: number }>(
      sql`SELECT attempts, last_error, dispatched_at, extract(epoch FROM next_attempt_at - now())::int AS wait FROM platform.outbox WHERE id = ${id}`);
    expect(row).toMatchObject({ attempts: 1, dispatched_at: null });
    expect(row!.last_error).toContain('test.flaky');
    expect(row!.wait).toBeGreaterThan(20);
    expect(await d.runOnce()).toBe(0); // not due yet
    await db.run(sql`UPDATE platform.outbox SET next_attempt_at = now() WHERE id = ${id}`);
    expect(await d.runOnce()).toBe(1);
    expect(calls).toBe(2);
    expect((await db.one<{ done: boolean }>(sql`SELECT dispatched_at IS NOT NULL AS done FROM platform.outbox WHERE id = ${id}`))!.done).toBe(true);
  });
});
