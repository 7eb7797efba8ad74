// 服务供给 (/api/v1/supply/*, staff and providers), as the workbench pages use it. Shapes are the
// server's views (src/supply/service.ts, src/supply/routes.ts); money in fen, written in yuan by
// src/core/money.ts (never divided here).
import type { FeatureCollection } from 'geojson';
import { query, request } from '../../api.ts';

// The registry's codes and their names are the server's own lists (src/supply/model.ts, pure).
import type { BedKind, BedStatus, FacilityDraft, FacilityStatus, Ownership, PriceCategory, PriceItem, ProviderKind, Vacancy } from '../../../../src/supply/model.ts';
export {
  BED_KINDS, BED_STATUSES, FACILITY_STATUSES, OWNERSHIPS, OWNERSHIP_NAMES, PRICE_CATEGORIES, PRICE_UNITS, PRICE_UNIT_NAMES, PROVIDER_KINDS, PROVIDER_KIND_NAMES, STATUS_NAMES,
  type BedKind, type BedStatus, type FacilityStatus, type Ownership, type PriceCategory, type PriceItem, type PriceUnit, type ProviderKind, type Vacancy,
} from '../../../../src/supply/model.ts';
export type FilingStatus = Exclude<FacilityStatus, 'closed'>;

export interface Provider {
  id: string;
  regionCode: string;
  name: string;
  uscc: string;
  legalRepresentative: string;
  kind: string;
  kindName: string;
  phone: string;
  licences: { kind: string; number: string; validUntil: string | null }[];
  filingStatus: FilingStatus;
  filingStatusName: string;
  reviewNote: string | null;
  reviewedAt: string | null;
  updatedAt: string;
}

export interface Facility {
  id: string;
  providerId: string;
  providerName: string;
  regionCode: string;
  districtCode: string;
  name: string;
  typeCode: string;
  typeName: string;
  residential: boolean;
  ownership: Ownership;
  ownershipName: string;
  basicGuarantee: boolean;
  address: string;
  lon: number;
  lat: number;
  floorAreaM2: number;
  openingHours: string;
  description: string;
  functions: string[];
  functionNames: string[];
  prices: PriceItem[];
  photos: { url: string; alt: string }[];
  phone: string;
  mealCapacity: number;
  openedOn: string | null;
  status: FacilityStatus;
  statusName: string;
  reviewNote: string | null;
  reviewedAt: string | null;
  beds: Vacancy | null;
  rooms: number;
  vacancyConfirmedAt: string | null;
  vacancyDays: number | null;
  vacancyStale: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Room {
  id: string;
  name: string;
  floor: number | null;
  beds: number;
}

export interface Bed {
  id: string;
  roomId: string | null;
  roomName: string | null;
  label: string;
  kind: BedKind;
  basicGuarantee: boolean;
  status: BedStatus;
  statusSince: string;
}

export type FacilityDetail = Facility & { roomList: Room[]; bedList: Bed[] };

export interface BedEvent {
  id: string;
  bedId: string;
  label: string;
  from: BedStatus | null;
  fromName: string | null;
  to: BedStatus;
  toName: string;
  note: string | null;
  at: string;
}

export interface Change {
  id: string;
  providerId: string | null;
  facilityId: string | null;
  facilityName: string | null;
  regionCode: string;
  kind: string;
  summary: string;
  diff: Record<string, unknown>;
  actorRole: string | null;
  at: string;
}

export interface Catalogue {
  facilityTypes: { code: string; name: string; group: string; groupName: string; residential: boolean }[];
  categories: { code: string; name: string; quote: string }[];
  functions: { code: string; name: string; category: string; categoryName: string }[];
  bedKinds: { code: BedKind; name: string }[];
  bedStatuses: { code: BedStatus; name: string }[];
  priceCategories: { code: PriceCategory; name: string; ltci: boolean }[];
  districts: { code: string; name: string }[];
  staleAfterDays: number;
  walkMetersPerMinute: number;
  circleMinutes: number;
  grades: { grade: number; name: string }[];
}

/** A facility as the form sends it (the server's draft; an officer also names the provider). */
export type FacilityInput = FacilityDraft & { providerId?: string };

export interface ProviderInput {
  name: string;
  uscc: string;
  legalRepresentative: string;
  kind: ProviderKind;
  phone: string;
  licences: { kind: string; number: string; validUntil: string | null }[];
}

// ----- planning

export interface Citation {
  document: string;
  number: string | null;
  article: string;
  quote: string;
}

export interface Ratio {
  code: string;
  name: string;
  unit: '%' | 'per10k' | 'm2per1000';
  value: number | null;
  numerator: number;
  denominator: number | null;
  target: { op: string; value: number; citation: Citation; confidence: string; note: string | null; from: string; to: string | null } | null;
  met: boolean | null;
  gap: number | null;
  gapUnit: string;
}

export interface PlanningRow {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'town';
  population: { registered60: number; registered65: number; resident: number; year: number; source: string } | null;
  supply: { beds: number; basicBeds: number; nursingBeds: number; cognitiveBeds: number; occupiedBeds: number; communityAreaM2: number; mealCapacity: number };
  ratios: Ratio[];
}

export interface Planning {
  asOf: string;
  indicators: { code: string; name: string; unit: string; numerator: string; denominator: string }[];
  city: PlanningRow | null;
  districts: PlanningRow[];
  district: string | null;
  streets: PlanningRow[];
}

// ----- coverage (the lead's contract: GET /supply/coverage, POST /supply/siting)

export interface Coverage {
  district: string;
  districtName: string;
  function: string;
  functionName: string;
  minutes: number;
  walkMetersPerMinute: number;
  covered: number;
  total: number;
  share: number;
  /** Elders the server could not place on the network (no street, or a street without nodes). */
  unplaced: number;
  byStreet: { code: string; name: string; covered: number; total: number; share: number }[];
  gaps: FeatureCollection;
  sites: { id: string; name: string; lon: number; lat: number; typeName: string }[];
  network: { source: string; nodes: number; edges: number; importedAt: string };
  computedAt: string;
}

export interface Siting {
  district: string;
  function: string;
  functionName: string;
  k: number;
  candidates: number;
  ms: number;
  before: { covered: number; total: number; share: number };
  proposals: { rank: number; lon: number; lat: number; streetCode: string | null; streetName: string | null; gain: number; coveredAfter: number; shareAfter: number }[];
}

const enc = encodeURIComponent;
const base = '/api/v1/supply';

export interface FacilityFilter {
  status?: string;
  type?: string;
  q?: string;
  region?: string;
  page?: number;
  pageSize?: number;
}

export const supplyApi = {
  catalogue: (signal?: AbortSignal) => request<Catalogue>('/api/v1/services/catalogue', { signal }),
  outlines: (signal?: AbortSignal) => request<FeatureCollection>('/api/v1/services/outlines', { signal }),
  mine: (signal?: AbortSignal) => request<{ provider: Provider | null; facilities: Facility[] }>(`${base}/mine`, { signal }),
  registerProvider: (body: ProviderInput) => request<Provider>(`${base}/providers`, { method: 'POST', json: body }),
  providers: (f: { status?: string; q?: string }, signal?: AbortSignal) => request<{ items: Provider[] }>(`${base}/providers${query(f)}`, { signal }),
  moveProvider: (id: string, action: 'submit' | 'approve' | 'reject', note?: string) =>
    request<Provider>(`${base}/providers/${enc(id)}/${action}`, { method: 'POST', json: note ? { note } : {} }),
  facilities: (f: FacilityFilter, signal?: AbortSignal) =>
    request<{ total: number; page: number; pageSize: number; items: Facility[] }>(`${base}/facilities${query({ ...f })}`, { signal }),
  facility: (id: string, signal?: AbortSignal) => request<FacilityDetail>(`${base}/facilities/${enc(id)}`, { signal }),
  createFacility: (body: FacilityInput) => request<FacilityDetail>(`${base}/facilities`, { method: 'POST', json: body }),
  updateFacility: (id: string, body: Omit<FacilityInput, 'providerId'>) => request<FacilityDetail>(`${base}/facilities/${enc(id)}`, { method: 'PUT', json: body }),
  moveFacility: (id: string, action: 'submit' | 'approve' | 'reject' | 'close', note?: string) =>
    request<FacilityDetail>(`${base}/facilities/${enc(id)}/${action}`, { method: 'POST', json: note ? { note } : {} }),
  addRoom: (id: string, body: { name: string; floor: number | null; beds: { kind: BedKind; basicGuarantee: boolean }[] }) =>
    request<FacilityDetail>(`${base}/facilities/${enc(id)}/rooms`, { method: 'POST', json: body }),
  setBeds: (id: string, changes: { bedId: string; status: BedStatus; note?: string | null }[]) =>
    request<{ changed: number; facility: FacilityDetail }>(`${base}/facilities/${enc(id)}/beds`, { method: 'PATCH', json: { changes } }),
  confirmVacancy: (id: string) => request<FacilityDetail>(`${base}/facilities/${enc(id)}/vacancy/confirm`, { method: 'POST' }),
  bedHistory: (id: string, signal?: AbortSignal) => request<{ items: BedEvent[] }>(`${base}/facilities/${enc(id)}/bed-history`, { signal }),
  changes: (f: { facilityId?: string; kind?: string }, signal?: AbortSignal) => request<{ items: Change[] }>(`${base}/changes${query(f)}`, { signal }),
  review: (signal?: AbortSignal) => request<{ providers: Provider[]; facilities: Facility[] }>(`${base}/review`, { signal }),
  planning: (f: { district?: string; asOf?: string }, signal?: AbortSignal) => request<Planning>(`${base}/planning${query(f)}`, { signal }),
  coverage: (f: { district: string; function: string }, signal?: AbortSignal) => request<Coverage>(`${base}/coverage${query(f)}`, { signal }),
  siting: (body: { district: string; function: string; k: number }) => request<Siting>(`${base}/siting`, { method: 'POST', json: body }),
};

/** The roles the server grants each supply permission (src/platform/permissions.ts). */
export const SUPPLY_READ = ['advisor', 'provider', 'officer', 'auditor', 'admin'];
export const SUPPLY_MANAGE = ['provider', 'officer', 'admin'];
export const SUPPLY_REVIEW = ['officer', 'admin'];
export const SUPPLY_PLAN = ['officer', 'auditor', 'admin'];

let catalogueOnce: Promise<Catalogue> | null = null;
/** The catalogue, read once per page load (it changes with a deployment only). */
export function loadCatalogue(): Promise<Catalogue> {
  catalogueOnce ??= supplyApi.catalogue().catch((e: unknown) => {
    catalogueOnce = null;
    throw e;
  });
  return catalogueOnce;
}

let outlinesOnce: Promise<FeatureCollection | null> | null = null;
export function loadOutlines(): Promise<FeatureCollection | null> {
  outlinesOnce ??= supplyApi.outlines().catch(() => {
    outlinesOnce = null;
    return null;
  });
  return outlinesOnce;
}
