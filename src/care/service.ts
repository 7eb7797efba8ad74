// Care delivery's use cases (issue 8 §1–§3): the citywide caregiver register, care plans drafted
// from the person's LTCI entitlement and confirmed by the person or family, the recurring visit
// orders they produce, self-paid extra orders, and assigning visits to caregivers (by hand or by
// the scheduling heuristic). Each use case: load → decide (model.ts) → save + audit, in one
// transaction scoped to the caller.
import { AppError } from '../core/errors.ts';
import { addDays, startOfLocalDay, todayIn, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { parseIdNumber } from '../core/idnumber.ts';
import { maskIdNumber, maskPhone } from '../core/mask.ts';
import { districtOf } from '../core/regions.ts';
import { appendAudit } from '../platform/audit.ts';
import { usersInScope, type Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import type { Notifier } from '../platform/notifier.ts';
import {
  CAREGIVER_KIND_NAMES, CAREGIVER_STATUS_NAMES, checkPlan, minutesOfDay, expandSlots, kindsAllowed, proposeSlots, QUALIFICATION_NAMES, SKILL_LEVEL_NAMES, unfitReason,
  type CaregiverKind, type CaregiverStatus, type LtciEntitlement, type PlanSlot, type Qualification,
} from './model.ts';
import { carePolicy, type CarePolicy, type CareRules } from './policy.ts';
import type { SettleParams } from './settle.ts';
import { schedule, type ScheduleResult } from './schedule.ts';
import * as cg from './store/caregivers.ts';
import { listVisits } from './store/visits.ts';
import * as pl from './store/plans.ts';

/** A registered person as care delivery needs them: where they live (the home the visits go to). */
export interface CarePerson {
  id: string;
  name: string;
  regionCode: string;
  districtCode: string;
  address: string | null;
  home: { lat: number; lon: number } | null;
  diedOn: string | null;
  /** The register's phone number (decrypted; masked wherever it is shown). */
  phone: string | null;
}

/** What care delivery needs of the other modules (wired in src/app.ts). */
export interface CarePorts {
  /** People by id, in a scope ('*': all). */
  people(q: Queryable, scope: string, ids: readonly string[]): Promise<Map<string, CarePerson>>;
  /** The LTCI home-care entitlement of people on a date (the entitlement rules on the register and the care grade). */
  ltci(q: Queryable, ids: readonly string[], asOf: LocalDate): Promise<Map<string, LtciEntitlement>>;
  /** The people a citizen account is linked to. */
  linked(q: Queryable, userId: string): Promise<string[]>;
  /** The provider a provider-role account acts for. */
  providerOfUser(q: Queryable, userId: string): Promise<string | null>;
  /** Providers by id: name and region (registered district). */
  providers(q: Queryable, ids: readonly string[]): Promise<Map<string, { id: string; name: string; regionCode: string }>>;
  notifier: Notifier;
  /** The LTCI settlement parameters in force on a date (policy/parameters/ltci.json). */
  settleParams(): Promise<(day: string) => Partial<SettleParams>>;
}

export interface CaregiverInput {
  providerId?: string;
  name: string;
  idNumber: string;
  phone?: string | null;
  kind: CaregiverKind;
  skillLevel?: number | null;
  qualifications?: Qualification[];
  trainingHours?: number;
  healthCertValidTo?: string | null;
  backgroundCheck?: 'pending' | 'passed' | 'failed';
  backgroundCheckedOn?: string | null;
  shiftStart?: string;
  shiftEnd?: string;
}

export type CaregiverPatch = Partial<Omit<CaregiverInput, 'providerId' | 'idNumber' | 'name'>> & { status?: CaregiverStatus; statusReason?: string | null };

export interface PlanInput {
  personId: string;
  providerId?: string;
  items: string[];
  slots: PlanSlot[];
  validFrom: string;
  validTo?: string | null;
  note?: string | null;
}

export interface OrderInput {
  personId: string;
  providerId?: string;
  kind: string;
  items: string[];
  startsAt: string;
  minutes: number;
  priceFenPerHour: number;
}

const PAGE = 50;
const ID_HASH_PURPOSE = 'caregiver';

export class CareService {
  readonly policy: CarePolicy;
  constructor(private readonly ctx: AppContext, readonly ports: CarePorts, policy: CarePolicy = carePolicy()) {
    this.policy = policy;
  }

  rules(asOf: LocalDate = todayIn(this.ctx.clock)): CareRules {
    return this.policy.on(asOf);
  }

  private today(): LocalDate {
    return todayIn(this.ctx.clock);
  }

  scoped<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
  }

  system<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { asAppRole: false });
  }

  audit(q: Queryable, caller: Caller | null, action: string, entityId: string, districtCode: string | null, details: Record<string, unknown>, at: Date) {
    return appendAudit(q, [{ actorId: caller?.userId ?? null, actorRole: caller?.role ?? 'system', actorScope: caller?.regionCode ?? this.ctx.jurisdiction.rootCode, action, entityType: 'care', entityId, districtCode, details }], at);
  }

  /** A read of personal data, recorded before it is answered. */
  auditRead(caller: Caller, action: string, entityId: string, districtCode: string | null, details: Record<string, unknown>) {
    return this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType: 'care', entityId, districtCode, details });
  }

  /** The provider a caller acts for: a provider account its own; staff name one (or none: all in scope). */
  async providerOf(q: Queryable, caller: Caller, asked?: string | null): Promise<string | null> {
    if (caller.role === 'provider') {
      const own = await this.ports.providerOfUser(q, caller.userId);
      if (!own) throw new AppError('CARE_NOT_YOUR_PROVIDER', '您的账号尚未关联服务机构');
      if (asked && asked !== own) throw new AppError('CARE_NOT_YOUR_PROVIDER');
      return own;
    }
    return asked ?? null;
  }

  /** The provider a write is for: required for staff, the own one for a provider account. */
  private async providerFor(q: Queryable, caller: Caller, asked?: string | null): Promise<{ id: string; name: string; regionCode: string }> {
    const id = await this.providerOf(q, caller, asked);
    if (!id) throw new AppError('VALIDATION_FAILED', '请选择服务机构', [{ path: 'providerId', message: '请选择服务机构' }]);
    const p = (await this.ports.providers(q, [id])).get(id);
    if (!p) throw new AppError('NOT_FOUND', '未找到该服务机构');
    if (!p.regionCode.startsWith(caller.scope) && caller.role !== 'provider') throw new AppError('NOT_FOUND', '未找到该服务机构');
    return p;
  }

  /** Which people a caller may see: a citizen the linked ones (null = anyone in scope). */
  async reachable(q: Queryable, caller: Caller): Promise<string[] | null> {
    return caller.role === 'citizen' ? this.ports.linked(q, caller.userId) : null;
  }

  /** A person the caller may act for, or NOT_FOUND. */
  async person(q: Queryable, caller: Caller, personId: string): Promise<CarePerson> {
    if (caller.role === 'citizen' && !(await this.ports.linked(q, caller.userId)).includes(personId)) throw new AppError('NOT_FOUND', '未找到该老人');
    const p = (await this.ports.people(q, caller.role === 'citizen' ? '*' : caller.scope, [personId])).get(personId);
    if (!p) throw new AppError('NOT_FOUND', '未找到该老人');
    return p;
  }

  // ------------------------------------------------------------------ the caregiver register

  private caregiverView(r: cg.CaregiverRow, providers: Map<string, { name: string }>, reveal = false) {
    const idNumber = this.ctx.crypto.decrypt(r.id_number_enc);
    const phone = r.phone_enc ? this.ctx.crypto.decrypt(r.phone_enc) : null;
    const today = this.today();
    return {
      id: r.id, name: r.name, gender: r.gender, birthDate: r.birth_date, idNumber: reveal ? idNumber : maskIdNumber(idNumber, 'staff'), phone: phone ? maskPhone(phone) : null,
      kind: r.kind, kindName: CAREGIVER_KIND_NAMES[r.kind], skillLevel: r.skill_level, skillLevelName: r.skill_level ? SKILL_LEVEL_NAMES[r.skill_level] ?? null : null,
      qualifications: r.qualifications, qualificationNames: r.qualifications.map((x) => QUALIFICATION_NAMES[x as Qualification] ?? x), trainingHours: r.training_hours,
      healthCertValidTo: r.health_cert_valid_to, backgroundCheck: r.background_check, backgroundCheckedOn: r.background_checked_on,
      status: r.status, statusName: CAREGIVER_STATUS_NAMES[r.status], statusReason: r.status_reason, providerId: r.provider_id, providerName: r.provider_id ? providers.get(r.provider_id)?.name ?? null : null,
      districtCode: r.district_code, districtName: this.ctx.regions.get(r.district_code)?.name ?? '', shiftStart: r.shift_start, shiftEnd: r.shift_end,
      serviceKinds: kindsAllowed(r), unfit: unfitReason({ status: r.status, healthCertValidTo: r.health_cert_valid_to, backgroundCheck: r.background_check }, today),
      hasAccount: r.user_id !== null, updatedAt: r.updated_at,
    };
  }

  /**
   * Register a caregiver with a provider. One record per person citywide (by the keyed hash of
   * the ID number): someone already registered elsewhere moves — the old employment ends, the
   * record keeps its qualifications and history.
   */
  async hire(caller: Caller, input: CaregiverInput) {
    const parsed = parseIdNumber(input.idNumber, { today: this.today() });
    if (!parsed.ok) throw new AppError('PEOPLE_ID_NUMBER_INVALID', undefined, [{ path: 'idNumber', message: '身份证号码无效' }]);
    const number = parsed.value.number18;
    const now = this.ctx.clock();
    const provider = await this.scoped(caller, (q) => this.providerFor(q, caller, input.providerId));
    const idHash = this.ctx.crypto.blindIndex(number, ID_HASH_PURPOSE);
    // Citywide: the existing record may be in another district (outside the caller's scope).
    const out = await this.system(async (q) => {
      const old = await cg.caregiverByIdHash(q, idHash);
      if (old && old.provider_id === provider.id && old.status !== 'left') throw new AppError('CARE_CAREGIVER_EXISTS');
      const base: cg.CaregiverWrite = {
        id: old?.id ?? newId(), region_code: provider.regionCode, district_code: districtOf(provider.regionCode), provider_id: provider.id, user_id: old?.user_id ?? null,
        name: input.name, gender: parsed.value.sex, birth_date: parsed.value.birthDate, id_number_enc: this.ctx.crypto.encrypt(number), id_hash: idHash,
        phone_enc: input.phone ? this.ctx.crypto.encrypt(input.phone) : old?.phone_enc ?? null, kind: input.kind, skill_level: input.skillLevel ?? old?.skill_level ?? null,
        qualifications: input.qualifications ?? old?.qualifications ?? [], training_hours: input.trainingHours ?? old?.training_hours ?? 0,
        health_cert_valid_to: input.healthCertValidTo ?? old?.health_cert_valid_to ?? null, background_check: input.backgroundCheck ?? old?.background_check ?? 'pending',
        background_checked_on: input.backgroundCheckedOn ?? old?.background_checked_on ?? null, status: 'active', status_reason: null,
        shift_start: input.shiftStart ?? old?.shift_start ?? '08:00', shift_end: input.shiftEnd ?? old?.shift_end ?? '17:00', home_lat: old?.home_lat ?? null, home_lon: old?.home_lon ?? null,
      };
      if (old) {
        await cg.endEmployment(q, old.id, this.today(), old.provider_id ? '转入其他机构' : '重新入职');
        await cg.updateCaregiver(q, base, now);
      } else await cg.insertCaregiver(q, base, now);
      await cg.insertEmployment(q, { id: newId(), caregiver_id: base.id, provider_id: provider.id, region_code: provider.regionCode, from_date: this.today(), to_date: null, end_reason: null });
      await this.audit(q, caller, old ? 'care.caregiver.move' : 'care.caregiver.hire', base.id, base.district_code, { providerId: provider.id, from: old?.provider_id ?? null }, now);
      return { id: base.id, moved: Boolean(old?.provider_id) };
    });
    return { ...(await this.caregiver(caller, out.id)), moved: out.moved };
  }

  /** A caregiver the caller may change, locked (a provider: its own staff; others in scope), or NOT_FOUND. */
  private async ownCaregiver(q: Queryable, caller: Caller, id: string): Promise<cg.CaregiverRow> {
    const r = await cg.getCaregiver(q, id, true);
    const own = r ? await this.providerOf(q, caller) : null;
    if (!r || (own && r.provider_id !== own)) throw new AppError('NOT_FOUND', '未找到该护理员');
    return r;
  }

  /** Change a caregiver's qualifications, checks, hours or status (a provider: its own staff). */
  async updateCaregiver(caller: Caller, id: string, patch: CaregiverPatch) {
    const now = this.ctx.clock();
    await this.scoped(caller, async (q) => {
      const r = await this.ownCaregiver(q, caller, id);
      const leaving = patch.status === 'left' && r.status !== 'left';
      const next: cg.CaregiverWrite = {
        ...r, phone_enc: patch.phone === undefined ? r.phone_enc : patch.phone ? this.ctx.crypto.encrypt(patch.phone) : null, kind: patch.kind ?? r.kind,
        skill_level: patch.skillLevel === undefined ? r.skill_level : patch.skillLevel, qualifications: patch.qualifications ?? r.qualifications,
        training_hours: patch.trainingHours ?? r.training_hours, health_cert_valid_to: patch.healthCertValidTo === undefined ? r.health_cert_valid_to : patch.healthCertValidTo,
        background_check: patch.backgroundCheck ?? r.background_check, background_checked_on: patch.backgroundCheckedOn === undefined ? r.background_checked_on : patch.backgroundCheckedOn,
        status: patch.status ?? r.status, status_reason: patch.status ? patch.statusReason ?? null : r.status_reason, shift_start: patch.shiftStart ?? r.shift_start, shift_end: patch.shiftEnd ?? r.shift_end,
        provider_id: leaving ? null : r.provider_id,
      };
      await cg.updateCaregiver(q, next, now);
      if (leaving) await cg.endEmployment(q, r.id, this.today(), patch.statusReason ?? '离职');
      await this.audit(q, caller, 'care.caregiver.update', r.id, r.district_code, { fields: Object.keys(patch) }, now);
    });
    return this.caregiver(caller, id);
  }

  /** Link a caregiver-role account (in the caller's scope) to the record: the phone app signs in with it. */
  async linkAccount(caller: Caller, id: string, username: string) {
    const now = this.ctx.clock();
    await this.scoped(caller, async (q) => {
      const r = await this.ownCaregiver(q, caller, id);
      const user = (await usersInScope(q, 'caregiver', caller.scope)).find((u) => u.username === username);
      if (!user) throw new AppError('VALIDATION_FAILED', '未找到该护理员账号（须为本辖区“护理员”角色的账号）', [{ path: 'username', message: '未找到该账号' }]);
      await cg.setCaregiverUser(q, id, user.id, now);
      await this.audit(q, caller, 'care.caregiver.account', id, r.district_code, { userId: user.id }, now);
    });
    return this.caregiver(caller, id);
  }

  /** One caregiver with the employment history (audited). */
  async caregiver(caller: Caller, id: string) {
    const r = await this.scoped(caller, async (q) => {
      const r = await cg.getCaregiver(q, id);
      if (!r) throw new AppError('NOT_FOUND', '未找到该护理员');
      const own = caller.role === 'provider' ? await this.providerOf(q, caller) : null;
      if (own && r.provider_id !== own) throw new AppError('NOT_FOUND', '未找到该护理员');
      return r;
    });
    // The register is citywide: once the record is visible to the caller, its whole employment
    // history is shown (a move from another district included).
    const out = await this.system(async (q) => {
      const history = await cg.employmentOf(q, id);
      const providers = await this.ports.providers(q, [...new Set([r.provider_id, ...history.map((h) => h.provider_id)].filter((x): x is string => Boolean(x)))]);
      return { ...this.caregiverView(r, providers), employment: history.map((h) => ({ providerId: h.provider_id, providerName: providers.get(h.provider_id)?.name ?? '', from: h.from_date, to: h.to_date, endReason: h.end_reason })) };
    });
    await this.auditRead(caller, 'care.caregiver.read', id, out.districtCode, {});
    return out;
  }

  /** Search the register: officers citywide in their scope, a provider its own staff (audited). */
  async caregivers(caller: Caller, f: { q?: string; idNumber?: string; status?: CaregiverStatus; kind?: CaregiverKind; qualification?: string; minLevel?: number; district?: string; providerId?: string; page?: number; pageSize?: number }) {
    const page = f.page ?? 1;
    const size = f.pageSize ?? PAGE;
    const out = await this.scoped(caller, async (q) => {
      const providerId = (await this.providerOf(q, caller, f.providerId)) ?? undefined;
      let idHash: string | undefined;
      if (f.idNumber) {
        const parsed = parseIdNumber(f.idNumber, { today: this.today() });
        idHash = this.ctx.crypto.blindIndex(parsed.ok ? parsed.value.number18 : f.idNumber.toUpperCase(), ID_HASH_PURPOSE);
      }
      const { total, rows } = await cg.listCaregivers(q, { providerId, q: f.q, idHash, status: f.status, kind: f.kind, qualification: f.qualification, minLevel: f.minLevel, district: f.district }, size, (page - 1) * size);
      const providers = await this.ports.providers(q, [...new Set(rows.map((r) => r.provider_id).filter((x): x is string => Boolean(x)))]);
      return { total, page, pageSize: size, items: rows.map((r) => this.caregiverView(r, providers)) };
    });
    await this.auditRead(caller, 'care.caregiver.list', 'caregivers', null, { total: out.total, page, q: f.q ? 'name' : undefined, idNumber: f.idNumber ? 'hash' : undefined });
    return out;
  }

  /** Counts by district, kind, level and status (seed 000 §四(五)17: 可统计). No personal data. */
  async caregiverStats(caller: Caller) {
    const rows = await this.scoped(caller, (q) => cg.caregiverCounts(q));
    return { items: rows.map((r) => ({ districtCode: r.district_code, districtName: this.ctx.regions.get(r.district_code)?.name ?? '', kind: r.kind, skillLevel: r.skill_level, status: r.status, count: r.n })) };
  }

  // ------------------------------------------------------------------ care plans

  /** The person's LTCI home-care entitlement today and a starting proposal of visit slots. */
  async entitlement(caller: Caller, personId: string) {
    const today = this.today();
    const rules = this.rules(today);
    const out = await this.scoped(caller, async (q) => {
      const p = await this.person(q, caller, personId);
      const e = (await this.ports.ltci(q, [personId], today)).get(personId) ?? null;
      return { p, e };
    });
    const e = out.e;
    return {
      personId, name: out.p.name, asOf: today, entitlement: e,
      capMinutes: e?.eligible && e.hoursPerWeek ? e.hoursPerWeek * 60 : 0,
      proposal: e?.eligible && e.hoursPerWeek ? proposeSlots(e.hoursPerWeek, rules.visitMinutes, '09:00', 'care') : [],
      items: rules.ltciItems, visitMinutes: rules.visitMinutes,
    };
  }

  private planView(r: pl.PlanRow, names: Map<string, string>, providers: Map<string, { name: string }>) {
    return {
      id: r.id, personId: r.person_id, personName: names.get(r.person_id) ?? '', providerId: r.provider_id, providerName: providers.get(r.provider_id)?.name ?? '', status: r.status,
      careGrade: r.care_grade, weeklyMinutes: r.slots.reduce((s, x) => s + x.minutes, 0), capMinutes: r.weekly_minutes, items: r.items, slots: r.slots, validFrom: r.valid_from, validTo: r.valid_to,
      note: r.note, confirmedAt: r.confirmed_at, districtCode: r.district_code, createdAt: r.created_at, updatedAt: r.updated_at,
    };
  }

  private async checkDraft(q: Queryable, input: PlanInput, personId: string) {
    const today = this.today();
    const rules = this.rules(today);
    const e = (await this.ports.ltci(q, [personId], today)).get(personId);
    if (!e) throw new AppError('NOT_FOUND', '未找到该老人');
    const validTo = input.validTo ?? e.gradeValidTo ?? addDays(input.validFrom as LocalDate, 365);
    const check = checkPlan({ items: input.items, slots: input.slots, validFrom: input.validFrom, validTo }, e, rules.ltciItems);
    if (!e.eligible) throw new AppError('CARE_NOT_ELIGIBLE', check.problems[0]);
    if (check.problems.length) throw new AppError('CARE_PLAN_INVALID', check.problems[0], check.problems.map((m) => ({ path: 'plan', message: m })));
    const catalogue = new Map(rules.ltciItems.map((i) => [i.code, i]));
    return { e, check, items: input.items.map((c) => catalogue.get(c)!) };
  }

  /** The provider drafts a plan against the person's entitlement; it is checked, not yet in force. */
  async draftPlan(caller: Caller, input: PlanInput) {
    const now = this.ctx.clock();
    const id = await this.scoped(caller, async (q) => {
      const p = await this.person(q, caller, input.personId);
      const provider = await this.providerFor(q, caller, input.providerId);
      const { e, check, items } = await this.checkDraft(q, input, p.id);
      const id = newId();
      await pl.insertPlan(q, {
        id, person_id: p.id, region_code: p.regionCode, district_code: p.districtCode, provider_id: provider.id, status: 'draft', care_grade: e.grade ?? 0, weekly_minutes: check.capMinutes,
        items, slots: input.slots, valid_from: input.validFrom, valid_to: check.validTo, note: input.note ?? null, drafted_by: caller.userId, confirmed_by: null, confirmed_at: null,
      }, now);
      await this.audit(q, caller, 'care.plan.draft', id, p.districtCode, { providerId: provider.id, weeklyMinutes: check.weeklyMinutes }, now);
      return id;
    });
    return this.plan(caller, id);
  }

  /** Change a draft (before the family confirms it). */
  async updatePlan(caller: Caller, id: string, input: Omit<PlanInput, 'personId' | 'providerId'>) {
    const now = this.ctx.clock();
    await this.scoped(caller, async (q) => {
      const r = await this.ownPlan(q, caller, id, true);
      if (r.status !== 'draft') throw new AppError('CARE_ILLEGAL_TRANSITION', '只有草稿状态的计划可以修改');
      const { e, check, items } = await this.checkDraft(q, { ...input, personId: r.person_id }, r.person_id);
      await pl.updatePlan(q, { ...r, care_grade: e.grade ?? 0, weekly_minutes: check.capMinutes, items, slots: input.slots, valid_from: input.validFrom, valid_to: check.validTo, note: input.note ?? r.note }, now);
      await this.audit(q, caller, 'care.plan.update', id, r.district_code, { weeklyMinutes: check.weeklyMinutes }, now);
    });
    return this.plan(caller, id);
  }

  private async ownPlan(q: Queryable, caller: Caller, id: string, forUpdate = false): Promise<pl.PlanRow> {
    const r = await pl.getPlan(q, id, forUpdate);
    if (!r) throw new AppError('NOT_FOUND', '未找到该照护计划');
    if (caller.role === 'citizen' && !(await this.ports.linked(q, caller.userId)).includes(r.person_id)) throw new AppError('NOT_FOUND', '未找到该照护计划');
    if (caller.role === 'provider' && r.provider_id !== (await this.providerOf(q, caller))) throw new AppError('NOT_FOUND', '未找到该照护计划');
    return r;
  }

  /**
   * The person or family confirms the plan (an advisor or officer may record a confirmation
   * given to them): it comes into force, the person's earlier plan ends, and the orders of the
   * coming days are made.
   */
  async confirmPlan(caller: Caller, id: string) {
    const now = this.ctx.clock();
    const today = this.today();
    const made = await this.scoped(caller, async (q) => {
      const r = await this.ownPlan(q, caller, id, true);
      if (r.status !== 'draft') throw new AppError('CARE_ILLEGAL_TRANSITION', '该计划已确认或已结束');
      for (const other of await pl.listPlans(q, { personId: r.person_id, status: 'confirmed' })) {
        await pl.updatePlan(q, { ...other, status: 'ended', valid_to: other.valid_to < today ? other.valid_to : today }, now);
        await pl.cancelFutureOrders(q, other.id, now, now);
      }
      const confirmed = { ...r, status: 'confirmed' as const, confirmed_by: caller.userId, confirmed_at: now.toISOString() };
      await pl.updatePlan(q, confirmed, now);
      const made = await this.makeOrders(q, confirmed, today, now);
      await this.audit(q, caller, 'care.plan.confirm', id, r.district_code, { by: caller.role, orders: made }, now);
      return made;
    });
    return { ...(await this.plan(caller, id)), ordersMade: made };
  }

  /** End a plan (the person moved, died, chose another provider); its future orders are cancelled. */
  async endPlan(caller: Caller, id: string, reason: string) {
    const now = this.ctx.clock();
    const today = this.today();
    await this.scoped(caller, async (q) => {
      const r = await this.ownPlan(q, caller, id, true);
      if (r.status === 'ended' || r.status === 'cancelled') throw new AppError('CARE_ILLEGAL_TRANSITION', '该计划已结束');
      await pl.updatePlan(q, { ...r, status: r.status === 'draft' ? 'cancelled' : 'ended', valid_to: r.valid_to < today ? r.valid_to : today, note: reason }, now);
      const cancelled = await pl.cancelFutureOrders(q, id, now, now);
      await this.audit(q, caller, 'care.plan.end', id, r.district_code, { reason, cancelled }, now);
    });
    return this.plan(caller, id);
  }

  /** The plan's orders from `from` to the horizon (idempotent: a slot already ordered is skipped). */
  private async makeOrders(q: Queryable, r: pl.PlanRow, from: LocalDate, at: Date): Promise<number> {
    const start = (r.valid_from > from ? r.valid_from : from) as LocalDate;
    const horizon = addDays(this.today(), this.rules().planHorizonDays - 1);
    const end = (r.valid_to < horizon ? r.valid_to : horizon) as LocalDate;
    if (end < start) return 0;
    const slots = expandSlots(r.slots, start, end).filter((s) => s.startsAt.getTime() >= at.getTime());
    const items = r.items.map((i) => i.code);
    return pl.insertOrders(q, slots.map((s) => ({
      id: newId(), person_id: r.person_id, region_code: r.region_code, district_code: r.district_code, provider_id: r.provider_id, plan_id: r.id, payer: 'ltci', kind: s.kind,
      items: items.filter((c) => r.items.find((i) => i.code === c)?.kind === s.kind), starts_at: s.startsAt.toISOString(), minutes: s.minutes, price_fen_per_hour: null, caregiver_id: null, status: 'open',
    })), at);
  }

  /** The daily job: every confirmed plan's orders reach the horizon. */
  async extendOrders(): Promise<number> {
    const now = this.ctx.clock();
    const today = this.today();
    return this.system(async (q) => {
      let made = 0;
      for (const r of await pl.confirmedPlans(q, today)) made += await this.makeOrders(q, r, today, now);
      return made;
    });
  }

  async plan(caller: Caller, id: string) {
    const out = await this.scoped(caller, async (q) => {
      const r = await this.ownPlan(q, caller, id);
      const [people, providers] = await Promise.all([this.ports.people(q, '*', [r.person_id]), this.ports.providers(q, [r.provider_id])]);
      return this.planView(r, new Map([...people].map(([k, v]) => [k, v.name])), providers);
    });
    await this.auditRead(caller, 'care.plan.read', id, out.districtCode, {});
    return out;
  }

  async plans(caller: Caller, f: { personId?: string; providerId?: string; status?: pl.PlanStatus }) {
    const out = await this.scoped(caller, async (q) => {
      const providerId = (await this.providerOf(q, caller, f.providerId)) ?? undefined;
      const reach = await this.reachable(q, caller);
      const rows = await pl.listPlans(q, { personId: f.personId, providerId, status: f.status, personIds: reach ?? undefined });
      const [people, providers] = await Promise.all([this.ports.people(q, '*', [...new Set(rows.map((r) => r.person_id))]), this.ports.providers(q, [...new Set(rows.map((r) => r.provider_id))])]);
      const names = new Map([...people].map(([k, v]) => [k, v.name]));
      return { items: rows.map((r) => this.planView(r, names, providers)) };
    });
    await this.auditRead(caller, 'care.plan.list', 'plans', null, { total: out.items.length });
    return out;
  }

  // ------------------------------------------------------------------ orders and assignment

  /** A self-paid extra service on the same order model (not billed to LTCI). */
  async createOrder(caller: Caller, input: OrderInput) {
    const now = this.ctx.clock();
    const id = newId();
    await this.scoped(caller, async (q) => {
      const p = await this.person(q, caller, input.personId);
      const provider = await this.providerFor(q, caller, input.providerId);
      await pl.insertOrders(q, [{
        id, person_id: p.id, region_code: p.regionCode, district_code: p.districtCode, provider_id: provider.id, plan_id: null, payer: 'self', kind: input.kind, items: input.items,
        starts_at: new Date(input.startsAt).toISOString(), minutes: input.minutes, price_fen_per_hour: input.priceFenPerHour, caregiver_id: null, status: 'open',
      }], now);
      await this.audit(q, caller, 'care.order.create', id, p.districtCode, { payer: 'self', kind: input.kind }, now);
    });
    return { id };
  }

  /** Orders of a provider (or in scope) between two instants, with person names and caregivers. */
  async orders(caller: Caller, f: { from: string; to: string; providerId?: string; caregiverId?: string; personId?: string }) {
    const out = await this.scoped(caller, async (q) => {
      const providerId = (await this.providerOf(q, caller, f.providerId)) ?? undefined;
      const reach = await this.reachable(q, caller);
      const rows = await pl.listOrders(q, { from: f.from, to: f.to, providerId, caregiverId: f.caregiverId, personId: f.personId, personIds: reach ?? undefined });
      const people = await this.ports.people(q, '*', [...new Set(rows.map((r) => r.person_id))]);
      const carers = new Map((await cg.caregiversOf(q, [...new Set(rows.map((r) => r.caregiver_id).filter((x): x is string => Boolean(x)))])).map((c) => [c.id, c.name]));
      return {
        items: rows.map((r) => ({
          id: r.id, personId: r.person_id, personName: people.get(r.person_id)?.name ?? '', address: people.get(r.person_id)?.address ?? null, home: people.get(r.person_id)?.home ?? null,
          providerId: r.provider_id, planId: r.plan_id, payer: r.payer, kind: r.kind, items: r.items, startsAt: r.starts_at, minutes: r.minutes, priceFenPerHour: r.price_fen_per_hour,
          caregiverId: r.caregiver_id, caregiverName: r.caregiver_id ? carers.get(r.caregiver_id) ?? '' : null, status: r.status,
        })),
      };
    });
    await this.auditRead(caller, 'care.order.list', 'orders', null, { total: out.items.length, from: f.from, to: f.to });
    return out;
  }

  /**
   * Assign orders to caregivers by hand (null: unassign). The caregiver must work for the order's
   * provider, be fit to serve, and hold the qualification the order's kind needs. Each caregiver
   * whose visits changed is told.
   */
  async assign(caller: Caller, items: readonly { orderId: string; caregiverId: string | null; startsAt?: string }[]) {
    const now = this.ctx.clock();
    const changed = await this.scoped(caller, async (q) => {
      const own = await this.providerOf(q, caller);
      const orders = new Map((await pl.ordersOf(q, items.map((i) => i.orderId))).map((o) => [o.id, o]));
      const carers = new Map((await cg.caregiversOf(q, items.map((i) => i.caregiverId).filter((x): x is string => Boolean(x)))).map((c) => [c.id, c]));
      for (const i of items) {
        const o = orders.get(i.orderId);
        if (!o || (own && o.provider_id !== own)) throw new AppError('NOT_FOUND', '未找到该工单');
        if (o.status !== 'open' && o.status !== 'assigned') throw new AppError('CARE_ILLEGAL_TRANSITION', '该工单已开始或已结束，不能改派');
        if (!i.caregiverId) continue;
        const c = carers.get(i.caregiverId);
        if (!c || c.provider_id !== o.provider_id) throw new AppError('NOT_FOUND', '未找到该护理员（须为本机构在岗护理员）');
        const day = new Date(i.startsAt ?? o.starts_at);
        const unfit = unfitReason({ status: c.status, healthCertValidTo: c.health_cert_valid_to, backgroundCheck: c.background_check }, todayIn(() => day));
        if (unfit) throw new AppError('CARE_CAREGIVER_UNFIT', `${c.name}：${unfit}`);
        if (o.payer === 'ltci' && !kindsAllowed(c).includes(o.kind as 'care' | 'nursing')) throw new AppError('CARE_CAREGIVER_UNFIT', `${c.name} 不具备医疗护理资质（需护士执业证书）`);
      }
      const n = await pl.assignOrders(q, items.map((i) => ({ id: i.orderId, caregiverId: i.caregiverId, startsAt: i.startsAt })), now);
      // Tell each caregiver concerned (the new one and the one who lost the visit).
      const told = new Set<string>();
      for (const i of items) {
        const before = orders.get(i.orderId)!.caregiver_id;
        for (const cid of [before, i.caregiverId]) if (cid && !told.has(cid)) told.add(cid);
      }
      const concerned = await cg.caregiversOf(q, [...told]);
      await this.ports.notifier.sendMany(q, concerned.map((c) => ({ personId: null, districtCode: c.district_code, kind: 'care.schedule', title: '排班变更', body: `${c.name}：您的上门服务安排有变更，请在手机上查看今日服务。` })), now);
      await this.audit(q, caller, 'care.order.assign', 'orders', null, { orders: items.length, changed: n }, now);
      return n;
    });
    return { changed };
  }

  /**
   * Plan a provider's day (schedule.ts): the visits not yet started are (re)assigned to its fit
   * caregivers within their working hours, respecting qualifications and the travel between homes,
   * preferring the caregiver who served the person before; each may move by up to the window
   * parameter. Returns the explained assignments, the orders left unassigned with their reasons,
   * and the quality figure: travel minutes per care hour. Caregivers whose visits changed are told.
   */
  async autoSchedule(caller: Caller, f: { date: string; providerId?: string }) {
    const rules = this.rules(f.date as LocalDate);
    const from = startOfLocalDay(f.date as LocalDate);
    const to = startOfLocalDay(addDays(f.date as LocalDate, 1));
    const now = this.ctx.clock();
    const MS_PER_MINUTE = 60_000;
    const LOOKBACK_DAYS = 56;
    const plan = await this.scoped(caller, async (q) => {
      const providerId = await this.providerOf(q, caller, f.providerId);
      if (!providerId) throw new AppError('VALIDATION_FAILED', '请选择服务机构');
      const orders = (await pl.listOrders(q, { providerId, from: from.toISOString(), to: to.toISOString() })).filter((o) => (o.status === 'open' || o.status === 'assigned') && Date.parse(o.starts_at) > now.getTime());
      const staff = (await cg.listCaregivers(q, { providerId, status: 'active' }, 1000, 0)).rows.filter((c) => !unfitReason({ status: c.status, healthCertValidTo: c.health_cert_valid_to, backgroundCheck: c.background_check }, f.date as LocalDate));
      const people = await this.ports.people(q, '*', [...new Set(orders.map((o) => o.person_id))]);
      const past = await listVisits(q, { personIds: [...people.keys()], from: new Date(from.getTime() - LOOKBACK_DAYS * 86_400_000).toISOString(), to: from.toISOString() });
      const servedBefore: Record<string, string[]> = {};
      for (const v of past) {
        const list = (servedBefore[v.person_id] ??= []);
        if (!list.includes(v.caregiver_id)) list.push(v.caregiver_id);
      }
      const window = rules.scheduleWindowMinutes * MS_PER_MINUTE;
      const withHome = orders.filter((o) => people.get(o.person_id)?.home);
      const result = schedule({
        caregivers: staff.map((c) => ({
          id: c.id, qualifications: kindsAllowed(c), skillGrade: 0, maxMinutesPerDay: rules.maxDailyMinutes, base: c.home_lat !== null && c.home_lon !== null ? { lat: c.home_lat, lon: c.home_lon } : null,
          shifts: [{ start: from.getTime() + minutesOfDay(c.shift_start) * MS_PER_MINUTE, end: from.getTime() + minutesOfDay(c.shift_end) * MS_PER_MINUTE }],
        })),
        orders: withHome.map((o) => ({ id: o.id, person: o.person_id, kind: o.payer === 'ltci' ? o.kind : 'care', home: people.get(o.person_id)!.home!, earliestStart: Math.max(Date.parse(o.starts_at) - window, now.getTime()), latestStart: Date.parse(o.starts_at) + window, durationMinutes: o.minutes })),
        servedBefore,
      }, { travelSpeedKmh: rules.travelKmh, bufferMinutes: rules.travelBufferMinutes, continuityBonusMinutes: rules.continuityBonusMinutes, qualificationByKind: { nursing: 'nursing' }, improvementPasses: rules.scheduleImprovementPasses });
      const noHome = orders.filter((o) => !people.get(o.person_id)?.home).map((o) => ({ orderId: o.id, reason: 'no_home', text: '老人住址没有坐标，无法安排路线，请手工派单' }));
      return { providerId, orders, result, noHome, names: new Map(staff.map((c) => [c.id, c.name])), people };
    });
    const r: ScheduleResult = plan.result;
    const changes: { orderId: string; caregiverId: string | null; startsAt: string }[] = r.assignments.map((a) => ({ orderId: a.orderId, caregiverId: a.caregiverId, startsAt: new Date(a.start).toISOString() }));
    const unassignedIds = new Set(r.unassigned.map((u) => u.orderId));
    for (const o of plan.orders) if (unassignedIds.has(o.id) && o.caregiver_id) changes.push({ orderId: o.id, caregiverId: null, startsAt: o.starts_at });
    if (changes.length) await this.assign(caller, changes);
    await this.system((q) => this.audit(q, caller, 'care.order.schedule', plan.providerId, null, { date: f.date, assigned: r.assignments.length, unassigned: r.unassigned.length + plan.noHome.length, travelMinutesPerCareHour: r.travelMinutesPerCareHour }, now));
    const name = (id: string) => plan.names.get(id) ?? '';
    const person = (orderId: string) => plan.people.get(plan.orders.find((o) => o.id === orderId)?.person_id ?? '')?.name ?? '';
    return {
      date: f.date, assigned: r.assignments.length, travelMinutes: r.travelMinutes, careMinutes: r.careMinutes, travelMinutesPerCareHour: r.travelMinutesPerCareHour,
      assignments: r.assignments.map((a) => ({ ...a, start: new Date(a.start).toISOString(), caregiverName: name(a.caregiverId), personName: person(a.orderId) })),
      unassigned: [...r.unassigned.map((u) => ({ orderId: u.orderId, reason: u.reason, text: u.text, personName: person(u.orderId) })), ...plan.noHome.map((u) => ({ ...u, personName: person(u.orderId) }))],
      routes: r.routes.map((x) => ({ caregiverId: x.caregiverId, caregiverName: name(x.caregiverId), stops: x.stops.map((s) => ({ ...s, start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), personName: person(s.orderId) })) })),
    };
  }
}
