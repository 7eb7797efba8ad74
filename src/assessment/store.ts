// All SQL of the assessment workflow. Every function takes the caller's scope (a region-code
// prefix, '*' for the whole deployment) and filters by it: the first wall. Row-level security
// (migrations/0003_assessment.sql) is the second.
import { inScope, sql, type Queryable, type SQL } from '../platform/db.ts';

/** The scope condition on a region code column (default deny on anything odd): platform/db.ts. */
export { inScope };

/** Agencies serve a whole district: visible to a caller whose scope is the district, above or below it. */
function districtVisible(scope: string, column: SQL = sql`district_code`): SQL {
  if (scope === '*') return sql`TRUE`;
  if (!/^\d{1,12}$/.test(scope)) return sql`FALSE`;
  return sql`(${column} LIKE ${scope + '%'} OR ${scope} LIKE ${column} || '%')`;
}

export interface AgencyRow {
  district_code: string;
  id: string;
  code: string;
  name: string;
  region_code: string;
  days_to_visit: number | null;
  days_to_result: number | null;
  active: boolean;
}

export interface ApplicationRow {
  district_code: string;
  id: string;
  person_id: string;
  region_code: string;
  reason: string;
  channel: string;
  applicant: string;
  state: string;
  state_reasons: { code: string; message: string }[];
  applied_on: string;
  agency_id: string | null;
  assessor1_id: string | null;
  assessor2_id: string | null;
  answers: Record<string, number>;
  coma: boolean | null;
  diagnoses: string[];
  risk_events_30d: unknown;
  instrument_id: string | null;
  instrument_version: string | null;
  result: Record<string, unknown> | null;
  level: number | null;
  valid_from: string | null;
  valid_until: string | null;
  signed_document: Record<string, unknown> | null;
  review_of: string | null;
  expected_visit_by: string | null;
  expected_result_by: string | null;
  assigned_at: Date | null;
  started_at: Date | null;
  submitted_at: Date | null;
  completed_at: Date | null;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ApplicationFilter {
  state?: string;
  personId?: string;
  /** Only open applications past their deadline on this date. */
  overdueOn?: string;
  /** Completed results whose validity ends in [from, to]. */
  expiringBetween?: { from: string; to: string };
  /** Only those this user is assigned to (assessors). */
  assignedTo?: string;
}

const OVERDUE = (today: string): SQL => sql`(state IN ('applied', 'assigned', 'in_progress', 'submitted') AND (
  (state IN ('applied', 'assigned') AND expected_visit_by < ${today}::date) OR expected_result_by < ${today}::date))`;

function filterSql(scope: string, f: ApplicationFilter): SQL {
  const parts: SQL[] = [inScope(scope)];
  if (f.state) parts.push(sql`state = ${f.state}`);
  if (f.personId) parts.push(sql`person_id = ${f.personId}::uuid`);
  if (f.overdueOn) parts.push(OVERDUE(f.overdueOn));
  if (f.expiringBetween) {
    parts.push(sql`state = 'completed' AND valid_until BETWEEN ${f.expiringBetween.from}::date AND ${f.expiringBetween.to}::date`);
    // a result already followed by a newer completed one for the same person is not a reminder
    parts.push(sql`NOT EXISTS (SELECT 1 FROM assessment.application n WHERE n.person_id = application.person_id
                   AND n.district_code = application.district_code AND n.state = 'completed' AND n.completed_at > application.completed_at)`);
  }
  if (f.assignedTo) parts.push(sql`(assessor1_id = ${f.assignedTo}::uuid OR assessor2_id = ${f.assignedTo}::uuid)`);
  return sql.join(parts, sql` AND `);
}

export async function listApplications(q: Queryable, scope: string, f: ApplicationFilter, limit: number, afterId: string | null): Promise<ApplicationRow[]> {
  return q.rows<ApplicationRow>(sql`
    SELECT * FROM assessment.application
    WHERE ${filterSql(scope, f)} ${afterId ? sql`AND id > ${afterId}::uuid` : sql``}
    ORDER BY id LIMIT ${limit}`);
}

/** One application in scope, or null (out of scope is indistinguishable from absent). `forUpdate` locks it. */
export async function getApplication(q: Queryable, scope: string, id: string, forUpdate = false): Promise<ApplicationRow | null> {
  return q.one<ApplicationRow>(sql`SELECT * FROM assessment.application WHERE id = ${id}::uuid AND ${inScope(scope)} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function countOpenApplications(q: Queryable, scope: string, personId: string): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM assessment.application
    WHERE person_id = ${personId}::uuid AND state IN ('applied', 'assigned', 'in_progress', 'submitted') AND ${inScope(scope)}`))?.n ?? 0;
}

export async function insertApplication(q: Queryable, r: {
  district_code: string; id: string; person_id: string; region_code: string; reason: string; channel: string; applicant: string;
  state: string; state_reasons: unknown; applied_on: string; agency_id: string | null; review_of: string | null;
  expected_visit_by: string | null; expected_result_by: string | null; created_by: string | null;
}, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO assessment.application
    (district_code, id, person_id, region_code, reason, channel, applicant, state, state_reasons, applied_on, agency_id, review_of,
     expected_visit_by, expected_result_by, created_by, created_at, updated_at)
    VALUES (${r.district_code}, ${r.id}::uuid, ${r.person_id}::uuid, ${r.region_code}, ${r.reason}, ${r.channel}, ${r.applicant}, ${r.state},
      ${JSON.stringify(r.state_reasons)}::jsonb, ${r.applied_on}::date, ${r.agency_id}::uuid, ${r.review_of}::uuid,
      ${r.expected_visit_by}::date, ${r.expected_result_by}::date, ${r.created_by}::uuid, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)`);
}

/** The columns a use case may change. */
export type ApplicationChange = Partial<{
  state: string; state_reasons: { code: string; message: string }[]; agency_id: string | null; assessor1_id: string | null; assessor2_id: string | null;
  answers: Record<string, number>; coma: boolean | null; diagnoses: string[]; risk_events_30d: unknown;
  instrument_id: string | null; instrument_version: string | null; result: unknown; level: number | null;
  valid_from: string | null; valid_until: string | null; signed_document: unknown;
  expected_visit_by: string | null; expected_result_by: string | null;
  assigned_at: Date; started_at: Date; submitted_at: Date; completed_at: Date;
}>;

const JSONB = new Set(['state_reasons', 'answers', 'diagnoses', 'risk_events_30d', 'result', 'signed_document']);
const UUIDS = new Set(['agency_id', 'assessor1_id', 'assessor2_id']);
const DATES = new Set(['valid_from', 'valid_until', 'expected_visit_by', 'expected_result_by']);

/** Update with optimistic concurrency: applies only when the stored version is `version`; returns whether it did. */
export async function updateApplication(q: Queryable, scope: string, id: string, version: number, change: ApplicationChange, at: Date): Promise<boolean> {
  const sets: SQL[] = [];
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) continue;
    const col = sql.raw(k);
    if (JSONB.has(k)) sets.push(sql`${col} = ${v === null ? null : JSON.stringify(v)}::jsonb`);
    else if (UUIDS.has(k)) sets.push(sql`${col} = ${v}::uuid`);
    else if (DATES.has(k)) sets.push(sql`${col} = ${v}::date`);
    else if (v instanceof Date) sets.push(sql`${col} = ${v.toISOString()}::timestamptz`);
    else sets.push(sql`${col} = ${v}`);
  }
  sets.push(sql`version = version + 1`, sql`updated_at = ${at.toISOString()}::timestamptz`);
  const n = await q.run(sql`UPDATE assessment.application SET ${sql.join(sets, sql`, `)}
    WHERE id = ${id}::uuid AND version = ${version} AND ${inScope(scope)}`);
  return n > 0;
}

/** Record a client op id; false when it was already applied (a re-sent offline batch). */
export async function claimAnswerOp(q: Queryable, r: { district_code: string; application_id: string; client_op_id: string; actor_id: string }, at: Date): Promise<boolean> {
  const n = await q.run(sql`INSERT INTO assessment.answer_op (district_code, application_id, client_op_id, actor_id, applied_at)
    VALUES (${r.district_code}, ${r.application_id}::uuid, ${r.client_op_id}::uuid, ${r.actor_id}::uuid, ${at.toISOString()}::timestamptz)
    ON CONFLICT DO NOTHING`);
  return n > 0;
}

export async function listAgencies(q: Queryable, scope: string, districtCode?: string): Promise<AgencyRow[]> {
  return q.rows<AgencyRow>(sql`SELECT district_code, id, code, name, region_code, days_to_visit, days_to_result, active FROM assessment.agency
    WHERE ${districtVisible(scope)} ${districtCode ? sql`AND district_code = ${districtCode}` : sql``} ORDER BY district_code, code`);
}

export async function getAgency(q: Queryable, scope: string, id: string): Promise<AgencyRow | null> {
  return q.one<AgencyRow>(sql`SELECT district_code, id, code, name, region_code, days_to_visit, days_to_result, active FROM assessment.agency
    WHERE id = ${id}::uuid AND ${districtVisible(scope)}`);
}

export async function assessorsOfAgency(q: Queryable, scope: string, agencyId: string): Promise<string[]> {
  return (await q.rows<{ user_id: string }>(sql`SELECT user_id FROM assessment.assessor
    WHERE agency_id = ${agencyId}::uuid AND active AND ${districtVisible(scope)}`)).map((r) => r.user_id);
}

/** Seed: agencies by code (idempotent). */
export async function upsertAgencies(q: Queryable, rows: { district_code: string; id: string; code: string; name: string; region_code: string; days_to_visit: number | null; days_to_result: number | null }[]): Promise<void> {
  for (const r of rows) {
    await q.run(sql`INSERT INTO assessment.agency (district_code, id, code, name, region_code, days_to_visit, days_to_result)
      VALUES (${r.district_code}, ${r.id}::uuid, ${r.code}, ${r.name}, ${r.region_code}, ${r.days_to_visit}, ${r.days_to_result})
      ON CONFLICT (district_code, code) DO UPDATE SET name = excluded.name, region_code = excluded.region_code,
        days_to_visit = excluded.days_to_visit, days_to_result = excluded.days_to_result`);
  }
}

export async function agencyIdByCode(q: Queryable, code: string): Promise<{ id: string; district_code: string } | null> {
  return q.one(sql`SELECT id, district_code FROM assessment.agency WHERE code = ${code}`);
}

export async function upsertAssessor(q: Queryable, r: { district_code: string; user_id: string; agency_id: string }): Promise<void> {
  await q.run(sql`INSERT INTO assessment.assessor (district_code, user_id, agency_id) VALUES (${r.district_code}, ${r.user_id}::uuid, ${r.agency_id}::uuid)
    ON CONFLICT (district_code, user_id) DO UPDATE SET agency_id = excluded.agency_id, active = true`);
}

// ---- quality control (issue 4 §5) ----

export interface QualityRow {
  id: string;
  district_code: string;
  agency_id: string;
  assessor1_id: string | null;
  assessor2_id: string | null;
  level: number;
  reason: string;
  applied_on: string;
  completed_on: string;
  minutes_visit_to_submit: number | null;
  review_id: string | null;
  review_level: number | null;
}

/**
 * Completed results in scope whose completion date (Asia/Shanghai) is in [from, to], optionally
 * of one district, each with the latest completed review (`review_of` it, in scope) finished by
 * `to`. Minutes from the first answer (`started_at`, the visit) to submit, when both are known.
 */
export async function listQualityRows(q: Queryable, scope: string, f: { from: string; to: string; districtCode?: string }): Promise<QualityRow[]> {
  const localDate = (col: SQL) => sql`(${col} AT TIME ZONE 'Asia/Shanghai')::date`;
  return q.rows<QualityRow>(sql`
    SELECT a.id, a.district_code, a.agency_id, a.assessor1_id, a.assessor2_id, a.level, a.reason,
      to_char(a.applied_on, 'YYYY-MM-DD') AS applied_on, to_char(${localDate(sql`a.completed_at`)}, 'YYYY-MM-DD') AS completed_on,
      CASE WHEN a.started_at IS NOT NULL AND a.submitted_at IS NOT NULL
        THEN (EXTRACT(EPOCH FROM (a.submitted_at - a.started_at)) / 60)::float8 END AS minutes_visit_to_submit,
      r.id AS review_id, r.level AS review_level
    FROM assessment.application a
    LEFT JOIN LATERAL (
      SELECT rv.id, rv.level FROM assessment.application rv
      WHERE rv.review_of = a.id AND rv.district_code = a.district_code AND rv.state = 'completed' AND rv.level IS NOT NULL
        AND ${localDate(sql`rv.completed_at`)} <= ${f.to}::date AND ${inScope(scope, sql`rv.region_code`)}
      ORDER BY rv.completed_at DESC, rv.id LIMIT 1
    ) r ON TRUE
    WHERE a.state = 'completed' AND a.level IS NOT NULL AND a.agency_id IS NOT NULL AND a.completed_at IS NOT NULL
      AND ${inScope(scope, sql`a.region_code`)}
      AND ${localDate(sql`a.completed_at`)} BETWEEN ${f.from}::date AND ${f.to}::date
      ${f.districtCode ? sql`AND a.district_code = ${f.districtCode}` : sql``}
    ORDER BY a.district_code, a.id`);
}

/** Display names of platform users (assessors on the quality report). */
export async function userNames(q: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.rows<{ id: string; display_name: string }>(sql`SELECT id, display_name FROM platform.app_user
    WHERE id IN (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

// ---- Shanghai care grade (issue 4 item 1; migrations/0004_care_grade.sql) ----

export interface CareGradeRow {
  district_code: string;
  id: string;
  person_id: string;
  region_code: string;
  grade: number | null;
  outcome: 'grade' | 'medical_referral';
  agency_code: string;
  assessed_on: string;
  valid_from: string;
  valid_until: string;
  valid_to: string;
  source: 'api' | 'file';
  record: Record<string, unknown>;
  record_hash: string;
  key_id: string;
  imported_by: string | null;
  imported_at: Date;
  superseded_by: string | null;
}

const CARE_GRADE_COLUMNS = sql`district_code, id, person_id, region_code, grade, outcome, agency_code,
  to_char(assessed_on, 'YYYY-MM-DD') AS assessed_on, to_char(valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(valid_until, 'YYYY-MM-DD') AS valid_until, to_char(valid_to, 'YYYY-MM-DD') AS valid_to,
  source, record, record_hash, key_id, imported_by, imported_at, superseded_by`;

/** A person's grades in scope, oldest first (history: valid_from, then import time). */
export async function listCareGrades(q: Queryable, scope: string, personId: string): Promise<CareGradeRow[]> {
  return q.rows<CareGradeRow>(sql`SELECT ${CARE_GRADE_COLUMNS} FROM assessment.care_grade
    WHERE person_id = ${personId}::uuid AND ${inScope(scope)} ORDER BY valid_from, imported_at, id`);
}

export interface CareGradeRecordFilter {
  /** Only these people (resolved by the service from a search). */
  personIds?: string[];
  districtCode?: string;
  /** Only grades in force on this date (the person's grade that started last, see careGradeOn). */
  currentOn?: string;
}

/**
 * Grade records in scope, newest first (id is a UUIDv7: import order), with `in_force`: whether
 * it is the person's grade in force on `today` — it covers the day and no other grade of the
 * person covering the day started later (or the same day, imported later): `careGradeOn` in SQL.
 */
export async function listCareGradeRecords(q: Queryable, scope: string, f: CareGradeRecordFilter, today: string, limit: number, beforeId: string | null): Promise<(CareGradeRow & { in_force: boolean })[]> {
  const inForce = sql`(g.valid_from <= ${today}::date AND g.valid_until >= ${today}::date AND NOT EXISTS (
    SELECT 1 FROM assessment.care_grade n WHERE n.person_id = g.person_id AND n.district_code = g.district_code AND n.id <> g.id
      AND n.valid_from <= ${today}::date AND n.valid_until >= ${today}::date
      AND (n.valid_from > g.valid_from OR (n.valid_from = g.valid_from AND n.imported_at > g.imported_at))))`;
  const parts: SQL[] = [inScope(scope, sql`g.region_code`)];
  if (f.personIds) parts.push(f.personIds.length ? sql`g.person_id IN (${sql.join(f.personIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`FALSE`);
  if (f.districtCode) parts.push(sql`g.district_code = ${f.districtCode}`);
  if (f.currentOn) parts.push(inForce);
  if (beforeId) parts.push(sql`g.id < ${beforeId}::uuid`);
  return q.rows<CareGradeRow & { in_force: boolean }>(sql`SELECT g.district_code, g.id, g.person_id, g.region_code, g.grade, g.outcome, g.agency_code,
      to_char(g.assessed_on, 'YYYY-MM-DD') AS assessed_on, to_char(g.valid_from, 'YYYY-MM-DD') AS valid_from,
      to_char(g.valid_until, 'YYYY-MM-DD') AS valid_until, to_char(g.valid_to, 'YYYY-MM-DD') AS valid_to,
      g.source, g.record, g.record_hash, g.key_id, g.imported_by, g.imported_at, g.superseded_by, ${inForce} AS in_force
    FROM assessment.care_grade g WHERE ${sql.join(parts, sql` AND `)} ORDER BY g.id DESC LIMIT ${limit}`);
}

/**
 * Insert a grade unless the same signed record is already stored (idempotent on record_hash);
 * links the history: the grade before it (latest valid_from ≤ its own) is superseded by it, and it
 * is superseded by the first grade starting after it. Returns whether a row was inserted.
 */
export async function insertCareGrade(q: Queryable, scope: string, r: {
  district_code: string; id: string; person_id: string; region_code: string; grade: number | null; outcome: string; agency_code: string;
  assessed_on: string; valid_from: string; valid_until: string; source: 'api' | 'file'; record: unknown; record_hash: string; key_id: string;
  imported_by: string | null;
}, at: Date): Promise<boolean> {
  const n = await q.run(sql`INSERT INTO assessment.care_grade
    (district_code, id, person_id, region_code, grade, outcome, agency_code, assessed_on, valid_from, valid_until, source, record, record_hash, key_id, imported_by, imported_at)
    VALUES (${r.district_code}, ${r.id}::uuid, ${r.person_id}::uuid, ${r.region_code}, ${r.grade}, ${r.outcome}, ${r.agency_code},
      ${r.assessed_on}::date, ${r.valid_from}::date, ${r.valid_until}::date, ${r.source}, ${JSON.stringify(r.record)}::jsonb, ${r.record_hash},
      ${r.key_id}, ${r.imported_by}::uuid, ${at.toISOString()}::timestamptz)
    ON CONFLICT (district_code, record_hash) DO NOTHING`);
  if (n === 0) return false;
  const others = sql`person_id = ${r.person_id}::uuid AND district_code = ${r.district_code} AND id <> ${r.id}::uuid AND ${inScope(scope)}`;
  const next = await q.one<{ id: string }>(sql`SELECT id FROM assessment.care_grade WHERE ${others} AND valid_from > ${r.valid_from}::date
    ORDER BY valid_from, imported_at, id LIMIT 1`);
  if (next) await q.run(sql`UPDATE assessment.care_grade SET superseded_by = ${next.id}::uuid WHERE id = ${r.id}::uuid AND district_code = ${r.district_code}`);
  const prev = await q.one<{ id: string }>(sql`SELECT id FROM assessment.care_grade WHERE ${others} AND valid_from <= ${r.valid_from}::date
    ORDER BY valid_from DESC, imported_at DESC, id DESC LIMIT 1`);
  if (prev) await q.run(sql`UPDATE assessment.care_grade SET superseded_by = ${r.id}::uuid WHERE id = ${prev.id}::uuid AND district_code = ${r.district_code}`);
  return true;
}

export interface AgencyKeyRow {
  district_code: string;
  key_id: string;
  agency_code: string;
  public_key: string;
  source: 'config' | 'demo';
}

/** Active agency keys visible in scope (keys are public; scope as for agencies). */
export async function listAgencyKeys(q: Queryable, scope: string): Promise<AgencyKeyRow[]> {
  return q.rows<AgencyKeyRow>(sql`SELECT district_code, key_id, agency_code, public_key, source FROM assessment.agency_key
    WHERE active AND ${districtVisible(scope)} ORDER BY key_id`);
}

/** Register (or replace the public key of) an agency key. */
export async function upsertAgencyKey(q: Queryable, r: AgencyKeyRow): Promise<void> {
  await q.run(sql`INSERT INTO assessment.agency_key (district_code, key_id, agency_code, public_key, source)
    VALUES (${r.district_code}, ${r.key_id}, ${r.agency_code}, ${r.public_key}, ${r.source})
    ON CONFLICT (district_code, key_id) DO UPDATE SET agency_code = excluded.agency_code, public_key = excluded.public_key, source = excluded.source, active = true`);
}
