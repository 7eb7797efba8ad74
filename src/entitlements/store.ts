// All SQL of the entitlements module (migrations/0006_entitlements.sql): the decisions stored per
// person. Written by the recompute (the outbox consumer and the due/parameter sweep), read in scope.
import { inScope, sql, type Queryable } from '../platform/db.ts';

export interface EntitlementRow {
  district_code: string;
  person_id: string;
  region_code: string;
  as_of: string;
  due_on: string | null;
  parameter_version: string;
  allowance_fen: number;
  allowance_band: string | null;
  ltci_hours: number;
  subsidy_fen: number;
  bed_tier: number | null;
  flags: string[];
  decisions: Record<string, unknown>;
  cause: string;
  decided_at: string;
}

/** The figures that make a change (events are emitted when one of them differs). */
export type Summary = Pick<EntitlementRow, 'district_code' | 'allowance_fen' | 'ltci_hours' | 'subsidy_fen' | 'bed_tier' | 'flags'>;

export async function summariesOf(q: Queryable, personIds: readonly string[]): Promise<Map<string, Summary>> {
  if (personIds.length === 0) return new Map();
  const rows = await q.rows<Summary & { person_id: string }>(sql`SELECT person_id, district_code, allowance_fen, ltci_hours::float8 AS ltci_hours, subsidy_fen, bed_tier, flags
    FROM entitlements.person_entitlement WHERE person_id = ANY(${sql.param([...personIds])}::uuid[])`);
  return new Map(rows.map((r) => [r.person_id, r]));
}

/** Insert or replace many people's rows in one statement; a person who moved district loses the old row. */
export async function saveEntitlements(q: Queryable, rows: readonly Omit<EntitlementRow, 'decided_at'>[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof EntitlementRow>(k: K, type: string, map: (v: EntitlementRow[K]) => unknown = (v) => v) =>
    sql`${sql.param(rows.map((r) => map((r as EntitlementRow)[k])))}::${sql.raw(type)}[]`;
  await q.run(sql`DELETE FROM entitlements.person_entitlement e USING unnest(${sql.param(rows.map((r) => r.person_id))}::uuid[], ${sql.param(rows.map((r) => r.district_code))}::text[]) AS u(person_id, district_code)
    WHERE e.person_id = u.person_id AND e.district_code <> u.district_code`);
  await q.run(sql`INSERT INTO entitlements.person_entitlement (district_code, person_id, region_code, as_of, due_on, parameter_version, allowance_fen, allowance_band,
      ltci_hours, subsidy_fen, bed_tier, flags, decisions, cause, decided_at)
    SELECT u.district_code, u.person_id, u.region_code, u.as_of, u.due_on, u.parameter_version, u.allowance_fen, u.allowance_band, u.ltci_hours, u.subsidy_fen,
      u.bed_tier, u.flags::text[], u.decisions::jsonb, u.cause, ${at.toISOString()}::timestamptz
    FROM unnest(${col('district_code', 'text')}, ${col('person_id', 'uuid')}, ${col('region_code', 'text')}, ${col('as_of', 'date')}, ${col('due_on', 'date')},
      ${col('parameter_version', 'text')}, ${col('allowance_fen', 'int4')}, ${col('allowance_band', 'text')}, ${col('ltci_hours', 'numeric')}, ${col('subsidy_fen', 'int4')},
      ${col('bed_tier', 'int4')}, ${col('flags', 'text', (f) => `{${(f as string[]).join(',')}}`)}, ${col('decisions', 'text', (d) => JSON.stringify(d))}, ${col('cause', 'text')})
      AS u(district_code, person_id, region_code, as_of, due_on, parameter_version, allowance_fen, allowance_band, ltci_hours, subsidy_fen, bed_tier, flags, decisions, cause)
    ON CONFLICT (district_code, person_id) DO UPDATE SET region_code = EXCLUDED.region_code, as_of = EXCLUDED.as_of, due_on = EXCLUDED.due_on,
      parameter_version = EXCLUDED.parameter_version, allowance_fen = EXCLUDED.allowance_fen, allowance_band = EXCLUDED.allowance_band,
      ltci_hours = EXCLUDED.ltci_hours, subsidy_fen = EXCLUDED.subsidy_fen, bed_tier = EXCLUDED.bed_tier, flags = EXCLUDED.flags,
      decisions = EXCLUDED.decisions, cause = EXCLUDED.cause, decided_at = EXCLUDED.decided_at`);
}

export async function deleteEntitlements(q: Queryable, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await q.run(sql`DELETE FROM entitlements.person_entitlement WHERE person_id = ANY(${sql.param([...personIds])}::uuid[])`);
}

/** People whose stored decisions are due (due_on reached) or came from other parameters, by id. */
export async function dueIds(q: Queryable, today: string, version: string, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await q.rows<{ person_id: string }>(sql`SELECT person_id FROM entitlements.person_entitlement
    WHERE (due_on <= ${today}::date OR parameter_version <> ${version}) ${afterId ? sql`AND person_id > ${afterId}::uuid` : sql``}
    ORDER BY person_id LIMIT ${limit}`);
  return rows.map((r) => r.person_id);
}

export async function countEntitlements(q: Queryable): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM entitlements.person_entitlement`))?.n ?? 0;
}

/** A person's stored row, in scope. */
export async function getEntitlement(q: Queryable, scope: string, personId: string): Promise<EntitlementRow | null> {
  return q.one<EntitlementRow>(sql`SELECT district_code, person_id, region_code, to_char(as_of, 'YYYY-MM-DD') AS as_of, to_char(due_on, 'YYYY-MM-DD') AS due_on,
      parameter_version, allowance_fen, allowance_band, ltci_hours::float8 AS ltci_hours, subsidy_fen, bed_tier, flags, decisions, cause, decided_at
    FROM entitlements.person_entitlement
    WHERE person_id = ${personId}::uuid AND ${inScope(scope)}`);
}

// ---- what-if simulations (migrations/0007_simulation.sql) ----

export interface SimulationRow {
  id: string;
  scope_code: string;
  name: string;
  as_of: string;
  changes: unknown;
  base_version: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  done: number;
  total: number | null;
  result: unknown;
  error: string | null;
  created_by: string | null;
  created_at: string;
  finished_at: string | null;
}
const SIM_COLUMNS = sql`id, scope_code, name, to_char(as_of, 'YYYY-MM-DD') AS as_of, changes, base_version, status, done, total, result, error, created_by,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at, to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS finished_at`;

export async function insertSimulation(q: Queryable, r: Pick<SimulationRow, 'id' | 'scope_code' | 'name' | 'as_of' | 'changes' | 'base_version' | 'created_by'>): Promise<void> {
  await q.run(sql`INSERT INTO entitlements.simulation (id, scope_code, name, as_of, changes, base_version, status, created_by)
    VALUES (${r.id}::uuid, ${r.scope_code}, ${r.name}, ${r.as_of}::date, ${JSON.stringify(r.changes)}::jsonb, ${r.base_version}, 'queued', ${r.created_by}::uuid)`);
}

export async function updateSimulation(q: Queryable, id: string, p: { status?: SimulationRow['status']; done?: number; total?: number; result?: unknown; error?: string; finished?: Date }): Promise<void> {
  await q.run(sql`UPDATE entitlements.simulation SET
      status = coalesce(${p.status ?? null}, status), done = coalesce(${p.done ?? null}::int, done), total = coalesce(${p.total ?? null}::int, total),
      result = coalesce(${p.result === undefined ? null : JSON.stringify(p.result)}::jsonb, result), error = coalesce(${p.error ?? null}, error),
      finished_at = coalesce(${p.finished ? p.finished.toISOString() : null}::timestamptz, finished_at)
    WHERE id = ${id}::uuid`);
}

export async function getSimulation(q: Queryable, scope: string, id: string): Promise<SimulationRow | null> {
  return q.one<SimulationRow>(sql`SELECT ${SIM_COLUMNS} FROM entitlements.simulation WHERE id = ${id}::uuid AND ${inScope(scope, sql`scope_code`)}`);
}

export async function listSimulations(q: Queryable, scope: string, limit: number): Promise<SimulationRow[]> {
  return q.rows<SimulationRow>(sql`SELECT ${SIM_COLUMNS} FROM entitlements.simulation WHERE ${inScope(scope, sql`scope_code`)} ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
}

/** Runs cut short by a restart: marked failed so nobody waits for them. */
export async function failInterruptedSimulations(q: Queryable, message: string): Promise<number> {
  const rows = await q.rows<{ id: string }>(sql`UPDATE entitlements.simulation SET status = 'failed', error = ${message}, finished_at = now()
    WHERE status IN ('queued', 'running') RETURNING id`);
  return rows.length;
}

// ---- grants and outreach (migrations/0008_grants.sql): 政策找人 / 免申即享 ----

export const CLAIM_SCHEMES = ['allowance', 'ltci', 'serviceSubsidy', 'basicBed'] as const;
export type ClaimScheme = (typeof CLAIM_SCHEMES)[number];

const eligibleSql = (scheme: ClaimScheme) =>
  scheme === 'allowance' ? sql`e.allowance_fen > 0` : scheme === 'ltci' ? sql`e.ltci_hours > 0` : scheme === 'serviceSubsidy' ? sql`e.subsidy_fen > 0` : sql`e.bed_tier IS NOT NULL`;
const noOpenGrant = (scheme: string) => sql`NOT EXISTS (SELECT 1 FROM entitlements.grant_record g
  WHERE g.person_id = e.person_id AND g.district_code = e.district_code AND g.scheme = ${scheme} AND g.status IN ('applied', 'granted'))`;

export interface UnclaimedRow {
  person_id: string;
  district_code: string;
  region_code: string;
  decisions: Record<string, unknown>;
  as_of: string;
  outreach_id: string | null;
  advisor_id: string | null;
}

/** People in scope whose stored decision makes them eligible for `scheme` and who have neither applied nor receive it. */
export async function unclaimed(q: Queryable, scope: string, scheme: ClaimScheme, region: string | null, afterId: string | null, limit: number): Promise<UnclaimedRow[]> {
  return q.rows<UnclaimedRow>(sql`SELECT e.person_id, e.district_code, e.region_code, e.decisions, to_char(e.as_of, 'YYYY-MM-DD') AS as_of, o.id AS outreach_id, o.advisor_id
    FROM entitlements.person_entitlement e
    LEFT JOIN entitlements.outreach o ON o.person_id = e.person_id AND o.district_code = e.district_code AND o.scheme = ${scheme} AND o.status = 'assigned'
    WHERE ${eligibleSql(scheme)} AND ${noOpenGrant(scheme)} AND ${inScope(scope, sql`e.region_code`)}
      ${region ? sql`AND e.region_code LIKE ${region + '%'}` : sql``} ${afterId ? sql`AND e.person_id > ${afterId}::uuid` : sql``}
    ORDER BY e.person_id LIMIT ${limit}`);
}

/** How many unclaimed per street (first 9 digits of the region code; district-level records under the district). */
export async function unclaimedByStreet(q: Queryable, scope: string, scheme: ClaimScheme, region: string | null): Promise<{ street_code: string; n: number }[]> {
  return q.rows(sql`SELECT left(e.region_code, 9) AS street_code, count(*)::int AS n FROM entitlements.person_entitlement e
    WHERE ${eligibleSql(scheme)} AND ${noOpenGrant(scheme)} AND ${inScope(scope, sql`e.region_code`)} ${region ? sql`AND e.region_code LIKE ${region + '%'}` : sql``}
    GROUP BY 1 ORDER BY 1`);
}

/** The stored rows of these people in scope (to re-check eligibility before granting). */
export async function entitlementsOf(q: Queryable, scope: string, personIds: readonly string[]): Promise<Map<string, EntitlementRow>> {
  if (personIds.length === 0) return new Map();
  const rows = await q.rows<EntitlementRow>(sql`SELECT district_code, person_id, region_code, to_char(as_of, 'YYYY-MM-DD') AS as_of, parameter_version, allowance_fen, allowance_band,
      ltci_hours::float8 AS ltci_hours, subsidy_fen, bed_tier, flags, decisions FROM entitlements.person_entitlement
    WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) AND ${inScope(scope)}`);
  return new Map(rows.map((r) => [r.person_id, r]));
}

export async function openGrantPeople(q: Queryable, personIds: readonly string[], scheme: string): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await q.rows<{ person_id: string }>(sql`SELECT person_id FROM entitlements.grant_record
    WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) AND scheme = ${scheme} AND status IN ('applied', 'granted')`);
  return new Set(rows.map((r) => r.person_id));
}

export interface GrantRow {
  district_code: string;
  id: string;
  person_id: string;
  region_code: string;
  scheme: string;
  status: 'applied' | 'granted' | 'refused' | 'stopped';
  channel: 'application' | 'no_application';
  applied_on: string | null;
  granted_from: string | null;
  stopped_on: string | null;
  reason: string | null;
  basis: Record<string, unknown>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export async function insertGrants(q: Queryable, rows: readonly Omit<GrantRow, 'created_at' | 'updated_at' | 'version' | 'stopped_on' | 'reason'>[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const col = <K extends keyof (typeof rows)[number]>(k: K, type: string, map: (v: (typeof rows)[number][K]) => unknown = (v) => v) => sql`${sql.param(rows.map((r) => map(r[k])))}::${sql.raw(type)}[]`;
  await q.run(sql`INSERT INTO entitlements.grant_record (district_code, id, person_id, region_code, scheme, status, channel, applied_on, granted_from, basis, created_by, created_at, updated_at)
    SELECT u.district_code, u.id, u.person_id, u.region_code, u.scheme, u.status, u.channel, u.applied_on, u.granted_from, u.basis::jsonb, u.created_by, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    FROM unnest(${col('district_code', 'text')}, ${col('id', 'uuid')}, ${col('person_id', 'uuid')}, ${col('region_code', 'text')}, ${col('scheme', 'text')}, ${col('status', 'text')},
      ${col('channel', 'text')}, ${col('applied_on', 'date')}, ${col('granted_from', 'date')}, ${col('basis', 'text', (b) => JSON.stringify(b))}, ${col('created_by', 'uuid')})
      AS u(district_code, id, person_id, region_code, scheme, status, channel, applied_on, granted_from, basis, created_by)`);
}

const GRANT_COLUMNS = sql`district_code, id, person_id, region_code, scheme, status, channel, to_char(applied_on, 'YYYY-MM-DD') AS applied_on,
  to_char(granted_from, 'YYYY-MM-DD') AS granted_from, to_char(stopped_on, 'YYYY-MM-DD') AS stopped_on, reason, basis, created_by,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at, version`;

export async function grantsOfPerson(q: Queryable, scope: string, personId: string): Promise<GrantRow[]> {
  return q.rows<GrantRow>(sql`SELECT ${GRANT_COLUMNS} FROM entitlements.grant_record WHERE person_id = ${personId}::uuid AND ${inScope(scope)} ORDER BY created_at, id`);
}

export interface OutreachRow {
  district_code: string;
  id: string;
  person_id: string;
  region_code: string;
  scheme: string;
  advisor_id: string;
  status: 'assigned' | 'done' | 'cancelled';
  note: string | null;
  created_at: string;
  updated_at: string;
}
const OUTREACH_COLUMNS = sql`district_code, id, person_id, region_code, scheme, advisor_id, status, note,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at`;

export async function insertOutreach(q: Queryable, rows: readonly Pick<OutreachRow, 'district_code' | 'id' | 'person_id' | 'region_code' | 'scheme' | 'advisor_id'>[], by: string, at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <K extends keyof (typeof rows)[number]>(k: K, type: string) => sql`${sql.param(rows.map((r) => r[k]))}::${sql.raw(type)}[]`;
  const done = await q.rows<{ id: string }>(sql`INSERT INTO entitlements.outreach (district_code, id, person_id, region_code, scheme, advisor_id, status, created_by, created_at, updated_at)
    SELECT u.district_code, u.id, u.person_id, u.region_code, u.scheme, u.advisor_id, 'assigned', ${by}::uuid, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    FROM unnest(${col('district_code', 'text')}, ${col('id', 'uuid')}, ${col('person_id', 'uuid')}, ${col('region_code', 'text')}, ${col('scheme', 'text')}, ${col('advisor_id', 'uuid')})
      AS u(district_code, id, person_id, region_code, scheme, advisor_id)
    ON CONFLICT (district_code, person_id, scheme) WHERE status = 'assigned' DO NOTHING RETURNING id`);
  return done.length;
}

export async function listOutreach(q: Queryable, scope: string, f: { advisorId?: string; status?: OutreachRow['status'] }, limit: number): Promise<OutreachRow[]> {
  return q.rows<OutreachRow>(sql`SELECT ${OUTREACH_COLUMNS} FROM entitlements.outreach WHERE ${inScope(scope)}
    ${f.advisorId ? sql`AND advisor_id = ${f.advisorId}::uuid` : sql``} ${f.status ? sql`AND status = ${f.status}` : sql``}
    ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
}

export async function getOutreach(q: Queryable, scope: string, id: string): Promise<OutreachRow | null> {
  return q.one<OutreachRow>(sql`SELECT ${OUTREACH_COLUMNS} FROM entitlements.outreach WHERE id = ${id}::uuid AND ${inScope(scope)}`);
}

export async function closeOutreach(q: Queryable, scope: string, id: string, status: 'done' | 'cancelled', note: string | null, at: Date): Promise<boolean> {
  const rows = await q.rows(sql`UPDATE entitlements.outreach SET status = ${status}, note = ${note}, updated_at = ${at.toISOString()}::timestamptz
    WHERE id = ${id}::uuid AND status = 'assigned' AND ${inScope(scope)} RETURNING id`);
  return rows.length === 1;
}

// ---- the monthly payment run (migrations/0009_payments.sql) ----

export interface BatchRow {
  district_code: string;
  id: string;
  scheme: string;
  month: string;
  status: 'draft' | 'approved' | 'exported' | 'reconciled';
  parameter_version: string;
  rules: Record<string, unknown>;
  people: number;
  lines: number;
  regular_fen: number;
  arrears_fen: number;
  recovery_fen: number;
  net_fen: number;
  created_by: string | null;
  created_at: string;
  computed_at: string;
  approved_by: string | null;
  approved_at: string | null;
  exported_at: string | null;
  reconciled_at: string | null;
}
const ts = (c: string) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS ${c}`);
const BATCH_COLUMNS = sql`district_code, id, scheme, month, status, parameter_version, rules, people, lines, regular_fen::float8 AS regular_fen, arrears_fen::float8 AS arrears_fen,
  recovery_fen::float8 AS recovery_fen, net_fen::float8 AS net_fen, created_by, ${ts('created_at')}, ${ts('computed_at')}, approved_by, ${ts('approved_at')}, ${ts('exported_at')}, ${ts('reconciled_at')}`;

export async function batchFor(q: Queryable, district: string, scheme: string, month: string): Promise<BatchRow | null> {
  return q.one<BatchRow>(sql`SELECT ${BATCH_COLUMNS} FROM entitlements.payment_batch WHERE district_code = ${district} AND scheme = ${scheme} AND month = ${month} FOR UPDATE`);
}

export async function getBatch(q: Queryable, scope: string, id: string): Promise<BatchRow | null> {
  return q.one<BatchRow>(sql`SELECT ${BATCH_COLUMNS} FROM entitlements.payment_batch WHERE id = ${id}::uuid AND ${inScope(scope, sql`district_code`)}`);
}

export async function listBatches(q: Queryable, scope: string, f: { scheme?: string; districtCode?: string }, limit: number): Promise<BatchRow[]> {
  return q.rows<BatchRow>(sql`SELECT ${BATCH_COLUMNS} FROM entitlements.payment_batch WHERE ${inScope(scope, sql`district_code`)}
    ${f.scheme ? sql`AND scheme = ${f.scheme}` : sql``} ${f.districtCode ? sql`AND district_code = ${f.districtCode}` : sql``}
    ORDER BY month DESC, district_code, scheme LIMIT ${limit}`);
}

export async function saveBatch(q: Queryable, b: Omit<BatchRow, 'created_at' | 'computed_at' | 'approved_by' | 'approved_at' | 'exported_at' | 'reconciled_at'>, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO entitlements.payment_batch (district_code, id, scheme, month, status, parameter_version, rules, people, lines, regular_fen, arrears_fen, recovery_fen, net_fen, created_by, created_at, computed_at)
    VALUES (${b.district_code}, ${b.id}::uuid, ${b.scheme}, ${b.month}, ${b.status}, ${b.parameter_version}, ${JSON.stringify(b.rules)}::jsonb, ${b.people}, ${b.lines},
      ${b.regular_fen}, ${b.arrears_fen}, ${b.recovery_fen}, ${b.net_fen}, ${b.created_by}::uuid, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)
    ON CONFLICT (district_code, id) DO UPDATE SET parameter_version = EXCLUDED.parameter_version, rules = EXCLUDED.rules, people = EXCLUDED.people, lines = EXCLUDED.lines,
      regular_fen = EXCLUDED.regular_fen, arrears_fen = EXCLUDED.arrears_fen, recovery_fen = EXCLUDED.recovery_fen, net_fen = EXCLUDED.net_fen, computed_at = EXCLUDED.computed_at`);
}

export async function setBatchStatus(q: Queryable, district: string, id: string, from: BatchRow['status'][], to: BatchRow['status'], by: string | null, at: Date): Promise<boolean> {
  const col = to === 'approved' ? sql`approved_at = ${at.toISOString()}::timestamptz, approved_by = ${by}::uuid` : to === 'exported' ? sql`exported_at = ${at.toISOString()}::timestamptz` : sql`reconciled_at = ${at.toISOString()}::timestamptz`;
  const rows = await q.rows(sql`UPDATE entitlements.payment_batch SET status = ${to}, ${col}
    WHERE district_code = ${district} AND id = ${id}::uuid AND status = ANY(${sql.param(from)}::text[]) RETURNING id`);
  return rows.length === 1;
}

/** The open (or stopped-in-the-window) grants of a scheme in a district, for a run. */
export async function grantsForRun(q: Queryable, scheme: string, district: string): Promise<{ person_id: string; region_code: string; applied_on: string | null; granted_from: string; stopped_on: string | null }[]> {
  return q.rows(sql`SELECT person_id, region_code, to_char(applied_on, 'YYYY-MM-DD') AS applied_on, to_char(granted_from, 'YYYY-MM-DD') AS granted_from, to_char(stopped_on, 'YYYY-MM-DD') AS stopped_on
    FROM entitlements.grant_record WHERE district_code = ${district} AND scheme = ${scheme} AND (status = 'granted' OR (status = 'stopped' AND granted_from IS NOT NULL))
    ORDER BY person_id`);
}

/** What was paid (or is being paid) per person and month by batches other than `except`; returned payments do not count. */
export async function paidByMonth(q: Queryable, scheme: string, personIds: readonly string[], except: string | null): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (personIds.length === 0) return out;
  const rows = await q.rows<{ person_id: string; for_month: string; fen: number }>(sql`SELECT person_id, for_month, sum(amount_fen)::int AS fen FROM entitlements.payment_line
    WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) AND scheme = ${scheme} AND status <> 'returned' ${except ? sql`AND batch_id <> ${except}::uuid` : sql``}
    GROUP BY person_id, for_month`);
  for (const r of rows) {
    let m = out.get(r.person_id);
    if (!m) out.set(r.person_id, (m = new Map()));
    m.set(r.for_month, r.fen);
  }
  return out;
}

export interface LineRow {
  district_code: string;
  id: string;
  batch_id: string;
  seq: number;
  person_id: string;
  region_code: string;
  scheme: string;
  for_month: string;
  kind: 'regular' | 'arrears' | 'recovery';
  amount_fen: number;
  band: string | null;
  reason: string;
  status: 'pending' | 'paid' | 'returned';
  return_reason: string | null;
}

export async function replaceLines(q: Queryable, district: string, batchId: string, rows: readonly Omit<LineRow, 'status' | 'return_reason'>[]): Promise<void> {
  await q.run(sql`DELETE FROM entitlements.payment_line WHERE district_code = ${district} AND batch_id = ${batchId}::uuid`);
  const CHUNK = 5000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const col = <K extends keyof (typeof part)[number]>(k: K, type: string) => sql`${sql.param(part.map((r) => r[k]))}::${sql.raw(type)}[]`;
    await q.run(sql`INSERT INTO entitlements.payment_line (district_code, id, batch_id, seq, person_id, region_code, scheme, for_month, kind, amount_fen, band, reason)
      SELECT * FROM unnest(${col('district_code', 'text')}, ${col('id', 'uuid')}, ${col('batch_id', 'uuid')}, ${col('seq', 'int4')}, ${col('person_id', 'uuid')}, ${col('region_code', 'text')},
        ${col('scheme', 'text')}, ${col('for_month', 'text')}, ${col('kind', 'text')}, ${col('amount_fen', 'int4')}, ${col('band', 'text')}, ${col('reason', 'text')})`);
  }
}

export async function linesOf(q: Queryable, scope: string, batchId: string, kind?: 'payments' | 'recoveries'): Promise<LineRow[]> {
  return q.rows<LineRow>(sql`SELECT district_code, id, batch_id, seq, person_id, region_code, scheme, for_month, kind, amount_fen, band, reason, status, return_reason
    FROM entitlements.payment_line WHERE batch_id = ${batchId}::uuid AND ${inScope(scope)}
    ${kind === 'payments' ? sql`AND amount_fen > 0` : kind === 'recoveries' ? sql`AND amount_fen < 0` : sql``} ORDER BY seq`);
}

/** Reconciliation: the listed payments returned by the bank (with the reason), the other payments of the batch paid. */
export async function reconcileLines(q: Queryable, district: string, batchId: string, returned: readonly { seq: number; reason: string }[]): Promise<{ paid: number; returned: number }> {
  const ret = await q.rows(sql`UPDATE entitlements.payment_line l SET status = 'returned', return_reason = u.reason
    FROM unnest(${sql.param(returned.map((r) => r.seq))}::int4[], ${sql.param(returned.map((r) => r.reason))}::text[]) AS u(seq, reason)
    WHERE l.district_code = ${district} AND l.batch_id = ${batchId}::uuid AND l.seq = u.seq AND l.amount_fen > 0 RETURNING l.id`);
  const paid = await q.rows(sql`UPDATE entitlements.payment_line SET status = 'paid'
    WHERE district_code = ${district} AND batch_id = ${batchId}::uuid AND status = 'pending' AND amount_fen > 0 RETURNING id`);
  return { paid: paid.length, returned: ret.length };
}

// ---- e-vouchers (migrations/0010_vouchers.sql) ----

export interface VoucherEntryRow {
  id: string;
  person_id: string;
  kind: 'credit' | 'reverse' | 'redeem';
  amount_fen: number;
  balance_after: number;
  for_month: string | null;
  batch_id: string | null;
  provider_id: string | null;
  provider_name: string | null;
  service: string | null;
  note: string | null;
  created_at: string;
}
const ENTRY_COLUMNS = sql`id, person_id, kind, amount_fen::float8 AS amount_fen, balance_after::float8 AS balance_after, for_month, batch_id, provider_id, provider_name, service, note, ${ts('created_at')}`;

/** Lock (creating if needed) a person's account and return its balance. */
export async function lockAccount(q: Queryable, district: string, personId: string, region: string, at: Date): Promise<number> {
  await q.run(sql`INSERT INTO entitlements.voucher_account (district_code, person_id, region_code, balance_fen, updated_at)
    VALUES (${district}, ${personId}::uuid, ${region}, 0, ${at.toISOString()}::timestamptz) ON CONFLICT (district_code, person_id) DO NOTHING`);
  const r = await q.one<{ balance_fen: number }>(sql`SELECT balance_fen::float8 AS balance_fen FROM entitlements.voucher_account
    WHERE district_code = ${district} AND person_id = ${personId}::uuid FOR UPDATE`);
  return r?.balance_fen ?? 0;
}

export async function addEntry(q: Queryable, e: { district_code: string; id: string; person_id: string; region_code: string; kind: VoucherEntryRow['kind']; amount_fen: number; balance_after: number; for_month?: string | null; batch_id?: string | null; provider_id?: string | null; provider_name?: string | null; service?: string | null; idempotency_key?: string | null; note?: string | null }, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO entitlements.voucher_entry (district_code, id, person_id, region_code, kind, amount_fen, balance_after, for_month, batch_id, provider_id, provider_name, service, idempotency_key, note, created_at)
    VALUES (${e.district_code}, ${e.id}::uuid, ${e.person_id}::uuid, ${e.region_code}, ${e.kind}, ${e.amount_fen}, ${e.balance_after}, ${e.for_month ?? null}, ${e.batch_id ?? null}::uuid,
      ${e.provider_id ?? null}::uuid, ${e.provider_name ?? null}, ${e.service ?? null}, ${e.idempotency_key ?? null}, ${e.note ?? null}, ${at.toISOString()}::timestamptz)`);
  await q.run(sql`UPDATE entitlements.voucher_account SET balance_fen = ${e.balance_after}, updated_at = ${at.toISOString()}::timestamptz
    WHERE district_code = ${e.district_code} AND person_id = ${e.person_id}::uuid`);
}

export async function entryByKey(q: Queryable, providerId: string, key: string): Promise<VoucherEntryRow | null> {
  return q.one<VoucherEntryRow>(sql`SELECT ${ENTRY_COLUMNS} FROM entitlements.voucher_entry WHERE provider_id = ${providerId}::uuid AND idempotency_key = ${key}`);
}

export async function accountOf(q: Queryable, scope: string, personId: string): Promise<{ balance: number; entries: VoucherEntryRow[] }> {
  const acc = await q.one<{ balance_fen: number }>(sql`SELECT balance_fen::float8 AS balance_fen FROM entitlements.voucher_account WHERE person_id = ${personId}::uuid AND ${inScope(scope)}`);
  const entries = await q.rows<VoucherEntryRow>(sql`SELECT ${ENTRY_COLUMNS} FROM entitlements.voucher_entry WHERE person_id = ${personId}::uuid AND ${inScope(scope)} ORDER BY created_at DESC, id DESC LIMIT 500`);
  return { balance: acc?.balance_fen ?? 0, entries };
}

/** Redemptions of a month, per provider (what each provider is paid), in scope. */
export async function redemptionsByProvider(q: Queryable, scope: string, month: string, providerId: string | null): Promise<{ provider_id: string; provider_name: string; redemptions: number; people: number; total_fen: number }[]> {
  return q.rows(sql`SELECT provider_id, max(provider_name) AS provider_name, count(*)::int AS redemptions, count(DISTINCT person_id)::int AS people, (-sum(amount_fen))::float8 AS total_fen
    FROM entitlements.voucher_entry WHERE kind = 'redeem' AND to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${month} AND ${inScope(scope)}
      ${providerId ? sql`AND provider_id = ${providerId}::uuid` : sql``}
    GROUP BY provider_id ORDER BY provider_name`);
}

export async function providerRedemptions(q: Queryable, providerId: string, month: string): Promise<(VoucherEntryRow & { region_code: string })[]> {
  return q.rows(sql`SELECT ${ENTRY_COLUMNS}, region_code FROM entitlements.voucher_entry
    WHERE kind = 'redeem' AND provider_id = ${providerId}::uuid AND to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = ${month} ORDER BY created_at`);
}


/** Every stored row eligible for a scheme (demo seeding; whole jurisdiction). */
export async function eligibleRows(q: Queryable, scheme: ClaimScheme): Promise<EntitlementRow[]> {
  return q.rows<EntitlementRow>(sql`SELECT e.district_code, e.person_id, e.region_code, to_char(e.as_of, 'YYYY-MM-DD') AS as_of, e.parameter_version, e.decisions
    FROM entitlements.person_entitlement e WHERE ${eligibleSql(scheme)} ORDER BY e.person_id`);
}
