// The HTTP API (/api/v1), as the front end uses it. Session = HttpOnly cookie; every
// state-changing request carries the CSRF token from the login / me response.

export type Role =
  | 'citizen'
  | 'advisor'
  | 'assessor'
  | 'provider'
  | 'caregiver'
  | 'officer'
  | 'insurer'
  | 'auditor'
  | 'admin';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: string;
}

/** A notification the platform sent to the person (e.g. an assessment result). */
export interface PersonNotice {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface Region {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export interface Jurisdiction {
  id: string;
  name: string;
  rootCode: string;
}

export type LivingArrangement = 'alone' | 'elderly_only' | 'with_children' | 'institution' | 'other';
export type EconomicStatus = 'dibao' | 'low_income' | 'tekun' | 'none';
export type InsuranceType = 'employee' | 'resident' | 'none';

export const LIVING_ARRANGEMENTS: readonly LivingArrangement[] = [
  'alone',
  'elderly_only',
  'with_children',
  'institution',
  'other',
];
export const ECONOMIC_STATUSES: readonly EconomicStatus[] = ['dibao', 'low_income', 'tekun', 'none'];
export const INSURANCE_TYPES: readonly InsuranceType[] = ['employee', 'resident', 'none'];

export interface PersonSummary {
  id: string;
  name: string;
  idNumberMasked: string;
  sex: 'M' | 'F';
  birthDate: string;
  age: number;
  districtCode: string;
  districtName: string;
  streetCode: string;
  streetName: string;
  livingArrangement: LivingArrangement;
  economicStatus: EconomicStatus;
  insuranceType: InsuranceType;
  deceased: boolean;
  version: number;
}

export interface Contact {
  name: string;
  relation: string;
  phoneMasked: string;
}

export interface Consent {
  kind: string;
  granted: boolean;
  at: string;
}

export interface Person extends PersonSummary {
  hukouDistrictCode: string | null;
  hukouDistrictName: string | null;
  committeeCode: string | null;
  committeeName: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  phoneMasked: string | null;
  disability: string | null;
  contacts: Contact[];
  consents: Consent[];
  deathDate: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedReason: string | null;
}

export interface HistoryEntry {
  version: number;
  at: string;
  actor: unknown;
  action: 'create' | 'update' | 'delete' | 'import' | string;
  /** Optional note the server may give (why the change was made). */
  reason?: string | null;
  changes: { field: string; from: unknown; to: unknown }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ImportResult {
  fileName: string;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: { row: number; field: string; message: string }[];
}

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** status 0: the request never got an answer (offline, server down). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 from an authenticated call: the workbench goes back to its login form. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
  /** false for the login and session probe: their 401 is an answer, not an expiry. */
  handleUnauthorized?: boolean;
  accept?: string;
}

async function send(path: string, opts: RequestOptions = {}): Promise<Response> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/json' };
  let body: BodyInit | undefined = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.contentType) {
    headers['content-type'] = opts.contentType;
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, NETWORK_ERROR, '');
  }
  if (res.ok) return res;

  let code = `HTTP_${res.status}`;
  let message = '';
  let details: ErrorDetail[] = [];
  try {
    const data = (await res.json()) as { error?: { code?: string; message?: string; details?: ErrorDetail[] } };
    if (data.error) {
      code = data.error.code ?? code;
      message = data.error.message ?? '';
      details = Array.isArray(data.error.details) ? data.error.details : [];
    }
  } catch {
    // not JSON (a proxy's error page): keep the status only
  }
  if (res.status === 401 && opts.handleUnauthorized !== false) onUnauthorized?.();
  throw new ApiError(res.status, code, message, details);
}

export async function request<T>(path: string, opts?: RequestOptions): Promise<T> {
  const res = await send(path, opts);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function download(path: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  const res = await send(path, { accept: '*/*' });
  const blob = await res.blob();
  return { blob, fileName: fileNameFromDisposition(res.headers.get('content-disposition')) ?? fallbackName };
}

export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() ?? null;
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

// --- endpoints ---

export const api = {
  login: (username: string, password: string) =>
    request<{ user: User; csrfToken: string; token?: string }>('/api/v1/auth/login', {
      method: 'POST',
      json: { username, password },
      handleUnauthorized: false,
    }),
  me: (signal?: AbortSignal) =>
    request<{ user: User; csrfToken: string }>('/api/v1/auth/me', { signal, handleUnauthorized: false }),
  logout: () => request<void>('/api/v1/auth/logout', { method: 'POST', handleUnauthorized: false }),
  jurisdiction: (signal?: AbortSignal) =>
    request<Jurisdiction>('/api/v1/jurisdiction', { signal, handleUnauthorized: false }),
  regions: (parent?: string, signal?: AbortSignal) =>
    request<{ items: Region[] }>(`/api/v1/regions${query({ parent })}`, { signal }),
  people: (params: Record<string, string>, signal?: AbortSignal) =>
    request<Page<PersonSummary>>(`/api/v1/people${query(params)}`, { signal }),
  person: (id: string, signal?: AbortSignal) =>
    request<Person>(`/api/v1/people/${encodeURIComponent(id)}`, { signal }),
  notifications: (id: string, signal?: AbortSignal) =>
    request<{ items: PersonNotice[] }>(`/api/v1/people/${encodeURIComponent(id)}/notifications`, { signal }),
  history: (id: string, signal?: AbortSignal) =>
    request<{ items: HistoryEntry[] }>(`/api/v1/people/${encodeURIComponent(id)}/history`, { signal }),
  importPeople: (file: File) =>
    request<ImportResult>(`/api/v1/people/import${query({ fileName: file.name })}`, {
      method: 'POST',
      body: file,
      contentType: 'application/octet-stream',
    }),
};

export const TEMPLATE_CSV_URL = '/api/v1/people/import/template.csv';

// --- entitlements (待遇核定) ---

/** What the self-check and the advisor's form send: the `yiyang entitle` facts without an id. */
export interface EntitlementFacts {
  asOf?: string;
  birthDate: string;
  hukouDistrict?: string | null;
  insurance?: InsuranceType | null;
  careGrade?: number | null;
  careGradeValidUntil?: string | null;
  economic?: EconomicStatus;
  livingArrangement?: LivingArrangement | null;
  preferentialCare?: boolean;
  familyPlanningSpecial?: boolean;
}

export type SchemeId = 'allowance' | 'ltci' | 'serviceSubsidy' | 'basicBed' | 'visiting';

/** One summary per scheme: the decisive step's reason and what would change the result. */
export interface SchemeSummary {
  scheme: SchemeId | string;
  name: string;
  eligible: boolean;
  headline: string;
  reason: string;
  hint: string | null;
}

export type Confidence = 'high' | 'medium' | 'low' | 'unverified';

/** The parameter a step used, with its citation in one line (`source`). */
export interface StepParameter {
  name: string;
  label: string;
  value?: unknown;
  unit: string;
  scope: string;
  scopeName: string;
  level: string;
  from: string;
  to: string | null;
  source: string;
  url?: string;
  confidence: Confidence | string;
}

export interface ExplanationStep {
  scheme: string;
  check: string;
  passed: boolean;
  reason: string;
  hint?: string;
  parameter?: StepParameter;
}

export interface EntitlementsResult {
  asOf: string;
  parameterVersion: string;
  age: number;
  allowance: { eligible: boolean; band: string | null; monthlyFen: number };
  ltci: {
    eligible: boolean;
    homeCareHoursPerWeek: number;
    fundShareHome: number | null;
    fundShareInstitution: number | null;
    institutionDailyLimitFen: number | null;
  };
  serviceSubsidy: { eligible: boolean; monthlyFen: number };
  basicBed: { eligible: boolean; tier: number | null; tierLabel: string | null };
  visiting: { livingAlone: boolean; advancedAge: boolean; elderlyOnly: boolean };
  schemes: SchemeSummary[];
  explanation: ExplanationStep[];
}

export const entitlementsApi = {
  /** Public self-check: no login, nothing stored. */
  check: (facts: EntitlementFacts, signal?: AbortSignal) =>
    request<EntitlementsResult>('/api/v1/entitlements/check', {
      method: 'POST',
      json: facts,
      signal,
      handleUnauthorized: false,
    }),
  /** The advisor's check of a registered person (staff; read-audited). */
  forPerson: (id: string, asOf?: string, signal?: AbortSignal) =>
    request<EntitlementsResult & { personId: string }>(
      `/api/v1/people/${encodeURIComponent(id)}/entitlements${query({ asOf })}`,
      { signal },
    ),
};
