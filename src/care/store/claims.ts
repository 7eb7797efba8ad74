// SQL of the monthly LTCI claims and their lines (migrations/0016_care.sql). A claim belongs to the
// provider's district; its lines to the people's regions; both scoped by row-level security.
import { sql, type Queryable, type SQL } from '../../platform/db.ts';
import type { StoredFlag } from './visits.ts';

const ts = (c: string, as = c) => sql.raw(`to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`);

export type ClaimStatus = 'submitted' | 'in_review' | 'decided' | 'closed';

export interface ClaimTotals { lines: number; claimedMinutes: number; claimedFen: number; fundFen: number; copayFen: number; approvedFen: number; approvedFundFen: number; rejectedLines: number; sampled: number }
export interface ClaimSample { seed: number; randomShare: number; scoreThreshold: number; risk: number; random: number }

export interface ClaimRow {
  id: string; provider_id: string; region_code: string; month: string; status: ClaimStatus; params: Record<string, unknown>; totals: ClaimTotals; sample: ClaimSample;
  created_by: string | null; created_at: string; decided_by: string | null; decided_at: string | null;
}
const CLAIM_COLUMNS = sql`id, provider_id, region_code, month, status, params, totals, sample, created_by, ${ts('created_at')}, decided_by, ${ts('decided_at')}`;

export interface LineRow {
  claim_id: string; visit_id: string; region_code: string; person_id: string; caregiver_id: string; kind: string; check_in: string; minutes: number; status: string; reason: string | null;
  billed_minutes: number; amount_fen: number; fund_fen: number; copay_fen: number; anomaly_score: number; flags: StoredFlag[]; sample: 'risk' | 'random' | null;
  decision: 'approved' | 'rejected' | null; decision_reason: string | null; decided_by: string | null; decided_at: string | null;
  appeal: string | null; appealed_at: string | null; appeal_decision: 'upheld' | 'overturned' | null; appeal_note: string | null;
}
const LINE_COLUMNS = sql`claim_id, visit_id, region_code, person_id, caregiver_id, kind, ${ts('check_in')}, minutes, status, reason, billed_minutes, amount_fen, fund_fen, copay_fen,
  anomaly_score, flags, sample, decision, decision_reason, decided_by, ${ts('decided_at')}, appeal, ${ts('appealed_at')}, appeal_decision, appeal_note`;

export async function insertClaim(q: Queryable, r: Omit<ClaimRow, 'created_at' | 'decided_by' | 'decided_at'>, lines: readonly Omit<LineRow, 'decided_by' | 'decided_at' | 'appeal' | 'appealed_at' | 'appeal_decision' | 'appeal_note'>[], at: Date): Promise<void> {
  await q.run(sql`INSERT INTO care.claim (id, provider_id, region_code, month, status, params, totals, sample, created_by, created_at)
    VALUES (${r.id}::uuid, ${r.provider_id}::uuid, ${r.region_code}, ${r.month}, ${r.status}, ${JSON.stringify(r.params)}::jsonb, ${JSON.stringify(r.totals)}::jsonb, ${JSON.stringify(r.sample)}::jsonb,
      ${r.created_by}::uuid, ${at.toISOString()})`);
  if (lines.length === 0) return;
  await q.run(sql`INSERT INTO care.claim_line (claim_id, visit_id, region_code, person_id, caregiver_id, kind, check_in, minutes, status, reason, billed_minutes, amount_fen, fund_fen, copay_fen,
      anomaly_score, flags, sample, decision, decision_reason)
    SELECT ${r.id}::uuid, u.* FROM jsonb_to_recordset(${JSON.stringify(lines.map((l) => ({ ...l, claim_id: undefined })))}::jsonb) AS u(visit_id uuid, region_code text, person_id uuid, caregiver_id uuid,
      kind text, check_in timestamptz, minutes int, status text, reason text, billed_minutes int, amount_fen int, fund_fen int, copay_fen int, anomaly_score int, flags jsonb, sample text,
      decision text, decision_reason text)`);
}

export async function getClaim(q: Queryable, id: string, forUpdate = false): Promise<ClaimRow | null> {
  return q.one<ClaimRow>(sql`SELECT ${CLAIM_COLUMNS} FROM care.claim WHERE id = ${id}::uuid ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}

export async function claimOf(q: Queryable, providerId: string, month: string): Promise<ClaimRow | null> {
  return q.one<ClaimRow>(sql`SELECT ${CLAIM_COLUMNS} FROM care.claim WHERE provider_id = ${providerId}::uuid AND month = ${month}`);
}

export async function listClaims(q: Queryable, f: { providerId?: string; month?: string; status?: ClaimStatus }): Promise<ClaimRow[]> {
  const parts: SQL[] = [sql`true`];
  if (f.providerId) parts.push(sql`provider_id = ${f.providerId}::uuid`);
  if (f.month) parts.push(sql`month = ${f.month}`);
  if (f.status) parts.push(sql`status = ${f.status}`);
  return q.rows<ClaimRow>(sql`SELECT ${CLAIM_COLUMNS} FROM care.claim WHERE ${sql.join(parts, sql` AND `)} ORDER BY month DESC, created_at DESC LIMIT 500`);
}

export async function setClaim(q: Queryable, id: string, r: { status: ClaimStatus; totals: ClaimTotals; decided_by?: string | null; decided_at?: string | null }): Promise<void> {
  await q.run(sql`UPDATE care.claim SET status = ${r.status}, totals = ${JSON.stringify(r.totals)}::jsonb,
      decided_by = coalesce(${r.decided_by ?? null}::uuid, decided_by), decided_at = coalesce(${r.decided_at ?? null}::timestamptz, decided_at) WHERE id = ${id}::uuid`);
}

/** Lines of a claim: sampled first (risk, then random), then by check-in. */
export async function linesOf(q: Queryable, claimId: string, f: { sampledOnly?: boolean; visitIds?: readonly string[] } = {}): Promise<LineRow[]> {
  const parts: SQL[] = [sql`claim_id = ${claimId}::uuid`];
  if (f.sampledOnly) parts.push(sql`sample IS NOT NULL`);
  if (f.visitIds) parts.push(sql`visit_id = ANY(${sql.param([...f.visitIds])}::uuid[])`);
  return q.rows<LineRow>(sql`SELECT ${LINE_COLUMNS} FROM care.claim_line WHERE ${sql.join(parts, sql` AND `)}
    ORDER BY CASE sample WHEN 'risk' THEN 0 WHEN 'random' THEN 1 ELSE 2 END, anomaly_score DESC, check_in, visit_id`);
}

export async function decideLines(q: Queryable, claimId: string, items: readonly { visitId: string; decision: 'approved' | 'rejected'; reason: string | null }[], by: string, at: Date): Promise<number> {
  if (items.length === 0) return 0;
  return q.run(sql`UPDATE care.claim_line l SET decision = u.decision, decision_reason = u.reason, decided_by = ${by}::uuid, decided_at = ${at.toISOString()}
    FROM unnest(${sql.param(items.map((i) => i.visitId))}::uuid[], ${sql.param(items.map((i) => i.decision))}::text[], ${sql.param(items.map((i) => i.reason))}::text[]) AS u(visit_id, decision, reason)
    WHERE l.claim_id = ${claimId}::uuid AND l.visit_id = u.visit_id`);
}

/** Every undecided line gets a decision (the unsampled lines are approved when the review closes). */
export async function approveRest(q: Queryable, claimId: string, reason: string, by: string, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.claim_line SET decision = CASE WHEN amount_fen > 0 THEN 'approved' ELSE 'rejected' END, decision_reason = ${reason}, decided_by = ${by}::uuid, decided_at = ${at.toISOString()}
    WHERE claim_id = ${claimId}::uuid AND decision IS NULL`);
}

export async function appealLine(q: Queryable, claimId: string, visitId: string, text: string, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.claim_line SET appeal = ${text}, appealed_at = ${at.toISOString()}, appeal_decision = NULL, appeal_note = NULL
    WHERE claim_id = ${claimId}::uuid AND visit_id = ${visitId}::uuid AND decision = 'rejected' AND appeal IS NULL`);
}

export async function decideAppeal(q: Queryable, claimId: string, visitId: string, d: { decision: 'upheld' | 'overturned'; note: string }, by: string, at: Date): Promise<number> {
  return q.run(sql`UPDATE care.claim_line SET appeal_decision = ${d.decision}, appeal_note = ${d.note},
      decision = CASE WHEN ${d.decision} = 'overturned' THEN 'approved' ELSE decision END, decided_by = ${by}::uuid, decided_at = ${at.toISOString()}
    WHERE claim_id = ${claimId}::uuid AND visit_id = ${visitId}::uuid AND appeal IS NOT NULL AND appeal_decision IS NULL`);
}

/** Visits already in some claim (a visit is claimed once). */
export async function claimedVisits(q: Queryable, visitIds: readonly string[]): Promise<Set<string>> {
  if (visitIds.length === 0) return new Set();
  return new Set((await q.rows<{ visit_id: string }>(sql`SELECT visit_id FROM care.claim_line WHERE visit_id = ANY(${sql.param([...visitIds])}::uuid[])`)).map((r) => r.visit_id));
}
