// 政策找人 (/workbench/outreach, officer and admin: entitlements.outreach). Choose a scheme: how many
// people in scope qualify but neither receive it nor have applied, per street (choose one to narrow
// the list), and the people with why they qualify and who is asked to visit. Selected people can be
// granted 免申即享 (only where the scheme's noApplicationGrant parameter allows it; confirmed in a
// dialog; the server re-checks each and lists the rest with the reason) or an advisor asked to
// visit. ?scheme=…&street=… keep the choice in the address, so Back and reload return to it.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { CLAIM_SCHEMES, isClaimScheme, outreachApi, type Advisor, type ClaimScheme, type Skipped, type Unclaimed, type UnclaimedPerson } from './api.ts';
import { GrantDialog } from './GrantDialog.tsx';
import { useOutText, type OutKey } from './text.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';

/** The roles the server grants entitlements.outreach (src/platform/permissions.ts). */
const OUTREACH_ROLES = ['officer', 'admin'];
const PAGE = 50;

type Overview = Pick<Unclaimed, 'scheme' | 'schemeName' | 'noApplicationGrant' | 'total' | 'byStreet'>;
type Load<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: T };
type ListData = { items: UnclaimedPerson[]; total: number; nextCursor: string | null };

/** What the last action did, shown (and focused) above the list. */
type Outcome =
  | { kind: 'granted'; granted: number; from: string; skipped: Skipped[] }
  | { kind: 'assigned'; advisor: string; assigned: number; already: number; skipped: Skipped[] }
  | { kind: 'failed'; message: string };

export const schemeKey = (s: ClaimScheme): OutKey => `out.scheme.${s}`;

export function OutreachPage() {
  const user = useUser();
  if (!OUTREACH_ROLES.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <OutreachBody />;
}

function OutreachBody() {
  const { t, lang } = usePrefs();
  const x = useOutText();
  usePageTitle(x('out.title'));
  const [sp, setSp] = useSearchParams();
  const rawScheme = sp.get('scheme');
  const scheme: ClaimScheme = isClaimScheme(rawScheme) ? rawScheme : 'allowance';
  const street = sp.get('street') ?? '';
  // The selects show a choice at once (arrow keys move on from it), while the address follows.
  const [picked, setPicked] = useState({ scheme, street });
  useEffect(() => setPicked({ scheme, street }), [scheme, street]);
  const num = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN');
  const ids = { filter: useId(), scheme: useId(), street: useId(), streets: useId(), list: useId(), act: useId(), advisor: useId(), advisorErr: useId(), actErr: useId() };

  const [overview, setOverview] = useState<Load<Overview>>({ status: 'loading' });
  const [list, setList] = useState<Load<ListData>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [more, setMore] = useState(false);
  const [selected, setSelected] = useState<Map<string, string>>(new Map());
  const [advisors, setAdvisors] = useState<Advisor[] | null>(null);
  const [advisorId, setAdvisorId] = useState('');
  const [problem, setProblem] = useState<{ field: 'people' | 'advisor'; message: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const grantButton = useRef<HTMLButtonElement>(null);
  const focusOutcome = useRef(false);
  const listHeading = useRef<HTMLHeadingElement>(null);
  /** After a street or scheme is chosen, focus goes to the list it narrowed. */
  const focusList = useRef(false);
  /** Names of everyone seen, so skipped people read by name. */
  const names = useRef(new Map<string, string>());

  const overviewScheme = overview.status === 'ok' ? overview.data.scheme : null;

  useEffect(() => {
    const ctl = new AbortController();
    setList({ status: 'loading' });
    const fail = (e: unknown) => {
      if (isAbort(e) || ctl.signal.aborted) return;
      setList({ status: 'error', message: errorText(e, t) });
    };
    outreachApi
      .unclaimed({ scheme, region: street || undefined, limit: PAGE }, ctl.signal)
      .then((r) => {
        for (const p of r.items) names.current.set(p.personId, p.name);
        setList({ status: 'ok', data: { items: r.items, total: r.total, nextCursor: r.nextCursor } });
        if (!street) setOverview({ status: 'ok', data: r });
      })
      .catch(fail);
    // The per-street table always counts the whole scope, also while one street is shown.
    if (street) {
      if (overviewScheme !== scheme) setOverview({ status: 'loading' });
      outreachApi
        .unclaimed({ scheme, limit: 1 }, ctl.signal)
        .then((r) => setOverview({ status: 'ok', data: r }))
        .catch((e: unknown) => {
          if (isAbort(e) || ctl.signal.aborted) return;
          setOverview({ status: 'error', message: errorText(e, t) });
        });
    } else if (!street) {
      setOverview((o) => (o.status === 'ok' && o.data.scheme === scheme ? o : { status: 'loading' }));
    }
    return () => ctl.abort();
    // t changes with the language only
  }, [scheme, street, attempt]);

  useEffect(() => {
    const ctl = new AbortController();
    outreachApi
      .advisors(ctl.signal)
      .then((r) => setAdvisors(r.items))
      .catch(() => {
        if (!ctl.signal.aborted) setAdvisors([]);
      });
    return () => ctl.abort();
  }, []);

  useEffect(() => {
    if (focusOutcome.current && outcomeRef.current) {
      focusOutcome.current = false;
      outcomeRef.current.focus();
    } else if (focusList.current && list.status !== 'loading' && listHeading.current) {
      focusList.current = false;
      listHeading.current.focus();
    }
  });

  const choose = (next: { scheme?: ClaimScheme; street?: string }) => {
    const s = next.scheme ?? picked.scheme;
    const st = next.street ?? (next.scheme && next.scheme !== picked.scheme ? '' : picked.street);
    setPicked({ scheme: s, street: st });
    const params: Record<string, string> = { scheme: s };
    if (st) params.street = st;
    setSelected(new Map());
    setProblem(null);
    setSp(params);
  };

  const loadMore = () => {
    if (list.status !== 'ok' || !list.data.nextCursor || more) return;
    setMore(true);
    outreachApi
      .unclaimed({ scheme, region: street || undefined, limit: PAGE, cursor: list.data.nextCursor })
      .then((r) => {
        for (const p of r.items) names.current.set(p.personId, p.name);
        setList((l) => (l.status === 'ok' ? { status: 'ok', data: { items: [...l.data.items, ...r.items.filter((p) => !l.data.items.some((q) => q.personId === p.personId))], total: r.total, nextCursor: r.nextCursor } } : l));
      })
      .catch((e: unknown) => setOutcome({ kind: 'failed', message: errorText(e, t) }))
      .finally(() => setMore(false));
  };

  const items = list.status === 'ok' ? list.data.items : [];
  const allOnPage = items.length > 0 && items.every((p) => selected.has(p.personId));
  const toggle = (p: UnclaimedPerson, on: boolean) =>
    setSelected((s) => {
      const n = new Map(s);
      if (on) n.set(p.personId, p.name);
      else n.delete(p.personId);
      return n;
    });
  const togglePage = (on: boolean) =>
    setSelected((s) => {
      const n = new Map(s);
      for (const p of items) {
        if (on) n.set(p.personId, p.name);
        else n.delete(p.personId);
      }
      return n;
    });

  const finish = (o: Outcome) => {
    setOutcome(o);
    focusOutcome.current = true;
    if (o.kind !== 'failed') {
      setSelected(new Map());
      setAttempt((n) => n + 1);
    }
  };

  const needPeople = (): boolean => {
    if (selected.size > 0) return true;
    setProblem({ field: 'people', message: x('out.act.none') });
    return false;
  };

  const onGrant = () => {
    setProblem(null);
    if (needPeople()) setConfirming(true);
  };

  const grant = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const r = await outreachApi.bulkGrant(scheme, [...selected.keys()]);
      setConfirming(false);
      finish({ kind: 'granted', granted: r.granted, from: r.grantedFrom, skipped: r.skipped });
    } catch (e) {
      setConfirming(false);
      finish({ kind: 'failed', message: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const assign = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setProblem(null);
    if (!needPeople()) return;
    if (!advisorId) {
      setProblem({ field: 'advisor', message: x('out.act.advisor.missing') });
      document.getElementById(ids.advisor)?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await outreachApi.assign(scheme, [...selected.keys()], advisorId);
      const advisor = advisors?.find((a) => a.id === advisorId)?.displayName ?? '';
      finish({ kind: 'assigned', advisor, assigned: r.assigned, already: r.alreadyAssigned, skipped: r.skipped });
    } catch (err) {
      finish({ kind: 'failed', message: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const ov = overview.status === 'ok' && overview.data.scheme === scheme ? overview.data : null;
  const streetName = ov?.byStreet.find((s) => s.streetCode === street)?.streetName ?? street;
  const schemeName = x(schemeKey(scheme));
  const skippedList = (skipped: Skipped[], title: OutKey) =>
    skipped.length > 0 && (
      <>
        <p>{x(title, { n: num.format(skipped.length) })}</p>
        <ul className="out-skipped" data-testid="out-skipped">
          {skipped.map((s) => (
            <li key={s.personId}>{x('out.skippedOne', { name: names.current.get(s.personId) ?? s.personId, reason: s.reason })}</li>
          ))}
        </ul>
      </>
    );

  return (
    <>
      <h1>{x('out.title')}</h1>
      <p>{x('out.intro')}</p>

      <section aria-labelledby={ids.filter} className="card section-card">
        <h2 id={ids.filter}>{x('out.filter.title')}</h2>
        <div className="out-filters">
          <div className="field">
            <label htmlFor={ids.scheme}>{x('out.scheme')}</label>
            <select id={ids.scheme} value={picked.scheme} onChange={(e) => choose({ scheme: e.target.value as ClaimScheme })}>
              {CLAIM_SCHEMES.map((s) => (
                <option key={s} value={s}>
                  {x(schemeKey(s))}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.street}>{x('out.street')}</label>
            <select id={ids.street} value={picked.street} onChange={(e) => choose({ street: e.target.value })}>
              <option value="">{x('out.street.all')}</option>
              {(ov?.byStreet ?? []).map((s) => (
                <option key={s.streetCode} value={s.streetCode}>
                  {x('out.street.option', { name: s.streetName, n: num.format(s.count) })}
                </option>
              ))}
              {picked.street && !ov?.byStreet.some((s) => s.streetCode === picked.street) && <option value={picked.street}>{picked.street}</option>}
            </select>
          </div>
        </div>
        <div role="status" className="out-summary" data-testid="out-summary">
          {overview.status === 'loading' && <p className="loading">{x('out.loading')}</p>}
          {ov && (
            <>
              <p className="out-total">{x('out.summary', { scheme: schemeName, n: num.format(ov.total) })}</p>
              <p>{x(ov.noApplicationGrant ? 'out.noAppGrant.yes' : 'out.noAppGrant.no')}</p>
            </>
          )}
        </div>
        {overview.status === 'error' && (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{x('out.failed')}</p>
            <p>{overview.message}</p>
          </div>
        )}
      </section>

      {ov && (
        <section aria-labelledby={ids.streets} className="card section-card">
          <h2 id={ids.streets}>{x('out.streets.title')}</h2>
          {ov.byStreet.length === 0 ? (
            <p className="empty">{x('out.streets.empty')}</p>
          ) : (
            <div className="table-scroll out-streets" role="region" aria-labelledby={ids.streets} tabIndex={0}>
              <table className="data-table" data-testid="out-streets">
                <caption className="visually-hidden">{x('out.streets.caption', { scheme: schemeName })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{x('out.streets.name')}</th>
                    <th scope="col" className="num">
                      {x('out.streets.count')}
                    </th>
                    <th scope="col">{x('out.streets.show')}</th>
                  </tr>
                </thead>
                <tbody>
                  {ov.byStreet.map((s) => (
                    <tr key={s.streetCode} data-street={s.streetCode}>
                      <th scope="row">{s.streetName}</th>
                      <td className="num">{num.format(s.count)}</td>
                      <td>
                        {street === s.streetCode ? (
                          <span className="tag tag-muted">{x('out.streets.showing')}</span>
                        ) : (
                          <Link
                            to={`?scheme=${scheme}&street=${encodeURIComponent(s.streetCode)}`}
                            aria-label={x('out.streets.showOne', { name: s.streetName })}
                            onClick={() => {
                              setSelected(new Map());
                              focusList.current = true;
                            }}
                          >
                            {x('out.streets.show')}
                          </Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}

      {list.status === 'ok' && list.data.items.length > 0 && (
        <section aria-labelledby={ids.act} className="card section-card out-actions">
          <h2 id={ids.act}>{x('out.act.title')}</h2>
          <div className="button-row">
            <p role="status" className="out-selected" data-testid="out-selected">
              {x('out.act.selected', { n: num.format(selected.size) })}
            </p>
            <button type="button" className="button button-secondary" onClick={() => setSelected(new Map())}>
              {x('out.act.clear')}
            </button>
          </div>
          {problem?.field === 'people' && (
            <p id={ids.actErr} className="field-error" role="alert">
              {problem.message}
            </p>
          )}
          {ov?.noApplicationGrant && (
            <div className="out-grant">
              <p className="hint">{x('out.act.grant.hint')}</p>
              <button type="button" ref={grantButton} className="button button-primary" aria-haspopup="dialog" onClick={onGrant}>
                {x('out.act.grant')}
              </button>
            </div>
          )}
          <form className="out-assign" onSubmit={(e) => void assign(e)} noValidate aria-busy={busy || undefined}>
            <div className="field">
              <label htmlFor={ids.advisor}>{x('out.act.advisor')}</label>
              {advisors !== null && advisors.length === 0 && <p className="hint">{x('out.act.advisor.none')}</p>}
              {problem?.field === 'advisor' && (
                <p id={ids.advisorErr} className="field-error">
                  {problem.message}
                </p>
              )}
              <select
                id={ids.advisor}
                value={advisorId}
                onChange={(e) => setAdvisorId(e.target.value)}
                aria-invalid={problem?.field === 'advisor' || undefined}
                aria-describedby={problem?.field === 'advisor' ? ids.advisorErr : undefined}
              >
                <option value="">{x('out.act.advisor.choose')}</option>
                {(advisors ?? []).map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.displayName}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button-secondary" aria-disabled={busy || undefined}>
              {busy && !confirming ? x('out.act.busy') : x('out.act.assign')}
            </button>
          </form>
        </section>
      )}

      {outcome && (
        <div
          ref={outcomeRef}
          tabIndex={-1}
          role={outcome.kind === 'failed' ? 'alert' : 'status'}
          className={outcome.kind === 'failed' ? 'notice notice-error out-outcome' : 'notice out-outcome'}
          data-testid="out-outcome"
        >
          {outcome.kind === 'failed' && (
            <>
              <p className="notice-title">{x('out.act.failed')}</p>
              <p>{outcome.message}</p>
            </>
          )}
          {outcome.kind === 'granted' && (
            <>
              <p className="notice-title">{x('out.granted', { n: num.format(outcome.granted), scheme: schemeName, from: outcome.from })}</p>
              {skippedList(outcome.skipped, 'out.skipped')}
            </>
          )}
          {outcome.kind === 'assigned' && (
            <>
              <p className="notice-title">{x('out.assigned', { advisor: outcome.advisor, n: num.format(outcome.assigned) })}</p>
              {outcome.already > 0 && <p>{x('out.alreadyAssigned', { n: num.format(outcome.already) })}</p>}
              {skippedList(outcome.skipped, 'out.notAssigned')}
            </>
          )}
        </div>
      )}

      <section aria-labelledby={ids.list} className="card section-card">
        <h2 id={ids.list} ref={listHeading} tabIndex={-1}>
          {street ? x('out.list.titleStreet', { street: streetName }) : x('out.list.title')}
        </h2>
        <LoadStatus load={list} loadingText={x('out.loading')} failedTitle={x('out.failed')} onRetry={() => setAttempt((n) => n + 1)} />
        {list.status === 'ok' && list.data.items.length === 0 && <p className="empty">{x('out.list.empty')}</p>}
        {list.status === 'ok' && list.data.items.length > 0 && (
          <>
            <p className="count">{x('out.list.count', { total: num.format(list.data.total), shown: num.format(items.length) })}</p>
            <div className="table-scroll" role="region" aria-labelledby={ids.list} tabIndex={0}>
              <table className="data-table out-people" data-testid="out-people">
                <caption className="visually-hidden">{x('out.list.caption', { scheme: schemeName })}</caption>
                <thead>
                  <tr>
                    <th scope="col">
                      <label className="sim-pick">
                        <input type="checkbox" checked={allOnPage} onChange={(e) => togglePage(e.target.checked)} />
                        <span className="visually-hidden">{x('out.list.selectPage')}</span>
                      </label>
                    </th>
                    <th scope="col">{x('out.list.name')}</th>
                    <th scope="col" className="num">
                      {x('out.list.age')}
                    </th>
                    <th scope="col">{x('out.list.place')}</th>
                    <th scope="col">{x('out.list.reason')}</th>
                    <th scope="col">{x('out.list.visit')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((p) => (
                    <tr key={p.personId} data-id={p.personId}>
                      <td>
                        <label className="sim-pick">
                          <input type="checkbox" checked={selected.has(p.personId)} onChange={(e) => toggle(p, e.target.checked)} />
                          <span className="visually-hidden">{x('out.list.selectOne', { name: p.name })}</span>
                        </label>
                      </td>
                      <th scope="row">
                        <Link to={`/workbench/people/${encodeURIComponent(p.personId)}`}>{p.name}</Link>
                      </th>
                      <td className="num">{p.age === null ? '—' : x('out.list.ageYears', { n: p.age })}</td>
                      <td className="wrap">{p.regionName}</td>
                      <td className="wrap">{p.reason}</td>
                      <td>{p.outreach ? (p.outreach.advisorName ? x('out.list.visitBy', { name: p.outreach.advisorName }) : x('out.list.visitSomeone')) : <span className="muted">{x('out.list.noVisit')}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {list.data.nextCursor && (
              <p className="load-more">
                <button type="button" className="button button-secondary" onClick={loadMore} aria-disabled={more || undefined}>
                  {more ? x('out.list.moreLoading') : x('out.list.more', { n: num.format(Math.min(PAGE, list.data.total - items.length)) })}
                </button>
              </p>
            )}
          </>
        )}
      </section>

      {confirming && (
        <GrantDialog
          count={selected.size}
          schemeName={schemeName}
          busy={busy}
          onConfirm={() => void grant()}
          onDismiss={() => {
            setConfirming(false);
            requestAnimationFrame(() => grantButton.current?.focus());
          }}
        />
      )}
    </>
  );
}
