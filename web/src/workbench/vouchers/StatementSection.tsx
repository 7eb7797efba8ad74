// 本月核销明细: the provider's own redemptions of a month (this month by default) with the count
// and total, as GET /api/v1/vouchers/statement gives them; a month picker for earlier months.
import { useId } from 'react';
import { usePrefs } from '../../prefs.tsx';
import { monthName, shanghaiDateTime, thisMonth, voucherApi, yuan } from './api.ts';
import { MonthSelect } from './MonthSelect.tsx';
import { useVchText } from './text.ts';
import { useMonthLoad } from './useMonthLoad.ts';

/** `version` changes after each redemption, so the table follows. */
export function StatementSection({ version }: { version: number }) {
  const { lang } = usePrefs();
  const x = useVchText();
  const titleId = useId();
  const { month, setMonth, load } = useMonthLoad(voucherApi.statement, version);

  const name = monthName(month, lang);
  return (
    <section aria-labelledby={titleId} className="card section-card" data-testid="vch-statement">
      <h2 id={titleId}>{month === thisMonth() ? x('vch.st.title.this') : x('vch.st.title.month', { month: name })}</h2>
      <MonthSelect label={x('vch.st.month')} value={month} onChange={setMonth} />
      <div role="status" className="status-slot">
        {load.status === 'loading' && <p className="loading">{x('vch.st.loading')}</p>}
        {load.status === 'ok' && (
          <p className="vch-total" data-testid="vch-statement-total">
            {load.data.count === 0
              ? x('vch.st.empty', { month: name })
              : x('vch.st.summary', { month: name, count: load.data.count, total: yuan(load.data.totalFen, lang) })}
          </p>
        )}
      </div>
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {x('vch.st.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && load.data.entries.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
          <table className="data-table">
            <caption className="visually-hidden">{x('vch.st.caption', { month: name })}</caption>
            <thead>
              <tr>
                <th scope="col">{x('vch.st.at')}</th>
                <th scope="col">{x('vch.st.service')}</th>
                <th scope="col" className="num">
                  {x('vch.st.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {load.data.entries.map((e) => (
                <tr key={e.id}>
                  <td>{shanghaiDateTime(e.at)}</td>
                  <td className="wrap">{e.service ?? e.kindName}</td>
                  <td className="num">{yuan(Math.abs(e.amountFen), lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
