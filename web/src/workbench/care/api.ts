// 照护服务 (/api/v1/care/*, issue 8 §1–§3, §5, §6) as the workbench pages use it: the caregiver
// register, LTCI entitlement and care plans, the day's orders and assignment (and the automatic
// scheduling endpoint, which may not exist yet), call-backs, and the monthly LTCI claim with the
// insurer's review. Shapes are the server's views (src/care/service.ts, claim-service.ts,
// visit-service.ts); money in integer fen, written in yuan by src/core/money.ts only.
import { query, request, type Role } from '../../api.ts';
import { can, type Permission } from '../../../../src/platform/permissions.ts';
export {
  CAREGIVER_KIND_NAMES, CAREGIVER_KINDS, CAREGIVER_STATUS_NAMES, CAREGIVER_STATUSES, QUALIFICATION_NAMES, QUALIFICATIONS, SKILL_LEVEL_NAMES, weekdayName,
  type CaregiverKind, type CaregiverStatus, type Qualification,
} from '../../../../src/care/model.ts';
import type { CaregiverKind, CaregiverStatus, Qualification } from '../../../../src/care/model.ts';

/** What a role may do, by the server's own permission table (src/platform/permissions.ts). */
export const may = (role: Role, p: Permission): boolean => can(role, p);

/** The roles that see the 照护服务 pages at all (a caregiver uses the phone, a citizen the portal). */
export const careVisible = (role: Role): boolean => role !== 'citizen' && (may(role, 'care.read') || may(role, 'care.caregivers.read') || may(role, 'care.verify'));

export type ServiceKind = 'care' | 'nursing';
export const SERVICE_KIND_NAMES: Record<ServiceKind, string> = { care: '生活照料', nursing: '临床护理' };

// ---------------------------------------------------------------- caregivers

export interface Employment {
  providerId: string;
  providerName: string;
  from: string;
  to: string | null;
  endReason: string | null;
}

export interface Caregiver {
  id: string;
  name: string;
  gender: string | null;
  birthDate: string | null;
  idNumber: string;
  phone: string | null;
  kind: CaregiverKind;
  kindName: string;
  skillLevel: number | null;
  skillLevelName: string | null;
  qualifications: Qualification[];
  qualificationNames: string[];
  trainingHours: number;
  healthCertValidTo: string | null;
  backgroundCheck: 'pending' | 'passed' | 'failed';
  backgroundCheckedOn: string | null;
  status: CaregiverStatus;
  statusName: string;
  statusReason: string | null;
  providerId: string | null;
  providerName: string | null;
  districtCode: string;
  districtName: string;
  shiftStart: string;
  shiftEnd: string;
  serviceKinds: ServiceKind[];
  /** Why the caregiver may not serve today (Chinese), or null. */
  unfit: string | null;
  hasAccount: boolean;
  updatedAt: string;
  employment?: Employment[];
  /** Only on a registration: the person was registered with another provider and moved here. */
  moved?: boolean;
}

export interface CaregiverFilter {
  q?: string;
  idNumber?: string;
  district?: string;
  qualification?: string;
  status?: string;
  kind?: string;
  providerId?: string;
  page?: number;
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

export interface CaregiverStat {
  districtCode: string;
  districtName: string;
  kind: CaregiverKind;
  skillLevel: number | null;
  status: CaregiverStatus;
  count: number;
}

export const BACKGROUND_NAMES: Record<Caregiver['backgroundCheck'], string> = { pending: '待审查', passed: '已通过', failed: '未通过' };

// ---------------------------------------------------------------- entitlement and plans

export interface LtciItem {
  code: string;
  name: string;
  kind: ServiceKind;
}

export interface PlanSlot {
  weekday: number;
  start: string;
  minutes: number;
  kind: ServiceKind;
}

export interface CareEntitlement {
  personId: string;
  name: string;
  asOf: string;
  entitlement: {
    eligible: boolean;
    reason: string | null;
    grade: number | null;
    gradeValidFrom: string | null;
    gradeValidTo: string | null;
    hoursPerWeek: number | null;
    fundShareHome: number | null;
  } | null;
  capMinutes: number;
  proposal: PlanSlot[];
  items: LtciItem[];
  visitMinutes: number;
}

export type PlanStatus = 'draft' | 'confirmed' | 'ended' | 'cancelled';
export const PLAN_STATUS_NAMES: Record<PlanStatus, string> = { draft: '草稿（待确认）', confirmed: '已确认（执行中）', ended: '已结束', cancelled: '已取消' };

export interface Plan {
  id: string;
  personId: string;
  personName: string;
  providerId: string;
  providerName: string;
  status: PlanStatus;
  careGrade: number;
  weeklyMinutes: number;
  capMinutes: number;
  items: LtciItem[];
  slots: PlanSlot[];
  validFrom: string;
  validTo: string;
  note: string | null;
  confirmedAt: string | null;
  createdAt: string;
  updatedAt: string;
  ordersMade?: number;
}

export interface PlanInput {
  personId: string;
  providerId?: string;
  items: string[];
  slots: PlanSlot[];
  validFrom: string;
  validTo?: string | null;
  note?: string | null;
}

// ---------------------------------------------------------------- orders

export type OrderStatus = 'open' | 'assigned' | 'in_progress' | 'done' | 'cancelled' | string;
export const ORDER_STATUS_NAMES: Record<string, string> = { open: '待派单', assigned: '已派单', in_progress: '服务中', done: '已完成', cancelled: '已取消', missed: '未上门' };

export interface Order {
  id: string;
  personId: string;
  personName: string;
  address: string | null;
  providerId: string;
  planId: string | null;
  payer: 'ltci' | 'self';
  kind: string;
  items: string[];
  startsAt: string;
  minutes: number;
  priceFenPerHour: number | null;
  caregiverId: string | null;
  caregiverName: string | null;
  status: OrderStatus;
}

/** The automatic scheduling endpoint's answer (added by another engineer; 404 until it exists). */
export interface ScheduleResult {
  assigned: number | unknown[];
  unassigned: { orderId: string; reason: string }[];
  travelMinutesPerCareHour: number | null;
  routes?: unknown[];
}

// ---------------------------------------------------------------- call-backs

export type CallbackOutcome = 'confirmed' | 'denied' | 'unreached';
export const OUTCOME_NAMES: Record<CallbackOutcome, string> = { confirmed: '确认接受了服务', denied: '否认接受了服务', unreached: '未接通' };

export interface Callback {
  id: string;
  visitId: string;
  personName: string;
  checkIn: string | null;
  checkOut: string | null;
  outcome: CallbackOutcome | null;
  answer: string | null;
  calledAt: string | null;
  drawnAt: string;
}

// ---------------------------------------------------------------- claims

export type ClaimStatus = 'submitted' | 'in_review' | 'decided' | 'closed';
export const CLAIM_STATUS_NAMES: Record<ClaimStatus, string> = { submitted: '已提交', in_review: '审核中', decided: '审核完成', closed: '已结案' };

export interface ClaimTotals {
  lines: number;
  claimedMinutes: number;
  claimedFen: number;
  fundFen: number;
  copayFen: number;
  approvedFen: number;
  approvedFundFen: number;
  rejectedLines: number;
  sampled: number;
}

export interface ClaimSample {
  seed: number;
  randomShare: number;
  scoreThreshold: number;
  risk: number;
  random: number;
}

export interface ClaimHead {
  id: string;
  providerId: string;
  providerName: string;
  month: string;
  status: ClaimStatus;
  totals: ClaimTotals;
  sample: ClaimSample;
  createdAt: string;
  decidedAt: string | null;
}

export interface LineFlag {
  code: string;
  name: string;
  weight: number;
  explanation: string;
}

export interface ClaimLine {
  visitId: string;
  personId: string;
  personName: string;
  caregiverName: string;
  kind: ServiceKind;
  checkIn: string;
  minutes: number;
  status: 'paid' | 'partial' | 'rejected';
  reason: string | null;
  reasonText: string | null;
  billedMinutes: number;
  amountFen: number;
  fundFen: number;
  copayFen: number;
  explanation: string;
  anomalyScore: number;
  flags: LineFlag[];
  sample: 'risk' | 'random' | null;
  decision: 'approved' | 'rejected' | null;
  decisionReason: string | null;
  decidedAt: string | null;
  appeal: string | null;
  appealedAt: string | null;
  appealDecision: 'upheld' | 'overturned' | null;
  appealNote: string | null;
}

export interface Claim extends ClaimHead {
  /** The settlement parameters in force at the month's end (prices by kind, the fund's share, …). */
  params: { asOf?: string; fenPerHour?: Record<string, number>; fundShare?: number } & Record<string, unknown>;
  lines: ClaimLine[];
  undecidedSampled: number;
  openAppeals: number;
}

export const LINE_STATUS_NAMES: Record<ClaimLine['status'], string> = { paid: '按规则支付', partial: '部分支付', rejected: '规则拒付' };

// ---------------------------------------------------------------- the calls

const base = '/api/v1/care';
const enc = encodeURIComponent;

export const careApi = {
  caregivers: (f: CaregiverFilter, signal?: AbortSignal) =>
    request<{ total: number; page: number; pageSize: number; items: Caregiver[] }>(`${base}/caregivers${query({ ...f })}`, { signal }),
  caregiverStats: (signal?: AbortSignal) => request<{ items: CaregiverStat[] }>(`${base}/caregivers/stats`, { signal }),
  caregiver: (id: string, signal?: AbortSignal) => request<Caregiver>(`${base}/caregivers/${enc(id)}`, { signal }),
  hire: (body: CaregiverInput) => request<Caregiver>(`${base}/caregivers`, { method: 'POST', json: body }),
  updateCaregiver: (id: string, patch: CaregiverPatch) => request<Caregiver>(`${base}/caregivers/${enc(id)}`, { method: 'PATCH', json: patch }),
  linkAccount: (id: string, username: string) => request<Caregiver>(`${base}/caregivers/${enc(id)}/account`, { method: 'POST', json: { username } }),

  entitlement: (personId: string, signal?: AbortSignal) => request<CareEntitlement>(`${base}/entitlement/${enc(personId)}`, { signal }),
  plans: (f: { personId?: string; providerId?: string; status?: string }, signal?: AbortSignal) => request<{ items: Plan[] }>(`${base}/plans${query(f)}`, { signal }),
  draftPlan: (body: PlanInput) => request<Plan>(`${base}/plans`, { method: 'POST', json: body }),
  confirmPlan: (id: string) => request<Plan>(`${base}/plans/${enc(id)}/confirm`, { method: 'POST', json: {} }),
  endPlan: (id: string, reason: string) => request<Plan>(`${base}/plans/${enc(id)}/end`, { method: 'POST', json: { reason } }),

  orders: (f: { from: string; to: string; providerId?: string; caregiverId?: string; personId?: string }, signal?: AbortSignal) =>
    request<{ items: Order[] }>(`${base}/orders${query(f)}`, { signal }),
  assign: (items: { orderId: string; caregiverId: string | null }[]) => request<{ changed: number }>(`${base}/orders/assign`, { method: 'POST', json: { items } }),
  schedule: (body: { date: string; providerId?: string }) => request<ScheduleResult>(`${base}/orders/schedule`, { method: 'POST', json: body }),

  drawCallbacks: (body: { from: string; to: string; seed: number }) => request<{ visits: number; drawn: number; share: number }>(`${base}/callbacks/draw`, { method: 'POST', json: body }),
  callbacks: (open: boolean, signal?: AbortSignal) => request<{ items: Callback[] }>(`${base}/callbacks${query({ open: open ? 'true' : 'false' })}`, { signal }),
  answerCallback: (id: string, body: { outcome: CallbackOutcome; answer?: string | null }) => request<{ id: string; outcome: CallbackOutcome }>(`${base}/callbacks/${enc(id)}`, { method: 'POST', json: body }),

  claims: (f: { month?: string; providerId?: string; status?: string }, signal?: AbortSignal) => request<{ items: ClaimHead[] }>(`${base}/claims${query(f)}`, { signal }),
  buildClaim: (body: { month: string; providerId?: string }) => request<Claim>(`${base}/claims`, { method: 'POST', json: body }),
  claim: (id: string, signal?: AbortSignal) => request<Claim>(`${base}/claims/${enc(id)}`, { signal }),
  decide: (id: string, items: { visitId: string; decision: 'approved' | 'rejected'; reason?: string | null }[]) =>
    request<Claim>(`${base}/claims/${enc(id)}/decisions`, { method: 'POST', json: { items } }),
  finish: (id: string) => request<Claim>(`${base}/claims/${enc(id)}/finish`, { method: 'POST', json: {} }),
  appeal: (id: string, visitId: string, text: string) => request<Claim>(`${base}/claims/${enc(id)}/appeals`, { method: 'POST', json: { visitId, text } }),
  decideAppeal: (id: string, visitId: string, decision: 'upheld' | 'overturned', note: string) =>
    request<Claim>(`${base}/claims/${enc(id)}/appeals/decide`, { method: 'POST', json: { visitId, decision, note } }),
};

export const claimExportUrl = (id: string): string => `${base}/claims/${enc(id)}/export`;

// ---------------------------------------------------------------- words and figures

const SHANGHAI = 'Asia/Shanghai';

/** HH:MM of an instant in Shanghai. */
export function clock(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('zh-CN', { timeZone: SHANGHAI, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

/** YYYY-MM-DD HH:MM of an instant in Shanghai. */
export function dayAndClock(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return `${day} ${clock(iso)}`;
}

/** The last `n` months before the current one (Shanghai), newest first: the months a claim can be built for. */
export function pastMonths(today: string, n: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    const index = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** 2026-10 → 2026年10月 */
export const monthName = (month: string): string => {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
};

/** 0.03 → 3%; 0.125 → 12.5% */
export const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

/** 90 → 1 小时 30 分钟 */
export function minutesText(n: number): string {
  const h = Math.floor(n / 60);
  const m = n % 60;
  if (h === 0) return `${m} 分钟`;
  return m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分钟`;
}

/** Days from `today` to `date` (both YYYY-MM-DD; negative when past). */
export function daysUntil(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** A health certificate expiring within this many days is flagged (a reminder, not a rule). */
export const CERT_WARNING_DAYS = 30;
