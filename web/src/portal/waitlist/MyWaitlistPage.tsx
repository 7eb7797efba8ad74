// 我的轮候 (/my/waitlist): for older people and their families. After signing in (the portal's own
// form, the workbench's session — as on /my/vouchers), each linked person with their applications:
// an open offer large at the top (接受入住 / 放弃), the status and tier, each choice's place in the
// queue and the estimated wait, pause / resume / withdraw, the history; without an open
// application, the 申请轮候 form.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { PortalFooter } from '../../components/PortalFooter.tsx';
import { PortalHeader } from '../../components/PortalHeader.tsx';
import { MAIN_ID, SkipLink } from '../../components/SkipLink.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { AuthProvider, useAuth } from '../../workbench/auth.tsx';
import { MySignIn } from '../my/MySignIn.tsx';
import { useMyText } from '../my/text.ts';
import { servicesApi, type ProxyPerson } from '../services/api.ts';
import { ApplicationCard } from './ApplicationCard.tsx';
import { ApplyForm } from './ApplyForm.tsx';
import { OPEN_STATUSES, waitlistApi, type ApplicationView } from './api.ts';
import { useWlText } from './text.ts';
import './waitlist.css';

export function MyWaitlistPage() {
  return (
    <AuthProvider>
      <MyWaitlistShell />
    </AuthProvider>
  );
}

function MyWaitlistShell() {
  const { t } = usePrefs();
  const m = useMyText();
  const w = useWlText();
  const { state, signOut } = useAuth();
  usePageTitle(w('wl.my.title'));
  const headingRef = useRef<HTMLHeadingElement>(null);
  const viaLogin = state.status === 'signedIn' && state.viaLogin;

  useEffect(() => {
    if (viaLogin) headingRef.current?.focus();
  }, [viaLogin]);

  return (
    <div className="portal">
      <SkipLink />
      <PortalHeader>
        {state.status === 'signedIn' && (
          <div className="user-box">
            <p className="user-summary">{m('my.signedIn', { name: state.user.displayName })}</p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                void signOut().then(() => headingRef.current?.focus());
              }}
            >
              {m('my.logout')}
            </button>
          </div>
        )}
      </PortalHeader>

      <main id={MAIN_ID} tabIndex={-1} className="container check-main my-main wl-main">
        <p className="back-link">
          <Link to="/waitlist">{w('wl.my.rulesLink')}</Link>
        </p>
        <h1 ref={headingRef} tabIndex={-1}>
          {w('wl.my.title')}
        </h1>
        <p className="lead">{w('wl.my.lead')}</p>
        {state.status === 'checking' && (
          <p role="status" className="loading">
            {t('common.loading')}
          </p>
        )}
        {state.status === 'anonymous' && <MySignIn notice={state.notice} />}
        {state.status === 'signedIn' && <MyPeople />}
      </main>

      <PortalFooter />
    </div>
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
