// 待遇核定 on the person page (advisor, officer, auditor, admin: permission entitlements.read):
// every scheme as of a date (today by default) from the register and the care grade, with the
// same result cards and cited basis as the public self-check. Each load is read-audited.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { entitlementsApi, type EntitlementsResult, type Role } from '../api.ts';
import { EntitlementResults, todayLocalDate } from '../components/EntitlementResult.tsx';
import { errorText, isAbort } from '../format.ts';
import { usePrefs } from '../prefs.tsx';
import { useUser } from './auth.tsx';

/** The roles the server grants entitlements.read (src/platform/permissions.ts). */
const READERS: readonly Role[] = ['advisor', 'officer', 'auditor', 'admin'];

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ok'; result: EntitlementsResult };

export function EntitlementsCard({ personId }: { personId: string }) {
  const user = useUser();
  if (!READERS.includes(user.role)) return null;
  return <EntitlementsCardBody personId={personId} />;
}

function EntitlementsCardBody({ personId }: { personId: string }) {
  const { t } = usePrefs();
  const ids = { title: useId(), date: useId(), hint: useId(), error: useId() };
  const [draft, setDraft] = useState(todayLocalDate);
  const [asOf, setAsOf] = useState(draft);
  const [dateError, setDateError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    entitlementsApi
      .forPerson(personId, asOf, ctl.signal)
      .then((result) => setLoad({ status: 'ok', result }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [personId, asOf, attempt]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(draft)) {
      setDateError(t('ent.card.badDate'));
      return;
    }
    setDateError(null);
    if (draft === asOf) setAttempt((n) => n + 1);
    else setAsOf(draft);
  };

  return (
    <section aria-labelledby={ids.title} className="card section-card ent-section">
      <h2 id={ids.title}>{t('ent.card.title')}</h2>
      <p className="muted">{t('ent.card.intro')}</p>
      <form className="ent-asof" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor={ids.date}>{t('ent.card.asOf')}</label>
          <p id={ids.hint} className="hint">
            {t('ent.card.asOfHint')}
          </p>
          {dateError && (
            <p id={ids.error} className="field-error">
              {dateError}
            </p>
          )}
          <div className="search-row">
            <input
              id={ids.date}
              type="date"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              aria-invalid={dateError ? true : undefined}
              aria-describedby={dateError ? `${ids.hint} ${ids.error}` : ids.hint}
            />
            <button type="submit" className="button button-secondary">
              {t('ent.card.submit')}
            </button>
          </div>
        </div>
      </form>
      <div aria-live="polite" className="ent-live">
        {load.status === 'loading' && <p className="loading">{t('common.loading')}</p>}
        {load.status === 'ok' && (
          <p className="ent-summary">
            {t('ent.card.summary', {
              asOf: load.result.asOf,
              age: load.result.age,
              version: load.result.parameterVersion,
            })}
          </p>
        )}
      </div>
      {load.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{t('ent.card.failed')}</p>
          <p>{load.message}</p>
        </div>
      )}
      {load.status === 'ok' && <EntitlementResults result={load.result} />}
    </section>
  );
}
