// The caregiver phone's calls (src/care/routes.ts, "the caregiver's phone"): the day, the sync of
// the queued operations and the photos. Errors become TransportError for sync.ts: no answer or a
// server fault (try again later), no session or no right (sign in again), or a refusal of the
// request itself (never sent again). A stale CSRF token (the session was renewed while the page
// was offline) is fetched again once.
import { api, ApiError, NETWORK_ERROR, request, setCsrfToken } from '../api.ts';
import type { Day, PhotoRecord, WireOp } from './queue.ts';
import { TransportError, type SyncResult } from './sync.ts';

export const carerApi = {
  day: (signal?: AbortSignal) => request<Day>('/api/v1/care/my/day', { signal }),
};

function transportError(e: unknown): TransportError {
  if (!(e instanceof ApiError)) return new TransportError('offline');
  if (e.code === NETWORK_ERROR || e.status === 0 || e.status >= 500 || e.status === 429 || e.status === 408) return new TransportError('offline');
  if (e.status === 401 || e.status === 403) return new TransportError('auth', e.message);
  return new TransportError('invalid', e.message);
}

async function withCsrfRetry<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'AUTH_CSRF_FAILED') {
      const me = await api.me();
      setCsrfToken(me.csrfToken);
      return call();
    }
    throw e;
  }
}

export async function sendOps(deviceId: string, ops: WireOp[]): Promise<{ results: SyncResult[] }> {
  try {
    return await withCsrfRetry(() => request<{ results: SyncResult[]; serverTime: string }>('/api/v1/care/sync', { method: 'POST', json: { deviceId, ops } }));
  } catch (e) {
    throw transportError(e);
  }
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('照片读取失败'));
    r.readAsDataURL(blob);
  });
}

export async function uploadPhoto(p: PhotoRecord<Blob>): Promise<void> {
  let dataBase64: string;
  try {
    dataBase64 = await base64Of(p.data);
  } catch {
    throw new TransportError('invalid', '照片在手机上已损坏');
  }
  try {
    await withCsrfRetry(() =>
      request(`/api/v1/care/visits/${encodeURIComponent(p.visitId)}/photos`, { method: 'POST', json: { id: p.id, mime: p.mime, dataBase64, takenAt: p.takenAt } }),
    );
  } catch (e) {
    throw transportError(e);
  }
}

const DEVICE_KEY = 'yiyang.carer.device';

/** This phone's id (made once; the server uses it to notice one phone used by several caregivers). */
export function deviceId(makeId: () => string): string {
  try {
    const have = localStorage.getItem(DEVICE_KEY);
    if (have) return have;
    const id = `web-${makeId()}`;
    localStorage.setItem(DEVICE_KEY, id);
    return id;
  } catch {
    return 'web-unknown';
  }
}
