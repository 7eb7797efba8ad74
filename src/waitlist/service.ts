// Use cases of the waiting list (issue 7): applications (apply, change, pause, resume, withdraw),
// allocation runs (real, dry, automatic on a vacancy), offers (accept → admitted, decline or
// expire → the bed goes back), and what a family or an officer sees of the queue. Other modules
// are reached through ports (src/app.ts): the register and entitlements for eligibility and
// tier, the supply registry for beds, the platform's notifier for messages.
import { AppError } from '../core/errors.ts';
import { addMonths, diffDays, localDateOf, shanghaiDayNumber, startOfLocalDay, todayIn, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { appendAudit } from '../platform/audit.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import type { Notifier } from '../platform/notifier.ts';
import { allocate, ranksBefore, type Applicant, type Facility, type PriorityKey, type PriorityRule } from './allocate.ts';
import { replayVacancies, waitStats } from './simulate.ts';
import { allQueues, checkFairness } from './fairness.ts';
import {
  afterDecline, estimateWait, offerDeadline, OFFER_STATUS_NAMES, OPEN_STATUSES, pointsOf, ruleText, STATUS_NAMES, type ApplicationStatus, type PointsFacts, type PointsRule, type Tier, type WaitlistRules,
} from './model.ts';
import { waitlistPolicy, type WaitlistPolicy } from './policy.ts';
import { haversineMeters } from '../supply/index.ts';
import * as store from './store.ts';

/** A person as the waiting list needs them (the whole jurisdiction: runs read as the system). */
export interface ApplicantFacts {
  personId: string;
  name: string;
  districtCode: string;
  regionCode: string;
  eligible: boolean;
  tier: number | null;
  tierLabel: string | null;
  /** Why not eligible (Chinese), when not. */
  reason: string | null;
  points: PointsFacts;
}

export interface BasicFacility { id: string; name: string; type_code: string; district_code: string; region_code: string; lon: number; lat: number; basic_beds: number; vacant_beds: string[]; bed_labels: string[]; vacant_since: string | null }
export interface BedActor { userId: string | null; role: string; regionCode: string }

export interface WaitlistPorts {
  people(q: Queryable, ids: readonly string[], asOf: LocalDate): Promise<Map<string, ApplicantFacts>>;
  /** May the caller act for the person (staff in scope, a citizen linked to them)? The relation's name, or null. */
  reach(q: Queryable, caller: Caller, personId: string): Promise<string | null>;
  /** Names of people in a scope (the officers' list). */
  names(q: Queryable, scope: string, ids: readonly string[]): Promise<Map<string, string>>;
  /** The supply registry's stamp (changes when a facility does): the queue snapshot's freshness check. */
  stamp(q: Queryable): Promise<string>;
  /** A citizen's linked people. */
  linked(q: Queryable, userId: string): Promise<string[]>;
  tiers(asOf: LocalDate): Promise<Tier[]>;
  facilities(q: Queryable): Promise<BasicFacility[]>;
  /** Set bed statuses of facilities in this transaction (history, vacancy, audit, one event per facility). */
  changeBeds(q: Queryable, actor: BedActor, items: readonly { facilityId: string; changes: { bedId: string; status: 'vacant' | 'reserved' | 'occupied'; note: string }[]; what: string }[], at: Date): Promise<void>;
  vacanciesSince(q: Queryable, since: Date): Promise<Map<string, number>>;
  /** Basic beds that fell vacant since a time, one row each (supply's bed history). */
  vacancyEvents(q: Queryable, since: Date): Promise<{ facility_id: string; at: string }[]>;
  /** Basic-bed turnover per facility since a time (supply's bed history). */
  turnover(q: Queryable, since: Date): Promise<{ facility_id: string; vacancies: number; refilled: number; median_days: number | null; p90_days: number | null; still_vacant: number }[]>;
  bedLabel(q: Queryable, bedId: string): Promise<string | null>;
  notifier: Notifier;
}

export interface SimulationVariant {
  order?: PriorityKey[];
  points?: PointsRule[];
  newFacility?: { name: string; districtCode: string; beds: number; turnoverPerYear: number };
}

export interface ApplyInput {
  personId: string;
  mode: 'choices' | 'radius';
  choices?: string[];
  radiusKm?: number;
  origin?: { lon: number; lat: number; label: string };
  note?: string | null;
}

const WAITLIST_LOCK = 7_251_020_007;
const LIST_LIMIT = 100;
const RUN_LIST = 50;
const METERS_PER_KM = 1000;
const SYSTEM: BedActor = { userId: null, role: 'system', regionCode: '' };

const fmtDeadline = (iso: string) => {
  const d = localDateOf(new Date(iso));
  return `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
};

export class WaitlistService {
  /** Bumped by every change this process makes (an application event): the queue snapshot is rebuilt at the next read. */
  private writes = 0;
  /** The applications changed here since the snapshot was last brought up to date. */
  private readonly dirty = new Set<string>();
  private snap: QueueSnapshot | null = null;
  private loading: Promise<QueueSnapshot> | null = null;

  constructor(private readonly ctx: AppContext, private readonly ports: WaitlistPorts, private readonly policy: WaitlistPolicy = waitlistPolicy()) {}

  /**
   * Every facility's queue of active applicants in its priority order, the choosable facilities
   * and the last period's vacancies, kept in memory: a family's view then costs a binary search
   * per choice instead of reading the whole list. A change made here is patched in (the changed
   * applications are read again and moved to their places); a change of the supply registry reads
   * its facilities again and orders every queue anew in memory; an application changed elsewhere
   * (another process), a new day or too many changes at once rebuild it from the database, which
   * is asked whether anything changed elsewhere at most every SNAPSHOT_MS.
   */
  private async queues(): Promise<QueueSnapshot> {
    const s = this.snap;
    if (s && s.writes === this.writes && Date.now() - s.checkedAt < SNAPSHOT_MS) return s;
    this.loading ??= (async () => {
      try {
        return (s && (await this.patched(s))) ?? (await this.rebuild());
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** The snapshot brought up to date with the changes made here, or null when it must be rebuilt. */
  private async patched(s: QueueSnapshot): Promise<QueueSnapshot | null> {
    const writes = this.writes;
    const dirty = [...this.dirty];
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    if (today !== s.day || dirty.length > PATCH_MAX || (r.rule.order.includes('points') && r.points.length > 0)) return null;
    const read = await this.system(async (q) => {
      // Anything changed elsewhere? An application not changed here updated after the snapshot's stamp: rebuild.
      const [apps, supply] = s.stamp.split('|') as [string, string];
      if ((await store.applicationStamp(q, dirty)) > apps) return null;
      // The registry changed (a bed reserved by an offer, a facility approved): its facilities and vacancies are read again.
      const supplyNow = await this.ports.stamp(q);
      const registry = supplyNow === supply ? null : {
        stamp: supplyNow, facilities: await this.ports.facilities(q), vacancies: await this.ports.vacanciesSince(q, startOfLocalDay(addMonths(today, -r.estimateMonths))),
      };
      const rows = await store.lightOf(q, dirty);
      const names = await this.ports.names(q, '*', rows.filter((a) => !s.names.has(a.person_id)).map((a) => a.person_id));
      return { rows, names, registry };
    });
    if (!read) return null;
    const byRow = new Map(read.rows.map((a) => [a.id, a]));
    const facility = new Map(s.facilities.map((f) => [f.id, { id: f.id, district: f.district_code, capacity: f.vacant_beds.length } satisfies Facility]));
    for (const id of dirty) {
      const old = s.byId.get(id);
      if (old) {
        removeSorted(s.open, old);
        removeSorted(s.byDistrict.get(old.district_code) ?? [], old);
        for (const fid of s.applicants.get(id)?.choices ?? []) {
          const queue = s.queues.get(fid);
          const i = queue?.findIndex((x) => x.id === id) ?? -1;
          if (i >= 0) queue!.splice(i, 1);
        }
        s.byId.delete(id);
        s.applicants.delete(id);
      }
      const a = byRow.get(id);
      if (!a || !OPEN_STATUSES.includes(a.status)) continue;
      insertSorted(s.open, a);
      const list = s.byDistrict.get(a.district_code);
      if (list) insertSorted(list, a);
      else s.byDistrict.set(a.district_code, [a]);
      if (!a.region_code.startsWith(a.district_code)) s.aligned.delete(a.district_code);
      s.byId.set(id, a);
      if (a.status !== 'active' || read.registry) continue;
      const me = this.applicantOf(a, s.facilities, null, r);
      s.applicants.set(id, me);
      for (const fid of me.choices) {
        const fac = facility.get(fid);
        if (!fac) continue;
        const queue = s.queues.get(fid) ?? [];
        s.queues.set(fid, queue);
        queue.splice(queuePlace(queue, fac, me, s.rule), 0, me);
      }
    }
    if (read.registry) {
      // Every queue again, in memory, from the open applications the snapshot holds (no application is read).
      s.facilities = read.registry.facilities;
      s.vacancies = read.registry.vacancies;
      const applicants = [...s.byId.values()].filter((a) => a.status === 'active').map((a) => this.applicantOf(a, s.facilities, null, r));
      s.applicants = new Map(applicants.map((a) => [a.id, a]));
      const ordered = allQueues(s.facilities.map((f) => ({ id: f.id, district: f.district_code, capacity: f.vacant_beds.length })), applicants, s.rule);
      s.queues = new Map([...ordered].map(([f, ids]) => [f, ids.map((id) => s.applicants.get(id)!)] as const));
    }
    for (const [k, v] of read.names) s.names.set(k, v);
    const [apps, supply] = s.stamp.split('|') as [string, string];
    s.stamp = `${read.rows.reduce((m, a) => (a.stamp > m ? a.stamp : m), apps)}|${read.registry?.stamp ?? supply}`;
    for (const id of dirty) this.dirty.delete(id);
    s.writes = writes;
    s.checkedAt = Date.now();
    return s;
  }

  private async rebuild(): Promise<QueueSnapshot> {
    const writes = this.writes;
    const dirty = [...this.dirty];
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const withPoints = r.rule.order.includes('points') && r.points.length > 0;
    const d = await this.system(async (q) => {
      const stamp = `${await store.applicationStamp(q)}|${await this.ports.stamp(q)}`;
      const [facilities, open] = [await this.ports.facilities(q), await store.openLight(q)];
      const active = open.filter((a) => a.status === 'active');
      return {
        stamp, facilities, open, active, facts: withPoints ? await this.ports.people(q, active.map((a) => a.person_id), today) : null,
        names: await this.ports.names(q, '*', open.map((a) => a.person_id)),
        vacancies: await this.ports.vacanciesSince(q, startOfLocalDay(addMonths(today, -r.estimateMonths))),
      };
    });
    const applicants = d.active.map((a) => this.applicantOf(a, d.facilities, d.facts?.get(a.person_id)?.points ?? null, r));
    const byId = new Map(applicants.map((a) => [a.id, a]));
    const ordered = allQueues(d.facilities.map((f) => ({ id: f.id, district: f.district_code, capacity: f.vacant_beds.length })), applicants, r.rule);
    const queues = new Map([...ordered].map(([f, ids]) => [f, ids.map((id) => byId.get(id)!)] as const));
    const open = d.open.sort(openOrder);
    const now = Date.now();
    const byDistrict = new Map<string, store.LightApplication[]>();
    const misfiled = new Set<string>();
    for (const a of open) {
      const list = byDistrict.get(a.district_code);
      if (list) list.push(a);
      else byDistrict.set(a.district_code, [a]);
      if (!a.region_code.startsWith(a.district_code)) misfiled.add(a.district_code);
    }
    const aligned = new Set([...byDistrict.keys()].filter((k) => !misfiled.has(k)));
    for (const id of dirty) this.dirty.delete(id);
    this.snap = {
      builtAt: now, checkedAt: now, day: today, stamp: d.stamp, writes, rule: r.rule, facilities: d.facilities, queues, vacancies: d.vacancies, open, byDistrict, aligned, names: d.names,
      byId: new Map(open.map((a) => [a.id, a])), applicants: byId,
    };
    return this.snap;
  }

  rules(asOf: LocalDate = todayIn(this.ctx.clock)): WaitlistRules {
    return this.policy.on(asOf);
  }

  private scoped<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
  }

  private system<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { asAppRole: false });
  }

  private audit(q: Queryable, caller: Caller | null, action: string, entityId: string, districtCode: string | null, details: Record<string, unknown>, at: Date) {
    return appendAudit(q, [{ actorId: caller?.userId ?? null, actorRole: caller?.role ?? 'system', actorScope: caller?.regionCode ?? this.ctx.jurisdiction.rootCode, action, entityType: 'waitlist', entityId, districtCode, details }], at);
  }

  /** Applications changed here: the snapshot patches them in at its next read. */
  private changed(ids: Iterable<string>) {
    for (const id of ids) this.dirty.add(id);
    this.writes++;
  }

  private event(q: Queryable, caller: Caller | null, a: store.ApplicationRow, kind: string, summary: string, details: Record<string, unknown>, at: Date) {
    this.changed([a.id]);
    return store.insertEvents(q, [{ id: newId(), application_id: a.id, region_code: a.region_code, kind, summary, details, actor_id: caller?.userId ?? null, actor_role: caller?.role ?? 'system' }], at);
  }

  /**
   * Does an active applicant choose this facility? From the queue snapshot when it is current,
   * else read in the caller's transaction (an event consumer's: no second transaction is opened).
   */
  async isWanted(q: Queryable, facilityId: string): Promise<boolean> {
    const s = this.snap;
    if (s && s.writes === this.writes && Date.now() - s.checkedAt < SNAPSHOT_MS) return (s.queues.get(facilityId)?.length ?? 0) > 0;
    const [facilities, open] = [await this.ports.facilities(q), await store.openApplications(q)];
    return open.some((a) => a.status === 'active' && this.choicesOf(a, facilities).includes(facilityId));
  }

  /** The published rule: order, tiers, offers and declines, from the parameters in force. */
  async publishedRules() {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    return { asOf: today, version: this.policy.version, ...ruleText(r, await this.ports.tiers(today)), parameters: this.policy.parameters.filter((p) => p.from <= today && (p.to === null || p.to >= today)) };
  }

  /** The facilities an applicant may choose: approved, with basic-guarantee beds, and their queues. */
  async choosable() {
    // The facilities as they are now (a home just approved is choosable at once); the queue lengths from the snapshot.
    const [facilities, { queues }] = await Promise.all([this.system((q) => this.ports.facilities(q)), this.queues()]);
    return {
      items: facilities.map((f) => ({
        id: f.id, name: f.name, districtCode: f.district_code, districtName: this.ctx.regions.get(f.district_code)?.name ?? '', lon: f.lon, lat: f.lat,
        basicBeds: f.basic_beds, vacantBasicBeds: f.vacant_beds.length, waiting: queues.get(f.id)?.length ?? 0,
      })),
    };
  }

  // ----- applications

  private async checkChoices(q: Queryable, input: ApplyInput, r: WaitlistRules): Promise<{ choices: string[]; radius_m: number | null; origin_lon: number | null; origin_lat: number | null; origin_label: string | null }> {
    const facilities = await this.ports.facilities(q);
    if (input.mode === 'choices') {
      const choices = (input.choices ?? []).map((c) => c.toLowerCase());
      if (choices.length === 0) throw new AppError('VALIDATION_FAILED', '请至少选择一家机构');
      if (choices.length > r.maxChoices) throw new AppError('VALIDATION_FAILED', `最多选择 ${r.maxChoices} 家机构`);
      if (new Set(choices).size !== choices.length) throw new AppError('VALIDATION_FAILED', '同一家机构只能选择一次');
      const known = new Set(facilities.map((f) => f.id));
      const bad = choices.find((c) => !known.has(c));
      if (bad) throw new AppError('VALIDATION_FAILED', '所选机构不提供保基本床位或尚未备案', [{ path: 'choices', message: `机构 ${bad} 不可选` }]);
      return { choices, radius_m: null, origin_lon: null, origin_lat: null, origin_label: null };
    }
    const km = input.radiusKm ?? 0;
    if (!input.origin) throw new AppError('VALIDATION_FAILED', '请选择一个地址作为起点');
    if (!(km > 0) || km > r.maxRadiusKm) throw new AppError('VALIDATION_FAILED', `距离应在 0 到 ${r.maxRadiusKm} 公里之间`);
    const a = { mode: 'radius' as const, choices: [], radius_m: Math.round(km * METERS_PER_KM), origin_lon: input.origin.lon, origin_lat: input.origin.lat };
    if (this.radiusChoices(a, facilities).length === 0) throw new AppError('VALIDATION_FAILED', `距该地址 ${km} 公里内没有提供保基本床位的机构，请扩大距离或直接选择机构`);
    return { choices: [], radius_m: a.radius_m, origin_lon: input.origin.lon, origin_lat: input.origin.lat, origin_label: input.origin.label };
  }

  private radiusChoices(a: Pick<store.ApplicationRow, 'radius_m' | 'origin_lon' | 'origin_lat'>, facilities: readonly BasicFacility[]): string[] {
    if (a.radius_m === null || a.origin_lon === null || a.origin_lat === null) return [];
    const o = { lon: a.origin_lon, lat: a.origin_lat };
    return facilities
      .map((f) => ({ id: f.id, d: haversineMeters(o.lon, o.lat, f.lon, f.lat) }))
      .filter((x) => x.d <= a.radius_m!)
      .sort((x, y) => x.d - y.d || (x.id < y.id ? -1 : 1))
      .map((x) => x.id);
  }

  /** An application's ranked choices now: its list (less facilities no longer open), or every facility in its radius, nearest first. */
  private choicesOf(a: ChoiceFields, facilities: readonly BasicFacility[]): string[] {
    const declined = new Set(a.passed_over);
    if (a.mode === 'radius') return this.radiusChoices(a, facilities).filter((c) => !declined.has(c));
    const known = new Set(facilities.map((f) => f.id));
    return a.choices.filter((c) => known.has(c) && !declined.has(c));
  }

  private async reachable(q: Queryable, caller: Caller, personId: string): Promise<string> {
    const rel = await this.ports.reach(q, caller, personId.toLowerCase());
    if (!rel) throw new AppError('NOT_FOUND', '未找到该老人');
    return rel;
  }

  private async applicationFor(q: Queryable, caller: Caller, id: string): Promise<store.ApplicationRow> {
    const a = await store.getApplication(q, id, true);
    if (!a) throw new AppError('NOT_FOUND', '未找到该轮候申请');
    await this.reachable(q, caller, a.person_id);
    return a;
  }

  async apply(caller: Caller, input: ApplyInput) {
    const now = this.ctx.clock();
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const personId = input.personId.toLowerCase();
    const id = await this.system(async (q) => {
      await this.reachable(q, caller, personId);
      const facts = (await this.ports.people(q, [personId], today)).get(personId);
      if (!facts) throw new AppError('NOT_FOUND', '未找到该老人');
      if (!facts.eligible || facts.tier === null) throw new AppError('WAITLIST_NOT_ELIGIBLE', `不符合保基本养老床位轮候条件：${facts.reason ?? '未达到条件'}`);
      if (await store.openApplicationOf(q, personId)) throw new AppError('WAITLIST_ALREADY_OPEN');
      const c = await this.checkChoices(q, input, r);
      const row: store.ApplicationWrite = {
        id: newId(), person_id: personId, region_code: facts.regionCode, district_code: facts.districtCode, status: 'active', mode: input.mode, ...c,
        tier: facts.tier, tier_label: facts.tierLabel, priority_at: now.toISOString(), declines: 0, passed_over: [], paused_until: null, note: input.note ?? null, created_by: caller.userId,
      };
      await store.insertApplication(q, row, now);
      const a = { ...row, created_at: now.toISOString(), updated_at: now.toISOString() };
      await this.event(q, caller, a, 'applied', `提交轮候申请（第 ${facts.tier} 优先层级：${facts.tierLabel ?? ''}）`, { mode: a.mode, choices: a.choices, radiusM: a.radius_m }, now);
      await this.audit(q, caller, 'waitlist.apply', a.id, facts.districtCode, { mode: a.mode, choices: a.choices.length }, now);
      return a.id;
    });
    return this.get(caller, id);
  }

  /** Change the choices (keeps the place in the queue). */
  async change(caller: Caller, id: string, input: Omit<ApplyInput, 'personId'>) {
    const now = this.ctx.clock();
    const r = this.rules();
    await this.system(async (q) => {
      const a = await this.applicationFor(q, caller, id);
      if (a.status !== 'active' && a.status !== 'paused') throw new AppError('WAITLIST_ILLEGAL_TRANSITION', a.status === 'offered' ? '请先答复入住通知' : '该申请已结束，不能修改');
      const c = await this.checkChoices(q, { ...input, personId: a.person_id }, r);
      await store.updateApplication(q, { ...a, mode: input.mode, ...c, passed_over: a.passed_over.filter((f) => !c.choices.includes(f)), note: input.note === undefined ? a.note : input.note }, now);
      await this.event(q, caller, a, 'changed', '修改志愿（排序不变）', { mode: input.mode, choices: c.choices, radiusM: c.radius_m }, now);
      await this.audit(q, caller, 'waitlist.change', a.id, a.district_code, { mode: input.mode }, now);
    });
    return this.get(caller, id);
  }

  /** Pause (in hospital, …) until a date or until resumed: not allocated meanwhile, place kept. */
  async pause(caller: Caller, id: string, until: string | null, reason: string) {
    return this.move(caller, id, ['active'], 'paused', 'paused', `暂停轮候：${reason}${until ? `（至 ${until}）` : ''}`, (a) => ({ ...a, paused_until: until }));
  }

  async resume(caller: Caller, id: string) {
    return this.move(caller, id, ['paused'], 'active', 'resumed', '恢复轮候（排序不变）', (a) => ({ ...a, paused_until: null }));
  }

  async withdraw(caller: Caller, id: string, reason: string) {
    const now = this.ctx.clock();
    await this.system(async (q) => {
      const a = await this.applicationFor(q, caller, id);
      if (!['active', 'paused', 'offered'].includes(a.status)) throw new AppError('WAITLIST_ILLEGAL_TRANSITION');
      if (a.status === 'offered') {
        for (const o of (await store.offersOf(q, [a.id])).filter((x) => x.status === 'open')) {
          await store.decideOffer(q, o.id, 'cancelled', caller.userId, '申请已撤回', now);
          await this.ports.changeBeds(q, this.actor(caller), [{ facilityId: o.facility_id, changes: [{ bedId: o.bed_id, status: 'vacant', note: '轮候申请撤回，预留取消' }], what: '轮候：预留取消' }], now);
        }
      }
      await store.updateApplication(q, { ...a, status: 'withdrawn' }, now);
      await this.event(q, caller, a, 'withdrawn', `撤回申请：${reason}`, {}, now);
      await this.audit(q, caller, 'waitlist.withdraw', a.id, a.district_code, {}, now);
    });
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return this.get(caller, id);
  }

  private async move(caller: Caller, id: string, from: ApplicationStatus[], to: ApplicationStatus, kind: string, summary: string, edit: (a: store.ApplicationRow) => store.ApplicationRow) {
    const now = this.ctx.clock();
    await this.system(async (q) => {
      const a = await this.applicationFor(q, caller, id);
      if (!from.includes(a.status)) throw new AppError('WAITLIST_ILLEGAL_TRANSITION');
      await store.updateApplication(q, { ...edit(a), status: to }, now);
      await this.event(q, caller, a, kind, summary, {}, now);
      await this.audit(q, caller, `waitlist.${kind}`, a.id, a.district_code, {}, now);
    });
    return this.get(caller, id);
  }

  /** Aggregates (queue counts, waits, turnover) are shown per district: a street officer sees their district's. */
  private inDistrictOf(caller: Caller, district: string): boolean {
    return caller.scope === '*' || caller.regionCode === this.ctx.jurisdiction.rootCode || district.startsWith(caller.scope.slice(0, DISTRICT_DIGITS));
  }

  private actor(caller: Caller | null): BedActor {
    return caller ? { userId: caller.userId, role: caller.role, regionCode: caller.regionCode } : SYSTEM;
  }

  // ----- reading

  /** One application with its place in each chosen facility's queue, offers and history (audited). */
  async get(caller: Caller, id: string) {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const snap = await this.queues();
    const v = await this.system(async (q) => {
      const a = await this.applicationFor(q, caller, id);
      const [offers, events, facts] = await Promise.all([store.offersOf(q, [a.id]), store.eventsOf(q, a.id), this.ports.people(q, [a.person_id], today)]);
      return this.view(q, a, facts.get(a.person_id) ?? null, snap, offers, events, r);
    });
    await this.auditRead(caller, 'waitlist.read', v.id, v.districtCode, {});
    return v;
  }

  /** A read of personal data, recorded before it is answered (the audit writer's group commit, as the register's reads). */
  private auditRead(caller: Caller, action: string, entityId: string, districtCode: string | null, details: Record<string, unknown>) {
    return this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType: 'waitlist', entityId, districtCode, details });
  }

  /** A citizen's linked people's applications (open first). */
  async mine(caller: Caller) {
    const today = todayIn(this.ctx.clock);
    const { ids, people } = await this.system(async (q) => {
      const linked = await this.ports.linked(q, caller.userId);
      const apps = await store.applicationsOfPeople(q, linked);
      const facts = await this.ports.people(q, linked, today);
      return {
        ids: apps.map((a) => a.id),
        people: linked.map((id) => {
          const f = facts.get(id);
          return { personId: id, name: f?.name ?? '', eligible: f?.eligible ?? false, tier: f?.tier ?? null, tierLabel: f?.tierLabel ?? null, reason: f?.reason ?? null, openApplication: apps.find((a) => a.person_id === id && ['active', 'paused', 'offered'].includes(a.status))?.id ?? null };
        }),
      };
    });
    const items = [];
    for (const id of ids) items.push(await this.get(caller, id));
    return { items, people };
  }

  private async view(
    q: Queryable, a: store.ApplicationRow, facts: ApplicantFacts | null, snap: QueueSnapshot,
    offers: readonly store.OfferRow[], events: readonly store.EventRow[], r: WaitlistRules,
  ) {
    const { facilities, vacancies } = snap;
    const byId = new Map(facilities.map((f) => [f.id, f]));
    const me = this.applicantOf(a, facilities, facts?.points ?? null, r);
    const choices = me.choices.map((fid, i) => {
      const f = byId.get(fid)!;
      const fac: Facility = { id: f.id, district: f.district_code, capacity: f.vacant_beds.length };
      // The queue is in the facility's order: those ahead are its prefix before where this applicant falls.
      const queue = snap.queues.get(fid) ?? [];
      const ahead = queue.slice(0, queuePlace(queue, fac, me, snap.rule));
      const aheadByTier: Record<string, number> = {};
      for (const x of ahead) {
        const k = x.tier === Number.MAX_SAFE_INTEGER ? '-' : String(x.tier);
        aheadByTier[k] = (aheadByTier[k] ?? 0) + 1;
      }
      const position = ahead.length + 1;
      const est = estimateWait(position, vacancies.get(fid) ?? 0, r.estimateMonths);
      return {
        rank: i + 1, facilityId: fid, name: f.name, districtCode: f.district_code, districtName: this.ctx.regions.get(f.district_code)?.name ?? '', local: f.district_code === a.district_code,
        basicBeds: f.basic_beds, vacantBasicBeds: f.vacant_beds.length, position, ahead: ahead.length, aheadByTier, placesLastPeriod: vacancies.get(fid) ?? 0,
        estimate: est ? { months: round1(est.months), low: round1(est.low), high: round1(est.high), basis: est.basis, basisMonths: est.basisMonths } : null,
      };
    });
    const offerViews = [];
    for (const o of offers) {
      offerViews.push({
        id: o.id, facilityId: o.facility_id, facilityName: byId.get(o.facility_id)?.name ?? '', bedLabel: await this.ports.bedLabel(q, o.bed_id), choiceRank: o.choice_rank,
        status: o.status, statusName: OFFER_STATUS_NAMES[o.status], madeAt: o.made_at, deadline: o.deadline, decidedAt: o.decided_at, reason: o.reason, runId: o.run_id,
      });
    }
    return {
      id: a.id, personId: a.person_id, personName: facts?.name ?? '', status: a.status, statusName: STATUS_NAMES[a.status], mode: a.mode,
      radiusKm: a.radius_m === null ? null : a.radius_m / METERS_PER_KM, origin: a.origin_lon === null ? null : { lon: a.origin_lon, lat: a.origin_lat!, label: a.origin_label ?? '' },
      tier: a.tier, tierLabel: a.tier_label, districtCode: a.district_code, districtName: this.ctx.regions.get(a.district_code)?.name ?? '',
      appliedAt: a.created_at, priorityAt: a.priority_at, declines: a.declines, maxDeclines: r.maxDeclines, pausedUntil: a.paused_until, note: a.note,
      eligibleNow: facts ? facts.eligible : null, choices, offers: offerViews,
      history: events.map((e) => ({ kind: e.kind, summary: e.summary, at: e.at, actorRole: e.actor_role })),
    };
  }

  private applicantOf(a: ChoiceFields & Pick<store.ApplicationRow, 'id' | 'district_code' | 'tier'> & ({ priority_at: string } | { priority_ms: number }), facilities: readonly BasicFacility[], points: PointsFacts | null, r: WaitlistRules): Applicant {
    return {
      id: a.id, district: a.district_code, tier: a.tier ?? Number.MAX_SAFE_INTEGER, appliedAt: 'priority_ms' in a ? a.priority_ms : Date.parse(a.priority_at), choices: this.choicesOf(a, facilities),
      points: points ? pointsOf(points, r.points) : 0,
    };
  }

  /** Applications in the caller's scope (staff), in queue order. */
  async list(caller: Caller, f: store.ApplicationFilter & { page?: number }) {
    const page = Math.max(1, f.page ?? 1);
    // Days waited: Shanghai keeps UTC+8 all year (no daylight saving since 1991), so a local day is a fixed offset from UTC.
    const todayNo = shanghaiDayNumber(this.ctx.clock().getTime());
    const item = (a: Pick<store.ApplicationRow, 'id' | 'person_id' | 'status' | 'tier' | 'tier_label' | 'district_code' | 'mode' | 'choices' | 'declines'>, name: string, priorityAt: string, createdAt: Date) => ({
      id: a.id, personId: a.person_id, personName: name, status: a.status, statusName: STATUS_NAMES[a.status], tier: a.tier, tierLabel: a.tier_label,
      districtCode: a.district_code, districtName: this.ctx.regions.get(a.district_code)?.name ?? '', mode: a.mode, choices: a.choices.length, priorityAt,
      declines: a.declines, waitingDays: todayNo - shanghaiDayNumber(createdAt.getTime()),
    });
    // The waiting list itself (open applications, no single person): a page of the in-memory queue, names read for that page only.
    if (!f.personId && (!f.status || OPEN_STATUSES.includes(f.status))) {
      const snap = await this.queues();
      // Start from one district's queue when the scope or the filter names one (a district is a region's first six digits).
      const district = [f.district, caller.scope].find((x) => x !== undefined && x !== '*' && x.length >= DISTRICT_DIGITS)?.slice(0, DISTRICT_DIGITS);
      const base = district ? snap.byDistrict.get(district) ?? [] : snap.open;
      const within = (region: string) => caller.scope === '*' || region.startsWith(caller.scope);
      // A whole district's list that the caller's scope covers needs no filtering (the common page).
      const whole = district !== undefined && snap.aligned.has(district) && (caller.scope === '*' || district.startsWith(caller.scope))
        && (f.district === undefined || f.district === district) && !f.status && f.tier === undefined && !f.facilityId;
      const rows = whole ? base : base.filter((a) => within(a.region_code) && (!f.status || a.status === f.status) && (!f.district || a.region_code.startsWith(f.district))
        && (f.tier === undefined || a.tier === f.tier) && (!f.facilityId || a.choices.includes(f.facilityId)));
      const pageRows = rows.slice((page - 1) * LIST_LIMIT, page * LIST_LIMIT);
      // Names from the snapshot (rows are already limited to the caller's scope); anyone missing is read in scope.
      const missing = pageRows.filter((a) => !snap.names.has(a.person_id)).map((a) => a.person_id);
      const extra = missing.length ? await this.scoped(caller, (q) => this.ports.names(q, caller.scope, missing)) : new Map<string, string>();
      await this.auditRead(caller, 'waitlist.list', 'applications', null, { total: rows.length, page, ...f });
      return { total: rows.length, page, pageSize: LIST_LIMIT, items: pageRows.map((a) => item(a, snap.names.get(a.person_id) ?? extra.get(a.person_id) ?? '', new Date(a.priority_ms).toISOString(), new Date(a.created_ms))) };
    }
    const out = await this.scoped(caller, async (q) => {
      const { total, rows } = await store.listApplications(q, f, LIST_LIMIT, (page - 1) * LIST_LIMIT);
      const names = await this.ports.names(q, caller.scope, rows.map((r) => r.person_id));
      return { total, page, pageSize: LIST_LIMIT, items: rows.map((a) => item(a, names.get(a.person_id) ?? '', a.priority_at, new Date(a.created_at))) };
    });
    await this.auditRead(caller, 'waitlist.list', 'applications', null, { total: out.total, page, ...f });
    return out;
  }

  /** The officer's overview: queue length by district and tier, the last runs and their fairness. */
  async overview(caller: Caller) {
    const [counts, runs] = await this.system(async (q) => [await store.queueCounts(q), await store.listRuns(q, RUN_LIST)] as const);
    const scoped = counts.filter((c) => this.inDistrictOf(caller, c.district_code));
    return {
      queue: scoped.map((c) => ({ districtCode: c.district_code, districtName: this.ctx.regions.get(c.district_code)?.name ?? '', tier: c.tier, status: c.status, statusName: STATUS_NAMES[c.status], count: c.n, oldest: c.oldest })),
      runs: runs.map((r) => this.runHead(r)),
    };
  }

  private runHead(r: Omit<store.RunRow, 'input' | 'result'>) {
    const f = r.fairness as { ok?: boolean; violations?: unknown[]; checkedApplicants?: number };
    return { id: r.id, seq: r.seq, trigger: r.trigger, dryRun: r.dry_run, startedAt: r.started_at, finishedAt: r.finished_at, summary: r.summary, fairnessOk: f.ok === true, violations: f.violations?.length ?? 0 };
  }

  async run(caller: Caller, id: string) {
    const r = await this.system((q) => store.getRun(q, id));
    if (!r) throw new AppError('NOT_FOUND', '未找到该次分配');
    const offers = await this.system((q) => store.offersOfRun(q, r.id));
    // Only the offers an officer's scope covers (either side), with no names: the run is about places.
    const visible = offers.filter((o) => caller.scope === '*' || o.region_code.startsWith(caller.scope) || o.facility_region_code.startsWith(caller.scope));
    return {
      ...this.runHead(r), rule: r.rule, fairness: r.fairness,
      offers: visible.map((o) => ({ id: o.id, applicationId: o.application_id, facilityId: o.facility_id, choiceRank: o.choice_rank, status: o.status, statusName: OFFER_STATUS_NAMES[o.status], deadline: o.deadline })),
      assignments: r.result.assignments.length, unassigned: r.result.unassigned.length,
    };
  }

  /**
   * The officer's report (issue 7 §5): waits by tier and district (still waiting, and realised
   * by those admitted in the period), admissions per month, what became of offers, bed turnover
   * per facility and district, the beds standing empty while someone who chose them waits, and
   * the fairness checks of the period's runs. Aggregates only; district officers see their district.
   */
  async report(caller: Caller) {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const since = startOfLocalDay(addMonths(today, -r.estimateMonths));
    const mine = (district: string) => this.inDistrictOf(caller, district);
    const data = await this.system(async (q) => ({
      facilities: await this.ports.facilities(q), open: await store.openApplications(q), admitted: await store.admittedSince(q, since),
      outcomes: await store.offerOutcomesSince(q, since), turnover: await this.ports.turnover(q, since), runs: await store.listRuns(q, RUN_LIST),
    }));
    const name = (d: string) => this.ctx.regions.get(d)?.name ?? d;
    const waitingDays = (a: store.ApplicationRow) => diffDays(today, localDateOf(new Date(a.created_at)));
    const group = <T>(xs: readonly T[], key: (x: T) => string) => {
      const m = new Map<string, T[]>();
      for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
      return m;
    };
    const open = data.open.filter((a) => mine(a.district_code));
    const admitted = data.admitted.filter((a) => mine(a.district_code));
    const stats = (days: number[]) => ({ count: days.length, medianDays: quantile(days, HALF), p90Days: quantile(days, P90) });
    const waitsBy = (key: (x: { district_code: string; tier: number | null }) => string, label: (k: string) => string) => {
      const keys = new Set([...open.map(key), ...admitted.map(key)]);
      return [...keys].sort().map((k) => ({
        key: k, label: label(k),
        waiting: stats(open.filter((a) => key(a) === k && a.status !== 'offered').map(waitingDays)),
        admitted: stats(admitted.filter((a) => key(a) === k).map((a) => a.waited_days)),
      }));
    };
    const byFacility = new Map(data.facilities.map((f) => [f.id, f]));
    const turnover = data.turnover.filter((t) => byFacility.has(t.facility_id) && mine(byFacility.get(t.facility_id)!.district_code));
    const turnoverByDistrict = [...group(turnover, (t) => byFacility.get(t.facility_id)!.district_code).entries()].sort().map(([d, ts]) => ({
      districtCode: d, districtName: name(d), vacancies: ts.reduce((s, t) => s + t.vacancies, 0), refilled: ts.reduce((s, t) => s + t.refilled, 0),
      stillVacant: ts.reduce((s, t) => s + t.still_vacant, 0),
      medianDays: quantile(ts.filter((t) => t.median_days !== null).map((t) => t.median_days!), HALF),
    }));
    const wanted = new Map<string, number>();
    for (const a of data.open) if (a.status === 'active') for (const c of this.choicesOf(a, data.facilities)) wanted.set(c, (wanted.get(c) ?? 0) + 1);
    const idle = data.facilities
      .filter((f) => f.vacant_beds.length > 0 && (wanted.get(f.id) ?? 0) > 0 && mine(f.district_code))
      .map((f) => ({ facilityId: f.id, name: f.name, districtName: name(f.district_code), vacant: f.vacant_beds.length, waiting: wanted.get(f.id) ?? 0, vacantSince: f.vacant_since, vacantDays: f.vacant_since ? diffDays(today, localDateOf(new Date(f.vacant_since))) : null }))
      .sort((a, b) => (b.vacantDays ?? 0) - (a.vacantDays ?? 0));
    const periodRuns = data.runs.filter((x) => !x.dry_run && Date.parse(x.started_at) >= since.getTime());
    return {
      asOf: today, since: localDateOf(since), months: r.estimateMonths,
      byTier: waitsBy((a) => String(a.tier ?? '-'), (k) => (k === '-' ? '未定' : `第 ${k} 层级`)),
      byDistrict: waitsBy((a) => a.district_code, name),
      admissionsByMonth: [...group(admitted, (a) => a.month).entries()].sort().map(([month, xs]) => ({ month, admissions: xs.length })),
      offers: Object.fromEntries(data.outcomes.map((o) => [o.status, o.n])),
      turnover: {
        byDistrict: turnoverByDistrict,
        byFacility: turnover.map((t) => ({ facilityId: t.facility_id, name: byFacility.get(t.facility_id)!.name, districtName: name(byFacility.get(t.facility_id)!.district_code), vacancies: t.vacancies, refilled: t.refilled, stillVacant: t.still_vacant, medianDays: round1(t.median_days ?? NaN), p90Days: round1(t.p90_days ?? NaN) }))
          .sort((a, b) => b.vacancies - a.vacancies).slice(0, TOP_FACILITIES),
      },
      idle,
      fairness: { runs: periodRuns.length, passed: periodRuns.filter((x) => (x.fairness as { ok?: boolean }).ok === true).length },
    };
  }

  /**
   * What-if (issue 7 §6): replay the last `estimateMonths` of basic-bed vacancies over the
   * applicants of that period, under the rule in force and under a variant (another order,
   * points, a new facility), and compare placements and waits per tier and district.
   */
  async simulate(caller: Caller, v: SimulationVariant) {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const since = startOfLocalDay(addMonths(today, -r.estimateMonths));
    const end = this.ctx.clock().getTime();
    const data = await this.system(async (q) => {
      const apps = await store.applicationsWaitingSince(q, since);
      return { apps, facilities: await this.ports.facilities(q), vacancies: await this.ports.vacancyEvents(q, since), facts: await this.ports.people(q, apps.map((a) => a.person_id), today) };
    });
    const name = (d: string) => this.ctx.regions.get(d)?.name ?? d;
    const baseRule: PriorityRule = r.rule;
    const variantRule: PriorityRule = v.order ? { order: v.order.includes('id') ? v.order : [...v.order, 'id'] } : baseRule;
    const variantPoints = v.points ?? r.points;
    const build = (points: typeof r.points, extra: BasicFacility | null): Applicant[] =>
      data.apps.map((a) => {
        const f = data.facts.get(a.person_id);
        const choices = this.choicesOf(a, data.facilities);
        if (extra) {
          const near = a.mode === 'radius' && a.origin_lon !== null && haversineMeters(a.origin_lon, a.origin_lat!, extra.lon, extra.lat) <= (a.radius_m ?? 0);
          if (near || (a.mode === 'choices' && a.district_code === extra.district_code && choices.length < r.maxChoices)) choices.push(extra.id);
        }
        return { id: a.id, district: a.district_code, tier: f?.tier ?? a.tier ?? Number.MAX_SAFE_INTEGER, appliedAt: Date.parse(a.created_at), choices, points: f ? pointsOf(f.points, points) : 0 };
      });
    const facilities = data.facilities.map((f) => ({ id: f.id, district: f.district_code }));
    const vacancies = data.vacancies.map((x) => ({ facilityId: x.facility_id, at: Date.parse(x.at) }));
    let extra: BasicFacility | null = null;
    const extraVacancies: { facilityId: string; at: number }[] = [];
    if (v.newFacility) {
      const inDistrict = data.facilities.filter((f) => f.district_code === v.newFacility!.districtCode);
      const centre = inDistrict.length ? { lon: inDistrict.reduce((s, f) => s + f.lon, 0) / inDistrict.length, lat: inDistrict.reduce((s, f) => s + f.lat, 0) / inDistrict.length } : { lon: 0, lat: 0 };
      extra = { id: NEW_FACILITY_ID, name: v.newFacility.name, type_code: 'institution', district_code: v.newFacility.districtCode, region_code: v.newFacility.districtCode, ...centre, basic_beds: v.newFacility.beds, vacant_beds: [], bed_labels: [], vacant_since: null };
      const opens = since.getTime();
      for (let i = 0; i < v.newFacility.beds; i++) extraVacancies.push({ facilityId: NEW_FACILITY_ID, at: opens });
      const turnover = Math.round(v.newFacility.beds * v.newFacility.turnoverPerYear * (r.estimateMonths / MONTHS_PER_YEAR));
      for (let i = 0; i < turnover; i++) extraVacancies.push({ facilityId: NEW_FACILITY_ID, at: opens + ((i + 1) * (end - opens)) / (turnover + 1) });
    }
    const baseApplicants = build(r.points, null);
    const variantApplicants = build(variantPoints, extra);
    const base = replayVacancies(facilities, baseApplicants, vacancies, baseRule);
    const variant = replayVacancies(extra ? [...facilities, { id: extra.id, district: extra.district_code }] : facilities, variantApplicants, [...vacancies, ...extraVacancies], variantRule);
    const tierOf = (a: Applicant) => String(a.tier === Number.MAX_SAFE_INTEGER ? '-' : a.tier);
    // The replay is city-wide (choices cross districts); what a district officer is shown is their district's applicants.
    const shown = baseApplicants.map((a) => this.inDistrictOf(caller, a.district));
    const pick = <T>(xs: readonly T[]) => xs.filter((_, i) => shown[i]);
    const [bA, bO, vA, vO] = [pick(baseApplicants), pick(base), pick(variantApplicants), pick(variant)];
    const compare = (group: (a: Applicant) => string, label: (k: string) => string) => {
      const b = waitStats(bA, bO, group);
      const w = waitStats(vA, vO, group);
      return b.map((x) => ({ key: x.key, label: label(x.key), base: x, variant: w.find((y) => y.key === x.key)! }));
    };
    await this.system((q) => this.audit(q, caller, 'waitlist.simulate', 'simulation', null, { order: variantRule.order, points: variantPoints.length, newFacility: v.newFacility ? { districtCode: v.newFacility.districtCode, beds: v.newFacility.beds } : null }, this.ctx.clock()));
    return {
      period: { from: localDateOf(since), to: today, months: r.estimateMonths }, applicants: bA.length, cityApplicants: baseApplicants.length, vacancies: vacancies.length + extraVacancies.length, baseVacancies: vacancies.length,
      rules: { base: { order: baseRule.order, points: r.points }, variant: { order: variantRule.order, points: variantPoints, newFacility: v.newFacility ?? null } },
      total: { base: waitStats(bA, bO, () => 'all')[0] ?? null, variant: waitStats(vA, vO, () => 'all')[0] ?? null },
      byTier: compare(tierOf, (k) => (k === '-' ? '未定' : `第 ${k} 层级`)),
      byDistrict: compare((a) => a.district, name),
      changed: bO.filter((o, i) => o.facility !== vO[i]!.facility).length,
      notes: [
        '按过去一段时间实际空出的保基本床位逐张重放：每张床给当时已申请、尚未入住、选择了该机构且排序最前的申请人（假设通知均被接受）。',
        '两种规则使用同一批申请人和同一串空床，差异只来自规则。等待天数为申请到入住的天数；期末仍在等待的人数另列。',
        ...(v.newFacility ? [`新机构“${v.newFacility.name}”假定在期初开放 ${v.newFacility.beds} 张床，之后每年周转 ${v.newFacility.turnoverPerYear}；本区按志愿申请且志愿未满的申请人将其列为最后一个志愿，按距离申请的在距离内时列入。`] : []),
      ],
    };
  }

  // ----- allocation

  /**
   * Start an allocation run. A real run is city-wide and needs a city-level officer (or the
   * system); anyone with the permission may try a dry run, which writes nothing but its record.
   */
  async startRun(caller: Caller, dryRun: boolean) {
    if (!dryRun && caller.regionCode !== this.ctx.jurisdiction.rootCode && caller.scope !== '*') throw new AppError('WAITLIST_RUN_CITY_ONLY');
    const id = await this.system((q) => this.runIn(q, caller, 'manual', dryRun));
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return this.run(caller, id!);
  }

  /**
   * One run in the given transaction: expire overdue offers, resume pauses that ended, read the
   * open applications and the vacant basic-guarantee beds, allocate, check fairness, and (unless
   * dry) reserve a bed and make an offer for every match. Returns the run's id, or null when an
   * automatic run found nothing to offer (not recorded).
   */
  async runIn(q: Queryable, caller: Caller | null, trigger: 'manual' | 'vacancy' | 'schedule', dryRun: boolean): Promise<string | null> {
    const now = this.ctx.clock();
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    await store.lockRuns(q, WAITLIST_LOCK);
    if (!dryRun) await this.expireIn(q, now, r);
    const [facilities, open] = [await this.ports.facilities(q), await store.openApplications(q)];
    const candidates = open.filter((a) => a.status === 'active' || (a.status === 'paused' && a.paused_until !== null && a.paused_until < today));
    const facts = await this.ports.people(q, candidates.map((a) => a.person_id), today);
    const excluded: { applicationId: string; reason: string }[] = [];
    const applicants: Applicant[] = [];
    const apps = new Map<string, store.ApplicationRow>();
    for (const a of candidates) {
      const f = facts.get(a.person_id);
      if (!f || !f.eligible || f.tier === null) {
        excluded.push({ applicationId: a.id, reason: f?.reason ?? '未找到该老人' });
        continue;
      }
      const cur: store.ApplicationRow = { ...a, tier: f.tier, tier_label: f.tierLabel, status: 'active', paused_until: a.status === 'paused' ? null : a.paused_until };
      if (!dryRun && (cur.tier !== a.tier || a.status === 'paused')) {
        await store.updateApplication(q, cur, now);
        if (a.status === 'paused') await this.event(q, caller, a, 'resumed', `暂停期满（${a.paused_until}），自动恢复轮候`, {}, now);
        if (cur.tier !== a.tier) await this.event(q, caller, a, 'tier', `优先层级更新为第 ${cur.tier} 层级（${cur.tier_label ?? ''}）`, { from: a.tier, to: cur.tier }, now);
      }
      apps.set(a.id, cur);
      applicants.push(this.applicantOf(cur, facilities, f.points, r));
    }
    const fac: Facility[] = facilities.map((f) => ({ id: f.id, district: f.district_code, capacity: f.vacant_beds.length }));
    const result = allocate(fac, applicants, r.rule);
    const fairness = checkFairness(fac, applicants, result, r.rule);
    if (!fairness.ok) this.ctx.logger.error({ violations: fairness.violations.length }, 'waitlist run failed its fairness check');
    if (trigger !== 'manual' && result.assignments.length === 0) return null;
    const runId = newId();
    const byFacility = new Map(facilities.map((f) => [f.id, f]));
    const offers: Omit<store.OfferRow, 'decided_at' | 'decided_by' | 'reason' | 'status'>[] = [];
    const used = new Map<string, number>();
    const byApplicant = new Map(applicants.map((x) => [x.id, x]));
    for (const m of result.assignments) {
      const f = byFacility.get(m.facility)!;
      const a = apps.get(m.applicant)!;
      const k = used.get(f.id) ?? 0;
      used.set(f.id, k + 1);
      const app = byApplicant.get(a.id)!;
      offers.push({
        id: newId(), run_id: runId, application_id: a.id, person_id: a.person_id, region_code: a.region_code, facility_id: f.id, facility_region_code: f.region_code,
        bed_id: f.vacant_beds[k]!, choice_rank: app.choices.indexOf(f.id) + 1, made_at: now.toISOString(), deadline: offerDeadline(now, r).toISOString(),
      });
    }
    const input: store.RunInput = {
      facilities: facilities.map((f) => ({ id: f.id, district: f.district_code, capacity: f.vacant_beds.length, beds: f.vacant_beds })),
      applicants: applicants.map((a) => ({ id: a.id, district: a.district, tier: a.tier, appliedAt: new Date(a.appliedAt).toISOString(), choices: a.choices, ...(a.points ? { points: a.points } : {}) })),
    };
    const summary = {
      applicants: applicants.length, facilities: facilities.length, places: fac.reduce((s, f) => s + f.capacity, 0), offers: result.assignments.length,
      unassigned: result.unassigned.length, excluded: excluded.length, excludedList: excluded,
      firstChoice: offers.filter((o) => o.choice_rank === 1).length,
    };
    await store.insertRun(q, {
      id: runId, trigger, dry_run: dryRun, started_by: caller?.userId ?? null, started_at: now.toISOString(), finished_at: this.ctx.clock().toISOString(),
      rule: { order: r.rule.order, points: r.points, policyVersion: this.policy.version }, input, result, fairness: fairness as unknown as Record<string, unknown>, summary,
    });
    if (!dryRun) {
      await store.insertOffers(q, offers);
      const perFacility = new Map<string, typeof offers>();
      for (const o of offers) perFacility.set(o.facility_id, [...(perFacility.get(o.facility_id) ?? []), o]);
      await this.ports.changeBeds(q, this.actor(caller), [...perFacility].map(([fid, os]) => ({
        facilityId: fid, changes: os.map((o) => ({ bedId: o.bed_id, status: 'reserved' as const, note: `轮候预留（入住通知，答复期限 ${fmtDeadline(o.deadline)}）` })), what: `轮候分配：预留 ${os.length} 张保基本床位`,
      })), now);
      // One statement each for every offer's application, history entry and message.
      await store.setStatuses(q, offers.map((o) => o.application_id), 'offered', now);
      this.changed(offers.map((o) => o.application_id));
      await store.insertEvents(q, offers.map((o) => {
        const a = apps.get(o.application_id)!;
        const f = byFacility.get(o.facility_id)!;
        return { id: newId(), application_id: a.id, region_code: a.region_code, kind: 'offered', summary: `获得入住通知：${f.name}（第 ${o.choice_rank} 志愿），请于 ${fmtDeadline(o.deadline)} 前答复`, details: { offerId: o.id, runId, facilityId: f.id }, actor_id: caller?.userId ?? null, actor_role: caller?.role ?? 'system' };
      }), now);
      await this.ports.notifier.sendMany(q, offers.map((o) => {
        const a = apps.get(o.application_id)!;
        const f = byFacility.get(o.facility_id)!;
        return {
          personId: a.person_id, districtCode: a.district_code, kind: 'waitlist.offer', title: '保基本养老床位入住通知',
          body: `${facts.get(a.person_id)?.name ?? ''}：您轮候的保基本养老床位已有空位——${f.name}（您的第 ${o.choice_rank} 志愿）。请于 ${fmtDeadline(o.deadline)} 前登录“我的轮候”或联系养老顾问答复是否入住；逾期未答复${r.expiryCountsAsDecline ? '视为放弃' : '通知作废'}。`,
        };
      }), now);
    }
    await this.audit(q, caller, dryRun ? 'waitlist.run.dry' : 'waitlist.run', runId, null, { trigger, offers: offers.length, fairnessOk: fairness.ok }, now);
    return runId;
  }

  // ----- offers

  async accept(caller: Caller, offerId: string) {
    const now = this.ctx.clock();
    const appId = await this.system(async (q) => {
      const { o, a } = await this.openOffer(q, caller, offerId, now);
      await store.decideOffer(q, o.id, 'accepted', caller.userId, null, now);
      await this.ports.changeBeds(q, this.actor(caller), [{ facilityId: o.facility_id, changes: [{ bedId: o.bed_id, status: 'occupied', note: '轮候入住' }], what: '轮候入住 1 人' }], now);
      await store.updateApplication(q, { ...a, status: 'admitted' }, now);
      await this.event(q, caller, a, 'admitted', '接受入住通知，已安排入住', { offerId: o.id, facilityId: o.facility_id }, now);
      await this.ports.notifier.send(q, { personId: a.person_id, districtCode: a.district_code, kind: 'waitlist.admitted', title: '保基本养老床位：已确认入住', body: '您已确认入住，机构将与您联系办理入住手续。' }, now);
      await this.audit(q, caller, 'waitlist.offer.accept', o.id, a.district_code, { facilityId: o.facility_id }, now);
      return a.id;
    });
    return this.get(caller, appId);
  }

  async decline(caller: Caller, offerId: string, reason: string) {
    const now = this.ctx.clock();
    const r = this.rules();
    const appId = await this.system(async (q) => {
      const { o, a } = await this.openOffer(q, caller, offerId, now);
      await store.decideOffer(q, o.id, 'declined', caller.userId, reason, now);
      await this.passOn(q, caller, o, a, r, now, `放弃入住通知：${reason}`, 'declined', true);
      await this.audit(q, caller, 'waitlist.offer.decline', o.id, a.district_code, { facilityId: o.facility_id }, now);
      return a.id;
    });
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return this.get(caller, appId);
  }

  private async openOffer(q: Queryable, caller: Caller, offerId: string, now: Date) {
    const o = await store.getOffer(q, offerId, true);
    if (!o) throw new AppError('NOT_FOUND', '未找到该入住通知');
    const a = await this.applicationFor(q, caller, o.application_id);
    if (o.status !== 'open') throw new AppError('WAITLIST_OFFER_CLOSED');
    if (Date.parse(o.deadline) < now.getTime()) {
      await this.expireIn(q, now, this.rules());
      throw new AppError('WAITLIST_OFFER_CLOSED', '该入住通知已过答复期限');
    }
    return { o, a };
  }

  /** The bed goes back (vacant: the next run offers it), the application back to the queue. */
  private async passOn(q: Queryable, caller: Caller | null, o: store.OfferRow, a: store.ApplicationRow, r: WaitlistRules, now: Date, summary: string, kind: 'declined' | 'expired', counts: boolean) {
    await this.ports.changeBeds(q, this.actor(caller), [{ facilityId: o.facility_id, changes: [{ bedId: o.bed_id, status: 'vacant', note: summary }], what: '轮候：床位退回，等待下一次分配' }], now);
    const d = counts ? afterDecline(a.declines, r) : { declines: a.declines, losesPriority: false, removed: false };
    const passedOver = a.passed_over.includes(o.facility_id) ? a.passed_over : [...a.passed_over, o.facility_id];
    const next: store.ApplicationRow = { ...a, status: d.removed ? 'removed' : 'active', declines: d.declines, passed_over: passedOver, priority_at: d.losesPriority ? now.toISOString() : a.priority_at };
    await store.updateApplication(q, next, now);
    const consequence = d.removed ? `已放弃 ${d.declines} 次，超过 ${r.maxDeclines} 次，本次轮候结束` : d.losesPriority ? `已放弃 ${d.declines} 次，超过 ${r.maxDeclines} 次，排序时间改为今天` : counts ? `已放弃 ${d.declines} 次（不超过 ${r.maxDeclines} 次保留原排序）` : '保留原排序';
    await this.event(q, caller, a, kind, `${summary}；${consequence}`, { offerId: o.id, declines: d.declines }, now);
    await this.ports.notifier.send(q, { personId: a.person_id, districtCode: a.district_code, kind: 'waitlist.passed_on', title: '保基本养老床位：入住通知已结束', body: `${summary}。${consequence}。` }, now);
  }

  /** Expire overdue offers (before every run, on every answer, and on the schedule). */
  async expireIn(q: Queryable, now: Date, r: WaitlistRules): Promise<number> {
    const due = await store.dueOffers(q, now);
    for (const o of due) {
      const a = await store.getApplication(q, o.application_id, true);
      if (!a) continue;
      await store.decideOffer(q, o.id, 'expired', null, '逾期未答复', now);
      await this.passOn(q, null, o, a, r, now, '入住通知逾期未答复', 'expired', r.expiryCountsAsDecline);
    }
    return due.length;
  }

  async expireDue(): Promise<number> {
    return this.system((q) => this.expireIn(q, this.ctx.clock(), this.rules()));
  }

  /** The scheduled pass: expire overdue offers and allocate what is free (recorded only when it offers something). */
  async scheduled(): Promise<string | null> {
    const id = await this.system((q) => this.runIn(q, null, 'schedule', false));
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return id;
  }
}

const SNAPSHOT_MS = 2_000;
type ChoiceFields = Pick<store.ApplicationRow, 'mode' | 'choices' | 'radius_m' | 'origin_lon' | 'origin_lat' | 'passed_over'>;
interface QueueSnapshot {
  builtAt: number;
  /** When the database was last asked whether anything changed. */
  checkedAt: number;
  /** The latest application update and the registry's stamp when it was built (or patched). */
  stamp: string;
  writes: number;
  /** The day it was built for (the rules in force). */
  day: LocalDate;
  /** The open applications by id, and the active ones as applicants (their computed choices): what a patch removes. */
  byId: Map<string, store.LightApplication>;
  applicants: Map<string, Applicant>;
  /** Every open application in queue order (tier, application time, id): the officers' list. */
  open: store.LightApplication[];
  /** The same, per district (an application's district is its region's first six digits). */
  byDistrict: Map<string, store.LightApplication[]>;
  /** Districts whose every open application lies in the district's own regions (a page of the district needs no filter). */
  aligned: Set<string>;
  /** The open applicants' names (a change of name shows at the next rebuild). */
  names: Map<string, string>;
  rule: PriorityRule;
  facilities: BasicFacility[];
  /** Per facility, the active applicants who choose it, in its priority order. */
  queues: Map<string, Applicant[]>;
  /** Basic beds that fell vacant per facility in the estimate's period. */
  vacancies: Map<string, number>;
}

/** More changes than this since the last read: rebuild rather than patch. */
const PATCH_MAX = 2_000;
const NONE = Number.MAX_SAFE_INTEGER;
/** The officers' list order: tier (none last), application time, id. */
const openOrder = (a: store.LightApplication, b: store.LightApplication) =>
  (a.tier ?? NONE) - (b.tier ?? NONE) || a.priority_ms - b.priority_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Where an application falls in a list in that order (binary search). */
const placeOf = (list: readonly store.LightApplication[], a: store.LightApplication) => {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (openOrder(list[mid]!, a) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};
const insertSorted = (list: store.LightApplication[], a: store.LightApplication) => list.splice(placeOf(list, a), 0, a);
const removeSorted = (list: store.LightApplication[], a: store.LightApplication) => {
  const i = placeOf(list, a);
  if (list[i]?.id === a.id) list.splice(i, 1);
};
/** Where an applicant falls in a facility's queue (those before it rank before it). */
const queuePlace = (queue: readonly Applicant[], fac: Facility, me: Applicant, rule: PriorityRule) => {
  let lo = 0;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (queue[mid]!.id !== me.id && ranksBefore(fac, queue[mid]!, me, rule)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};


const round1 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
const HALF = 0.5;
const P90 = 0.9;
const DISTRICT_DIGITS = 6;
const MONTHS_PER_YEAR = 12;
const NEW_FACILITY_ID = 'new-facility';
const TOP_FACILITIES = 50;
/** The q-quantile of a list (linear interpolation), null when empty; rounded to a tenth. */
function quantile(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return round1(s[lo]! + (s[hi]! - s[lo]!) * (pos - lo));
}
/** The composition root's type for the rule a simulation may change. */
export type { PriorityRule };
