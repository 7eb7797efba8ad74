// The caregiver phone's offline records (issue 8 §4): what the phone keeps until the server has
// it. Every action (签到, 签退, 取消) becomes an operation with a browser-made UUIDv7, appended to a
// queue the moment it is taken; photos wait beside it. The day's visits as the phone shows them
// are the last copy from the server with the waiting operations laid over it, in order, by the
// same rules as the server's (src/care/model.ts `decideOp`: the first check-in and the first
// check-out of a visit stand). No DOM and no storage here: the store is an interface (IndexedDB in
// idb.ts, memory in tests), so this module and sync.ts run under Node as well.
import { uuidv7 } from 'uuidv7';

export type ProofKind = 'tag' | 'elder_phone' | 'card';

export interface GeoPoint {
  lat: number;
  lon: number;
  accuracy?: number | null;
}

/** How the one-off position request ended (the API has no field for it yet: kept on the phone). */
export type LocationStatus = 'ok' | 'denied' | 'unavailable' | 'timeout' | 'unsupported';

/** An operation as POST /api/v1/care/sync takes it (src/care/routes.ts `syncOp`). */
export type WireOp =
  | { id: string; kind: 'check_in'; visitId: string; orderId: string; at: string; location: GeoPoint | null; locationStatus?: LocationStatus; mockLocation: boolean; proof: { kind: ProofKind; code: string } | null }
  | { id: string; kind: 'check_out'; visitId: string; at: string; location: GeoPoint | null; locationStatus?: LocationStatus; mockLocation: boolean; items: string[]; note: string | null }
  | { id: string; kind: 'cancel'; visitId: string; at: string; note: string | null };

/** What the phone keeps besides: whose it is, its place in the queue, and how the position request ended. */
export interface OpMeta {
  owner: string;
  seq: number;
  locationStatus?: LocationStatus;
  /** Shown with a refusal, e.g. "王阿姨 09:00 的签到". */
  label?: string;
}

export type QueuedOp = WireOp & OpMeta;
export type NewOp = WireOp & Omit<OpMeta, 'seq'>;

/** The operation without the phone's own fields (the server takes no unknown fields); how the position request ended goes with a check-in or check-out. */
export function wireOf(op: QueuedOp): WireOp {
  const { owner: _owner, seq: _seq, locationStatus, label: _label, ...wire } = op;
  return (locationStatus && wire.kind !== 'cancel' ? { ...wire, locationStatus } : wire) as WireOp;
}

/** A photo waiting to be sent (after its visit's check-in has reached the server). */
export interface PhotoRecord<D = unknown> {
  id: string;
  visitId: string;
  orderId: string;
  owner: string;
  mime: 'image/jpeg';
  takenAt: string;
  bytes: number;
  data: D;
  label?: string;
}

/** Something the caregiver must read: a record the server refused, in plain Chinese. */
export interface Notice {
  id: string;
  owner: string;
  at: string;
  text: string;
}

/** Where the queue lives. Every list is in queue order and for one owner (the caregiver's account id). */
export interface QueueStore<D = unknown> {
  ops(owner: string): Promise<QueuedOp[]>;
  /** Appends at the end of the queue (the store numbers it). */
  addOp(op: NewOp): Promise<QueuedOp>;
  removeOps(ids: readonly string[]): Promise<void>;
  photos(owner: string): Promise<PhotoRecord<D>[]>;
  addPhoto(p: PhotoRecord<D>): Promise<void>;
  removePhotos(ids: readonly string[]): Promise<void>;
  notices(owner: string): Promise<Notice[]>;
  addNotices(n: readonly Notice[]): Promise<void>;
  removeNotice(id: string): Promise<void>;
}

/** The store in memory: the tests', and the fallback where IndexedDB is not available. */
export function memoryStore<D = unknown>(): QueueStore<D> {
  let ops: QueuedOp[] = [];
  let photos: PhotoRecord<D>[] = [];
  let notices: Notice[] = [];
  let seq = 0;
  return {
    ops: async (owner) => ops.filter((o) => o.owner === owner).sort((a, b) => a.seq - b.seq),
    addOp: async (op) => {
      const q = { ...op, seq: ++seq } as QueuedOp;
      ops.push(q);
      return q;
    },
    removeOps: async (ids) => {
      ops = ops.filter((o) => !ids.includes(o.id));
    },
    photos: async (owner) => photos.filter((p) => p.owner === owner).sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.id.localeCompare(b.id)),
    addPhoto: async (p) => {
      photos.push(p);
    },
    removePhotos: async (ids) => {
      photos = photos.filter((p) => !ids.includes(p.id));
    },
    notices: async (owner) => notices.filter((n) => n.owner === owner),
    addNotices: async (n) => {
      notices = [...notices, ...n];
    },
    removeNotice: async (id) => {
      notices = notices.filter((n) => n.id !== id);
    },
  };
}

/** A new client-made id (UUIDv7: time-ordered, so the server's rows sort by creation too). */
export const newClientId = (): string => uuidv7();

// ---------------------------------------------------------------- the day as the phone shows it

export type VisitStatus = 'in_progress' | 'done' | 'cancelled';

/** The server's record of a visit in GET /api/v1/care/my/day. */
export interface DayVisit {
  id: string;
  status: VisitStatus;
  checkIn: string;
  checkOut: string | null;
  items: string[];
  note: string | null;
  homeProofValid: boolean | null;
}

export interface DayItem {
  orderId: string;
  personId: string;
  personName: string;
  address: string | null;
  home: { lat: number; lon: number } | null;
  startsAt: string;
  minutes: number;
  kind: string;
  payer: string;
  items: string[];
  status: string;
  fromPreviousMeters: number | null;
  travelMinutes: number | null;
  visit: DayVisit | null;
}

export interface CatalogueItem {
  code: string;
  name: string;
  kind: string;
}

/** GET /api/v1/care/my/day (src/care/visit-service.ts `myDay`). */
export interface Day {
  date: string;
  serverTime: string;
  caregiver: { id: string; name: string; providerId: string };
  items: DayItem[];
  catalogue: CatalogueItem[];
  maxClockSkewMinutes: number;
}

/** A visit as shown: the server's or the phone's, with what still waits to be sent. */
export interface ShownItem extends DayItem {
  /** Operations of this visit not yet acknowledged by the server. */
  waiting: QueuedOp[];
  /** How the check-in's and check-out's position requests ended, when the phone knows. */
  checkInLocation?: LocationStatus;
  checkOutLocation?: LocationStatus;
}

/**
 * One operation laid over a visit, by the server's rules: a check-in opens the order's visit if
 * it has none; a check-out closes an open visit; a cancel cancels an open visit. Anything else
 * leaves the item as it was (the server will refuse it and say why).
 */
export function applyOp(item: DayItem, op: WireOp): DayItem {
  if (op.kind === 'check_in') {
    if (op.orderId !== item.orderId || item.visit) return item;
    return { ...item, status: 'in_progress', visit: { id: op.visitId, status: 'in_progress', checkIn: op.at, checkOut: null, items: [], note: null, homeProofValid: null } };
  }
  if (!item.visit || item.visit.id !== op.visitId || item.visit.status !== 'in_progress') return item;
  if (op.kind === 'check_out') {
    if (Date.parse(op.at) < Date.parse(item.visit.checkIn)) return item;
    return { ...item, status: 'done', visit: { ...item.visit, status: 'done', checkOut: op.at, items: [...op.items], note: op.note } };
  }
  return { ...item, status: 'assigned', visit: { ...item.visit, status: 'cancelled', note: op.note } };
}

/** The day with the waiting operations laid over it, in queue order. */
export function overlay(day: Day, ops: readonly QueuedOp[]): ShownItem[] {
  return day.items.map((base) => {
    let item: DayItem = base;
    const waiting: QueuedOp[] = [];
    let checkInLocation: LocationStatus | undefined;
    let checkOutLocation: LocationStatus | undefined;
    for (const op of ops) {
      const mine = op.kind === 'check_in' ? op.orderId === base.orderId : item.visit?.id === op.visitId;
      if (!mine) continue;
      waiting.push(op);
      item = applyOp(item, op);
      if (op.kind === 'check_in') checkInLocation = op.locationStatus;
      if (op.kind === 'check_out') checkOutLocation = op.locationStatus;
    }
    return { ...item, waiting, checkInLocation, checkOutLocation };
  });
}

/** The day after the server has applied some operations (kept until the next download). */
export function commit(day: Day, ops: readonly WireOp[]): Day {
  let items = day.items;
  for (const op of ops) items = items.map((i) => applyOp(i, op));
  return { ...day, items };
}

/** "N 条记录" and "N 张照片" still on the phone. */
export interface Waiting {
  records: number;
  photos: number;
}
