// 待遇发放 (/workbench/payments, officer and admin: entitlements.pay). Compute a district's batch
// for a month (the districts in the officer's scope; this month by default), the batches with
// their status and totals (当月, 补发, 追回, 净额), and the batch shown (?batch=id) with its lines
// and the next step for its status.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useDistricts } from '../assessments/names.ts';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { CASH_SCHEMES, paymentApi, thisMonth, yuan, type Batch, type CashScheme } from './api.ts';
import { BatchView } from './BatchView.tsx';
import { usePayText, type PayKey } from './text.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useItemsLoad, type ItemsLoad } from '../../components/useItemsLoad.ts';

/** The roles the server grants entitlements.pay (src/platform/permissions.ts). */
const PAYERS = ['officer', 'admin'];
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

type List = ItemsLoad<Batch>;

export function PaymentsPage() {
  const user = useUser();
  if (!PAYERS.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <PaymentsBody />;
}

function PaymentsBody() {
  const x = usePayText();
  usePageTitle(x('pay.title'));
  const [sp, setSp] = useSearchParams();
  const shown = sp.get('batch');
  const [attempt, setAttempt] = useState(0);
  const batchHeading = useRef<HTMLHeadingElement>(null);
  const focusBatch = useRef(false);
  const [notice, setNotice] = useState<string | null>(null);
  /** Each computation shows its batch afresh, also when it is the batch already shown. */
  const [computed, setComputed] = useState(0);

  const [list, setList] = useItemsLoad(paymentApi.list, attempt);

  useEffect(() => {
    if (!focusBatch.current || !batchHeading.current) return;
    focusBatch.current = false;
    batchHeading.current.focus();
    batchHeading.current.scrollIntoView({ block: 'start' });
  });

  /** A batch changed (computed, approved, sent, reconciled): its row in the list follows. */
  const onChanged = useCallback((b: Batch) => {
    setList((l) => {
      if (l.status !== 'ok') return l;
      const others = l.items.filter((i) => i.id !== b.id);
      const items = l.items.some((i) => i.id === b.id) ? l.items.map((i) => (i.id === b.id ? b : i)) : [b, ...others];
      return { status: 'ok', items: [...items].sort((a, c) => c.month.localeCompare(a.month)) };
    });
  }, []);

  const onComputed = (b: Batch, message: string) => {
    onChanged(b);
    setNotice(message);
    setComputed((n) => n + 1);
    focusBatch.current = true;
    setSp({ batch: b.id });
  };

  return (
    <>
      <h1>{x('pay.title')}</h1>
      <p>{x('pay.intro')}</p>
      <ComputeForm onComputed={onComputed} />
      {shown && (
        <BatchView
          key={`${shown}.${computed}`}
          id={shown}
          headingRef={batchHeading}
          notice={notice}
          onChanged={onChanged}
          onClose={() => {
            setNotice(null);
            setSp({});
          }}
        />
      )}
      <BatchList list={list} shown={shown} onView={() => {
        setNotice(null);
        focusBatch.current = true;
      }} onRefresh={() => setAttempt((n) => n + 1)} />
    </>
  );
}

function ComputeForm({ onComputed }: { onComputed: (b: Batch, message: string) => void }) {
  const { t, lang } = usePrefs();
  const x = usePayText();
  const user = useUser();
  const districts = useDistricts(user.regionCode);
  const ids = { title: useId(), scheme: useId(), schemeHint: useId(), district: useId(), districtErr: useId(), month: useId(), monthHint: useId(), monthErr: useId() };
  const [scheme, setScheme] = useState<CashScheme>('allowance');
  const [district, setDistrict] = useState('');
  const [month, setMonth] = useState(thisMonth);
  const [errors, setErrors] = useState<{ district?: string; month?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // One district in scope (a district officer): chosen already.
  useEffect(() => {
    if (districts.length === 1 && !district) setDistrict(districts[0]!.code);
  }, [districts, district]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const next: { district?: string; month?: string } = {};
    if (!district) next.district = x('pay.form.district.missing');
    if (!MONTH_RE.test(month)) next.month = x('pay.form.month.invalid');
    setErrors(next);
    setFailure(null);
    if (next.district) return document.getElementById(ids.district)?.focus();
    if (next.month) return document.getElementById(ids.month)?.focus();
    setBusy(true);
    try {
      const b = await paymentApi.run({ scheme, districtCode: district, month });
      onComputed(b, x('pay.done.computed', { district: b.districtName, month: b.month, people: b.people, net: yuan(b.netFen, lang) }));
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={ids.title} className="card section-card">
      <h2 id={ids.title}>{x('pay.form.title')}</h2>
      <form className="pay-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
        <div className="field">
          <label htmlFor={ids.scheme}>{x('pay.form.scheme')}</label>
          <p id={ids.schemeHint} className="hint">
            {x('pay.form.scheme.hint')}
          </p>
          <select id={ids.scheme} value={scheme} onChange={(e) => setScheme(e.target.value as CashScheme)} aria-describedby={ids.schemeHint}>
            {CASH_SCHEMES.map((s) => (
              <option key={s} value={s}>
                {x(`pay.scheme.${s}` as PayKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.district}>{x('pay.form.district')}</label>
          {errors.district && (
            <p id={ids.districtErr} className="field-error">
              {errors.district}
            </p>
          )}
          <select
            id={ids.district}
            value={district}
            onChange={(e) => setDistrict(e.target.value)}
            aria-invalid={errors.district ? true : undefined}
            aria-describedby={errors.district ? ids.districtErr : undefined}
          >
            <option value="">{x('pay.form.district.choose')}</option>
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.month}>{x('pay.form.month')}</label>
          <p id={ids.monthHint} className="hint">
            {x('pay.form.month.hint')}
          </p>
          {errors.month && (
            <p id={ids.monthErr} className="field-error">
              {errors.month}
            </p>
          )}
          <input
            id={ids.month}
            className="input-short"
            inputMode="numeric"
            autoComplete="off"
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            aria-invalid={errors.month ? true : undefined}
            aria-describedby={errors.month ? `${ids.monthHint} ${ids.monthErr}` : ids.monthHint}
          />
        </div>
        <div className="pay-form-submit">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? x('pay.form.busy') : x('pay.form.submit')}
          </button>
        </div>
      </form>
      {failure && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{x('pay.form.failed')}</p>
          <p>{failure}</p>
        </div>
      )}
    </section>
  );
}

function BatchList({ list, shown, onView, onRefresh }: { list: List; shown: string | null; onView: () => void; onRefresh: () => void }) {
  const { lang } = usePrefs();
  const x = usePayText();
  const titleId = useId();
  const num = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN');
  return (
    <section aria-labelledby={titleId} className="card section-card">
      <h2 id={titleId}>{x('pay.list.title')}</h2>
      <LoadStatus load={list} loadingText={x('pay.list.loading')} failedTitle={x('pay.list.failed')} onRetry={onRefresh} />
      {list.status === 'ok' && list.items.length === 0 && <p className="empty">{x('pay.list.empty')}</p>}
      {list.status === 'ok' && list.items.length > 0 && (
        <>
          <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
            <table className="data-table" data-testid="pay-batches">
              <caption className="visually-hidden">{x('pay.list.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{x('pay.list.month')}</th>
                  <th scope="col">{x('pay.list.district')}</th>
                  <th scope="col">{x('pay.list.scheme')}</th>
                  <th scope="col">{x('pay.list.status')}</th>
                  <th scope="col" className="num">
                    {x('pay.list.people')}
                  </th>
                  <th scope="col" className="num">
                    {x('pay.col.regular')}
                  </th>
                  <th scope="col" className="num">
                    {x('pay.col.arrears')}
                  </th>
                  <th scope="col" className="num">
                    {x('pay.col.recovery')}
                  </th>
                  <th scope="col" className="num">
                    {x('pay.col.net')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((b) => (
                  <tr key={b.id} data-id={b.id}>
                    <th scope="row">
                      <span className="pay-month">{b.month}</span>
                      {shown === b.id ? (
                        <span className="tag tag-muted">{x('pay.list.viewing')}</span>
                      ) : (
                        <Link to={`?batch=${encodeURIComponent(b.id)}`} onClick={onView} aria-label={x('pay.list.viewOne', { district: b.districtName, month: b.month })}>
                          {x('pay.list.view')}
                        </Link>
                      )}
                    </th>
                    <td>{b.districtName}</td>
                    <td>{b.schemeName}</td>
                    <td data-status={b.status}>{b.statusName}</td>
                    <td className="num">{num.format(b.people)}</td>
                    <td className="num">{yuan(b.regularFen, lang)}</td>
                    <td className="num">{yuan(b.arrearsFen, lang)}</td>
                    <td className="num">{yuan(b.recoveryFen, lang)}</td>
                    <td className="num">{yuan(b.netFen, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="load-more">
            <button type="button" className="button button-secondary" onClick={onRefresh}>
              {x('pay.list.refresh')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
