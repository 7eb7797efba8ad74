// One assessment application: its state, person, agency and assessors, the result explained,
// validity and how to appeal, and the one next step this user may take (assign for officers,
// the tablet form for the first assessor, countersign for the second), and closing the
// application with a reason (不予受理, 撤销).
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { errorText, formatDate, formatDateTime, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import {
  agencyOf,
  assessmentApi,
  assessorsOf,
  expectedResultOf,
  expectedVisitOf,
  isAssessor,
  isOverdue,
  namedRef,
  personIdMaskedOf,
  personNameOf,
  todayLocal,
  type Application,
  type InstrumentData,
  type NamedRef,
} from './api.ts';
import { mayReadPeople, useAgencyNames, usePersonNames } from './names.ts';
import { CloseApplication } from './CloseApplication.tsx';
import { ResultView } from './ResultView.tsx';

type Load =
  | { status: 'loading' }
  | { status: 'notFound'; message: string }
  | { status: 'error'; message: string }
  | { status: 'ok'; app: Application };

export function AssessmentPage() {
  const { id = '' } = useParams();
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [instrument, setInstrument] = useState<InstrumentData | null>(null);
  const [attempt, setAttempt] = useState(0);
  const user = useUser();
  const names = usePersonNames(load.status === 'ok' ? [load.app.personId] : [], mayReadPeople(user.role));
  usePageTitle(load.status === 'ok' ? t('asmt.detail.title', { name: personNameOf(load.app, names) }) : t('asmt.list.title'));

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    assessmentApi
      .get(id, ctl.signal)
      .then((app) => {
        setLoad({ status: 'ok', app });
        assessmentApi
          .instrument(ctl.signal, app.instrument)
          .then(setInstrument)
          .catch(() => undefined);
      })
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) setLoad({ status: 'notFound', message: e.message });
        else setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
  }, [id, attempt]);

  const back = (
    <p className="back-link">
      <Link to="/workbench/assessments">
        <span aria-hidden="true">← </span>
        {t('asmt.back')}
      </Link>
    </p>
  );

  if (load.status !== 'ok') {
    return (
      <>
        {back}
        <h1>{load.status === 'notFound' ? t('asmt.notFound') : t('asmt.list.title')}</h1>
        {load.status === 'loading' && (
          <p role="status" className="loading">
            {t('common.loading')}
          </p>
        )}
        {(load.status === 'error' || load.status === 'notFound') && (
          <div className="notice notice-error" role="alert">
            <p>{load.message || t('asmt.notFound')}</p>
          </div>
        )}
        {load.status === 'error' && (
          <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        )}
      </>
    );
  }
  return (
    <>
      {back}
      <Detail app={load.app} names={names} instrument={instrument} onChange={(app) => setLoad({ status: 'ok', app })} />
    </>
  );
}

function Detail({
  app,
  names,
  instrument,
  onChange,
}: {
  app: Application;
  names: ReadonlyMap<string, { name: string; idNumberMasked: string }>;
  instrument: InstrumentData | null;
  onChange: (a: Application) => void;
}) {
  const { t, td, lang } = usePrefs();
  const user = useUser();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const agencyNames = useAgencyNames(true);
  const agency = agencyOf(app, agencyNames);
  const assessors = assessorsOf(app).map((r) => (r.id === user.id ? { ...r, name: t('asmt.me', { name: user.displayName }) } : r));
  const masked = personIdMaskedOf(app, names);
  const overdue = isOverdue(app, todayLocal());
  const answered = app.progress?.answered ?? Object.keys(app.answers ?? {}).length;
  const total = app.progress?.total ?? instrument?.items.length ?? 26;

  const canAssign = user.role === 'officer' || user.role === 'admin';
  const isFirst = isAssessor(app, user, 0);
  const isSecond = isAssessor(app, user, 1);

  const act = async (fn: () => Promise<Application>, done: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const next = await fn();
      onChange(next);
      setMessage({ kind: 'ok', text: done });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const rows: [string, React.ReactNode][] = [
    [t('asmt.field.state'), <strong>{td(`asmt.state.${app.state}`, app.state)}</strong>],
    [
      t('asmt.field.person'),
      mayReadPeople(user.role) ? (
        <Link to={`/workbench/people/${encodeURIComponent(app.personId)}`}>{personNameOf(app, names)}</Link>
      ) : (
        personNameOf(app, names)
      ),
    ],
    [t('field.idNumber'), masked ? <span className="mono">{masked}</span> : null],
    [t('asmt.field.reason'), app.reason ? td(`asmt.reason.${app.reason}`, app.reason) : null],
    [t('asmt.field.channel'), app.channel ? td(`asmt.channel.${app.channel}`, app.channel) : null],
    [t('asmt.field.applicant'), app.applicant ? td(`asmt.applicant.${app.applicant}`, app.applicant) : null],
    [t('asmt.field.agency'), agency?.name ?? null],
    [t('asmt.field.assessor1'), assessors[0]?.name ?? null],
    [t('asmt.field.assessor2'), assessors[1]?.name ?? null],
    [t('asmt.field.progress'), t('asmt.progress.short', { n: answered, total })],
    [
      t('asmt.field.expectedVisit'),
      expectedVisitOf(app) ? formatDate(expectedVisitOf(app)?.slice(0, 10)) : null,
    ],
    [
      t('asmt.field.expectedResult'),
      expectedResultOf(app) ? (
        <>
          {formatDate(expectedResultOf(app)?.slice(0, 10))}
          {overdue && <span className="tag tag-alert"> ⚠ {t('asmt.overdue')}</span>}
        </>
      ) : null,
    ],
    [t('asmt.field.validUntil'), app.validUntil ? formatDate(app.validUntil.slice(0, 10)) : null],
    [t('asmt.field.createdAt'), app.createdAt ? formatDateTime(app.createdAt, lang) : null],
  ];

  return (
    <>
      <h1 className="person-title">
        {t('asmt.detail.title', { name: personNameOf(app, names) })}
        <span className="tag">{td(`asmt.state.${app.state}`, app.state)}</span>
      </h1>

      <section aria-labelledby="asmt-next" className="card section-card">
        <h2 id="asmt-next" tabIndex={-1}>
          {t('asmt.next.title')}
        </h2>
        <div role="status" className="status-slot">
          {message?.kind === 'ok' && <p className="notice">{message.text}</p>}
        </div>
        {message?.kind === 'error' && (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{t('asmt.action.failed')}</p>
            <p>{message.text}</p>
          </div>
        )}
        {Array.isArray(app.stateReasons) && app.stateReasons.length > 0 && (
          <div className={app.state === 'rejected' ? 'notice notice-error' : 'notice'}>
            <p className="notice-title">{t('asmt.stateReasons', { state: td(`asmt.state.${app.state}`, app.state) })}</p>
            <ul>
              {(app.stateReasons as { code?: string; message?: string }[]).map((r, i) => (
                <li key={`${r.code ?? ''}-${i}`}>{r.message ?? r.code}</li>
              ))}
            </ul>
          </div>
        )}
        <NextStep
          app={app}
          canAssign={canAssign}
          isFirst={isFirst}
          isSecond={isSecond}
          busy={busy}
          onAssign={(agencyId, assessorIds) =>
            act(() => assessmentApi.assign(app.id, { agencyId, assessorIds }), t('asmt.assign.done'))
          }
          onCountersign={() => act(() => assessmentApi.countersign(app.id), t('asmt.countersign.done'))}
          onOpenForm={() => navigate(`/workbench/assessments/${encodeURIComponent(app.id)}/form`)}
        />
        <CloseApplication
          app={app}
          role={user.role}
          onClosed={(next, text) => {
            onChange(next);
            setMessage({ kind: 'ok', text });
            requestAnimationFrame(() => document.getElementById('asmt-next')?.focus());
          }}
        />
      </section>

      <section aria-labelledby="asmt-basic" className="card section-card">
        <h2 id="asmt-basic">{t('asmt.detail.basic')}</h2>
        <dl className="field-list">
          {rows.map(([label, value]) => (
            <div key={label} className="field-row">
              <dt>{label}</dt>
              <dd>{value === null || value === undefined || value === '' ? <span className="muted">{t('common.empty')}</span> : value}</dd>
            </div>
          ))}
        </dl>
      </section>

      {app.result ? (
        <>
          <ResultView
            result={app.result}
            instrument={instrument}
            headingId="asmt-result"
            title={app.state === 'completed' ? t('asmt.result.title') : t('asmt.result.pending')}
          />
          {app.state === 'completed' && (
            <section aria-labelledby="asmt-appeal" className="card section-card">
              <h2 id="asmt-appeal">{t('asmt.appeal.title')}</h2>
              <p>
                {app.validUntil
                  ? t('asmt.appeal.validity', { date: formatDate(app.validUntil.slice(0, 10)) })
                  : t('asmt.appeal.validityDefault')}
              </p>
              <p>
                {app.appealBy
                  ? t('asmt.appeal.by', { date: formatDate(String(app.appealBy).slice(0, 10)) })
                  : t('asmt.appeal.how')}
              </p>
              <p>
                <a className="button button-secondary" href={`/api/v1/assessments/${encodeURIComponent(app.id)}/report.pdf`} download>
                  {t('asmt.report.download')}
                </a>
              </p>
            </section>
          )}
        </>
      ) : (
        <p className="empty">{t('asmt.result.none')}</p>
      )}
    </>
  );
}

function NextStep({
  app,
  canAssign,
  isFirst,
  isSecond,
  busy,
  onAssign,
  onCountersign,
  onOpenForm,
}: {
  app: Application;
  canAssign: boolean;
  isFirst: boolean;
  isSecond: boolean;
  busy: boolean;
  onAssign: (agencyId: string, assessorIds: string[]) => Promise<void>;
  onCountersign: () => Promise<void>;
  onOpenForm: () => void;
}) {
  const { t } = usePrefs();
  if (app.state === 'applied' && canAssign) return <AssignForm busy={busy} onAssign={onAssign} />;
  if ((app.state === 'assigned' || app.state === 'in_progress') && isFirst) {
    return (
      <p>
        <button type="button" className="button button-primary button-big" onClick={onOpenForm}>
          {t(app.state === 'assigned' ? 'asmt.form.start' : 'asmt.form.continue')}
        </button>
      </p>
    );
  }
  if (app.state === 'submitted' && isSecond) {
    return (
      <>
        <p>{t('asmt.countersign.hint')}</p>
        <p>
          <button
            type="button"
            className="button button-primary"
            aria-disabled={busy || undefined}
            onClick={() => {
              if (!busy) void onCountersign();
            }}
          >
            {t('asmt.countersign')}
          </button>
        </p>
      </>
    );
  }
  return <p className="muted">{t(`asmt.next.${app.state}`)}</p>;
}

interface AgencyOption extends NamedRef {
  assessors: NamedRef[];
}

function AssignForm({ busy, onAssign }: { busy: boolean; onAssign: (agencyId: string, assessorIds: string[]) => Promise<void> }) {
  const { t } = usePrefs();
  const [agencies, setAgencies] = useState<AgencyOption[] | null>(null);
  const [agencyId, setAgencyId] = useState('');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { agency: useId(), first: useId(), second: useId(), problem: useId() };
  const problemRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    assessmentApi
      .agencies(ctl.signal)
      .then((r) =>
        setAgencies(
          (r.items ?? []).flatMap((x) => {
            const ref = namedRef(x);
            if (!ref) return [];
            const raw = (x as { assessors?: unknown[] }).assessors ?? [];
            return [{ ...ref, assessors: raw.flatMap((a) => namedRef(a) ?? []) }];
          }),
        ),
      )
      .catch(() => setAgencies([]));
    return () => ctl.abort();
  }, []);

  const agency = agencies?.find((a) => a.id === agencyId);
  const pickers = !!agencies && agencies.length > 0;

  const submit = useCallback(
    (e: FormEvent) => {
      e.preventDefault();
      if (busy) return;
      if (!agencyId.trim() || !first.trim() || !second.trim()) {
        setProblem(t('asmt.assign.missing'));
        requestAnimationFrame(() => problemRef.current?.focus());
        return;
      }
      if (first.trim() === second.trim()) {
        setProblem(t('asmt.assign.same'));
        requestAnimationFrame(() => problemRef.current?.focus());
        return;
      }
      setProblem(null);
      void onAssign(agencyId.trim(), [first.trim(), second.trim()]);
    },
    [agencyId, first, second, busy, onAssign, t],
  );

  const assessorField = (id: string, label: string, value: string, set: (v: string) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {pickers ? (
        <select id={id} value={value} onChange={(e) => set(e.target.value)} disabled={!agency}>
          <option value="">{t('asmt.assign.choose')}</option>
          {(agency?.assessors ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} value={value} onChange={(e) => set(e.target.value)} autoComplete="off" />
      )}
    </div>
  );

  return (
    <form className="stack assign-form" onSubmit={submit} noValidate aria-labelledby="asmt-assign-title">
      <h3 id="asmt-assign-title">{t('asmt.assign.title')}</h3>
      {problem && (
        <p id={ids.problem} ref={problemRef} tabIndex={-1} className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="field">
        <label htmlFor={ids.agency}>{t('asmt.field.agency')}</label>
        {pickers ? (
          <select
            id={ids.agency}
            value={agencyId}
            onChange={(e) => {
              setAgencyId(e.target.value);
              setFirst('');
              setSecond('');
            }}
          >
            <option value="">{t('asmt.assign.choose')}</option>
            {agencies.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        ) : (
          <input id={ids.agency} value={agencyId} onChange={(e) => setAgencyId(e.target.value)} autoComplete="off" />
        )}
      </div>
      {assessorField(ids.first, t('asmt.field.assessor1'), first, setFirst)}
      {assessorField(ids.second, t('asmt.field.assessor2'), second, setSecond)}
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {t('asmt.assign.submit')}
        </button>
      </div>
    </form>
  );
}
