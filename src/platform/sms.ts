// Text messages to a phone number that is not a registered person's (the public portal's "send
// this to a phone"): the number is encrypted at rest with a keyed blind index for rate limits,
// masked wherever it is shown, and never logged. A deployment's SMS gateway adapter delivers
// queued messages; without one they stay queued, visible to administrators.
import { maskPhone } from '../core/mask.ts';
import { newId } from '../core/ids.ts';
import type { FieldCrypto } from './crypto.ts';
import { sql, type Queryable } from './db.ts';

/** A mainland mobile number: 11 digits starting with 1[3-9]; +86/0086, spaces and hyphens allowed. */
export function normaliseMobile(input: string): string | null {
  const compact = input.replace(/[\s-]+/g, '').replace(/^(\+86|0086)/, '');
  return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
}

/** Messages queued to the number since a time (for a per-number rate limit). */
export async function smsSentSince(q: Queryable, crypto: FieldCrypto, phone: string, since: Date): Promise<number> {
  const r = await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.sms_message WHERE phone_hash = ${crypto.blindIndex(phone, 'sms')} AND created_at >= ${since.toISOString()}`);
  return r?.n ?? 0;
}

/** Queue a message; returns its id and the masked number. */
export async function queueSms(q: Queryable, crypto: FieldCrypto, m: { phone: string; body: string; source: string }, at: Date): Promise<{ id: string; to: string }> {
  const id = newId();
  const to = maskPhone(m.phone);
  await q.run(sql`INSERT INTO platform.sms_message (id, phone_enc, phone_hash, phone_mask, body, source, created_at)
    VALUES (${id}::uuid, ${crypto.encrypt(m.phone)}, ${crypto.blindIndex(m.phone, 'sms')}, ${to}, ${m.body}, ${m.source}, ${at.toISOString()})`);
  return { id, to };
}
