// The platform's notifier: how a module tells a person something (an offer of a bed, a deadline).
// The default records every message in platform.message, which staff can read; a deployment
// configures an adapter (an SMS gateway) that also delivers it. Bodies may hold names but never
// ID numbers; phone numbers appear only masked.
import { newId } from '../core/ids.ts';
import { sql, type Queryable } from './db.ts';

export interface Message { personId: string | null; districtCode: string; kind: string; title: string; body: string }
export interface MessageRow { id: string; person_id: string | null; district_code: string; channel: string; to_mask: string | null; kind: string; title: string; body: string; status: string; created_at: string }

export interface Notifier {
  /** Send (or queue) a message in the caller's transaction; returns the logged message's id. */
  send(q: Queryable, m: Message, at: Date): Promise<string>;
  /** Several at once (an allocation run's offers). */
  sendMany(q: Queryable, ms: readonly Message[], at: Date): Promise<void>;
}

/** The default: record the message (channel 'log'); nothing leaves the platform. */
export const recordingNotifier: Notifier = {
  async send(q, m, at) {
    const id = newId();
    await record(q, [{ ...m, id }], at);
    return id;
  },
  async sendMany(q, ms, at) {
    await record(q, ms.map((m) => ({ ...m, id: newId() })), at);
  },
};

async function record(q: Queryable, ms: readonly (Message & { id: string })[], at: Date): Promise<void> {
  if (ms.length === 0) return;
  await q.run(sql`INSERT INTO platform.message (id, person_id, district_code, channel, to_mask, kind, title, body, status, created_at)
    SELECT u.id, u."personId", u."districtCode", 'log', NULL, u.kind, u.title, u.body, 'recorded', ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(ms)}::jsonb) AS u(id uuid, "personId" uuid, "districtCode" text, kind text, title text, body text)`);
}

/** The message log in the caller's scope, newest first. */
export async function listMessages(q: Queryable, f: { personId?: string; kind?: string }, limit: number): Promise<MessageRow[]> {
  return q.rows<MessageRow>(sql`SELECT id, person_id, district_code, channel, to_mask, kind, title, body, status,
      to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at FROM platform.message
    WHERE TRUE ${f.personId ? sql`AND person_id = ${f.personId}::uuid` : sql``} ${f.kind ? sql`AND kind LIKE ${f.kind + '%'}` : sql``}
    ORDER BY created_at DESC, id LIMIT ${limit}`);
}
