// The public 找服务 API (/api/v1/services/*): no login for the search, the detail, the own-share
// estimate and the SMS; /proxy needs a session (advisor or citizen acting for someone).
// Money is in fen (integers) everywhere; the pages write it in yuan.
import type { FeatureCollection } from 'geojson';
import { query, request } from '../../api.ts';

export interface FacilityType {
  code: string;
  name: string;
  group: string;
  groupName: string;
  residential: boolean;
}

export interface ServiceFunction {
  code: string;
  name: string;
  category: string;
  categoryName: string;
}

export interface Catalogue {
  facilityTypes: FacilityType[];
  functions: ServiceFunction[];
  bedKinds: { code: string; name: string }[];
  districts: { code: string; name: string }[];
  staleAfterDays: number;
  grades: { grade: number; name: string }[];
  /** A map tile URL template ({z}/{x}/{y}); null: the map draws the district outlines only. */
  tileUrl?: string | null;
  tileAttribution?: string | null;
}

export interface Place {
  code: string;
  name: string;
  path: string;
  lon: number;
  lat: number;
}

export interface Center {
  lon: number;
  lat: number;
  label: string;
}

export interface BedCount {
  total: number;
  vacant: number;
}

export interface Beds {
  total: number;
  vacant: number;
  byKind: Record<string, BedCount | undefined>;
  basicVacant: number;
}

export interface FacilityCard {
  id: string;
  name: string;
  typeCode: string;
  typeName: string;
  districtCode: string;
  districtName: string;
  streetName: string;
  address: string;
  lon: number;
  lat: number;
  distanceMeters: number | null;
  walkMinutes: number | null;
  functions: string[];
  functionNames: string[];
  basicGuarantee: boolean;
  beds: Beds | null;
  /** Public or private (公办/民办…), when the server says. */
  ownershipName?: string;
  vacancyConfirmedAt: string | null;
  /** Whole days since the vacancy was last confirmed (the server's clock); null: never. */
  vacancyDays?: number | null;
  vacancyStale: boolean;
  priceFrom: { fen: number; unit: string; unitName?: string; item: string } | null;
  rating: { stars: number; ratedOn: string; source: string } | null;
  phone: string;
}

export type PriceCategory = 'bed' | 'board' | 'care' | 'service' | 'meal' | 'other';
export type PriceUnit = 'month' | 'day' | 'hour' | 'meal' | 'time';

export interface FacilityDetail extends FacilityCard {
  providerName: string;
  openingHours: string;
  floorAreaM2: number | null;
  description: string;
  residential?: boolean;
  mealCapacity?: number;
  prices: { item: string; category: PriceCategory | string; unit: PriceUnit | string; fen: number }[];
  photos: { url: string; alt: string }[];
  rooms: number | null;
  route: { meters: number; minutes: number; text: string } | null;
}

export interface SearchResult {
  total: number;
  page: number;
  pageSize: number;
  center: Center | null;
  items: FacilityCard[];
}

export type Insurance = 'employee' | 'resident';

export interface OwnShare {
  grade: number;
  insurance: Insurance;
  eligible: boolean;
  reason: string;
  /** Per unit (priceFen…) and, where the unit can be counted per month, per month (monthly…; null otherwise). */
  items: {
    item: string;
    unit: string;
    unitName?: string;
    category?: string;
    priceFen: number;
    insuranceFen: number;
    ownFen: number;
    monthlyPriceFen?: number | null;
    monthlyInsuranceFen?: number | null;
    monthlyOwnFen?: number | null;
  }[];
  monthly: { priceFen: number; insuranceFen: number; ownFen: number };
  notes: string[];
  citations: { document: string; article: string }[];
}

export interface ProxyPerson {
  personId: string;
  name: string;
  relation: string;
  districtCode?: string;
  streetCode: string | null;
  streetName: string | null;
  careGrade: number | null;
  insurance: string | null;
  center: Center | null;
}

export interface ShareSent {
  sent: boolean;
  to: string;
  text: string;
}

/** The search as the URL and the API have it (all strings; empty = not set). */
export type SearchParams = Record<string, string>;

export const servicesApi = {
  catalogue: (signal?: AbortSignal) =>
    request<Catalogue>('/api/v1/services/catalogue', { signal, handleUnauthorized: false }),
  outlines: (signal?: AbortSignal) =>
    request<FeatureCollection>('/api/v1/services/outlines', { signal, handleUnauthorized: false, accept: 'application/geo+json, application/json' }),
  places: (q: string, signal?: AbortSignal) =>
    request<{ items: Place[] }>(`/api/v1/services/places${query({ q })}`, { signal, handleUnauthorized: false }),
  search: (params: SearchParams, signal?: AbortSignal) =>
    request<SearchResult>(`/api/v1/services/search${query(params)}`, { signal, handleUnauthorized: false }),
  facility: (id: string, near: string | null, nearLabel: string | null, signal?: AbortSignal) =>
    request<FacilityDetail>(`/api/v1/services/facilities/${encodeURIComponent(id)}${query({ near, nearLabel: near ? nearLabel : null })}`, {
      signal,
      handleUnauthorized: false,
    }),
  ownShare: (id: string, grade: number, insurance: Insurance, signal?: AbortSignal) =>
    request<OwnShare>(`/api/v1/services/facilities/${encodeURIComponent(id)}/own-share${query({ grade, insurance })}`, {
      signal,
      handleUnauthorized: false,
    }),
  share: (body: { facilityIds: string[]; phone: string } | { facilityIds: string[]; personId: string }) =>
    request<ShareSent>('/api/v1/services/share', { method: 'POST', json: body, handleUnauthorized: false }),
  proxy: (personId: string | null, signal?: AbortSignal) =>
    request<{ people: ProxyPerson[] }>(`/api/v1/services/proxy${query({ personId })}`, { signal, handleUnauthorized: false }),
};

/** Catalogue and outlines change only with a deploy: one request per page load. */
let cataloguePromise: Promise<Catalogue> | null = null;
let outlinesPromise: Promise<FeatureCollection | null> | null = null;

export function loadCatalogue(): Promise<Catalogue> {
  cataloguePromise ??= servicesApi.catalogue().catch((e: unknown) => {
    cataloguePromise = null;
    throw e;
  });
  return cataloguePromise;
}

/** null when the outlines cannot be had: the map then shows the markers alone. */
export function loadOutlines(): Promise<FeatureCollection | null> {
  outlinesPromise ??= servicesApi.outlines().catch(() => {
    outlinesPromise = null;
    return null;
  });
  return outlinesPromise;
}
