// 保基本床位轮候 on the person page (roles with waitlist.read or waitlist.apply): the person's open
// application (GET applications?personId=…, then the application itself) with the shared view —
// answering an offer on the person's behalf, pause, resume, withdraw, change — or, when there is
// none, the shared apply form (waitlist.apply). Earlier applications behind a details element.
import { useEffect, useId, useState } from 'react';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { ApplicationCard } from '../../portal/waitlist/ApplicationCard.tsx';
import { ApplyForm } from '../../portal/waitlist/ApplyForm.tsx';
import { OPEN_STATUSES, WAITLIST_APPLY, WAITLIST_READ, waitlistApi, type ApplicationView } from '../../portal/waitlist/api.ts';
import '../../portal/waitlist/waitlist.css';
import { useUser } from '../auth.tsx';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; apps: ApplicationView[] };

export function PersonWaitlist({ personId, districtCode }: { personId: string; districtCode?: string | null }) {
  const user = useUser();
  if (!WAITLIST_READ.includes(user.role) && !WAITLIST_APPLY.includes(user.role)) return null;
  return <PersonWaitlistCard personId={personId} districtCode={districtCode ?? null} />;
}

function PersonWaitlistCard({ personId, districtCode }: { personId: string; districtCode: string | null }) {
  const { t } = usePrefs();
  const user = useUser();
  const id = useId();
  const canApply = WAITLIST_APPLY.includes(user.role);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [shown, setShown] = useState<string | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    (async () => {
      const list = WAITLIST_READ.includes(user.role) ? (await waitlistApi.list({ personId }, ctl.signal)).items : [];
      // The newest few: the open one and the last that ended.
      const ids = list.slice(0, 3).map((a) => a.id);
      const apps = await Promise.all(ids.map((x) => waitlistApi.get(x, ctl.signal)));
      return apps.sort((a, b) => b.appliedAt.localeCompare(a.appliedAt));
    })()
      .then((apps) => setLoad({ status: 'ok', apps }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [personId, attempt]);

  const replace = (v: ApplicationView) => {
    setShown(v.id);
    setLoad((l) => (l.status !== 'ok' ? l : { status: 'ok', apps: l.apps.some((a) => a.id === v.id) ? l.apps.map((a) => (a.id === v.id ? v : a)) : [v, ...l.apps] }));
  };

  const apps = load.status === 'ok' ? load.apps : [];
  const open = apps.find((a) => OPEN_STATUSES.includes(a.status)) ?? null;
  const current = open ?? apps.find((a) => a.id === shown) ?? null;
  const earlier = apps.filter((a) => a.id !== current?.id);

  return (
    <section className="card section-card wl-person-card" aria-labelledby={id} data-testid="wl-person-card">
      <h2 id={id}>保基本床位轮候</h2>
      {load.status !== 'ok' && <LoadStatus load={load} loadingText="正在读取轮候申请…" failedTitle="无法读取轮候申请" onRetry={() => setAttempt((n) => n + 1)} />}
      {load.status === 'ok' && (
        <>
          {current && <ApplicationCard app={current} canAct={canApply} level={3} onChanged={replace} />}
          {!open && !current && <p>这位老人现在没有正在轮候的申请。</p>}
          {!open && canApply && current?.status !== 'admitted' && (
            <ApplyForm level={3} districtCode={districtCode} submit={(input) => waitlistApi.apply({ personId, ...input })} onDone={replace} />
          )}
          {earlier.length > 0 && (
            <details className="wl-earlier">
              <summary>以前的申请（{earlier.length}）</summary>
              {earlier.map((a) => (
                <ApplicationCard key={a.id} app={a} canAct={false} level={3} onChanged={replace} />
              ))}
            </details>
          )}
        </>
      )}
    </section>
  );
}
