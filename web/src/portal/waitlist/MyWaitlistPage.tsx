// 我的轮候 (/my/waitlist): for older people and their families. After signing in (the portal's own
// form, the workbench's session — as on /my/vouchers), each linked person with their applications:
// an open offer large at the top (接受入住 / 放弃), the status and tier, each choice's place in the
// queue and the estimated wait, pause / resume / withdraw, the history; without an open
// application, the 申请轮候 form.
import { useEffect, useState } from 'react';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { MyShell } from '../my/MyShell.tsx';
import { servicesApi, type ProxyPerson } from '../services/api.ts';
import { ApplicationCard } from './ApplicationCard.tsx';
import { ApplyForm } from './ApplyForm.tsx';
import { OPEN_STATUSES, waitlistApi, type ApplicationView } from './api.ts';
import { useWlText } from './text.ts';
import './waitlist.css';

export function MyWaitlistPage() {
  const w = useWlText();
  return (
    <MyShell title={w('wl.my.title')} lead={w('wl.my.lead')} back={{ to: '/waitlist', text: w('wl.my.rulesLink') }} mainClassName="container check-main my-main wl-main">
      <MyPeople />
    </MyShell>
  );
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; people: ProxyPerson[]; apps: ApplicationView[] };

function MyPeople() {
  const { t } = usePrefs();
  const w = useWlText();
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    Promise.all([servicesApi.proxy(null, ctl.signal), waitlistApi.mine(ctl.signal)])
      .then(([p, a]) => setLoad({ status: 'ok', people: p.people, apps: a.items }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, []);

  const replace = (view: ApplicationView) =>
    setLoad((l) => (l.status !== 'ok' ? l : { ...l, apps: l.apps.some((a) => a.id === view.id) ? l.apps.map((a) => (a.id === view.id ? view : a)) : [view, ...l.apps] }));

  return (
    <>
      <div role="status" className="status-slot">
        {load.status === 'loading' && <p className="loading">{w('wl.my.loading')}</p>}
      </div>
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {w('wl.my.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && load.people.length === 0 && <p className="notice">{w('wl.my.none')}</p>}
      {load.status === 'ok' &&
        load.people.map((p) => (
          <MyPerson key={p.personId} person={p} apps={load.apps.filter((a) => a.personId === p.personId)} onChanged={replace} />
        ))}
    </>
  );
}

function MyPerson({ person, apps, onChanged }: { person: ProxyPerson; apps: ApplicationView[]; onChanged: (v: ApplicationView) => void }) {
  const w = useWlText();
  const titleId = `wl-person-${person.personId}`;
  const open = apps.find((a) => OPEN_STATUSES.includes(a.status)) ?? null;
  // An application that just ended here (admitted, withdrawn) stays on show until the page is left.
  const [shown, setShown] = useState<string | null>(open?.id ?? null);
  const current = apps.find((a) => a.id === (open?.id ?? shown)) ?? null;
  const earlier = apps.filter((a) => a.id !== current?.id);

  return (
    <section className="card section-card wl-person" aria-labelledby={titleId} data-testid="wl-person" data-person={person.personId}>
      <h2 id={titleId}>{w('wl.my.person', { name: person.name, relation: person.relation })}</h2>
      {current && (
        <ApplicationCard
          app={current}
          canAct
          big
          level={3}
          onChanged={(v) => {
            setShown(v.id);
            onChanged(v);
          }}
        />
      )}
      {!open && current?.status !== 'admitted' && (
        <>
          {!current && <p>{w('wl.my.noOpen', { name: person.name })}</p>}
          <ApplyForm
            level={3}
            districtCode={person.districtCode ?? null}
            origin={person.center}
            submit={(input) => waitlistApi.apply({ personId: person.personId, ...input })}
            onDone={(v) => {
              setShown(v.id);
              onChanged(v);
            }}
          />
        </>
      )}
      {earlier.length > 0 && (
        <details className="wl-earlier">
          <summary>{w('wl.my.earlier')}</summary>
          {earlier.map((a) => (
            <ApplicationCard key={a.id} app={a} canAct={false} level={3} onChanged={onChanged} />
          ))}
        </details>
      )}
    </section>
  );
}
