// All SQL of the people register. Every function takes the caller's scope (a region-code
// prefix, '*' for the whole deployment) and filters by it: the first wall. Row-level security
// in the database is the second.
import { inScope, sql, type Database, type Queryable, type SQL } from '../platform/db.ts';

export interface PersonRow {
  district_code: string;
  id: string;
  region_code: string;
  street_code: string | null;
  committee_code: string | null;
  name: string;
  id_doc_type: string;
  id_number_enc: string;
  id_number_hash: string;
  id_number_masked: string;
  birth_date: string;
  sex: 'M' | 'F';
  hukou_district_code: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  insurance_type: string;
  economic_status: string;
  living_arrangement: string;
  disability: string | null;
  phone_enc: string | null;
  contacts_enc: string | null;
  death_date: string | null;
  household_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
  deleted_reason: string | null;
  created_action: string;
  created_by: string | null;
  created_by_name: string | null;
  created_reason: string | null;
}

export type NewPersonRow = Omit<PersonRow, 'created_at' | 'updated_at' | 'deleted_at' | 'deleted_reason' | 'id_doc_type' | 'created_action' | 'created_by' | 'created_by_name' | 'created_reason'>;

/** Who created a batch of people, and how (version 1 of their history). */
export interface Provenance {
  action: 'create' | 'import' | 'seed';
  actorId: string | null;
  actorName: string | null;
  reason: string | null;
}

export interface PersonFilter {
  idNumberHash?: string;
  namePrefix?: string;
  districtCode?: string;
  streetCode?: string;
  insuranceType?: string;
  economicStatus?: string;
  livingArrangement?: string;
  bornOnOrBefore?: string | null;
  bornAfter?: string | null;
  includeDeleted?: boolean;
}

/** The scope condition on a region code column. */
export { inScope };

function filterSql(scope: string, f: PersonFilter): SQL {
  const parts: SQL[] = [inScope(scope)];
  if (!f.includeDeleted) parts.push(sql`deleted_at IS NULL`);
  if (f.idNumberHash) parts.push(sql`id_number_hash = ${f.idNumberHash}`);
  if (f.namePrefix) parts.push(sql`name LIKE ${f.namePrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`);
  if (f.districtCode) parts.push(sql`district_code = ${f.districtCode}`);
  if (f.streetCode) parts.push(sql`street_code = ${f.streetCode}`);
  if (f.insuranceType) parts.push(sql`insurance_type = ${f.insuranceType}`);
  if (f.economicStatus) parts.push(sql`economic_status = ${f.economicStatus}`);
  if (f.livingArrangement) parts.push(sql`living_arrangement = ${f.livingArrangement}`);
  if (f.bornOnOrBefore) parts.push(sql`birth_date <= ${f.bornOnOrBefore}::date`);
  if (f.bornAfter) parts.push(sql`birth_date > ${f.bornAfter}::date`);
  return sql.join(parts, sql` AND `);
}

/** One page of people, ordered by id (UUIDv7, so by registration time), after a keyset cursor. */
export async function listPeople(q: Queryable, scope: string, f: PersonFilter, limit: number, afterId: string | null): Promise<PersonRow[]> {
  return q.rows<PersonRow>(sql`
    SELECT * FROM people.person
    WHERE ${filterSql(scope, f)} ${afterId ? sql`AND id > ${afterId}::uuid` : sql``}
    ORDER BY id LIMIT ${limit}`);
}

/** Stream every matching person in pages (exports). */
export async function* eachPerson(q: Queryable, scope: string, f: PersonFilter, page = 2000): AsyncGenerator<PersonRow[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await listPeople(q, scope, f, page, after);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!.id;
    if (rows.length < page) return;
  }
}

export async function countPeople(q: Queryable, scope: string, f: PersonFilter): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person WHERE ${filterSql(scope, f)}`))?.n ?? 0;
}

/** A person in scope (deleted ones too), or null — out of scope is indistinguishable from absent. */
export async function getPerson(q: Queryable, scope: string, id: string): Promise<PersonRow | null> {
  return q.one<PersonRow>(sql`SELECT * FROM people.person WHERE id = ${id}::uuid AND ${inScope(scope)}`);
}

/** A person in scope with their consents, in one query (the hot read path). */
export async function getPersonWithConsents(db: Database, scope: string, id: string): Promise<(PersonRow & { consents: { kind: string; granted: boolean; at: string }[] }) | null> {
  const rows = await db.readScoped<PersonRow & { consents: { kind: string; granted: boolean; at: string }[] }>(sql`
    SELECT p.*, coalesce((
      SELECT json_agg(json_build_object('kind', c.kind, 'granted', c.granted, 'at', c.at) ORDER BY c.at)
      FROM people.consent c WHERE c.person_id = p.id AND c.district_code = p.district_code), '[]'::json) AS consents
    FROM people.person p WHERE p.id = ${id}::uuid AND ${inScope(scope, sql`p.region_code`)}`, scope);
  return rows[0] ?? null;
}

/** People with these blind-index hashes, in scope. */
export async function findByHashes(q: Queryable, scope: string, hashes: string[]): Promise<PersonRow[]> {
  if (hashes.length === 0) return [];
  return q.rows<PersonRow>(sql`SELECT * FROM people.person WHERE id_number_hash = ANY(${sql.param(hashes)}::text[]) AND ${inScope(scope)}`);
}

const COLS = [
  'district_code', 'id', 'region_code', 'street_code', 'committee_code', 'name', 'id_number_enc', 'id_number_hash',
  'id_number_masked', 'birth_date', 'sex', 'hukou_district_code', 'address', 'lat', 'lon', 'insurance_type',
  'economic_status', 'living_arrangement', 'disability', 'phone_enc', 'contacts_enc', 'death_date', 'household_id', 'version',
] as const satisfies readonly (keyof NewPersonRow)[];

const TYPES: Record<(typeof COLS)[number], string> = {
  district_code: 'text', id: 'uuid', region_code: 'text', street_code: 'text', committee_code: 'text', name: 'text',
  id_number_enc: 'text', id_number_hash: 'text', id_number_masked: 'text', birth_date: 'date', sex: 'text',
  hukou_district_code: 'text', address: 'text', lat: 'float8', lon: 'float8', insurance_type: 'text',
  economic_status: 'text', living_arrangement: 'text', disability: 'text', phone_enc: 'text', contacts_enc: 'text',
  death_date: 'date', household_id: 'uuid', version: 'int4',
};

function unnestOf(rows: NewPersonRow[]): SQL {
  const arrays = COLS.map((c) => sql`${sql.param(rows.map((r) => r[c]))}::${sql.raw(TYPES[c])}[]`);
  return sql`unnest(${sql.join(arrays, sql`, `)}) AS u(${sql.raw(COLS.join(', '))})`;
}

/** Insert many people in one statement; their version 1 is recorded on the row (provenance). */
export async function insertPeople(q: Queryable, rows: NewPersonRow[], at: Date, by: Provenance): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`
    INSERT INTO people.person (${sql.raw(COLS.join(', '))}, created_action, created_by, created_by_name, created_reason, created_at, updated_at)
    SELECT ${sql.raw(COLS.map((c) => `u.${c}`).join(', '))}, ${by.action}, ${by.actorId}::uuid, ${by.actorName}, ${by.reason},
           ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
    FROM ${unnestOf(rows)}`);
}

/**
 * Update many people in one statement. Each row's `version` is the new version; the stored one
 * must be version − 1 (optimistic concurrency). Returns the ids actually updated.
 */
export async function updatePeople(q: Queryable, scope: string, rows: NewPersonRow[], at: Date): Promise<string[]> {
  if (rows.length === 0) return [];
  const set = COLS.filter((c) => c !== 'id').map((c) => `${c} = u.${c}`).join(', ');
  const done = await q.rows<{ id: string }>(sql`
    UPDATE people.person p SET ${sql.raw(set)}, updated_at = ${at.toISOString()}::timestamptz
    FROM ${unnestOf(rows)}
    WHERE p.id = u.id AND p.version = u.version - 1 AND p.deleted_at IS NULL AND ${inScope(scope, sql`p.region_code`)}
    RETURNING p.id`);
  return done.map((r) => r.id);
}

/** Soft-delete with a reason; returns false when the version does not match or out of scope. */
export async function softDeletePerson(q: Queryable, scope: string, id: string, version: number, reason: string, at: Date): Promise<boolean> {
  const n = await q.run(sql`
    UPDATE people.person SET deleted_at = ${at.toISOString()}::timestamptz, deleted_reason = ${reason}, version = version + 1, updated_at = ${at.toISOString()}::timestamptz
    WHERE id = ${id}::uuid AND version = ${version} AND deleted_at IS NULL AND ${inScope(scope)}`);
  return n > 0;
}

export interface HistoryRow {
  district_code: string;
  person_id: string;
  version: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  changes: unknown;
  reason: string | null;
}

export async function insertHistory(q: Queryable, rows: HistoryRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  await q.run(sql`
    INSERT INTO people.person_history (district_code, person_id, version, at, actor_id, actor_name, action, changes, reason)
    SELECT district_code, person_id, version, ${at.toISOString()}::timestamptz, actor_id, actor_name, action, changes::jsonb, reason
    FROM unnest(${sql.param(rows.map((r) => r.district_code))}::text[], ${sql.param(rows.map((r) => r.person_id))}::uuid[], ${sql.param(rows.map((r) => r.version))}::int4[],
                ${sql.param(rows.map((r) => r.actor_id))}::uuid[], ${sql.param(rows.map((r) => r.actor_name))}::text[], ${sql.param(rows.map((r) => r.action))}::text[],
                ${sql.param(rows.map((r) => JSON.stringify(r.changes)))}::text[], ${sql.param(rows.map((r) => r.reason))}::text[])
      AS u(district_code, person_id, version, actor_id, actor_name, action, changes, reason)`);
}

/** A person's history, version 1 (creation) first, taken from the person row's provenance. */
export async function listHistory(q: Queryable, scope: string, personId: string): Promise<(HistoryRow & { at: Date })[]> {
  return q.rows(sql`
    SELECT p.district_code, p.id AS person_id, 1 AS version, p.created_by AS actor_id, p.created_by_name AS actor_name,
           p.created_action AS action, '[]'::jsonb AS changes, p.created_reason AS reason, p.created_at AS at
    FROM people.person p WHERE p.id = ${personId}::uuid AND ${inScope(scope, sql`p.region_code`)}
    UNION ALL
    SELECT h.district_code, h.person_id, h.version, h.actor_id, h.actor_name, h.action, h.changes, h.reason, h.at
    FROM people.person_history h JOIN people.person p ON p.id = h.person_id AND p.district_code = h.district_code
    WHERE h.person_id = ${personId}::uuid AND h.version > 1 AND ${inScope(scope, sql`p.region_code`)}
    ORDER BY version`);
}

export interface ConsentRow {
  id: string;
  district_code: string;
  person_id: string;
  kind: string;
  granted: boolean;
  at: Date;
  recorded_by: string | null;
}

export async function listConsents(q: Queryable, scope: string, personId: string): Promise<ConsentRow[]> {
  return q.rows(sql`
    SELECT c.* FROM people.consent c JOIN people.person p ON p.id = c.person_id AND p.district_code = c.district_code
    WHERE c.person_id = ${personId}::uuid AND ${inScope(scope, sql`p.region_code`)} ORDER BY c.at`);
}

export async function insertConsent(q: Queryable, row: Omit<ConsentRow, 'at'>, at: Date): Promise<void> {
  await q.run(sql`INSERT INTO people.consent (district_code, id, person_id, kind, granted, at, recorded_by)
                  VALUES (${row.district_code}, ${row.id}::uuid, ${row.person_id}::uuid, ${row.kind}, ${row.granted}, ${at.toISOString()}::timestamptz, ${row.recorded_by}::uuid)`);
}

export async function insertImportBatch(q: Queryable, b: {
  id: string; fileName: string; sha256: string; actorId: string | null; scope: string;
  total: number; created: number; updated: number; unchanged: number; rejected: number;
}): Promise<void> {
  await q.run(sql`INSERT INTO people.import_batch (id, file_name, file_sha256, actor_id, scope_code, total, created, updated, unchanged, rejected)
                  VALUES (${b.id}::uuid, ${b.fileName}, ${b.sha256}, ${b.actorId}::uuid, ${b.scope}, ${b.total}, ${b.created}, ${b.updated}, ${b.unchanged}, ${b.rejected})`);
}

export interface NotificationRow {
  district_code: string;
  id: string;
  person_id: string;
  kind: string;
  title: string;
  body: string;
  data: unknown;
  source_event: string;
  created_at: Date;
  read_at: Date | null;
}

/** Record a notification once per (event, kind): a redelivered event inserts nothing. */
export async function insertNotification(q: Queryable, n: Omit<NotificationRow, 'created_at' | 'read_at'>, at: Date): Promise<boolean> {
  return (await q.run(sql`
    INSERT INTO people.notification (district_code, id, person_id, kind, title, body, data, source_event, created_at)
    VALUES (${n.district_code}, ${n.id}::uuid, ${n.person_id}::uuid, ${n.kind}, ${n.title}, ${n.body}, ${JSON.stringify(n.data)}::jsonb,
            ${n.source_event}::uuid, ${at.toISOString()}::timestamptz)
    ON CONFLICT (district_code, source_event, kind) DO NOTHING`)) > 0;
}

/** A person's notifications in scope, newest first. */
export async function listNotifications(q: Queryable, scope: string, personId: string): Promise<NotificationRow[]> {
  return q.rows(sql`
    SELECT n.* FROM people.notification n JOIN people.person p ON p.id = n.person_id AND p.district_code = n.district_code
    WHERE n.person_id = ${personId}::uuid AND ${inScope(scope, sql`p.region_code`)}
    ORDER BY n.created_at DESC, n.id DESC LIMIT 200`);
}

/** What other modules' rules need of a person (the entitlements' facts), by id; deleted people included (deleted_at set). */
export interface PersonFactsRow {
  id: string;
  district_code: string;
  region_code: string;
  birth_date: string;
  hukou_district_code: string | null;
  insurance_type: string;
  economic_status: string;
  living_arrangement: string;
  death_date: string | null;
  deleted: boolean;
}
const FACT_COLUMNS = sql`id, district_code, region_code, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, hukou_district_code, insurance_type,
  economic_status, living_arrangement, to_char(death_date, 'YYYY-MM-DD') AS death_date, deleted_at IS NOT NULL AS deleted`;

export async function factsOfPeople(q: Queryable, scope: string, ids: readonly string[]): Promise<PersonFactsRow[]> {
  if (ids.length === 0) return [];
  return q.rows<PersonFactsRow>(sql`SELECT ${FACT_COLUMNS} FROM people.person WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND ${inScope(scope)}`);
}

/** A page of people (not deleted) in scope, by id, optionally only some districts or those updated at one instant (an import). */
export async function factsPage(q: Queryable, scope: string, f: { districtCodes?: readonly string[]; updatedAt?: string }, afterId: string | null, limit: number): Promise<PersonFactsRow[]> {
  const parts: SQL[] = [inScope(scope), sql`deleted_at IS NULL`];
  if (f.districtCodes) parts.push(sql`district_code = ANY(${sql.param([...f.districtCodes])}::text[])`);
  if (f.updatedAt) parts.push(sql`updated_at = ${f.updatedAt}::timestamptz`);
  if (afterId) parts.push(sql`id > ${afterId}::uuid`);
  return q.rows<PersonFactsRow>(sql`SELECT ${FACT_COLUMNS} FROM people.person WHERE ${sql.join(parts, sql` AND `)} ORDER BY id LIMIT ${limit}`);
}

/** Names and places of people by id, in scope (for lists built by other modules). */
export async function namesOf(q: Queryable, scope: string, ids: readonly string[]): Promise<{ id: string; name: string; birth_date: string; district_code: string; street_code: string | null; committee_code: string | null }[]> {
  if (ids.length === 0) return [];
  return q.rows(sql`SELECT id, name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, district_code, street_code, committee_code
    FROM people.person WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND ${inScope(scope)}`);
}

/** Where people live (care delivery's visits go there): name, region, address, coordinates, death; in scope. */
export async function homesOf(q: Queryable, scope: string, ids: readonly string[]): Promise<{ id: string; name: string; region_code: string; district_code: string; address: string | null; lat: number | null; lon: number | null; death_date: string | null; phone_enc: string | null }[]> {
  if (ids.length === 0) return [];
  return q.rows(sql`SELECT id, name, region_code, district_code, address, lat, lon, to_char(death_date, 'YYYY-MM-DD') AS death_date, phone_enc
    FROM people.person WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND deleted_at IS NULL AND ${inScope(scope)}`);
}

/** Encrypted ID numbers of people by id, in scope (decrypted by the service for an audited purpose). */
export async function encryptedIdNumbersOf(q: Queryable, scope: string, ids: readonly string[]): Promise<{ id: string; id_number_enc: string; name: string }[]> {
  if (ids.length === 0) return [];
  return q.rows(sql`SELECT id, id_number_enc, name FROM people.person WHERE id = ANY(${sql.param([...ids])}::uuid[]) AND ${inScope(scope)}`);
}

/** Link a platform account to a person of the register (a citizen themself, or family). */
export async function linkUser(q: Queryable, userId: string, personId: string, districtCode: string, relation: 'self' | 'family'): Promise<void> {
  await q.run(sql`INSERT INTO people.user_link (user_id, person_id, district_code, relation) VALUES (${userId}::uuid, ${personId}::uuid, ${districtCode}, ${relation})
    ON CONFLICT (user_id, person_id) DO NOTHING`);
}

/** A link of a person to a platform account, with the account as the person page shows it. */
export interface PersonLinkRow {
  user_id: string;
  person_id: string;
  district_code: string;
  relation: 'self' | 'family';
  created_at: Date;
  linked_by: string | null;
  linked_by_name: string | null;
  username: string;
  display_name: string;
  role: string;
  disabled: boolean;
}

const LINK_COLUMNS = sql`l.user_id, l.person_id, l.district_code, l.relation, l.created_at, l.linked_by, b.display_name AS linked_by_name,
  u.username, u.display_name, u.role, u.disabled_at IS NOT NULL AS disabled`;

/** The accounts linked to a person in scope (or the one account given), 本人 first, then by when they were linked. */
export async function linksOfPerson(q: Queryable, scope: string, personId: string, userId?: string): Promise<PersonLinkRow[]> {
  return q.rows<PersonLinkRow>(sql`
    SELECT ${LINK_COLUMNS}
    FROM people.user_link l
    JOIN people.person p ON p.id = l.person_id AND p.district_code = l.district_code
    JOIN platform.app_user u ON u.id = l.user_id
    LEFT JOIN platform.app_user b ON b.id = l.linked_by
    WHERE l.person_id = ${personId}::uuid ${userId ? sql`AND l.user_id = ${userId}::uuid` : sql``} AND ${inScope(scope, sql`p.region_code`)}
    ORDER BY l.relation DESC, l.created_at, u.username`);
}

/** One link of a person in scope, or null. */
export async function linkOf(q: Queryable, scope: string, personId: string, userId: string): Promise<PersonLinkRow | null> {
  return (await linksOfPerson(q, scope, personId, userId))[0] ?? null;
}

/**
 * Who holds the 本人 places a new 本人 link would take: the person's 本人 account (any), and
 * whether the account is already 本人 of someone (the other person is not named: they may lie
 * outside the caller's scope). Read as the platform, not under the caller's scope.
 */
export async function selfLinksFor(q: Queryable, personId: string, userId: string): Promise<{ personSelf: { user_id: string; username: string } | null; userIsSelfElsewhere: boolean }> {
  const rows = await q.rows<{ user_id: string; person_id: string; username: string }>(sql`
    SELECT l.user_id, l.person_id, u.username FROM people.user_link l JOIN platform.app_user u ON u.id = l.user_id
    WHERE l.relation = 'self' AND (l.person_id = ${personId}::uuid OR l.user_id = ${userId}::uuid)`);
  const mine = rows.find((r) => r.person_id === personId);
  return {
    personSelf: mine ? { user_id: mine.user_id, username: mine.username } : null,
    userIsSelfElsewhere: rows.some((r) => r.user_id === userId && r.person_id !== personId),
  };
}

/** A platform account by user name (for linking): its id, name, role and whether it is disabled. */
export async function accountByUsername(q: Queryable, username: string): Promise<{ id: string; username: string; display_name: string; role: string; disabled: boolean } | null> {
  return q.one(sql`SELECT id, username, display_name, role, disabled_at IS NOT NULL AS disabled FROM platform.app_user WHERE username = ${username}`);
}

/** Insert a link made by staff; false when the pair is already linked (nothing is written). */
export async function insertLink(q: Queryable, row: { user_id: string; person_id: string; district_code: string; relation: 'self' | 'family'; linked_by: string }, at: Date): Promise<boolean> {
  return (await q.run(sql`
    INSERT INTO people.user_link (user_id, person_id, district_code, relation, created_at, linked_by)
    VALUES (${row.user_id}::uuid, ${row.person_id}::uuid, ${row.district_code}, ${row.relation}, ${at.toISOString()}::timestamptz, ${row.linked_by}::uuid)
    ON CONFLICT (user_id, person_id) DO NOTHING`)) > 0;
}

/** Remove a link of a person in scope; false when there was none. */
export async function deleteLink(q: Queryable, scope: string, personId: string, userId: string): Promise<boolean> {
  return (await q.run(sql`
    DELETE FROM people.user_link l USING people.person p
    WHERE l.person_id = ${personId}::uuid AND l.user_id = ${userId}::uuid
      AND p.id = l.person_id AND p.district_code = l.district_code AND ${inScope(scope, sql`p.region_code`)}`)) > 0;
}

export async function linksOfUser(q: Queryable, userId: string): Promise<{ person_id: string; relation: 'self' | 'family'; district_code: string; name: string }[]> {
  return q.rows(sql`SELECT l.person_id, l.relation, l.district_code, p.name FROM people.user_link l
    JOIN people.person p ON p.id = l.person_id AND p.district_code = l.district_code WHERE l.user_id = ${userId}::uuid ORDER BY l.relation DESC, p.name`);
}

/** Some living, registered person of a region (the demo links its citizen account to one). */
export async function somePersonIn(q: Queryable, region: string): Promise<{ id: string; district_code: string } | null> {
  return q.one(sql`SELECT id, district_code FROM people.person WHERE region_code LIKE ${region + '%'} AND deleted_at IS NULL AND death_date IS NULL ORDER BY id LIMIT 1`);
}

/** Registered people (not deleted, alive) per street by age on a date: 60+ and 65+ (the supply demo's reference population, coverage's elders). */
export async function elderCountsByStreet(q: Queryable, asOf: string): Promise<{ district_code: string; street_code: string | null; n60: number; n65: number }[]> {
  return q.rows(sql`SELECT district_code, street_code,
      count(*) FILTER (WHERE birth_date <= (${asOf}::date - interval '60 years'))::int AS n60,
      count(*) FILTER (WHERE birth_date <= (${asOf}::date - interval '65 years'))::int AS n65
    FROM people.person WHERE deleted_at IS NULL AND death_date IS NULL GROUP BY district_code, street_code`);
}

/** People (not deleted, alive, 60+ on the date) of a district with their committee and street, for placing them on a walking network. */
export async function eldersOfDistrict(q: Queryable, districtCode: string, asOf: string): Promise<{ id: string; street_code: string | null; committee_code: string | null }[]> {
  return q.rows(sql`SELECT id, street_code, committee_code FROM people.person
    WHERE district_code = ${districtCode} AND deleted_at IS NULL AND death_date IS NULL AND birth_date <= (${asOf}::date - interval '60 years') ORDER BY id`);
}
