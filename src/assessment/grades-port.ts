// The Shanghai care grades in force on a date for many people at once — what the entitlement
// recompute needs (a port wired in src/app.ts). Same rule as `careGradeOn`: of the grades
// covering the day, the one that started last (imported last on a tie); a medical referral in
// force means no grade.
import { sql, type Queryable } from '../platform/db.ts';

export interface GradeInForce {
  personId: string;
  grade: number | null;
  validFrom: string;
  validUntil: string;
}

export async function gradesInForce(q: Queryable, personIds: readonly string[], asOf: string): Promise<Map<string, GradeInForce>> {
  if (personIds.length === 0) return new Map();
  const rows = await q.rows<{ person_id: string; grade: number | null; valid_from: string; valid_until: string }>(sql`
    SELECT DISTINCT ON (person_id) person_id, grade, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_until, 'YYYY-MM-DD') AS valid_until
    FROM assessment.care_grade
    WHERE person_id = ANY(${sql.param([...personIds])}::uuid[]) AND valid_from <= ${asOf}::date AND valid_until >= ${asOf}::date
    ORDER BY person_id, valid_from DESC, imported_at DESC, id DESC`);
  return new Map(rows.map((r) => [r.person_id, { personId: r.person_id, grade: r.grade, validFrom: r.valid_from, validUntil: r.valid_until }]));
}
