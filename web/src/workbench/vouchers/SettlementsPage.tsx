// 电子券结算 (/workbench/voucher-settlements, officers and admins): for a month (this month by
// default), each service provider's redemptions in the officer's area — how many, for how many
// people, how much — and the grand total, as GET /api/v1/vouchers/settlements gives them.
import { useId } from 'react';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { monthName, voucherApi, yuan } from './api.ts';
import { MonthSelect } from './MonthSelect.tsx';
import { useVchText } from './text.ts';
import { useMonthLoad } from './useMonthLoad.ts';

export function SettlementsPage() {
  const { lang } = usePrefs();
  const x = useVchText();
  usePageTitle(x('vch.settle.title'));
  const titleId = useId();
  const { month, setMonth, load } = useMonthLoad(voucherApi.settlements);

  const name = monthName(month, lang);
  const count = load.status === 'ok' ? load.data.providers.reduce((n, p) => n + p.redemptions, 0) : 0;
  const num = (n: number) => n.toLocaleString(lang === 'en' ? 'en' : 'zh-CN');
  return (
    <div className="vch-page">
      <h1>{x('vch.settle.title')}</h1>
      <p className="lead">{x('vch.settle.intro')}</p>
      <MonthSelect label={x('vch.st.month')} value={month} onChange={setMonth} />
      <div role="status" className="status-slot">
        {load.status === 'loading' && <p className="loading">{x('vch.settle.loading')}</p>}
        {load.status === 'ok' && <p className="visually-hidden">{x('vch.settle.shown', { month: name })}</p>}
      </div>
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {x('vch.settle.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && (
        <section aria-labelledby={titleId} className="card section-card" data-testid="vch-settlement">
          <h2 id={titleId}>{x('vch.settle.caption', { month: name })}</h2>
          <dl className="stats vch-figures">
            <div className="stat">
              <dt>{x('vch.settle.total')}</dt>
              <dd data-testid="vch-settle-total">{yuan(load.data.totalFen, lang)}</dd>
            </div>
            <div className="stat">
              <dt>{x('vch.settle.count')}</dt>
              <dd>{num(count)}</dd>
            </div>
            <div className="stat">
              <dt>{x('vch.settle.providers')}</dt>
              <dd>{num(load.data.providers.length)}</dd>
            </div>
          </dl>
          {load.data.providers.length === 0 ? (
            <p className="empty">{x('vch.settle.empty', { month: name })}</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
              <table className="data-table">
                <caption className="visually-hidden">{x('vch.settle.caption', { month: name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{x('vch.settle.provider')}</th>
                    <th scope="col" className="num">
                      {x('vch.settle.redemptions')}
                    </th>
                    <th scope="col" className="num">
                      {x('vch.settle.people')}
                    </th>
                    <th scope="col" className="num">
                      {x('vch.settle.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {load.data.providers.map((p) => (
                    <tr key={p.providerId} data-provider={p.providerName}>
                      <th scope="row">{p.providerName}</th>
                      <td className="num">{num(p.redemptions)}</td>
                      <td className="num">{num(p.people)}</td>
                      <td className="num">{yuan(p.totalFen, lang)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{x('vch.settle.sum')}</th>
                    <td className="num">{num(count)}</td>
                    <td className="num">—</td>
                    <td className="num">{yuan(load.data.totalFen, lang)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
