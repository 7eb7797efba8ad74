// One payment batch: its figures, the next step for its status — 重新计算 and 审批 for a draft (the
// server refuses the officer who computed it: four eyes, its message shown), the bank file for an
// approved or sent batch, 对账 for a sent one — and its lines, a page at a time.
import { useEffect, useId, useState, type ReactNode, type RefObject } from 'react';
import { Link } from 'react-router';
import { errorText, formatDateTime, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { paidAsVoucher, paymentApi, saveBlob, yuan, type Batch, type BatchDetail, type CashScheme, type PaymentLine } from './api.ts';
import { ReconcileForm } from './ReconcileForm.tsx';
import { usePayText, type PayKey } from './text.ts';

const LINES_PAGE = 100;
const LINE_STATUSES = ['pending', 'paid', 'returned'];

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; batch: BatchDetail };
type Action = 'recompute' | 'approve' | 'csv' | 'xlsx' | 'reconcile';
type Outcome = { kind: 'ok' | 'error'; text: string } | null;

export function BatchView({
  id,
  headingRef,
  notice,
  onChanged,
  onClose,
}: {
  id: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  notice: string | null;
  onChanged: (b: Batch) => void;
  onClose: () => void;
}) {
  const { t, lang } = usePrefs();
  const x = usePayText();
  const user = useUser();
  const ids = { title: useId(), figures: useId(), actions: useId(), lines: useId() };
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<Action | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(notice ? { kind: 'ok', text: notice } : null);
  const [shownLines, setShownLines] = useState(LINES_PAGE);

  useEffect(() => {
    const ctl = new AbortController();
    paymentApi
      .get(id, ctl.signal)
      .then((batch) => setLoad({ status: 'ok', batch }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [id, attempt]);

  const batch = load.status === 'ok' ? load.batch : null;

  /** Runs an action; the batch is read again afterwards so lines and status agree with the server. */
  const act = async (action: Action, run: () => Promise<{ batch?: Batch; text: string }>) => {
    if (busy) return;
    setBusy(action);
    setOutcome(null);
    try {
      const r = await run();
      if (r.batch) onChanged(r.batch);
      setOutcome({ kind: 'ok', text: r.text });
      setAttempt((n) => n + 1);
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e, t) });
    } finally {
      setBusy(null);
    }
  };

  const recompute = (b: Batch) =>
    act('recompute', async () => {
      const next = await paymentApi.run({ scheme: b.scheme as CashScheme, districtCode: b.districtCode, month: b.month });
      return { batch: next, text: x('pay.done.recomputed', { net: yuan(next.netFen, lang) }) };
    });
  const approve = (b: Batch) =>
    act('approve', async () => ({ batch: await paymentApi.approve(b.id), text: x('pay.done.approved') }));
  const download = (b: Batch, format: 'csv' | 'xlsx') =>
    act(format, async () => {
      const { blob, fileName } = await paymentApi.exportFile(b.id, format);
      saveBlob(blob, fileName);
      const next = await paymentApi.get(b.id);
      return { batch: next, text: x('pay.done.exported', { file: fileName }) };
    });
  const reconcile = (b: Batch, returned: { seq: number; reason: string }[]) =>
    act('reconcile', async () => {
      const r = await paymentApi.reconcile(b.id, returned);
      return { batch: r, text: x('pay.done.reconciled', { paid: r.paid, returned: r.returned }) };
    });

  const title = batch ? x('pay.batch.title', { district: batch.districtName, month: batch.month, scheme: batch.schemeName }) : x('pay.batch.loading');
  const facts: [PayKey, ReactNode][] = batch
    ? [
        ['pay.batch.status', <span data-testid="pay-status">{batch.statusName}</span>],
        ['pay.batch.people', batch.people],
        ['pay.batch.lines', batch.lines],
        ['pay.batch.computedAt', formatDateTime(batch.computedAt, lang)],
        ...(batch.approvedAt ? [['pay.batch.approvedAt', formatDateTime(batch.approvedAt, lang)] as [PayKey, ReactNode]] : []),
        ...(batch.exportedAt ? [['pay.batch.exportedAt', formatDateTime(batch.exportedAt, lang)] as [PayKey, ReactNode]] : []),
        ...(batch.reconciledAt ? [['pay.batch.reconciledAt', formatDateTime(batch.reconciledAt, lang)] as [PayKey, ReactNode]] : []),
        ['pay.batch.version', <span className="mono">{batch.parameterVersion.slice(0, 12)}</span>],
      ]
    : [];

  return (
    <section aria-labelledby={ids.title} className="card section-card pay-batch" data-testid="pay-batch">
      <h2 id={ids.title} ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      {load.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{x('pay.batch.failed')}</p>
          <p>{load.message}</p>
        </div>
      )}
      {/* Always in the page, so that each step done is heard; a refusal comes as an alert of its own. */}
      <div role="status" className={outcome?.kind === 'ok' ? 'notice' : 'status-slot'} data-testid="pay-outcome">
        {outcome?.kind === 'ok' && <p>{outcome.text}</p>}
      </div>
      {outcome?.kind === 'error' && (
        <div role="alert" className="notice notice-error" data-testid="pay-error">
          <p className="notice-title">{x('pay.batch.failedAction')}</p>
          <p>{outcome.text}</p>
        </div>
      )}
      {batch && (
        <>
          <dl className="field-list pay-facts">
            {facts.map(([k, v]) => (
              <div key={k} className="field-row">
                <dt>{x(k)}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <h3 id={ids.figures}>{x('pay.batch.figures')}</h3>
          <dl className="stats pay-figures" aria-labelledby={ids.figures}>
            {(
              [
                ['pay.col.regular', batch.regularFen, 'regular'],
                ['pay.col.arrears', batch.arrearsFen, 'arrears'],
                ['pay.col.recovery', batch.recoveryFen, 'recovery'],
                ['pay.col.net', batch.netFen, 'net'],
              ] as const
            ).map(([k, fen, key]) => (
              <div key={key} className="stat" data-figure={key}>
                <dt>{x(k)}</dt>
                <dd>{yuan(fen, lang)}</dd>
              </div>
            ))}
          </dl>

          {batch.status !== 'reconciled' && (
            <div role="group" aria-labelledby={ids.actions} className="pay-actions">
              <h3 id={ids.actions}>{x('pay.batch.actions')}</h3>
              {batch.status === 'draft' && batch.createdBy === user.id && <p className="hint">{x('pay.batch.byYou')}</p>}
              {paidAsVoucher(batch.scheme) && <p className="hint">{x('pay.batch.voucherHint')}</p>}
              {!paidAsVoucher(batch.scheme) && (batch.status === 'approved' || batch.status === 'exported') && <p className="hint">{x('pay.batch.downloadHint')}</p>}
              <div className="button-row">
                {batch.status === 'draft' && (
                  <>
                    <button type="button" className="button button-primary" aria-disabled={busy !== null || undefined} onClick={() => void approve(batch)}>
                      {busy === 'approve' ? x('pay.batch.busy') : x('pay.batch.approve')}
                    </button>
                    <button type="button" className="button button-secondary" aria-disabled={busy !== null || undefined} onClick={() => void recompute(batch)}>
                      {busy === 'recompute' ? x('pay.batch.busy') : x('pay.batch.recompute')}
                    </button>
                  </>
                )}
                {!paidAsVoucher(batch.scheme) &&
                  (batch.status === 'approved' || batch.status === 'exported') &&
                  (['csv', 'xlsx'] as const).map((f) => (
                    <button key={f} type="button" className={f === 'csv' ? 'button button-primary' : 'button button-secondary'} aria-disabled={busy !== null || undefined} onClick={() => void download(batch, f)}>
                      {busy === f ? x('pay.batch.busy') : x(f === 'csv' ? 'pay.batch.csv' : 'pay.batch.xlsx')}
                    </button>
                  ))}
              </div>
            </div>
          )}

          {batch.status === 'exported' && !paidAsVoucher(batch.scheme) && <ReconcileForm batch={batch} busy={busy === 'reconcile'} onSubmit={(returned) => void reconcile(batch, returned)} />}

          <Lines batch={batch} shown={shownLines} onMore={() => setShownLines((n) => n + LINES_PAGE)} titleId={ids.lines} />
        </>
      )}
      <p className="load-more">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {x('pay.batch.close')}
        </button>
      </p>
    </section>
  );
}

function Lines({ batch, shown, onMore, titleId }: { batch: BatchDetail; shown: number; onMore: () => void; titleId: string }) {
  const { lang } = usePrefs();
  const x = usePayText();
  const lines = batch.items.slice(0, shown);
  const statusText = (l: PaymentLine) => {
    if (l.status === 'returned' && l.returnReason) return x('pay.line.returnedWhy', { reason: l.returnReason });
    return LINE_STATUSES.includes(l.status) ? x(`pay.line.${l.status}` as PayKey) : l.status;
  };
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId}>{x('pay.lines.title')}</h3>
      {batch.items.length === 0 ? (
        <p className="empty">{x('pay.lines.empty')}</p>
      ) : (
        <>
          <p className="count">{x('pay.lines.count', { n: batch.items.length, shown: lines.length })}</p>
          <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
            <table className="data-table" data-testid="pay-lines">
              <caption className="visually-hidden">{x('pay.lines.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {x('pay.lines.seq')}
                  </th>
                  <th scope="col">{x('pay.lines.name')}</th>
                  <th scope="col">{x('pay.lines.forMonth')}</th>
                  <th scope="col">{x('pay.lines.kind')}</th>
                  <th scope="col" className="num">
                    {x('pay.lines.amount')}
                  </th>
                  <th scope="col">{x('pay.lines.reason')}</th>
                  <th scope="col">{x('pay.lines.status')}</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.seq} data-seq={l.seq} data-person={l.personId}>
                    <td className="num">{l.seq}</td>
                    <th scope="row">
                      <Link to={`/workbench/people/${encodeURIComponent(l.personId)}`}>{l.name}</Link>
                    </th>
                    <td>{l.forMonth}</td>
                    <td>{l.kindName}</td>
                    <td className="num">{yuan(l.amountFen, lang)}</td>
                    <td className="wrap">{l.reason}</td>
                    <td className="wrap" data-status={l.status}>
                      {statusText(l)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {batch.items.length > shown && (
            <p className="load-more">
              <button type="button" className="button button-secondary" onClick={onMore}>
                {x('pay.lines.more', { n: Math.min(LINES_PAGE, batch.items.length - shown) })}
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}
