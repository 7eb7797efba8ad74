// The caregiver phone's state (issue 8 §4): the day (downloaded while online and kept), the
// queue and photos in IndexedDB laid over it, and the sync loop — when the phone comes online,
// after every action while online, every half minute while anything waits, and on 立即同步.
// Actions are recorded on the phone first and shown at once; sending is never in their way.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { errorText } from '../format.ts';
import { usePrefs } from '../prefs.tsx';
import { carerApi, deviceId, sendOps, uploadPhoto } from './api.ts';
import { locateOnce, shrinkPhoto } from './device.ts';
import { clock, shanghaiToday } from './format.ts';
import { loadDay, openStore, saveDay } from './idb.ts';
import { commit, newClientId, overlay, type Day, type LocationStatus, type Notice, type PhotoRecord, type ProofKind, type QueueStore, type QueuedOp, type ShownItem } from './queue.ts';
import { syncOnce } from './sync.ts';

const RETRY_MS = 30_000;

export interface CarerUser {
  id: string;
  username: string;
  displayName: string;
}

export type DayStatus = 'loading' | 'ok' | 'none' | 'error';

export interface Carer {
  user: CarerUser;
  /** The session was checked with the server (false: opened offline with the last signed-in caregiver). */
  sessionChecked: boolean;
  online: boolean;
  /** false when this browser cannot keep records (no IndexedDB): the page warns. */
  persistent: boolean;
  day: Day | null;
  daySavedAt: string | null;
  dayStatus: DayStatus;
  dayError: string | null;
  items: ShownItem[];
  ops: QueuedOp[];
  photos: PhotoRecord<Blob>[];
  notices: Notice[];
  syncing: boolean;
  lastSync: { at: string; done: number; photos: number } | null;
  syncProblem: string | null;
  refreshDay(): Promise<void>;
  checkIn(item: ShownItem, proof: { kind: ProofKind; code: string } | null): Promise<{ status: LocationStatus; location: { lat: number; lon: number } | null }>;
  checkOut(item: ShownItem, items: string[], note: string): Promise<{ status: LocationStatus }>;
  addPhoto(item: ShownItem, file: Blob): Promise<{ width: number; height: number }>;
  syncNow(): Promise<void>;
  dismiss(id: string): Promise<void>;
}

const CarerContext = createContext<Carer | null>(null);

export function useCarer(): Carer {
  const c = useContext(CarerContext);
  if (!c) throw new Error('useCarer outside CarerProvider');
  return c;
}

const labelOf = (item: ShownItem) => `${item.personName} ${clock(item.startsAt)}`;

export function CarerProvider({ user, sessionChecked, online, children }: { user: CarerUser; sessionChecked: boolean; online: boolean; children: ReactNode }) {
  const { t } = usePrefs();
  const [store, setStore] = useState<QueueStore<Blob> | null>(null);
  const [persistent, setPersistent] = useState(true);
  const [day, setDay] = useState<Day | null>(null);
  const [daySavedAt, setDaySavedAt] = useState<string | null>(null);
  const [dayStatus, setDayStatus] = useState<DayStatus>('loading');
  const [dayError, setDayError] = useState<string | null>(null);
  const [ops, setOps] = useState<QueuedOp[]>([]);
  const [photos, setPhotos] = useState<PhotoRecord<Blob>[]>([]);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [lastSync, setLastSync] = useState<Carer['lastSync']>(null);
  const [syncProblem, setSyncProblem] = useState<string | null>(null);
  const dayRef = useRef<Day | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const canSend = online && sessionChecked;
  const canSendRef = useRef(canSend);
  canSendRef.current = canSend;
  const device = useMemo(() => deviceId(newClientId), []);

  const reload = useCallback(async (s: QueueStore<Blob>) => {
    const [o, p, n] = await Promise.all([s.ops(user.id), s.photos(user.id), s.notices(user.id)]);
    setOps(o);
    setPhotos(p);
    setNotices(n);
    return o.length + p.length;
  }, [user.id]);

  const showDay = useCallback((d: Day, savedAt: string | null) => {
    dayRef.current = d;
    setDay(d);
    setDaySavedAt(savedAt);
    setDayStatus('ok');
  }, []);

  const refreshDay = useCallback(async () => {
    if (!canSendRef.current) return;
    try {
      const d = await carerApi.day();
      await saveDay(user.id, d);
      showDay(d, new Date().toISOString());
      setDayError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) return; // offline after all: the kept copy stays
      setDayError(errorText(e, t));
      if (!dayRef.current) setDayStatus('error');
    }
    // t changes with the language only
  }, [user.id, showDay]);

  const syncNow = useCallback((): Promise<void> => {
    if (!store || !canSendRef.current) return Promise.resolve();
    if (running.current) return running.current;
    const run = async () => {
      setSyncing(true);
      try {
        const report = await syncOnce<Blob>({
          store,
          owner: user.id,
          send: (o) => sendOps(device, o),
          upload: uploadPhoto,
          onApplied: async (applied) => {
            if (!dayRef.current) return;
            const d = commit(dayRef.current, applied);
            await saveDay(user.id, d);
            dayRef.current = d;
            setDay(d);
          },
        });
        await reload(store);
        if (report.stopped === 'auth') setSyncProblem(report.stopMessage ? `没有上传：${report.stopMessage}` : '没有上传：登录已失效，请重新登录。');
        else if (report.stopped === 'offline') setSyncProblem('暂时连不上服务器，记录保存在手机上，稍后自动重试。');
        else setSyncProblem(null);
        if (!report.stopped) setLastSync({ at: new Date().toISOString(), done: report.done, photos: report.photosSent });
        if (report.done > 0 || report.refused.length > 0) await refreshDay();
      } finally {
        setSyncing(false);
      }
    };
    running.current = run().finally(() => {
      running.current = null;
    });
    return running.current;
  }, [store, user.id, device, reload, refreshDay]);

  // Open the store, show the kept day at once, then download today's while online.
  useEffect(() => {
    let live = true;
    void (async () => {
      const { store: s, persistent: p } = await openStore();
      if (!live) return;
      setPersistent(p);
      await reload(s);
      const kept = await loadDay(user.id, shanghaiToday());
      if (!live) return;
      if (kept) showDay(kept.day, kept.savedAt);
      else setDayStatus(canSendRef.current ? 'loading' : 'none');
      setStore(s);
    })();
    return () => {
      live = false;
    };
  }, [user.id, reload, showDay]);

  // Online (again): download the day and send what waits; retry while anything waits.
  useEffect(() => {
    if (!store || !canSend) return;
    void refreshDay().then(() => syncNow());
    const timer = window.setInterval(() => {
      void reload(store).then((n) => {
        if (n > 0 && !running.current && navigator.onLine !== false) void syncNow();
      });
    }, RETRY_MS);
    return () => window.clearInterval(timer);
  }, [store, canSend, refreshDay, syncNow, reload]);

  useEffect(() => {
    if (!canSend && dayStatus === 'loading' && store && !day) setDayStatus('none');
  }, [canSend, dayStatus, store, day]);

  const items = useMemo(() => (day ? overlay(day, ops) : []), [day, ops]);

  const after = useCallback(async () => {
    if (!store) return;
    await reload(store);
    if (canSendRef.current && navigator.onLine !== false) void syncNow();
  }, [store, reload, syncNow]);

  const checkIn = useCallback<Carer['checkIn']>(async (item, proof) => {
    if (!store) throw new Error('记录尚未就绪');
    const { location, status } = await locateOnce();
    await store.addOp({
      id: newClientId(), kind: 'check_in', visitId: newClientId(), orderId: item.orderId, at: new Date().toISOString(), location, mockLocation: false, proof,
      owner: user.id, locationStatus: status, label: labelOf(item),
    });
    await after();
    return { status, location };
  }, [store, user.id, after]);

  const checkOut = useCallback<Carer['checkOut']>(async (item, chosen, note) => {
    if (!store || !item.visit) throw new Error('尚未签到');
    const { location, status } = await locateOnce();
    await store.addOp({
      id: newClientId(), kind: 'check_out', visitId: item.visit.id, at: new Date().toISOString(), location, mockLocation: false, items: chosen, note: note.trim() || null,
      owner: user.id, locationStatus: status, label: labelOf(item),
    });
    await after();
    return { status };
  }, [store, user.id, after]);

  const addPhoto = useCallback<Carer['addPhoto']>(async (item, file) => {
    if (!store || !item.visit) throw new Error('尚未签到');
    const { blob, width, height } = await shrinkPhoto(file);
    await store.addPhoto({ id: newClientId(), visitId: item.visit.id, orderId: item.orderId, owner: user.id, mime: 'image/jpeg', takenAt: new Date().toISOString(), bytes: blob.size, data: blob, label: labelOf(item) });
    await after();
    return { width, height };
  }, [store, user.id, after]);

  const dismiss = useCallback(async (id: string) => {
    if (!store) return;
    await store.removeNotice(id);
    await reload(store);
  }, [store, reload]);

  const value: Carer = {
    user, sessionChecked, online, persistent, day, daySavedAt, dayStatus, dayError, items, ops, photos, notices, syncing, lastSync, syncProblem,
    refreshDay, checkIn, checkOut, addPhoto, syncNow, dismiss,
  };
  return <CarerContext.Provider value={value}>{children}</CarerContext.Provider>;
}

/** navigator.onLine, following the online and offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine !== false));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}
