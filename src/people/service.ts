// Use cases of the people register: load → decide (model.ts) → save + history + audit + event,
// in one transaction under the caller's scope.
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { AppError, type ErrorCode, type ErrorDetail } from '../core/errors.ts';
import { ageOn, todayIn, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { normalizeIdNumber, parseIdNumber } from '../core/idnumber.ts';
import { maskIdNumber, maskPhone } from '../core/mask.ts';
import { isWithin, scopePrefix } from '../core/regions.ts';
import { appendAudit, type AuditEntry } from '../platform/audit.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { ANALYZE_AFTER_ROWS, analyzeDatabase, type Queryable } from '../platform/db.ts';
import { emit } from '../platform/outbox.ts';
import { can } from '../platform/permissions.ts';
import { checkFileName, columnForField, mapRows, readSheet, type RegionNameLookup, type RowError } from './importer.ts';
import {
  birthRangeForAges, diffPerson, LABELS, TRACKED_FIELDS, validatePerson,
  type Contact, type PersonDraft, type PersonInput, type RegionLookup,
} from './model.ts';
import { regionLookupFor } from './regions.ts';
import * as store from './store.ts';
import type { NewPersonRow, PersonFilter, PersonLinkRow as LinkRow, PersonRow } from './store.ts';

/** Oldest age the register accepts before asking to check the birth date (not a policy number). */
const MAX_AGE_YEARS = 125;
const SYSTEM_SCOPE = '*';
const MEMO_LIMIT = 50_000;
const SEARCH_LIMIT = 500;

export interface PersonSummary {
  id: string;
  name: string;
  idNumberMasked: string;
  sex: 'M' | 'F';
  birthDate: string;
  age: number;
  districtCode: string;
  districtName: string | null;
  streetCode: string | null;
  streetName: string | null;
  livingArrangement: string;
  economicStatus: string;
  insuranceType: string;
  deceased: boolean;
  version: number;
}

export interface PersonDetail extends PersonSummary {
  hukouDistrictCode: string | null;
  hukouDistrictName: string | null;
  committeeCode: string | null;
  committeeName: string | null;
  regionPath: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  phoneMasked: string | null;
  disability: string | null;
  contacts: { name: string; relation: string; phoneMasked: string }[];
  consents: { kind: string; granted: boolean; at: string }[];
  deathDate: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedReason: string | null;
}

/** An account linked to a person (关联的居民账号), as the person page lists it. */
export interface PersonLink {
  userId: string;
  username: string;
  displayName: string;
  relation: LinkRelation;
  relationName: string;
  disabled: boolean;
  linkedAt: string;
  linkedBy: string | null;
}

export type LinkRelation = 'self' | 'family';
const RELATION_NAMES: Record<LinkRelation, string> = { self: '本人', family: '家属' };

/** The code of a refused link; the message says which rule refused it. */
const LINK_REFUSED = 'PEOPLE_LINK_REFUSED' satisfies ErrorCode;
const UNIQUE_VIOLATION = '23505';

function linkView(r: LinkRow): PersonLink {
  return {
    userId: r.user_id, username: r.username, displayName: r.display_name, relation: r.relation, relationName: RELATION_NAMES[r.relation],
    disabled: r.disabled, linkedAt: new Date(r.created_at).toISOString(), linkedBy: r.linked_by_name,
  };
}

export interface ListQuery {
  q?: string;
  districtCode?: string;
  streetCode?: string;
  insuranceType?: string;
  economicStatus?: string;
  livingArrangement?: string;
  ageMin?: number;
  ageMax?: number;
  includeDeleted?: boolean;
}

export interface ImportSummary {
  batchId: string;
  fileName: string;
  encoding: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  warnings: RowError[];
}

const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');
function decodeCursor(c: string): string {
  const id = Buffer.from(c, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('VALIDATION_FAILED', '分页游标无效', [{ path: 'cursor', message: '分页游标无效' }]);
  return id;
}

const looksLikeIdNumber = (s: string): boolean => /^[0-9０-９]{14,17}[0-9xX０-９ｘＸ]$/.test(s.replace(/\s/g, ''));

export class PeopleService {
  readonly lookup: RegionLookup;
  readonly names: RegionNameLookup;

  constructor(private readonly ctx: AppContext) {
    const t = ctx.regions;
    const isOwn = (code: string) => code.startsWith(scopePrefix(t.root.code));
    this.lookup = regionLookupFor(t);
    const lookup = this.lookup;
    // The tree never changes while the process runs, so answers are memoised: an import of
    // 20,000 rows asks for the same few street names over and over.
    const memo = new Map<string, { code: string } | { error: string }>();
    const find: RegionNameLookup['find'] = (text, level, parentCode) => {
      const key = `${level}|${parentCode ?? ''}|${text}`;
      let hit = memo.get(key);
      if (!hit) {
        hit = findUncached(text, level, parentCode);
        if (memo.size < MEMO_LIMIT) memo.set(key, hit);
      }
      return hit;
    };
    this.names = { find };
    const findUncached: RegionNameLookup['find'] = (text, level, parentCode) => {
      const s = text.trim();
      if (/^\d{6,12}$/.test(s)) {
        const r = lookup.current(s);
        if (!r) return { error: `代码 "${s}" 不是本平台辖区内的地区` };
        if (parentCode && !r.code.startsWith(parentCode)) return { error: `"${s}" 不属于上一列所填的地区` };
        return { code: r.code };
      }
      const wanted = level === 'district' ? 'county' : level;
      const direct = parentCode ? t.children(parentCode).filter((r) => r.level === wanted) : [];
      const pool = (direct.length > 0 ? direct : t.search(s, { level: wanted, limit: SEARCH_LIMIT }))
        .filter((r) => !r.validTo && isOwn(r.code) && (!parentCode || r.code.startsWith(parentCode)));
      const exact = pool.filter((r) => r.name === s);
      const pick = exact.length > 0 ? exact : pool.filter((r) => r.name.startsWith(s));
      if (pick.length === 1) return { code: pick[0]!.code };
      if (pick.length === 0) return { error: `找不到名为 "${s}" 的地区` };
      return { error: `"${s}" 对应多个地区，请同时填写所在区或直接填写代码` };
    };
  }

  private today(): LocalDate {
    return todayIn(this.ctx.clock, this.ctx.jurisdiction.timezone);
  }

  private regionName(code: string | null): string | null {
    return code ? (this.ctx.regions.get(code)?.name ?? null) : null;
  }

  private auditOf(caller: Caller, action: string, extra: Partial<AuditEntry> = {}): AuditEntry {
    return { actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, ...extra };
  }

  private withScope<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
  }

  toSummary(r: PersonRow): PersonSummary {
    const today = this.today();
    return {
      id: r.id,
      name: r.name,
      idNumberMasked: r.id_number_masked,
      sex: r.sex,
      birthDate: r.birth_date,
      age: ageOn(r.birth_date as LocalDate, (r.death_date as LocalDate | null) ?? today),
      districtCode: r.district_code,
      districtName: this.regionName(r.district_code),
      streetCode: r.street_code,
      streetName: this.regionName(r.street_code),
      livingArrangement: r.living_arrangement,
      economicStatus: r.economic_status,
      insuranceType: r.insurance_type,
      deceased: r.death_date !== null,
      version: r.version,
    };
  }

  private decryptContacts(r: PersonRow): Contact[] {
    return r.contacts_enc ? (JSON.parse(this.ctx.crypto.decrypt(r.contacts_enc)) as Contact[]) : [];
  }

  private toDraftLike(r: PersonRow): Pick<PersonDraft, (typeof TRACKED_FIELDS)[number]> {
    return {
      name: r.name, birthDate: r.birth_date as LocalDate, sex: r.sex, hukouDistrictCode: r.hukou_district_code,
      regionCode: r.region_code, address: r.address, lat: r.lat, lon: r.lon,
      insuranceType: r.insurance_type as PersonDraft['insuranceType'], economicStatus: r.economic_status as PersonDraft['economicStatus'],
      livingArrangement: r.living_arrangement as PersonDraft['livingArrangement'], disability: r.disability,
      phone: r.phone_enc ? this.ctx.crypto.decrypt(r.phone_enc) : null, contacts: this.decryptContacts(r),
      deathDate: r.death_date as LocalDate | null,
    };
  }

  /** The stored row of a new person (encrypted fields, blind index); used by the demo seeder too. */
  rowFor(d: PersonDraft, id: string): NewPersonRow {
    return this.toRow(d, id, 1);
  }

  private toRow(d: PersonDraft, id: string, version: number, householdId: string | null = null): NewPersonRow {
    const c = this.ctx.crypto;
    const idPayload = d.idNumberOriginal && d.idNumberOriginal !== d.idNumber ? `${d.idNumber}|${d.idNumberOriginal}` : d.idNumber;
    return {
      district_code: d.districtCode, id, region_code: d.regionCode, street_code: d.streetCode, committee_code: d.committeeCode,
      name: d.name, id_number_enc: c.encrypt(idPayload), id_number_hash: c.blindIndex(d.idNumber), id_number_masked: maskIdNumber(d.idNumber, 'staff'),
      birth_date: d.birthDate, sex: d.sex, hukou_district_code: d.hukouDistrictCode, address: d.address, lat: d.lat, lon: d.lon,
      insurance_type: d.insuranceType, economic_status: d.economicStatus, living_arrangement: d.livingArrangement,
      disability: d.disability, phone_enc: d.phone ? c.encrypt(d.phone) : null,
      contacts_enc: d.contacts.length ? c.encrypt(JSON.stringify(d.contacts)) : null, death_date: d.deathDate,
      household_id: householdId, version,
    };
  }

  private validate(input: PersonInput): PersonDraft {
    const r = validatePerson(input, { today: this.today(), regions: this.lookup, maxAgeYears: MAX_AGE_YEARS });
    if (!r.ok) throw new AppError('VALIDATION_FAILED', undefined, r.errors);
    return r.value;
  }

  private checkInScope(caller: Caller, d: PersonDraft): void {
    if (!isWithin(d.regionCode, caller.regionCode)) {
      throw new AppError('VALIDATION_FAILED', '该地区不在您的辖区内', [{ path: 'regionCode', message: '该地区不在您的辖区内' }]);
    }
  }

  private filterOf(query: ListQuery): PersonFilter {
    const f: PersonFilter = {
      districtCode: query.districtCode, streetCode: query.streetCode, insuranceType: query.insuranceType,
      economicStatus: query.economicStatus, livingArrangement: query.livingArrangement, includeDeleted: query.includeDeleted,
    };
    const q = query.q?.trim();
    if (q) {
      if (looksLikeIdNumber(q)) {
        const parsed = parseIdNumber(q, { today: this.today() });
        // An invalid number matches nobody; search by its blind index either way.
        f.idNumberHash = this.ctx.crypto.blindIndex(parsed.ok ? parsed.value.number18 : normalizeIdNumber(q));
      } else f.namePrefix = q;
    }
    const range = birthRangeForAges(this.today(), query.ageMin, query.ageMax);
    f.bornOnOrBefore = range.bornOnOrBefore;
    f.bornAfter = range.bornAfter;
    return f;
  }

  /** Search the register; keyset pagination. The read is audited before it is answered. */
  async list(caller: Caller, query: ListQuery, limit: number, cursor: string | null): Promise<{ items: PersonSummary[]; nextCursor: string | null }> {
    const after = cursor ? decodeCursor(cursor) : null;
    const f = this.filterOf(query);
    const rows = await this.withScope(caller, (q) => store.listPeople(q, caller.scope, f, limit + 1, after));
    const page = rows.slice(0, limit);
    const { q: _q, ...filters } = query;
    await this.ctx.audit.record(this.auditOf(caller, 'people.list', {
      entityType: 'person', details: { filters, searched: Boolean(query.q), count: page.length, ids: page.map((r) => r.id) },
    }));
    return { items: page.map((r) => this.toSummary(r)), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
  }

  private async load(caller: Caller, q: Queryable, id: string): Promise<PersonRow> {
    const row = await store.getPerson(q, caller.scope, id);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  /** One person's record, masked for staff; audited. */
  async get(caller: Caller, id: string): Promise<PersonDetail> {
    const row = await store.getPersonWithConsents(this.ctx.db, caller.scope, id);
    if (!row) throw new AppError('NOT_FOUND');
    await this.ctx.audit.record(this.auditOf(caller, 'people.read', { entityType: 'person', entityId: id, districtCode: row.district_code }));
    return this.toDetail(row, row.consents);
  }

  toDetail(row: PersonRow, consents: { kind: string; granted: boolean; at: Date | string }[]): PersonDetail {
    const phone = row.phone_enc ? this.ctx.crypto.decrypt(row.phone_enc) : null;
    return {
      ...this.toSummary(row),
      hukouDistrictCode: row.hukou_district_code,
      hukouDistrictName: this.regionName(row.hukou_district_code),
      committeeCode: row.committee_code,
      committeeName: this.regionName(row.committee_code),
      regionPath: this.ctx.regions.pathNames(row.region_code, ' / '),
      address: row.address,
      lat: row.lat,
      lon: row.lon,
      phoneMasked: phone ? maskPhone(phone) : null,
      disability: row.disability,
      contacts: this.decryptContacts(row).map((c) => ({ name: c.name, relation: c.relation, phoneMasked: maskPhone(c.phone) })),
      consents: consents.map((c) => ({ kind: c.kind, granted: c.granted, at: new Date(c.at).toISOString() })),
      deathDate: row.death_date,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
      deletedReason: row.deleted_reason,
    };
  }

  /** The full ID number, for a stated purpose; audited inside the same transaction. */
  async reveal(caller: Caller, id: string, purpose: string): Promise<{ idNumber: string }> {
    if (!can(caller.role, 'people.reveal')) throw new AppError('AUTH_FORBIDDEN');
    return this.withScope(caller, async (q) => {
      const row = await this.load(caller, q, id);
      await appendAudit(q, [this.auditOf(caller, 'people.reveal_id', { entityType: 'person', entityId: id, districtCode: row.district_code, purpose })], this.ctx.clock());
      return { idNumber: this.ctx.crypto.decrypt(row.id_number_enc).split('|')[0]! };
    });
  }

  async history(caller: Caller, id: string): Promise<{ items: { version: number; at: string; actor: string | null; action: string; reason: string | null; changes: unknown }[] }> {
    const rows = await this.withScope(caller, async (q) => {
      await this.load(caller, q, id);
      return store.listHistory(q, caller.scope, id);
    });
    await this.ctx.audit.record(this.auditOf(caller, 'people.history', { entityType: 'person', entityId: id }));
    return {
      items: rows.map((h) => ({ version: h.version, at: new Date(h.at).toISOString(), actor: h.actor_name, action: h.action, reason: h.reason, changes: typeof h.changes === 'string' ? JSON.parse(h.changes) : h.changes })),
    };
  }

  private async existingAnywhere(hashes: string[]): Promise<Map<string, PersonRow>> {
    const rows = await this.ctx.db.tx((q) => store.findByHashes(q, SYSTEM_SCOPE, hashes), { scope: SYSTEM_SCOPE, asAppRole: true });
    return new Map(rows.map((r) => [r.id_number_hash, r]));
  }

  /** Register a person. */
  async create(caller: Caller, input: PersonInput): Promise<PersonDetail> {
    const d = this.validate(input);
    this.checkInScope(caller, d);
    const id = newId();
    const row = this.toRow(d, id, 1);
    if ((await this.existingAnywhere([row.id_number_hash])).size > 0) throw new AppError('PEOPLE_DUPLICATE');
    const now = this.ctx.clock();
    const saved = await this.withScope(caller, async (q) => {
      await store.insertPeople(q, [row], now, { action: 'create', actorId: caller.userId, actorName: caller.displayName, reason: null });
      await appendAudit(q, [this.auditOf(caller, 'people.create', { entityType: 'person', entityId: id, districtCode: d.districtCode })], now);
      await emit(q, 'people.registered', { personId: id, regionCode: d.regionCode }, d.districtCode);
      return this.load(caller, q, id);
    });
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return this.toDetail(saved, []);
  }

  /** Change a person's record; `version` must be the one the caller read. */
  async update(caller: Caller, id: string, version: number, input: Partial<PersonInput>): Promise<PersonDetail> {
    const now = this.ctx.clock();
    const saved = await this.withScope(caller, async (q) => {
      const cur = await this.load(caller, q, id);
      if (cur.deleted_at) throw new AppError('PEOPLE_ALREADY_DELETED');
      if (cur.version !== version) throw new AppError('CONFLICT_VERSION', undefined, [{ path: 'version', message: `当前版本为 ${cur.version}` }]);
      const before = this.toDraftLike(cur);
      const idNumber = this.ctx.crypto.decrypt(cur.id_number_enc).split('|')[0]!;
      const merged: PersonInput = { ...before, idNumber, ...input } as PersonInput;
      const d = this.validate(merged);
      this.checkInScope(caller, d);
      if (d.idNumber !== idNumber) {
        const other = await this.existingAnywhere([this.ctx.crypto.blindIndex(d.idNumber)]);
        if (other.size > 0) throw new AppError('PEOPLE_DUPLICATE');
      }
      const changes = diffPerson(before, d);
      if (d.idNumber !== idNumber) changes.push({ field: 'idNumber' as never, from: '（已修改）', to: '（已修改）' });
      if (changes.length === 0) return cur;
      const row = this.toRow(d, id, version + 1, cur.household_id);
      const done = await store.updatePeople(q, caller.scope, [row], now);
      if (done.length !== 1) throw new AppError('CONFLICT_VERSION');
      await store.insertHistory(q, [{ district_code: d.districtCode, person_id: id, version: version + 1, actor_id: caller.userId, actor_name: caller.displayName, action: 'update', changes, reason: null }], now);
      await appendAudit(q, [this.auditOf(caller, 'people.update', { entityType: 'person', entityId: id, districtCode: d.districtCode, details: { fields: changes.map((c) => c.field) } })], now);
      await emit(q, 'people.updated', { personId: id, fields: changes.map((c) => c.field) }, d.districtCode);
      return this.load(caller, q, id);
    });
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return this.toDetail(saved, []);
  }

  /** Soft-delete with a reason; the record stays, marked, with its history. */
  async remove(caller: Caller, id: string, version: number, reason: string): Promise<void> {
    const now = this.ctx.clock();
    await this.withScope(caller, async (q) => {
      const cur = await this.load(caller, q, id);
      if (cur.deleted_at) throw new AppError('PEOPLE_ALREADY_DELETED');
      if (!(await store.softDeletePerson(q, caller.scope, id, version, reason, now))) throw new AppError('CONFLICT_VERSION');
      await store.insertHistory(q, [{ district_code: cur.district_code, person_id: id, version: version + 1, actor_id: caller.userId, actor_name: caller.displayName, action: 'delete', changes: [], reason }], now);
      await appendAudit(q, [this.auditOf(caller, 'people.delete', { entityType: 'person', entityId: id, districtCode: cur.district_code, details: { reason } })], now);
      await emit(q, 'people.deleted', { personId: id }, cur.district_code);
    });
    void this.ctx.dispatcher.wake().catch(() => undefined);
  }

  /** What the platform has told this person (audited read). */
  async notifications(caller: Caller, id: string): Promise<{ items: { id: string; kind: string; title: string; body: string; createdAt: string; readAt: string | null }[] }> {
    const rows = await this.withScope(caller, async (q) => {
      await this.load(caller, q, id);
      return store.listNotifications(q, caller.scope, id);
    });
    await this.ctx.audit.record(this.auditOf(caller, 'people.notifications', { entityType: 'person', entityId: id }));
    return {
      items: rows.map((n) => ({
        id: n.id, kind: n.kind, title: n.title, body: n.body,
        createdAt: new Date(n.created_at).toISOString(), readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
      })),
    };
  }

  /** Record a consent given or withdrawn. */
  async addConsent(caller: Caller, id: string, kind: string, granted: boolean): Promise<void> {
    const now = this.ctx.clock();
    await this.withScope(caller, async (q) => {
      const cur = await this.load(caller, q, id);
      await store.insertConsent(q, { id: newId(), district_code: cur.district_code, person_id: id, kind, granted, recorded_by: caller.userId }, now);
      await appendAudit(q, [this.auditOf(caller, 'people.consent', { entityType: 'person', entityId: id, districtCode: cur.district_code, details: { kind, granted } })], now);
    });
  }

  /** The citizen accounts linked to a person (关联的居民账号); an audited read. */
  async links(caller: Caller, personId: string): Promise<{ items: PersonLink[] }> {
    const { row, items } = await this.withScope(caller, async (q) => {
      const row = await this.load(caller, q, personId);
      return { row, items: await store.linksOfPerson(q, caller.scope, personId) };
    });
    await this.ctx.audit.record(this.auditOf(caller, 'people.links', { entityType: 'person', entityId: personId, districtCode: row.district_code, details: { count: items.length } }));
    return { items: items.map(linkView) };
  }

  /**
   * Link a citizen account to a person of the caller's region, as 本人 or 家属 — done by staff who
   * have checked the relationship in person. The same pair again answers the existing link and
   * writes nothing (`created: false`).
   */
  async link(caller: Caller, personId: string, input: { username: string; relation: LinkRelation }): Promise<{ link: PersonLink; created: boolean }> {
    const username = input.username.trim();
    const now = this.ctx.clock();
    const refuse = (message: string) => new AppError(LINK_REFUSED, message, [{ path: 'username', message }]);
    // Checked first for clear words; the unique indexes decide between two requests at once.
    const { person, account, existing } = await this.withScope(caller, async (q) => {
      const person = await this.load(caller, q, personId);
      if (person.deleted_at) throw new AppError('PEOPLE_ALREADY_DELETED');
      if (person.death_date) throw refuse('该人员已故，不能关联账号');
      const account = await store.accountByUsername(q, username);
      if (!account) throw new AppError('NOT_FOUND', '未找到该居民账号', [{ path: 'username', message: '未找到该居民账号' }]);
      if (account.role !== 'citizen') throw refuse('只能关联居民账号');
      if (account.disabled) throw refuse('该账号已停用');
      return { person, account, existing: await store.linkOf(q, caller.scope, personId, account.id) };
    });
    const otherRelation = (r: LinkRelation) => refuse(`该账号已作为${RELATION_NAMES[r]}关联此人员；如需改为${RELATION_NAMES[input.relation]}，请先解除关联`);
    if (existing) {
      if (existing.relation !== input.relation) throw otherRelation(existing.relation);
      return { link: linkView(existing), created: false };
    }
    if (input.relation === 'self') {
      // Across the whole register: the account may be 本人 of a person outside the caller's region.
      const taken = await this.ctx.db.tx((q) => store.selfLinksFor(q, person.id, account.id), { scope: SYSTEM_SCOPE, asAppRole: true });
      if (taken.personSelf) throw refuse(`该人员已关联本人账号（${taken.personSelf.username}），一位老人只能有一个本人账号`);
      if (taken.userIsSelfElsewhere) throw refuse('该账号已是另一位老人的本人账号，一个账号只能作为一位老人的本人');
    }
    try {
      const saved = await this.withScope(caller, async (q) => {
        const inserted = await store.insertLink(q, { user_id: account.id, person_id: personId, district_code: person.district_code, relation: input.relation, linked_by: caller.userId }, now);
        if (inserted) {
          await appendAudit(q, [this.auditOf(caller, 'people.link', {
            entityType: 'person', entityId: personId, districtCode: person.district_code, details: { userId: account.id, relation: input.relation },
          })], now);
        }
        return { inserted, row: await store.linkOf(q, caller.scope, personId, account.id) };
      });
      if (!saved.row) throw new AppError('NOT_FOUND');
      // Linked by someone else a moment ago: the same answer as a repeated request, or a refusal.
      if (!saved.inserted && saved.row.relation !== input.relation) throw otherRelation(saved.row.relation);
      return { link: linkView(saved.row), created: saved.inserted };
    } catch (e) {
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw refuse('该人员或该账号已有本人关联，一位老人只能有一个本人账号，一个账号只能作为一位老人的本人');
      throw e;
    }
  }

  /** Remove the link of an account to a person in the caller's region; audited. */
  async unlink(caller: Caller, personId: string, userId: string): Promise<void> {
    const now = this.ctx.clock();
    await this.withScope(caller, async (q) => {
      const person = await this.load(caller, q, personId);
      const cur = await store.linkOf(q, caller.scope, personId, userId);
      if (!cur || !(await store.deleteLink(q, caller.scope, personId, userId))) throw new AppError('NOT_FOUND', '该账号未关联此人员');
      await appendAudit(q, [this.auditOf(caller, 'people.unlink', {
        entityType: 'person', entityId: personId, districtCode: person.district_code, details: { userId, relation: cur.relation },
      })], now);
    });
  }

  /**
   * Import a CSV/XLSX list. Every row is checked; bad rows are reported with row number, column
   * and reason; good rows are kept — all in one transaction, so a crash keeps all or none.
   * Idempotent on the ID number: re-importing the same file changes nothing.
   */
  async importFile(caller: Caller, fileName: string, bytes: Buffer, onProgress?: (done: number, total: number) => void): Promise<ImportSummary> {
    const kind = checkFileName(fileName);
    const sheet = await readSheet(bytes, kind);
    const mapped = mapRows(sheet, this.names);
    const errors: RowError[] = [...mapped.errors];
    const warnings: RowError[] = [];
    const today = this.today();
    const drafts: { row: number; d: PersonDraft; hash: string }[] = [];
    const seen = new Map<string, number>();
    for (const m of mapped.rows) {
      const r = validatePerson(m.input, { today, regions: this.lookup, maxAgeYears: MAX_AGE_YEARS });
      if (!r.ok) {
        for (const e of r.errors) errors.push({ row: m.row, field: columnForField(sheet.headers, e.path), message: e.message });
        continue;
      }
      const d = r.value;
      if (!isWithin(d.regionCode, caller.regionCode)) {
        errors.push({ row: m.row, field: columnForField(sheet.headers, 'regionCode'), message: '该地区不在您的辖区内' });
        continue;
      }
      const first = seen.get(d.idNumber);
      if (first !== undefined) {
        errors.push({ row: m.row, field: columnForField(sheet.headers, 'idNumber'), message: `与第 ${first} 行的身份证号码重复` });
        continue;
      }
      seen.set(d.idNumber, m.row);
      for (const w of d.warnings) warnings.push({ row: m.row, field: columnForField(sheet.headers, 'idNumber'), message: w });
      drafts.push({ row: m.row, d, hash: this.ctx.crypto.blindIndex(d.idNumber) });
    }

    const existing = await this.existingAnywhere(drafts.map((x) => x.hash));
    const inserts: NewPersonRow[] = [];
    const updates: { row: NewPersonRow; changes: ReturnType<typeof diffPerson> }[] = [];
    let unchanged = 0;
    for (const x of drafts) {
      const cur = existing.get(x.hash);
      if (!cur) {
        inserts.push(this.toRow(x.d, newId(), 1));
        continue;
      }
      if (!isWithin(cur.region_code, caller.regionCode)) {
        errors.push({ row: x.row, field: columnForField(sheet.headers, 'idNumber'), message: '该身份证号码已在其他辖区登记，请联系该辖区核实' });
        continue;
      }
      if (cur.deleted_at) {
        errors.push({ row: x.row, field: columnForField(sheet.headers, 'idNumber'), message: '该人员记录已注销，不能通过导入恢复' });
        continue;
      }
      const changes = diffPerson(this.toDraftLike(cur), x.d);
      if (changes.length === 0) unchanged++;
      else updates.push({ row: this.toRow(x.d, cur.id, cur.version + 1, cur.household_id), changes });
    }
    errors.sort((a, b) => a.row - b.row);

    const batchId = newId();
    const now = this.ctx.clock();
    const rejectedRows = new Set(errors.map((e) => e.row)).size;
    const summary: ImportSummary = {
      batchId, fileName, encoding: sheet.encoding, total: mapped.rows.length + new Set(mapped.errors.map((e) => e.row)).size,
      created: inserts.length, updated: updates.length, unchanged, rejected: rejectedRows, errors, warnings,
    };
    const reason = `导入批次 ${batchId}（${fileName}）`;
    const CHUNK = 5000;
    await this.withScope(caller, async (q) => {
      for (let i = 0; i < inserts.length; i += CHUNK) {
        const part = inserts.slice(i, i + CHUNK);
        await store.insertPeople(q, part, now, { action: 'import', actorId: caller.userId, actorName: caller.displayName, reason });
        onProgress?.(i + part.length, inserts.length + updates.length);
      }
      for (let i = 0; i < updates.length; i += CHUNK) {
        const part = updates.slice(i, i + CHUNK);
        const done = await store.updatePeople(q, caller.scope, part.map((u) => u.row), now);
        if (done.length !== part.length) throw new AppError('CONFLICT_VERSION', '导入期间有记录被他人修改，请重新导入');
        await store.insertHistory(q, part.map((u) => ({
          district_code: u.row.district_code, person_id: u.row.id, version: u.row.version, actor_id: caller.userId,
          actor_name: caller.displayName, action: 'import', changes: u.changes, reason,
        })), now);
        onProgress?.(inserts.length + i + part.length, inserts.length + updates.length);
      }
      await store.insertImportBatch(q, {
        id: batchId, fileName, sha256: createHash('sha256').update(bytes).digest('hex'), actorId: caller.userId, scope: caller.regionCode,
        total: summary.total, created: summary.created, updated: summary.updated, unchanged, rejected: rejectedRows,
      });
      await appendAudit(q, [this.auditOf(caller, 'people.import', {
        entityType: 'import_batch', entityId: batchId,
        details: { created: summary.created, updated: summary.updated, unchanged, rejected: rejectedRows, sha256: createHash('sha256').update(bytes).digest('hex') },
      })], now);
      if (inserts.length + updates.length > 0) {
        // Who changed: the rows of this import carry updated_at = now in these districts (consumers page through them).
        const districtCodes = [...new Set([...inserts, ...updates.map((u) => u.row)].map((r) => r.district_code))].sort();
        await emit(q, 'people.imported', { batchId, created: inserts.length, updated: updates.length, at: now.toISOString(), districtCodes }, null);
      }
    });
    if (inserts.length + updates.length >= ANALYZE_AFTER_ROWS) await analyzeDatabase(this.ctx.db);
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return summary;
  }

  /** Export a filtered list to XLSX; ID numbers masked unless revealed for a purpose (audited). */
  async exportXlsx(caller: Caller, query: ListQuery, reveal: { purpose: string } | null): Promise<Buffer> {
    if (reveal && !can(caller.role, 'people.reveal')) throw new AppError('AUTH_FORBIDDEN');
    const f = this.filterOf(query);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Yiyang 颐养';
    const ws = wb.addWorksheet('人员名册');
    ws.columns = [
      { header: '姓名', key: 'name', width: 12 }, { header: '身份证号', key: 'id', width: 22 }, { header: '性别', key: 'sex', width: 6 },
      { header: '出生日期', key: 'birth', width: 12 }, { header: '年龄', key: 'age', width: 6 }, { header: '所在区', key: 'district', width: 12 },
      { header: '居住街道', key: 'street', width: 16 }, { header: '医保类型', key: 'ins', width: 14 }, { header: '经济状况', key: 'eco', width: 10 },
      { header: '居住状况', key: 'living', width: 12 }, { header: '死亡日期', key: 'death', width: 12 },
    ];
    ws.getRow(1).font = { bold: true };
    let count = 0;
    await this.withScope(caller, async (q) => {
      for await (const page of store.eachPerson(q, caller.scope, f)) {
        for (const r of page) {
          const s = this.toSummary(r);
          ws.addRow({
            name: s.name, id: reveal ? this.ctx.crypto.decrypt(r.id_number_enc).split('|')[0] : s.idNumberMasked,
            sex: LABELS.sex[s.sex], birth: s.birthDate, age: s.age, district: s.districtName, street: s.streetName,
            ins: LABELS.insuranceType[s.insuranceType as keyof typeof LABELS.insuranceType] ?? s.insuranceType,
            eco: LABELS.economicStatus[s.economicStatus as keyof typeof LABELS.economicStatus] ?? s.economicStatus,
            living: LABELS.livingArrangement[s.livingArrangement as keyof typeof LABELS.livingArrangement] ?? s.livingArrangement,
            death: r.death_date ?? '',
          });
          count++;
        }
      }
      const { q: _q, ...filters } = query;
      await appendAudit(q, [this.auditOf(caller, reveal ? 'people.export_unmasked' : 'people.export', {
        entityType: 'person', purpose: reveal?.purpose ?? null, details: { filters, count },
      })], this.ctx.clock());
    });
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}

export type { ErrorDetail };

/** A notification to an older person, written by an event consumer inside its transaction. */
export interface PersonNotification {
  personId: string;
  districtCode: string;
  kind: string;
  title: string;
  body: string;
  data?: Record<string, unknown>;
  /** The event that caused it: a redelivered event notifies once. */
  sourceEvent: string;
}

/** Record a notification in the consumer's transaction; false when it was already recorded. */
export function notifyPerson(q: Queryable, n: PersonNotification, at: Date): Promise<boolean> {
  return store.insertNotification(q, {
    district_code: n.districtCode, id: newId(), person_id: n.personId, kind: n.kind, title: n.title, body: n.body,
    data: n.data ?? {}, source_event: n.sourceEvent,
  }, at);
}

/**
 * Names and full ID numbers of people in scope, for a file another module must hand over (the
 * bank's payment file). The caller states the purpose in its own audit entry; nothing is logged.
 */
export async function namesAndIdNumbers(ctx: AppContext, q: Queryable, scope: string, ids: readonly string[]): Promise<Map<string, { name: string; idNumber: string }>> {
  const rows = await store.encryptedIdNumbersOf(q, scope, ids);
  return new Map(rows.map((r) => [r.id, { name: r.name, idNumber: ctx.crypto.decrypt(r.id_number_enc).split('|')[0]! }]));
}
