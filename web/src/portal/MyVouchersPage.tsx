// 我的养老服务补贴 (/my/vouchers): for older people and their families. After signing in (the
// portal's own form, the workbench's session), each linked person (本人 or 家属) with the e-voucher
// balance in large type and every entry, newest first, in plain words: the date, 存入 or 花费,
// the amount in yuan, and what it was (the month's subsidy, or the provider and the service).
// Elder mode like the rest of the portal: large type, ≥ 60 px targets.
import { useEffect, useState } from 'react';
import { errorText, isAbort } from '../format.ts';
import { usePrefs } from '../prefs.tsx';
import { monthName, shanghaiDate, voucherApi, yuan, type MyVoucherAccount, type VoucherEntry } from '../workbench/vouchers/api.ts';
import { MyShell } from './my/MyShell.tsx';
import { useMyText, type MyKey } from './my/text.ts';

export function MyVouchersPage() {
  const m = useMyText();
  return (
    <MyShell title={m('my.title')} lead={m('my.lead')} back={{ to: '/', text: m('my.back') }}>
      <MyAccounts />
    </MyShell>
  );
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; people: MyVoucherAccount[] };

function MyAccounts() {
  const { t } = usePrefs();
  const m = useMyText();
  const [load, setLoad] = useState<Load>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    voucherApi
      .mine(ctl.signal)
      .then((r) => setLoad({ status: 'ok', people: r.people }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, []);

  return (
    <>
      <div role="status" className="status-slot">
        {load.status === 'loading' && <p className="loading">{m('my.loading')}</p>}
      </div>
      {load.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {m('my.failed', { message: load.message })}
        </p>
      )}
      {load.status === 'ok' && load.people.length === 0 && <p className="notice">{m('my.none')}</p>}
      {load.status === 'ok' && load.people.map((p) => <MyAccount key={p.personId} account={p} />)}
    </>
  );
}

const KINDS: Record<VoucherEntry['kind'], MyKey> = { credit: 'my.kind.credit', redeem: 'my.kind.redeem', reverse: 'my.kind.reverse' };

function MyAccount({ account }: { account: MyVoucherAccount }) {
  const { lang } = usePrefs();
  const m = useMyText();
  const titleId = `my-person-${account.personId}`;
  const relation = account.relation === 'self' ? m('my.relation.self') : account.relation === 'family' ? m('my.relation.family') : account.relationName;

  const what = (e: VoucherEntry): string => {
    if (e.kind === 'credit') return e.forMonth ? m('my.credit.detail', { month: monthName(e.forMonth, lang) }) : m('my.credit.plain');
    if (e.kind === 'redeem') {
      if (e.providerName && e.service) return m('my.redeem.detail', { provider: e.providerName, service: e.service });
      return e.service ?? e.providerName ?? '';
    }
    return e.note ? `${m('my.reverse.detail')}（${e.note}）` : m('my.reverse.detail');
  };

  return (
    <section className="card section-card my-account" aria-labelledby={titleId} data-testid="my-account" data-person={account.personId}>
      <h2 id={titleId}>{m('my.person', { name: account.name, relation })}</h2>
      <p className="my-balance">
        <span className="my-balance-label">{m('my.balance')}</span>
        <strong className="my-balance-amount" data-testid="my-balance">
          {yuan(account.balanceFen, lang)}
        </strong>
      </p>
      <h3>{m('my.entries')}</h3>
      {account.entries.length === 0 ? (
        <p>{m('my.noEntries')}</p>
      ) : (
        <ol className="my-entries" role="list" aria-label={m('my.entries.caption', { name: account.name })}>
          {account.entries.map((e) => (
            <li key={e.id} className="my-entry" data-kind={e.kind}>
              <p className="my-entry-head">
                <span className="my-entry-date">{shanghaiDate(e.at)}</span>
                <span className="my-entry-kind">{m(KINDS[e.kind])}</span>
                <span className="my-entry-amount">{e.amountFen > 0 ? `+${yuan(e.amountFen, lang)}` : yuan(e.amountFen, lang)}</span>
              </p>
              <p className="my-entry-what">{what(e)}</p>
              <p className="my-entry-after">{m('my.after', { balance: yuan(e.balanceAfterFen, lang) })}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
