// The waiting list for basic-guarantee beds (保基本养老床位轮候, /api/v1/waitlist/*): the published
// rules and the choosable facilities (public), applications and offers (citizens for their linked
// people; advisors and officers in scope), the officer's overview and runs, and the message log.
// Shapes follow src/waitlist/routes.ts and WaitlistService.view().
import { query, request } from '../../api.ts';
import type { Role } from '../../api.ts';

export type ApplicationStatus = 'active' | 'paused' | 'offered' | 'admitted' | 'withdrawn' | 'removed';
export type OfferStatus = 'open' | 'accepted' | 'declined' | 'expired' | 'cancelled';
export const OPEN_STATUSES: readonly ApplicationStatus[] = ['active', 'paused', 'offered'];

export interface WaitlistParameter {
  name: string;
  label: string;
  unit: string;
  value: unknown;
  from: string;
  to: string | null;
  source: string;
  confidence: string;
}

export interface WaitlistRules {
  asOf: string;
  version: string;
  order: string[];
  tiers: string[];
  offers: string[];
  parameters: WaitlistParameter[];
}

export interface ChoosableFacility {
  id: string;
  name: string;
  districtCode: string;
  districtName: string;
  lon: number;
  lat: number;
  basicBeds: number;
  vacantBasicBeds: number;
  waiting: number;
}

import type { WaitEstimate } from '../../../../src/waitlist/model.ts';
export type { WaitEstimate };

export interface ChoiceView {
  rank: number;
  facilityId: string;
  name: string;
  districtName: string;
  local: boolean;
  basicBeds: number;
  vacantBasicBeds: number;
  position: number;
  ahead: number;
  aheadByTier: Record<string, number>;
  placesLastPeriod: number;
  estimate: WaitEstimate | null;
}

export interface OfferView {
  id: string;
  facilityId: string;
  facilityName: string;
  bedLabel: string | null;
  choiceRank: number;
  status: OfferStatus;
  statusName: string;
  madeAt: string;
  deadline: string;
  decidedAt: string | null;
  reason: string | null;
  runId: string;
}

export interface ApplicationView {
  id: string;
  personId: string;
  personName: string;
  status: ApplicationStatus;
  statusName: string;
  mode: 'choices' | 'radius';
  radiusKm: number | null;
  origin: { lon: number; lat: number; label: string } | null;
  tier: number | null;
  tierLabel: string | null;
  districtName: string;
  appliedAt: string;
  priorityAt: string;
  declines: number;
  maxDeclines: number;
  pausedUntil: string | null;
  note: string | null;
  eligibleNow: boolean | null;
  choices: ChoiceView[];
  offers: OfferView[];
  history: { kind: string; summary: string; at: string; actorRole: string }[];
}

export interface ApplicationRow {
  id: string;
  personId: string;
  personName: string;
  status: ApplicationStatus;
  statusName: string;
  tier: number | null;
  tierLabel: string | null;
  districtName: string;
  mode: 'choices' | 'radius';
  choices: number;
  priorityAt: string;
  declines: number;
  waitingDays: number;
}

export interface RunSummary {
  applicants: number;
  facilities: number;
  places: number;
  offers: number;
  unassigned: number;
  excluded: number;
  firstChoice: number;
  excludedList?: { applicationId: string; reason: string }[];
}

export interface RunHead {
  id: string;
  seq: number;
  trigger: 'manual' | 'vacancy' | 'schedule' | string;
  dryRun: boolean;
  startedAt: string;
  finishedAt?: string | null;
  summary: RunSummary;
  fairnessOk: boolean;
  violations: number;
}

export interface FairnessViolation {
  kind: string;
  message: string;
  [k: string]: unknown;
}

export interface RunDetail extends RunHead {
  fairness: { ok: boolean; checkedApplicants?: number; checkedPairs?: number; violations?: FairnessViolation[] };
  offers: { id: string; applicationId: string; facilityId: string; choiceRank: number; status: OfferStatus; statusName: string; deadline: string }[];
  assignments: number;
  unassigned: number;
}

export interface Overview {
  queue: { districtCode: string; districtName: string; tier: number | null; status: ApplicationStatus; statusName: string; count: number; oldest: string | null }[];
  runs: RunHead[];
}

export interface Message {
  id: string;
  personId: string | null;
  districtCode: string;
  channel: string;
  toMask?: string | null;
  kind: string;
  title: string;
  body: string;
  status: string;
  createdAt: string;
}

/** What an application asks for: ranked facilities, or every facility within a distance of a place. */
export type ChoicesInput =
  | { mode: 'choices'; choices: string[] }
  | { mode: 'radius'; radiusKm: number; origin: { lon: number; lat: number; label: string } };

export interface ApplicationFilter {
  status?: string;
  district?: string;
  tier?: string;
  facilityId?: string;
  personId?: string;
  page?: number;
}

const enc = encodeURIComponent;
const base = '/api/v1/waitlist';

export const waitlistApi = {
  rules: (signal?: AbortSignal) => request<WaitlistRules>(`${base}/rules`, { signal, handleUnauthorized: false }),
  facilities: (signal?: AbortSignal) => request<{ items: ChoosableFacility[] }>(`${base}/facilities`, { signal, handleUnauthorized: false }),
  apply: (body: { personId: string; note?: string | null } & ChoicesInput) => request<ApplicationView>(`${base}/applications`, { method: 'POST', json: body }),
  mine: (signal?: AbortSignal) => request<{ items: ApplicationView[] }>(`${base}/mine`, { signal }),
  list: (f: ApplicationFilter, signal?: AbortSignal) =>
    request<{ total: number; page: number; pageSize: number; items: ApplicationRow[] }>(`${base}/applications${query({ ...f })}`, { signal }),
  get: (id: string, signal?: AbortSignal) => request<ApplicationView>(`${base}/applications/${enc(id)}`, { signal }),
  change: (id: string, body: ChoicesInput) => request<ApplicationView>(`${base}/applications/${enc(id)}`, { method: 'PUT', json: body }),
  pause: (id: string, reason: string, until: string | null) => request<ApplicationView>(`${base}/applications/${enc(id)}/pause`, { method: 'POST', json: { reason, until } }),
  resume: (id: string) => request<ApplicationView>(`${base}/applications/${enc(id)}/resume`, { method: 'POST' }),
  withdraw: (id: string, reason: string) => request<ApplicationView>(`${base}/applications/${enc(id)}/withdraw`, { method: 'POST', json: { reason } }),
  accept: (offerId: string) => request<ApplicationView>(`${base}/offers/${enc(offerId)}/accept`, { method: 'POST' }),
  decline: (offerId: string, reason: string) => request<ApplicationView>(`${base}/offers/${enc(offerId)}/decline`, { method: 'POST', json: { reason } }),
  overview: (signal?: AbortSignal) => request<Overview>(`${base}/overview`, { signal }),
  startRun: (dryRun: boolean) => request<RunDetail>(`${base}/runs`, { method: 'POST', json: { dryRun } }),
  run: (id: string | number, signal?: AbortSignal) => request<RunDetail>(`${base}/runs/${enc(String(id))}`, { signal }),
  messages: (signal?: AbortSignal) => request<{ items: Message[] }>(`/api/v1/messages${query({ kind: 'waitlist' })}`, { signal }),
};

/** The roles the server grants each permission (src/platform/permissions.ts). */
export const WAITLIST_READ: readonly Role[] = ['advisor', 'officer', 'auditor', 'admin'];
export const WAITLIST_APPLY: readonly Role[] = ['citizen', 'advisor', 'officer', 'admin'];
export const WAITLIST_RUN: readonly Role[] = ['officer', 'admin'];
export const MESSAGES_READ: readonly Role[] = ['officer', 'auditor', 'admin'];

/** The choosable facilities change with every vacancy: read fresh per page, shared by the forms on it. */
let facilitiesOnce: { at: number; p: Promise<{ items: ChoosableFacility[] }> } | null = null;
const FRESH_MS = 30_000;
export function loadFacilities(): Promise<{ items: ChoosableFacility[] }> {
  if (!facilitiesOnce || Date.now() - facilitiesOnce.at > FRESH_MS) {
    const p = waitlistApi.facilities().catch((e: unknown) => {
      facilitiesOnce = null;
      throw e;
    });
    facilitiesOnce = { at: Date.now(), p };
  }
  return facilitiesOnce.p;
}

let rulesOnce: Promise<WaitlistRules> | null = null;
/** The published rules (they change with a parameter file only): once per page load. */
export function loadRules(): Promise<WaitlistRules> {
  rulesOnce ??= waitlistApi.rules().catch((e: unknown) => {
    rulesOnce = null;
    throw e;
  });
  return rulesOnce;
}
