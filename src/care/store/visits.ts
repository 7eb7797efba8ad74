// SQL of visits and what hangs on them (migrations/0016_care.sql): the phone's applied sync
// operations, photos, the family's ratings, call-backs, the home tags' secrets and hospital
// stays. Reads in a caller's transaction are scoped by row-level security (the person's region).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/canonical.ts';
import { sql, type Queryable, type SQL } from '../../platform/db.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);
const day = (c: string, as = c) => sql.raw(`to_char(${c}, 'YYYY-MM-DD') AS ${as}`);

export interface StoredFlag { code: string; weight: number; explanation: string; related: string[] }

export interface VisitRow {
  id: string; order_id: string | null; person_id: string; region_code: string; district_code: string; provider_id: string; caregiver_id: string; payer: string; kind: string;
  device_id: string | null; status: 'in_progress' | 'done' | 'cancelled'; check_in: string; check_out: string | null;
  check_in_lat: number | null; check_in_lon: number | null; check_in_accuracy: number | null; check_out_lat: number | null; check_out_lon: number | null; check_out_accuracy: number | null;
  mock_location: boolean; check_in_location_status: string | null; check_out_location_status: string | null; home_proof: 'tag' | 'elder_phone' | 'card' | null; home_proof_valid: boolean; items: string[]; note: string | null; photo_count: number;
  flags: StoredFlag[]; anomaly_score: number; synced_at: string; updated_at: string;
}
const VISIT_COLUMNS = sql`id, order_id, person_id, region_code, district_code, provider_id, caregiver_id, payer, kind, device_id, status, ${ts('check_in')}, ${ts('check_out')},
  check_in_lat, check_in_lon, check_in_accuracy, check_out_lat, check_out_lon, check_out_accuracy, mock_location, check_in_location_status, check_out_location_status,
  home_proof, home_proof_valid, items, note, photo_count, flags, anomaly_score, ${ts('synced_at')}, ${ts('updated_at')}`;

export type VisitWrite = Omit<VisitRow, 'synced_at' | 'updated_at' | 'flags' | 'anomaly_score' | 'photo_count'>;

/** What the anomaly checks read of a visit (and the flags stored, to write only what changed). */
export type VisitCheckFacts = Pick<VisitRow, 'id' | 'order_id' | 'person_id' | 'caregiver_id' | 'device_id' | 'check_in' | 'check_out' | 'check_in_lat' | 'check_in_lon' | 'check_in_accuracy'
  | 'check_out_lat' | 'check_out_lon' | 'check_out_accuracy' | 'mock_location' | 'check_in_location_status' | 'check_out_location_status' | 'home_proof' | 'home_proof_valid'>;
export type VisitCheckRow = VisitCheckFacts & Pick<VisitRow, 'anomaly_score'> & { flags_checked: boolean; flags_digest: string | null };
const FACT_COLUMNS = sql`id, order_id, person_id, caregiver_id, device_id, ${ts('check_in')}, ${ts('check_out')}, check_in_lat, check_in_lon, check_in_accuracy,
  check_out_lat, check_out_lon, check_out_accuracy, mock_location, check_in_location_status, check_out_location_status, home_proof, home_proof_valid, anomaly_score, flags_checked, flags_digest`;

/** The digest stored with a visit's flags (md5 of their canonical JSON): how the checks see what changed. */
export const flagsDigest = (flags: readonly StoredFlag[]): string => createHash('md5').update(canonicalJson(flags)).digest('hex');

export async function insertVisit(q: Queryable, r: VisitWrite, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.visit (id, order_id, person_id, region_code, district_code, provider_id, caregiver_id, payer, kind, device_id, status, check_in, check_out,
      check_in_lat, check_in_lon, check_in_accuracy, check_out_lat, check_out_lon, check_out_accuracy, mock_location, check_in_location_status, check_out_location_status,
      home_proof, home_proof_valid, items, note, synced_at, updated_at)
    VALUES (${r.id}::uuid, ${r.order_id}::uuid, ${r.person_id}::uuid, ${r.region_code}, ${r.district_code}, ${r.provider_id}::uuid, ${r.caregiver_id}::uuid, ${r.payer}, ${r.kind},
      ${r.device_id}, ${r.status}, ${r.check_in}::timestamptz, ${r.check_out}::timestamptz, ${r.check_in_lat}, ${r.check_in_lon}, ${r.check_in_accuracy}, ${r.check_out_lat},
      ${r.check_out_lon}, ${r.check_out_accuracy}, ${r.mock_location}, ${r.check_in_location_status}, ${r.check_out_location_status}, ${r.home_proof}, ${r.home_proof_valid},
      ${sql.param(r.items)}::text[], ${r.note}, ${at.toISOString()}, ${at.toISOString()})`);
}

/**
 * Store visits' flags and mark them checked (rows whose flags did not change are left alone
 * unless unchecked). With `readAt`, a visit changed after the flags were computed from what was
 * read then is left unchecked (it is checked again).
 */
export async function setVisitFlags(q: Queryable, items: readonly { id: string; flags: StoredFlag[]; score: number }[], readAt: Date | null = null): Promise<void> {
  if (items.length === 0) return;
  await q.run(sql`UPDATE care.visit v SET flags = u.flags, anomaly_score = u.score, flags_checked = true, flags_digest = u.digest
    FROM unnest(${sql.param(items.map((i) => i.id))}::uuid[], ${sql.param(items.map((i) => JSON.stringify(i.flags)))}::jsonb[], ${sql.param(items.map((i) => i.score))}::int[],
      ${sql.param(items.map((i) => flagsDigest(i.flags)))}::text[]) AS u(id, flags, score, digest)
    WHERE v.id = u.id AND (v.flags <> u.flags OR v.anomaly_score <> u.score OR NOT v.flags_checked OR v.flags_digest IS DISTINCT FROM u.digest)
      ${readAt ? sql`AND v.updated_at <= ${readAt.toISOString()}::timestamptz` : sql``}`);
}

/** Visits written since their flags were computed, oldest first. */
export async function uncheckedVisits(q: Queryable, limit: number): Promise<VisitCheckRow[]> {
  return q.rows<VisitCheckRow>(sql`SELECT ${FACT_COLUMNS} FROM care.visit WHERE NOT flags_checked ORDER BY synced_at, id LIMIT ${limit}`);
}

/** The checks' facts of some visits. */
export async function visitFactsOf(q: Queryable, ids: readonly string[]): Promise<VisitCheckRow[]> {
  if (ids.length === 0) return [];
  return q.rows<VisitCheckRow>(sql`SELECT ${FACT_COLUMNS} FROM care.visit WHERE id = ANY(${sql.param([...ids])}::uuid[]) ORDER BY id`);
}

/** Are there visits whose flags are not computed yet? */
export async function anyUnchecked(q: Queryable): Promise<boolean> {
  return (await q.one(sql`SELECT 1 AS x FROM care.visit WHERE NOT flags_checked LIMIT 1`)) !== null;
}

/** The visits around some: the same caregivers' and devices' in a window, and the same people's in a longer one (one statement). */
export async function visitContext(q: Queryable, f: { ids: readonly string[]; caregiverIds: readonly string[]; deviceIds: readonly string[]; personIds: readonly string[]; near: { from: string; to: string }; wide: { from: string; to: string } }): Promise<VisitCheckRow[]> {
  return q.rows<VisitCheckRow>(sql`SELECT ${FACT_COLUMNS} FROM care.visit WHERE status <> 'cancelled' AND (
      id = ANY(${sql.param([...f.ids])}::uuid[])
      OR (caregiver_id = ANY(${sql.param([...f.caregiverIds])}::uuid[]) AND check_in >= ${f.near.from}::timestamptz AND check_in < ${f.near.to}::timestamptz)
      OR (device_id = ANY(${sql.param([...f.deviceIds])}::text[]) AND check_in >= ${f.near.from}::timestamptz AND check_in < ${f.near.to}::timestamptz)
      OR (person_id = ANY(${sql.param([...f.personIds])}::uuid[]) AND check_in >= ${f.wide.from}::timestamptz AND check_in < ${f.wide.to}::timestamptz))`);
}

export async function incrementPhotos(q: Queryable, id: string): Promise<void> {
  await q.run(sql`UPDATE care.visit SET photo_count = photo_count + 1 WHERE id = ${id}::uuid`);
}

export async function getVisit(q: Queryable, id: string, forUpdate = false): Promise<VisitRow | null> {
  return q.one<VisitRow>(sql`SELECT ${VISIT_COLUMNS} FROM care.visit WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function visitsOf(q: Queryable, ids: readonly string[], forUpdate = false): Promise<VisitRow[]> {
  if (ids.length === 0) return [];
  return q.rows<VisitRow>(sql`SELECT ${VISIT_COLUMNS} FROM care.visit WHERE id = ANY(${sql.param([...ids])}::uuid[]) ORDER BY id ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

/** Insert the visits a sync batch created (one statement). */
export async function insertVisits(q: Queryable, rows: readonly VisitWrite[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO care.visit (id, order_id, person_id, region_code, district_code, provider_id, caregiver_id, payer, kind, device_id, status, check_in, check_out,
      check_in_lat, check_in_lon, check_in_accuracy, check_out_lat, check_out_lon, check_out_accuracy, mock_location, check_in_location_status, check_out_location_status,
      home_proof, home_proof_valid, items, note, synced_at, updated_at)
    SELECT u.id, u.order_id, u.person_id, u.region_code, u.district_code, u.provider_id, u.caregiver_id, u.payer, u.kind, u.device_id, u.status, u.check_in, u.check_out,
      u.check_in_lat, u.check_in_lon, u.check_in_accuracy, u.check_out_lat, u.check_out_lon, u.check_out_accuracy, u.mock_location, u.check_in_location_status, u.check_out_location_status,
      u.home_proof, u.home_proof_valid,
      ARRAY(SELECT jsonb_array_elements_text(u.items)), u.note, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, order_id uuid, person_id uuid, region_code text, district_code text, provider_id uuid, caregiver_id uuid, payer text,
      kind text, device_id text, status text, check_in timestamptz, check_out timestamptz, check_in_lat float8, check_in_lon float8, check_in_accuracy float8, check_out_lat float8,
      check_out_lon float8, check_out_accuracy float8, mock_location boolean, check_in_location_status text, check_out_location_status text, home_proof text, home_proof_valid boolean,
      items jsonb, note text)`);
}

export interface VisitClose { id: string; status: 'done' | 'cancelled'; check_out: string | null; lat: number | null; lon: number | null; accuracy: number | null; location_status: string | null; mock: boolean; items: string[]; note: string | null }

/** Close several visits (check-outs and cancellations of a sync batch; one statement). */
export async function closeVisits(q: Queryable, rows: readonly VisitClose[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`UPDATE care.visit v SET status = u.status, check_out = u.check_out, check_out_lat = u.lat, check_out_lon = u.lon, check_out_accuracy = u.accuracy,
      check_out_location_status = u.location_status, mock_location = v.mock_location OR u.mock, items = ARRAY(SELECT jsonb_array_elements_text(u.items)), note = coalesce(u.note, v.note),
      flags_checked = false, updated_at = ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, status text, check_out timestamptz, lat float8, lon float8, accuracy float8, location_status text, mock boolean, items jsonb, note text)
    WHERE v.id = u.id AND v.status = 'in_progress'`);
}

export interface VisitFilter { providerId?: string; caregiverIds?: readonly string[]; personIds?: readonly string[]; deviceIds?: readonly string[]; from: string; to: string; status?: VisitRow['status'] }

/** Visits checked in within [from, to) (instants), in check-in order. */
export async function listVisits(q: Queryable, f: VisitFilter, limit = 1_000_000): Promise<VisitRow[]> {
  const parts: SQL[] = [sql`check_in >= ${f.from}::timestamptz`, sql`check_in < ${f.to}::timestamptz`];
  if (f.providerId) parts.push(sql`provider_id = ${f.providerId}::uuid`);
  if (f.caregiverIds) parts.push(sql`caregiver_id = ANY(${sql.param([...f.caregiverIds])}::uuid[])`);
  if (f.personIds) parts.push(sql`person_id = ANY(${sql.param([...f.personIds])}::uuid[])`);
  if (f.deviceIds) parts.push(sql`device_id = ANY(${sql.param([...f.deviceIds])}::text[])`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  return q.rows<VisitRow>(sql`SELECT ${VISIT_COLUMNS} FROM care.visit WHERE ${sql.join(parts, sql` AND `)} ORDER BY check_in, id LIMIT ${limit}`);
}

/** The visit of each order (orders with a visit), for the day views. */
export async function visitsOfOrders(q: Queryable, orderIds: readonly string[]): Promise<VisitRow[]> {
  if (orderIds.length === 0) return [];
  return q.rows<VisitRow>(sql`SELECT ${VISIT_COLUMNS} FROM care.visit WHERE order_id = ANY(${sql.param([...orderIds])}::uuid[]) AND status <> 'cancelled'`);
}

// ---------------------------------------------------------------------------------------------
// Sync operations (idempotency)

export interface SyncOpRow { id: string; caregiver_id: string; visit_id: string; kind: string; result: Record<string, unknown> }

export async function syncOpsOf(q: Queryable, ids: readonly string[]): Promise<SyncOpRow[]> {
  if (ids.length === 0) return [];
  return q.rows<SyncOpRow>(sql`SELECT id, caregiver_id, visit_id, kind, result FROM care.sync_op WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
}

/** Record a batch's applied (or finally refused) operations (one statement). */
export async function insertSyncOps(q: Queryable, rows: readonly (SyncOpRow & { region_code: string })[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO care.sync_op (id, caregiver_id, visit_id, region_code, kind, result, applied_at)
    SELECT u.id, u.caregiver_id, u.visit_id, u.region_code, u.kind, u.result, ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, caregiver_id uuid, visit_id uuid, region_code text, kind text, result jsonb)
    ON CONFLICT (id) DO NOTHING`);
}

export async function insertPhoto(q: Queryable, r: { id: string; visit_id: string; region_code: string; mime: string; bytes: Buffer; taken_at: string }): Promise<boolean> {
  const n = await q.run(sql`INSERT INTO care.visit_photo (id, visit_id, region_code, mime, bytes, taken_at)
    VALUES (${r.id}::uuid, ${r.visit_id}::uuid, ${r.region_code}, ${r.mime}, ${r.bytes}, ${r.taken_at}::timestamptz) ON CONFLICT (id) DO NOTHING`);
  return n === 1;
}

export async function photosOf(q: Queryable, visitId: string): Promise<{ id: string; mime: string; taken_at: string }[]> {
  return q.rows(sql`SELECT id, mime, ${ts('taken_at')} FROM care.visit_photo WHERE visit_id = ${visitId}::uuid ORDER BY taken_at, id`);
}

export async function getPhoto(q: Queryable, id: string): Promise<{ visit_id: string; mime: string; bytes: Uint8Array } | null> {
  return q.one(sql`SELECT visit_id, mime, bytes FROM care.visit_photo WHERE id = ${id}::uuid`);
}

// ---------------------------------------------------------------------------------------------
// Ratings and call-backs

export interface RatingRow { visit_id: string; stars: number; comment: string | null; rated_by: string; rated_at: string }

export async function upsertRating(q: Queryable, r: Omit<RatingRow, 'rated_at'> & { region_code: string }, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.visit_rating (visit_id, region_code, stars, comment, rated_by, rated_at)
    VALUES (${r.visit_id}::uuid, ${r.region_code}, ${r.stars}, ${r.comment}, ${r.rated_by}::uuid, ${at.toISOString()})
    ON CONFLICT (visit_id) DO UPDATE SET stars = EXCLUDED.stars, comment = EXCLUDED.comment, rated_by = EXCLUDED.rated_by, rated_at = EXCLUDED.rated_at`);
}

export async function ratingsOf(q: Queryable, visitIds: readonly string[]): Promise<RatingRow[]> {
  if (visitIds.length === 0) return [];
  return q.rows<RatingRow>(sql`SELECT visit_id, stars, comment, rated_by, ${ts('rated_at')} FROM care.visit_rating WHERE visit_id = ANY(${sql.param([...visitIds])}::uuid[])`);
}

export interface CallbackRow { id: string; visit_id: string; region_code: string; drawn_at: string; outcome: 'confirmed' | 'denied' | 'unreached' | null; answer: string | null; called_by: string | null; called_at: string | null }

/** Draw call-backs for visits (a visit is drawn at most once). */
export async function insertCallbacks(q: Queryable, rows: readonly { id: string; visit_id: string; region_code: string }[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  return q.run(sql`INSERT INTO care.callback (id, visit_id, region_code, drawn_at)
    SELECT u.id, u.visit_id, u.region_code, ${at.toISOString()} FROM unnest(${sql.param(rows.map((r) => r.id))}::uuid[], ${sql.param(rows.map((r) => r.visit_id))}::uuid[],
      ${sql.param(rows.map((r) => r.region_code))}::text[]) AS u(id, visit_id, region_code)
    ON CONFLICT (visit_id) DO NOTHING`);
}

export async function callbacksOf(q: Queryable, f: { visitIds?: readonly string[]; open?: boolean }): Promise<CallbackRow[]> {
  const parts: SQL[] = [sql`true`];
  if (f.visitIds) parts.push(sql`visit_id = ANY(${sql.param([...f.visitIds])}::uuid[])`);
  if (f.open) parts.push(sql`outcome IS NULL`);
  return q.rows<CallbackRow>(sql`SELECT id, visit_id, region_code, ${ts('drawn_at')}, outcome, answer, called_by, ${ts('called_at')} FROM care.callback WHERE ${sql.join(parts, sql` AND `)} ORDER BY drawn_at, id LIMIT 5000`);
}

export async function recordCallback(q: Queryable, id: string, r: { outcome: 'confirmed' | 'denied' | 'unreached'; answer: string | null; called_by: string }, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.callback SET outcome = ${r.outcome}, answer = ${r.answer}, called_by = ${r.called_by}::uuid, called_at = ${at.toISOString()} WHERE id = ${id}::uuid`);
}

// ---------------------------------------------------------------------------------------------
// Home tags and hospital stays

export async function homeTagOf(q: Queryable, personId: string): Promise<{ secret_enc: string; issued_at: string } | null> {
  return q.one(sql`SELECT secret_enc, ${ts('issued_at')} FROM care.home_tag WHERE person_id = ${personId}::uuid`);
}

export async function homeTagsOf(q: Queryable, personIds: readonly string[]): Promise<{ person_id: string; secret_enc: string }[]> {
  if (personIds.length === 0) return [];
  return q.rows(sql`SELECT person_id, secret_enc FROM care.home_tag WHERE person_id = ANY(${sql.param([...personIds])}::uuid[])`);
}

export async function upsertHomeTag(q: Queryable, personId: string, regionCode: string, secretEnc: string, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.home_tag (person_id, region_code, secret_enc, issued_at) VALUES (${personId}::uuid, ${regionCode}, ${secretEnc}, ${at.toISOString()})
    ON CONFLICT (person_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, issued_at = EXCLUDED.issued_at`);
}

export interface AbsenceRow { id: string; person_id: string; kind: 'hospital'; from_date: string; to_date: string | null; source: string }

export async function insertAbsence(q: Queryable, r: AbsenceRow & { region_code: string; recorded_by: string | null }, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.absence (id, person_id, region_code, kind, from_date, to_date, source, recorded_by, recorded_at)
    VALUES (${r.id}::uuid, ${r.person_id}::uuid, ${r.region_code}, ${r.kind}, ${r.from_date}::date, ${r.to_date}::date, ${r.source}, ${r.recorded_by}::uuid, ${at.toISOString()})`);
}

export async function absencesOf(q: Queryable, personIds: readonly string[]): Promise<AbsenceRow[]> {
  if (personIds.length === 0) return [];
  return q.rows<AbsenceRow>(sql`SELECT id, person_id, kind, ${day('from_date')}, ${day('to_date')}, source FROM care.absence WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) ORDER BY from_date`);
}
