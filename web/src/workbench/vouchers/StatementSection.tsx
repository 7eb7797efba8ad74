// 本月核销明细: the provider's own redemptions of a month (this month by default) with the count
// and total, as GET /api/v1/vouchers/statement gives them; a month picker for earlier months.
import { useEffect, useId, useState } from 'react';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { monthName, shanghaiDateTime, thisMonth, voucherApi, yuan, type Statement } from './api.ts';
import { MonthSelect } from './MonthSelect.tsx';
import { useVchText } from './text.ts';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; st: Statement };

/** `version` changes after each redemption, so the table follows. */
export function StatementSection({ version }: { version: number }) {
  const { t, lang } = usePrefs();
  const x = useVchText();
  const titleId = useId();
  const [month, setMonth] = useState(thisMonth);
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    voucherApi
      .statement(month, ctl.signal)
      .then((st) => setLoad({ status: 'ok', st }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [month, version]);

  const name = monthName(month, lang);
  return (
    <section aria-labelledby={titleId} className="card section-card" data-testid="vch-statement">
      <h2 id={titleId}>{month === thisMonth() ? x('vch.st.title.this') : x('vch.st.title.month', { month: name })}</h2>
      <MonthSelect label={x('vch.st.month')} value={month} onChange={setMonth} />
      <div role="status" className="status-slot">
        {load.status === 'loading' && <p className="loading">{x('vch.st.loading')}</p>}
        {load.status === 'ok' && (
          <p className="vch-total" data-testid="vch-statement-total">
            {load.st.count === 0
              ? x('vch.st.empty', { month: name })
              : x('vch.st.summary', { month: name, count: load.st.count, total: yuan(load.st.totalFen, lang) })}
          </p>
        )}
      </div>
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {x('vch.st.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && load.st.entries.length > 0 && (
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
              {load.st.entries.map((e) => (
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
