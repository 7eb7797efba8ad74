// The supply registry's use cases (issue 6 §1, §2, §4): providers register and keep their
// facilities, rooms, beds and vacancies up to date; officers approve filings and follow the
// change feed; the public directory answers the "找服务" portal from an in-memory snapshot of
// approved facilities; planning ratios compare the registry with the plans' targets. Every change
// is audited in its transaction and evented (supply.vacancy_changed feeds the waiting list).
import { AppError } from '../core/errors.ts';
import { todayIn } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { maskName } from '../core/mask.ts';
import { districtOf, isRegionCode } from '../core/regions.ts';
import { yuanDecimal } from '../core/money.ts';
import { appendAudit } from '../platform/audit.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { emit, emitMany } from '../platform/outbox.ts';
import { normaliseMobile, queueSms, smsSentSince } from '../platform/sms.ts';
import {
  checkFacility, checkUscc, daysSince, functionCodes, haversineMeters, isStale, levelOfStreet, OWNERSHIP_NAMES, ownShare, planningRatios, PRICE_UNIT_NAMES,
  PROVIDER_KIND_NAMES, routeHint, STATUS_NAMES, summariseBeds,
  type BedKind, type BedStatus, type Bounds, type Catalogue, type FacilityDraft, type FacilityStatus, type LtciTerms, type Ownership, type PriceCategory, type PriceItem,
  type ProviderKind, type RegionLevel, type RegionSupply, type Vacancy,
} from './model.ts';
import { districtOutlines, supplyPolicy, type SupplyPolicy } from './policy.ts';
import * as store from './store/registry.ts';
import * as netStore from './store/network.ts';
import type { Network } from './coverage.ts';
import { circleCoverage } from './circle.ts';
import { decodeNetwork, nearestNodeIndex, toGraph, toLonLat, type RoadNetwork } from './network.ts';
import { candidateNodes, proposeSites } from './siting.ts';

/** What the registry needs of other modules (wired in src/app.ts). */
export interface SupplyPorts {
  /** What long-term-care insurance pays for a grade and insurance type on a date, in a district. */
  ltciTerms(grade: number, insurance: 'employee' | 'resident', districtCode: string, asOf: string): Promise<LtciTerms>;
  /** The people a signed-in caller may search for: a citizen's linked people, or one person in an advisor's scope. */
  proxyPeople(q: Queryable, caller: Caller, personId: string | null): Promise<{ personId: string; name: string; relation: string; districtCode: string; streetCode: string | null; careGrade: number | null; insurance: string | null }[]>;
  /** Record a notification to a registered person (delivered by SMS where the deployment has a gateway). */
  notifyPerson(q: Queryable, n: { districtCode: string; personId: string; kind: string; title: string; body: string; sourceEvent: string }, at: Date): Promise<boolean>;
  /** The elders of a district with their street, for placing them on the walking network. */
  eldersOf: EldersOf;
}

const RESIDENTIAL_DETOUR = 1.3; // a street route is about a third longer than the straight line (platform estimate, shown as such)
const LIST_LIMIT = 200;
const HISTORY_LIMIT = 200;

// ---------------------------------------------------------------------------------------------
// Views

export interface ProviderInput { name: string; uscc: string; legalRepresentative: string; kind: ProviderKind; phone: string; licences: { kind: string; number: string; validUntil: string | null }[]; regionCode?: string }

const providerView = (p: store.ProviderRow) => ({
  id: p.id, regionCode: p.region_code, name: p.name, uscc: p.uscc, legalRepresentative: p.legal_representative, kind: p.kind,
  kindName: PROVIDER_KIND_NAMES[p.kind as ProviderKind] ?? p.kind, phone: p.phone, licences: p.licences, filingStatus: p.filing_status,
  filingStatusName: STATUS_NAMES[p.filing_status], reviewNote: p.review_note, reviewedAt: p.reviewed_at, updatedAt: p.updated_at,
});

function vacancyOf(f: store.FacilityRow): Vacancy | null {
  const v = f.vacancy as Vacancy;
  return v && typeof v.total === 'number' ? v : null;
}

/** The headline price: residential — cheapest bed + board + care per month; else the cheapest item in its own unit. */
export function priceFrom(prices: readonly PriceItem[], residential: boolean, daysPerMonth: number): { fen: number; unit: string; item: string } | null {
  if (prices.length === 0) return null;
  const monthly = (p: PriceItem) => (p.unit === 'month' ? p.fen : p.unit === 'day' ? p.fen * daysPerMonth : null);
  if (residential) {
    const cheapest = (cat: PriceCategory) => Math.min(...prices.filter((p) => p.category === cat).map(monthly).filter((x): x is number => x !== null));
    const parts = (['bed', 'board', 'care'] as const).map(cheapest).filter((x) => Number.isFinite(x));
    if (parts.length) return { fen: parts.reduce((a, b) => a + b, 0), unit: 'month', item: '床位费+伙食费+护理费（每月）' };
  }
  const best = [...prices].sort((a, b) => a.fen - b.fen)[0]!;
  return { fen: best.fen, unit: best.unit, item: best.item };
}

// ---------------------------------------------------------------------------------------------

/** Registry writes committed by this process, per context: the public directory refreshes when it changes. */
const localWrites = new WeakMap<AppContext, number>();

export interface BedActor { userId: string | null; role: string; regionCode: string }

/**
 * Change bed statuses of one facility in the caller's transaction: the beds, their history, the
 * facility's vacancy (confirmed now), the change feed, the audit log and the
 * `supply.vacancy_changed` event. Returns how many beds changed. The registry's own writes and
 * the waiting list's reservations and admissions (through the composition root) both use it.
 */
export async function changeBedsIn(q: Queryable, actor: BedActor, f: store.FacilityRow, changes: readonly { bedId: string; status: BedStatus; note?: string | null }[], now: Date, what?: string): Promise<number> {
  return changeBedsAcross(q, actor, [{ f, changes, what }], now);
}

/**
 * The same for several facilities at once (an allocation run's reservations), in a fixed number
 * of statements however many facilities: beds, history, vacancies, feed, audit and one event per
 * facility.
 */
export async function changeBedsAcross(
  q: Queryable, actor: BedActor, items: readonly { f: store.FacilityRow; changes: readonly { bedId: string; status: BedStatus; note?: string | null }[]; what?: string }[], now: Date,
): Promise<number> {
  if (items.length === 0) return 0;
  const done = await store.setBedStatusesAcross(q, items.flatMap(({ f, changes }) => changes.map((c) => ({ facilityId: f.id, bedId: c.bedId, status: c.status }))), now);
  const notes = new Map(items.flatMap(({ changes }) => changes.map((c) => [c.bedId.toLowerCase(), c.note ?? null] as const)));
  const byId = new Map(items.map((i) => [i.f.id, i.f]));
  await store.insertBedEvents(q, done.map((d) => ({ id: newId(), bed_id: d.id, facility_id: d.facility_id, region_code: byId.get(d.facility_id)!.region_code, from_status: d.from, to_status: d.to, note: notes.get(d.id) ?? null, actor_id: actor.userId })), now);
  const ids = items.map((i) => i.f.id);
  await store.refreshVacancies(q, now, now, ids);
  const vac = await store.vacanciesOf(q, ids);
  const changed = new Map<string, number>();
  for (const d of done) changed.set(d.facility_id, (changed.get(d.facility_id) ?? 0) + 1);
  const empty = summariseBeds([]);
  const rows = items.map(({ f, what }) => ({ f, v: vac.get(f.id) ?? empty, summary: what ?? ((changed.get(f.id) ?? 0) ? `床位状态变更 ${changed.get(f.id)} 张` : '确认空床信息') }));
  await store.insertChanges(q, rows.map(({ f, v, summary }) => ({ id: newId(), provider_id: f.provider_id, facility_id: f.id, region_code: f.region_code, kind: 'beds.changed', summary, diff: { vacant: v.vacant, total: v.total }, actor_id: actor.userId, actor_role: actor.role })), now);
  await appendAudit(q, rows.map(({ f, v }) => ({ actorId: actor.userId, actorRole: actor.role, actorScope: actor.regionCode, action: 'supply.beds.update', entityType: 'facility', entityId: f.id, districtCode: f.district_code, details: { vacant: v.vacant, total: v.total } })), now);
  await emitMany(q, rows.map(({ f, v }) => ({
    topic: 'supply.vacancy_changed', districtCode: f.district_code,
    payload: { facilityId: f.id, regionCode: f.region_code, basicGuarantee: f.basic_guarantee, total: v.total, vacant: v.vacant, basicVacant: v.basicVacant, byKind: v.byKind, confirmedAt: now.toISOString() },
  })));
  return done.length;
}

export class RegistryService {
  constructor(private readonly ctx: AppContext, private readonly policy: SupplyPolicy = supplyPolicy()) {}

  private get catalogue(): Catalogue {
    return this.policy.catalogue;
  }

  private tx<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
  }

  /** A change: after it commits, this process's public directory refreshes at its next read. */
  private async write<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    const r = await this.tx(caller, fn);
    localWrites.set(this.ctx, (localWrites.get(this.ctx) ?? 0) + 1);
    return r;
  }

  private audit(q: Queryable, caller: Caller, action: string, entityType: string, entityId: string, districtCode: string | null, details: Record<string, unknown>, at: Date) {
    return appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType, entityId, districtCode, details }], at);
  }

  private change(q: Queryable, caller: Caller, c: { providerId: string | null; facilityId: string | null; regionCode: string; kind: string; summary: string; diff?: Record<string, unknown> }, at: Date) {
    return store.insertChange(q, { id: newId(), provider_id: c.providerId, facility_id: c.facilityId, region_code: c.regionCode, kind: c.kind, summary: c.summary, diff: c.diff ?? {}, actor_id: caller.userId, actor_role: caller.role }, at);
  }

  /** The provider a provider-role caller acts for (null for staff). */
  private async ownProvider(q: Queryable, caller: Caller): Promise<string | null> {
    if (caller.role !== 'provider') return null;
    return store.providerOfUser(q, caller.userId);
  }

  /** A facility the caller may manage: in scope, and for a provider one of its own. */
  private async facilityFor(q: Queryable, caller: Caller, id: string): Promise<store.FacilityRow> {
    const f = await store.getFacility(q, id);
    if (!f) throw new AppError('NOT_FOUND', '未找到该设施');
    if (caller.role === 'provider' && (await store.providerOfUser(q, caller.userId)) !== f.provider_id) throw new AppError('SUPPLY_NOT_YOUR_FACILITY');
    return f;
  }

  // ----- providers

  /** A provider's own registration, with its facilities (provider role). */
  async mine(caller: Caller) {
    return this.tx(caller, async (q) => {
      const pid = await store.providerOfUser(q, caller.userId);
      if (!pid) return { provider: null, facilities: [] };
      const p = await store.getProvider(q, pid);
      const list = await store.listFacilities(q, { providerId: pid }, LIST_LIMIT, 0);
      return { provider: p ? providerView(p) : null, facilities: list.rows.map((f) => this.facilityView(f)) };
    });
  }

  /** Register a provider: a provider's staff register their own (then submit the filing); an officer registers one already approved. */
  async registerProvider(caller: Caller, input: ProviderInput) {
    const uscc = checkUscc(input.uscc);
    if (!uscc.ok) throw new AppError('SUPPLY_USCC_INVALID', uscc.reason, [{ path: 'uscc', message: uscc.reason }]);
    const regionCode = input.regionCode ?? caller.regionCode;
    if (!this.ctx.regions.get(regionCode)) throw new AppError('REGION_UNKNOWN');
    const now = this.ctx.clock();
    const id = newId();
    const officer = caller.role !== 'provider';
    // A code is registered once in the whole jurisdiction, whatever the caller's scope (checked as the system, before the caller's transaction).
    if (await this.ctx.db.tx((s) => store.providerByUscc(s, uscc.code), { asAppRole: false })) throw new AppError('SUPPLY_PROVIDER_EXISTS');
    await this.write(caller, async (q) => {
      if (caller.role === 'provider' && (await store.providerOfUser(q, caller.userId))) throw new AppError('SUPPLY_ILLEGAL_TRANSITION', '本账号已登记了机构信息');
      await store.insertProvider(q, {
        id, region_code: districtOf(regionCode), name: input.name, uscc: uscc.code, legal_representative: input.legalRepresentative, kind: input.kind,
        phone: input.phone, licences: input.licences, filing_status: officer ? 'approved' : 'draft',
      }, now);
      if (!officer) await store.linkProviderUser(q, caller.userId, id);
      await this.change(q, caller, { providerId: id, facilityId: null, regionCode: districtOf(regionCode), kind: 'provider.registered', summary: `登记机构：${input.name}` }, now);
      await this.audit(q, caller, 'supply.provider.register', 'provider', id, districtOf(regionCode), { uscc: uscc.code }, now);
    });
    return this.provider(caller, id);
  }

  async provider(caller: Caller, id: string) {
    const p = await this.tx(caller, (q) => store.getProvider(q, id));
    if (!p) throw new AppError('NOT_FOUND', '未找到该机构');
    return providerView(p);
  }

  async updateProvider(caller: Caller, id: string, input: Omit<ProviderInput, 'uscc' | 'regionCode'>) {
    const now = this.ctx.clock();
    await this.write(caller, async (q) => {
      const p = await store.getProvider(q, id);
      if (!p) throw new AppError('NOT_FOUND', '未找到该机构');
      const own = await this.ownProvider(q, caller);
      if (caller.role === 'provider' && own !== id) throw new AppError('SUPPLY_NOT_YOUR_FACILITY', '只能修改本机构的信息');
      await store.updateProvider(q, id, { name: input.name, legal_representative: input.legalRepresentative, kind: input.kind, phone: input.phone, licences: input.licences }, now);
      const diff = diffOf({ name: p.name, legalRepresentative: p.legal_representative, kind: p.kind, phone: p.phone, licences: p.licences }, input as unknown as Record<string, unknown>);
      await this.change(q, caller, { providerId: id, facilityId: null, regionCode: p.region_code, kind: 'provider.updated', summary: `修改机构信息：${Object.keys(diff).join('、') || '无变化'}`, diff }, now);
      await this.audit(q, caller, 'supply.provider.update', 'provider', id, p.region_code, { fields: Object.keys(diff) }, now);
    });
    return this.provider(caller, id);
  }

  /** Move a provider's filing: submit (its staff), approve or reject (an officer, with a note). */
  async moveProvider(caller: Caller, id: string, to: 'submitted' | 'approved' | 'rejected', note: string | null) {
    const now = this.ctx.clock();
    await this.write(caller, async (q) => {
      const p = await store.getProvider(q, id);
      if (!p) throw new AppError('NOT_FOUND', '未找到该机构');
      if (to === 'submitted') {
        if (caller.role === 'provider' && (await this.ownProvider(q, caller)) !== id) throw new AppError('SUPPLY_NOT_YOUR_FACILITY');
        if (p.filing_status !== 'draft' && p.filing_status !== 'rejected') throw new AppError('SUPPLY_ILLEGAL_TRANSITION', `机构备案当前为“${STATUS_NAMES[p.filing_status]}”，不能再提交`);
      } else {
        if (caller.role === 'provider') throw new AppError('AUTH_FORBIDDEN');
        if (p.filing_status !== 'submitted') throw new AppError('SUPPLY_ILLEGAL_TRANSITION', `机构备案当前为“${STATUS_NAMES[p.filing_status]}”，只能审核待审核的备案`);
        if (to === 'rejected' && !note) throw new AppError('VALIDATION_FAILED', '退回时请写明原因', [{ path: 'note', message: '退回时请写明原因' }]);
      }
      await store.setProviderStatus(q, id, to, caller.userId, note, now);
      await this.change(q, caller, { providerId: id, facilityId: null, regionCode: p.region_code, kind: `provider.${to}`, summary: `机构备案${STATUS_NAMES[to]}${note ? `：${note}` : ''}` }, now);
      await this.audit(q, caller, `supply.provider.${to}`, 'provider', id, p.region_code, note ? { note } : {}, now);
    });
    return this.provider(caller, id);
  }

  async providers(caller: Caller, f: { status?: store.ProviderRow['filing_status']; q?: string }) {
    const rows = await this.tx(caller, (q) => store.listProviders(q, f, LIST_LIMIT));
    return { items: rows.map(providerView) };
  }

  // ----- facilities

  facilityView(f: store.FacilityRow, now: Date = this.ctx.clock()) {
    const type = this.catalogue.facilityTypes.find((t) => t.code === f.type_code);
    const stale = this.policy.param('vacancyStaleAfterDays', todayIn(() => now));
    const confirmed = f.vacancy_confirmed_at ? new Date(f.vacancy_confirmed_at) : null;
    return {
      id: f.id, providerId: f.provider_id, providerName: f.provider_name, regionCode: f.region_code, districtCode: f.district_code,
      name: f.name, typeCode: f.type_code, typeName: type?.name ?? f.type_code, residential: type?.residential ?? false,
      ownership: f.ownership, ownershipName: OWNERSHIP_NAMES[f.ownership as Ownership] ?? f.ownership, basicGuarantee: f.basic_guarantee,
      address: f.address, lon: f.lon, lat: f.lat, floorAreaM2: f.floor_area_m2, openingHours: f.opening_hours, description: f.description,
      functions: f.functions, functionNames: f.functions.map((c) => this.catalogue.functions.find((x) => x.code === c)?.name ?? c),
      prices: f.prices, photos: f.photos, phone: f.phone, mealCapacity: f.meal_capacity, openedOn: f.opened_on,
      status: f.status, statusName: STATUS_NAMES[f.status], reviewNote: f.review_note, reviewedAt: f.reviewed_at, rating: f.rating,
      beds: type?.residential ? vacancyOf(f) : null, rooms: f.rooms,
      vacancyConfirmedAt: f.vacancy_confirmed_at, vacancyDays: daysSince(confirmed, now), vacancyStale: type?.residential ? isStale(confirmed, now, stale) : false,
      createdAt: f.created_at, updatedAt: f.updated_at,
    };
  }

  private draftChecks(d: FacilityDraft) {
    const problems = checkFacility(d, this.catalogue, this.bounds());
    if (!isRegionCode(d.regionCode) || !this.ctx.regions.get(d.regionCode)) problems.push({ field: 'regionCode', message: '行政区划代码不存在' });
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems[0]!.message, problems.map((x) => ({ path: x.field, message: x.message })));
  }

  /** The jurisdiction's bounding box from its district outlines (null when it has none). */
  private boundsCache: Bounds | null | undefined;
  bounds(): Bounds | null {
    if (this.boundsCache !== undefined) return this.boundsCache;
    this.boundsCache = boundsOfOutlines(this.ctx.jurisdiction.id);
    return this.boundsCache;
  }

  async createFacility(caller: Caller, d: FacilityDraft & { providerId?: string }) {
    this.draftChecks(d);
    const now = this.ctx.clock();
    const id = newId();
    await this.write(caller, async (q) => {
      const own = await this.ownProvider(q, caller);
      const providerId = caller.role === 'provider' ? own : d.providerId ?? null;
      if (!providerId) throw new AppError(caller.role === 'provider' ? 'SUPPLY_NO_PROVIDER' : 'VALIDATION_FAILED', caller.role === 'provider' ? undefined : '请选择所属机构');
      if (!(await store.getProvider(q, providerId))) throw new AppError('NOT_FOUND', '未找到该机构');
      // A provider's new facility starts as a draft to submit; one entered by an officer is filed at once.
      const status: FacilityStatus = caller.role === 'provider' ? 'draft' : 'approved';
      await store.insertFacilities(q, [this.row(id, providerId, d, status)], now);
      await this.change(q, caller, { providerId, facilityId: id, regionCode: d.regionCode, kind: 'facility.created', summary: `新增设施：${d.name}` }, now);
      await this.audit(q, caller, 'supply.facility.create', 'facility', id, districtOf(d.regionCode), { status }, now);
      await emit(q, 'supply.facility_changed', { facilityId: id, status, change: 'created' }, districtOf(d.regionCode));
    });
    return this.facility(caller, id);
  }

  private row(id: string, providerId: string, d: FacilityDraft, status: FacilityStatus): store.FacilityWrite {
    return {
      id, provider_id: providerId, region_code: d.regionCode, district_code: districtOf(d.regionCode), name: d.name, type_code: d.typeCode, ownership: d.ownership,
      basic_guarantee: d.basicGuarantee, address: d.address, lon: d.lon, lat: d.lat, floor_area_m2: d.floorAreaM2, opening_hours: d.openingHours,
      description: d.description, functions: d.functions, prices: d.prices, photos: d.photos, phone: d.phone, meal_capacity: d.mealCapacity, opened_on: d.openedOn, status,
    };
  }

  async updateFacility(caller: Caller, id: string, d: FacilityDraft) {
    this.draftChecks(d);
    const now = this.ctx.clock();
    await this.write(caller, async (q) => {
      const f = await this.facilityFor(q, caller, id);
      if (f.status === 'closed') throw new AppError('SUPPLY_ILLEGAL_TRANSITION', '已停业的设施不能修改');
      const { provider_id: _p, status: _s, ...w } = this.row(id, f.provider_id, d, f.status);
      await store.updateFacility(q, w, now);
      const diff = diffOf(f as unknown as Record<string, unknown>, w as unknown as Record<string, unknown>);
      delete diff.id;
      const fields = Object.keys(diff);
      await this.change(q, caller, { providerId: f.provider_id, facilityId: id, regionCode: d.regionCode, kind: 'facility.updated', summary: `修改设施信息：${fields.map(fieldName).join('、') || '无变化'}`, diff }, now);
      await this.audit(q, caller, 'supply.facility.update', 'facility', id, districtOf(d.regionCode), { fields }, now);
      await emit(q, 'supply.facility_changed', { facilityId: id, status: f.status, change: 'updated', fields }, districtOf(d.regionCode));
    });
    return this.facility(caller, id);
  }

  /** Submit (provider), approve / reject (officer, a note required to reject), close (either). */
  async moveFacility(caller: Caller, id: string, to: 'submitted' | 'approved' | 'rejected' | 'closed', note: string | null) {
    const now = this.ctx.clock();
    await this.write(caller, async (q) => {
      const f = await this.facilityFor(q, caller, id);
      const allowed: Record<typeof to, FacilityStatus[]> = { submitted: ['draft', 'rejected'], approved: ['submitted'], rejected: ['submitted'], closed: ['draft', 'submitted', 'approved', 'rejected'] };
      if ((to === 'approved' || to === 'rejected') && caller.role === 'provider') throw new AppError('AUTH_FORBIDDEN', '备案由民政部门审核');
      if (!allowed[to].includes(f.status)) throw new AppError('SUPPLY_ILLEGAL_TRANSITION', `设施当前为“${STATUS_NAMES[f.status]}”，不能${to === 'submitted' ? '提交' : to === 'closed' ? '停业' : '审核'}`);
      if ((to === 'rejected' || to === 'closed') && !note) throw new AppError('VALIDATION_FAILED', '请写明原因', [{ path: 'note', message: '请写明原因' }]);
      await store.setFacilityStatus(q, id, to, caller.userId, note, now);
      await this.change(q, caller, { providerId: f.provider_id, facilityId: id, regionCode: f.region_code, kind: `facility.${to}`, summary: `设施${STATUS_NAMES[to]}${note ? `：${note}` : ''}` }, now);
      await this.audit(q, caller, `supply.facility.${to}`, 'facility', id, f.district_code, note ? { note } : {}, now);
      await emit(q, 'supply.facility_changed', { facilityId: id, status: to, change: to }, f.district_code);
    });
    return this.facility(caller, id);
  }

  async facilities(caller: Caller, f: store.FacilityFilter & { page?: number; pageSize?: number }) {
    const pageSize = f.pageSize ?? 20;
    const page = f.page ?? 1;
    return this.tx(caller, async (q) => {
      const own = await this.ownProvider(q, caller);
      if (caller.role === 'provider' && !own) return { total: 0, page, pageSize, items: [] };
      const r = await store.listFacilities(q, { ...f, ...(own ? { providerId: own } : {}) }, pageSize, (page - 1) * pageSize);
      return { total: r.total, page, pageSize, items: r.rows.map((x) => this.facilityView(x)) };
    });
  }

  async facility(caller: Caller, id: string) {
    return this.tx(caller, async (q) => {
      const f = await this.facilityFor(q, caller, id);
      const [rooms, beds] = await Promise.all([store.roomsOf(q, id), store.bedsOf(q, id)]);
      return {
        ...this.facilityView(f),
        roomList: rooms.map((r) => ({ id: r.id, name: r.name, floor: r.floor, beds: r.beds })),
        bedList: beds.map((b) => ({ id: b.id, roomId: b.room_id, roomName: b.room_name, label: b.label, kind: b.kind, basicGuarantee: b.basic_guarantee, status: b.status, statusSince: b.status_since })),
      };
    });
  }

  // ----- rooms and beds

  /** Add a room with its beds (all vacant at first). */
  async addRoom(caller: Caller, facilityId: string, input: { name: string; floor: number | null; beds: { label?: string; kind: BedKind; basicGuarantee: boolean }[] }) {
    const now = this.ctx.clock();
    await this.write(caller, async (q) => {
      const f = await this.facilityFor(q, caller, facilityId);
      const type = this.catalogue.facilityTypes.find((t) => t.code === f.type_code);
      if (!type?.residential) throw new AppError('VALIDATION_FAILED', '该类设施没有床位');
      const roomId = newId();
      await store.insertRooms(q, [{ id: roomId, facility_id: facilityId, region_code: f.region_code, name: input.name, floor: input.floor }], now);
      const beds = input.beds.map((b, i) => ({ id: newId(), facility_id: facilityId, room_id: roomId, region_code: f.region_code, label: b.label ?? `${input.name}-${i + 1}`, kind: b.kind, basic_guarantee: b.basicGuarantee, status: 'vacant' as const }));
      await store.insertBeds(q, beds, now);
      await store.insertBedEvents(q, beds.map((b) => ({ id: newId(), bed_id: b.id, facility_id: facilityId, region_code: f.region_code, from_status: null, to_status: 'vacant', note: '新增床位', actor_id: caller.userId })), now);
      await changeBedsIn(q, { userId: caller.userId, role: caller.role, regionCode: caller.regionCode }, f, [], now, `新增房间 ${input.name}（${beds.length} 张床）`);
    });
    return this.facility(caller, facilityId);
  }

  /** Change bed statuses (admission, discharge, reservation, out of service); confirms the vacancy. */
  async setBeds(caller: Caller, facilityId: string, changes: { bedId: string; status: BedStatus; note?: string | null }[]) {
    const now = this.ctx.clock();
    const changed = await this.write(caller, async (q) => {
      const f = await this.facilityFor(q, caller, facilityId);
      return changeBedsIn(q, { userId: caller.userId, role: caller.role, regionCode: caller.regionCode }, f, changes, now);
    });
    return { changed, facility: await this.facility(caller, facilityId) };
  }

  /** "Nothing changed": confirm today's vacancy as it stands. */
  async confirmVacancy(caller: Caller, facilityId: string) {
    return (await this.setBeds(caller, facilityId, [])).facility;
  }

  async bedHistory(caller: Caller, facilityId: string, bedId: string | null) {
    return this.tx(caller, async (q) => {
      await this.facilityFor(q, caller, facilityId);
      const rows = await store.bedEvents(q, facilityId, bedId, HISTORY_LIMIT);
      const names = new Map(this.catalogue.bedStatuses.map((s) => [s.code, s.name]));
      return { items: rows.map((e) => ({ id: e.id, bedId: e.bed_id, label: e.label, from: e.from_status, fromName: e.from_status ? names.get(e.from_status) ?? e.from_status : null, to: e.to_status, toName: names.get(e.to_status) ?? e.to_status, note: e.note, at: e.at })) };
    });
  }

  /** The change feed in scope (officers), or one facility's. */
  async changes(caller: Caller, f: { facilityId?: string; kind?: string }) {
    return this.tx(caller, async (q) => {
      const own = await this.ownProvider(q, caller);
      if (caller.role === 'provider' && !own) return { items: [] };
      const rows = await store.listChanges(q, { ...f, ...(own ? { providerId: own } : {}) }, LIST_LIMIT);
      return { items: rows.map((c) => ({ id: c.id, providerId: c.provider_id, facilityId: c.facility_id, facilityName: c.facility_name, regionCode: c.region_code, kind: c.kind, summary: c.summary, diff: c.diff, actorRole: c.actor_role, at: c.at })) };
    });
  }

  /** What waits for an officer's review in scope. */
  async reviewQueue(caller: Caller) {
    return this.tx(caller, async (q) => {
      const [providers, facilities] = await Promise.all([store.listProviders(q, { status: 'submitted' }, LIST_LIMIT), store.listFacilities(q, { status: 'submitted' }, LIST_LIMIT, 0)]);
      return { providers: providers.map(providerView), facilities: facilities.rows.map((f) => this.facilityView(f)) };
    });
  }
}

const FIELD_NAMES: Record<string, string> = {
  name: '名称', type_code: '类型', ownership: '性质', basic_guarantee: '保基本', address: '地址', lon: '位置', lat: '位置', floor_area_m2: '建筑面积', opening_hours: '开放时间',
  description: '简介', functions: '服务功能', prices: '收费标准', photos: '照片', phone: '电话', meal_capacity: '供餐能力', opened_on: '开业日期', region_code: '所在街镇', district_code: '所在区',
  legalRepresentative: '法定代表人', kind: '类型', licences: '许可证照',
};
const fieldName = (k: string) => FIELD_NAMES[k] ?? k;

/** Fields whose values differ (compared as JSON), with before and after. */
function diffOf(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const k of Object.keys(after)) {
    if (!(k in before)) continue;
    const a = before[k];
    const b = after[k];
    const norm = (v: unknown) => JSON.stringify(typeof v === 'number' ? Number(v) : v ?? null);
    if (norm(a) !== norm(b)) out[k] = { before: a ?? null, after: b ?? null };
  }
  return out;
}


function boundsOfOutlines(jurisdiction: string): Bounds | null {
  const fc = districtOutlines(jurisdiction);
  if (fc.features.length === 0) return null;
  const b: Bounds = { west: Infinity, south: Infinity, east: -Infinity, north: -Infinity };
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b.west = Math.min(b.west, x!);
      b.east = Math.max(b.east, x!);
      b.south = Math.min(b.south, y!);
      b.north = Math.max(b.north, y!);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of fc.features) walk(f.geometry.coordinates);
  const MARGIN_DEG = 0.05;
  return { west: b.west - MARGIN_DEG, south: b.south - MARGIN_DEG, east: b.east + MARGIN_DEG, north: b.north + MARGIN_DEG };
}

// ---------------------------------------------------------------------------------------------
// The public directory ("找服务"): an in-memory snapshot of approved facilities, refreshed when
// the registry's stamp changes (checked at most every REFRESH_MS), so a search is a scan of a
// few thousand objects in memory rather than a database round trip.

const REFRESH_MS = 2_000;
/** How long, and how many, answers are kept for repeated questions (the snapshot changing drops them). */
const ANSWER_TTL_MS = 5_000;
const ANSWER_CACHE = 2_000;

export type FacilityView = ReturnType<RegistryService['facilityView']>;
export interface SearchQuery {
  q?: string; region?: string; types?: string[]; fn?: string; vacancy?: boolean; basic?: boolean; minPrice?: number; maxPrice?: number;
  near?: { lon: number; lat: number; label?: string }; sort?: 'distance' | 'vacancy' | 'price' | 'name'; page: number; pageSize: number;
}

interface Entry { view: FacilityView; card: ReturnType<PublicDirectory['card']>; text: string; priceFen: number | null; confirmedAt: Date | null; rank: number }

export class PublicDirectory {
  private entries: Entry[] = [];
  private byId = new Map<string, Entry>();
  private stamp = '';
  private checkedAt = 0;
  private writesSeen = 0;
  private answers = new Map<string, { stamp: string; at: number; result: ReturnType<PublicDirectory['answerUncached']>; json: string | null }>();
  private loading: Promise<void> | null = null;
  private readonly registry: RegistryService;

  constructor(private readonly ctx: AppContext, private readonly ports: SupplyPorts, private readonly policy: SupplyPolicy = supplyPolicy()) {
    this.registry = new RegistryService(ctx, policy);
  }

  private today(): string {
    return todayIn(this.ctx.clock);
  }

  /** Make sure the snapshot is current (one refresh at a time; cheap when nothing changed). */
  async fresh(): Promise<void> {
    const now = Date.now();
    const writes = localWrites.get(this.ctx) ?? 0;
    if (now - this.checkedAt < REFRESH_MS && this.stamp && writes === this.writesSeen) return;
    this.writesSeen = writes;
    this.loading ??= (async () => {
      try {
        const stamp = await this.ctx.db.tx((q) => store.registryStamp(q), { asAppRole: false, readOnly: true });
        this.checkedAt = Date.now();
        if (stamp === this.stamp) return;
        const rows = await this.ctx.db.tx((q) => store.publicFacilities(q), { asAppRole: false, readOnly: true });
        const days = this.policy.param('ltciDaysPerMonth', this.today());
        const entries = rows.map((r) => {
          const view = this.registry.facilityView(r);
          const pf = priceFrom(r.prices, view.residential, days);
          const streetName = this.ctx.regions.get(r.region_code)?.name ?? '';
          return {
            view, card: this.card(view, pf, streetName), text: `${r.name} ${r.address} ${r.provider_name} ${streetName} ${view.typeName} ${view.functionNames.join(' ')}`,
            priceFen: pf?.fen ?? null, confirmedAt: r.vacancy_confirmed_at ? new Date(r.vacancy_confirmed_at) : null, rank: 0,
          };
        });
        const collator = new Intl.Collator('zh-CN');
        entries.sort((a, b) => collator.compare(a.view.name, b.view.name) || (a.view.id < b.view.id ? -1 : a.view.id > b.view.id ? 1 : 0));
        entries.forEach((e, i) => {
          e.rank = i;
        });
        this.entries = entries;
        this.answers.clear();
        this.byId = new Map(entries.map((e) => [e.view.id, e]));
        this.stamp = stamp;
      } finally {
        this.loading = null;
      }
    })();
    await this.loading;
  }

  card(v: FacilityView, pf: { fen: number; unit: string; item: string } | null, streetName: string) {
    return {
      id: v.id, name: v.name, typeCode: v.typeCode, typeName: v.typeName, districtCode: v.districtCode, districtName: this.ctx.regions.get(v.districtCode)?.name ?? '',
      streetName, address: v.address, lon: v.lon, lat: v.lat, functions: v.functions, functionNames: v.functionNames, basicGuarantee: v.basicGuarantee,
      ownershipName: v.ownershipName, beds: v.beds ? { total: v.beds.total, vacant: v.beds.vacant, byKind: v.beds.byKind, basicVacant: v.beds.basicVacant } : null,
      vacancyConfirmedAt: v.vacancyConfirmedAt, priceFrom: pf ? { ...pf, unitName: PRICE_UNIT_NAMES[pf.unit as keyof typeof PRICE_UNIT_NAMES] ?? pf.unit } : null,
      rating: v.rating, phone: v.phone,
    };
  }

  /** Staleness is computed at read time (the snapshot may be older than a day). */
  /** What every card of one answer shares: now, the staleness and walking parameters (worked out once, not per card). */
  private liveContext() {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    return { now, staleDays: this.policy.param('vacancyStaleAfterDays', today), speed: this.policy.param('walkMetersPerMinute', today) };
  }

  private live(e: Entry, near: SearchQuery['near'], c = this.liveContext()) {
    const confirmed = e.confirmedAt;
    const meters = near ? Math.round(haversineMeters(near.lon, near.lat, e.view.lon, e.view.lat)) : null;
    return {
      ...e.card,
      vacancyDays: daysSince(confirmed, c.now),
      vacancyStale: e.view.residential ? isStale(confirmed, c.now, c.staleDays) : false,
      distanceMeters: meters,
      walkMinutes: meters === null ? null : Math.max(1, Math.round((meters * RESIDENTIAL_DETOUR) / c.speed)),
    };
  }

  catalogue() {
    const c = this.policy.catalogue;
    const today = this.today();
    return {
      version: c.version,
      facilityTypes: c.facilityTypes.map((t) => ({ code: t.code, name: t.name, group: t.group, groupName: c.groups.find((g) => g.code === t.group)?.name ?? t.group, residential: t.residential })),
      categories: c.categories.map((x) => ({ code: x.code, name: x.name, quote: x.quote })),
      functions: c.functions.map((f) => ({ code: f.code, name: f.name, category: f.category, categoryName: c.categories.find((x) => x.code === f.category)?.name ?? f.category })),
      bedKinds: c.bedKinds, bedStatuses: c.bedStatuses, priceCategories: c.priceCategories,
      districts: this.ctx.regions.districts().map((d) => ({ code: d.code, name: d.name })),
      staleAfterDays: this.policy.param('vacancyStaleAfterDays', today),
      walkMetersPerMinute: this.policy.param('walkMetersPerMinute', today),
      circleMinutes: this.policy.param('circleMinutes', today),
      grades: [1, 2, 3, 4, 5, 6].map((g) => ({ grade: g, name: `照护${['一', '二', '三', '四', '五', '六'][g - 1]}级` })),
      tileUrl: this.policy.tileUrl,
    };
  }

  /** Streets and neighbourhoods matching an address fragment, placed at the centre of their approved facilities (or their street's). */
  async places(q: string) {
    await this.fresh();
    const found = this.ctx.regions.search(q, { limit: 12 }).filter((r) => r.code.length > 6);
    const items = [];
    for (const r of found) {
      const street = r.code.slice(0, 9);
      const centre = this.centreOf(r.code) ?? this.centreOf(street);
      if (centre) items.push({ code: r.code, name: r.name, path: this.ctx.regions.pathNames(r.code) ?? r.name, lon: centre.lon, lat: centre.lat });
    }
    return { items };
  }

  private centreOf(prefix: string): { lon: number; lat: number } | null {
    let n = 0;
    let lon = 0;
    let lat = 0;
    for (const e of this.entries) {
      if (!e.view.regionCode.startsWith(prefix)) continue;
      n++;
      lon += e.view.lon;
      lat += e.view.lat;
    }
    return n ? { lon: lon / n, lat: lat / n } : null;
  }

  async search(s: SearchQuery) {
    return (await this.cached(s)).result;
  }

  /** The same answer as JSON text, written once per cached answer (the hot route sends it as it is). */
  async searchJson(s: SearchQuery): Promise<string> {
    const c = await this.cached(s);
    c.json ??= JSON.stringify(c.result);
    return c.json;
  }

  private async cached(s: SearchQuery) {
    await this.fresh();
    // The same question within a few seconds of the same snapshot gets the same answer (the portal's
    // landing list, a family refreshing): kept briefly, dropped when the snapshot changes.
    const key = JSON.stringify(s);
    const now = Date.now();
    const hit = this.answers.get(key);
    if (hit && hit.stamp === this.stamp && now - hit.at < ANSWER_TTL_MS) return hit;
    const entry = { stamp: this.stamp, at: now, result: this.answerUncached(s), json: null as string | null };
    if (this.answers.size >= ANSWER_CACHE) this.answers.clear();
    this.answers.set(key, entry);
    return entry;
  }

  /** The answer worked out now, without the short-lived cache (the search's own cost; the benchmark's cold path). */
  answerUncached(s: SearchQuery) {
    const fnCodes = s.fn ? functionCodes(this.policy.catalogue, s.fn) : null;
    if (s.fn && !fnCodes) throw new AppError('VALIDATION_FAILED', `未知的服务功能：${s.fn}`);
    const types = s.types?.length ? new Set(s.types) : null;
    const words = (s.q ?? '').trim().split(/\s+/).filter(Boolean);
    // The snapshot is kept in name order (zh-CN collation, then id), so filtering keeps that order.
    const hits: Entry[] = [];
    for (const e of this.entries) {
      const v = e.view;
      if (s.region && !v.regionCode.startsWith(s.region)) continue;
      if (types && !types.has(v.typeCode)) continue;
      if (fnCodes && !fnCodes.some((c) => v.functions.includes(c))) continue;
      if (s.basic && !v.basicGuarantee) continue;
      if (s.vacancy && !(v.beds && (s.basic ? v.beds.basicVacant : v.beds.vacant) > 0)) continue;
      if (s.minPrice !== undefined && (e.priceFen === null || e.priceFen < s.minPrice)) continue;
      if (s.maxPrice !== undefined && (e.priceFen === null || e.priceFen > s.maxPrice)) continue;
      if (words.length && !words.every((w) => e.text.includes(w))) continue;
      hits.push(e);
    }
    const near = s.near;
    const sort = s.sort ?? (near ? 'distance' : 'name');
    if (sort !== 'name') {
      const key = new Float64Array(hits.length);
      hits.forEach((e, i) => {
        key[i] = sort === 'distance' && near ? haversineMeters(near.lon, near.lat, e.view.lon, e.view.lat)
          : sort === 'vacancy' ? -(e.view.beds?.vacant ?? -1)
            : sort === 'price' ? (e.priceFen ?? Infinity) : e.rank;
      });
      const order = Array.from(hits.keys()).sort((a, b) => key[a]! - key[b]! || hits[a]!.rank - hits[b]!.rank);
      const sorted = order.map((i) => hits[i]!);
      hits.length = 0;
      hits.push(...sorted);
    }
    const start = (s.page - 1) * s.pageSize;
    const c = this.liveContext();
    return {
      total: hits.length, page: s.page, pageSize: s.pageSize,
      center: near ? { lon: near.lon, lat: near.lat, label: near.label ?? '所选位置' } : null,
      items: hits.slice(start, start + s.pageSize).map((e) => this.live(e, near, c)),
    };
  }

  async detail(id: string, near?: { lon: number; lat: number; label?: string }) {
    await this.fresh();
    const e = this.byId.get(id.toLowerCase());
    if (!e) throw new AppError('NOT_FOUND', '未找到该服务机构');
    const v = e.view;
    const today = this.today();
    return {
      ...this.live(e, near), providerName: v.providerName, openingHours: v.openingHours, floorAreaM2: v.floorAreaM2, description: v.description,
      prices: v.prices, photos: v.photos, rooms: v.rooms, residential: v.residential, mealCapacity: v.mealCapacity,
      route: near ? routeHint({ lon: near.lon, lat: near.lat, label: near.label ?? '所选位置' }, v, this.policy.param('walkMetersPerMinute', today), RESIDENTIAL_DETOUR) : null,
    };
  }

  /** The person's own share of the facility's prices after long-term-care insurance, for a grade. */
  async ownShare(id: string, grade: number, insurance: 'employee' | 'resident') {
    await this.fresh();
    const e = this.byId.get(id.toLowerCase());
    if (!e) throw new AppError('NOT_FOUND', '未找到该服务机构');
    const today = this.today();
    const terms = await this.ports.ltciTerms(grade, insurance, e.view.districtCode, today);
    const ltciCats = new Set(this.policy.catalogue.priceCategories.filter((c) => c.ltci).map((c) => c.code));
    const r = ownShare(e.view.prices, e.view.residential, terms, this.policy.param('ltciDaysPerMonth', today), ltciCats, grade);
    return {
      grade, insurance, eligible: terms.eligible, reason: terms.reason,
      items: r.lines.map((l) => ({ ...l, unitName: PRICE_UNIT_NAMES[l.unit] })),
      monthly: r.monthly, notes: r.notes, citations: terms.citations,
    };
  }

  /** The text message for some facilities: name, address, phone, vacancy with its date, price. */
  smsText(ids: readonly string[]): string {
    const lines = ids.map((id, i) => {
      const e = this.byId.get(id.toLowerCase());
      if (!e) throw new AppError('NOT_FOUND', '未找到该服务机构');
      const v = e.view;
      const beds = v.beds ? `，空床${v.beds.vacant}张${v.vacancyConfirmedAt ? `（${v.vacancyConfirmedAt.slice(5, 10).replace('-', '月')}日确认）` : ''}` : '';
      const price = e.card.priceFrom ? `，${e.card.priceFrom.item.includes('每月') ? '每月约' : ''}${yuanDecimal(e.card.priceFrom.fen, { trimWhole: true })}元/${PRICE_UNIT_NAMES[e.card.priceFrom.unit as keyof typeof PRICE_UNIT_NAMES] ?? e.card.priceFrom.unit}起` : '';
      return `${i + 1}.${v.name}（${v.typeName}）${v.address}，电话${v.phone}${beds}${price}`;
    });
    return `【颐养】您查询的养老服务：\n${lines.join('\n')}`;
  }

  /** Send the results by text message to a phone, or to a registered person (a signed-in proxy). */
  async share(caller: Caller | null, input: { facilityIds: string[]; phone?: string; personId?: string }) {
    await this.fresh();
    const today = this.today();
    const max = this.policy.param('smsMaxFacilities', today);
    if (input.facilityIds.length > max) throw new AppError('VALIDATION_FAILED', `一条短信最多包含 ${max} 家机构`);
    const text = this.smsText(input.facilityIds);
    const now = this.ctx.clock();
    if (input.personId) {
      if (!caller) throw new AppError('AUTH_REQUIRED', '代他人发送请先登录');
      const people = await this.ctx.db.tx((q) => this.ports.proxyPeople(q, caller, input.personId!), { asAppRole: false });
      const p = people.find((x) => x.personId === input.personId!.toLowerCase());
      if (!p) throw new AppError('NOT_FOUND', '未找到该老人');
      await this.ctx.db.tx(async (q) => {
        await this.ports.notifyPerson(q, { districtCode: p.districtCode, personId: p.personId, kind: 'services.shared', title: '养老服务信息', body: text, sourceEvent: newId() }, now);
        await appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'supply.share', entityType: 'person', entityId: p.personId, districtCode: p.districtCode, details: { facilities: input.facilityIds.length } }], now);
      }, { asAppRole: false });
      return { sent: true, to: maskName(p.name), text };
    }
    const phone = normaliseMobile(input.phone ?? '');
    if (!phone) throw new AppError('VALIDATION_FAILED', '请填写 11 位手机号码', [{ path: 'phone', message: '请填写 11 位手机号码' }]);
    const perHour = this.policy.param('publicSmsPerHour', today);
    const HOUR_MS = 3_600_000;
    const r = await this.ctx.db.tx(async (q) => {
      if ((await smsSentSince(q, this.ctx.crypto, phone, new Date(now.getTime() - HOUR_MS))) >= perHour) throw new AppError('RATE_LIMITED', '该号码一小时内收到的短信已达上限，请稍后再试');
      const sent = await queueSms(q, this.ctx.crypto, { phone, body: text, source: 'supply.portal' }, now);
      await appendAudit(q, [{ actorId: caller?.userId ?? null, actorRole: caller?.role ?? 'public', actorScope: caller?.regionCode ?? null, action: 'supply.share_sms', entityType: 'sms', entityId: sent.id, details: { facilities: input.facilityIds.length } }], now);
      return sent;
    }, { asAppRole: false });
    return { sent: true, to: r.to, text };
  }

  /** The people a signed-in caller may search for, placed at their street's centre. */
  async proxy(caller: Caller, personId: string | null) {
    await this.fresh();
    const people = await this.ctx.db.tx((q) => this.ports.proxyPeople(q, caller, personId), { asAppRole: false });
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'supply.proxy.read', entityType: 'user', entityId: caller.userId, details: { people: people.length } });
    return {
      people: people.map((p) => {
        const place = p.streetCode ? this.centreOf(p.streetCode) : this.centreOf(p.districtCode);
        const streetName = p.streetCode ? this.ctx.regions.get(p.streetCode)?.name ?? null : null;
        return {
          personId: p.personId, name: p.name, relation: p.relation, districtCode: p.districtCode, streetCode: p.streetCode, streetName, careGrade: p.careGrade, insurance: p.insurance,
          center: place ? { ...place, label: streetName ?? this.ctx.regions.get(p.districtCode)?.name ?? '' } : null,
        };
      }),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Planning ratios per district and street against the plans' targets (issue 6 §4).

export class PlanningService {
  constructor(private readonly ctx: AppContext, private readonly policy: SupplyPolicy = supplyPolicy()) {}

  /** Ratios for the districts in the caller's scope and, for one district, its streets and towns. */
  async ratios(caller: Caller, o: { district?: string; asOf?: string }) {
    const asOf = o.asOf ?? todayIn(this.ctx.clock);
    const year = Number(asOf.slice(0, 4));
    const c = this.policy.catalogue;
    const residential = c.facilityTypes.filter((t) => t.residential && t.group === 'residential').map((t) => t.code);
    const community = c.facilityTypes.filter((t) => t.group === 'community' || t.group === 'meals' || t.code === 'care_home').map((t) => t.code);
    const { supply, population } = await this.ctx.db.tx(async (q) => ({
      supply: await store.supplyByRegion(q, residential, community),
      population: await store.populationUpTo(q, year),
    }), { scope: caller.scope, asAppRole: true });
    const pop = new Map(population.map((p) => [p.region_code, p]));
    const empty = (): Omit<RegionSupply, 'population'> => ({ beds: 0, basicBeds: 0, nursingBeds: 0, cognitiveBeds: 0, occupiedBeds: 0, communityAreaM2: 0, mealCapacity: 0 });
    const add = (a: Omit<RegionSupply, 'population'>, r: store.StreetSupplyRow) => {
      a.beds += r.beds; a.basicBeds += r.basic_beds; a.nursingBeds += r.nursing_beds; a.cognitiveBeds += r.cognitive_beds; a.occupiedBeds += r.occupied_beds;
      a.communityAreaM2 += r.community_area; a.mealCapacity += r.meal_capacity;
    };
    const popOf = (code: string) => {
      const p = pop.get(code);
      return p ? { registered60: p.registered_60, registered65: p.registered_65, resident: p.resident, year: p.year, source: p.source } : null;
    };
    const row = (code: string, level: RegionLevel, s: Omit<RegionSupply, 'population'>) => {
      const population = popOf(code);
      return {
        code, name: this.ctx.regions.get(code)?.name ?? code, level, population,
        supply: s, ratios: planningRatios(this.policy.indicators, this.policy.targets, level, code, { ...s, population }, asOf),
      };
    };
    const districts = this.ctx.regions.districts().filter((d) => d.code.startsWith(caller.scope) || caller.scope.startsWith(d.code));
    const out = districts.map((d) => {
      const s = empty();
      for (const r of supply) if (r.region_code.startsWith(d.code)) add(s, r);
      return row(d.code, 'district', s);
    });
    let streets: ReturnType<typeof row>[] = [];
    if (o.district) {
      if (!districts.some((d) => d.code === o.district)) throw new AppError('REGION_OUT_OF_SCOPE');
      streets = this.ctx.regions.children(o.district).filter((s) => s.code.startsWith(caller.scope) || caller.scope.startsWith(s.code)).map((st) => {
        const s = empty();
        for (const r of supply) if (r.region_code.startsWith(st.code)) add(s, r);
        return row(st.code, levelOfStreet(st.name), s);
      });
    }
    const root = this.ctx.jurisdiction.rootCode;
    const city = caller.scope.length <= 2 || root.startsWith(caller.scope) ? (() => {
      const s = empty();
      for (const r of supply) add(s, r);
      return row(root, root.length === 6 && root.endsWith('0000') ? 'city' : 'district', s);
    })() : null;
    return { asOf, indicators: this.policy.indicators, city, districts: out, district: o.district ?? null, streets };
  }

  /** Load official population figures (an officer's import): rows for regions in scope. */
  async importPopulation(caller: Caller, rows: { regionCode: string; year: number; registered60: number; registered65: number; resident: number; source: string }[]) {
    for (const r of rows) {
      if (!this.ctx.regions.get(r.regionCode)) throw new AppError('REGION_UNKNOWN', `行政区划代码不存在：${r.regionCode}`);
      if (!r.regionCode.startsWith(caller.scope) && caller.scope !== '') throw new AppError('REGION_OUT_OF_SCOPE');
    }
    const now = this.ctx.clock();
    await this.ctx.db.tx(async (q) => {
      await store.upsertPopulation(q, rows.map((r) => ({ region_code: r.regionCode, year: r.year, registered_60: r.registered60, registered_65: r.registered65, resident: r.resident, source: r.source })));
      await appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'supply.population.import', entityType: 'population_reference', entityId: null, details: { rows: rows.length } }], now);
    }, { asAppRole: false });
    return { imported: rows.length };
  }
}

// ---------------------------------------------------------------------------------------------
// The 15-minute service circle on the district's walking network (issue 6 §3): the share of
// elders whose walk to the nearest facility offering a function is within the circle, by street,
// where the uncovered live, and where new sites would add most. The network and the placement of
// people on it are kept in memory per district; results are recomputed when the registry changes
// (its stamp is part of the cache key) or the network is replaced.

/** What coverage needs of the register: the elders of a district with their street (wired in src/app.ts). */
export type EldersOf = (q: Queryable, districtCode: string, asOf: string) => Promise<{ id: string; street_code: string | null; committee_code: string | null }[]>;

interface LoadedNetwork {
  importedAt: string;
  source: string;
  net: RoadNetwork;
  graph: Network;
  nearest: (lon: number, lat: number) => number;
  /** Nodes of each street (by the network's region index). */
  nodesOfRegion: Map<string, number[]>;
}

const NETWORK_CACHE = 4;
const RESULT_CACHE = 32;
const POPULATION_TTL_MS = 60_000;
const MAX_CANDIDATES = 1500;
const HASH_RANGE = 2 ** 32;

/** A stable small hash of an id (FNV-1a), to spread a street's people over its nodes. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class CoverageService {
  private networks = new Map<string, LoadedNetwork>();
  private populations = new Map<string, { at: number; asOf: string; pop: { node: number; count: number }[]; unplaced: number }>();
  private results = new Map<string, unknown>();
  private facilityRows: { stamp: string; rows: store.FacilityRow[] } | null = null;
  private readonly directory: RegistryService;

  constructor(private readonly ctx: AppContext, private readonly elders: EldersOf, private readonly policy: SupplyPolicy = supplyPolicy()) {
    this.directory = new RegistryService(ctx, policy);
  }

  private async network(district: string): Promise<LoadedNetwork> {
    const meta = await this.ctx.db.tx((q) => netStore.listNetworks(q), { asAppRole: false, readOnly: true });
    const m = meta.find((x) => x.district_code === district);
    if (!m) throw new AppError('NOT_FOUND', '该区尚未导入步行路网（yiyang network import）');
    const stamp = new Date(m.imported_at).toISOString();
    const cached = this.networks.get(district);
    if (cached && cached.importedAt === stamp) return cached;
    const row = await this.ctx.db.tx((q) => netStore.loadNetwork(q, district), { asAppRole: false, readOnly: true });
    const net = decodeNetwork(row!.data);
    const nodesOfRegion = new Map<string, number[]>();
    if (net.region && net.regions) {
      for (let i = 0; i < net.region.length; i++) {
        const r = net.region[i]!;
        if (r < 0) continue;
        const code = net.regions[r]!;
        const list = nodesOfRegion.get(code);
        if (list) list.push(i);
        else nodesOfRegion.set(code, [i]);
      }
    }
    // Each street's nodes from its centre outwards: people are placed denser near the centre (below).
    for (const nodes of nodesOfRegion.values()) {
      let cx = 0;
      let cy = 0;
      for (const i of nodes) {
        cx += net.x[i]!;
        cy += net.y[i]!;
      }
      cx /= nodes.length;
      cy /= nodes.length;
      const d = (i: number) => (net.x[i]! - cx) ** 2 + (net.y[i]! - cy) ** 2;
      nodes.sort((a, b) => d(a) - d(b) || a - b);
    }
    const idx = nearestNodeIndex(net);
    const loaded: LoadedNetwork = { importedAt: stamp, source: m.source, net, graph: toGraph(net), nearest: (lon, lat) => idx.nearest(lon, lat), nodesOfRegion };
    if (this.networks.size >= NETWORK_CACHE) this.networks.delete(this.networks.keys().next().value!);
    this.networks.set(district, loaded);
    return loaded;
  }

  /** Elders placed on the network: on a node of their street (spread by a hash of their id), else unplaced. */
  private async population(district: string, n: LoadedNetwork, asOf: string) {
    const key = `${district}|${n.importedAt}`;
    const c = this.populations.get(key);
    if (c && c.asOf === asOf && Date.now() - c.at < POPULATION_TTL_MS) return c;
    const people = await this.ctx.db.tx((q) => this.elders(q, district, asOf), { asAppRole: false, readOnly: true });
    const counts = new Map<number, number>();
    let unplaced = 0;
    for (const p of people) {
      const nodes = (p.street_code && n.nodesOfRegion.get(p.street_code)) || null;
      if (!nodes || nodes.length === 0) {
        unplaced++;
        continue;
      }
      // A hash of the id as u in [0, 1); u² puts more people near the street's centre, as towns are settled.
      const u = hashOf(p.id) / HASH_RANGE;
      const node = nodes[Math.floor(u * u * nodes.length)]!;
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    const r = { at: Date.now(), asOf, pop: [...counts].map(([node, count]) => ({ node, count })).sort((a, b) => a.node - b.node), unplaced };
    this.populations.set(key, r);
    return r;
  }

  /** The approved facilities of the district offering the function, on their nearest nodes. */
  private async sites(district: string, fn: string, n: LoadedNetwork) {
    const codes = functionCodes(this.policy.catalogue, fn);
    if (!codes) throw new AppError('VALIDATION_FAILED', `未知的服务功能：${fn}`);
    const stamp = await this.ctx.db.tx((q) => store.registryStamp(q), { asAppRole: false, readOnly: true });
    if (this.facilityRows?.stamp !== stamp) this.facilityRows = { stamp, rows: await this.ctx.db.tx((q) => store.publicFacilities(q), { asAppRole: false, readOnly: true }) };
    const rows = this.facilityRows.rows;
    return rows.filter((f) => f.district_code === district && codes.some((c) => f.functions.includes(c)))
      .map((f) => ({ id: f.id, name: f.name, lon: f.lon, lat: f.lat, typeName: this.directory.facilityView(f).typeName, node: n.nearest(f.lon, f.lat) }));
  }

  private inScope(caller: Caller, district: string) {
    if (!this.ctx.regions.get(district) || district.length !== 6) throw new AppError('REGION_UNKNOWN');
    if (!(district.startsWith(caller.scope) || caller.scope.startsWith(district))) throw new AppError('REGION_OUT_OF_SCOPE');
  }

  private fnName(fn: string) {
    const c = this.policy.catalogue;
    return c.functions.find((f) => f.code === fn)?.name ?? c.categories.find((x) => x.code === fn)?.name ?? fn;
  }

  async coverage(caller: Caller, district: string, fn: string) {
    this.inScope(caller, district);
    const today = todayIn(this.ctx.clock);
    const speed = this.policy.param('walkMetersPerMinute', today);
    const minutes = this.policy.param('circleMinutes', today);
    const n = await this.network(district);
    const stamp = await this.ctx.db.tx((q) => store.registryStamp(q), { asAppRole: false, readOnly: true });
    const pop = await this.population(district, n, today);
    const key = `${district}|${fn}|${stamp}|${n.importedAt}|${pop.at}|${speed}|${minutes}`;
    let result = this.results.get(key) as ReturnType<CoverageService['compute']> | undefined;
    if (!result) {
      result = this.compute(district, fn, n, await this.sites(district, fn, n), pop, speed, minutes);
      if (this.results.size >= RESULT_CACHE) this.results.delete(this.results.keys().next().value!);
      this.results.set(key, result);
    }
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'supply.coverage.read', entityType: 'district', entityId: district, districtCode: district, details: { function: fn } });
    return result;
  }

  private compute(district: string, fn: string, n: LoadedNetwork, sites: Awaited<ReturnType<CoverageService['sites']>>, pop: { pop: { node: number; count: number }[]; unplaced: number }, speed: number, minutes: number) {
    const r = circleCoverage({ net: n.net, graph: n.graph, siteNodes: [...new Set(sites.map((s) => s.node))], population: pop.pop, walkMetersPerMinute: speed, minutes });
    const byStreet = this.ctx.regions.children(district).map((s) => ({ code: s.code, name: s.name, ...(r.byRegion[s.code] ?? { covered: 0, total: 0, share: 0 }) }))
      .filter((s) => s.total > 0).sort((a, b) => a.share - b.share || a.code.localeCompare(b.code));
    return {
      district, districtName: this.ctx.regions.get(district)?.name ?? district, function: fn, functionName: this.fnName(fn), minutes, walkMetersPerMinute: speed,
      covered: r.covered, total: r.total, share: r.share, unplaced: pop.unplaced, byStreet,
      gaps: { type: 'FeatureCollection' as const, features: r.uncoveredCells.map((c) => ({ type: 'Feature' as const, properties: { count: c.count }, geometry: { type: 'Point' as const, coordinates: [Math.round(c.lon * 1e6) / 1e6, Math.round(c.lat * 1e6) / 1e6] } })) },
      sites: sites.map(({ node: _n, ...s }) => s),
      network: { source: n.source, nodes: n.net.x.length, edges: n.net.from.length, importedAt: n.importedAt },
      computedAt: this.ctx.clock().toISOString(),
    };
  }

  /** Where k new sites offering the function would bring the most elders within the circle (greedy maximal coverage). */
  async siting(caller: Caller, district: string, fn: string, k: number) {
    this.inScope(caller, district);
    const today = todayIn(this.ctx.clock);
    const speed = this.policy.param('walkMetersPerMinute', today);
    const minutes = this.policy.param('circleMinutes', today);
    const n = await this.network(district);
    const pop = await this.population(district, n, today);
    const sites = await this.sites(district, fn, n);
    const existing = [...new Set(sites.map((s) => s.node))];
    const radius = speed * minutes;
    const before = circleCoverage({ net: n.net, graph: n.graph, siteNodes: existing, population: pop.pop, walkMetersPerMinute: speed, minutes });
    const candidates = candidateNodes(n.net, pop.pop, MAX_CANDIDATES);
    const t0 = performance.now();
    const picks = proposeSites({ graph: n.graph, population: pop.pop, existing, candidates, radiusMeters: radius, k });
    const ms = Math.round(performance.now() - t0);
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'supply.siting', entityType: 'district', entityId: district, districtCode: district, details: { function: fn, k } });
    return {
      district, function: fn, functionName: this.fnName(fn), k, candidates: candidates.length, ms,
      before: { covered: before.covered, total: before.total, share: before.share },
      proposals: picks.map((p, i) => {
        const at = toLonLat(n.net, p.node);
        const code = n.net.region && n.net.regions && n.net.region[p.node]! >= 0 ? n.net.regions[n.net.region[p.node]!]! : null;
        return { rank: i + 1, lon: Math.round(at.lon * 1e6) / 1e6, lat: Math.round(at.lat * 1e6) / 1e6, streetCode: code, streetName: code ? this.ctx.regions.get(code)?.name ?? code : null, gain: p.gain, coveredAfter: p.coveredAfter, shareAfter: p.shareAfter };
      }),
    };
  }

  /** The stored networks (district, source, size, when). */
  async networkList(caller: Caller) {
    const rows = await this.ctx.db.tx((q) => netStore.listNetworks(q), { asAppRole: false, readOnly: true });
    return { items: rows.filter((r) => r.district_code.startsWith(caller.scope) || caller.scope.startsWith(r.district_code)).map((r) => ({ district: r.district_code, districtName: this.ctx.regions.get(r.district_code)?.name ?? r.district_code, source: r.source, nodes: r.node_count, edges: r.edge_count, bytes: r.bytes, importedAt: new Date(r.imported_at).toISOString() })) };
  }
}
