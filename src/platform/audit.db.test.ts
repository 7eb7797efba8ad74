// The audit chain detects changed, deleted and re-ordered entries — through the API, the CLI
// (`yiyang audit verify`) and on both back ends.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, AuditWriter, verifyAudit } from './audit.ts';
import { openDatabase, sql, type Database } from './db.ts';
import { migrate } from './migrate.ts';
import { backends, createServerDatabase } from '../../test/helpers/platform.ts';

const run = promisify(execFile);
const entry = (i: number) => ({ actorId: null, actorRole: 'officer', actorScope: '310115', action: 'people.read', entityType: 'person', entityId: `p${i}`, districtCode: '310115', details: { i, z: { b: 1, a: [1, 2] } } });

describe.each(backends())('audit chain on %s', (backend) => {
  let db: Database;
  let drop: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    if (backend === 'pg') {
      const d = await createServerDatabase();
      drop = d.drop;
      db = await openDatabase({ databaseUrl: d.url });
    } else db = await openDatabase({ dataDir: null });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });
  beforeEach(async () => {
    await db.exec('ALTER TABLE platform.audit_log DISABLE TRIGGER audit_log_no_update; DELETE FROM platform.audit_log; ALTER TABLE platform.audit_log ENABLE TRIGGER audit_log_no_update;');
    const w = new AuditWriter(db);
    await Promise.all(Array.from({ length: 30 }, (_, i) => w.record(entry(i + 1))));
    await w.close();
  });
  const tamper = (stmt: string) => db.exec(`ALTER TABLE platform.audit_log DISABLE TRIGGER audit_log_no_update; ${stmt}; ALTER TABLE platform.audit_log ENABLE TRIGGER audit_log_no_update;`);

  it('concurrent reads are group-committed into one intact chain', async () => {
    const r = await verifyAudit(db);
    expect(r).toMatchObject({ ok: true, checked: 30, lastSeq: 30, problems: [] });
    const seqs = await db.rows<{ seq: number }>(sql`SELECT seq FROM platform.audit_log ORDER BY seq`);
    expect(seqs.map((s) => s.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('refuses UPDATE and DELETE through the trigger', async () => {
    await expect(db.run(sql`UPDATE platform.audit_log SET action = 'x' WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await expect(db.run(sql`DELETE FROM platform.audit_log WHERE seq = 3`)).rejects.toThrow(/append-only/);
  });

  it('finds a changed entry', async () => {
    await tamper(`UPDATE platform.audit_log SET details = '{"i": 999}' WHERE seq = 7`);
    const r = await verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ seq: 7, kind: 'changed' })]);
  });

  it('finds a changed entry whose hash was recomputed, by the broken link after it', async () => {
    await tamper(`UPDATE platform.audit_log SET actor_role = 'admin', hash = repeat('a', 64) WHERE seq = 9`);
    const r = await verifyAudit(db);
    expect(r.problems.map((x) => [x.seq, x.kind])).toEqual([[9, 'changed'], [10, 'broken_link']]);
  });

  it('finds a deleted entry', async () => {
    await tamper(`DELETE FROM platform.audit_log WHERE seq = 12`);
    const r = await verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ seq: 13, kind: 'missing' });
  });

  it('finds re-ordered entries', async () => {
    await tamper(`UPDATE platform.audit_log SET seq = -1 WHERE seq = 20; UPDATE platform.audit_log SET seq = 20 WHERE seq = 21; UPDATE platform.audit_log SET seq = 21 WHERE seq = -1`);
    const r = await verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.problems.map((x) => x.seq)).toEqual(expect.arrayContaining([20, 21]));
  });

  it('two writers (as two processes would) and in-transaction appends interleave into one intact chain', async () => {
    const a = new AuditWriter(db);
    const b = new AuditWriter(db);
    await a.record(entry(200));
    await b.record(entry(201)); // a's remembered tail is now stale
    await db.tx((q) => appendAudit(q, [entry(202)]));
    await Promise.all([a.record(entry(203)), b.record(entry(204)), a.record(entry(205)), b.record(entry(206))]);
    await a.close();
    await b.close();
    const r = await verifyAudit(db);
    expect(r).toMatchObject({ ok: true, checked: 37 });
  });

  it('appends after an existing chain inside a caller transaction', async () => {
    await db.tx((q) => appendAudit(q, [entry(100), entry(101)]));
    expect((await verifyAudit(db)).checked).toBe(32);
  });
});

describe('yiyang audit verify (CLI)', () => {
  it('exits 0 on an intact log and 2 naming the entry when one was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiyang-cli-'));
    const env = { ...process.env, YIYANG_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    try {
      const db = await openDatabase({ dataDir: dir });
      await migrate(db);
      const w = new AuditWriter(db);
      await Promise.all([1, 2, 3, 4, 5].map((i) => w.record(entry(i))));
      await w.close();
      await db.close();
      const ok = await run(process.execPath, ['bin/yiyang.js', 'audit', 'verify'], { env });
      expect(ok.stdout).toMatch(/审计日志完整：已校验 5 条/);

      const db2 = await openDatabase({ dataDir: dir });
      await db2.exec(`ALTER TABLE platform.audit_log DISABLE TRIGGER audit_log_no_update; UPDATE platform.audit_log SET purpose = 'x' WHERE seq = 4; ALTER TABLE platform.audit_log ENABLE TRIGGER audit_log_no_update;`);
      await db2.close();
      const bad = await run(process.execPath, ['bin/yiyang.js', 'audit', 'verify', '--json'], { env }).catch((e: { code: number; stdout: string }) => e);
      expect((bad as { code: number }).code).toBe(2);
      const out = JSON.parse((bad as { stdout: string }).stdout) as { ok: boolean; problems: { seq: number; kind: string }[] };
      expect(out.ok).toBe(false);
      expect(out.problems[0]).toMatchObject({ seq: 4, kind: 'changed' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
