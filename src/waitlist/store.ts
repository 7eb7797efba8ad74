// SQL of the waiting list: applications and their history, allocation runs and offers. Every function takes the transaction handle first; reads in a caller's
// transaction are scoped by row-level security (region_code under the caller's scope; an offer
// also by its facility's region).
import { sql, type Queryable } from '../platform/db.ts';
import type { ApplicationStatus, OfferStatus } from './model.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);

export interface ApplicationRow {
  id: string; person_id: string; region_code: string; district_code: string; status: ApplicationStatus; mode: 'choices' | 'radius'; choices: string[];
  radius_m: number | null; origin_lon: number | null; origin_lat: number | null; origin_label: string | null; tier: number | null; tier_label: string | null;
  priority_at: string; declines: number; passed_over: string[]; paused_until: string | null; note: string | null; created_by: string | null; created_at: string; updated_at: string;
}
const APP_COLUMNS = sql`id, person_id, region_code, district_code, status, mode, choices::text[] AS choices, radius_m, origin_lon, origin_lat, origin_label, tier, tier_label,
  ${ts('priority_at')}, declines, passed_over::text[] AS passed_over, to_char(paused_until, 'YYYY-MM-DD') AS paused_until, note, created_by, ${ts('created_at')}, ${ts('updated_at')}`;

export type ApplicationWrite = Omit<ApplicationRow, 'created_at' | 'updated_at'>;

export async function insertApplication(q: Queryable, r: ApplicationWrite, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO waitlist.application (id, person_id, region_code, district_code, status, mode, choices, radius_m, origin_lon, origin_lat, origin_label, tier, tier_label,
      priority_at, declines, passed_over, paused_until, note, created_by, created_at, updated_at)
    VALUES (${r.id}::uuid, ${r.person_id}::uuid, ${r.region_code}, ${r.district_code}, ${r.status}, ${r.mode}, ${sql.param(r.choices)}::uuid[], ${r.radius_m}, ${r.origin_lon}, ${r.origin_lat},
      ${r.origin_label}, ${r.tier}, ${r.tier_label}, ${r.priority_at}, ${r.declines}, ${sql.param(r.passed_over)}::uuid[], ${r.paused_until}::date, ${r.note}, ${r.created_by}::uuid, ${at.toISOString()}, ${at.toISOString()})`);
}

/** Write an application's changeable fields. */
export async function updateApplication(q: Queryable, r: ApplicationWrite, at: Date): Promise<number> {
  return q.run(sql`UPDATE waitlist.application SET status = ${r.status}, mode = ${r.mode}, choices = ${sql.param(r.choices)}::uuid[], radius_m = ${r.radius_m}, origin_lon = ${r.origin_lon},
      origin_lat = ${r.origin_lat}, origin_label = ${r.origin_label}, tier = ${r.tier}, tier_label = ${r.tier_label}, priority_at = ${r.priority_at}, declines = ${r.declines}, passed_over = ${sql.param(r.passed_over)}::uuid[],
      paused_until = ${r.paused_until}::date, note = ${r.note}, updated_at = ${at.toISOString()}
    WHERE id = ${r.id}::uuid`);
}

/** Set the status of several applications (a run's offers). */
export async function setStatuses(q: Queryable, ids: readonly string[], status: ApplicationStatus, at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  return q.run(sql`UPDATE waitlist.application SET status = ${status}, updated_at = ${at.toISOString()} WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
}

/** Allocation runs one at a time: a transaction-scoped advisory lock. */
export async function lockRuns(q: Queryable, key: number): Promise<void> {
  await q.run(sql`SELECT pg_advisory_xact_lock(${key})`);
}

export async function countApplications(q: Queryable): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM waitlist.application`))?.n ?? 0;
}

export async function getApplication(q: Queryable, id: string, forUpdate = false): Promise<ApplicationRow | null> {
  return q.one<ApplicationRow>(sql`SELECT ${APP_COLUMNS} FROM waitlist.application WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function openApplicationOf(q: Queryable, personId: string): Promise<ApplicationRow | null> {
  return q.one<ApplicationRow>(sql`SELECT ${APP_COLUMNS} FROM waitlist.application WHERE person_id = ${personId}::uuid AND status IN ('active', 'paused', 'offered')`);
}

export async function applicationsOfPeople(q: Queryable, personIds: readonly string[]): Promise<ApplicationRow[]> {
  if (personIds.length === 0) return [];
  return q.rows<ApplicationRow>(sql`SELECT ${APP_COLUMNS} FROM waitlist.application WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) ORDER BY created_at DESC`);
}

export interface ApplicationFilter { status?: ApplicationStatus; district?: string; tier?: number; facilityId?: string; personId?: string }

/**
 * Applications in queue order (tier, priority_at, id), a page at a time, and how many match. A
 * district filter is also put as `district_code = …` (an application's district is its region's
 * first six characters): an equality may be an index condition under row-level security, a LIKE may
 * not, so the page walks application_queue_idx (migrations/0015) in queue order. The page's ids are
 * found first on the narrow columns, and only those rows are read and formatted — not every
 * matching application sorted and formatted for the sake of a hundred.
 */
export async function listApplications(q: Queryable, f: ApplicationFilter, limit: number, offset: number): Promise<{ total: number; rows: ApplicationRow[] }> {
  const district = !f.district ? sql``
    : /^\d{6}$/.test(f.district) ? sql`AND district_code = ${f.district} AND region_code LIKE ${f.district + '%'}`
    : sql`AND region_code LIKE ${f.district + '%'}`;
  const where = sql`TRUE
    ${f.status ? sql`AND status = ${f.status}` : sql``}
    ${district}
    ${f.tier !== undefined ? sql`AND tier = ${f.tier}` : sql``}
    ${f.facilityId ? sql`AND ${f.facilityId}::uuid = ANY(choices)` : sql``}
    ${f.personId ? sql`AND person_id = ${f.personId}::uuid` : sql``}`;
  const order = sql`ORDER BY tier NULLS LAST, priority_at, id`;
  const n = await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM waitlist.application WHERE ${where}`);
  const rows = await q.rows<ApplicationRow>(sql`SELECT ${APP_COLUMNS} FROM waitlist.application
    WHERE id IN (SELECT id FROM waitlist.application WHERE ${where} ${order} LIMIT ${limit} OFFSET ${offset}) ${order}`);
  return { total: n?.n ?? 0, rows };
}

/** Every open application (the whole jurisdiction: runs and positions read as the system). */
export async function openApplications(q: Queryable): Promise<ApplicationRow[]> {
  return q.rows<ApplicationRow>(sql`SELECT ${APP_COLUMNS} FROM waitlist.application WHERE status IN ('active', 'paused', 'offered')`);
}

/** An open application as the in-memory queue needs it (times as epoch milliseconds: no formatting of every row). */
export interface LightApplication {
  id: string; person_id: string; region_code: string; district_code: string; status: ApplicationStatus; mode: 'choices' | 'radius'; choices: string[]; radius_m: number | null;
  origin_lon: number | null; origin_lat: number | null; tier: number | null; tier_label: string | null; priority_ms: number; created_ms: number; declines: number; passed_over: string[];
}

const LIGHT_COLUMNS = sql`id, person_id, region_code, district_code, status, mode, choices::text[] AS choices, radius_m, origin_lon, origin_lat, tier, tier_label,
  (extract(epoch FROM priority_at) * 1000)::float8 AS priority_ms, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms, declines, passed_over::text[] AS passed_over`;
const STAMP = sql.raw(`'YYYYMMDDHH24MISSUS'`);

export async function openLight(q: Queryable): Promise<LightApplication[]> {
  return q.rows<LightApplication>(sql`SELECT ${LIGHT_COLUMNS} FROM waitlist.application WHERE status IN ('active', 'paused', 'offered')`);
}

/** Some applications, whatever their status, with the stamp of their last update (the snapshot's patch). */
export async function lightOf(q: Queryable, ids: readonly string[]): Promise<(LightApplication & { stamp: string })[]> {
  if (ids.length === 0) return [];
  return q.rows(sql`SELECT ${LIGHT_COLUMNS}, to_char(updated_at, ${STAMP}) AS stamp FROM waitlist.application WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
}

/**
 * The latest update of the applications (but some): the snapshot's freshness check. Without the
 * ones changed here, it tells whether anything changed elsewhere.
 */
export async function applicationStamp(q: Queryable, except: readonly string[] = []): Promise<string> {
  const others = except.length ? sql`WHERE id <> ALL(${sql.param([...except])}::uuid[])` : sql``;
  return (await q.one<{ s: string }>(sql`SELECT coalesce(to_char(max(updated_at), ${STAMP}), '0') AS s FROM waitlist.application ${others}`))?.s ?? '0';
}

/** Open applications per district and tier, and admitted ones (the officer's overview). */
export async function queueCounts(q: Queryable): Promise<{ district_code: string; tier: number | null; status: ApplicationStatus; n: number; oldest: string | null }[]> {
  return q.rows(sql`SELECT district_code, tier, status, count(*)::int AS n, ${ts('min(priority_at)', 'oldest')}
    FROM waitlist.application WHERE status IN ('active', 'paused', 'offered') GROUP BY district_code, tier, status ORDER BY district_code, tier, status`);
}

// ---------------------------------------------------------------------------------------------
// History

export interface EventRow { id: string; application_id: string; kind: string; summary: string; details: Record<string, unknown>; actor_id: string | null; actor_role: string | null; at: string }

export async function insertEvents(q: Queryable, rows: readonly (Omit<EventRow, 'at'> & { region_code: string })[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO waitlist.application_event (id, application_id, region_code, kind, summary, details, actor_id, actor_role, at)
    SELECT u.id, u.application_id, u.region_code, u.kind, u.summary, u.details, u.actor_id, u.actor_role, ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, application_id uuid, region_code text, kind text, summary text, details jsonb, actor_id uuid, actor_role text)`);
}

export async function eventsOf(q: Queryable, applicationId: string): Promise<EventRow[]> {
  return q.rows<EventRow>(sql`SELECT id, application_id, kind, summary, details, actor_id, actor_role, ${ts('at')}
    FROM waitlist.application_event WHERE application_id = ${applicationId}::uuid ORDER BY at, id`);
}

// ---------------------------------------------------------------------------------------------
// Runs

export interface RunRow {
  id: string; seq: number; trigger: 'manual' | 'vacancy' | 'schedule' | 'simulation'; dry_run: boolean; started_by: string | null; started_at: string; finished_at: string;
  rule: Record<string, unknown>; input: RunInput; result: { assignments: { applicant: string; facility: string }[]; unassigned: string[] }; fairness: Record<string, unknown>; summary: Record<string, unknown>;
}
export interface RunInput {
  facilities: { id: string; district: string; capacity: number; beds: string[] }[];
  applicants: { id: string; district: string; tier: number; appliedAt: string; choices: string[]; points?: number }[];
}

export async function insertRun(q: Queryable, r: Omit<RunRow, 'seq'>): Promise<number> {
  const row = await q.one<{ seq: number }>(sql`INSERT INTO waitlist.run (id, trigger, dry_run, started_by, started_at, finished_at, rule, input, result, fairness, summary)
    VALUES (${r.id}::uuid, ${r.trigger}, ${r.dry_run}, ${r.started_by}::uuid, ${r.started_at}, ${r.finished_at}, ${JSON.stringify(r.rule)}::jsonb, ${JSON.stringify(r.input)}::jsonb,
      ${JSON.stringify(r.result)}::jsonb, ${JSON.stringify(r.fairness)}::jsonb, ${JSON.stringify(r.summary)}::jsonb)
    RETURNING seq::int AS seq`);
  return row!.seq;
}

const RUN_HEAD = sql`id, seq::int AS seq, trigger, dry_run, started_by, ${ts('started_at')}, ${ts('finished_at')}, rule, fairness, summary`;

export async function getRun(q: Queryable, idOrSeq: string): Promise<RunRow | null> {
  const bySeq = /^\d+$/.test(idOrSeq);
  return q.one<RunRow>(sql`SELECT ${RUN_HEAD}, input, result FROM waitlist.run WHERE ${bySeq ? sql`seq = ${Number(idOrSeq)}` : sql`id = ${idOrSeq}::uuid`}`);
}

export async function listRuns(q: Queryable, limit: number): Promise<Omit<RunRow, 'input' | 'result'>[]> {
  return q.rows(sql`SELECT ${RUN_HEAD} FROM waitlist.run ORDER BY started_at DESC, seq DESC LIMIT ${limit}`);
}

export async function lastRunAt(q: Queryable): Promise<string | null> {
  return (await q.one<{ at: string | null }>(sql`SELECT ${ts('max(started_at)', 'at')} FROM waitlist.run WHERE NOT dry_run`))?.at ?? null;
}

// ---------------------------------------------------------------------------------------------
// Offers

export interface OfferRow {
  id: string; run_id: string; application_id: string; person_id: string; region_code: string; facility_id: string; facility_region_code: string; bed_id: string;
  choice_rank: number | null; status: OfferStatus; made_at: string; deadline: string; decided_at: string | null; decided_by: string | null; reason: string | null;
}
const OFFER_COLUMNS = sql`id, run_id, application_id, person_id, region_code, facility_id, facility_region_code, bed_id, choice_rank, status, ${ts('made_at')}, ${ts('deadline')},
  ${ts('decided_at')}, decided_by, reason`;

export async function insertOffers(q: Queryable, rows: readonly Omit<OfferRow, 'decided_at' | 'decided_by' | 'reason' | 'status'>[]): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`INSERT INTO waitlist.offer (id, run_id, application_id, person_id, region_code, facility_id, facility_region_code, bed_id, choice_rank, status, made_at, deadline)
    SELECT u.id, u.run_id, u.application_id, u.person_id, u.region_code, u.facility_id, u.facility_region_code, u.bed_id, u.choice_rank, 'open', u.made_at, u.deadline
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, run_id uuid, application_id uuid, person_id uuid, region_code text, facility_id uuid,
      facility_region_code text, bed_id uuid, choice_rank int, made_at timestamptz, deadline timestamptz)`);
}

export async function getOffer(q: Queryable, id: string, forUpdate = false): Promise<OfferRow | null> {
  return q.one<OfferRow>(sql`SELECT ${OFFER_COLUMNS} FROM waitlist.offer WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function offersOf(q: Queryable, applicationIds: readonly string[]): Promise<OfferRow[]> {
  if (applicationIds.length === 0) return [];
  return q.rows<OfferRow>(sql`SELECT ${OFFER_COLUMNS} FROM waitlist.offer WHERE application_id = ANY(${sql.param([...applicationIds])}::uuid[]) ORDER BY made_at DESC`);
}

export async function offersOfRun(q: Queryable, runId: string): Promise<OfferRow[]> {
  return q.rows<OfferRow>(sql`SELECT ${OFFER_COLUMNS} FROM waitlist.offer WHERE run_id = ${runId}::uuid ORDER BY made_at, id`);
}

/** Open offers whose deadline has passed (locked for the expiry). */
export async function dueOffers(q: Queryable, now: Date): Promise<OfferRow[]> {
  return q.rows<OfferRow>(sql`SELECT ${OFFER_COLUMNS} FROM waitlist.offer WHERE status = 'open' AND deadline < ${now.toISOString()} ORDER BY deadline FOR UPDATE SKIP LOCKED`);
}

export async function decideOffer(q: Queryable, id: string, status: OfferStatus, by: string | null, reason: string | null, at: Date): Promise<number> {
  return q.run(sql`UPDATE waitlist.offer SET status = ${status}, decided_at = ${at.toISOString()}, decided_by = ${by}::uuid, reason = ${reason}
    WHERE id = ${id}::uuid AND status = 'open'`);
}

/** Admissions through the waiting list per facility since a time (offers accepted). */
export async function admissionsSince(q: Queryable, since: Date): Promise<Map<string, number>> {
  const rows = await q.rows<{ facility_id: string; n: number }>(sql`SELECT facility_id, count(*)::int AS n FROM waitlist.offer
    WHERE status = 'accepted' AND decided_at >= ${since.toISOString()} GROUP BY facility_id`);
  return new Map(rows.map((r) => [r.facility_id, r.n]));
}

/** Admissions through the waiting list since a time: who (district, tier) and how long they waited (days from applying to accepting). */
export async function admittedSince(q: Queryable, since: Date): Promise<{ district_code: string; tier: number | null; facility_id: string; waited_days: number; month: string }[]> {
  return q.rows(sql`SELECT a.district_code, a.tier, o.facility_id, (extract(epoch FROM o.decided_at - a.created_at) / 86400)::float8 AS waited_days,
      to_char(o.decided_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month
    FROM waitlist.offer o JOIN waitlist.application a ON a.id = o.application_id
    WHERE o.status = 'accepted' AND o.decided_at >= ${since.toISOString()}`);
}

/** Offers made since a time by outcome. */
export async function offerOutcomesSince(q: Queryable, since: Date): Promise<{ status: string; n: number }[]> {
  return q.rows(sql`SELECT status, count(*)::int AS n FROM waitlist.offer WHERE made_at >= ${since.toISOString()} GROUP BY status ORDER BY status`);
}

/** Applications that waited at some time since a date: open now, or closed after it (a what-if's population). */
export async function applicationsWaitingSince(q: Queryable, since: Date): Promise<ApplicationRow[]> {
  return q.rows<ApplicationRow>(sql`SELECT ${APP_COLUMNS} FROM waitlist.application WHERE status IN ('active', 'paused', 'offered') OR updated_at >= ${since.toISOString()}`);
}
