// The assessor's tablet form: one item per screen, options as full-width radio cards (≥ 60 px)
// with their score, progress "第 5 / 26 项" and a bar, previous / next and a jump list. Every
// answer is saved on the device the moment it is given and synced (sync.ts); the end screen
// takes coma, diagnoses and risk events, shows the running score computed in the browser by the
// platform's own interpreter, and submits.
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { assessmentApi, isAssessor, personNameOf, type Application, type InstrumentData, type ScoreResult } from './api.ts';
import { ResultView } from './ResultView.tsx';
import { parseDiagnoses, partialDimensions, scoreLocally, scoreRequest } from './scoring.ts';
import { useAnswerSync, type AnswerSync } from './sync.ts';

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ok'; app: Application; instrument: InstrumentData };

export function AssessmentFormPage() {
  const { id = '' } = useParams();
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  usePageTitle(load.status === 'ok' ? t('asmt.form.title', { name: personNameOf(load.app) }) : t('asmt.form.titlePlain'));

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    assessmentApi
      .get(id, ctl.signal)
      .then(async (app) => setLoad({ status: 'ok', app, instrument: await assessmentApi.instrument(ctl.signal, app.instrument) }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
  }, [id, attempt]);

  const back = (
    <p className="back-link">
      <Link to={`/workbench/assessments/${encodeURIComponent(id)}`}>
        <span aria-hidden="true">← </span>
        {t('asmt.form.back')}
      </Link>
    </p>
  );

  if (load.status !== 'ok') {
    return (
      <>
        {back}
        <h1>{t('asmt.form.titlePlain')}</h1>
        {load.status === 'loading' ? (
          <p role="status" className="loading">
            {t('common.loading')}
          </p>
        ) : (
          <>
            <div className="notice notice-error" role="alert">
              <p>{load.message}</p>
            </div>
            <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t('common.retry')}
            </button>
          </>
        )}
      </>
    );
  }
  return (
    <>
      {back}
      <FormGate app={load.app} instrument={load.instrument} />
    </>
  );
}

function FormGate({ app, instrument }: { app: Application; instrument: InstrumentData }) {
  const { t, td } = usePrefs();
  const user = useUser();
  const open = app.state === 'assigned' || app.state === 'in_progress';
  if (!open || !isAssessor(app, user, 0)) {
    return (
      <>
        <h1>{t('asmt.form.title', { name: personNameOf(app) })}</h1>
        <div className="notice" role="status">
          <p>
            {open
              ? t('asmt.form.notYours')
              : t('asmt.form.closed', { state: td(`asmt.state.${app.state}`, app.state) })}
          </p>
        </div>
      </>
    );
  }
  return <TabletForm app={app} instrument={instrument} />;
}

function TabletForm({ app: initial, instrument }: { app: Application; instrument: InstrumentData }) {
  const { t } = usePrefs();
  const navigate = useNavigate();
  const [app, setApp] = useState(initial);
  const sync = useAnswerSync(initial, setApp);
  const items = instrument.items;
  const total = items.length;
  const [sp, setSp] = useSearchParams();
  const stepParam = sp.get('step');
  const step = stepParam === 'end' ? total : Math.min(Math.max(Number(stepParam) || 1, 1), total) - 1;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const answered = items.filter((it) => typeof sync.draft.answers[it.key] === 'number').length;

  const go = useCallback(
    (next: number) => {
      const p = new URLSearchParams(sp);
      p.set('step', next >= total ? 'end' : String(next + 1));
      setSp(p, { replace: false });
    },
    [sp, setSp, total],
  );

  // After moving between screens, focus the new screen's heading (the h1 keeps it on arrival).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [step]);

  return (
    <div className="tablet-form">
      <h1 className="form-title">{t('asmt.form.title', { name: personNameOf(app) })}</h1>
      <div className="form-topbar">
        <SyncBadge sync={sync} />
        <ProgressBar step={step} total={total} answered={answered} />
      </div>

      {step < total ? (
        <ItemScreen
          key={items[step]!.key}
          instrument={instrument}
          index={step}
          value={sync.draft.answers[items[step]!.key]}
          onAnswer={(score) => sync.record({ answers: { [items[step]!.key]: score } })}
          headingRef={headingRef}
        />
      ) : (
        <EndScreen
          app={app}
          instrument={instrument}
          sync={sync}
          headingRef={headingRef}
          onJump={go}
          onSubmitted={(a) => navigate(`/workbench/assessments/${encodeURIComponent(a.id)}`, { state: { submitted: true } })}
        />
      )}

      <nav className="form-nav button-row" aria-label={t('asmt.form.navLabel')}>
        <button type="button" className="button button-secondary button-big" disabled={step === 0} onClick={() => go(step - 1)}>
          <span aria-hidden="true">← </span>
          {t('asmt.form.prev')}
        </button>
        {step < total && (
          <button type="button" className="button button-primary button-big" onClick={() => go(step + 1)}>
            {step === total - 1 ? t('asmt.form.toEnd') : t('asmt.form.next')}
            <span aria-hidden="true"> →</span>
          </button>
        )}
      </nav>

      <JumpList instrument={instrument} answers={sync.draft.answers} current={step} onJump={go} />
    </div>
  );
}

function SyncBadge({ sync }: { sync: AnswerSync }) {
  const { t } = usePrefs();
  const text =
    sync.status === 'synced'
      ? t('asmt.sync.synced')
      : sync.status === 'offline'
        ? t('asmt.sync.offline', { n: sync.pending })
        : sync.status === 'error'
          ? t('asmt.sync.error', { n: sync.pending })
          : t('asmt.sync.local', { n: sync.pending });
  const sign = sync.status === 'synced' ? '✓' : sync.status === 'offline' ? '⏸' : sync.status === 'error' ? '⚠' : '…';
  return (
    <div className="sync-badge" data-sync={sync.status} data-pending={sync.pending} data-testid="sync-status">
      <p role="status">
        <span aria-hidden="true">{sign} </span>
        {text}
      </p>
      {sync.status === 'error' && (
        <>
          {sync.error && <p className="field-error">{sync.error}</p>}
          <button type="button" className="button button-secondary" onClick={() => void sync.flush()}>
            {t('asmt.sync.retry')}
          </button>
        </>
      )}
    </div>
  );
}

function ProgressBar({ step, total, answered }: { step: number; total: number; answered: number }) {
  const { t } = usePrefs();
  return (
    <div className="form-progress">
      <p className="form-progress-text">
        {step < total ? t('asmt.form.position', { n: step + 1, total }) : t('asmt.form.endPosition')}
        {' · '}
        {t('asmt.form.answered', { n: answered, total })}
      </p>
      <progress max={total} value={answered} aria-label={t('asmt.form.answered', { n: answered, total })} />
    </div>
  );
}

function ItemScreen({
  instrument,
  index,
  value,
  onAnswer,
  headingRef,
}: {
  instrument: InstrumentData;
  index: number;
  value: number | undefined;
  onAnswer: (score: number) => void;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
}) {
  const { t, td } = usePrefs();
  const item = instrument.items[index]!;
  const dim = instrument.dimensions.find((d) => d.code === item.dimension);
  const headingId = useId();
  const defId = useId();
  return (
    <section className="card item-screen" aria-labelledby={headingId}>
      <p className="item-dimension muted">{dim ? td(`asmt.dim.${dim.code}`, dim.name) : ''}</p>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="item-title">
        {t('asmt.form.itemTitle', { n: item.key, name: item.name })}
      </h2>
      {item.definition && (
        <p id={defId} className="hint">
          {item.definition}
        </p>
      )}
      <fieldset className="option-list" aria-describedby={item.definition ? defId : undefined}>
        <legend className="visually-hidden">{t('asmt.form.itemTitle', { n: item.key, name: item.name })}</legend>
        {item.options.map((o) => {
          const checked = value === o.score;
          return (
            <label key={o.score} className="option-card" data-checked={checked || undefined}>
              <input
                type="radio"
                name={`item-${item.key}`}
                value={o.score}
                checked={checked}
                onChange={() => onAnswer(o.score)}
              />
              <span className="option-score">{t('asmt.form.score', { n: o.score })}</span>
              <span className="option-label">{o.label}</span>
            </label>
          );
        })}
      </fieldset>
    </section>
  );
}

function JumpList({
  instrument,
  answers,
  current,
  onJump,
}: {
  instrument: InstrumentData;
  answers: Record<string, number>;
  current: number;
  onJump: (i: number) => void;
}) {
  const { t } = usePrefs();
  const total = instrument.items.length;
  return (
    <details className="jump-list card">
      <summary>{t('asmt.form.jump')}</summary>
      <ol role="list">
        {instrument.items.map((it, i) => {
          const done = typeof answers[it.key] === 'number';
          return (
            <li key={it.key}>
              <button
                type="button"
                className="jump-button"
                aria-current={i === current ? 'step' : undefined}
                onClick={() => onJump(i)}
              >
                <span className="jump-no">{it.key}</span>
                <span className="jump-name">{it.name}</span>
                <span className="jump-state">{done ? `✓ ${t('asmt.form.done')}` : t('asmt.form.todo')}</span>
              </button>
            </li>
          );
        })}
        <li>
          <button
            type="button"
            className="jump-button"
            aria-current={current === total ? 'step' : undefined}
            onClick={() => onJump(total)}
          >
            <span className="jump-no" aria-hidden="true">
              ∑
            </span>
            <span className="jump-name">{t('asmt.form.endTitle')}</span>
          </button>
        </li>
      </ol>
    </details>
  );
}

function EndScreen({
  app,
  instrument,
  sync,
  headingRef,
  onJump,
  onSubmitted,
}: {
  app: Application;
  instrument: InstrumentData;
  sync: AnswerSync;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  onJump: (i: number) => void;
  onSubmitted: (a: Application) => void;
}) {
  const { t, td } = usePrefs();
  const { draft } = sync;
  const ids = { coma: useId(), diag: useId(), diagHint: useId(), diagErr: useId(), risk: useId(), riskHint: useId(), riskErr: useId() };
  const [diagText, setDiagText] = useState((draft.diagnoses ?? []).join('、'));
  const [diagError, setDiagError] = useState<string | null>(null);
  const [riskText, setRiskText] = useState(draft.riskEvents30d === undefined ? '0' : String(draft.riskEvents30d));
  const [riskError, setRiskError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const submitErrRef = useRef<HTMLDivElement>(null);

  const missing = instrument.items.filter((it) => typeof draft.answers[it.key] !== 'number');

  const commitDiagnoses = () => {
    const { codes, bad } = parseDiagnoses(diagText);
    if (bad.length > 0) {
      setDiagError(t('asmt.end.diagnosesBad', { codes: bad.join('、') }));
      return false;
    }
    setDiagError(null);
    const same = JSON.stringify(codes) === JSON.stringify(draft.diagnoses ?? []);
    if (!same) sync.record({ diagnoses: codes });
    return true;
  };

  const commitRisk = (text: string) => {
    const v = text.trim() === '' ? 0 : Number(text);
    if (!Number.isSafeInteger(v) || v < 0) {
      setRiskError(t('asmt.end.riskBad'));
      return false;
    }
    setRiskError(null);
    if (v !== (draft.riskEvents30d ?? -1)) sync.record({ riskEvents30d: v });
    return true;
  };

  // Record the defaults once (no coma, 0 events) so the server holds an explicit answer.
  const defaultsDone = useRef(false);
  useEffect(() => {
    if (defaultsDone.current) return;
    defaultsDone.current = true;
    const change: { coma?: boolean; riskEvents30d?: number } = {};
    if (draft.coma === undefined) change.coma = false;
    if (draft.riskEvents30d === undefined) change.riskEvents30d = 0;
    if (Object.keys(change).length > 0) sync.record(change);
  }, []);

  const local = useMemo(() => (missing.length === 0 ? scoreLocally(instrument, draft) : undefined), [instrument, draft, missing.length]);
  const [serverPreview, setServerPreview] = useState<{ key: string; result: ScoreResult | null; error: string | null } | null>(null);
  const reqKey = JSON.stringify(scoreRequest(draft));
  useEffect(() => {
    if (local !== null || missing.length > 0) return;
    // The interpreter did not compile here: ask the server for the same computation.
    const timer = window.setTimeout(() => {
      assessmentApi
        .score(scoreRequest(draft))
        .then((r) => setServerPreview({ key: reqKey, result: r, error: null }))
        .catch((e: unknown) => setServerPreview({ key: reqKey, result: null, error: errorText(e, t) }));
    }, 300);
    return () => window.clearTimeout(timer);
  }, [reqKey, local, missing.length]);

  const preview: { result: ScoreResult | null; error: string | null } | null =
    local === undefined
      ? null
      : local === null
        ? serverPreview?.key === reqKey
          ? serverPreview
          : null
        : local.ok
          ? { result: local.value, error: null }
          : { result: null, error: local.error.message };

  const submit = async () => {
    if (submitting) return;
    setSubmitError(null);
    const fail = (msg: string) => {
      setSubmitError(msg);
      requestAnimationFrame(() => submitErrRef.current?.focus());
    };
    if (missing.length > 0) return fail(t('asmt.submit.missing', { n: missing.length }));
    if (!commitDiagnoses() || !commitRisk(riskText)) return fail(t('asmt.submit.fixFields'));
    setSubmitting(true);
    try {
      const allSent = await sync.flush();
      if (!allSent) return fail(t('asmt.submit.unsynced'));
      const done = await assessmentApi.submit(app.id);
      onSubmitted(done);
    } catch (e) {
      fail(e instanceof ApiError && e.message ? e.message : errorText(e, t));
    } finally {
      setSubmitting(false);
    }
  };

  const dims = partialDimensions(instrument, draft.answers);
  const onDiagKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commitDiagnoses();
    }
  };

  return (
    <section className="end-screen" aria-labelledby="asmt-end-title">
      <h2 id="asmt-end-title" ref={headingRef} tabIndex={-1}>
        {t('asmt.form.endTitle')}
      </h2>

      <div className="card stack">
        <fieldset className="field">
          <legend>{t('asmt.end.coma')}</legend>
          <div className="option-list option-list-inline">
            {[false, true].map((v) => (
              <label key={String(v)} className="option-card" data-checked={draft.coma === v || undefined}>
                <input
                  type="radio"
                  name={ids.coma}
                  checked={draft.coma === v}
                  onChange={() => sync.record({ coma: v })}
                />
                <span className="option-label">{v ? t('asmt.end.comaYes') : t('asmt.end.comaNo')}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor={ids.diag}>{t('asmt.end.diagnoses')}</label>
          <p id={ids.diagHint} className="hint">
            {t('asmt.end.diagnosesHint')}
          </p>
          {diagError && (
            <p id={ids.diagErr} className="field-error">
              {diagError}
            </p>
          )}
          <input
            id={ids.diag}
            value={diagText}
            onChange={(e) => setDiagText(e.target.value)}
            onBlur={commitDiagnoses}
            onKeyDown={onDiagKey}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={diagError ? true : undefined}
            aria-describedby={[ids.diagHint, diagError ? ids.diagErr : ''].filter(Boolean).join(' ')}
          />
        </div>

        <div className="field">
          <label htmlFor={ids.risk}>{t('asmt.end.risk')}</label>
          <p id={ids.riskHint} className="hint">
            {t('asmt.end.riskHint')}
          </p>
          {riskError && (
            <p id={ids.riskErr} className="field-error">
              {riskError}
            </p>
          )}
          <input
            id={ids.risk}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            value={riskText}
            onChange={(e) => {
              setRiskText(e.target.value);
              commitRisk(e.target.value);
            }}
            aria-invalid={riskError ? true : undefined}
            aria-describedby={[ids.riskHint, riskError ? ids.riskErr : ''].filter(Boolean).join(' ')}
            className="input-short"
          />
        </div>
      </div>

      {missing.length > 0 ? (
        <section className="card section-card" aria-labelledby="asmt-missing">
          <h3 id="asmt-missing">{t('asmt.end.missingTitle', { n: missing.length })}</h3>
          <ul className="missing-list">
            {missing.map((it) => (
              <li key={it.key}>
                <button type="button" className="button button-secondary" onClick={() => onJump(instrument.items.indexOf(it))}>
                  {t('asmt.form.itemTitle', { n: it.key, name: it.name })}
                </button>
              </li>
            ))}
          </ul>
          <p className="muted">
            {t('asmt.end.partial', {
              dims: instrument.dimensions.map((d) => `${td(`asmt.dim.${d.code}`, d.name)} ${dims[d.code] ?? 0}`).join('，'),
            })}
          </p>
        </section>
      ) : preview?.result ? (
        <ResultView
          result={preview.result}
          instrument={instrument}
          headingId="asmt-running"
          headingLevel={3}
          title={t('asmt.end.running')}
        />
      ) : preview?.error ? (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{t('asmt.end.scoreFailed')}</p>
          <p>{preview.error}</p>
        </div>
      ) : (
        <p role="status" className="loading">
          {t('common.loading')}
        </p>
      )}

      {submitError && (
        <div className="notice notice-error" role="alert" ref={submitErrRef} tabIndex={-1}>
          <p className="notice-title">{t('asmt.submit.failed')}</p>
          <p>{submitError}</p>
        </div>
      )}
      <p>
        <button
          type="button"
          className="button button-primary button-big"
          aria-disabled={submitting || undefined}
          onClick={() => void submit()}
        >
          {submitting ? t('asmt.submit.sending') : t('asmt.submit')}
        </button>
      </p>
    </section>
  );
}
