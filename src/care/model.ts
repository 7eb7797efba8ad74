// Care delivery's pure rules (issue 8 §1–§4): the caregiver record, a care plan checked against
// the person's LTCI entitlement (hours per week by care grade, the LTCI item list), the plan's
// recurring slots expanded into dated visit orders, and how the phone's offline operations are
// applied to a visit — idempotently, with documented conflict rules. No I/O here.
import { addDays, diffDays, localDateOf, startOfLocalDay, type LocalDate } from '../core/dates.ts';
import type { LtciItem, ServiceKind } from './policy.ts';

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
const DAYS_PER_WEEK = 7;
const WORKDAYS = 5;
/** Up to three visits a week, each can have a free day after it. */
const SPACED_MAX = 3;
const MINUTES_PER_DAY = 1440;
const MS_PER_DAY = 86_400_000;
/** 1970-01-01 was a Thursday: day number + 3 is 0 on Mondays (mod 7). */
const MONDAY_SHIFT = 3;
const TWO_DIGITS = 2;

// ---------------------------------------------------------------- caregivers

export const CAREGIVER_KINDS = ['caregiver', 'nurse', 'health_aide'] as const;
export type CaregiverKind = (typeof CAREGIVER_KINDS)[number];
export const CAREGIVER_KIND_NAMES: Record<CaregiverKind, string> = { caregiver: '养老护理员', nurse: '护士', health_aide: '健康照护师' };

/** 养老护理员国家职业技能标准 (2019): five levels, 5 the entry level. */
export const SKILL_LEVEL_NAMES: Record<number, string> = { 5: '五级/初级工', 4: '四级/中级工', 3: '三级/高级工', 2: '二级/技师', 1: '一级/高级技师' };

export const QUALIFICATIONS = ['caregiver_cert', 'nurse_licence', 'health_aide_cert', 'dementia_training'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];
export const QUALIFICATION_NAMES: Record<Qualification, string> = {
  caregiver_cert: '养老护理员职业技能等级证书', nurse_licence: '护士执业证书', health_aide_cert: '健康照护师证书', dementia_training: '认知症照护培训',
};

export const CAREGIVER_STATUSES = ['active', 'suspended', 'left'] as const;
export type CaregiverStatus = (typeof CAREGIVER_STATUSES)[number];
export const CAREGIVER_STATUS_NAMES: Record<CaregiverStatus, string> = { active: '在岗', suspended: '暂停服务', left: '离职' };

/** The service kinds a caregiver may deliver: LTCI nursing items need a nurse's licence. */
export function kindsAllowed(c: { kind: CaregiverKind; qualifications: readonly string[] }): ServiceKind[] {
  return c.kind === 'nurse' && c.qualifications.includes('nurse_licence') ? ['care', 'nursing'] : ['care'];
}

/**
 * Why a caregiver may not serve on a date (Chinese), or null: not active, health certificate
 * expired, background check not passed.
 */
export function unfitReason(c: { status: CaregiverStatus; healthCertValidTo: string | null; backgroundCheck: string }, on: LocalDate): string | null {
  if (c.status !== 'active') return `护理员状态为“${CAREGIVER_STATUS_NAMES[c.status]}”`;
  if (c.backgroundCheck !== 'passed') return '背景审查未通过或未完成';
  if (!c.healthCertValidTo || c.healthCertValidTo < on) return '健康证缺失或已过期';
  return null;
}

// ---------------------------------------------------------------- plans

/** A person's LTCI home-care entitlement on a date (from the entitlement rules and the care grade). */
export interface LtciEntitlement {
  eligible: boolean;
  /** Why not, in the rule's words (Chinese), when not eligible. */
  reason: string | null;
  grade: number | null;
  gradeValidFrom: string | null;
  gradeValidTo: string | null;
  hoursPerWeek: number | null;
  fundShareHome: number | null;
}

export interface PlanSlot {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Local start time HH:MM (Asia/Shanghai). */
  start: string;
  minutes: number;
  kind: ServiceKind;
}

export interface PlanDraft {
  items: string[];
  slots: PlanSlot[];
  validFrom: string;
  validTo: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
export const minutesOfDay = (hhmm: string): number => {
  const m = HHMM.exec(hhmm);
  if (!m) return NaN;
  return Number(m[1]) * MINUTES_PER_HOUR + Number(m[2]);
};
export const hhmm = (minutes: number): string => `${String(Math.floor(minutes / MINUTES_PER_HOUR)).padStart(TWO_DIGITS, '0')}:${String(minutes % MINUTES_PER_HOUR).padStart(TWO_DIGITS, '0')}`;
const WEEKDAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
export const weekdayName = (d: number): string => WEEKDAY_NAMES[d] ?? '';

/** Weekdays for n visits a week, spread out: 3 → Mon, Wed, Fri; 5 → Mon–Fri; 7 → every day. */
export function spreadWeekdays(n: number): number[] {
  const k = Math.max(0, Math.min(DAYS_PER_WEEK, Math.floor(n)));
  if (k === 0) return [];
  // Up to three: spread over the week (Mon; Mon, Thu; Mon, Wed, Fri). Four: over the working week
  // (Mon, Tue, Thu, Fri). Five or more: from Monday on.
  if (k <= SPACED_MAX) return Array.from({ length: k }, (_, i) => 1 + Math.floor((i * DAYS_PER_WEEK) / k));
  if (k < WORKDAYS) return Array.from({ length: k }, (_, i) => 1 + Math.round((i * WORKDAYS) / k));
  return Array.from({ length: k }, (_, i) => i + 1);
}

/** The provider's starting proposal: the entitlement's hours as visits of the standard length, spread over the week. */
export function proposeSlots(hoursPerWeek: number, visitMinutes: number, start: string, kind: ServiceKind): PlanSlot[] {
  const visits = Math.floor((hoursPerWeek * MINUTES_PER_HOUR) / visitMinutes);
  return spreadWeekdays(visits).map((weekday) => ({ weekday, start, minutes: visitMinutes, kind }));
}

export interface PlanCheck {
  problems: string[];
  /** Planned minutes a week. */
  weeklyMinutes: number;
  /** The entitlement's cap in minutes a week. */
  capMinutes: number;
  /** The plan's end date: the asked one, cut at the grade's validity. */
  validTo: string;
}

/** Check a draft against the entitlement and the item list; every problem in Chinese. */
export function checkPlan(d: PlanDraft, e: LtciEntitlement, catalogue: readonly LtciItem[]): PlanCheck {
  const problems: string[] = [];
  const capMinutes = (e.hoursPerWeek ?? 0) * MINUTES_PER_HOUR;
  if (!e.eligible) problems.push(`不符合长期护理保险居家照护待遇条件：${e.reason ?? '未达到条件'}`);
  const known = new Map(catalogue.map((i) => [i.code, i]));
  const unknown = d.items.filter((c) => !known.has(c));
  if (d.items.length === 0) problems.push('请至少选择一项服务项目');
  if (unknown.length) problems.push(`服务项目不在长护险服务项目清单内：${unknown.join('、')}`);
  if (d.slots.length === 0) problems.push('请至少安排一次上门服务');
  const kinds = new Set(d.items.map((c) => known.get(c)?.kind).filter(Boolean));
  for (const s of d.slots) {
    if (!Number.isInteger(s.weekday) || s.weekday < 1 || s.weekday > DAYS_PER_WEEK) problems.push(`星期应为 1–7（${s.weekday}）`);
    if (Number.isNaN(minutesOfDay(s.start))) problems.push(`开始时间应为 HH:MM（${s.start}）`);
    else if (minutesOfDay(s.start) + s.minutes > MINUTES_PER_DAY) problems.push(`${weekdayName(s.weekday)} ${s.start} 开始的服务跨过了午夜`);
    if (!Number.isInteger(s.minutes) || s.minutes <= 0) problems.push('每次服务时长应为正整数分钟');
    if (!kinds.has(s.kind)) problems.push(`${weekdayName(s.weekday)} ${s.start} 的服务类别为“${s.kind === 'nursing' ? '医疗护理' : '生活照料'}”，但未选择该类别的服务项目`);
  }
  for (let w = 1; w <= DAYS_PER_WEEK; w++) {
    const day = d.slots.filter((s) => s.weekday === w).sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
    for (let i = 1; i < day.length; i++) {
      if (minutesOfDay(day[i - 1]!.start) + day[i - 1]!.minutes > minutesOfDay(day[i]!.start)) problems.push(`${weekdayName(w)} 的两次服务时间重叠（${day[i - 1]!.start}、${day[i]!.start}）`);
    }
  }
  const weeklyMinutes = d.slots.reduce((s, x) => s + (Number.isFinite(x.minutes) ? x.minutes : 0), 0);
  if (e.eligible && weeklyMinutes > capMinutes) problems.push(`每周计划 ${weeklyMinutes} 分钟，超过长护险每周 ${capMinutes} 分钟（${e.hoursPerWeek} 小时，照护等级 ${e.grade} 级）`);
  let validTo = d.validTo;
  if (d.validTo < d.validFrom) problems.push('计划结束日期早于开始日期');
  if (e.gradeValidFrom && d.validFrom < e.gradeValidFrom) problems.push(`计划开始日期早于照护等级生效日期 ${e.gradeValidFrom}`);
  if (e.gradeValidTo && validTo > e.gradeValidTo) validTo = e.gradeValidTo;
  return { problems, weeklyMinutes, capMinutes, validTo };
}

export interface DatedSlot {
  startsAt: Date;
  minutes: number;
  kind: ServiceKind;
}

/** The plan's slots as dated visits from `from` to `to` (local dates, both included), in time order. */
export function expandSlots(slots: readonly PlanSlot[], from: LocalDate, to: LocalDate): DatedSlot[] {
  const out: DatedSlot[] = [];
  for (let d = from, i = 0; d <= to && i <= diffDays(to, from); d = addDays(d, 1), i++) {
    const midnight = startOfLocalDay(d);
    const weekday = ((((Date.parse(`${d}T00:00:00Z`) / MS_PER_DAY + MONDAY_SHIFT) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK) + 1;
    for (const s of slots) if (s.weekday === weekday) out.push({ startsAt: new Date(midnight.getTime() + minutesOfDay(s.start) * MS_PER_MINUTE), minutes: s.minutes, kind: s.kind });
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

// ---------------------------------------------------------------- the phone's offline operations

export interface GeoPoint {
  lat: number;
  lon: number;
  accuracy?: number | null;
}

/** Why the phone has no position (what the browser or the device said). */
export const LOCATION_STATUSES = ['ok', 'denied', 'unavailable', 'timeout', 'unsupported'] as const;
export type LocationStatus = (typeof LOCATION_STATUSES)[number];
export const LOCATION_STATUS_TEXT: Record<LocationStatus, string> = { ok: '已定位', denied: '定位权限被拒绝', unavailable: '无法获取位置', timeout: '定位超时', unsupported: '设备不支持定位' };

export type SyncOp =
  | { id: string; kind: 'check_in'; visitId: string; orderId: string; at: string; location: GeoPoint | null; locationStatus?: LocationStatus; mockLocation: boolean; proof: { kind: 'tag' | 'elder_phone' | 'card'; code: string } | null }
  | { id: string; kind: 'check_out'; visitId: string; at: string; location: GeoPoint | null; locationStatus?: LocationStatus; mockLocation: boolean; items: string[]; note: string | null }
  | { id: string; kind: 'cancel'; visitId: string; at: string; note: string | null };

/** What the server holds of a visit, for deciding an operation. */
export interface VisitState {
  id: string;
  orderId: string | null;
  caregiverId: string;
  status: 'in_progress' | 'done' | 'cancelled';
  checkIn: number;
  checkOut: number | null;
  items: string[];
  note: string | null;
}

export interface OrderState {
  id: string;
  caregiverId: string | null;
  status: string;
  visitId: string | null;
}

export type OpOutcome =
  | { status: 'applied' }
  | { status: 'rejected'; code: SyncRejectCode; message: string; retry: boolean };

export const SYNC_REJECT_CODES = ['unknown_visit', 'unknown_order', 'not_assigned', 'order_closed', 'order_has_visit', 'already_checked_in', 'already_checked_out', 'cancelled', 'future_time', 'before_check_in', 'unknown_item'] as const;
export type SyncRejectCode = (typeof SYNC_REJECT_CODES)[number];

const reject = (code: SyncRejectCode, message: string, retry = false): OpOutcome => ({ status: 'rejected', code, message, retry });

/**
 * Decide one operation (ARCHITECTURE: decisions are pure). The conflict rules (documented in
 * src/care/README.md):
 * 1. An operation id already applied is answered with its first result (the store does that
 *    before calling this): a retried sync never applies anything twice.
 * 2. A check-in creates the visit under the phone's id; a second check-in of the same visit
 *    (another operation id) is refused — the first one stands.
 * 3. A check-out or cancel of a visit the server has not seen yet is refused as retryable
 *    (`unknown_visit`): the phone keeps it and sends it again after the check-in.
 * 4. The first check-out wins; a later one is refused. A cancelled visit takes nothing more.
 * 5. Times come from the phone (it may have been offline all day); a time further ahead of the
 *    server clock than the skew allowed is refused, and a check-out before its check-in too.
 * 6. A check-in needs the order to be assigned to this caregiver, open, and without another visit.
 */
export function decideOp(op: SyncOp, caregiverId: string, visit: VisitState | null, order: OrderState | null, now: number, maxSkewMinutes: number, itemCodes: ReadonlySet<string>): OpOutcome {
  const at = Date.parse(op.at);
  if (at > now + maxSkewMinutes * MS_PER_MINUTE) return reject('future_time', '记录时间晚于当前时间，请检查手机时间设置');
  if (op.kind === 'check_in') {
    if (visit) return reject('already_checked_in', '该次服务已签到，以首次签到为准');
    if (!order) return reject('unknown_order', '未找到该服务工单');
    if (order.caregiverId !== caregiverId) return reject('not_assigned', '该工单未派给您');
    if (order.visitId && order.visitId !== op.visitId) return reject('order_has_visit', '该工单已有签到记录');
    if (order.status === 'cancelled' || order.status === 'done' || order.status === 'missed') return reject('order_closed', '该工单已取消或已结束');
    return { status: 'applied' };
  }
  if (!visit) return reject('unknown_visit', '服务器尚未收到该次签到，将稍后重试', true);
  if (visit.caregiverId !== caregiverId) return reject('not_assigned', '该服务记录不属于您');
  if (visit.status === 'cancelled') return reject('cancelled', '该次服务已取消');
  if (visit.status === 'done') return reject('already_checked_out', '该次服务已签退，以首次签退为准');
  if (op.kind === 'check_out') {
    if (at < visit.checkIn) return reject('before_check_in', '签退时间早于签到时间');
    const bad = op.items.filter((c) => !itemCodes.has(c));
    if (bad.length) return reject('unknown_item', `服务项目不在清单内：${bad.join('、')}`);
  }
  return { status: 'applied' };
}

/** Local date of an instant in the business time zone (re-exported for the service's day views). */
export const dayOf = (instant: Date): LocalDate => localDateOf(instant);
