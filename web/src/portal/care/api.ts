// The family's side of home care (/api/v1/care/*, src/care/routes.ts): the linked person's care
// plans (a draft is confirmed here), their visits as they happen, the rating of a finished visit
// and the elder's confirmation code. Shapes follow CareService.planView and VisitService.visitView.
import { query, request } from '../../api.ts';

export type PlanStatus = 'draft' | 'confirmed' | 'ended' | 'cancelled';

export interface PlanSlot {
  weekday: number;
  start: string;
  minutes: number;
  kind: string;
}

export interface PlanView {
  id: string;
  personId: string;
  personName: string;
  providerId: string;
  providerName: string;
  status: PlanStatus;
  careGrade: number;
  weeklyMinutes: number;
  capMinutes: number;
  items: { code: string; name: string; kind: string }[];
  slots: PlanSlot[];
  validFrom: string;
  validTo: string;
  note: string | null;
  confirmedAt: string | null;
}

export type VisitStatus = 'in_progress' | 'done' | 'cancelled';

export interface FamilyVisit {
  id: string;
  orderId: string | null;
  personId: string;
  personName: string;
  caregiverName: string;
  payer: string;
  kind: string;
  status: VisitStatus;
  checkIn: string;
  checkOut: string | null;
  minutes: number | null;
  items: { code: string; name: string }[];
  note: string | null;
  photoCount: number;
  rating: { stars: number; comment: string | null; ratedAt: string } | null;
}

export interface ElderCode {
  personId: string;
  name: string;
  code: string;
  validUntil: string;
}

export const careApi = {
  plans: (personId: string, signal?: AbortSignal) => request<{ items: PlanView[] }>(`/api/v1/care/plans${query({ personId })}`, { signal }),
  confirm: (planId: string) => request<PlanView & { ordersMade: number }>(`/api/v1/care/plans/${encodeURIComponent(planId)}/confirm`, { method: 'POST' }),
  visits: (personId: string, from: string, to: string, signal?: AbortSignal) => request<{ items: FamilyVisit[] }>(`/api/v1/care/visits${query({ personId, from, to })}`, { signal }),
  rate: (visitId: string, stars: number, comment: string | null) => request<{ visitId: string; stars: number }>(`/api/v1/care/visits/${encodeURIComponent(visitId)}/rating`, { method: 'POST', json: { stars, comment } }),
  elderCode: (personId: string, signal?: AbortSignal) => request<ElderCode>(`/api/v1/care/elder-code/${encodeURIComponent(personId)}`, { signal }),
};

export const PLAN_STATUS_NAMES: Record<PlanStatus, string> = { draft: '待您确认', confirmed: '执行中', ended: '已结束', cancelled: '已取消' };
export const VISIT_STATUS_NAMES: Record<VisitStatus, string> = { in_progress: '进行中', done: '已完成', cancelled: '已取消' };
export const STAR_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];
