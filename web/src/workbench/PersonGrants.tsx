// 申请与享受记录 on the person page, under 待遇核定 (advisor, officer, auditor, admin: permission
// entitlements.read): each scheme's application, 免申即享 grant or stop, as GET
// /api/v1/people/:id/grants lists them.
import { useEffect, useId, useState } from 'react';
import type { Role } from '../api.ts';
import { errorText, formatDate, formatDateTime, isAbort } from '../format.ts';
import { usePrefs } from '../prefs.tsx';
import { useUser } from './auth.tsx';
import { taskApi, type GrantRecord } from './outreach/api.ts';
import { useOutText, type OutKey } from './outreach/text.ts';

/** The roles the server grants entitlements.read (src/platform/permissions.ts). */
const READERS: readonly Role[] = ['advisor', 'officer', 'auditor', 'admin'];

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: GrantRecord[] };

export function PersonGrants({ personId }: { personId: string }) {
  const user = useUser();
  if (!READERS.includes(user.role)) return null;
  return <PersonGrantsBody personId={personId} />;
}

const CHANNELS = ['application', 'no_application'];

function PersonGrantsBody({ personId }: { personId: string }) {
  const { t, lang } = usePrefs();
  const x = useOutText();
  const titleId = useId();
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    taskApi
      .grants(personId, ctl.signal)
      .then((r) => setLoad({ status: 'ok', items: r.items }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [personId]);

  const dash = <span className="muted">—</span>;
  return (
    <section aria-labelledby={titleId} className="card section-card" data-testid="person-grants">
      <h2 id={titleId}>{x('grants.title')}</h2>
      <p className="muted">{x('grants.intro')}</p>
      {load.status === 'loading' && <p className="loading">{x('grants.loading')}</p>}
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {x('grants.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && load.items.length === 0 && <p className="empty">{x('grants.empty')}</p>}
      {load.status === 'ok' && load.items.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
          <table className="data-table">
            <caption className="visually-hidden">{x('grants.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{x('grants.scheme')}</th>
                <th scope="col">{x('grants.status')}</th>
                <th scope="col">{x('grants.channel')}</th>
                <th scope="col">{x('grants.appliedOn')}</th>
                <th scope="col">{x('grants.grantedFrom')}</th>
                <th scope="col">{x('grants.stoppedOn')}</th>
                <th scope="col">{x('grants.reason')}</th>
                <th scope="col">{x('grants.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {load.items.map((g) => (
                <tr key={g.id} data-scheme={g.scheme}>
                  <th scope="row">{g.schemeName}</th>
                  <td>{g.statusName}</td>
                  <td>{CHANNELS.includes(g.channel) ? x(`grants.channel.${g.channel}` as OutKey) : g.channel}</td>
                  <td>{g.appliedOn ? formatDate(g.appliedOn) : dash}</td>
                  <td>{g.grantedFrom ? formatDate(g.grantedFrom) : dash}</td>
                  <td>{g.stoppedOn ? formatDate(g.stoppedOn) : dash}</td>
                  <td className="wrap">{g.reason ?? dash}</td>
                  <td>{formatDateTime(g.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
