// One waiting-list application, as a family and an advisor see it: an open offer first and large
// (the facility, the bed, the deadline; 接受入住 with a confirmation, 放弃 with a reason and what a
// decline costs), the status and tier, each choice with its place in the queue (「排在第 N 位」,
// who is ahead by tier, the estimated wait as a range of months, the facility's vacant beds),
// earlier offers, 暂停 / 恢复 / 撤回 / 修改志愿, and the history. Shared by /my/waitlist and the
// workbench's person page.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { ApplyForm } from './ApplyForm.tsx';
import { waitlistApi, type ApplicationView, type ChoicesInput, type OfferView } from './api.ts';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { aheadText, estimateText, shanghaiDay, shanghaiTime, useWlText } from './text.ts';

type Level = 2 | 3;
/** The server takes a reason of up to 200 characters. */
const REASON_MAX = 200;

export function ApplicationCard({
  app,
  onChanged,
  canAct,
  level = 3,
  big = false,
}: {
  app: ApplicationView;
  onChanged: (view: ApplicationView) => void;
  /** The caller may answer offers and pause, resume, withdraw, change (waitlist.apply). */
  canAct: boolean;
  /** The heading level of the card's sections. */
  level?: Level;
  /** Portal: the offer's buttons larger still. */
  big?: boolean;
}) {
  const { t } = usePrefs();
  const w = useWlText();
  const ids = { choices: useId(), history: useId(), acts: useId(), past: useId() };
  const H = `h${level}` as 'h3';
  const H2 = `h${level + 1}` as 'h4';
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const [dialog, setDialog] = useState<null | { kind: 'decline'; offer: OfferView } | { kind: 'withdraw' }>(null);
  const reasonProps = {
    maxLength: REASON_MAX, className: 'card sup-dialog wl-dialog',
    texts: { label: w('wl.offer.reason'), hint: w('wl.offer.reasonHint'), needReason: w('wl.act.needReason'), failed: w('wl.act.failed'), busy: w('wl.act.busy'), back: w('wl.act.cancel') },
  };
  const [pausing, setPausing] = useState(false);
  const [changing, setChanging] = useState(false);
  const [busy, setBusy] = useState(false);

  const done = (view: ApplicationView, text: string) => {
    onChanged(view);
    setOutcome({ ok: true, text });
    window.requestAnimationFrame(() => outcomeRef.current?.focus());
  };
  const failed = (e: unknown) => {
    setOutcome({ ok: false, text: errorText(e, t) });
    window.requestAnimationFrame(() => outcomeRef.current?.focus());
  };

  const open = app.offers.find((o) => o.status === 'open') ?? null;
  const past = app.offers.filter((o) => o.status !== 'open');
  const accepted = app.offers.find((o) => o.status === 'accepted') ?? null;
  const live = app.status === 'active' || app.status === 'paused' || app.status === 'offered';

  const resume = async () => {
    if (busy) return;
    setBusy(true);
    try {
      done(await waitlistApi.resume(app.id), w('wl.act.resumed'));
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="wl-app" data-testid="wl-application" data-application={app.id} data-status={app.status}>
      {outcome && (
        <div
          ref={outcomeRef}
          tabIndex={-1}
          className={outcome.ok ? 'notice wl-outcome' : 'notice notice-error wl-outcome'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="wl-outcome"
        >
          {!outcome.ok && <p className="notice-title">{w('wl.act.failed')}</p>}
          <p>{outcome.text}</p>
        </div>
      )}

      {open && <OfferBox offer={open} app={app} canAct={canAct} level={level} big={big} onAccepted={(v) => done(v, w('wl.admitted', { name: open.facilityName }))} onDecline={() => setDialog({ kind: 'decline', offer: open })} onFailed={failed} />}

      <dl className="wl-facts">
        <div>
          <dt>{w('wl.app.status')}</dt>
          <dd>
            <span className={`tag wl-status wl-status-${app.status}`} data-testid="wl-status">
              {app.statusName}
            </span>
            {app.status === 'admitted' && accepted && <span className="wl-admitted-at"> {accepted.facilityName}{accepted.bedLabel ? ` ${accepted.bedLabel}` : ''}</span>}
          </dd>
        </div>
        <div>
          <dt>{w('wl.app.tier')}</dt>
          <dd>{app.tier !== null ? w('wl.app.tierValue', { tier: app.tier, label: app.tierLabel ?? '' }) : w('wl.app.tierNone')}</dd>
        </div>
        <div>
          <dt>{w('wl.app.appliedAt')}</dt>
          <dd>{shanghaiDay(app.appliedAt)}</dd>
        </div>
        {app.priorityAt !== app.appliedAt && (
          <div>
            <dt>{w('wl.app.priorityAt')}</dt>
            <dd>{shanghaiDay(app.priorityAt)}</dd>
          </div>
        )}
        <div>
          <dt>{w('wl.app.declines')}</dt>
          <dd>{w('wl.app.declinesValue', { n: app.declines, max: app.maxDeclines })}</dd>
        </div>
      </dl>
      {app.status === 'paused' && <p className="notice">{app.pausedUntil ? w('wl.app.pausedUntil', { date: app.pausedUntil }) : w('wl.app.pausedOpen')}</p>}
      {live && app.eligibleNow === false && <p className="notice notice-error">{w('wl.app.notEligible')}</p>}

      {live && (
        <section aria-labelledby={ids.choices} className="wl-choices-section">
          <H id={ids.choices}>{w('wl.app.choices')}</H>
          {app.mode === 'radius' && app.origin && <p className="wl-radius">{w('wl.app.radius', { label: app.origin.label, km: app.radiusKm ?? '' })}</p>}
          {app.choices.length === 0 ? (
            <p className="notice">{w('wl.app.noChoices')}</p>
          ) : (
            <ol className="wl-choices" role="list">
              {app.choices.map((c) => (
                <li key={c.facilityId} className="wl-choice" data-testid="wl-choice" data-facility={c.facilityId}>
                  <H2 className="wl-choice-head">{w('wl.choice.head', { rank: c.rank, name: c.name })}</H2>
                  <p className="wl-choice-district">{w('wl.choice.district', { district: c.districtName, local: c.local ? w('wl.choice.local') : '' })}</p>
                  <p className="wl-position" data-testid="wl-position">
                    {w('wl.choice.position', { n: c.position })}
                  </p>
                  <p>{aheadText(w, c.ahead, c.aheadByTier)}</p>
                  <p>{estimateText(w, c.estimate)}</p>
                  <p className="muted">{w('wl.choice.vacant', { vacant: c.vacantBasicBeds, beds: c.basicBeds })}</p>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}

      {past.length > 0 && (
        <section aria-labelledby={ids.past}>
          <H id={ids.past}>{w('wl.offer.past')}</H>
          <ul className="wl-past" role="list">
            {past.map((o) => (
              <li key={o.id} data-testid="wl-past-offer" data-status={o.status}>
                {w('wl.offer.pastItem', { facility: o.facilityName, rank: o.choiceRank, status: o.statusName })}
                {o.bedLabel ? `，${o.bedLabel}` : ''}
                {o.decidedAt ? `（${shanghaiDay(o.decidedAt)}）` : ''}
                {o.reason ? `：${o.reason}` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}

      {canAct && live && (
        <section aria-labelledby={ids.acts} className="wl-acts">
          <H id={ids.acts}>{w('wl.act.title')}</H>
          {!pausing && !changing && (
            <div className="button-row">
              {app.status === 'active' && (
                <button type="button" className="button button-secondary" onClick={() => setPausing(true)}>
                  {w('wl.act.pause')}
                </button>
              )}
              {app.status === 'paused' && (
                <button type="button" className="button button-secondary" aria-disabled={busy || undefined} onClick={() => void resume()}>
                  {w('wl.act.resume')}
                </button>
              )}
              {(app.status === 'active' || app.status === 'paused') && (
                <button type="button" className="button button-secondary" onClick={() => setChanging(true)}>
                  {w('wl.act.change')}
                </button>
              )}
              <button type="button" className="button button-secondary" onClick={() => setDialog({ kind: 'withdraw' })}>
                {w('wl.act.withdraw')}
              </button>
            </div>
          )}
          {pausing && (
            <PauseForm
              onCancel={() => setPausing(false)}
              onSend={async (reason, until) => {
                const v = await waitlistApi.pause(app.id, reason, until);
                setPausing(false);
                done(v, w('wl.act.paused'));
              }}
            />
          )}
          {changing && (
            <ApplyForm
              change
              level={(level + 1) as 3 | 4}
              initial={initialOf(app)}
              submit={(input) => waitlistApi.change(app.id, input)}
              onCancel={() => setChanging(false)}
              onDone={(v) => {
                setChanging(false);
                done(v, w('wl.act.changed'));
              }}
            />
          )}
        </section>
      )}

      <section aria-labelledby={ids.history}>
        <H id={ids.history}>{w('wl.history')}</H>
        {app.history.length === 0 ? (
          <p className="muted">{w('wl.history.empty')}</p>
        ) : (
          <ol className="wl-history" role="list" data-testid="wl-history">
            {[...app.history].reverse().map((h, i) => (
              <li key={`${h.at}-${i}`}>
                <span className="wl-history-at">{shanghaiTime(h.at)}</span> <span>{h.summary}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {dialog?.kind === 'decline' && (
        <ReasonDialog
          {...reasonProps}
          title={w('wl.offer.declineTitle')}
          intro={w('wl.offer.declineIntro', { n: app.declines, max: app.maxDeclines })}
          confirm={w('wl.offer.declineConfirm')}
          onDismiss={() => setDialog(null)}
          onSend={async (reason) => {
            const v = await waitlistApi.decline(dialog.offer.id, reason);
            setDialog(null);
            done(v, w('wl.act.declined'));
          }}
        />
      )}
      {dialog?.kind === 'withdraw' && (
        <ReasonDialog
          {...reasonProps}
          title={w('wl.act.withdrawTitle')}
          intro={w('wl.act.withdrawIntro')}
          confirm={w('wl.act.withdrawConfirm')}
          onDismiss={() => setDialog(null)}
          onSend={async (reason) => {
            const v = await waitlistApi.withdraw(app.id, reason);
            setDialog(null);
            done(v, w('wl.act.withdrawn'));
          }}
        />
      )}
    </div>
  );
}

function initialOf(app: ApplicationView): ChoicesInput {
  if (app.mode === 'radius' && app.origin && app.radiusKm !== null) return { mode: 'radius', radiusKm: app.radiusKm, origin: app.origin };
  return { mode: 'choices', choices: app.choices.map((c) => c.facilityId) };
}

/** The open offer, at the top and large: where, which bed, until when; accept (confirmed) or decline. */
function OfferBox({
  offer,
  app,
  canAct,
  level,
  big,
  onAccepted,
  onDecline,
  onFailed,
}: {
  offer: OfferView;
  app: ApplicationView;
  canAct: boolean;
  level: Level;
  big: boolean;
  onAccepted: (v: ApplicationView) => void;
  onDecline: () => void;
  onFailed: (e: unknown) => void;
}) {
  const w = useWlText();
  const id = useId();
  const H = `h${level}` as 'h3';
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const acceptRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (wasConfirming.current) acceptRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  const accept = async () => {
    if (busy) return;
    setBusy(true);
    try {
      onAccepted(await waitlistApi.accept(offer.id));
    } catch (e) {
      setBusy(false);
      setConfirming(false);
      onFailed(e);
    }
  };

  const size = big ? 'button-big' : '';
  return (
    <section className="wl-offer" aria-labelledby={`${id}-title`} data-testid="wl-offer" data-offer={offer.id}>
      <H id={`${id}-title`} className="wl-offer-title">
        {w('wl.offer.title')}
      </H>
      <dl className="wl-offer-facts">
        <div>
          <dt>{w('wl.offer.where')}</dt>
          <dd className="wl-offer-facility">{offer.facilityName}</dd>
        </div>
        {offer.bedLabel && (
          <div>
            <dt>{w('wl.offer.bed')}</dt>
            <dd>{offer.bedLabel}</dd>
          </div>
        )}
      </dl>
      <p>{w('wl.offer.rank', { rank: offer.choiceRank })}</p>
      <p className="wl-offer-deadline">
        <strong>{w('wl.offer.deadline', { deadline: shanghaiDay(offer.deadline) })}</strong>
      </p>
      {canAct && !confirming && (
        <div className="button-row wl-offer-buttons">
          <button ref={acceptRef} type="button" className={`button button-primary ${size}`} onClick={() => setConfirming(true)}>
            {w('wl.offer.accept')}
          </button>
          <button type="button" className={`button button-secondary ${size}`} onClick={onDecline}>
            {w('wl.offer.decline')}
          </button>
        </div>
      )}
      {canAct && confirming && (
        <div className="wl-confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>{w('wl.offer.confirmAccept', { name: offer.facilityName })}</p>
          <div className="button-row">
            <button ref={confirmRef} type="button" className={`button button-primary ${size}`} aria-disabled={busy || undefined} onClick={() => void accept()}>
              {busy ? w('wl.offer.accepting') : w('wl.offer.confirmYes')}
            </button>
            <button type="button" className={`button button-secondary ${size}`} onClick={() => setConfirming(false)}>
              {w('wl.offer.back')}
            </button>
          </div>
        </div>
      )}
      <p className="muted">{w('wl.app.declinesValue', { n: app.declines, max: app.maxDeclines })}</p>
    </section>
  );
}

/** 暂停轮候: a reason (required) and, if wanted, the day it ends. */
function PauseForm({ onSend, onCancel }: { onSend: (reason: string, until: string | null) => Promise<void>; onCancel: () => void }) {
  const { t } = usePrefs();
  const w = useWlText();
  const id = useId();
  const reasonRef = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => reasonRef.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!reason.trim()) {
      setProblem(w('wl.act.needReason'));
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      await onSend(reason.trim(), until || null);
    } catch (err) {
      setFailure(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <form className="stack wl-pause" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
      <p>{w('wl.act.pauseIntro')}</p>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{w('wl.act.pauseReason')}</label>
        <p id={`${id}-reason-hint`} className="hint">
          {w('wl.act.pauseReasonHint')}
        </p>
        {problem && (
          <p id={`${id}-reason-err`} className="field-error">
            {problem}
          </p>
        )}
        <input
          id={`${id}-reason`}
          ref={reasonRef}
          type="text"
          maxLength={200}
          value={reason}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-reason-err ${id}-reason-hint` : `${id}-reason-hint`}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-until`}>{w('wl.act.pauseUntil')}</label>
        <p id={`${id}-until-hint`} className="hint">
          {w('wl.act.pauseUntilHint')}
        </p>
        <input id={`${id}-until`} type="date" value={until} aria-describedby={`${id}-until-hint`} onChange={(e) => setUntil(e.target.value)} />
      </div>
      {failure && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{w('wl.act.failed')}</p>
          <p>{failure}</p>
        </div>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? w('wl.act.busy') : w('wl.act.pauseSubmit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {w('wl.act.cancel')}
        </button>
      </div>
    </form>
  );
}
