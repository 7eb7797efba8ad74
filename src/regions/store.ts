// The region tree as a reference table, so SQL reports can join names.
import { sql, type Queryable } from '../platform/db.ts';
import type { Region } from './model.ts';

/** Replace the jurisdiction's rows when they differ in number from the tree. Returns rows written. */
export async function syncRegions(q: Queryable, jurisdiction: string, regions: Region[]): Promise<number> {
  const have = (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM regions.region WHERE jurisdiction = ${jurisdiction}`))?.n ?? 0;
  if (have === regions.length) return 0;
  await q.run(sql`DELETE FROM regions.region WHERE jurisdiction = ${jurisdiction}`);
  const col = <K extends keyof Region>(k: K) => regions.map((r) => r[k]);
  await q.run(sql`
    INSERT INTO regions.region (code, name, parent_code, level, valid_from, valid_to, successor_code, jurisdiction)
    SELECT code, name, parent_code, level, valid_from, valid_to, successor_code, ${jurisdiction}
    FROM unnest(${sql.param(col('code'))}::text[], ${sql.param(col('name'))}::text[], ${sql.param(col('parentCode'))}::text[], ${sql.param(col('level'))}::text[],
                ${sql.param(col('validFrom'))}::date[], ${sql.param(col('validTo'))}::date[], ${sql.param(col('successorCode'))}::text[])
      AS u(code, name, parent_code, level, valid_from, valid_to, successor_code)
    ON CONFLICT (code) DO NOTHING`);
  return regions.length;
}
