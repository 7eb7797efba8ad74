// 探访任务 (/workbench/tasks; advisors see the visits they are asked to make, officers and admins
// those in their area). Each visit names the person (linked to their record) and the scheme; an
// application for that scheme can be recorded on the spot (登记申请 → POST /people/:id/grants), and
// the visit closed as done or cancelled with a note. ?status= keeps the filter in the address.
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText, formatDateTime, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { outreachApi, taskApi, type OutreachTask } from '../outreach/api.ts';
import { useOutText, type OutKey } from '../outreach/text.ts';
import { CloseTaskDialog } from './CloseTaskDialog.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';

/** The roles the server grants entitlements.apply (src/platform/permissions.ts): they record and close. */
const TASK_ROLES = ['advisor', 'officer', 'admin'];
const STATUSES = ['assigned', 'done', 'cancelled', 'all'] as const;
type StatusFilter = (typeof STATUSES)[number];

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: OutreachTask[] };
type Message = { kind: 'ok' | 'error'; title: string; body?: string };

export function TasksPage() {
  const user = useUser();
  if (!TASK_ROLES.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <TasksBody />;
}

function TasksBody() {
  const { t, lang } = usePrefs();
  const x = useOutText();
  const user = useUser();
  usePageTitle(x('task.title'));
  const [sp, setSp] = useSearchParams();
  const raw = sp.get('status');
  const filter: StatusFilter = (STATUSES as readonly (string | null)[]).includes(raw) ? (raw as StatusFilter) : 'assigned';
  const ids = { filter: useId(), list: useId() };
  // The select shows a choice at once (arrow keys move on from it), while the address follows.
  const [picked, setPicked] = useState<StatusFilter>(filter);
  useEffect(() => setPicked(filter), [filter]);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [closing, setClosing] = useState<{ task: OutreachTask; status: 'done' | 'cancelled' } | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [applying, setApplying] = useState<string | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const openers = useRef(new Map<string, HTMLButtonElement | null>());
  const focusMessage = useRef(false);
  // Officers and admins see everyone's visits: the task names its advisor by id, the advisor list by name.
  const [advisorNames, setAdvisorNames] = useState<ReadonlyMap<string, string>>(new Map());
  const seesOthers = user.role !== 'advisor';

  useEffect(() => {
    if (!seesOthers) return;
    const ctl = new AbortController();
    outreachApi
      .advisors(ctl.signal)
      .then((r) => setAdvisorNames(new Map(r.items.map((a) => [a.id, a.displayName]))))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [seesOthers]);

  useEffect(() => {
    const ctl = new AbortController();
    setLoad((l) => (l.status === 'ok' ? l : { status: 'loading' }));
    taskApi
      .list(filter === 'all' ? undefined : filter, ctl.signal)
      .then((r) => setLoad({ status: 'ok', items: r.items }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [filter, attempt]);

  useEffect(() => {
    if (!focusMessage.current || !messageRef.current) return;
    focusMessage.current = false;
    messageRef.current.focus();
  });

  const apply = async (task: OutreachTask) => {
    if (applying) return;
    setApplying(task.id);
    try {
      await taskApi.record(task.personId, task.scheme, 'applied');
      setMessage({ kind: 'ok', title: x('task.applied', { name: task.name, scheme: task.schemeName }) });
    } catch (e) {
      setMessage({ kind: 'error', title: x('task.apply.failed'), body: errorText(e, t) });
    } finally {
      setApplying(null);
    }
  };

  const closed = (task: OutreachTask, status: 'done' | 'cancelled') => {
    setClosing(null);
    setMessage({ kind: 'ok', title: x(status === 'done' ? 'task.closed.done' : 'task.closed.cancelled', { name: task.name }) });
    focusMessage.current = true;
    setLoad((l) =>
      l.status !== 'ok'
        ? l
        : {
            status: 'ok',
            items: filter === 'assigned' ? l.items.filter((i) => i.id !== task.id) : l.items.map((i) => (i.id === task.id ? { ...i, status } : i)),
          },
    );
    setAttempt((n) => n + 1);
  };

  const statusKey = (s: OutreachTask['status'] | 'all'): OutKey => `task.status.${s}`;

  return (
    <>
      <h1>{x('task.title')}</h1>
      <p>{x(user.role === 'advisor' ? 'task.intro.advisor' : 'task.intro.other')}</p>
      <div className="field task-filter">
        <label htmlFor={ids.filter}>{x('task.status')}</label>
        <select
          id={ids.filter}
          value={picked}
          onChange={(e) => {
            setPicked(e.target.value as StatusFilter);
            setSp(e.target.value === 'assigned' ? {} : { status: e.target.value });
          }}
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {x(statusKey(s))}
            </option>
          ))}
        </select>
      </div>

      {/* Always in the page, so that each step done is heard; a refusal comes as an alert of its own. */}
      <div ref={messageRef} tabIndex={-1} role="status" className={message?.kind === 'ok' ? 'notice' : 'status-slot'} data-testid="task-message">
        {message?.kind === 'ok' && <p className="notice-title">{message.title}</p>}
      </div>
      {message?.kind === 'error' && (
        <div role="alert" className="notice notice-error" data-testid="task-error">
          <p className="notice-title">{message.title}</p>
          {message.body && <p>{message.body}</p>}
        </div>
      )}

      <section aria-labelledby={ids.list}>
        <h2 id={ids.list}>{x('task.list')}</h2>
        <LoadStatus load={load} loadingText={x('task.loading')} failedTitle={x('task.failed')} onRetry={() => setAttempt((n) => n + 1)} />
        {load.status === 'ok' && load.items.length === 0 && <p className="empty">{x('task.empty')}</p>}
        {load.status === 'ok' && load.items.length > 0 && (
          <>
            <p className="count">{x('task.count', { n: load.items.length })}</p>
            <ul className="task-list" role="list" data-testid="task-list">
              {load.items.map((task) => (
                <li key={task.id} className="card task-card" data-id={task.id} data-person={task.personId}>
                  <h3>
                    <Link to={`/workbench/people/${encodeURIComponent(task.personId)}`}>{task.name}</Link>
                    {' · '}
                    {task.schemeName}
                  </h3>
                  <dl className="task-facts">
                    <div>
                      <dt>{x('task.place')}</dt>
                      <dd>{task.regionName}</dd>
                    </div>
                    {seesOthers && (
                      <div>
                        <dt>{x('task.advisor')}</dt>
                        <dd>{advisorNames.get(task.advisorId) ?? '—'}</dd>
                      </div>
                    )}
                    <div>
                      <dt>{x('task.created')}</dt>
                      <dd>{formatDateTime(task.createdAt, lang)}</dd>
                    </div>
                    <div>
                      <dt>{x('task.state')}</dt>
                      <dd>{x(statusKey(task.status))}</dd>
                    </div>
                    {task.note && (
                      <div>
                        <dt>{x('task.note')}</dt>
                        <dd>{task.note}</dd>
                      </div>
                    )}
                  </dl>
                  {task.status === 'assigned' && (
                    <div className="button-row">
                      <button
                        type="button"
                        className="button button-primary"
                        aria-label={x('task.apply.label', { name: task.name, scheme: task.schemeName })}
                        aria-disabled={applying === task.id || undefined}
                        onClick={() => void apply(task)}
                      >
                        {x('task.apply')}
                      </button>
                      {(['done', 'cancelled'] as const).map((s) => (
                        <button
                          key={s}
                          type="button"
                          ref={(el) => {
                            openers.current.set(`${task.id}.${s}`, el);
                          }}
                          className="button button-secondary"
                          aria-haspopup="dialog"
                          aria-label={x(s === 'done' ? 'task.done.label' : 'task.cancel.label', { name: task.name })}
                          onClick={() => setClosing({ task, status: s })}
                        >
                          {x(s === 'done' ? 'task.done' : 'task.cancel')}
                        </button>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {closing && (
        <CloseTaskDialog
          key={`${closing.task.id}.${closing.status}`}
          task={closing.task}
          status={closing.status}
          onDismiss={() => {
            const key = `${closing.task.id}.${closing.status}`;
            setClosing(null);
            requestAnimationFrame(() => openers.current.get(key)?.focus());
          }}
          onDone={() => closed(closing.task, closing.status)}
        />
      )}
    </>
  );
}
