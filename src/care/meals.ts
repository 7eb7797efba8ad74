// Community meals (老年助餐, issue 8 §7), the pure part: the policy's parameters and their checks
// (policy/care/meals.json), the per-meal subsidy for eligible people — an ordered table per way of
// eating, base case "no subsidy" and named exceptions (already subsidised today, below the minimum
// spend, capped at the price) — with every figure of an order explained, the order and
// cancellation cut-off, the daily capacity check, the order's state moves, and the masking of a
// delivery address on staff lists. No I/O, no clock: the caller passes the date and time.
import { addDays, startOfLocalDay, type LocalDate } from '../core/dates.ts';
import { yuanDecimal } from '../core/money.ts';
import { checkDatedParameters, type DatedParameter } from '../core/params.ts';

export const MEALS = ['breakfast', 'lunch', 'dinner'] as const;
export type Meal = (typeof MEALS)[number];
export const MEAL_NAMES: Record<Meal, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };

export const MODES = ['dine_in', 'delivery'] as const;
export type Mode = (typeof MODES)[number];
export const MODE_NAMES: Record<Mode, string> = { dine_in: '堂食', delivery: '送餐上门' };

export const ORDER_STATUSES = ['ordered', 'served', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const STATUS_NAMES: Record<OrderStatus, string> = { ordered: '已预订', served: '已就餐', delivered: '已送达', cancelled: '已取消' };

const ECONOMIC_NAMES: Record<string, string> = { none: '非经济困难', dibao: '低保', low_income: '低收入', tekun: '特困' };

export interface MealParameter { name: string; label: string; unit: string; value: unknown; from: string; to: string | null; source: string; confidence: string }

/** One row of a subsidy table: who (age at least, optionally low income, optionally a care grade at least) and how much per meal. */
export interface SubsidyRule { group: string; label: string; minAge: number; lowIncome?: boolean; minGrade?: number; fen: number }
/** Orders for a meal close `daysBefore` days before the meal's date at `time` (HH:MM, local). */
export interface Cutoff { daysBefore: number; time: string }

/** The parameters in force on one day. */
export interface MealRules {
  dineInSubsidy: SubsidyRule[];
  deliverySubsidy: SubsidyRule[];
  lowIncomeStatuses: string[];
  minSpendFen: number;
  subsidisedMealsPerDay: number;
  orderCutoff: Record<Meal, Cutoff>;
  maxDaysAhead: number;
  /** The parameter rows used, by name (their dates, source and confidence explain a figure). */
  sources: Record<string, Pick<MealParameter, 'name' | 'label' | 'from' | 'to' | 'source' | 'confidence'>>;
}

type RuleName = Exclude<keyof MealRules, 'sources'>;

const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
const isRuleList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((r) => {
  const x = r as SubsidyRule;
  return typeof x === 'object' && x !== null && typeof x.group === 'string' && typeof x.label === 'string' && isCount(x.minAge) && isCount(x.fen)
    && (x.lowIncome === undefined || typeof x.lowIncome === 'boolean') && (x.minGrade === undefined || isCount(x.minGrade));
});
const isCutoffs = (v: unknown) => typeof v === 'object' && v !== null && MEALS.every((m) => {
  const c = (v as Record<string, Cutoff | undefined>)[m];
  return !!c && isCount(c.daysBefore) && TIME_RE.test(c.time);
});

const CHECKS: Record<RuleName, (v: unknown) => boolean> = {
  dineInSubsidy: isRuleList,
  deliverySubsidy: isRuleList,
  lowIncomeStatuses: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s in ECONOMIC_NAMES),
  minSpendFen: isCount,
  subsidisedMealsPerDay: isCount,
  orderCutoff: isCutoffs,
  maxDaysAhead: (v) => isCount(v) && (v as number) >= 1,
};

/** The problems of a meals parameter file (empty when it is fine): unknown names, bad values, missing sources or dates, overlapping periods. */
export function checkMealParameters(params: readonly MealParameter[]): string[] {
  return checkDatedParameters(params as readonly DatedParameter[], CHECKS);
}

/** The parameters in force on a day; throws when one has no value then (a gap is a policy file error, never a silent 0). */
export function mealRulesOn(params: readonly MealParameter[], asOf: string): MealRules {
  const sources: MealRules['sources'] = {};
  const v = <T>(name: RuleName): T => {
    const p = params.find((x) => x.name === name && x.from <= asOf && (x.to === null || x.to >= asOf));
    if (!p) throw new Error(`policy/care/meals.json: ${asOf} 无有效的参数 ${name}`);
    sources[name] = { name: p.name, label: p.label, from: p.from, to: p.to, source: p.source, confidence: p.confidence };
    return p.value as T;
  };
  return {
    dineInSubsidy: v('dineInSubsidy'), deliverySubsidy: v('deliverySubsidy'), lowIncomeStatuses: v('lowIncomeStatuses'), minSpendFen: v('minSpendFen'),
    subsidisedMealsPerDay: v('subsidisedMealsPerDay'), orderCutoff: v('orderCutoff'), maxDaysAhead: v('maxDaysAhead'), sources,
  };
}

// ---------------------------------------------------------------------------------------------
// Subsidy and the order's figures

/** What the subsidy rules look at: age on the meal's date, the care grade in force then, the register's economic status. */
export interface EaterFacts { age: number; careGrade: number | null; economicStatus: string }

export interface FigureSource { name: string; from: string; source: string; confidence: string }
/** One figure of an order with its explanation (Chinese, shown to the family and to officers). */
export interface Figure { figure: 'price' | 'subsidy' | 'pays'; fen: number; text: string; parameters: FigureSource[] }

export interface Pricing {
  mealFen: number;
  deliveryFeeFen: number;
  /** What the meal costs: the menu's price, plus the delivery fee when delivered. */
  priceFen: number;
  subsidyFen: number;
  /** What the person pays: price − subsidy. */
  paysFen: number;
  /** The subsidy table row that applied (null: none). */
  group: string | null;
  figures: Figure[];
}

const yuan = (f: number) => `${yuanDecimal(f)} 元`;
const cite = (r: MealRules, name: RuleName): FigureSource => {
  const s = r.sources[name];
  return { name, from: s?.from ?? '', source: s?.source ?? '', confidence: s?.confidence ?? '' };
};

/** Is the person low income by the register (the parameter's list of statuses)? */
export const isLowIncome = (r: Pick<MealRules, 'lowIncomeStatuses'>, economicStatus: string): boolean => r.lowIncomeStatuses.includes(economicStatus);

/** The first row of a subsidy table the person meets, or null. */
export function subsidyRuleFor(table: readonly SubsidyRule[], r: Pick<MealRules, 'lowIncomeStatuses'>, e: EaterFacts): SubsidyRule | null {
  return table.find((x) => e.age >= x.minAge && (!x.lowIncome || isLowIncome(r, e.economicStatus)) && (x.minGrade === undefined || (e.careGrade ?? 0) >= x.minGrade)) ?? null;
}

/** The person in words: 82 岁、低保、照护二级. */
export function eaterText(e: EaterFacts): string {
  return `${e.age} 岁、${ECONOMIC_NAMES[e.economicStatus] ?? e.economicStatus}、${e.careGrade === null ? '无照护等级' : `照护${e.careGrade}级`}`;
}

/**
 * The figures of one order: price, subsidy and what the person pays, each explained.
 * Base case: no subsidy. The subsidy table of the way of eating (堂食 / 送餐) gives the first row
 * the person meets; then, in order: none when `subsidisedToday` meals of that person on that day
 * already carry one (per-day limit), none when the price is below the minimum spend, and never
 * more than the price.
 */
export function priceOrder(r: MealRules, e: EaterFacts, o: { meal: Meal; mode: Mode; mealFen: number; deliveryFeeFen: number }, subsidisedToday: number): Pricing {
  const fee = o.mode === 'delivery' ? o.deliveryFeeFen : 0;
  const price = o.mealFen + fee;
  const priceText = fee > 0 ? `${MEAL_NAMES[o.meal]} ${yuan(o.mealFen)} + 送餐费 ${yuan(fee)} = ${yuan(price)}` : `${MEAL_NAMES[o.meal]} ${yuan(o.mealFen)}${o.mode === 'delivery' ? '（送餐不收费）' : ''}`;
  const tableName: RuleName = o.mode === 'dine_in' ? 'dineInSubsidy' : 'deliverySubsidy';
  const table = o.mode === 'dine_in' ? r.dineInSubsidy : r.deliverySubsidy;
  const rule = subsidyRuleFor(table, r, e);
  let subsidy = 0;
  let text: string;
  const params: FigureSource[] = [cite(r, tableName)];
  if (!rule) {
    text = `${eaterText(e)}，不在${MODE_NAMES[o.mode]}补贴范围内（补贴对象：${table.map((x) => `${x.label} ${yuan(x.fen)}`).join('；')}）`;
    if (table.some((x) => x.lowIncome)) params.push(cite(r, 'lowIncomeStatuses'));
  } else if (subsidisedToday >= r.subsidisedMealsPerDay) {
    text = `符合“${rule.label}”，但当天已有 ${subsidisedToday} 餐享受补贴（每人每天限 ${r.subsidisedMealsPerDay} 餐），本餐不再补贴`;
    params.push(cite(r, 'subsidisedMealsPerDay'));
  } else if (price < r.minSpendFen) {
    text = `符合“${rule.label}”，但餐费 ${yuan(price)} 低于享受补贴的最低餐费 ${yuan(r.minSpendFen)}，本餐不补贴`;
    params.push(cite(r, 'minSpendFen'));
  } else {
    subsidy = Math.min(rule.fen, price);
    text = `${eaterText(e)}，符合“${rule.label}”：${MODE_NAMES[o.mode]}补贴每餐 ${yuan(rule.fen)}${subsidy < rule.fen ? `，以餐费 ${yuan(price)}为限` : ''}`;
    if (rule.lowIncome) params.push(cite(r, 'lowIncomeStatuses'));
    params.push(cite(r, 'minSpendFen'), cite(r, 'subsidisedMealsPerDay'));
  }
  const pays = price - subsidy;
  return {
    mealFen: o.mealFen, deliveryFeeFen: fee, priceFen: price, subsidyFen: subsidy, paysFen: pays, group: subsidy > 0 ? rule!.group : null,
    figures: [
      { figure: 'price', fen: price, text: priceText, parameters: [] },
      { figure: 'subsidy', fen: subsidy, text, parameters: params },
      { figure: 'pays', fen: pays, text: `${yuan(price)} − 补贴 ${yuan(subsidy)} = ${yuan(pays)}`, parameters: [] },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Cut-off and the order window

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;

/** The instant orders (and cancellations) for a meal close: `daysBefore` days before its date at `time`, local time. */
export function cutoffAt(r: Pick<MealRules, 'orderCutoff'>, date: LocalDate, meal: Meal): Date {
  const c = r.orderCutoff[meal];
  const [, hh, mm] = TIME_RE.exec(c.time) as RegExpExecArray;
  const minutes = Number(hh) * MINUTES_PER_HOUR + Number(mm);
  return new Date(startOfLocalDay(addDays(date, -c.daysBefore)).getTime() + minutes * MS_PER_MINUTE);
}

export type WindowCheck = { ok: true; cutoff: Date } | { ok: false; code: 'past' | 'too_far' | 'closed'; message: string; cutoff: Date };

/** May a meal of this date still be ordered (or an order cancelled) at `now`? Not a past day, not beyond `maxDaysAhead`, before the cut-off. */
export function orderWindow(r: Pick<MealRules, 'orderCutoff' | 'maxDaysAhead'>, today: LocalDate, now: Date, date: LocalDate, meal: Meal): WindowCheck {
  const cutoff = cutoffAt(r, date, meal);
  if (date < today) return { ok: false, code: 'past', message: '不能预订已经过去的日期', cutoff };
  if (date > addDays(today, r.maxDaysAhead)) return { ok: false, code: 'too_far', message: `最多可以提前 ${r.maxDaysAhead} 天订餐`, cutoff };
  if (now.getTime() >= cutoff.getTime()) return { ok: false, code: 'closed', message: `${MEAL_NAMES[meal]}的订餐和退订已于截止时间（${cutoffText(r, meal)}）结束`, cutoff };
  return { ok: true, cutoff };
}

/** The cut-off in words: 用餐当天 9:00 / 用餐前 1 天 18:00. */
export function cutoffText(r: Pick<MealRules, 'orderCutoff'>, meal: Meal): string {
  const c = r.orderCutoff[meal];
  return `${c.daysBefore === 0 ? '用餐当天' : `用餐前 ${c.daysBefore} 天`} ${c.time}`;
}

// ---------------------------------------------------------------------------------------------
// Capacity

export type CapacityCheck = { ok: true; left: number } | { ok: false; code: 'no_capacity' | 'full'; message: string };

/** Is there room for one more meal at a point whose daily capacity is `capacity` when `taken` meals (not cancelled) are ordered for the day? */
export function capacityCheck(capacity: number, taken: number): CapacityCheck {
  if (capacity <= 0) return { ok: false, code: 'no_capacity', message: '该助餐点尚未登记供餐能力，暂不能预订' };
  if (taken >= capacity) return { ok: false, code: 'full', message: `该助餐点当天的 ${capacity} 份餐已订满，请选择其他日期或附近的助餐点` };
  return { ok: true, left: capacity - taken - 1 };
}

/** Meals still free for a day (never below 0). */
export const mealsLeft = (capacity: number, taken: number): number => Math.max(0, capacity - taken);

// ---------------------------------------------------------------------------------------------
// The order's state

export type Move = { ok: true; to: OrderStatus } | { ok: false; message: string };

/** Mark an order served: dine-in → 已就餐, delivery → 已送达; only an open order, on or after its day. */
export function serveMove(status: OrderStatus, mode: Mode, date: LocalDate, today: LocalDate): Move {
  if (status !== 'ordered') return { ok: false, message: `该订单当前为“${STATUS_NAMES[status]}”，不能再登记` };
  if (date > today) return { ok: false, message: '还没到用餐日期，不能登记就餐或送达' };
  return { ok: true, to: mode === 'dine_in' ? 'served' : 'delivered' };
}

/** Cancel an order: only an open one, and (for the person's side) before the cut-off. */
export function cancelMove(status: OrderStatus, window: WindowCheck): Move {
  if (status !== 'ordered') return { ok: false, message: `该订单当前为“${STATUS_NAMES[status]}”，不能取消` };
  if (!window.ok) return { ok: false, message: window.code === 'closed' ? window.message : '用餐日期已过，不能取消' };
  return { ok: true, to: 'cancelled' };
}

// ---------------------------------------------------------------------------------------------
// Masking

const DIGIT = /[0-9０-９]/;

/**
 * A delivery address on staff lists (the platform has no address rule; this follows mask.ts: same
 * length, stars for the hidden part): the place and road before the first digit are kept, the
 * numbers — lane, building, room — hidden: `浦东新区东方路 100 弄 5 号 302 室` →
 * `浦东新区东方路 ***************`. Without a digit the first third is kept. The full address is
 * on the delivery sheet only, an audited action.
 */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  const at = chars.findIndex((c) => DIGIT.test(c));
  const third = 3;
  const keep = at >= 0 ? at : Math.ceil(chars.length / third);
  return chars.slice(0, keep).join('') + '*'.repeat(Math.max(0, chars.length - keep));
}
