// Person detail: every field under a Chinese label, the ID number masked as the server sends
// it, contacts, consents and the versioned change history.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, ApiError, type HistoryEntry, type Person, type PersonNotice } from '../api.ts';
import { errorText, formatDate, formatDateTime, isAbort } from '../format.ts';
import { useUser } from './auth.tsx';
import { usePageTitle, usePrefs } from '../prefs.tsx';
import { ApplyForAssessment } from './assessments/ApplyForAssessment.tsx';
import { CurrentCareGrade } from './assessments/CurrentCareGrade.tsx';
import { EntitlementsCard } from './EntitlementsCard.tsx';
import { PersonGrants } from './PersonGrants.tsx';
import { PersonLinks } from './PersonLinks.tsx';
import { PersonVouchers } from './vouchers/PersonVouchers.tsx';
import { PersonWaitlist } from './waitlist/PersonWaitlist.tsx';
import { PersonCare } from './care/PersonCare.tsx';

type Load =
  | { status: 'loading' }
  | { status: 'notFound'; message: string }
  | { status: 'error'; message: string }
  | { status: 'ok'; person: Person };

type HistoryLoad = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: HistoryEntry[] };

export function PersonPage() {
  const { id = '' } = useParams();
  const { t } = usePrefs();
  const location = useLocation();
  const from = (location.state as { from?: unknown } | null)?.from;
  const backTo = typeof from === 'string' && from.startsWith('/workbench/people') ? from : '/workbench/people';

  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [history, setHistory] = useState<HistoryLoad>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  usePageTitle(load.status === 'ok' ? load.person.name : load.status === 'notFound' ? t('person.notFound.title') : t('people.title'));

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    setHistory({ status: 'loading' });
    api
      .person(id, ctl.signal)
      .then((person) => setLoad({ status: 'ok', person }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        // 404 also when the person exists outside the caller's region: say no more than that.
        if (e instanceof ApiError && e.status === 404) setLoad({ status: 'notFound', message: e.message });
        else setLoad({ status: 'error', message: errorText(e, t) });
      });
    api
      .history(id, ctl.signal)
      .then((h) => setHistory({ status: 'ok', items: h.items ?? [] }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setHistory({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only; messages already shown stay as they were
  }, [id, attempt]);

  const back = (
    <p className="back-link">
      <Link to={backTo}>
        <span aria-hidden="true">← </span>
        {t('person.back')}
      </Link>
    </p>
  );

  if (load.status === 'loading') {
    return (
      <>
        {back}
        <h1>{t('people.title')}</h1>
        <p role="status" className="loading">
          {t('common.loading')}
        </p>
      </>
    );
  }
  if (load.status === 'notFound') {
    return (
      <>
        {back}
        <h1>{t('person.notFound.title')}</h1>
        <div className="notice notice-error" role="alert">
          {load.message && <p>{load.message}</p>}
          <p>{t('person.notFound.body')}</p>
        </div>
      </>
    );
  }
  if (load.status === 'error') {
    return (
      <>
        {back}
        <h1>{t('people.title')}</h1>
        <div className="notice notice-error" role="alert">
          <p>{load.message}</p>
        </div>
        <p>
          <button type="button" className="button button-secondary" onClick={retry}>
            {t('common.retry')}
          </button>
        </p>
      </>
    );
  }
  return (
    <>
      {back}
      <PersonDetail person={load.person} />
      {!load.person.deletedAt && <PersonLinks personId={load.person.id} deceased={load.person.deceased} />}
      {!load.person.deletedAt && <EntitlementsCard personId={load.person.id} />}
      {!load.person.deletedAt && <PersonGrants personId={load.person.id} />}
      {!load.person.deletedAt && <PersonVouchers personId={load.person.id} />}
      {!load.person.deletedAt && !load.person.deceased && <PersonWaitlist personId={load.person.id} districtCode={load.person.districtCode} />}
      {!load.person.deletedAt && <PersonCare personId={load.person.id} />}
      <NotificationsSection personId={load.person.id} />
      <HistorySection history={history} />
    </>
  );
}

function PersonDetail({ person: p }: { person: Person }) {
  const { t, td, lang } = usePrefs();
  const place = (name: string | null | undefined, code: string | null | undefined) =>
    name ? name : code ?? '';
  const rows: [string, ReactNode][] = [
    [t('field.name'), p.name],
    [t('field.idNumber'), <span className="mono">{p.idNumberMasked}</span>],
    [t('field.sex'), td(`sex.${p.sex}`, p.sex)],
    [t('field.birthDate'), formatDate(p.birthDate)],
    [t('field.age'), t('age.years', { n: p.age })],
    [t('field.phone'), p.phoneMasked ? <span className="mono">{p.phoneMasked}</span> : null],
    [t('field.hukouDistrictName'), place(p.hukouDistrictName, p.hukouDistrictCode)],
    [t('field.districtName'), place(p.districtName, p.districtCode)],
    [t('field.streetName'), place(p.streetName, p.streetCode)],
    [t('field.committeeName'), place(p.committeeName, p.committeeCode)],
    [t('field.address'), p.address],
    [
      t('field.location'),
      p.lat !== null && p.lon !== null && p.lat !== undefined && p.lon !== undefined
        ? `${t('field.lat')} ${p.lat}，${t('field.lon')} ${p.lon}`
        : null,
    ],
    [t('field.livingArrangement'), td(`living.${p.livingArrangement}`, p.livingArrangement)],
    [t('field.economicStatus'), td(`economic.${p.economicStatus}`, p.economicStatus)],
    [t('field.insuranceType'), td(`insurance.${p.insuranceType}`, p.insuranceType)],
    [t('field.disability'), p.disability],
    [t('field.deceased'), p.deceased ? t('common.yes') : t('common.no')],
    [t('field.deathDate'), formatDate(p.deathDate)],
    [t('field.createdAt'), formatDateTime(p.createdAt, lang)],
    [t('field.updatedAt'), formatDateTime(p.updatedAt, lang)],
    [t('field.version'), String(p.version)],
  ];
  if (p.deletedAt) {
    rows.push([t('field.deletedAt'), formatDateTime(p.deletedAt, lang)]);
    rows.push([t('field.deletedReason'), p.deletedReason]);
  }

  return (
    <>
      <h1 className="person-title">
        {p.name}
        {p.deceased && <span className="tag tag-muted">{t('people.deceased')}</span>}
        {p.deletedAt && <span className="tag tag-muted">{t('people.deleted')}</span>}
      </h1>

      {!p.deceased && !p.deletedAt && <ApplyForAssessment personId={p.id} />}
      {!p.deceased && !p.deletedAt && <FindServicesFor personId={p.id} />}
      <CurrentCareGrade personId={p.id} />

      <section aria-labelledby="basic-title" className="card section-card">
        <h2 id="basic-title">{t('person.basic')}</h2>
        <dl className="field-list">
          {rows.map(([label, value]) => (
            <div key={label} className="field-row">
              <dt>{label}</dt>
              <dd>{value === null || value === undefined || value === '' ? <Empty /> : value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="contacts-title" className="card section-card">
        <h2 id="contacts-title">{t('person.contacts')}</h2>
        {(p.contacts ?? []).length === 0 ? (
          <p className="empty">{t('common.none')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="contacts-title" tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('person.contact.name')}</th>
                  <th scope="col">{t('person.contact.relation')}</th>
                  <th scope="col">{t('person.contact.phone')}</th>
                </tr>
              </thead>
              <tbody>
                {(p.contacts ?? []).map((c, i) => (
                  <tr key={`${c.name}-${i}`}>
                    <td>{c.name}</td>
                    <td>{c.relation}</td>
                    <td className="mono">{c.phoneMasked}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="consents-title" className="card section-card">
        <h2 id="consents-title">{t('person.consents')}</h2>
        {(p.consents ?? []).length === 0 ? (
          <p className="empty">{t('common.none')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="consents-title" tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('person.consent.kind')}</th>
                  <th scope="col">{t('person.consent.granted')}</th>
                  <th scope="col">{t('person.consent.at')}</th>
                </tr>
              </thead>
              <tbody>
                {(p.consents ?? []).map((c, i) => (
                  <tr key={`${c.kind}-${i}`}>
                    <td>{td(`consent.${c.kind}`, c.kind)}</td>
                    <td>{c.granted ? t('person.consent.grantedYes') : t('person.consent.grantedNo')}</td>
                    <td>{formatDateTime(c.at, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** What the platform has told the person (assessment results with how to appeal, …). */
function NotificationsSection({ personId }: { personId: string }) {
  const { t, lang } = usePrefs();
  const [items, setItems] = useState<PersonNotice[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    api
      .notifications(personId, ctl.signal)
      .then((r) => setItems(r.items))
      .catch((e: unknown) => {
        if (!isAbort(e)) setFailed(errorText(e, t));
      });
    return () => ctl.abort();
  }, [personId]);
  return (
    <section aria-labelledby="notices-title" className="card section-card">
      <h2 id="notices-title">{t('person.notices')}</h2>
      {failed && <p role="alert">{failed}</p>}
      {!failed && items === null && <p className="muted">{t('common.loading')}</p>}
      {items !== null && items.length === 0 && <p className="empty">{t('common.none')}</p>}
      {items !== null && items.length > 0 && (
        <ul className="notice-list">
          {items.map((n) => (
            <li key={n.id}>
              <p>
                <strong>{n.title}</strong> <span className="muted">{formatDateTime(n.createdAt, lang)}</span>
              </p>
              <p>{n.body}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Empty() {
  const { t } = usePrefs();
  return <span className="muted">{t('common.empty')}</span>;
}

function HistorySection({ history }: { history: HistoryLoad }) {
  const { t, td, lang } = usePrefs();
  return (
    <section aria-labelledby="history-title" className="card section-card">
      <h2 id="history-title">{t('person.history')}</h2>
      {history.status === 'loading' && (
        <p role="status" className="loading">
          {t('common.loading')}
        </p>
      )}
      {history.status === 'error' && (
        <p role="alert" className="notice notice-error">
          {t('person.history.loadFailed', { message: history.message })}
        </p>
      )}
      {history.status === 'ok' && history.items.length === 0 && <p className="empty">{t('person.history.empty')}</p>}
      {history.status === 'ok' && history.items.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby="history-title" tabIndex={0}>
          <table className="data-table history-table">
            <thead>
              <tr>
                <th scope="col">{t('person.history.version')}</th>
                <th scope="col">{t('person.history.at')}</th>
                <th scope="col">{t('person.history.actor')}</th>
                <th scope="col">{t('person.history.action')}</th>
                <th scope="col">{t('person.history.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {[...history.items]
                .sort((a, b) => b.version - a.version)
                .map((h) => (
                  <tr key={`${h.version}-${h.at}`}>
                    <td className="num">{h.version}</td>
                    <td>{formatDateTime(h.at, lang)}</td>
                    <td>{actorName(h.actor)}</td>
                    <td>{td(`action.${h.action}`, h.action)}</td>
                    <td>
                      {(h.changes ?? []).length === 0 ? (
                        <span className="muted">{t('person.history.noChanges')}</span>
                      ) : (
                        <ul className="change-list">
                          {(h.changes ?? []).map((c, i) => (
                            <li key={`${c.field}-${i}`}>
                              <span className="change-field">{td(`field.${c.field}`, c.field)}</span>
                              {'：'}
                              <span className="change-from">{valueText(c.field, c.from, td, t)}</span>
                              <span aria-hidden="true"> → </span>
                              <span className="visually-hidden"> {lang === 'en' ? 'to' : '改为'} </span>
                              <span className="change-to">{valueText(c.field, c.to, td, t)}</span>
                            </li>
                          ))}
                        </ul>
                      )}
                      {h.reason && <p className="history-reason muted">{t('person.history.reason', { reason: h.reason })}</p>}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The actor may come as a name, or as a small user object. */
function actorName(actor: unknown): string {
  if (typeof actor === 'string') return actor;
  if (actor && typeof actor === 'object') {
    const a = actor as { displayName?: unknown; name?: unknown; username?: unknown; id?: unknown };
    for (const v of [a.displayName, a.name, a.username, a.id]) if (typeof v === 'string' && v) return v;
  }
  return '';
}

const ENUM_FIELDS: Record<string, string> = {
  sex: 'sex',
  livingArrangement: 'living',
  economicStatus: 'economic',
  insuranceType: 'insurance',
};

function valueText(
  field: string,
  value: unknown,
  td: (key: string, fallback: string) => string,
  t: ReturnType<typeof usePrefs>['t'],
): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'string') {
    const prefix = ENUM_FIELDS[field];
    return prefix ? td(`${prefix}.${value}`, value) : value;
  }
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** An advisor searches 找服务 for this person: the search starts at their street, the own share at their grade. */
function FindServicesFor({ personId }: { personId: string }) {
  const user = useUser();
  if (user.role !== 'advisor') return null;
  return (
    <p className="person-actions">
      <Link to={`/services?for=${encodeURIComponent(personId)}`} className="button button-secondary" lang="zh-CN">
        为 ta 找服务（养老机构、日间照料、助餐）
      </Link>
    </p>
  );
}
