// The caregiver phone's storage in IndexedDB (issue 8 §4: a whole day offline): the queue of
// operations, the photos (as Blobs), the refusals to read, the last copy of each day from the
// server, and the visit forms being filled in (items ticked, note, the elder's code) so that a
// reload or a flat battery loses nothing. One database per browser; every record carries the
// caregiver's account id, and only that caregiver's records are shown or sent.
import { memoryStore, type Day, type LocationStatus, type NewOp, type Notice, type PhotoRecord, type QueueStore, type QueuedOp } from './queue.ts';

const DB_NAME = 'yiyang-carer';
const DB_VERSION = 1;
const STORES = ['ops', 'photos', 'notices', 'days', 'drafts'] as const;
type StoreName = (typeof STORES)[number];

/** The visit form as the caregiver left it (by order). */
export interface VisitDraft {
  key: string;
  owner: string;
  orderId: string;
  proofKind: 'tag' | 'elder_phone' | 'none';
  code: string;
  items: string[];
  note: string;
  /** How the check-in's and check-out's position requests ended (said on the screen after the records are sent). */
  checkInLocation?: LocationStatus;
  checkOutLocation?: LocationStatus;
}

interface DayRecord {
  key: string;
  owner: string;
  date: string;
  savedAt: string;
  day: Day;
}

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const name of STORES) if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: name === 'days' || name === 'drafts' ? 'key' : 'id' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB 无法打开'));
    req.onblocked = () => reject(new Error('IndexedDB 被其他页面占用'));
  }).catch((e: unknown) => {
    opening = null;
    throw e;
  });
  return opening;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB 写入失败'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB 写入中止'));
  });
}

function result<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB 读取失败'));
  });
}

async function all<T>(store: StoreName): Promise<T[]> {
  const db = await open();
  return result(db.transaction(store, 'readonly').objectStore(store).getAll() as IDBRequest<T[]>);
}

async function get<T>(store: StoreName, key: string): Promise<T | undefined> {
  const db = await open();
  return result(db.transaction(store, 'readonly').objectStore(store).get(key) as IDBRequest<T | undefined>);
}

async function put(store: StoreName, values: readonly unknown[]): Promise<void> {
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  for (const v of values) tx.objectStore(store).put(v);
  await done(tx);
}

async function remove(store: StoreName, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  for (const k of keys) tx.objectStore(store).delete(k);
  await done(tx);
}

/** The queue in IndexedDB. An operation's place is numbered inside the write, after the last one. */
export function idbStore(): QueueStore<Blob> {
  return {
    ops: async (owner) => (await all<QueuedOp>('ops')).filter((o) => o.owner === owner).sort((a, b) => a.seq - b.seq),
    addOp: async (op: NewOp) => {
      const db = await open();
      const tx = db.transaction('ops', 'readwrite');
      const s = tx.objectStore('ops');
      const existing = await result(s.getAll() as IDBRequest<QueuedOp[]>);
      const queued = { ...op, seq: existing.reduce((m, o) => Math.max(m, o.seq), 0) + 1 } as QueuedOp;
      s.put(queued);
      await done(tx);
      return queued;
    },
    removeOps: (ids) => remove('ops', ids),
    photos: async (owner) => (await all<PhotoRecord<Blob>>('photos')).filter((p) => p.owner === owner).sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.id.localeCompare(b.id)),
    addPhoto: (p) => put('photos', [p]),
    removePhotos: (ids) => remove('photos', ids),
    notices: async (owner) => (await all<Notice>('notices')).filter((n) => n.owner === owner).sort((a, b) => a.at.localeCompare(b.at)),
    addNotices: (n) => put('notices', n),
    removeNotice: (id) => remove('notices', [id]),
  };
}

/** IndexedDB when the browser has it (not in some private modes): else memory, and the page says so. */
export async function openStore(): Promise<{ store: QueueStore<Blob>; persistent: boolean }> {
  try {
    if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
    await open();
    return { store: idbStore(), persistent: true };
  } catch {
    return { store: memoryStore<Blob>(), persistent: false };
  }
}

const dayKey = (owner: string, date: string) => `${owner}:${date}`;

export async function saveDay(owner: string, day: Day): Promise<void> {
  try {
    await put('days', [{ key: dayKey(owner, day.date), owner, date: day.date, savedAt: new Date().toISOString(), day } satisfies DayRecord]);
    // Keep a week of days: older ones are of no use on the phone.
    const old = (await all<DayRecord>('days')).filter((d) => d.owner === owner).sort((a, b) => b.date.localeCompare(a.date)).slice(7);
    await remove('days', old.map((d) => d.key));
  } catch {
    // no storage: the day lives in memory for this page
  }
}

/** The saved copy of a day, with when it was downloaded. */
export async function loadDay(owner: string, date: string): Promise<{ day: Day; savedAt: string } | null> {
  try {
    const r = await get<DayRecord>('days', dayKey(owner, date));
    return r ? { day: r.day, savedAt: r.savedAt } : null;
  } catch {
    return null;
  }
}

/** Signing out on purpose: the days' names and addresses leave the phone (records not yet sent stay). */
export async function forgetDays(owner: string): Promise<void> {
  try {
    await remove('days', (await all<DayRecord>('days')).filter((d) => d.owner === owner).map((d) => d.key));
  } catch {
    // nothing kept
  }
}

const draftKey = (owner: string, orderId: string) => `${owner}:${orderId}`;

export async function loadDraft(owner: string, orderId: string): Promise<VisitDraft | null> {
  try {
    return (await get<VisitDraft>('drafts', draftKey(owner, orderId))) ?? null;
  } catch {
    return null;
  }
}

export async function saveDraft(d: Omit<VisitDraft, 'key'>): Promise<void> {
  try {
    await put('drafts', [{ ...d, key: draftKey(d.owner, d.orderId) }]);
  } catch {
    // no storage: the form keeps its state while the page is open
  }
}
