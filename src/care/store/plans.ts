// SQL of care plans and visit orders (migrations/0016_care.sql). Reads in a caller's transaction
// are scoped by row-level security (the person's region_code under the caller's scope).
import { sql, type Queryable, type SQL } from '../../platform/db.ts';
import type { PlanSlot } from '../model.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);
const day = (c: string, as = c) => sql.raw(`to_char(${c}, 'YYYY-MM-DD') AS ${as}`);

export type PlanStatus = 'draft' | 'confirmed' | 'ended' | 'cancelled';

export interface PlanRow {
  id: string; person_id: string; region_code: string; district_code: string; provider_id: string; status: PlanStatus; care_grade: number; weekly_minutes: number;
  items: { code: string; name: string; kind: string }[]; slots: PlanSlot[]; valid_from: string; valid_to: string; note: string | null;
  drafted_by: string | null; confirmed_by: string | null; confirmed_at: string | null; created_at: string; updated_at: string;
}
const PLAN_COLUMNS = sql`id, person_id, region_code, district_code, provider_id, status, care_grade, weekly_minutes, items, slots, ${day('valid_from')}, ${day('valid_to')}, note,
  drafted_by, confirmed_by, ${ts('confirmed_at')}, ${ts('created_at')}, ${ts('updated_at')}`;

export type PlanWrite = Omit<PlanRow, 'created_at' | 'updated_at'>;

export async function insertPlan(q: Queryable, r: PlanWrite, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.plan (id, person_id, region_code, district_code, provider_id, status, care_grade, weekly_minutes, items, slots, valid_from, valid_to, note,
      drafted_by, confirmed_by, confirmed_at, created_at, updated_at)
    VALUES (${r.id}::uuid, ${r.person_id}::uuid, ${r.region_code}, ${r.district_code}, ${r.provider_id}::uuid, ${r.status}, ${r.care_grade}, ${r.weekly_minutes},
      ${JSON.stringify(r.items)}::jsonb, ${JSON.stringify(r.slots)}::jsonb, ${r.valid_from}::date, ${r.valid_to}::date, ${r.note}, ${r.drafted_by}::uuid, ${r.confirmed_by}::uuid,
      ${r.confirmed_at}::timestamptz, ${at.toISOString()}, ${at.toISOString()})`);
}

export async function updatePlan(q: Queryable, r: PlanWrite, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.plan SET status = ${r.status}, care_grade = ${r.care_grade}, weekly_minutes = ${r.weekly_minutes}, items = ${JSON.stringify(r.items)}::jsonb,
      slots = ${JSON.stringify(r.slots)}::jsonb, valid_from = ${r.valid_from}::date, valid_to = ${r.valid_to}::date, note = ${r.note}, confirmed_by = ${r.confirmed_by}::uuid,
      confirmed_at = ${r.confirmed_at}::timestamptz, updated_at = ${at.toISOString()}
    WHERE id = ${r.id}::uuid`);
}

export async function getPlan(q: Queryable, id: string, forUpdate = false): Promise<PlanRow | null> {
  return q.one<PlanRow>(sql`SELECT ${PLAN_COLUMNS} FROM care.plan WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function listPlans(q: Queryable, f: { personId?: string; providerId?: string; status?: PlanStatus; personIds?: readonly string[] }): Promise<PlanRow[]> {
  const parts: SQL[] = [sql`true`];
  if (f.personId) parts.push(sql`person_id = ${f.personId}::uuid`);
  if (f.personIds) parts.push(sql`person_id = ANY(${sql.param([...f.personIds])}::uuid[])`);
  if (f.providerId) parts.push(sql`provider_id = ${f.providerId}::uuid`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  return q.rows<PlanRow>(sql`SELECT ${PLAN_COLUMNS} FROM care.plan WHERE ${sql.join(parts, sql` AND `)} ORDER BY created_at DESC LIMIT 500`);
}

/** Confirmed plans still in force on a date (the daily extension of their orders). */
export async function confirmedPlans(q: Queryable, on: string): Promise<PlanRow[]> {
  return q.rows<PlanRow>(sql`SELECT ${PLAN_COLUMNS} FROM care.plan WHERE status = 'confirmed' AND valid_to >= ${on}::date ORDER BY id`);
}

// ---------------------------------------------------------------------------------------------
// Visit orders

export type OrderStatus = 'open' | 'assigned' | 'in_progress' | 'done' | 'cancelled' | 'missed';

export interface OrderRow {
  id: string; person_id: string; region_code: string; district_code: string; provider_id: string; plan_id: string | null; payer: 'ltci' | 'self'; kind: string; items: string[];
  starts_at: string; minutes: number; price_fen_per_hour: number | null; caregiver_id: string | null; status: OrderStatus; created_at: string; updated_at: string;
}
const ORDER_COLUMNS = sql`id, person_id, region_code, district_code, provider_id, plan_id, payer, kind, items, ${ts('starts_at')}, minutes, price_fen_per_hour, caregiver_id, status,
  ${ts('created_at')}, ${ts('updated_at')}`;

export type OrderWrite = Omit<OrderRow, 'created_at' | 'updated_at'>;

/** Insert orders; a plan's slot already ordered is skipped (idempotent extension). Returns how many were new. */
export async function insertOrders(q: Queryable, rows: readonly OrderWrite[], at: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const col = <T>(f: (r: OrderWrite) => T, type: string) => sql`${sql.param(rows.map(f))}::${sql.raw(type)}[]`;
  return q.run(sql`INSERT INTO care.visit_order (id, person_id, region_code, district_code, provider_id, plan_id, payer, kind, items, starts_at, minutes, price_fen_per_hour, caregiver_id, status, created_at, updated_at)
    SELECT u.id, u.person_id, u.region_code, u.district_code, u.provider_id, u.plan_id, u.payer, u.kind, string_to_array(u.items, ','), u.starts_at, u.minutes, u.price, u.caregiver_id, u.status, ${at.toISOString()}, ${at.toISOString()}
    FROM unnest(${col((r) => r.id, 'uuid')}, ${col((r) => r.person_id, 'uuid')}, ${col((r) => r.region_code, 'text')}, ${col((r) => r.district_code, 'text')},
      ${col((r) => r.provider_id, 'uuid')}, ${col((r) => r.plan_id, 'uuid')}, ${col((r) => r.payer, 'text')}, ${col((r) => r.kind, 'text')}, ${col((r) => r.items.join(','), 'text')},
      ${col((r) => r.starts_at, 'timestamptz')}, ${col((r) => r.minutes, 'int')}, ${col((r) => r.price_fen_per_hour, 'int')}, ${col((r) => r.caregiver_id, 'uuid')}, ${col((r) => r.status, 'text')})
      AS u(id, person_id, region_code, district_code, provider_id, plan_id, payer, kind, items, starts_at, minutes, price, caregiver_id, status)
    ON CONFLICT (plan_id, starts_at) WHERE plan_id IS NOT NULL DO NOTHING`);
}

export async function getOrder(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | null> {
  return q.one<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.visit_order WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function ordersOf(q: Queryable, ids: readonly string[], forUpdate = false): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  return q.rows<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.visit_order WHERE id = ANY(${sql.param([...ids])}::uuid[]) ORDER BY id ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

/** The planned minutes of some orders (what the anomaly checks need of them). */
export async function plannedMinutes(q: Queryable, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await q.rows<{ id: string; minutes: number }>(sql`SELECT id, minutes FROM care.visit_order WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
  return new Map(rows.map((r) => [r.id, r.minutes]));
}

/** Set the status of several orders (one statement). */
export async function setOrderStatuses(q: Queryable, items: ReadonlyMap<string, OrderStatus>, at: Date): Promise<void> {
  if (items.size === 0) return;
  await q.run(sql`UPDATE care.visit_order o SET status = u.status, updated_at = ${at.toISOString()}::timestamptz
    FROM unnest(${sql.param([...items.keys()])}::uuid[], ${sql.param([...items.values()])}::text[]) AS u(id, status) WHERE o.id = u.id`);
}

export interface OrderFilter { providerId?: string; caregiverId?: string; personId?: string; personIds?: readonly string[]; from: string; to: string; status?: OrderStatus }

/** Orders starting in [from, to) (instants), in time order. */
export async function listOrders(q: Queryable, f: OrderFilter): Promise<OrderRow[]> {
  const parts: SQL[] = [sql`starts_at >= ${f.from}::timestamptz`, sql`starts_at < ${f.to}::timestamptz`];
  if (f.providerId) parts.push(sql`provider_id = ${f.providerId}::uuid`);
  if (f.caregiverId) parts.push(sql`caregiver_id = ${f.caregiverId}::uuid`);
  if (f.personId) parts.push(sql`person_id = ${f.personId}::uuid`);
  if (f.personIds) parts.push(sql`person_id = ANY(${sql.param([...f.personIds])}::uuid[])`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  return q.rows<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.visit_order WHERE ${sql.join(parts, sql` AND `)} ORDER BY starts_at, id LIMIT 20000`);
}

/** Assign (or unassign) orders to caregivers; only open or assigned orders change. */
export async function assignOrders(q: Queryable, items: readonly { id: string; caregiverId: string | null; startsAt?: string }[], at: Date): Promise<number> {
  if (items.length === 0) return 0;
  return q.run(sql`UPDATE care.visit_order o SET caregiver_id = u.caregiver_id, starts_at = coalesce(u.starts_at, o.starts_at),
      status = CASE WHEN u.caregiver_id IS NULL THEN 'open' ELSE 'assigned' END, updated_at = ${at.toISOString()}
    FROM unnest(${sql.param(items.map((i) => i.id))}::uuid[], ${sql.param(items.map((i) => i.caregiverId))}::uuid[], ${sql.param(items.map((i) => i.startsAt ?? null))}::timestamptz[]) AS u(id, caregiver_id, starts_at)
    WHERE o.id = u.id AND o.status IN ('open', 'assigned')`);
}

export async function setOrderStatus(q: Queryable, id: string, status: OrderStatus, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.visit_order SET status = ${status}, updated_at = ${at.toISOString()} WHERE id = ${id}::uuid`);
}

/** Cancel a plan's future orders that no visit has started (a plan ended or replaced). */
export async function cancelFutureOrders(q: Queryable, planId: string, from: Date, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.visit_order SET status = 'cancelled', updated_at = ${at.toISOString()}
    WHERE plan_id = ${planId}::uuid AND starts_at >= ${from.toISOString()} AND status IN ('open', 'assigned')`);
}
