// Answers are kept on the tablet first, then sent. Each answer given becomes an operation with a
// browser-made id (crypto.randomUUID()), appended to a queue in localStorage the moment it is
// given; the queue is sent in order to PUT /assessments/:id/answers when the browser is online,
// and again later (the `online` event, and a retry timer) when it is not. An operation is only
// removed once the server has acknowledged it, and a retry resends the SAME opId, so the server
// (idempotent on opId) never records an answer twice.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, NETWORK_ERROR } from '../../api.ts';
import { assessmentApi, todayLocal, type AnswersOp, type Application, type Extras } from './api.ts';

export const RETRY_MS = 4000;

export interface Draft extends Extras {
  answers: Record<string, number>;
}

export type SyncStatus =
  /** Nothing waiting: everything given has reached the server. */
  | 'synced'
  /** Saved on this device, being sent. */
  | 'saving'
  /** Offline (or the server unreachable): will be sent automatically. */
  | 'offline'
  /** The server refused an operation (state changed, not allowed): shown, kept, not retried in a loop. */
  | 'error';

const queueKey = (id: string) => `yiyang.assessment.${id}.queue`;

function readQueue(id: string): AnswersOp[] {
  try {
    const raw = localStorage.getItem(queueKey(id));
    const v: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(v) ? (v as AnswersOp[]) : [];
  } catch {
    return [];
  }
}

function writeQueue(id: string, ops: AnswersOp[]): void {
  try {
    if (ops.length === 0) localStorage.removeItem(queueKey(id));
    else localStorage.setItem(queueKey(id), JSON.stringify(ops));
  } catch {
    // storage full or unavailable: the queue lives in memory for this page
  }
}

/** The server's copy with the not-yet-acknowledged operations laid over it, in order. */
export function applyOps(base: Draft, ops: readonly AnswersOp[]): Draft {
  const d: Draft = { ...base, answers: { ...base.answers } };
  for (const op of ops) {
    Object.assign(d.answers, op.answers);
    if (op.coma !== undefined) d.coma = op.coma;
    if (op.diagnoses !== undefined) d.diagnoses = op.diagnoses;
    if (op.riskEvents30d !== undefined) d.riskEvents30d = op.riskEvents30d;
  }
  return d;
}

export function draftOf(a: Application): Draft {
  const d: Draft = { answers: { ...(a.answers ?? {}) } };
  if (typeof a.coma === 'boolean') d.coma = a.coma;
  if (Array.isArray(a.diagnoses)) d.diagnoses = a.diagnoses;
  if (typeof a.riskEvents30d === 'number') d.riskEvents30d = a.riskEvents30d;
  return d;
}

function newOpId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface AnswerSync {
  draft: Draft;
  pending: number;
  status: SyncStatus;
  error: string | null;
  /** Records a change locally at once and queues it for the server. */
  record(change: Partial<Extras> & { answers?: Record<string, number> }): void;
  /** Sends what is waiting now; resolves true when nothing is left. */
  flush(): Promise<boolean>;
}

export function useAnswerSync(application: Application, onServerCopy: (a: Application) => void): AnswerSync {
  const id = application.id;
  const baseRef = useRef<Draft>(draftOf(application));
  const queueRef = useRef<AnswersOp[]>(readQueue(id));
  const [draft, setDraft] = useState<Draft>(() => applyOps(baseRef.current, queueRef.current));
  const [pending, setPending] = useState(queueRef.current.length);
  const [status, setStatus] = useState<SyncStatus>(queueRef.current.length ? 'saving' : 'synced');
  const [error, setError] = useState<string | null>(null);
  const sending = useRef<Promise<boolean> | null>(null);
  /** Set when the server refused an op (4xx): the timer stops resending it until asked to. */
  const refused = useRef(false);
  const onServerRef = useRef(onServerCopy);
  onServerRef.current = onServerCopy;

  const refresh = useCallback(() => {
    setDraft(applyOps(baseRef.current, queueRef.current));
    setPending(queueRef.current.length);
  }, []);

  const flush = useCallback((): Promise<boolean> => {
    if (sending.current) return sending.current;
    const run = async (): Promise<boolean> => {
      while (queueRef.current.length > 0) {
        if (typeof navigator !== 'undefined' && navigator.onLine === false) {
          setStatus('offline');
          return false;
        }
        const op = queueRef.current[0]!;
        setStatus('saving');
        try {
          const reply = await assessmentApi.answers(id, op);
          // Acknowledged (applied now, or seen before: the server is idempotent on opId):
          // drop exactly this op, keep whatever was added meanwhile.
          queueRef.current = queueRef.current.filter((o) => o.opId !== op.opId);
          writeQueue(id, queueRef.current);
          const server = reply && typeof reply === 'object' ? (reply.assessment ?? null) : null;
          if (server?.answers) baseRef.current = draftOf(server);
          else baseRef.current = applyOps(baseRef.current, [op]);
          refresh();
          if (server) onServerRef.current(server);
          setError(null);
        } catch (e) {
          if (e instanceof ApiError && (e.code === NETWORK_ERROR || e.status >= 500 || e.status === 429)) {
            setStatus('offline');
          } else {
            refused.current = true;
            setStatus('error');
            setError(e instanceof ApiError && e.message ? e.message : String(e));
          }
          return false;
        }
      }
      refused.current = false;
      setStatus('synced');
      return true;
    };
    const p = run().finally(() => {
      sending.current = null;
    });
    sending.current = p;
    return p;
  }, [id, refresh]);

  const record = useCallback(
    (change: Partial<Extras> & { answers?: Record<string, number> }) => {
      const op: AnswersOp = { opId: newOpId(), answers: change.answers ?? {}, visitedOn: todayLocal() };
      if (change.coma !== undefined) op.coma = change.coma;
      if (change.diagnoses !== undefined) op.diagnoses = change.diagnoses;
      if (change.riskEvents30d !== undefined) op.riskEvents30d = change.riskEvents30d;
      queueRef.current = [...queueRef.current, op];
      writeQueue(id, queueRef.current);
      refresh();
      setStatus(navigator.onLine === false ? 'offline' : 'saving');
      void flush();
    },
    [id, refresh, flush],
  );

  // Back online → send; and a timer retries while anything waits (a server that was down).
  useEffect(() => {
    const online = () => void flush();
    const offline = () => {
      if (queueRef.current.length > 0) setStatus('offline');
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    const timer = window.setInterval(() => {
      if (queueRef.current.length > 0 && !sending.current && !refused.current && navigator.onLine !== false) void flush();
    }, RETRY_MS);
    if (queueRef.current.length > 0) void flush();
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      window.clearInterval(timer);
    };
  }, [flush]);

  return { draft, pending, status, error, record, flush };
}
