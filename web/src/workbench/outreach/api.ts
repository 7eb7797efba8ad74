// 政策找人 and 免申即享 (/api/v1/entitlements/unclaimed, grants/bulk, advisors, outreach; officer and
// admin: entitlements.outreach), as the page uses them. Shapes are the server's
// (src/entitlements/routes.ts).
import { query, request } from '../../api.ts';

/** The schemes one can claim, in the order the page offers them (CLAIM_SCHEMES of src/entitlements/store.ts). */
export const CLAIM_SCHEMES = ['allowance', 'ltci', 'serviceSubsidy', 'basicBed'] as const;
export type ClaimScheme = (typeof CLAIM_SCHEMES)[number];
export const isClaimScheme = (s: string | null): s is ClaimScheme => (CLAIM_SCHEMES as readonly (string | null)[]).includes(s);

export interface UnclaimedPerson {
  personId: string;
  name: string;
  age: number | null;
  districtCode: string;
  regionCode: string;
  regionName: string;
  reason: string;
  outreach: { id: string; advisorId: string; advisorName: string | null } | null;
}

export interface Unclaimed {
  scheme: ClaimScheme;
  schemeName: string;
  noApplicationGrant: boolean;
  total: number;
  byStreet: { streetCode: string; streetName: string; count: number }[];
  items: UnclaimedPerson[];
  nextCursor: string | null;
}

export interface Skipped {
  personId: string;
  reason: string;
}

export interface Advisor {
  id: string;
  username: string;
  displayName: string;
  regionCode: string;
}

const enc = encodeURIComponent;

export const outreachApi = {
  unclaimed: (params: { scheme: ClaimScheme; region?: string; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    request<Unclaimed>(`/api/v1/entitlements/unclaimed${query(params)}`, { signal }),
  bulkGrant: (scheme: ClaimScheme, personIds: string[]) =>
    request<{ scheme: string; grantedFrom: string; granted: number; skipped: Skipped[] }>('/api/v1/entitlements/grants/bulk', {
      method: 'POST',
      json: { scheme, personIds },
    }),
  advisors: (signal?: AbortSignal) => request<{ items: Advisor[] }>('/api/v1/entitlements/advisors', { signal }),
  assign: (scheme: ClaimScheme, personIds: string[], advisorId: string) =>
    request<{ scheme: string; advisorId: string; assigned: number; alreadyAssigned: number; skipped: Skipped[] }>('/api/v1/entitlements/outreach', {
      method: 'POST',
      json: { scheme, personIds, advisorId },
    }),
};

/** A visit task (GET /api/v1/entitlements/outreach). */
export interface OutreachTask {
  id: string;
  personId: string;
  name: string;
  regionCode: string;
  regionName: string;
  scheme: ClaimScheme;
  schemeName: string;
  advisorId: string;
  status: 'assigned' | 'done' | 'cancelled';
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A person's application or grant (GET /api/v1/people/:id/grants). */
export interface GrantRecord {
  id: string;
  scheme: string;
  schemeName: string;
  status: string;
  statusName: string;
  channel: 'application' | 'no_application' | string;
  appliedOn: string | null;
  grantedFrom: string | null;
  stoppedOn: string | null;
  reason: string | null;
  createdAt: string;
}

export const taskApi = {
  list: (status: OutreachTask['status'] | undefined, signal?: AbortSignal) =>
    request<{ items: OutreachTask[] }>(`/api/v1/entitlements/outreach${query({ status })}`, { signal }),
  close: (id: string, status: 'done' | 'cancelled', note: string) =>
    request<{ id: string; status: string }>(`/api/v1/entitlements/outreach/${enc(id)}/close`, {
      method: 'POST',
      json: note ? { status, note } : { status },
    }),
  record: (personId: string, scheme: ClaimScheme, status: 'applied' | 'granted', date?: string) =>
    request<GrantRecord>(`/api/v1/people/${enc(personId)}/grants`, {
      method: 'POST',
      json: date ? { scheme, status, date } : { scheme, status },
    }),
  grants: (personId: string, signal?: AbortSignal) =>
    request<{ items: GrantRecord[] }>(`/api/v1/people/${enc(personId)}/grants`, { signal }),
};
