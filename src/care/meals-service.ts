// Use cases of community meals (老年助餐, issue 8 §7): the public list of meal points with the
// day's menus and meals left; a point's staff (its provider's accounts) or an officer publishes a
// day's menu per meal; older people, their families (linked accounts) or advisors order one meal
// — dine-in or delivered — which takes one of the point's daily capacity atomically and is
// priced with the per-meal subsidy in force on the meal's date (policy/care/meals.json, every
// figure explained); cancel before the cut-off; the point's day (orders per meal, the delivery
// list with masked addresses, the full delivery sheet as an audited action), mark meals served;
// and the meals served per point and day for officers. Other modules are reached through ports
// wired in src/app.ts: the supply registry's meal points, the register's people and links, the
// care grades in force. Changes are audited in their transaction, reads of personal data before
// they are answered.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addDays, ageOn, diffDays, todayIn, type LocalDate } from '../core/dates.ts';
import { AppError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { yuanDecimal } from '../core/money.ts';
import { maskName, maskPhone } from '../core/mask.ts';
import { appendAudit } from '../platform/audit.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { haversineMeters } from '../supply/index.ts';
import {
  cancelMove, capacityCheck, checkMealParameters, cutoffText, eaterText, isLowIncome, maskAddress, MEAL_NAMES, mealRulesOn, mealsLeft, MEALS, MODE_NAMES, orderWindow, priceOrder,
  serveMove, STATUS_NAMES, subsidyRuleFor, type EaterFacts, type Meal, type MealParameter, type MealRules, type Mode, type OrderStatus,
} from './meals.ts';
import * as store from './store/meals.ts';

// ---------------------------------------------------------------------------------------------
// Policy (the module's only file read for meals)

export const MEALS_POLICY_FILE = fileURLToPath(new URL('../../policy/care/meals.json', import.meta.url));

export interface MealsPolicy {
  version: string;
  parameters: MealParameter[];
  /** The rules in force on a day (ISO date). */
  on(asOf: string): MealRules;
}

/** The problems of a meals policy file (empty when it is fine). */
export function checkMealsPolicy(file = MEALS_POLICY_FILE): string[] {
  let raw: { version?: unknown; parameters?: unknown };
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as typeof raw;
  } catch (e) {
    return [`meals.json 无法读取：${(e as Error).message}`];
  }
  if (typeof raw.version !== 'string') return ['meals.json：缺少 version'];
  if (!Array.isArray(raw.parameters)) return ['meals.json：缺少 parameters 数组'];
  return checkMealParameters(raw.parameters as MealParameter[]);
}

/** Read and check the policy (no cache: tests pass their own file). */
export function readMealsPolicy(file = MEALS_POLICY_FILE): MealsPolicy {
  const problems = checkMealsPolicy(file);
  if (problems.length) throw new Error(`policy/care/meals.json 有误：\n${problems.join('\n')}`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { version: string; parameters: MealParameter[] };
  return { version: raw.version, parameters: raw.parameters, on: (asOf) => mealRulesOn(raw.parameters, asOf) };
}

let cachedPolicy: MealsPolicy | null = null;
/** The deployment's meals policy (memoised). */
export function mealsPolicy(): MealsPolicy {
  cachedPolicy ??= readMealsPolicy();
  return cachedPolicy;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A meal point as meals need it: a facility of the supply registry of a meals type. */
export interface MealPoint {
  id: string; providerId: string; name: string; typeCode: string; typeName: string; regionCode: string; districtCode: string; address: string;
  lon: number; lat: number; phone: string; openingHours: string;
  /** Meals per day (the registry's 助餐供餐能力). */
  capacity: number;
  approved: boolean;
}

/** A person as meals need them: the register's facts and the care grade in force. */
export interface MealPerson {
  personId: string; name: string; regionCode: string; districtCode: string; birthDate: string; economicStatus: string; careGrade: number | null; deceased: boolean;
}

export interface MealPorts {
  /** Every approved meal point (the registry's public snapshot; opens its own reads: call outside a transaction). */
  points(): Promise<MealPoint[]>;
  /** The supply registry's change stamp (changes when a facility does): the list's freshness check. */
  stamp(q: Queryable): Promise<string>;
  /** Meal points by id, whatever their status (in the caller's transaction); other facilities are left out. */
  pointsById(q: Queryable, ids: readonly string[]): Promise<MealPoint[]>;
  /** The provider a provider-role account acts for (opens its own read: call outside a transaction). */
  providerOf(caller: Caller): Promise<string | null>;
  /** The register's people (the whole jurisdiction) with the care grade in force on a day. */
  people(q: Queryable, ids: readonly string[], asOf: LocalDate): Promise<Map<string, MealPerson>>;
  /** May the caller act for the person (a citizen linked to them, staff in scope)? The relation's name (本人/家属/代办), or null. */
  reach(q: Queryable, caller: Caller, personId: string): Promise<string | null>;
  /** A citizen's linked people. */
  linked(q: Queryable, userId: string): Promise<{ personId: string; relation: string }[]>;
}

export interface OrderInput {
  personId: string;
  facilityId: string;
  date: string;
  meal: Meal;
  mode: Mode;
  deliveryAddress?: string | null;
  contactPhone?: string | null;
  note?: string | null;
}

export interface MenuInput {
  dishes: { name: string; note?: string | null }[];
  priceFen: number;
  delivery: boolean;
  deliveryFeeFen?: number;
  note?: string | null;
}

const MINE_DAYS_BACK = 30;
const MINE_LIMIT = 200;
/** Menus may be published up to this many days ahead (a month of planning; orders open only `maxDaysAhead` before). */
const MENU_DAYS_AHEAD = 31;
/** The longest period of one daily-counts answer. */
const COUNTS_MAX_DAYS = 366;
const POINTS_CHECK_MS = 2_000;
const UNIQUE_VIOLATION = '23505';
const MANAGED_LIMIT = 500;

const byMeal = (a: { meal: Meal }, b: { meal: Meal }) => MEALS.indexOf(a.meal) - MEALS.indexOf(b.meal);
const collator = new Intl.Collator('zh-CN');

export class MealsService {
  private pointsCache: { stamp: string; checkedAt: number; list: MealPoint[] } | null = null;
  private loadingPoints: Promise<MealPoint[]> | null = null;

  constructor(private readonly ctx: AppContext, private readonly ports: MealPorts, private readonly policy: MealsPolicy = mealsPolicy()) {}

  rules(asOf: string = todayIn(this.ctx.clock)): MealRules {
    return this.policy.on(asOf);
  }

  /** The rules in force on a day a caller named: a day no parameter covers is refused (a gap is never a silent default). */
  private rulesFor(date: string): MealRules {
    if (!this.policy.parameters.some((p) => p.from <= date)) throw new AppError('VALIDATION_FAILED', `${date} 没有生效的助餐政策参数`, [{ path: 'date', message: '日期早于助餐政策施行' }]);
    return this.policy.on(date);
  }

  private system<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { asAppRole: false });
  }

  private scoped<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
  }

  private audit(q: Queryable, caller: Caller, action: string, entityType: string, entityId: string, districtCode: string | null, details: Record<string, unknown>, at: Date) {
    return appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType, entityId, districtCode, details }], at);
  }

  /** A read of personal data, recorded before it is answered (the audit writer's group commit). */
  private auditRead(caller: Caller, action: string, entityType: string, entityId: string, districtCode: string | null, details: Record<string, unknown>) {
    return this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType, entityId, districtCode, details });
  }

  private within(caller: Caller, region: string): boolean {
    return caller.scope === '*' || region.startsWith(caller.scope);
  }

  private regionName(code: string): string {
    return this.ctx.regions.get(code)?.name ?? '';
  }

  /** Every approved meal point: kept in memory, read again when the registry's stamp changes (checked at most every few seconds). */
  private async allPoints(): Promise<MealPoint[]> {
    const c = this.pointsCache;
    if (c && Date.now() - c.checkedAt < POINTS_CHECK_MS) return c.list;
    this.loadingPoints ??= (async () => {
      try {
        const stamp = await this.system((q) => this.ports.stamp(q));
        if (this.pointsCache && this.pointsCache.stamp === stamp) {
          this.pointsCache.checkedAt = Date.now();
          return this.pointsCache.list;
        }
        const list = await this.ports.points();
        this.pointsCache = { stamp, checkedAt: Date.now(), list };
        return list;
      } finally {
        this.loadingPoints = null;
      }
    })();
    return this.loadingPoints;
  }

  // ----- public

  /** The rules in force, in words, with the parameters and their sources (public). */
  publishedRules() {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const line = (x: { label: string; fen: number }) => `${x.label}：每餐补贴 ${yuanDecimal(x.fen)} 元`;
    return {
      asOf: today, version: this.policy.version,
      dineIn: r.dineInSubsidy.map(line),
      delivery: r.deliverySubsidy.map(line),
      conditions: [
        `按顺序取第一条符合的；补贴不超过餐费。经济困难指家庭经济状况为${r.lowIncomeStatuses.map((s) => ({ dibao: '低保', low_income: '低收入', tekun: '特困' })[s] ?? s).join('、')}（以民政部门的认定为准）。`,
        `餐费（含送餐费）不足 ${yuanDecimal(r.minSpendFen)} 元的不补贴；每人每天最多 ${r.subsidisedMealsPerDay} 餐享受补贴。`,
        `最多可以提前 ${r.maxDaysAhead} 天订餐。`,
      ],
      cutoffs: MEALS.map((m) => ({ meal: m, mealName: MEAL_NAMES[m], text: `${MEAL_NAMES[m]}：${cutoffText(r, m)} 前可以订餐或退订` })),
      parameters: this.policy.parameters.filter((p) => p.from <= today && (p.to === null || p.to >= today)),
    };
  }

  private menuView(m: store.MenuRow, r: MealRules, now: Date, today: LocalDate) {
    const w = orderWindow(r, today, now, m.meal_date as LocalDate, m.meal);
    return {
      id: m.id, date: m.meal_date, meal: m.meal, mealName: MEAL_NAMES[m.meal], dishes: m.dishes, priceFen: m.price_fen, delivery: m.delivery, deliveryFeeFen: m.delivery_fee_fen,
      note: m.note, cutoff: w.cutoff.toISOString(), cutoffText: cutoffText(r, m.meal), open: w.ok, updatedAt: m.updated_at,
    };
  }

  private pointView(p: MealPoint, near: { lon: number; lat: number } | null) {
    return {
      id: p.id, name: p.name, typeCode: p.typeCode, typeName: p.typeName, districtCode: p.districtCode, districtName: this.regionName(p.districtCode), streetName: this.regionName(p.regionCode),
      address: p.address, phone: p.phone, openingHours: p.openingHours, lon: p.lon, lat: p.lat, capacity: p.capacity,
      distanceM: near ? Math.round(haversineMeters(near.lon, near.lat, p.lon, p.lat)) : null,
    };
  }

  /** Meal points near a place or in a region, with the day's menus and the meals left (public; no personal data). */
  async points(f: { near?: { lon: number; lat: number }; region?: string; q?: string; date?: string; withMenu?: boolean; page?: number; pageSize?: number }) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    const date = (f.date ?? today) as LocalDate;
    const r = this.rulesFor(date);
    const words = (f.q ?? '').trim().split(/\s+/).filter(Boolean);
    let list = (await this.allPoints()).filter((p) => (!f.region || p.regionCode.startsWith(f.region)) && words.every((w) => `${p.name} ${p.address} ${this.regionName(p.regionCode)}`.includes(w)));
    const { menus, taken } = await this.system(async (q) => ({
      menus: await store.menusBetween(q, null, date, date),
      taken: await store.takenBetween(q, null, date, date),
    }));
    const menusOf = new Map<string, store.MenuRow[]>();
    for (const m of menus) menusOf.set(m.facility_id, [...(menusOf.get(m.facility_id) ?? []), m]);
    const takenOf = new Map(taken.map((t) => [t.facility_id, t.n]));
    if (f.withMenu) list = list.filter((p) => menusOf.has(p.id));
    const near = f.near ?? null;
    const sorted = near
      ? list.map((p) => ({ p, d: haversineMeters(near.lon, near.lat, p.lon, p.lat) })).sort((a, b) => a.d - b.d || (a.p.id < b.p.id ? -1 : 1)).map((x) => x.p)
      : [...list].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
    const page = Math.max(1, f.page ?? 1);
    const size = f.pageSize ?? 10;
    return {
      date, total: sorted.length, page, pageSize: size, center: near,
      items: sorted.slice((page - 1) * size, page * size).map((p) => ({
        ...this.pointView(p, near), left: mealsLeft(p.capacity, takenOf.get(p.id) ?? 0),
        menus: (menusOf.get(p.id) ?? []).sort(byMeal).map((m) => this.menuView(m, r, now, today)),
      })),
    };
  }

  /** One meal point with its menus and meals left from today for the days one may order (public). */
  async point(id: string) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    const r = this.rules(today);
    const last = addDays(today, r.maxDaysAhead);
    const d = await this.system(async (q) => {
      const p = (await this.ports.pointsById(q, [id.toLowerCase()]))[0];
      if (!p || !p.approved) throw new AppError('NOT_FOUND', '未找到该助餐点');
      return { p, menus: await store.menusBetween(q, [p.id], today, last), taken: await store.takenBetween(q, [p.id], today, last) };
    });
    const days = [];
    for (let day = today; day <= last; day = addDays(day, 1)) {
      const taken = d.taken.find((t) => t.meal_date === day)?.n ?? 0;
      const rd = this.rules(day);
      days.push({ date: day, taken, left: mealsLeft(d.p.capacity, taken), menus: d.menus.filter((m) => m.meal_date === day).sort(byMeal).map((m) => this.menuView(m, rd, now, today)) });
    }
    return { ...this.pointView(d.p, null), days };
  }

  // ----- orders

  private async personFor(q: Queryable, caller: Caller, personId: string, date: LocalDate): Promise<{ person: MealPerson; relation: string }> {
    const relation = await this.ports.reach(q, caller, personId);
    if (!relation) throw new AppError('NOT_FOUND', '未找到该老人');
    const person = (await this.ports.people(q, [personId], date)).get(personId);
    if (!person) throw new AppError('NOT_FOUND', '未找到该老人');
    return { person, relation };
  }

  private eater(p: MealPerson, date: LocalDate): EaterFacts {
    return { age: ageOn(p.birthDate as LocalDate, date), careGrade: p.careGrade, economicStatus: p.economicStatus };
  }

  /**
   * Everything an order needs, checked in order: the window (not past, not too far ahead, before
   * the cut-off), the person (reachable, living), the point (an approved meal point), the menu of
   * that meal (and delivery offered when asked), no other order of the person for that meal, the
   * capacity (with `lock`: the day locked first, so the count holds to commit), then the figures.
   */
  private async prepare(q: Queryable, caller: Caller, input: OrderInput, now: Date, lock: boolean) {
    const today = todayIn(() => now);
    const date = input.date as LocalDate;
    const r = this.rulesFor(date);
    const personId = input.personId.toLowerCase();
    const facilityId = input.facilityId.toLowerCase();
    const w = orderWindow(r, today, now, date, input.meal);
    if (!w.ok) throw new AppError(w.code === 'closed' ? 'MEALS_ORDER_CLOSED' : 'VALIDATION_FAILED', w.message, [{ path: 'date', message: w.message }]);
    const { person, relation } = await this.personFor(q, caller, personId, date);
    if (person.deceased) throw new AppError('MEALS_PERSON_INACTIVE');
    const point = (await this.ports.pointsById(q, [facilityId]))[0];
    if (!point || !point.approved) throw new AppError('NOT_FOUND', '未找到该助餐点');
    const menu = await store.getMenu(q, point.id, date, input.meal);
    if (!menu) throw new AppError('MEALS_NO_MENU', `${point.name}${date} 的${MEAL_NAMES[input.meal]}尚未发布菜单`);
    if (input.mode === 'delivery' && !menu.delivery) throw new AppError('MEALS_NO_DELIVERY', `${point.name}这一餐不提供送餐上门，请选择堂食或其他助餐点`);
    const address = input.deliveryAddress?.trim() ?? '';
    if (input.mode === 'delivery' && !address) throw new AppError('VALIDATION_FAILED', '请填写送餐地址', [{ path: 'deliveryAddress', message: '请填写送餐地址' }]);
    const existing = await store.openOrderOf(q, person.personId, date, input.meal);
    if (existing) throw new AppError('MEALS_ALREADY_ORDERED', `${person.name}${date} 的${MEAL_NAMES[input.meal]}已经订过了`);
    if (lock) await store.lockDay(q, point.id, date);
    const taken = await store.takenOn(q, point.id, date);
    const cap = capacityCheck(point.capacity, taken);
    if (!cap.ok) throw new AppError('MEALS_FULL', cap.message);
    const subsidised = await store.subsidisedOn(q, person.personId, date);
    const pricing = priceOrder(r, this.eater(person, date), { meal: input.meal, mode: input.mode, mealFen: menu.price_fen, deliveryFeeFen: menu.delivery_fee_fen }, subsidised);
    return { date, r, w, person, relation, point, menu, pricing, left: cap.left, address };
  }

  /** What an order would cost, with the subsidy explained, before it is placed (nothing stored; a read of the person's facts, audited). */
  async quote(caller: Caller, input: OrderInput) {
    const now = this.ctx.clock();
    const d = await this.system((q) => this.prepare(q, caller, input, now, false));
    await this.auditRead(caller, 'meals.quote', 'person', d.person.personId, d.person.districtCode, { facilityId: d.point.id, date: d.date, meal: input.meal, mode: input.mode });
    return {
      personId: d.person.personId, personName: d.person.name, facilityId: d.point.id, facilityName: d.point.name, date: d.date, meal: input.meal, mealName: MEAL_NAMES[input.meal],
      mode: input.mode, modeName: MODE_NAMES[input.mode], ...this.figuresOf(d.pricing), leftAfter: d.left, cutoff: d.w.cutoff.toISOString(), cutoffText: cutoffText(d.r, input.meal),
    };
  }

  private figuresOf(p: ReturnType<typeof priceOrder>) {
    return { mealFen: p.mealFen, deliveryFeeFen: p.deliveryFeeFen, priceFen: p.priceFen, subsidyFen: p.subsidyFen, paysFen: p.paysFen, subsidyGroup: p.group, figures: p.figures };
  }

  /** Order one meal for a person: the day's capacity is taken atomically; price, subsidy and what the person pays are stored with their explanations. */
  async order(caller: Caller, input: OrderInput) {
    const now = this.ctx.clock();
    const id = newId();
    try {
      await this.system(async (q) => {
        const d = await this.prepare(q, caller, input, now, true);
        const phone = input.contactPhone?.trim() || null;
        await store.insertOrders(q, [{
          id, menu_id: d.menu.id, facility_id: d.point.id, region_code: d.point.regionCode, district_code: d.point.districtCode, person_id: d.person.personId,
          person_region_code: d.person.regionCode, person_district_code: d.person.districtCode, meal_date: d.date, meal: input.meal, mode: input.mode, quantity: 1, status: 'ordered',
          meal_fen: d.pricing.mealFen, delivery_fee_fen: d.pricing.deliveryFeeFen, price_fen: d.pricing.priceFen, subsidy_fen: d.pricing.subsidyFen, pays_fen: d.pricing.paysFen,
          subsidy_group: d.pricing.group, figures: d.pricing.figures, parameter_version: this.policy.version,
          delivery_address_enc: input.mode === 'delivery' ? this.ctx.crypto.encrypt(d.address) : null, delivery_address_masked: input.mode === 'delivery' ? maskAddress(d.address) : null,
          contact_phone_enc: input.mode === 'delivery' && phone ? this.ctx.crypto.encrypt(phone) : null, contact_phone_masked: input.mode === 'delivery' && phone ? maskPhone(phone) : null,
          note: input.note?.trim() || null, ordered_by: caller.userId, ordered_role: caller.role, relation: d.relation,
        }], now);
        await this.audit(q, caller, 'meals.order.create', 'meal_order', id, d.person.districtCode, {
          personId: d.person.personId, facilityId: d.point.id, date: d.date, meal: input.meal, mode: input.mode, priceFen: d.pricing.priceFen, subsidyFen: d.pricing.subsidyFen, paysFen: d.pricing.paysFen,
        }, now);
      });
    } catch (e) {
      // Two orders of one person for one meal at the same moment: the unique index decides.
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new AppError('MEALS_ALREADY_ORDERED');
      throw e;
    }
    return this.orderById(caller, id);
  }

  /** Cancel an order (the person's side: before the cut-off). */
  async cancel(caller: Caller, id: string, reason: string | null) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    await this.system(async (q) => {
      const o = await store.getOrder(q, id.toLowerCase(), true);
      if (!o || !(await this.ports.reach(q, caller, o.person_id))) throw new AppError('NOT_FOUND', '未找到该订单');
      const move = cancelMove(o.status, orderWindow(this.rules(o.meal_date), today, now, o.meal_date as LocalDate, o.meal));
      if (!move.ok) throw new AppError(o.status === 'ordered' ? 'MEALS_ORDER_CLOSED' : 'MEALS_ILLEGAL_TRANSITION', move.message);
      await store.cancelOrder(q, o.id, caller.userId, reason, now);
      await this.audit(q, caller, 'meals.order.cancel', 'meal_order', o.id, o.person_district_code, { reason }, now);
    });
    return this.orderById(caller, id);
  }

  private async orderById(caller: Caller, id: string) {
    const v = await this.system(async (q) => {
      const o = await store.getOrder(q, id.toLowerCase());
      if (!o || !(await this.ports.reach(q, caller, o.person_id))) throw new AppError('NOT_FOUND', '未找到该订单');
      return (await this.orderViews(q, [o]))[0]!;
    });
    await this.auditRead(caller, 'meals.order.read', 'meal_order', v.id, v.personDistrictCode, {});
    return v;
  }

  /** Orders as the person's side sees them: the point, the figures, whether it may still be cancelled. */
  private async orderViews(q: Queryable, rows: readonly store.OrderRow[]) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    const points = new Map((await this.ports.pointsById(q, [...new Set(rows.map((o) => o.facility_id))])).map((p) => [p.id, p]));
    const people = await this.ports.people(q, [...new Set(rows.map((o) => o.person_id))], today);
    return rows.map((o) => {
      const r = this.rules(o.meal_date);
      const w = orderWindow(r, today, now, o.meal_date as LocalDate, o.meal);
      const p = points.get(o.facility_id);
      return {
        id: o.id, personId: o.person_id, personName: people.get(o.person_id)?.name ?? '', personDistrictCode: o.person_district_code, relation: o.relation,
        facilityId: o.facility_id, facilityName: p?.name ?? '', facilityAddress: p?.address ?? '', facilityPhone: p?.phone ?? '',
        date: o.meal_date, meal: o.meal, mealName: MEAL_NAMES[o.meal], mode: o.mode, modeName: MODE_NAMES[o.mode], status: o.status, statusName: STATUS_NAMES[o.status],
        mealFen: o.meal_fen, deliveryFeeFen: o.delivery_fee_fen, priceFen: o.price_fen, subsidyFen: o.subsidy_fen, paysFen: o.pays_fen, subsidyGroup: o.subsidy_group, figures: o.figures,
        deliveryAddressMasked: o.delivery_address_masked, contactPhoneMasked: o.contact_phone_masked, note: o.note,
        createdAt: o.created_at, cancelledAt: o.cancelled_at, cancelReason: o.cancel_reason, servedAt: o.served_at,
        cutoff: w.cutoff.toISOString(), cutoffText: cutoffText(r, o.meal), canCancel: cancelMove(o.status, w).ok,
      };
    });
  }

  /** A citizen's linked people (with the subsidy each would get today) and their orders of the last days and to come. */
  async mine(caller: Caller) {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const out = await this.system(async (q) => {
      const links = await this.ports.linked(q, caller.userId);
      const people = await this.ports.people(q, links.map((l) => l.personId), today);
      const orders = await store.ordersOfPeople(q, links.map((l) => l.personId), addDays(today, -MINE_DAYS_BACK), MINE_LIMIT);
      return {
        people: links.filter((l) => people.has(l.personId)).map((l) => this.personView(people.get(l.personId)!, l.relation, r, today)),
        orders: await this.orderViews(q, orders),
      };
    });
    await this.auditRead(caller, 'meals.mine', 'user', caller.userId, null, { people: out.people.length, orders: out.orders.length });
    return out;
  }

  private personView(p: MealPerson, relation: string, r: MealRules, today: LocalDate) {
    const e = this.eater(p, today);
    const dine = subsidyRuleFor(r.dineInSubsidy, r, e);
    const delivery = subsidyRuleFor(r.deliverySubsidy, r, e);
    return {
      personId: p.personId, name: p.name, relation, districtCode: p.districtCode, districtName: this.regionName(p.districtCode), regionCode: p.regionCode,
      age: e.age, careGrade: p.careGrade, lowIncome: isLowIncome(r, p.economicStatus), deceased: p.deceased, facts: eaterText(e),
      subsidy: { dineIn: dine ? { fen: dine.fen, label: dine.label } : null, delivery: delivery ? { fen: delivery.fen, label: delivery.label } : null },
    };
  }

  /** One person's orders (a citizen: a linked person; staff: in scope), with what subsidy they would get today. */
  async ordersOf(caller: Caller, personId: string) {
    const today = todayIn(this.ctx.clock);
    const r = this.rules(today);
    const out = await this.system(async (q) => {
      const { person, relation } = await this.personFor(q, caller, personId.toLowerCase(), today);
      const rows = await store.ordersOfPeople(q, [person.personId], addDays(today, -MINE_DAYS_BACK), MINE_LIMIT);
      return { person: this.personView(person, relation, r, today), orders: await this.orderViews(q, rows) };
    });
    await this.auditRead(caller, 'meals.orders.read', 'person', out.person.personId, out.person.districtCode, { orders: out.orders.length });
    return out;
  }

  // ----- the point's staff

  /** A point the caller may manage: a provider's own, or (staff) one in scope. `own` is the caller's provider, read before the transaction. */
  private async managedPoint(q: Queryable, caller: Caller, own: string | null, pointId: string): Promise<MealPoint> {
    const p = (await this.ports.pointsById(q, [pointId.toLowerCase()]))[0];
    if (!p) throw new AppError('NOT_FOUND', '未找到该助餐点');
    if (caller.role === 'provider') {
      if (!own || own !== p.providerId) throw new AppError('MEALS_NOT_YOUR_POINT');
    } else if (!this.within(caller, p.regionCode)) throw new AppError('NOT_FOUND', '未找到该助餐点');
    return p;
  }

  private async ownProvider(caller: Caller): Promise<string | null> {
    return caller.role === 'provider' ? this.ports.providerOf(caller) : null;
  }

  /** The points the caller manages (a provider: its own approved meal points; staff: those in scope), with today's orders and menus. */
  async managed(caller: Caller, f: { q?: string; region?: string } = {}) {
    const today = todayIn(this.ctx.clock);
    const own = await this.ownProvider(caller);
    const words = (f.q ?? '').trim().split(/\s+/).filter(Boolean);
    const all = (await this.allPoints()).filter((p) => (caller.role === 'provider' ? own !== null && p.providerId === own : this.within(caller, p.regionCode))
      && (!f.region || p.regionCode.startsWith(f.region)) && words.every((w) => `${p.name} ${p.address}`.includes(w)));
    const list = [...all].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1)).slice(0, MANAGED_LIMIT);
    const { menus, taken } = await this.system(async (q) => ({ menus: await store.menusBetween(q, list.map((p) => p.id), today, today), taken: await store.takenBetween(q, list.map((p) => p.id), today, today) }));
    return {
      date: today, total: all.length,
      items: list.map((p) => ({
        ...this.pointView(p, null), todayOrdered: taken.find((t) => t.facility_id === p.id)?.n ?? 0,
        todayMeals: menus.filter((m) => m.facility_id === p.id).sort(byMeal).map((m) => MEAL_NAMES[m.meal]),
      })),
    };
  }

  /** Publish (or replace) a point's menu for a day and meal. Orders already placed keep their own price and figures. */
  async publishMenu(caller: Caller, pointId: string, date: string, meal: Meal, input: MenuInput) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    if (date < today) throw new AppError('VALIDATION_FAILED', '不能发布已经过去的日期的菜单', [{ path: 'date', message: '日期已过' }]);
    if (diffDays(date as LocalDate, today) > MENU_DAYS_AHEAD) throw new AppError('VALIDATION_FAILED', `最多可以提前 ${MENU_DAYS_AHEAD} 天发布菜单`, [{ path: 'date', message: '日期太远' }]);
    const fee = input.delivery ? input.deliveryFeeFen ?? 0 : 0;
    const own = await this.ownProvider(caller);
    await this.system(async (q) => {
      const p = await this.managedPoint(q, caller, own, pointId);
      if (!p.approved) throw new AppError('MEALS_ILLEGAL_TRANSITION', '助餐点尚未通过备案，不能发布菜单');
      const before = await store.getMenu(q, p.id, date, meal);
      if (before?.delivery && !input.delivery && (await store.ordersOfDay(q, p.id, date)).some((o) => o.meal === meal && o.mode === 'delivery' && o.status === 'ordered')) {
        throw new AppError('MEALS_ILLEGAL_TRANSITION', '这一餐已有送餐订单，不能取消送餐；请先联系老人退订');
      }
      const id = await store.upsertMenu(q, {
        id: before?.id ?? newId(), facility_id: p.id, region_code: p.regionCode, district_code: p.districtCode, meal_date: date, meal,
        dishes: input.dishes.map((d) => ({ name: d.name.trim(), note: d.note?.trim() || null })), price_fen: input.priceFen, delivery: input.delivery, delivery_fee_fen: fee,
        note: input.note?.trim() || null, published_by: caller.userId, published_role: caller.role,
      }, now);
      await this.audit(q, caller, before ? 'meals.menu.update' : 'meals.menu.publish', 'meal_menu', id, p.districtCode, { facilityId: p.id, date, meal, priceFen: input.priceFen, delivery: input.delivery, deliveryFeeFen: fee }, now);
    });
    return this.day(caller, pointId, date);
  }

  /** The point's day for its staff: capacity, the menus, the orders per meal (names masked), dine-in and delivery counts, the delivery list with masked addresses (audited). */
  async day(caller: Caller, pointId: string, date: string) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    const r = this.rulesFor(date);
    const own = await this.ownProvider(caller);
    const d = await this.system(async (q) => {
      const p = await this.managedPoint(q, caller, own, pointId);
      const [menus, orders] = [await store.menusBetween(q, [p.id], date, date), await store.ordersOfDay(q, p.id, date)];
      const people = await this.ports.people(q, [...new Set(orders.map((o) => o.person_id))], date as LocalDate);
      return { p, menus, orders, people };
    });
    const live = d.orders.filter((o) => o.status !== 'cancelled');
    const orderLine = (o: store.OrderRow) => ({
      id: o.id, personNameMasked: maskName(d.people.get(o.person_id)?.name ?? ''), meal: o.meal, mealName: MEAL_NAMES[o.meal], mode: o.mode, modeName: MODE_NAMES[o.mode],
      status: o.status, statusName: STATUS_NAMES[o.status], paysFen: o.pays_fen, subsidyFen: o.subsidy_fen, note: o.note, createdAt: o.created_at, servedAt: o.served_at,
      addressMasked: o.delivery_address_masked, phoneMasked: o.contact_phone_masked, canServe: serveMove(o.status, o.mode, date as LocalDate, today).ok,
    });
    const counts = (rows: readonly store.OrderRow[]) => ({
      ordered: rows.filter((o) => o.status !== 'cancelled').length, dineIn: rows.filter((o) => o.status !== 'cancelled' && o.mode === 'dine_in').length,
      delivery: rows.filter((o) => o.status !== 'cancelled' && o.mode === 'delivery').length, served: rows.filter((o) => o.status === 'served').length,
      delivered: rows.filter((o) => o.status === 'delivered').length, cancelled: rows.filter((o) => o.status === 'cancelled').length,
    });
    const meals = MEALS.filter((m) => d.menus.some((x) => x.meal === m) || d.orders.some((o) => o.meal === m)).map((m) => {
      const menu = d.menus.find((x) => x.meal === m);
      const rows = d.orders.filter((o) => o.meal === m);
      return { meal: m, mealName: MEAL_NAMES[m], menu: menu ? this.menuView(menu, r, now, today) : null, counts: counts(rows), orders: rows.map(orderLine) };
    });
    await this.auditRead(caller, 'meals.day.read', 'meal_point', d.p.id, d.p.districtCode, { date, orders: d.orders.length });
    return {
      point: this.pointView(d.p, null), date, capacity: d.p.capacity, taken: live.length, left: mealsLeft(d.p.capacity, live.length), counts: counts(d.orders), meals,
      delivery: live.filter((o) => o.mode === 'delivery').map(orderLine),
    };
  }

  /** The full delivery sheet of a day (names, addresses, phones): an explicit, purpose-stated, audited action. */
  async deliverySheet(caller: Caller, pointId: string, date: string, purpose: string) {
    const own = await this.ownProvider(caller);
    const d = await this.system(async (q) => {
      const p = await this.managedPoint(q, caller, own, pointId);
      const orders = (await store.ordersOfDay(q, p.id, date)).filter((o) => o.mode === 'delivery' && o.status !== 'cancelled');
      const people = await this.ports.people(q, [...new Set(orders.map((o) => o.person_id))], date as LocalDate);
      return { p, orders, people };
    });
    await this.auditRead(caller, 'meals.delivery_sheet.read', 'meal_point', d.p.id, d.p.districtCode, { date, purpose, orders: d.orders.map((o) => o.id) });
    return {
      point: this.pointView(d.p, null), date, purpose,
      items: d.orders.map((o) => ({
        id: o.id, meal: o.meal, mealName: MEAL_NAMES[o.meal], status: o.status, statusName: STATUS_NAMES[o.status], personName: d.people.get(o.person_id)?.name ?? '',
        address: o.delivery_address_enc ? this.ctx.crypto.decrypt(o.delivery_address_enc) : '', phone: o.contact_phone_enc ? this.ctx.crypto.decrypt(o.contact_phone_enc) : null,
        note: o.note, paysFen: o.pays_fen,
      })),
    };
  }

  /** Mark a meal served: eaten at the point (dine-in) or delivered. */
  async serve(caller: Caller, orderId: string) {
    const now = this.ctx.clock();
    const today = todayIn(() => now);
    const own = await this.ownProvider(caller);
    const out = await this.system(async (q) => {
      const o = await store.getOrder(q, orderId.toLowerCase(), true);
      if (!o) throw new AppError('NOT_FOUND', '未找到该订单');
      const p = await this.managedPoint(q, caller, own, o.facility_id);
      const move = serveMove(o.status, o.mode, o.meal_date as LocalDate, today);
      if (!move.ok) throw new AppError('MEALS_ILLEGAL_TRANSITION', move.message);
      await store.serveOrder(q, o.id, move.to as 'served' | 'delivered', caller.userId, now);
      await this.audit(q, caller, 'meals.order.serve', 'meal_order', o.id, p.districtCode, { status: move.to }, now);
      return { id: o.id, status: move.to as OrderStatus, statusName: STATUS_NAMES[move.to], servedAt: now.toISOString(), pointId: p.id, date: o.meal_date };
    });
    return out;
  }

  // ----- officers

  /** Meals per point and day in the caller's scope (and a district or street), for the indicators: ordered, by way of eating, served, open, cancelled, subsidy. */
  async dailyCounts(caller: Caller, f: { from: string; to: string; district?: string }) {
    if (f.to < f.from) throw new AppError('VALIDATION_FAILED', '结束日期不能早于开始日期', [{ path: 'to', message: '结束日期不能早于开始日期' }]);
    if (diffDays(f.to as LocalDate, f.from as LocalDate) >= COUNTS_MAX_DAYS) throw new AppError('VALIDATION_FAILED', `一次最多查询 ${COUNTS_MAX_DAYS} 天`, [{ path: 'to', message: '期间太长' }]);
    const rows = await this.scoped(caller, (q) => store.dailyCounts(q, caller.scope, { from: f.from, to: f.to, region: f.district }));
    const points = new Map((await this.system((q) => this.ports.pointsById(q, [...new Set(rows.map((r) => r.facility_id))]))).map((p) => [p.id, p]));
    const items = rows.map((r) => ({
      date: r.meal_date, facilityId: r.facility_id, facilityName: points.get(r.facility_id)?.name ?? '', districtCode: r.district_code, districtName: this.regionName(r.district_code),
      streetName: this.regionName(r.region_code), capacity: points.get(r.facility_id)?.capacity ?? 0,
      ordered: r.ordered, dineIn: r.dine_in, delivery: r.delivery, served: r.served + r.delivered, dineInServed: r.served, delivered: r.delivered, open: r.open, cancelled: r.cancelled,
      subsidyFen: r.subsidy_fen, paysFen: r.pays_fen,
    }));
    const days = new Map<string, { date: string; points: number; ordered: number; served: number; delivered: number; cancelled: number; subsidyFen: number }>();
    for (const i of items) {
      const d = days.get(i.date) ?? { date: i.date, points: 0, ordered: 0, served: 0, delivered: 0, cancelled: 0, subsidyFen: 0 };
      d.points++;
      d.ordered += i.ordered;
      d.served += i.served;
      d.delivered += i.delivered;
      d.cancelled += i.cancelled;
      d.subsidyFen += i.subsidyFen;
      days.set(i.date, d);
    }
    const totals = { ordered: 0, served: 0, delivered: 0, cancelled: 0, subsidyFen: 0 };
    for (const d of days.values()) {
      totals.ordered += d.ordered;
      totals.served += d.served;
      totals.delivered += d.delivered;
      totals.cancelled += d.cancelled;
      totals.subsidyFen += d.subsidyFen;
    }
    return { from: f.from, to: f.to, district: f.district ?? null, items, days: [...days.values()], totals };
  }
}
