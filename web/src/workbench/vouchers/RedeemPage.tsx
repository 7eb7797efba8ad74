// 电子券核销 (/workbench/vouchers, providers): enter the 老人编号 (the platform id on the person's
// card — a provider cannot list people), the amount in yuan and the service (a common one or typed
// in), check it, confirm; the new balance is shown, or the server's words when the balance is
// short. Each confirmation carries one request key, reused when the same submission is retried, so
// a double click or a retry is kept once. Below: this month's statement, with a month picker.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.ts';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { newRequestKey, parsePersonId, parseYuan, voucherApi, yuan, type Redeemed } from './api.ts';
import { StatementSection } from './StatementSection.tsx';
import { COMMON_SERVICES, useVchText } from './text.ts';

const OTHER = 'other';
const SERVICE_MAX = 100;

type Field = 'person' | 'amount' | 'service' | 'serviceText';
type Errors = Partial<Record<Field, string>>;
interface Draft {
  personId: string;
  amountFen: number;
  service: string;
  /** One per submission: the same when this submission is retried. */
  requestKey: string;
}
type Outcome =
  | { kind: 'done'; r: Redeemed }
  | { kind: 'short'; message: string }
  | { kind: 'failed'; message: string };

export function RedeemPage() {
  const { t, lang } = usePrefs();
  const x = useVchText();
  usePageTitle(x('vch.redeem.title'));
  const ids = {
    form: useId(), person: useId(), personHint: useId(), amount: useId(), amountHint: useId(),
    service: useId(), serviceText: useId(), serviceTextHint: useId(), confirm: useId(),
  };
  const [person, setPerson] = useState('');
  const [amount, setAmount] = useState('');
  const [service, setService] = useState('');
  const [serviceText, setServiceText] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [retryable, setRetryable] = useState(false);
  const [version, setVersion] = useState(0);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  const focusAfter = useRef<'confirm' | 'outcome' | Field | null>(null);

  useEffect(() => {
    const target = focusAfter.current;
    if (!target) return;
    focusAfter.current = null;
    if (target === 'confirm') confirmHeading.current?.focus();
    else if (target === 'outcome') outcomeRef.current?.focus();
    else document.getElementById(ids[target])?.focus();
  });

  const serviceName = service === OTHER ? serviceText.trim() : service;

  const onNext = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {};
    const personId = parsePersonId(person);
    if (!person.trim()) next.person = x('vch.form.person.missing');
    else if (!personId) next.person = x('vch.form.person.invalid');
    const amountFen = parseYuan(amount);
    if (!amount.trim()) next.amount = x('vch.form.amount.missing');
    else if (amountFen === null || amountFen <= 0) next.amount = x('vch.form.amount.invalid');
    if (!service) next.service = x('vch.form.service.missing');
    else if (service === OTHER && !serviceText.trim()) next.serviceText = x('vch.form.serviceText.missing');
    else if (service === OTHER && serviceText.trim().length > SERVICE_MAX) next.serviceText = x('vch.form.serviceText.tooLong');
    setErrors(next);
    const first = (['person', 'amount', 'service', 'serviceText'] as const).find((f) => next[f]);
    if (first) {
      focusAfter.current = first;
      setOutcome(null);
      return;
    }
    setOutcome(null);
    setRetryable(false);
    setDraft({ personId: personId!, amountFen: amountFen!, service: serviceName, requestKey: newRequestKey() });
    focusAfter.current = 'confirm';
  };

  const onBack = () => {
    setDraft(null);
    setRetryable(false);
    focusAfter.current = 'person';
  };

  const onConfirm = async () => {
    if (!draft || busy) return;
    setBusy(true);
    try {
      const r = await voucherApi.redeem(draft);
      setOutcome({ kind: 'done', r });
      setDraft(null);
      setRetryable(false);
      setPerson('');
      setAmount('');
      setService('');
      setServiceText('');
      setVersion((v) => v + 1);
      focusAfter.current = 'outcome';
    } catch (err) {
      const message = errorText(err, t);
      if (err instanceof ApiError && err.status === 409 && /余额不足/.test(err.message)) {
        // Not kept: the next confirmation is a new submission with a new key.
        setOutcome({ kind: 'short', message });
        setDraft(null);
        setRetryable(false);
        focusAfter.current = 'outcome';
      } else if (err instanceof ApiError && err.status === 404) {
        setOutcome(null);
        setDraft(null);
        setErrors({ person: message });
        focusAfter.current = 'person';
      } else if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
        setOutcome({ kind: 'failed', message });
        setDraft(null);
        focusAfter.current = 'outcome';
      } else {
        // Network or server trouble: the same submission (same key) may be confirmed again.
        setOutcome({ kind: 'failed', message });
        setRetryable(true);
        focusAfter.current = 'outcome';
      }
    } finally {
      setBusy(false);
    }
  };

  const describe = (hint: string, field: Field) => (errors[field] ? `${hint} ${ids[field]}-error` : hint);
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <div className="vch-page">
      <h1>{x('vch.redeem.title')}</h1>
      <p className="lead">{x('vch.redeem.intro')}</p>

      <section aria-labelledby={`${ids.form}-title`} className="card section-card vch-redeem">
        <h2 id={`${ids.form}-title`}>{x('vch.form.title')}</h2>
        <div role="status" className="status-slot" data-testid="vch-done">
          {outcome?.kind === 'done' && (
            <div ref={outcomeRef} tabIndex={-1} className="notice notice-info vch-done">
              <p className="notice-title">{x('vch.done.title')}</p>
              <p>
                {outcome.r.repeated
                  ? x('vch.done.repeated')
                  : x('vch.done.body', { amount: yuan(Math.abs(outcome.r.entry.amountFen), lang), service: outcome.r.entry.service ?? '' })}
              </p>
              <p>
                {x('vch.done.balance')}：<strong className="vch-balance" data-testid="vch-new-balance">{yuan(outcome.r.balanceFen, lang)}</strong>
              </p>
            </div>
          )}
        </div>
        <div role="alert" className="status-slot" data-testid="vch-problem">
          {outcome && outcome.kind !== 'done' && (
            <div ref={outcomeRef} tabIndex={-1} className="notice notice-error">
              <p className="notice-title">{outcome.kind === 'short' ? x('vch.short.title') : x('vch.failed.title')}</p>
              <p>{outcome.message}</p>
              {outcome.kind === 'short' && <p>{x('vch.short.hint')}</p>}
              {outcome.kind === 'failed' && retryable && <p>{x('vch.confirm.retryHint')}</p>}
            </div>
          )}
        </div>

        {draft ? (
          <div className="vch-confirm" aria-labelledby={ids.confirm} role="group">
            <h3 id={ids.confirm} ref={confirmHeading} tabIndex={-1}>
              {x('vch.confirm.title')}
            </h3>
            <p>{x('vch.confirm.intro')}</p>
            <dl className="field-list">
              <div className="field-row">
                <dt>{x('vch.confirm.person')}</dt>
                <dd className="mono">{draft.personId}</dd>
              </div>
              <div className="field-row">
                <dt>{x('vch.confirm.amount')}</dt>
                <dd>
                  <strong>{yuan(draft.amountFen, lang)}</strong>
                </dd>
              </div>
              <div className="field-row">
                <dt>{x('vch.confirm.service')}</dt>
                <dd>{draft.service}</dd>
              </div>
            </dl>
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={() => void onConfirm()} aria-disabled={busy || undefined}>
                {busy ? x('vch.confirm.busy') : x('vch.confirm.ok')}
              </button>
              <button type="button" className="button button-secondary" onClick={onBack} disabled={busy}>
                {x('vch.confirm.back')}
              </button>
            </div>
          </div>
        ) : (
          <form onSubmit={onNext} noValidate className="stack vch-form" aria-labelledby={`${ids.form}-title`}>
            {hasErrors && <p className="notice notice-error">{x('vch.form.fix')}</p>}
            <div className="field">
              <label htmlFor={ids.person}>{x('vch.form.person')}</label>
              <p id={ids.personHint} className="hint">
                {x('vch.form.person.hint')}
              </p>
              {errors.person && (
                <p id={`${ids.person}-error`} className="field-error">
                  {errors.person}
                </p>
              )}
              <input
                id={ids.person}
                className="mono vch-person"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={person}
                onChange={(e) => setPerson(e.target.value)}
                aria-invalid={errors.person ? true : undefined}
                aria-describedby={describe(ids.personHint, 'person')}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.amount}>{x('vch.form.amount')}</label>
              <p id={ids.amountHint} className="hint">
                {x('vch.form.amount.hint')}
              </p>
              {errors.amount && (
                <p id={`${ids.amount}-error`} className="field-error">
                  {errors.amount}
                </p>
              )}
              <input
                id={ids.amount}
                className="input-short"
                inputMode="decimal"
                autoComplete="off"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                aria-invalid={errors.amount ? true : undefined}
                aria-describedby={describe(ids.amountHint, 'amount')}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.service}>{x('vch.form.service')}</label>
              {errors.service && (
                <p id={`${ids.service}-error`} className="field-error">
                  {errors.service}
                </p>
              )}
              <select
                id={ids.service}
                value={service}
                onChange={(e) => setService(e.target.value)}
                aria-invalid={errors.service ? true : undefined}
                aria-describedby={errors.service ? `${ids.service}-error` : undefined}
              >
                <option value="">{x('vch.form.service.choose')}</option>
                {COMMON_SERVICES.map((s) => (
                  <option key={s.value} value={s.value}>
                    {lang === 'en' ? `${s.value} (${s.en})` : s.value}
                  </option>
                ))}
                <option value={OTHER}>{x('vch.form.service.other')}</option>
              </select>
            </div>
            {service === OTHER && (
              <div className="field">
                <label htmlFor={ids.serviceText}>{x('vch.form.serviceText')}</label>
                <p id={ids.serviceTextHint} className="hint">
                  {x('vch.form.serviceText.hint')}
                </p>
                {errors.serviceText && (
                  <p id={`${ids.serviceText}-error`} className="field-error">
                    {errors.serviceText}
                  </p>
                )}
                <input
                  id={ids.serviceText}
                  autoComplete="off"
                  maxLength={SERVICE_MAX + 20}
                  value={serviceText}
                  onChange={(e) => setServiceText(e.target.value)}
                  aria-invalid={errors.serviceText ? true : undefined}
                  aria-describedby={describe(ids.serviceTextHint, 'serviceText')}
                />
              </div>
            )}
            <div>
              <button type="submit" className="button button-primary">
                {x('vch.form.next')}
              </button>
            </div>
          </form>
        )}
      </section>

      <StatementSection version={version} />
    </div>
  );
}
