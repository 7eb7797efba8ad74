// SQL of the caregiver register (migrations/0016_care.sql): caregivers and their employment
// history. Reads in a caller's transaction are scoped by row-level security (region_code under
// the caller's scope); the look-up by ID hash for a hire runs jurisdiction-wide (one record per
// person, citywide).
import { sql, type Queryable, type SQL } from '../../platform/db.ts';
import type { CaregiverKind, CaregiverStatus } from '../model.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);
const day = (c: string, as = c) => sql.raw(`to_char(${c}, 'YYYY-MM-DD') AS ${as}`);

export interface CaregiverRow {
  id: string; region_code: string; district_code: string; provider_id: string | null; user_id: string | null; name: string; gender: 'M' | 'F'; birth_date: string;
  id_number_enc: string; id_hash: string; phone_enc: string | null; kind: CaregiverKind; skill_level: number | null; qualifications: string[]; training_hours: number;
  health_cert_valid_to: string | null; background_check: 'pending' | 'passed' | 'failed'; background_checked_on: string | null; status: CaregiverStatus; status_reason: string | null;
  shift_start: string; shift_end: string; home_lat: number | null; home_lon: number | null; created_at: string; updated_at: string;
}
const COLUMNS = sql`id, region_code, district_code, provider_id, user_id, name, gender, ${day('birth_date')}, id_number_enc, id_hash, phone_enc, kind, skill_level, qualifications,
  training_hours, ${day('health_cert_valid_to')}, background_check, ${day('background_checked_on')}, status, status_reason, shift_start, shift_end, home_lat, home_lon, ${ts('created_at')}, ${ts('updated_at')}`;

export type CaregiverWrite = Omit<CaregiverRow, 'created_at' | 'updated_at'>;

export async function insertCaregiver(q: Queryable, r: CaregiverWrite, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.caregiver (id, region_code, district_code, provider_id, user_id, name, gender, birth_date, id_number_enc, id_hash, phone_enc, kind, skill_level,
      qualifications, training_hours, health_cert_valid_to, background_check, background_checked_on, status, status_reason, shift_start, shift_end, home_lat, home_lon, created_at, updated_at)
    VALUES (${r.id}::uuid, ${r.region_code}, ${r.district_code}, ${r.provider_id}::uuid, ${r.user_id}::uuid, ${r.name}, ${r.gender}, ${r.birth_date}::date, ${r.id_number_enc}, ${r.id_hash},
      ${r.phone_enc}, ${r.kind}, ${r.skill_level}, ${sql.param(r.qualifications)}::text[], ${r.training_hours}, ${r.health_cert_valid_to}::date, ${r.background_check},
      ${r.background_checked_on}::date, ${r.status}, ${r.status_reason}, ${r.shift_start}, ${r.shift_end}, ${r.home_lat}, ${r.home_lon}, ${at.toISOString()}, ${at.toISOString()})`);
}

export async function updateCaregiver(q: Queryable, r: CaregiverWrite, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.caregiver SET region_code = ${r.region_code}, district_code = ${r.district_code}, provider_id = ${r.provider_id}::uuid, user_id = ${r.user_id}::uuid,
      name = ${r.name}, phone_enc = ${r.phone_enc}, kind = ${r.kind}, skill_level = ${r.skill_level}, qualifications = ${sql.param(r.qualifications)}::text[], training_hours = ${r.training_hours},
      health_cert_valid_to = ${r.health_cert_valid_to}::date, background_check = ${r.background_check}, background_checked_on = ${r.background_checked_on}::date, status = ${r.status},
      status_reason = ${r.status_reason}, shift_start = ${r.shift_start}, shift_end = ${r.shift_end}, home_lat = ${r.home_lat}, home_lon = ${r.home_lon}, updated_at = ${at.toISOString()}
    WHERE id = ${r.id}::uuid`);
}

/** Link an account (one caregiver per account: another record holding it lets go). */
export async function setCaregiverUser(q: Queryable, id: string, userId: string, at: Date): Promise<void> {
  await q.run(sql`UPDATE care.caregiver SET user_id = NULL, updated_at = ${at.toISOString()} WHERE user_id = ${userId}::uuid AND id <> ${id}::uuid`);
  await q.run(sql`UPDATE care.caregiver SET user_id = ${userId}::uuid, updated_at = ${at.toISOString()} WHERE id = ${id}::uuid`);
}

export async function getCaregiver(q: Queryable, id: string, forUpdate = false): Promise<CaregiverRow | null> {
  return q.one<CaregiverRow>(sql`SELECT ${COLUMNS} FROM care.caregiver WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function caregiverByIdHash(q: Queryable, idHash: string): Promise<CaregiverRow | null> {
  return q.one<CaregiverRow>(sql`SELECT ${COLUMNS} FROM care.caregiver WHERE id_hash = ${idHash} FOR UPDATE`);
}

/** The caregiver of an account; `forUpdate` serialises one caregiver's concurrent syncs. */
export async function caregiverOfUser(q: Queryable, userId: string, forUpdate = false): Promise<CaregiverRow | null> {
  return q.one<CaregiverRow>(sql`SELECT ${COLUMNS} FROM care.caregiver WHERE user_id = ${userId}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function caregiversOf(q: Queryable, ids: readonly string[]): Promise<CaregiverRow[]> {
  if (ids.length === 0) return [];
  return q.rows<CaregiverRow>(sql`SELECT ${COLUMNS} FROM care.caregiver WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
}

export interface CaregiverFilter {
  providerId?: string;
  q?: string;
  idHash?: string;
  status?: CaregiverStatus;
  kind?: CaregiverKind;
  qualification?: string;
  minLevel?: number;
  district?: string;
}

function where(f: CaregiverFilter): SQL {
  const parts: SQL[] = [sql`true`];
  if (f.providerId) parts.push(sql`provider_id = ${f.providerId}::uuid`);
  if (f.q) parts.push(sql`name LIKE ${f.q.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`);
  if (f.idHash) parts.push(sql`id_hash = ${f.idHash}`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  if (f.kind) parts.push(sql`kind = ${f.kind}`);
  if (f.qualification) parts.push(sql`${f.qualification} = ANY(qualifications)`);
  if (f.minLevel) parts.push(sql`skill_level <= ${f.minLevel}`); // level 1 is the highest
  if (f.district) parts.push(sql`district_code = ${f.district}`);
  return sql.join(parts, sql` AND `);
}

export async function listCaregivers(q: Queryable, f: CaregiverFilter, limit: number, offset: number): Promise<{ total: number; rows: CaregiverRow[] }> {
  const w = where(f);
  const [total, rows] = [await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.caregiver WHERE ${w}`), await q.rows<CaregiverRow>(sql`SELECT ${COLUMNS} FROM care.caregiver WHERE ${w} ORDER BY name, id LIMIT ${limit} OFFSET ${offset}`)];
  return { total: total?.n ?? 0, rows };
}

/** Counts for the register's statistics (seed 000: 可统计): by district, kind, level and status. */
export async function caregiverCounts(q: Queryable): Promise<{ district_code: string; kind: string; skill_level: number | null; status: string; n: number }[]> {
  return q.rows(sql`SELECT district_code, kind, skill_level, status, count(*)::int AS n FROM care.caregiver GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
}

export interface EmploymentRow { id: string; caregiver_id: string; provider_id: string; region_code: string; from_date: string; to_date: string | null; end_reason: string | null }

export async function insertEmployment(q: Queryable, r: EmploymentRow): Promise<void> {
  await q.run(sql`INSERT INTO care.employment (id, caregiver_id, provider_id, region_code, from_date, to_date, end_reason)
    VALUES (${r.id}::uuid, ${r.caregiver_id}::uuid, ${r.provider_id}::uuid, ${r.region_code}, ${r.from_date}::date, ${r.to_date}::date, ${r.end_reason})`);
}

/** End the caregiver's open employment (a move or leaving). */
export async function endEmployment(q: Queryable, caregiverId: string, on: string, reason: string): Promise<number> {
  return q.run(sql`UPDATE care.employment SET to_date = ${on}::date, end_reason = ${reason} WHERE caregiver_id = ${caregiverId}::uuid AND to_date IS NULL`);
}

export async function employmentOf(q: Queryable, caregiverId: string): Promise<EmploymentRow[]> {
  return q.rows<EmploymentRow>(sql`SELECT id, caregiver_id, provider_id, region_code, ${day('from_date')}, ${day('to_date')}, end_reason
    FROM care.employment WHERE caregiver_id = ${caregiverId}::uuid ORDER BY from_date, id`);
}
