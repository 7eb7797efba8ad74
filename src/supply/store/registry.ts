// SQL of the supply registry: providers, facilities, rooms, beds and their history, the change
// feed, and the reference population. Every function takes the transaction handle first; reads
// in a caller's transaction are scoped by row-level security (region_code under the scope).
import { sql, type Queryable, type SQL } from '../../platform/db.ts';
import type { BedKind, BedStatus, FacilityStatus, PriceItem, Vacancy } from '../model.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);
const arr = <T>(rows: readonly T[], f: (r: T) => unknown, type: string) => sql`${sql.param(rows.map(f))}::${sql.raw(type)}[]`;

// ---------------------------------------------------------------------------------------------
// Providers

export interface ProviderRow {
  id: string; region_code: string; name: string; uscc: string; legal_representative: string; kind: string; phone: string;
  licences: { kind: string; number: string; validUntil: string | null }[];
  filing_status: 'draft' | 'submitted' | 'approved' | 'rejected'; review_note: string | null; reviewed_at: string | null; created_at: string; updated_at: string;
}
const PROVIDER_COLUMNS = sql`id, region_code, name, uscc, legal_representative, kind, phone, licences, filing_status, review_note, ${ts('reviewed_at')}, ${ts('created_at')}, ${ts('updated_at')}`;

export async function insertProvider(q: Queryable, r: Omit<ProviderRow, 'review_note' | 'reviewed_at' | 'created_at' | 'updated_at'>, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO supply.provider (id, region_code, name, uscc, legal_representative, kind, phone, licences, filing_status, created_at, updated_at)
    VALUES (${r.id}::uuid, ${r.region_code}, ${r.name}, ${r.uscc}, ${r.legal_representative}, ${r.kind}, ${r.phone}, ${JSON.stringify(r.licences)}::jsonb, ${r.filing_status}, ${at.toISOString()}, ${at.toISOString()})`);
}

export async function updateProvider(q: Queryable, id: string, r: Pick<ProviderRow, 'name' | 'legal_representative' | 'kind' | 'phone' | 'licences'>, at: Date): Promise<void> {
  await q.run(sql`UPDATE supply.provider SET name = ${r.name}, legal_representative = ${r.legal_representative}, kind = ${r.kind}, phone = ${r.phone},
    licences = ${JSON.stringify(r.licences)}::jsonb, updated_at = ${at.toISOString()} WHERE id = ${id}::uuid`);
}

export async function setProviderStatus(q: Queryable, id: string, status: ProviderRow['filing_status'], by: string | null, note: string | null, at: Date): Promise<number> {
  const reviewed = status === 'approved' || status === 'rejected';
  return q.run(sql`UPDATE supply.provider SET filing_status = ${status}, review_note = ${note}, updated_at = ${at.toISOString()},
    reviewed_by = ${reviewed ? by : null}::uuid, reviewed_at = ${reviewed ? at.toISOString() : null}::timestamptz WHERE id = ${id}::uuid`);
}

export async function getProvider(q: Queryable, id: string): Promise<ProviderRow | null> {
  return q.one<ProviderRow>(sql`SELECT ${PROVIDER_COLUMNS} FROM supply.provider WHERE id = ${id}::uuid`);
}

/** Providers' names and regions by id (in the caller's scope). */
export async function providerNames(q: Queryable, ids: readonly string[]): Promise<{ id: string; name: string; region_code: string }[]> {
  if (ids.length === 0) return [];
  return q.rows(sql`SELECT id, name, region_code FROM supply.provider WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
}

export async function providerByUscc(q: Queryable, uscc: string): Promise<{ id: string } | null> {
  return q.one(sql`SELECT id FROM supply.provider WHERE uscc = ${uscc}`);
}

export async function listProviders(q: Queryable, f: { status?: ProviderRow['filing_status']; q?: string }, limit: number): Promise<ProviderRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.status) where.push(sql`filing_status = ${f.status}`);
  if (f.q) where.push(sql`(name LIKE ${`%${f.q}%`} OR uscc = ${f.q.toUpperCase()})`);
  return q.rows<ProviderRow>(sql`SELECT ${PROVIDER_COLUMNS} FROM supply.provider WHERE ${sql.join(where, sql` AND `)} ORDER BY updated_at DESC LIMIT ${limit}`);
}

export async function linkProviderUser(q: Queryable, userId: string, providerId: string): Promise<void> {
  await q.run(sql`INSERT INTO supply.provider_user (user_id, provider_id) VALUES (${userId}::uuid, ${providerId}::uuid) ON CONFLICT (user_id) DO UPDATE SET provider_id = EXCLUDED.provider_id`);
}

export async function providerOfUser(q: Queryable, userId: string): Promise<string | null> {
  return (await q.one<{ provider_id: string }>(sql`SELECT provider_id FROM supply.provider_user WHERE user_id = ${userId}::uuid`))?.provider_id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Facilities

export interface FacilityRow {
  id: string; provider_id: string; provider_name: string; region_code: string; district_code: string; name: string; type_code: string; ownership: string;
  basic_guarantee: boolean; address: string; lon: number; lat: number; floor_area_m2: number; opening_hours: string; description: string;
  functions: string[]; prices: PriceItem[]; photos: { url: string; alt: string }[]; phone: string; meal_capacity: number; opened_on: string | null;
  status: FacilityStatus; review_note: string | null; reviewed_at: string | null; rating: { stars: number; ratedOn: string; source: string } | null;
  beds_total: number; beds_vacant: number; vacancy: Partial<Vacancy>; vacancy_confirmed_at: string | null; rooms: number; created_at: string; updated_at: string;
}
const FACILITY_COLUMNS = sql`f.id, f.provider_id, p.name AS provider_name, f.region_code, f.district_code, f.name, f.type_code, f.ownership, f.basic_guarantee, f.address,
  f.lon, f.lat, f.floor_area_m2::float8 AS floor_area_m2, f.opening_hours, f.description, f.functions, f.prices, f.photos, f.phone, f.meal_capacity,
  to_char(f.opened_on, 'YYYY-MM-DD') AS opened_on, f.status, f.review_note, ${ts('f.reviewed_at', 'reviewed_at')}, f.rating, f.beds_total, f.beds_vacant, f.vacancy,
  ${ts('f.vacancy_confirmed_at', 'vacancy_confirmed_at')}, (SELECT count(*)::int FROM supply.room r WHERE r.facility_id = f.id) AS rooms,
  ${ts('f.created_at', 'created_at')}, ${ts('f.updated_at', 'updated_at')}`;

export type FacilityWrite = Omit<FacilityRow, 'provider_name' | 'review_note' | 'reviewed_at' | 'rating' | 'beds_total' | 'beds_vacant' | 'vacancy' | 'vacancy_confirmed_at' | 'rooms' | 'created_at' | 'updated_at'>;

export async function insertFacilities(q: Queryable, rows: readonly (FacilityWrite & { rating?: FacilityRow['rating'] })[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO supply.facility (id, provider_id, region_code, district_code, name, type_code, ownership, basic_guarantee, address, lon, lat, floor_area_m2,
      opening_hours, description, functions, prices, photos, phone, meal_capacity, opened_on, status, rating, created_at, updated_at)
    SELECT u.id, u.provider_id, u.region_code, u.district_code, u.name, u.type_code, u.ownership, u.basic_guarantee, u.address, u.lon, u.lat, u.area,
      u.opening_hours, u.description, u.functions::text[], u.prices::jsonb, u.photos::jsonb, u.phone, u.meal_capacity, u.opened_on, u.status, u.rating::jsonb,
      ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    FROM unnest(${arr(rows, (r) => r.id, 'uuid')}, ${arr(rows, (r) => r.provider_id, 'uuid')}, ${arr(rows, (r) => r.region_code, 'text')}, ${arr(rows, (r) => r.district_code, 'text')},
      ${arr(rows, (r) => r.name, 'text')}, ${arr(rows, (r) => r.type_code, 'text')}, ${arr(rows, (r) => r.ownership, 'text')}, ${arr(rows, (r) => r.basic_guarantee, 'bool')},
      ${arr(rows, (r) => r.address, 'text')}, ${arr(rows, (r) => r.lon, 'float8')}, ${arr(rows, (r) => r.lat, 'float8')}, ${arr(rows, (r) => r.floor_area_m2, 'numeric')},
      ${arr(rows, (r) => r.opening_hours, 'text')}, ${arr(rows, (r) => r.description, 'text')}, ${arr(rows, (r) => `{${r.functions.join(',')}}`, 'text')},
      ${arr(rows, (r) => JSON.stringify(r.prices), 'text')}, ${arr(rows, (r) => JSON.stringify(r.photos), 'text')}, ${arr(rows, (r) => r.phone, 'text')},
      ${arr(rows, (r) => r.meal_capacity, 'int4')}, ${arr(rows, (r) => r.opened_on, 'date')}, ${arr(rows, (r) => r.status, 'text')}, ${arr(rows, (r) => (r.rating ? JSON.stringify(r.rating) : null), 'text')})
      AS u(id, provider_id, region_code, district_code, name, type_code, ownership, basic_guarantee, address, lon, lat, area, opening_hours, description, functions, prices, photos, phone, meal_capacity, opened_on, status, rating)`);
}

export async function updateFacility(q: Queryable, r: Omit<FacilityWrite, 'provider_id' | 'status'>, at: Date): Promise<number> {
  return q.run(sql`UPDATE supply.facility SET region_code = ${r.region_code}, district_code = ${r.district_code}, name = ${r.name}, type_code = ${r.type_code},
    ownership = ${r.ownership}, basic_guarantee = ${r.basic_guarantee}, address = ${r.address}, lon = ${r.lon}, lat = ${r.lat}, floor_area_m2 = ${r.floor_area_m2},
    opening_hours = ${r.opening_hours}, description = ${r.description}, functions = ${sql.param(r.functions)}::text[], prices = ${JSON.stringify(r.prices)}::jsonb,
    photos = ${JSON.stringify(r.photos)}::jsonb, phone = ${r.phone}, meal_capacity = ${r.meal_capacity}, opened_on = ${r.opened_on}::date, updated_at = ${at.toISOString()}
    WHERE id = ${r.id}::uuid`);
}

export async function setFacilityStatus(q: Queryable, id: string, status: FacilityStatus, by: string | null, note: string | null, at: Date): Promise<number> {
  const reviewed = status === 'approved' || status === 'rejected';
  return q.run(sql`UPDATE supply.facility SET status = ${status}, review_note = ${note}, updated_at = ${at.toISOString()},
    reviewed_by = CASE WHEN ${reviewed} THEN ${by}::uuid ELSE reviewed_by END, reviewed_at = CASE WHEN ${reviewed} THEN ${at.toISOString()}::timestamptz ELSE reviewed_at END
    WHERE id = ${id}::uuid`);
}

export async function getFacility(q: Queryable, id: string): Promise<FacilityRow | null> {
  return (await getFacilities(q, [id]))[0] ?? null;
}

export async function getFacilities(q: Queryable, ids: readonly string[]): Promise<FacilityRow[]> {
  if (ids.length === 0) return [];
  return q.rows<FacilityRow>(sql`SELECT ${FACILITY_COLUMNS} FROM supply.facility f JOIN supply.provider p ON p.id = f.provider_id WHERE f.id = ANY(${sql.param([...ids])}::uuid[])`);
}

export interface FacilityFilter { providerId?: string; status?: FacilityStatus; typeCode?: string; q?: string; region?: string }

export async function listFacilities(q: Queryable, f: FacilityFilter, limit: number, offset: number): Promise<{ total: number; rows: FacilityRow[] }> {
  const where: SQL[] = [sql`true`];
  if (f.providerId) where.push(sql`f.provider_id = ${f.providerId}::uuid`);
  if (f.status) where.push(sql`f.status = ${f.status}`);
  if (f.typeCode) where.push(sql`f.type_code = ${f.typeCode}`);
  if (f.region) where.push(sql`f.region_code LIKE ${`${f.region}%`}`);
  if (f.q) where.push(sql`(f.name LIKE ${`%${f.q}%`} OR f.address LIKE ${`%${f.q}%`} OR p.name LIKE ${`%${f.q}%`})`);
  const cond = sql.join(where, sql` AND `);
  const total = await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM supply.facility f JOIN supply.provider p ON p.id = f.provider_id WHERE ${cond}`);
  const rows = await q.rows<FacilityRow>(sql`SELECT ${FACILITY_COLUMNS} FROM supply.facility f JOIN supply.provider p ON p.id = f.provider_id WHERE ${cond}
    ORDER BY f.updated_at DESC, f.id LIMIT ${limit} OFFSET ${offset}`);
  return { total: total?.n ?? 0, rows };
}

/** Every approved facility (the public directory's snapshot), read as the system. */
export async function publicFacilities(q: Queryable): Promise<FacilityRow[]> {
  return q.rows<FacilityRow>(sql`SELECT ${FACILITY_COLUMNS} FROM supply.facility f JOIN supply.provider p ON p.id = f.provider_id WHERE f.status = 'approved'`);
}

/** A cheap fingerprint of the public registry: it changes whenever a facility or its vacancy does. */
export async function registryStamp(q: Queryable): Promise<string> {
  const r = await q.one<{ s: string }>(sql`SELECT coalesce(to_char(max(updated_at), 'YYYYMMDDHH24MISSUS'), '0') || ':' || count(*) AS s FROM supply.facility`);
  return r?.s ?? '0';
}

/** Vacancy summaries of facilities from their beds: all (the demo seed) or the given ones (a bed change). */
export async function refreshVacancies(q: Queryable, confirmedAt: Date, at: Date, facilityIds?: readonly string[]): Promise<void> {
  await q.run(sql`UPDATE supply.facility f SET beds_total = s.total, beds_vacant = s.vacant, vacancy = s.v, vacancy_confirmed_at = ${confirmedAt.toISOString()}::timestamptz, updated_at = ${at.toISOString()}
    FROM (SELECT facility_id, count(*) FILTER (WHERE status <> 'out_of_service')::int AS total, count(*) FILTER (WHERE status = 'vacant')::int AS vacant,
      jsonb_build_object(
        'total', count(*) FILTER (WHERE status <> 'out_of_service'), 'vacant', count(*) FILTER (WHERE status = 'vacant'),
        'occupied', count(*) FILTER (WHERE status = 'occupied'), 'reserved', count(*) FILTER (WHERE status = 'reserved'),
        'outOfService', count(*) FILTER (WHERE status = 'out_of_service'),
        'basicVacant', count(*) FILTER (WHERE status = 'vacant' AND basic_guarantee), 'basicTotal', count(*) FILTER (WHERE status <> 'out_of_service' AND basic_guarantee),
        'byKind', jsonb_build_object(
          'general', jsonb_build_object('total', count(*) FILTER (WHERE kind = 'general' AND status <> 'out_of_service'), 'vacant', count(*) FILTER (WHERE kind = 'general' AND status = 'vacant')),
          'nursing', jsonb_build_object('total', count(*) FILTER (WHERE kind = 'nursing' AND status <> 'out_of_service'), 'vacant', count(*) FILTER (WHERE kind = 'nursing' AND status = 'vacant')),
          'cognitive', jsonb_build_object('total', count(*) FILTER (WHERE kind = 'cognitive' AND status <> 'out_of_service'), 'vacant', count(*) FILTER (WHERE kind = 'cognitive' AND status = 'vacant')))) AS v
      FROM supply.bed ${facilityIds ? sql`WHERE facility_id = ANY(${sql.param([...facilityIds])}::uuid[])` : sql``} GROUP BY facility_id) s
    WHERE f.id = s.facility_id`);
  // A facility without beds yet still has its vacancy confirmed.
  if (facilityIds) await q.run(sql`UPDATE supply.facility SET vacancy_confirmed_at = ${confirmedAt.toISOString()}, updated_at = ${at.toISOString()} WHERE id = ANY(${sql.param([...facilityIds])}::uuid[])`);
}

/** The stored vacancy summaries of facilities. */
export async function vacanciesOf(q: Queryable, facilityIds: readonly string[]): Promise<Map<string, Vacancy>> {
  const rows = await q.rows<{ id: string; vacancy: Vacancy }>(sql`SELECT id, vacancy FROM supply.facility WHERE id = ANY(${sql.param([...facilityIds])}::uuid[])`);
  return new Map(rows.filter((r) => typeof r.vacancy?.total === 'number').map((r) => [r.id, r.vacancy]));
}

// ---------------------------------------------------------------------------------------------
// Rooms and beds

export interface RoomRow { id: string; facility_id: string; name: string; floor: number | null; beds: number }
export interface BedRow { id: string; facility_id: string; room_id: string | null; room_name: string | null; label: string; kind: BedKind; basic_guarantee: boolean; status: BedStatus; status_since: string }

export async function insertRooms(q: Queryable, rows: readonly { id: string; facility_id: string; region_code: string; name: string; floor: number | null }[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO supply.room (id, facility_id, region_code, name, floor, created_at)
    SELECT u.*, ${at.toISOString()}::timestamptz FROM unnest(${arr(rows, (r) => r.id, 'uuid')}, ${arr(rows, (r) => r.facility_id, 'uuid')}, ${arr(rows, (r) => r.region_code, 'text')},
      ${arr(rows, (r) => r.name, 'text')}, ${arr(rows, (r) => r.floor, 'int4')}) AS u(id, facility_id, region_code, name, floor)`);
}

export async function insertBeds(q: Queryable, rows: readonly { id: string; facility_id: string; room_id: string | null; region_code: string; label: string; kind: BedKind; basic_guarantee: boolean; status: BedStatus }[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO supply.bed (id, facility_id, room_id, region_code, label, kind, basic_guarantee, status, status_since, created_at)
    SELECT u.*, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz FROM unnest(${arr(rows, (r) => r.id, 'uuid')}, ${arr(rows, (r) => r.facility_id, 'uuid')},
      ${arr(rows, (r) => r.room_id, 'uuid')}, ${arr(rows, (r) => r.region_code, 'text')}, ${arr(rows, (r) => r.label, 'text')}, ${arr(rows, (r) => r.kind, 'text')},
      ${arr(rows, (r) => r.basic_guarantee, 'bool')}, ${arr(rows, (r) => r.status, 'text')}) AS u(id, facility_id, room_id, region_code, label, kind, basic_guarantee, status)`);
}

export async function roomsOf(q: Queryable, facilityId: string): Promise<RoomRow[]> {
  return q.rows<RoomRow>(sql`SELECT r.id, r.facility_id, r.name, r.floor, (SELECT count(*)::int FROM supply.bed b WHERE b.room_id = r.id) AS beds
    FROM supply.room r WHERE r.facility_id = ${facilityId}::uuid ORDER BY r.floor NULLS LAST, r.name`);
}

export async function bedsOf(q: Queryable, facilityId: string): Promise<BedRow[]> {
  return q.rows<BedRow>(sql`SELECT b.id, b.facility_id, b.room_id, r.name AS room_name, b.label, b.kind, b.basic_guarantee, b.status, ${ts('b.status_since', 'status_since')}
    FROM supply.bed b LEFT JOIN supply.room r ON r.id = b.room_id WHERE b.facility_id = ${facilityId}::uuid ORDER BY b.label`);
}

/** Set bed statuses of one facility; returns the beds whose status changed, with the old status. Locks the beds. */
export async function setBedStatuses(q: Queryable, facilityId: string, changes: readonly { bedId: string; status: BedStatus }[], at: Date): Promise<{ id: string; from: BedStatus; to: BedStatus }[]> {
  return setBedStatusesAcross(q, changes.map((c) => ({ ...c, facilityId })), at);
}

/** Set bed statuses across facilities (each bed must belong to the facility named with it); the beds that changed. */
export async function setBedStatusesAcross(q: Queryable, changes: readonly { facilityId: string; bedId: string; status: BedStatus }[], at: Date): Promise<{ id: string; facility_id: string; from: BedStatus; to: BedStatus }[]> {
  if (changes.length === 0) return [];
  return q.rows(sql`WITH u AS (SELECT * FROM unnest(${arr(changes, (c) => c.bedId, 'uuid')}, ${arr(changes, (c) => c.facilityId, 'uuid')}, ${arr(changes, (c) => c.status, 'text')}) AS u(id, facility_id, status)),
      old AS (SELECT b.id, b.status FROM supply.bed b JOIN u ON u.id = b.id AND u.facility_id = b.facility_id FOR UPDATE)
    UPDATE supply.bed b SET status = u.status, status_since = ${at.toISOString()}
    FROM u, old WHERE b.id = u.id AND old.id = b.id AND b.status <> u.status
    RETURNING b.id, b.facility_id, old.status AS "from", b.status AS "to"`);
}

export async function insertBedEvents(q: Queryable, rows: readonly { id: string; bed_id: string; facility_id: string; region_code: string; from_status: string | null; to_status: string; note: string | null; actor_id: string | null }[], at: Date): Promise<void> {
  const iso = at.toISOString();
  await insertBedHistory(q, rows.map((r) => ({ ...r, at: iso })));
}

/** Bed events, each with its own time (the demo's history; insertBedEvents for one time). */
export async function insertBedHistory(q: Queryable, rows: readonly { id: string; bed_id: string; facility_id: string; region_code: string; from_status: string | null; to_status: string; note: string | null; actor_id: string | null; at: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO supply.bed_event (id, bed_id, facility_id, region_code, from_status, to_status, note, actor_id, at)
    SELECT u.* FROM unnest(${arr(rows, (r) => r.id, 'uuid')}, ${arr(rows, (r) => r.bed_id, 'uuid')}, ${arr(rows, (r) => r.facility_id, 'uuid')}, ${arr(rows, (r) => r.region_code, 'text')},
      ${arr(rows, (r) => r.from_status, 'text')}, ${arr(rows, (r) => r.to_status, 'text')}, ${arr(rows, (r) => r.note, 'text')}, ${arr(rows, (r) => r.actor_id, 'uuid')},
      ${arr(rows, (r) => r.at, 'timestamptz')}) AS u(id, bed_id, facility_id, region_code, from_status, to_status, note, actor_id, at)`);
}

/** A bed's status has held since its latest event, when that is earlier than the row says (the demo's history). */
export async function statusSinceFromHistory(q: Queryable): Promise<void> {
  await q.run(sql`UPDATE supply.bed b SET status_since = e.at FROM (SELECT bed_id, max(at) AS at FROM supply.bed_event GROUP BY bed_id) e
    WHERE e.bed_id = b.id AND e.at < b.status_since`);
}

export interface BedEventRow { id: string; bed_id: string; label: string; from_status: BedStatus | null; to_status: BedStatus; note: string | null; actor_id: string | null; at: string }

export async function bedEvents(q: Queryable, facilityId: string, bedId: string | null, limit: number): Promise<BedEventRow[]> {
  return q.rows<BedEventRow>(sql`SELECT e.id, e.bed_id, b.label, e.from_status, e.to_status, e.note, e.actor_id, ${ts('e.at', 'at')}
    FROM supply.bed_event e JOIN supply.bed b ON b.id = e.bed_id
    WHERE e.facility_id = ${facilityId}::uuid ${bedId ? sql`AND e.bed_id = ${bedId}::uuid` : sql``} ORDER BY e.at DESC, e.id DESC LIMIT ${limit}`);
}

// ---------------------------------------------------------------------------------------------
// The change feed

export interface ChangeRow { id: string; provider_id: string | null; facility_id: string | null; facility_name: string | null; region_code: string; kind: string; summary: string; diff: Record<string, unknown>; actor_id: string | null; actor_role: string | null; at: string }

export async function insertChange(q: Queryable, r: Omit<ChangeRow, 'at' | 'facility_name'>, at: Date): Promise<void> {
  await insertChanges(q, [r], at);
}

export async function insertChanges(q: Queryable, rows: readonly Omit<ChangeRow, 'at' | 'facility_name'>[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO supply.change (id, provider_id, facility_id, region_code, kind, summary, diff, actor_id, actor_role, at)
    SELECT u.id, u.provider_id, u.facility_id, u.region_code, u.kind, u.summary, u.diff, u.actor_id, u.actor_role, ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, provider_id uuid, facility_id uuid, region_code text, kind text, summary text, diff jsonb, actor_id uuid, actor_role text)`);
}

export async function listChanges(q: Queryable, f: { facilityId?: string; providerId?: string; kind?: string }, limit: number): Promise<ChangeRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.facilityId) where.push(sql`c.facility_id = ${f.facilityId}::uuid`);
  if (f.providerId) where.push(sql`c.provider_id = ${f.providerId}::uuid`);
  if (f.kind) where.push(sql`c.kind LIKE ${`${f.kind}%`}`);
  return q.rows<ChangeRow>(sql`SELECT c.id, c.provider_id, c.facility_id, f.name AS facility_name, c.region_code, c.kind, c.summary, c.diff, c.actor_id, c.actor_role, ${ts('c.at', 'at')}
    FROM supply.change c LEFT JOIN supply.facility f ON f.id = c.facility_id WHERE ${sql.join(where, sql` AND `)} ORDER BY c.at DESC, c.id DESC LIMIT ${limit}`);
}

// ---------------------------------------------------------------------------------------------
// Planning: supply per street, and the reference population

export interface StreetSupplyRow { region_code: string; beds: number; basic_beds: number; nursing_beds: number; cognitive_beds: number; occupied_beds: number; community_area: number; meal_capacity: number; facilities: number }

/** Approved facilities' supply per region code (street, or district where the street is unknown). */
export async function supplyByRegion(q: Queryable, residentialTypes: readonly string[], communityTypes: readonly string[]): Promise<StreetSupplyRow[]> {
  return q.rows<StreetSupplyRow>(sql`SELECT f.region_code,
      coalesce(sum(CASE WHEN f.type_code = ANY(${sql.param(residentialTypes)}::text[]) THEN f.beds_total ELSE 0 END), 0)::int AS beds,
      coalesce(sum(CASE WHEN f.type_code = ANY(${sql.param(residentialTypes)}::text[]) THEN (f.vacancy->>'basicTotal')::int ELSE 0 END), 0)::int AS basic_beds,
      coalesce(sum(CASE WHEN f.type_code = ANY(${sql.param(residentialTypes)}::text[]) THEN (f.vacancy->'byKind'->'nursing'->>'total')::int + (f.vacancy->'byKind'->'cognitive'->>'total')::int ELSE 0 END), 0)::int AS nursing_beds,
      coalesce(sum(CASE WHEN f.type_code = ANY(${sql.param(residentialTypes)}::text[]) THEN (f.vacancy->'byKind'->'cognitive'->>'total')::int ELSE 0 END), 0)::int AS cognitive_beds,
      coalesce(sum(CASE WHEN f.type_code = ANY(${sql.param(residentialTypes)}::text[]) THEN (f.vacancy->>'occupied')::int ELSE 0 END), 0)::int AS occupied_beds,
      coalesce(sum(CASE WHEN f.type_code = ANY(${sql.param(communityTypes)}::text[]) THEN f.floor_area_m2 ELSE 0 END), 0)::float8 AS community_area,
      coalesce(sum(f.meal_capacity), 0)::int AS meal_capacity,
      count(*)::int AS facilities
    FROM supply.facility f WHERE f.status = 'approved' GROUP BY f.region_code`);
}

export interface PopulationRow { region_code: string; year: number; registered_60: number; registered_65: number; resident: number; source: string }

export async function upsertPopulation(q: Queryable, rows: readonly PopulationRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO supply.population_reference (region_code, year, registered_60, registered_65, resident, source)
    SELECT * FROM unnest(${arr(rows, (r) => r.region_code, 'text')}, ${arr(rows, (r) => r.year, 'int4')}, ${arr(rows, (r) => r.registered_60, 'int4')},
      ${arr(rows, (r) => r.registered_65, 'int4')}, ${arr(rows, (r) => r.resident, 'int4')}, ${arr(rows, (r) => r.source, 'text')})
    ON CONFLICT (region_code, year) DO UPDATE SET registered_60 = EXCLUDED.registered_60, registered_65 = EXCLUDED.registered_65, resident = EXCLUDED.resident, source = EXCLUDED.source`);
}

/** The latest reference population per region up to a year. */
export async function populationUpTo(q: Queryable, year: number): Promise<PopulationRow[]> {
  return q.rows<PopulationRow>(sql`SELECT DISTINCT ON (region_code) region_code, year, registered_60, registered_65, resident, source
    FROM supply.population_reference WHERE year <= ${year} ORDER BY region_code, year DESC`);
}

export async function countFacilities(q: Queryable): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM supply.facility`))?.n ?? 0;
}

/** Set when each facility's vacancy was last confirmed (the demo's varied confirmation times). */
export async function setConfirmedTimes(q: Queryable, times: readonly [string, Date][]): Promise<void> {
  if (times.length === 0) return;
  await q.run(sql`UPDATE supply.facility f SET vacancy_confirmed_at = u.at FROM unnest(${arr(times, (t) => t[0], 'uuid')}, ${arr(times, (t) => t[1].toISOString(), 'timestamptz')}) AS u(id, at)
    WHERE f.id = u.id AND f.beds_total + (f.vacancy->>'outOfService')::int > 0`);
}

// ---------------------------------------------------------------------------------------------
// For the waiting list (issue 7): the approved facilities with basic-guarantee beds, their vacant
// ones, and how many fell vacant in a period.

export interface BasicFacilityRow { id: string; name: string; type_code: string; district_code: string; region_code: string; lon: number; lat: number; basic_beds: number; vacant_beds: string[]; bed_labels: string[]; vacant_since: string | null }

export async function basicBedFacilities(q: Queryable): Promise<BasicFacilityRow[]> {
  return q.rows<BasicFacilityRow>(sql`SELECT f.id, f.name, f.type_code, f.district_code, f.region_code, f.lon, f.lat, count(b.id)::int AS basic_beds,
      coalesce(array_agg(b.id::text ORDER BY b.label, b.id) FILTER (WHERE b.status = 'vacant'), '{}') AS vacant_beds,
      coalesce(array_agg(b.label ORDER BY b.label, b.id) FILTER (WHERE b.status = 'vacant'), '{}') AS bed_labels,
      ${ts("min(b.status_since) FILTER (WHERE b.status = 'vacant')", 'vacant_since')}
    FROM supply.facility f JOIN supply.bed b ON b.facility_id = f.id AND b.basic_guarantee
    WHERE f.status = 'approved' GROUP BY f.id ORDER BY f.id`);
}

/** Basic-guarantee beds that fell vacant (from occupied) per facility since a time. */
export async function basicVacanciesSince(q: Queryable, since: Date): Promise<Map<string, number>> {
  const rows = await q.rows<{ facility_id: string; n: number }>(sql`SELECT e.facility_id, count(*)::int AS n FROM supply.bed_event e JOIN supply.bed b ON b.id = e.bed_id AND b.basic_guarantee
    WHERE e.to_status = 'vacant' AND e.from_status = 'occupied' AND e.at >= ${since.toISOString()} GROUP BY e.facility_id`);
  return new Map(rows.map((r) => [r.facility_id, r.n]));
}

/** Every basic-guarantee bed that fell vacant (from occupied) since a time: the stream a what-if replays. */
export async function basicVacancyEvents(q: Queryable, since: Date): Promise<{ facility_id: string; at: string }[]> {
  return q.rows(sql`SELECT e.facility_id, ${ts('e.at', 'at')} FROM supply.bed_event e JOIN supply.bed b ON b.id = e.bed_id AND b.basic_guarantee
    WHERE e.to_status = 'vacant' AND e.from_status = 'occupied' AND e.at >= ${since.toISOString()} ORDER BY e.at`);
}

/**
 * Turnover of basic-guarantee beds since a time, per facility: how many fell vacant (from
 * occupied), how many of those were taken again and the days until the next admission (median
 * and 90th percentile), and how many are still vacant.
 */
export async function basicTurnoverSince(q: Queryable, since: Date): Promise<{ facility_id: string; vacancies: number; refilled: number; median_days: number | null; p90_days: number | null; still_vacant: number }[]> {
  return q.rows(sql`WITH v AS (
      SELECT e.facility_id, e.at,
        (SELECT min(n.at) FROM supply.bed_event n WHERE n.bed_id = e.bed_id AND n.at > e.at AND n.to_status = 'occupied') AS next_at
      FROM supply.bed_event e JOIN supply.bed b ON b.id = e.bed_id AND b.basic_guarantee
      WHERE e.to_status = 'vacant' AND e.from_status = 'occupied' AND e.at >= ${since.toISOString()})
    SELECT facility_id, count(*)::int AS vacancies, count(next_at)::int AS refilled,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM next_at - at) / 86400) FILTER (WHERE next_at IS NOT NULL))::float8 AS median_days,
      (percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM next_at - at) / 86400) FILTER (WHERE next_at IS NOT NULL))::float8 AS p90_days,
      (count(*) - count(next_at))::int AS still_vacant
    FROM v GROUP BY facility_id ORDER BY facility_id`);
}

export async function bedLabel(q: Queryable, bedId: string): Promise<{ label: string; room_name: string | null } | null> {
  return q.one(sql`SELECT b.label, r.name AS room_name FROM supply.bed b LEFT JOIN supply.room r ON r.id = b.room_id WHERE b.id = ${bedId}::uuid`);
}
