// 评估任务: the assessor's own tasks, or every application in the officer's scope; a state filter
// in the URL; expected dates and an overdue flag (in words, not colour alone).
import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText, formatDate, formatDateTime, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { mayReadPeople, useAgencyNames, usePersonNames } from './names.ts';
import {
  assessmentApi,
  ASSESSMENT_STATES,
  agencyOf,
  assessorsOf,
  expectedResultOf,
  expectedVisitOf,
  isOverdue,
  personNameOf,
  todayLocal,
  type Application,
} from './api.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: Application[]; nextCursor: string | null };

export function AssessmentsPage() {
  const { t, td, lang } = usePrefs();
  const user = useUser();
  usePageTitle(t('asmt.list.title'));
  const [sp, setSp] = useSearchParams();
  const state = sp.get('state') ?? '';
  const isAssessorRole = user.role === 'assessor';
  const scope = sp.get('scope') ?? (isAssessorRole ? 'mine' : 'all');
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const stateId = useId();

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    assessmentApi
      .list({ state }, ctl.signal)
      .then((r) => setLoad({ status: 'ok', items: r.items ?? [], nextCursor: r.nextCursor ?? null }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
  }, [state, attempt]);

  const [loadingMore, setLoadingMore] = useState(false);
  /** The next page (keyset cursor), appended to the list. */
  const loadMore = () => {
    if (load.status !== 'ok' || !load.nextCursor) return;
    setLoadingMore(true);
    assessmentApi
      .list({ state, cursor: load.nextCursor })
      .then((r) => setLoad({ status: 'ok', items: [...load.items, ...(r.items ?? [])], nextCursor: r.nextCursor ?? null }))
      .catch((e: unknown) => setLoad({ status: 'error', message: errorText(e, t) }))
      .finally(() => setLoadingMore(false));
  };

  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(sp);
    if (v) next.set(k, v);
    else next.delete(k);
    setSp(next, { replace: true });
  };

  const today = todayLocal();
  const agencyNames = useAgencyNames(true);
  const names = usePersonNames(load.status === 'ok' ? load.items.map((a) => a.personId) : [], mayReadPeople(user.role));
  const items =
    load.status === 'ok'
      ? load.items.filter(
          (a) =>
            scope !== 'mine' ||
            assessorsOf(a).some((r) => r.id === user.id || r.id === user.username || r.username === user.username),
        )
      : [];

  return (
    <>
      <h1>{t('asmt.list.title')}</h1>
      <form className="card filters" aria-label={t('asmt.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={stateId}>{t('asmt.field.state')}</label>
            <select id={stateId} value={state} onChange={(e) => setParam('state', e.target.value)}>
              <option value="">{t('common.all')}</option>
              {ASSESSMENT_STATES.map((s) => (
                <option key={s} value={s}>
                  {td(`asmt.state.${s}`, s)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{t('asmt.list.scope')}</legend>
            <div className="button-row">
              {(['mine', 'all'] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  className="toggle"
                  aria-pressed={scope === s}
                  onClick={() => setParam('scope', s)}
                >
                  <span className="toggle-box" aria-hidden="true" />
                  {t(s === 'mine' ? 'asmt.list.mine' : 'asmt.list.all')}
                </button>
              ))}
            </div>
          </fieldset>
        </div>
      </form>

      <section aria-labelledby="asmt-results" className="results">
        <h2 id="asmt-results">{t('asmt.list.results')}</h2>
        <LoadStatus load={load} onRetry={() => setAttempt((n) => n + 1)} />
        {load.status === 'ok' && (
          <p role="status" className="count">
            {t('asmt.list.count', { n: items.length })}
          </p>
        )}
        {load.status === 'ok' && items.length === 0 && <p className="empty">{t('asmt.list.empty')}</p>}
        {load.status === 'ok' && items.length > 0 && (
          <div className="table-scroll" role="region" aria-labelledby="asmt-results" tabIndex={0}>
            <table className="data-table" data-testid="assessment-table">
              <thead>
                <tr>
                  <th scope="col">{t('asmt.field.person')}</th>
                  <th scope="col">{t('asmt.field.state')}</th>
                  <th scope="col">{t('asmt.field.reason')}</th>
                  <th scope="col">{t('asmt.field.agency')}</th>
                  <th scope="col">{t('asmt.field.expectedVisit')}</th>
                  <th scope="col">{t('asmt.field.expectedResult')}</th>
                  <th scope="col">{t('asmt.field.createdAt')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => {
                  const overdue = isOverdue(a, today);
                  return (
                    <tr key={a.id}>
                      <th scope="row">
                        <Link to={`/workbench/assessments/${encodeURIComponent(a.id)}`}>{personNameOf(a, names)}</Link>
                      </th>
                      <td>
                        {td(`asmt.state.${a.state}`, a.state)}
                        {overdue && (
                          <>
                            {' '}
                            <span className="tag tag-alert">⚠ {t('asmt.overdue')}</span>
                          </>
                        )}
                      </td>
                      <td>{a.reason ? td(`asmt.reason.${a.reason}`, a.reason) : ''}</td>
                      <td>{agencyOf(a, agencyNames)?.name ?? ''}</td>
                      <td>{formatDate(expectedVisitOf(a)?.slice(0, 10))}</td>
                      <td>{formatDate(expectedResultOf(a)?.slice(0, 10))}</td>
                      <td>{formatDateTime(a.createdAt, lang)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {load.status === 'ok' && load.nextCursor && (
          <p>
            <button type="button" className="button button-secondary" onClick={loadMore} disabled={loadingMore}>
              {loadingMore ? t('people.loadingMore') : t('people.loadMore')}
            </button>
          </p>
        )}
      </section>
    </>
  );
}
