// 养老服务补贴电子券 on the person page (advisor, officer, auditor, admin: entitlements.read): the
// balance and the latest entries, as GET /api/v1/people/:id/vouchers gives them (read-audited).
import { useEffect, useId, useState } from 'react';
import type { Role } from '../../api.ts';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { monthName, shanghaiDate, voucherApi, yuan, type VoucherAccount, type VoucherEntry } from './api.ts';
import { useVchText } from './text.ts';

/** The roles the server lets read a person's vouchers (src/platform/permissions.ts). */
const READERS: readonly Role[] = ['advisor', 'officer', 'auditor', 'admin'];
const RECENT = 5;

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; acc: VoucherAccount };

export function PersonVouchers({ personId }: { personId: string }) {
  const user = useUser();
  if (!READERS.includes(user.role)) return null;
  return <PersonVouchersBody personId={personId} />;
}

function PersonVouchersBody({ personId }: { personId: string }) {
  const { t, lang } = usePrefs();
  const x = useVchText();
  const titleId = useId();
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    voucherApi
      .ofPerson(personId, ctl.signal)
      .then((acc) => setLoad({ status: 'ok', acc }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [personId]);

  const detail = (e: VoucherEntry) => {
    if (e.kind === 'credit') return e.forMonth ? x('vch.card.forMonth', { month: monthName(e.forMonth, lang) }) : (e.note ?? '');
    if (e.kind === 'redeem') return [e.providerName, e.service].filter(Boolean).join('：');
    return [e.forMonth ? x('vch.card.forMonth', { month: monthName(e.forMonth, lang) }) : null, e.note].filter(Boolean).join('，');
  };

  return (
    <section aria-labelledby={titleId} className="card section-card" data-testid="person-vouchers">
      <h2 id={titleId}>{x('vch.card.title')}</h2>
      {load.status === 'loading' && <p className="loading">{x('vch.card.loading')}</p>}
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {x('vch.card.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && (
        <>
          <dl className="stats vch-figures">
            <div className="stat">
              <dt>{x('vch.card.balance')}</dt>
              <dd data-testid="person-voucher-balance">{yuan(load.acc.balanceFen, lang)}</dd>
            </div>
          </dl>
          {load.acc.entries.length === 0 ? (
            <p className="empty">{x('vch.card.empty')}</p>
          ) : (
            <>
              <p className="muted">
                {load.acc.entries.length > RECENT
                  ? x('vch.card.recent', { shown: RECENT, count: load.acc.entries.length })
                  : x('vch.card.all', { count: load.acc.entries.length })}
              </p>
              <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
                <table className="data-table">
                  <caption className="visually-hidden">{x('vch.card.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{x('vch.card.date')}</th>
                      <th scope="col">{x('vch.card.kind')}</th>
                      <th scope="col" className="num">
                        {x('vch.card.amount')}
                      </th>
                      <th scope="col">{x('vch.card.detail')}</th>
                      <th scope="col" className="num">
                        {x('vch.card.after')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {load.acc.entries.slice(0, RECENT).map((e) => (
                      <tr key={e.id} data-kind={e.kind}>
                        <td>{shanghaiDate(e.at)}</td>
                        <td>{e.kindName}</td>
                        <td className="num">{e.amountFen > 0 ? `+${yuan(e.amountFen, lang)}` : yuan(e.amountFen, lang)}</td>
                        <td className="wrap">{detail(e)}</td>
                        <td className="num">{yuan(e.balanceAfterFen, lang)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
