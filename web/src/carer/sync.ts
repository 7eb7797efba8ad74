// Sending the caregiver phone's queue (issue 8 §4: "syncs later without loss or duplicates").
// One pass: the waiting operations go in queue order to POST /api/v1/care/sync (in batches); each
// answer decides the operation's fate —
//   applied / duplicate (sent before, the answer was lost) → removed from the phone;
//   rejected with retry (the check-in it depends on has not arrived) → kept, sent again later;
//   rejected for good → removed, and the caregiver is told why in plain Chinese. A refused
//   check-in takes the visit's later records and photos with it: the server would refuse them too.
// A duplicate whose first answer was a refusal counts as that refusal. A batch the server cannot
// read at all (400) is sent again one operation at a time, so one bad record cannot block the rest.
// No answer (offline, server down) or no session: everything stays and the pass stops.
// Photos follow once their visit's check-in is no longer waiting. The transport is injected
// (fetch in the app, a real `decideOp` server in the tests), so this runs under Node too.
import { newClientId, wireOf, type Notice, type PhotoRecord, type QueueStore, type QueuedOp, type WireOp } from './queue.ts';

/** How a request failed: no answer (try later), no session (sign in again), or refused as unreadable. */
export class TransportError extends Error {
  constructor(
    readonly kind: 'offline' | 'auth' | 'invalid',
    message = '',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** One answer of POST /api/v1/care/sync (src/care/visit-service.ts `SyncResult`). */
export interface SyncResult {
  opId: string;
  status: 'applied' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
  retry?: boolean;
}

export interface SyncDeps<D> {
  store: QueueStore<D>;
  /** The signed-in caregiver's account id: only their records are sent. */
  owner: string;
  send(ops: WireOp[]): Promise<{ results: SyncResult[] }>;
  /** Sends one photo; throws TransportError ('invalid' when the server will never take it). */
  upload(photo: PhotoRecord<D>): Promise<void>;
  /** Called with the operations the server now has (to update the phone's copy of the day). */
  onApplied?(ops: QueuedOp[]): Promise<void>;
  now?: () => string;
  batchSize?: number;
}

export interface SyncReport {
  /** Operations the server now has (applied now or before). */
  done: number;
  /** Operations kept to be sent again (waiting for their check-in, or not sent: offline). */
  kept: number;
  photosSent: number;
  /** What was refused for good, as told to the caregiver. */
  refused: Notice[];
  stopped: null | 'offline' | 'auth';
  /** The server's words when it stopped for the session (e.g. the account has no caregiver record). */
  stopMessage?: string;
}

const KIND_TEXT: Record<WireOp['kind'], string> = { check_in: '签到', check_out: '签退', cancel: '取消服务' };

/** Plain words for the server's refusal codes (src/care/model.ts SYNC_REJECT_CODES), when it sends no message. */
export const REJECT_TEXT: Record<string, string> = {
  unknown_visit: '服务器尚未收到这次服务的签到',
  unknown_order: '没有找到这张服务工单，可能已被机构撤回',
  not_assigned: '这次服务没有派给您，可能已改派给其他护理员',
  order_closed: '这张工单已取消或已结束',
  order_has_visit: '这张工单已有签到记录（以首次签到为准）',
  already_checked_in: '这次服务已签到，以首次签到为准',
  already_checked_out: '这次服务已签退，以首次签退为准',
  cancelled: '这次服务已取消',
  future_time: '记录的时间晚于服务器时间，请检查手机的日期和时间设置',
  before_check_in: '签退时间早于签到时间',
  unknown_item: '有服务项目不在长护险服务项目清单内',
  foreign_op: '记录编号已被使用',
};

const what = (op: QueuedOp) => (op.label ? `${op.label}的${KIND_TEXT[op.kind]}` : KIND_TEXT[op.kind]);

/** The refusal as the caregiver reads it. */
export function refusalText(op: QueuedOp, r: Pick<SyncResult, 'code' | 'message'>): string {
  const why = r.message || (r.code ? REJECT_TEXT[r.code] : undefined) || '服务器不接受这条记录';
  return `${what(op)}没有被接受：${why}。`;
}

/** Sends what waits, once. Never throws for the transport: the report says where it stopped. */
export async function syncOnce<D>(deps: SyncDeps<D>): Promise<SyncReport> {
  const now = deps.now ?? (() => new Date().toISOString());
  const report: SyncReport = { done: 0, kept: 0, photosSent: 0, refused: [], stopped: null };
  const notice = (text: string): Notice => ({ id: newClientId(), owner: deps.owner, at: now(), text });
  let size = Math.max(1, deps.batchSize ?? 100);
  let queue = await deps.store.ops(deps.owner);
  const kept: QueuedOp[] = [];

  /** Visits whose check-in was refused for good: their other records and photos cannot be taken either. */
  const doomed = new Set<string>();
  const dropVisit = async (op: QueuedOp, restOfBatch: readonly QueuedOp[]) => {
    doomed.add(op.visitId);
    const later = [...restOfBatch, ...queue].filter((o) => o.visitId === op.visitId);
    const photos = (await deps.store.photos(deps.owner)).filter((p) => p.visitId === op.visitId);
    queue = queue.filter((o) => o.visitId !== op.visitId);
    if (later.length) await deps.store.removeOps(later.map((o) => o.id));
    if (photos.length) await deps.store.removePhotos(photos.map((p) => p.id));
    const lost = [later.length ? `${later.length} 条后续记录` : '', photos.length ? `${photos.length} 张照片` : ''].filter(Boolean).join('和');
    return lost ? `这次服务的${lost}也无法上传，请联系机构核实。` : '';
  };

  while (queue.length > 0) {
    const batch = queue.slice(0, size);
    let results: SyncResult[];
    try {
      results = (await deps.send(batch.map(wireOf))).results;
    } catch (e) {
      const kind = e instanceof TransportError ? e.kind : 'offline';
      if (kind === 'invalid') {
        if (batch.length > 1) {
          size = 1; // find the unreadable one
          continue;
        }
        const op = batch[0]!;
        queue = queue.slice(1);
        await deps.store.removeOps([op.id]);
        let text = `${what(op)}无法上传：${(e as Error).message || '记录格式有误'}。`;
        if (op.kind === 'check_in') text += await dropVisit(op, []);
        const n = notice(text);
        report.refused.push(n);
        await deps.store.addNotices([n]);
        continue;
      }
      report.stopped = kind;
      if (kind === 'auth' && e instanceof Error && e.message) report.stopMessage = e.message;
      report.kept = kept.length + queue.length;
      return report;
    }
    const byId = new Map(results.map((r) => [r.opId, r]));
    const done: QueuedOp[] = [];
    const dropped: QueuedOp[] = [];
    const told: Notice[] = [];
    queue = queue.slice(batch.length);
    for (const [i, op] of batch.entries()) {
      if (doomed.has(op.visitId)) {
        dropped.push(op);
        continue;
      }
      const r = byId.get(op.id);
      if (!r || (r.status === 'rejected' && r.retry)) {
        kept.push(op);
        continue;
      }
      // A duplicate carries the first answer: a refusal then stays a refusal.
      const refused = r.status === 'rejected' || (r.status === 'duplicate' && Boolean(r.code));
      if (!refused) {
        done.push(op);
        continue;
      }
      dropped.push(op);
      let text = refusalText(op, r);
      if (op.kind === 'check_in') text += await dropVisit(op, batch.slice(i + 1));
      told.push(notice(text));
    }
    await deps.store.removeOps([...done, ...dropped].map((o) => o.id));
    if (told.length) await deps.store.addNotices(told);
    report.refused.push(...told);
    report.done += done.length;
    if (done.length && deps.onApplied) await deps.onApplied(done);
  }
  report.kept = kept.length;

  // Photos: once the visit's check-in is on the server.
  const waitingCheckIns = new Set(kept.filter((o) => o.kind === 'check_in').map((o) => o.visitId));
  for (const p of await deps.store.photos(deps.owner)) {
    if (waitingCheckIns.has(p.visitId)) continue;
    try {
      await deps.upload(p);
      await deps.store.removePhotos([p.id]);
      report.photosSent++;
    } catch (e) {
      const kind = e instanceof TransportError ? e.kind : 'offline';
      if (kind !== 'invalid') {
        report.stopped = kind;
        if (kind === 'auth' && e instanceof Error && e.message) report.stopMessage = e.message;
        return report;
      }
      await deps.store.removePhotos([p.id]);
      const n = notice(`${p.label ? `${p.label}的` : ''}照片无法上传：${(e as Error).message || '服务器不接受这张照片'}。`);
      report.refused.push(n);
      await deps.store.addNotices([n]);
    }
  }
  return report;
}
