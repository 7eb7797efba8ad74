// The officer's report and the what-if simulation of the waiting list (GET /api/v1/waitlist/report,
// POST /api/v1/waitlist/simulations). Shapes follow WaitlistService.report() and .simulate() in
// src/waitlist/service.ts; a figure the server has no data for is null.
import { request } from '../../api.ts';

export interface WaitStats {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}

export interface WaitRow {
  /** A tier ('1', '2', … or '-' when unknown) or a district code. */
  key: string;
  label: string;
  waiting: WaitStats;
  admitted: WaitStats;
}

export interface TurnoverDistrict {
  districtCode: string;
  districtName: string;
  vacancies: number;
  refilled: number;
  stillVacant: number;
  medianDays: number | null;
}

export interface TurnoverFacility {
  facilityId: string;
  name: string;
  districtName: string;
  vacancies: number;
  refilled: number;
  stillVacant: number;
  medianDays: number | null;
  p90Days: number | null;
}

export interface IdleFacility {
  facilityId: string;
  name: string;
  districtName: string;
  vacant: number;
  waiting: number;
  vacantSince: string | null;
  vacantDays: number | null;
}

export type OfferOutcome = 'open' | 'accepted' | 'declined' | 'expired' | 'cancelled';

export interface WaitlistReport {
  asOf: string;
  since: string;
  months: number;
  byTier: WaitRow[];
  byDistrict: WaitRow[];
  admissionsByMonth: { month: string; admissions: number }[];
  offers: Partial<Record<OfferOutcome, number>>;
  turnover: { byDistrict: TurnoverDistrict[]; byFacility: TurnoverFacility[] };
  idle: IdleFacility[];
  fairness: { runs: number; passed: number };
}

export type PriorityKey = 'tier' | 'points' | 'local' | 'appliedAt' | 'id';

export interface PointsRule {
  fact: 'livingAlone' | 'age80' | 'dementia' | 'grade';
  equals?: boolean | number;
  atLeast?: number;
  points: number;
  label: string;
}

export interface NewFacility {
  name: string;
  districtCode: string;
  beds: number;
  turnoverPerYear: number;
}

export interface SimulationBody {
  order?: PriorityKey[];
  points?: PointsRule[];
  newFacility?: NewFacility;
}

export interface SimGroup {
  key: string;
  applicants: number;
  placed: number;
  medianWaitDays: number | null;
  stillWaiting: number;
}

export interface SimRow {
  key: string;
  label: string;
  base: SimGroup;
  variant: SimGroup;
}

export interface SimulationResult {
  period: { from: string; to: string; months: number };
  applicants: number;
  vacancies: number;
  baseVacancies: number;
  rules: {
    base: { order: PriorityKey[]; points: PointsRule[] };
    variant: { order: PriorityKey[]; points: PointsRule[]; newFacility: NewFacility | null };
  };
  total: { base: SimGroup | null; variant: SimGroup | null };
  byTier: SimRow[];
  byDistrict: SimRow[];
  changed: number;
  notes: string[];
}

const base = '/api/v1/waitlist';

export const reportApi = {
  report: (signal?: AbortSignal) => request<WaitlistReport>(`${base}/report`, { signal }),
  simulate: (body: SimulationBody) => request<SimulationResult>(`${base}/simulations`, { method: 'POST', json: body }),
};
