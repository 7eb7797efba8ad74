// All SQL of community meals (issue 8 §7): menus per point, day and meal; orders with their
// figures; the lock that makes the daily capacity hold under concurrent orders; the point's day;
// and the daily counts per point. Every function takes the transaction handle first; the use cases
// run reads of one caller's data in that caller's scope (row-level security: the point's region or,
// for an order, the person's), and the daily counts filter by the scope as well.
import { inScope, sql, type Queryable } from '../../platform/db.ts';
import type { Meal, Mode, OrderStatus, Figure } from '../meals.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);

// ---------------------------------------------------------------------------------------------
// Menus

export interface Dish { name: string; note: string | null }

export interface MenuRow {
  id: string; facility_id: string; region_code: string; district_code: string; meal_date: string; meal: Meal; dishes: Dish[]; price_fen: number;
  delivery: boolean; delivery_fee_fen: number; note: string | null; published_by: string | null; published_role: string; published_at: string; updated_at: string;
}
const MENU_COLUMNS = sql`id, facility_id, region_code, district_code, to_char(meal_date, 'YYYY-MM-DD') AS meal_date, meal, dishes, price_fen, delivery, delivery_fee_fen,
  note, published_by, published_role, ${ts('published_at')}, ${ts('updated_at')}`;

export type MenuWrite = Omit<MenuRow, 'published_at' | 'updated_at'>;

/** Publish a day's menu for a meal, or replace it (same point, day and meal); returns the row's id. */
export async function upsertMenu(q: Queryable, m: MenuWrite, at: Date): Promise<string> {
  const r = await q.one<{ id: string }>(sql`INSERT INTO care.meal_menu (id, facility_id, region_code, district_code, meal_date, meal, dishes, price_fen, delivery, delivery_fee_fen,
      note, published_by, published_role, published_at, updated_at)
    VALUES (${m.id}::uuid, ${m.facility_id}::uuid, ${m.region_code}, ${m.district_code}, ${m.meal_date}::date, ${m.meal}, ${JSON.stringify(m.dishes)}::jsonb, ${m.price_fen},
      ${m.delivery}, ${m.delivery_fee_fen}, ${m.note}, ${m.published_by}::uuid, ${m.published_role}, ${at.toISOString()}, ${at.toISOString()})
    ON CONFLICT (facility_id, meal_date, meal) DO UPDATE SET dishes = EXCLUDED.dishes, price_fen = EXCLUDED.price_fen, delivery = EXCLUDED.delivery,
      delivery_fee_fen = EXCLUDED.delivery_fee_fen, note = EXCLUDED.note, published_by = EXCLUDED.published_by, published_role = EXCLUDED.published_role,
      updated_at = EXCLUDED.updated_at
    RETURNING id`);
  return r!.id;
}

/** Write many new menus at once (the demo seed). */
export async function insertMenus(q: Queryable, rows: readonly MenuWrite[], at: Date): Promise<void> {
  const now = at.toISOString();
  for (let i = 0; i < rows.length; i += CHUNK_MENUS) {
    const values = rows.slice(i, i + CHUNK_MENUS).map((m) => sql`(${m.id}::uuid, ${m.facility_id}::uuid, ${m.region_code}, ${m.district_code}, ${m.meal_date}::date, ${m.meal},
      ${JSON.stringify(m.dishes)}::jsonb, ${m.price_fen}, ${m.delivery}, ${m.delivery_fee_fen}, ${m.note}, ${m.published_by}::uuid, ${m.published_role}, ${now}::timestamptz, ${now}::timestamptz)`);
    await q.run(sql`INSERT INTO care.meal_menu (id, facility_id, region_code, district_code, meal_date, meal, dishes, price_fen, delivery, delivery_fee_fen, note, published_by,
        published_role, published_at, updated_at) VALUES ${sql.join(values, sql`, `)}`);
  }
}
const CHUNK_MENUS = 1000;

/** Menus of some points (all points when `facilityIds` is null) from one day to another, both included. */
export async function menusBetween(q: Queryable, facilityIds: readonly string[] | null, from: string, to: string): Promise<MenuRow[]> {
  if (facilityIds && facilityIds.length === 0) return [];
  return q.rows<MenuRow>(sql`SELECT ${MENU_COLUMNS} FROM care.meal_menu
    WHERE meal_date BETWEEN ${from}::date AND ${to}::date ${facilityIds ? sql`AND facility_id = ANY(${sql.param([...facilityIds])}::uuid[])` : sql``}
    ORDER BY meal_date, CASE meal WHEN 'breakfast' THEN 0 WHEN 'lunch' THEN 1 ELSE 2 END, facility_id`);
}

export async function getMenu(q: Queryable, facilityId: string, date: string, meal: Meal): Promise<MenuRow | null> {
  return q.one<MenuRow>(sql`SELECT ${MENU_COLUMNS} FROM care.meal_menu WHERE facility_id = ${facilityId}::uuid AND meal_date = ${date}::date AND meal = ${meal}`);
}

/** The points that have any menu from a day on (the demo seed's check). */
export async function countMenus(q: Queryable): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_menu`))?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Capacity: one order at a time per point and day

/**
 * Lock a point's day: every menu row of the point for the day, in id order, FOR UPDATE, held to
 * commit. An order needs a menu of its day, and menus are never deleted, so any two orders of the
 * same point and day both lock the day's first menu: the second waits, then counts the first's
 * order (read committed: each statement sees what committed before it), so the capacity holds.
 * Orders of other points or days do not wait.
 */
export async function lockDay(q: Queryable, facilityId: string, date: string): Promise<number> {
  const rows = await q.rows(sql`SELECT id FROM care.meal_menu WHERE facility_id = ${facilityId}::uuid AND meal_date = ${date}::date ORDER BY id FOR UPDATE`);
  return rows.length;
}

/** Meals ordered (not cancelled) at a point for a day. */
export async function takenOn(q: Queryable, facilityId: string, date: string): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT coalesce(sum(quantity), 0)::int AS n FROM care.meal_order
    WHERE facility_id = ${facilityId}::uuid AND meal_date = ${date}::date AND status <> 'cancelled'`))?.n ?? 0;
}

/** Meals ordered (not cancelled) per point and day, for some points (all when null) and days. */
export async function takenBetween(q: Queryable, facilityIds: readonly string[] | null, from: string, to: string): Promise<{ facility_id: string; meal_date: string; n: number }[]> {
  if (facilityIds && facilityIds.length === 0) return [];
  return q.rows(sql`SELECT facility_id, to_char(meal_date, 'YYYY-MM-DD') AS meal_date, coalesce(sum(quantity), 0)::int AS n FROM care.meal_order
    WHERE meal_date BETWEEN ${from}::date AND ${to}::date AND status <> 'cancelled' ${facilityIds ? sql`AND facility_id = ANY(${sql.param([...facilityIds])}::uuid[])` : sql``}
    GROUP BY facility_id, meal_date`);
}

// ---------------------------------------------------------------------------------------------
// Orders

export interface OrderRow {
  id: string; menu_id: string; facility_id: string; region_code: string; district_code: string; person_id: string; person_region_code: string; person_district_code: string;
  meal_date: string; meal: Meal; mode: Mode; quantity: number; status: OrderStatus; meal_fen: number; delivery_fee_fen: number; price_fen: number; subsidy_fen: number; pays_fen: number;
  subsidy_group: string | null; figures: Figure[]; parameter_version: string; delivery_address_enc: string | null; delivery_address_masked: string | null;
  contact_phone_enc: string | null; contact_phone_masked: string | null; note: string | null; ordered_by: string | null; ordered_role: string; relation: string;
  created_at: string; updated_at: string; cancelled_at: string | null; cancel_reason: string | null; served_at: string | null;
}
const ORDER_COLUMNS = sql`id, menu_id, facility_id, region_code, district_code, person_id, person_region_code, person_district_code, to_char(meal_date, 'YYYY-MM-DD') AS meal_date,
  meal, mode, quantity, status, meal_fen, delivery_fee_fen, price_fen, subsidy_fen, pays_fen, subsidy_group, figures, parameter_version, delivery_address_enc, delivery_address_masked,
  contact_phone_enc, contact_phone_masked, note, ordered_by, ordered_role, relation, ${ts('created_at')}, ${ts('updated_at')}, ${ts('cancelled_at')}, cancel_reason, ${ts('served_at')}`;

export type OrderWrite = Omit<OrderRow, 'created_at' | 'updated_at' | 'cancelled_at' | 'cancel_reason' | 'served_at'>;

/** Rows per INSERT statement of the batch writes (well under PostgreSQL's 65,535 parameters). */
const CHUNK = 500;

export async function insertOrders(q: Queryable, rows: readonly OrderWrite[], at: Date): Promise<void> {
  const now = at.toISOString();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((o) => sql`(${o.id}::uuid, ${o.menu_id}::uuid, ${o.facility_id}::uuid, ${o.region_code}, ${o.district_code}, ${o.person_id}::uuid,
      ${o.person_region_code}, ${o.person_district_code}, ${o.meal_date}::date, ${o.meal}, ${o.mode}, ${o.quantity}, ${o.status}, ${o.meal_fen}, ${o.delivery_fee_fen}, ${o.price_fen},
      ${o.subsidy_fen}, ${o.pays_fen}, ${o.subsidy_group}, ${JSON.stringify(o.figures)}::jsonb, ${o.parameter_version}, ${o.delivery_address_enc}, ${o.delivery_address_masked},
      ${o.contact_phone_enc}, ${o.contact_phone_masked}, ${o.note}, ${o.ordered_by}::uuid, ${o.ordered_role}, ${o.relation}, ${now}::timestamptz, ${now}::timestamptz,
      ${o.status === 'served' || o.status === 'delivered' ? now : null}::timestamptz, ${o.status === 'cancelled' ? now : null}::timestamptz)`);
    await q.run(sql`INSERT INTO care.meal_order (id, menu_id, facility_id, region_code, district_code, person_id, person_region_code, person_district_code, meal_date, meal, mode, quantity,
        status, meal_fen, delivery_fee_fen, price_fen, subsidy_fen, pays_fen, subsidy_group, figures, parameter_version, delivery_address_enc, delivery_address_masked, contact_phone_enc,
        contact_phone_masked, note, ordered_by, ordered_role, relation, created_at, updated_at, served_at, cancelled_at)
      VALUES ${sql.join(values, sql`, `)}`);
  }
}

export async function getOrder(q: Queryable, id: string, forUpdate = false): Promise<OrderRow | null> {
  return q.one<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.meal_order WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

/** The person's open order for a day and meal (at most one: a unique index). */
export async function openOrderOf(q: Queryable, personId: string, date: string, meal: Meal): Promise<OrderRow | null> {
  return q.one<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.meal_order WHERE person_id = ${personId}::uuid AND meal_date = ${date}::date AND meal = ${meal} AND status <> 'cancelled'`);
}

/** How many of the person's orders for a day (not cancelled) carry a subsidy: the per-day limit. */
export async function subsidisedOn(q: Queryable, personId: string, date: string): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_order
    WHERE person_id = ${personId}::uuid AND meal_date = ${date}::date AND status <> 'cancelled' AND subsidy_fen > 0`))?.n ?? 0;
}

export async function cancelOrder(q: Queryable, id: string, by: string | null, reason: string | null, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.meal_order SET status = 'cancelled', cancelled_at = ${at.toISOString()}, cancelled_by = ${by}::uuid, cancel_reason = ${reason}, updated_at = ${at.toISOString()}
    WHERE id = ${id}::uuid AND status = 'ordered'`);
}

export async function serveOrder(q: Queryable, id: string, to: 'served' | 'delivered', by: string | null, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.meal_order SET status = ${to}, served_at = ${at.toISOString()}, served_by = ${by}::uuid, updated_at = ${at.toISOString()}
    WHERE id = ${id}::uuid AND status = 'ordered'`);
}

/** Orders of some people from a day on, newest day first. */
export async function ordersOfPeople(q: Queryable, personIds: readonly string[], since: string, limit: number): Promise<OrderRow[]> {
  if (personIds.length === 0) return [];
  return q.rows<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.meal_order WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) AND meal_date >= ${since}::date
    ORDER BY meal_date DESC, CASE meal WHEN 'breakfast' THEN 0 WHEN 'lunch' THEN 1 ELSE 2 END, created_at DESC LIMIT ${limit}`);
}

/** A point's orders of one day (all statuses), by meal and time of ordering. */
export async function ordersOfDay(q: Queryable, facilityId: string, date: string): Promise<OrderRow[]> {
  return q.rows<OrderRow>(sql`SELECT ${ORDER_COLUMNS} FROM care.meal_order WHERE facility_id = ${facilityId}::uuid AND meal_date = ${date}::date
    ORDER BY CASE meal WHEN 'breakfast' THEN 0 WHEN 'lunch' THEN 1 ELSE 2 END, created_at, id`);
}

export async function countOrders(q: Queryable): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM care.meal_order`))?.n ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Daily counts

export interface DailyCountRow {
  facility_id: string; district_code: string; region_code: string; meal_date: string;
  ordered: number; dine_in: number; delivery: number; served: number; delivered: number; cancelled: number; open: number; subsidy_fen: number; pays_fen: number;
}

/**
 * Per point and day between two dates (both included): meals ordered (not cancelled), by way of
 * eating, served (堂食 eaten + delivered), still open, cancelled, and the subsidy and payments in
 * fen. Only points whose region is in the scope, and optionally under a region prefix.
 */
export async function dailyCounts(q: Queryable, scope: string, f: { from: string; to: string; region?: string }): Promise<DailyCountRow[]> {
  return q.rows<DailyCountRow>(sql`SELECT facility_id, district_code, region_code, to_char(meal_date, 'YYYY-MM-DD') AS meal_date,
      count(*) FILTER (WHERE status <> 'cancelled')::int AS ordered,
      count(*) FILTER (WHERE status <> 'cancelled' AND mode = 'dine_in')::int AS dine_in,
      count(*) FILTER (WHERE status <> 'cancelled' AND mode = 'delivery')::int AS delivery,
      count(*) FILTER (WHERE status = 'served')::int AS served,
      count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
      count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
      count(*) FILTER (WHERE status = 'ordered')::int AS open,
      coalesce(sum(subsidy_fen) FILTER (WHERE status <> 'cancelled'), 0)::int AS subsidy_fen,
      coalesce(sum(pays_fen) FILTER (WHERE status <> 'cancelled'), 0)::int AS pays_fen
    FROM care.meal_order
    WHERE meal_date BETWEEN ${f.from}::date AND ${f.to}::date AND ${inScope(scope, sql`region_code`)}
      ${f.region ? sql`AND region_code LIKE ${f.region + '%'}` : sql``}
    GROUP BY facility_id, district_code, region_code, meal_date
    ORDER BY meal_date, district_code, facility_id`);
}
