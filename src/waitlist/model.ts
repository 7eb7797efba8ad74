// Pure rules of the waiting list (issue 7): the policy's parameters and their checks, the published
// rule text generated from them, offer deadlines in working days, what a decline costs, points,
// and the estimated wait with its uncertainty. No I/O.
import { addDays, localDateOf, startOfLocalDay, type LocalDate } from '../core/dates.ts';
import { checkDatedParameters, type DatedParameter } from '../core/params.ts';
import type { PriorityKey, PriorityRule } from './allocate.ts';

export const APPLICATION_STATUSES = ['active', 'paused', 'offered', 'admitted', 'withdrawn', 'removed'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['active', 'paused', 'offered'];
export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'expired', 'cancelled'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const STATUS_NAMES: Record<ApplicationStatus, string> = {
  active: '轮候中', paused: '暂停轮候', offered: '已通知入住', admitted: '已入住', withdrawn: '已撤回', removed: '已退出轮候',
};
export const OFFER_STATUS_NAMES: Record<OfferStatus, string> = {
  open: '待答复', accepted: '已接受（入住）', declined: '已放弃', expired: '逾期未答复', cancelled: '已取消',
};

export const PRIORITY_KEYS: readonly PriorityKey[] = ['tier', 'points', 'local', 'appliedAt', 'id'];
/** Each priority key in words (the published rule and the what-if's form). */
export const PRIORITY_KEY_TEXT: Record<PriorityKey, string> = {
  tier: '优先层级（层级数字越小越优先）',
  points: '积分（积分高者优先）',
  local: '申请人居住在机构所在区者优先（就近）',
  appliedAt: '申请时间（先申请者优先）',
  id: '申请编号（以上全部相同时，按编号顺序，保证结果唯一）',
};

/** A points rule: applicants whose facts match get the points (summed over rules). */
export interface PointsRule { fact: 'livingAlone' | 'age80' | 'dementia' | 'grade'; equals?: boolean | number; atLeast?: number; points: number; label: string }
export type DeclinePenalty = 'reset_time' | 'remove';

export interface WaitlistParameter { name: string; label: string; unit: string; value: unknown; from: string; to: string | null; source: string; confidence: string }

/** The parameters in force on one day. */
export interface WaitlistRules {
  maxChoices: number;
  maxRadiusKm: number;
  rule: PriorityRule;
  points: PointsRule[];
  offerDeadlineWorkingDays: number;
  maxDeclines: number;
  declinePenalty: DeclinePenalty;
  expiryCountsAsDecline: boolean;
  autoRunOnVacancy: boolean;
  scheduleMinutes: number;
  estimateMonths: number;
  holidays: string[];
  workdays: string[];
}

export interface Tier { tier: number; label: string }

const isDate = (s: unknown) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** The problems of a waiting-list parameter file (empty when it is fine). */
export function checkWaitlistParameters(params: readonly WaitlistParameter[]): string[] {
  const known: Record<Exclude<keyof WaitlistRules, 'rule'> | 'priorityOrder', (v: unknown) => boolean | string> = {
    maxChoices: (v) => isCount(v) && (v as number) >= 1,
    maxRadiusKm: (v) => typeof v === 'number' && v > 0,
    priorityOrder: (v) => (Array.isArray(v) && v.length > 0 && v.every((k) => (PRIORITY_KEYS as readonly unknown[]).includes(k)) && new Set(v).size === v.length) || `应为 ${PRIORITY_KEYS.join('、')} 中不重复的若干项`,
    points: (v) => Array.isArray(v) && v.every((p) => typeof p === 'object' && p !== null && typeof (p as PointsRule).points === 'number' && typeof (p as PointsRule).label === 'string'),
    offerDeadlineWorkingDays: (v) => isCount(v) && (v as number) >= 1,
    maxDeclines: isCount,
    declinePenalty: (v) => v === 'reset_time' || v === 'remove',
    expiryCountsAsDecline: (v) => typeof v === 'boolean',
    autoRunOnVacancy: (v) => typeof v === 'boolean',
    scheduleMinutes: (v) => isCount(v) && (v as number) >= 1,
    estimateMonths: (v) => isCount(v) && (v as number) >= 1,
    holidays: (v) => Array.isArray(v) && v.every(isDate),
    workdays: (v) => Array.isArray(v) && v.every(isDate),
  };
  return checkDatedParameters(params as readonly DatedParameter[], known);
}

/** The parameters in force on a day; throws when one has no value then (a policy file error). */
export function rulesOn(params: readonly WaitlistParameter[], asOf: string): WaitlistRules {
  const v = <T>(name: string): T => {
    const p = params.find((x) => x.name === name && x.from <= asOf && (x.to === null || x.to >= asOf));
    if (!p) throw new Error(`policy/waitlist/waitlist.json: ${asOf} 无有效的参数 ${name}`);
    return p.value as T;
  };
  const order = v<PriorityKey[]>('priorityOrder');
  return {
    maxChoices: v('maxChoices'), maxRadiusKm: v('maxRadiusKm'),
    rule: { order: order.includes('id') ? order : [...order, 'id'] },
    points: v('points'), offerDeadlineWorkingDays: v('offerDeadlineWorkingDays'), maxDeclines: v('maxDeclines'),
    declinePenalty: v('declinePenalty'), expiryCountsAsDecline: v('expiryCountsAsDecline'), autoRunOnVacancy: v('autoRunOnVacancy'), scheduleMinutes: v('scheduleMinutes'),
    estimateMonths: v('estimateMonths'), holidays: v('holidays'), workdays: v('workdays'),
  };
}

/** The published rule, in plain Chinese, generated from the parameters and tiers in force. */
export function ruleText(r: WaitlistRules, tiers: readonly Tier[]): { order: string[]; tiers: string[]; offers: string[] } {
  const order = r.rule.order.map((k, i) => `${i + 1}. ${PRIORITY_KEY_TEXT[k]}`);
  const pts = r.rule.order.includes('points') ? r.points.map((p) => `积分：${p.label} 加 ${p.points} 分`) : [];
  const byTier = new Map<number, string[]>();
  for (const t of tiers) byTier.set(t.tier, [...(byTier.get(t.tier) ?? []), t.label]);
  return {
    order: [...order, ...pts],
    tiers: [...byTier.entries()].sort((a, b) => a[0] - b[0]).map(([t, labels]) => `第 ${t} 层级：${labels.join('；')}`),
    offers: [
      `每位申请人最多选择 ${r.maxChoices} 家机构并排出先后，也可选择“距离某地址 ${r.maxRadiusKm} 公里以内均可”。`,
      '有保基本床位空出时，平台按申请人的志愿顺序和各机构的排序规则进行分配（申请人提议的延迟接受算法）：不会有人因为把真实的第一志愿写在前面而吃亏，也不会出现排序在前的申请人想去的床位被排序在后的人占用。',
      `获得入住通知后，请在 ${r.offerDeadlineWorkingDays} 个工作日内答复；${r.expiryCountsAsDecline ? '逾期未答复视为放弃。' : '逾期未答复的通知作废，但不计为放弃。'}`,
      r.declinePenalty === 'remove'
        ? `放弃超过 ${r.maxDeclines} 次后，本次轮候申请结束，可重新申请。`
        : `放弃不超过 ${r.maxDeclines} 次的，保留原排序；超过后，申请时间改为最近一次放弃的时间（排到同层级的后面）。`,
      '放弃或逾期未答复的机构，之后不再向该申请人分配；如仍想入住，可修改志愿重新选择该机构。',
      '住院等原因可暂停轮候，暂停期间不参与分配，恢复后保留原排序。',
    ],
  };
}

const SUNDAY = 0;
const SATURDAY = 6;
const isWeekend = (d: LocalDate) => {
  const w = new Date(`${d}T00:00:00Z`).getUTCDay();
  return w === SUNDAY || w === SATURDAY;
};

/** Is the day a working day under the parameters (weekdays, less holidays, plus make-up workdays)? */
export function isWorkingDay(d: LocalDate, r: Pick<WaitlistRules, 'holidays' | 'workdays'>): boolean {
  if (r.workdays.includes(d)) return true;
  if (r.holidays.includes(d)) return false;
  return !isWeekend(d);
}

/**
 * An offer's deadline: the end of the n-th working day after the day it is made (Shanghai time).
 * An offer made on Friday with 3 working days runs to the end of Wednesday.
 */
export function offerDeadline(madeAt: Date, r: Pick<WaitlistRules, 'offerDeadlineWorkingDays' | 'holidays' | 'workdays'>): Date {
  let d = localDateOf(madeAt);
  let left = r.offerDeadlineWorkingDays;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d, r)) left--;
  }
  return new Date(startOfLocalDay(addDays(d, 1)).getTime() - 1);
}

/** What a decline (or an expiry that counts as one) does to the application. */
export function afterDecline(declinesBefore: number, r: Pick<WaitlistRules, 'maxDeclines' | 'declinePenalty'>): { declines: number; losesPriority: boolean; removed: boolean } {
  const declines = declinesBefore + 1;
  const over = declines > r.maxDeclines;
  return { declines, losesPriority: over && r.declinePenalty === 'reset_time', removed: over && r.declinePenalty === 'remove' };
}

export interface PointsFacts { livingAlone: boolean; age: number; grade: number | null; dementia: boolean }
const AGE_80 = 80;

/** An applicant's points under the rules (0 when none apply). */
export function pointsOf(f: PointsFacts, rules: readonly PointsRule[]): number {
  let total = 0;
  for (const p of rules) {
    const value: number | boolean = p.fact === 'livingAlone' ? f.livingAlone : p.fact === 'age80' ? f.age >= AGE_80 : p.fact === 'dementia' ? f.dementia : (f.grade ?? 0);
    const hit = p.atLeast !== undefined ? typeof value === 'number' && value >= p.atLeast : p.equals !== undefined ? value === p.equals : value === true;
    if (hit) total += p.points;
  }
  return total;
}

export interface WaitEstimate {
  /** Months until a place, central estimate. */
  months: number;
  /** An 80% range. */
  low: number;
  high: number;
  /** Places that came up in the period the estimate is drawn from. */
  basis: number;
  basisMonths: number;
}

const Z80 = 1.2816; // the standard normal's 90th percentile: an 80% two-sided range
const MIN_BASIS = 2;

/**
 * How long until the `position`-th next place at a facility, from the places that came up there
 * in the last `months` months. Places are taken to arrive as a Poisson process, so the wait for
 * the k-th is Gamma(k, rate); its 10th–90th percentiles come from the Wilson–Hilferty
 * approximation, widened for the uncertainty of the rate itself (counted from few places).
 * Null when fewer than two places came up: no honest estimate can be given.
 */
export function estimateWait(position: number, placesInPeriod: number, months: number): WaitEstimate | null {
  if (position < 1 || placesInPeriod < MIN_BASIS || months <= 0) return null;
  const rate = placesInPeriod / months;
  const k = position;
  const mean = k / rate;
  // Wilson–Hilferty: (X·rate/k)^(1/3) ≈ Normal(1 − 1/(9k), 1/(9k)).
  const NINE = 9;
  const CUBE = 3;
  const m = 1 - 1 / (NINE * k);
  const s = Math.sqrt(1 / (NINE * k));
  // The rate's own relative uncertainty (Poisson count): combine in quadrature on the log scale.
  const rateRel = 1 / Math.sqrt(placesInPeriod);
  const q = (z: number) => (k / rate) * Math.max(0, (m + z * s)) ** CUBE;
  const widen = (x: number, z: number) => x * Math.exp(z * rateRel);
  return { months: mean, low: Math.max(0, widen(q(-Z80), -Z80)), high: widen(q(Z80), Z80), basis: placesInPeriod, basisMonths: months };
}
