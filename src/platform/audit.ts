// Append-only, hash-chained audit log (ARCHITECTURE "Data"). Every change and every read of a
// person's record is written here: who, role, scope, what, when, why.
//
// Changes append their entries inside the changing transaction (appendInTx). Reads are
// group-committed: concurrent requests queue their entries and one transaction writes the
// whole batch; each request is answered only after the batch holding its entry has committed.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';
import { newId } from '../core/ids.ts';
import { sql, type Database, type Queryable, type SQL } from './db.ts';

export interface AuditEntry {
  actorId: string | null;
  actorRole: string | null;
  actorScope: string | null;
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  districtCode?: string | null;
  purpose?: string | null;
  details?: Record<string, unknown>;
}

interface SealedEntry {
  seq: number;
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  actorScope: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  districtCode: string | null;
  purpose: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
/** The advisory lock platform.audit_tail() takes (migrations/0001). */
export const CHAIN_LOCK = 7_251_020_002;
const OPTIMISTIC_TRIES = 3;

export { canonicalJson };

/** The hash of one entry given its predecessor's hash. */
export function entryHash(prevHash: string, e: Omit<SealedEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: e.seq, id: e.id, at: e.at, actorId: e.actorId, actorRole: e.actorRole, actorScope: e.actorScope,
    action: e.action, entityType: e.entityType, entityId: e.entityId, districtCode: e.districtCode,
    purpose: e.purpose, details: e.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

type Tail = { seq: number; hash: string };

/** Seal entries onto a chain whose last entry is `tail` (null = empty chain). */
function seal(tail: Tail | null, entries: AuditEntry[], now: Date): SealedEntry[] {
  let seq = tail?.seq ?? 0;
  let prev = tail?.hash ?? GENESIS_HASH;
  const at = now.toISOString();
  return entries.map((e) => {
    seq += 1;
    const base = {
      seq, id: newId(), at, actorId: e.actorId, actorRole: e.actorRole, actorScope: e.actorScope, action: e.action,
      entityType: e.entityType ?? null, entityId: e.entityId ?? null, districtCode: e.districtCode ?? null,
      purpose: e.purpose ?? null, details: e.details ?? {},
    };
    const sealed = { ...base, prevHash: prev, hash: entryHash(prev, base) };
    prev = sealed.hash;
    return sealed;
  });
}

/** The insert of sealed entries; with `expectSeq`, it inserts nothing unless the chain still ends there. */
function insertSql(rows: SealedEntry[], expectSeq?: number): SQL {
  const col = <K extends keyof SealedEntry>(k: K) => sql.param(rows.map((r) => r[k]));
  return sql`
    INSERT INTO platform.audit_log
      (seq, id, at, actor_id, actor_role, actor_scope, action, entity_type, entity_id, district_code, purpose, details, prev_hash, hash)
    SELECT seq, id, at, actor_id, actor_role, actor_scope, action, entity_type, entity_id, district_code, purpose, details::jsonb, prev_hash, hash
    FROM unnest(${col('seq')}::bigint[], ${col('id')}::uuid[], ${col('at')}::timestamptz[], ${col('actorId')}::uuid[],
                ${col('actorRole')}::text[], ${col('actorScope')}::text[], ${col('action')}::text[], ${col('entityType')}::text[],
                ${col('entityId')}::text[], ${col('districtCode')}::text[], ${col('purpose')}::text[],
                ${sql.param(rows.map((r) => JSON.stringify(r.details)))}::text[], ${col('prevHash')}::text[], ${col('hash')}::text[])
      AS t(seq, id, at, actor_id, actor_role, actor_scope, action, entity_type, entity_id, district_code, purpose, details, prev_hash, hash)
    ${expectSeq === undefined ? sql`` : sql`WHERE (SELECT coalesce(max(seq), 0) FROM platform.audit_log) = ${expectSeq}`}`;
}

/** Append entries to the chain inside an open transaction (serialised by an advisory lock). */
export async function appendAudit(q: Queryable, entries: AuditEntry[], now: Date = new Date()): Promise<void> {
  if (entries.length === 0) return;
  // Lock the chain (advisory lock CHAIN_LOCK, held to commit), then read its tail.
  const tail = await q.one<Tail>(sql`SELECT seq, hash FROM platform.audit_tail()`);
  await q.run(insertSql(seal(tail, entries, now)));
}

interface Pending {
  entries: AuditEntry[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Group commit of audit entries across concurrent requests. */
export class AuditWriter {
  private queue: Pending[] = [];
  private tail: Tail | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly db: Database, private readonly maxBatch = 2000) {}

  /** Resolves once the entries are durably committed. */
  record(...entries: AuditEntry[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('audit writer closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the requests of this tick join the batch.
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.append(batch.flatMap((p) => p.entries));
        for (const p of batch) p.resolve();
      } catch (e) {
        this.tail = null;
        for (const p of batch) p.reject(e);
      }
    }
    this.flushing = null;
  }

  /**
   * One batch in one round trip: the writer remembers the chain's tail; the lock and a guarded
   * insert (it inserts nothing if the chain no longer ends where the writer thinks) go as one
   * implicit transaction. If another writer moved the tail, read it again and retry.
   */
  private async append(entries: AuditEntry[]): Promise<void> {
    const now = new Date();
    for (let attempt = 0; attempt < OPTIMISTIC_TRIES; attempt++) {
      const tail = this.tail ?? (await this.db.one<Tail>(sql`SELECT seq, hash FROM platform.audit_log ORDER BY seq DESC LIMIT 1`));
      const rows = seal(tail, entries, now);
      const [, inserted] = await this.db.script([sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`, insertSql(rows, tail?.seq ?? 0)], { asAppRole: true, scope: '*' });
      if (inserted!.count === rows.length) {
        const last = rows[rows.length - 1]!;
        this.tail = { seq: last.seq, hash: last.hash };
        return;
      }
      this.tail = null;
    }
    await this.db.tx((q) => appendAudit(q, entries, now), { asAppRole: true, scope: '*' });
  }

  /** Wait for pending entries, then refuse new ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }
}

export interface AuditProblem {
  seq: number;
  kind: 'changed' | 'broken_link' | 'missing' | 'out_of_order';
  message: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  lastSeq: number;
  problems: AuditProblem[];
}

type Row = {
  seq: number; id: string; at: Date; actor_id: string | null; actor_role: string | null; actor_scope: string | null;
  action: string; entity_type: string | null; entity_id: string | null; district_code: string | null;
  purpose: string | null; details: Record<string, unknown>; prev_hash: string; hash: string;
};

/** Walk the whole chain; report every changed, deleted or re-ordered entry. */
export async function verifyAudit(
  db: Queryable,
  onProgress?: (checked: number, total: number) => void,
  page = 5000,
): Promise<AuditVerifyResult> {
  const total = (await db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.audit_log`))?.n ?? 0;
  const problems: AuditProblem[] = [];
  let prevHash = GENESIS_HASH;
  let expectSeq = 1;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db.rows<Row>(sql`SELECT * FROM platform.audit_log WHERE seq > ${after} ORDER BY seq LIMIT ${page}`);
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.seq !== expectSeq) {
        problems.push({ seq: r.seq, kind: 'missing', message: `第 ${expectSeq}–${r.seq - 1} 条审计记录缺失（被删除）` });
      }
      const details = typeof r.details === 'string' ? (JSON.parse(r.details) as Record<string, unknown>) : r.details;
      const recomputed = entryHash(r.prev_hash, {
        seq: r.seq, id: r.id, at: new Date(r.at).toISOString(), actorId: r.actor_id, actorRole: r.actor_role,
        actorScope: r.actor_scope, action: r.action, entityType: r.entity_type, entityId: r.entity_id,
        districtCode: r.district_code, purpose: r.purpose, details,
      });
      if (recomputed !== r.hash) {
        problems.push({ seq: r.seq, kind: 'changed', message: `第 ${r.seq} 条审计记录的内容被修改（哈希不符）` });
      }
      if (r.prev_hash !== prevHash && r.seq === expectSeq) {
        problems.push({ seq: r.seq, kind: 'broken_link', message: `第 ${r.seq} 条审计记录与前一条的链接断开（前序记录被修改、删除或重排）` });
      }
      prevHash = r.hash;
      expectSeq = r.seq + 1;
      after = r.seq;
      checked++;
    }
    onProgress?.(checked, total);
  }
  return { ok: problems.length === 0, checked, lastSeq: after, problems };
}
