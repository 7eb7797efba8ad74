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
