// 关联的居民账号 on the person page: the citizen accounts that see this person's records on
// their own pages (本人 or 家属), as GET /api/v1/people/:id/links lists them (read-audited), and —
// for staff who may change the register (people.write: advisor, officer, admin) — a form to link
// an account after the relationship has been checked in person, and 解除关联 per row, confirmed
// in a native modal <dialog> (focus moves in, Esc goes back, the server's refusal shows inside).
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { request, type Role } from '../api.ts';
import { errorText, formatDateTime, isAbort } from '../format.ts';
import type { Lang, Vars } from '../i18n.ts';
import { usePrefs } from '../prefs.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useUser } from './auth.tsx';

/** The roles the server grants people.read and people.write (src/platform/permissions.ts). */
const READERS: readonly Role[] = ['advisor', 'officer', 'auditor', 'admin'];
const WRITERS: readonly Role[] = ['advisor', 'officer', 'admin'];

export type LinkRelation = 'self' | 'family';

export interface PersonLink {
  userId: string;
  username: string;
  displayName: string;
  relation: LinkRelation;
  relationName: string;
  disabled: boolean;
  linkedAt: string;
  linkedBy: string | null;
}

const path = (personId: string) => `/api/v1/people/${encodeURIComponent(personId)}/links`;
const linksApi = {
  list: (personId: string, signal?: AbortSignal) => request<{ items: PersonLink[] }>(path(personId), { signal }),
  link: (personId: string, username: string, relation: LinkRelation) =>
    request<PersonLink>(path(personId), { method: 'POST', json: { username, relation } }),
  unlink: (personId: string, userId: string) =>
    request<void>(`${path(personId)}/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
};

const zh = {
  title: '关联的居民账号',
  intro: '这些居民账号登录后可以看到这位老人的电子券、轮候和居家照护等信息（本人或家属）。',
  loading: '正在读取关联账号…',
  failed: '无法读取关联账号：{message}',
  empty: '还没有关联的居民账号。',
  caption: '关联的居民账号',
  username: '账号',
  name: '姓名',
  relation: '关系',
  linkedAt: '关联时间',
  linkedBy: '办理人',
  actions: '操作',
  disabled: '已停用',
  'relation.self': '本人',
  'relation.family': '家属',
  formTitle: '关联一个居民账号',
  field: '居民账号',
  fieldHint: '填写居民登录用的账号名。请先当面核实对方是老人本人或家属。',
  needUsername: '请填写居民账号。',
  relationField: '关系',
  submit: '关联',
  busy: '正在关联…',
  linked: '已关联居民账号 {username}（{relation}）。',
  already: '居民账号 {username} 已关联（{relation}），没有重复关联。',
  linkFailed: '没有关联成功',
  deceased: '该人员已故，不能再关联账号。',
  unlink: '解除关联',
  unlinkLabel: '解除关联：{username}',
  confirmTitle: '解除关联',
  confirmBody: '确定解除居民账号 {username}（{name}）作为{relation}的关联吗？解除后，该账号将不再看到这位老人的信息。',
  confirmOk: '确认解除',
  confirmBusy: '正在解除…',
  back: '返回',
  unlinkFailed: '没有解除成功',
  unlinked: '已解除居民账号 {username} 的关联。',
};
type Key = keyof typeof zh;

const en: Record<Key, string> = {
  title: 'Linked citizen accounts',
  intro: "These citizen accounts see this person's vouchers, waiting list and home care when signed in (as the person or as family).",
  loading: 'Loading linked accounts…',
  failed: 'Could not load the linked accounts: {message}',
  empty: 'No citizen account is linked yet.',
  caption: 'Linked citizen accounts',
  username: 'Account',
  name: 'Name',
  relation: 'Relation',
  linkedAt: 'Linked at',
  linkedBy: 'Linked by',
  actions: 'Actions',
  disabled: 'Disabled',
  'relation.self': 'The person',
  'relation.family': 'Family',
  formTitle: 'Link a citizen account',
  field: 'Citizen account',
  fieldHint: 'The user name the citizen signs in with. Check in person first that they are the person or family.',
  needUsername: 'Enter the citizen account.',
  relationField: 'Relation',
  submit: 'Link',
  busy: 'Linking…',
  linked: 'Linked citizen account {username} ({relation}).',
  already: 'Citizen account {username} was already linked ({relation}); nothing changed.',
  linkFailed: 'Not linked',
  deceased: 'This person has died; no account can be linked.',
  unlink: 'Unlink',
  unlinkLabel: 'Unlink: {username}',
  confirmTitle: 'Unlink',
  confirmBody: 'Unlink citizen account {username} ({name}), linked as {relation}? The account will no longer see this person.',
  confirmOk: 'Unlink',
  confirmBusy: 'Unlinking…',
  back: 'Back',
  unlinkFailed: 'Not unlinked',
  unlinked: 'Citizen account {username} is no longer linked.',
};

function text(lang: Lang, key: Key, vars?: Vars): string {
  const template = (lang === 'en' ? en : zh)[key] ?? zh[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: PersonLink[] };

export function PersonLinks({ personId, deceased }: { personId: string; deceased: boolean }) {
  const user = useUser();
  if (!READERS.includes(user.role)) return null;
  return <PersonLinksBody personId={personId} deceased={deceased} canWrite={WRITERS.includes(user.role)} />;
}

function PersonLinksBody({ personId, deceased, canWrite }: { personId: string; deceased: boolean; canWrite: boolean }) {
  const { t, lang } = usePrefs();
  const x = (key: Key, vars?: Vars) => text(lang, key, vars);
  const ids = { title: useId(), form: useId(), user: useId(), hint: useId(), error: useId(), relation: useId() };
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [username, setUsername] = useState('');
  const [relation, setRelation] = useState<LinkRelation>('family');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [removing, setRemoving] = useState<PersonLink | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    linksApi
      .list(personId, ctl.signal)
      .then((r) => setLoad({ status: 'ok', items: r.items }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [personId, attempt]);

  const relationName = (r: LinkRelation) => x(`relation.${r}`);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const name = username.trim();
    setDone(null);
    setFailure(null);
    if (!name) {
      setProblem(x('needUsername'));
      input.current?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const before = load.status === 'ok' ? load.items.some((l) => l.username === name) : false;
      const link = await linksApi.link(personId, name, relation);
      setDone(x(before ? 'already' : 'linked', { username: link.username, relation: relationName(link.relation) }));
      setUsername('');
      setAttempt((n) => n + 1);
    } catch (err) {
      setFailure(errorText(err, t));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const [refocus, setRefocus] = useState(false);
  const onUnlinked = useCallback(
    (l: PersonLink) => {
      setRemoving(null);
      setDone(text(lang, 'unlinked', { username: l.username }));
      setAttempt((n) => n + 1);
      setRefocus(true);
    },
    [lang],
  );
  // The row's button is gone with the link: once the dialog has closed, focus goes to the card.
  useEffect(() => {
    if (!refocus || removing) return;
    heading.current?.focus();
    setRefocus(false);
  }, [refocus, removing]);

  const dash = <span className="muted">—</span>;
  return (
    <section aria-labelledby={ids.title} className="card section-card" data-testid="person-links">
      <h2 id={ids.title} ref={heading} tabIndex={-1}>
        {x('title')}
      </h2>
      <p className="muted">{x('intro')}</p>
      {load.status === 'loading' && <p className="loading">{x('loading')}</p>}
      {load.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p>{x('failed', { message: load.message })}</p>
          <p>
            <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
              {t('common.retry')}
            </button>
          </p>
        </div>
      )}
      {load.status === 'ok' && load.items.length === 0 && <p className="empty">{x('empty')}</p>}
      {load.status === 'ok' && load.items.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={ids.title} tabIndex={0}>
          <table className="data-table">
            <caption className="visually-hidden">{x('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{x('username')}</th>
                <th scope="col">{x('name')}</th>
                <th scope="col">{x('relation')}</th>
                <th scope="col">{x('linkedAt')}</th>
                <th scope="col">{x('linkedBy')}</th>
                {canWrite && <th scope="col">{x('actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {load.items.map((l) => (
                <tr key={l.userId} data-username={l.username}>
                  <th scope="row" className="mono">
                    {l.username}
                    {l.disabled && <span className="tag tag-muted">{x('disabled')}</span>}
                  </th>
                  <td>{l.displayName}</td>
                  <td>{relationName(l.relation)}</td>
                  <td>{formatDateTime(l.linkedAt, lang)}</td>
                  <td>{l.linkedBy ?? dash}</td>
                  {canWrite && (
                    <td>
                      <button
                        type="button"
                        className="button button-secondary"
                        aria-label={x('unlinkLabel', { username: l.username })}
                        onClick={() => {
                          setDone(null);
                          setRemoving(l);
                        }}
                      >
                        {x('unlink')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" className={done ? 'notice' : 'visually-hidden'}>
        {done ?? ''}
      </p>
      {canWrite && deceased && <p className="hint">{x('deceased')}</p>}
      {canWrite && !deceased && (
        <form aria-labelledby={ids.form} onSubmit={(e) => void submit(e)} noValidate>
          <h3 id={ids.form}>{x('formTitle')}</h3>
          {failure && (
            <div className="notice notice-error" role="alert">
              <p className="notice-title">{x('linkFailed')}</p>
              <p>{failure}</p>
            </div>
          )}
          <div className="filter-grid">
            <div className="field">
              <label htmlFor={ids.user}>{x('field')}</label>
              <p id={ids.hint} className="hint">
                {x('fieldHint')}
              </p>
              {problem && (
                <p id={ids.error} className="field-error">
                  {problem}
                </p>
              )}
              <input
                id={ids.user}
                ref={input}
                type="text"
                autoComplete="off"
                spellCheck={false}
                maxLength={100}
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${ids.hint} ${ids.error}` : ids.hint}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.relation}>{x('relationField')}</label>
              <select id={ids.relation} value={relation} onChange={(e) => setRelation(e.target.value as LinkRelation)}>
                <option value="self">{relationName('self')}</option>
                <option value="family">{relationName('family')}</option>
              </select>
            </div>
          </div>
          <div className="button-row">
            <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
              {busy ? x('busy') : x('submit')}
            </button>
          </div>
        </form>
      )}
      {removing && (
        <UnlinkDialog
          personId={personId}
          link={removing}
          text={x}
          relationName={relationName(removing.relation)}
          onDone={onUnlinked}
          onDismiss={() => setRemoving(null)}
        />
      )}
    </section>
  );
}

function UnlinkDialog({
  personId,
  link,
  text: x,
  relationName,
  onDone,
  onDismiss,
}: {
  personId: string;
  link: PersonLink;
  text: (key: Key, vars?: Vars) => string;
  relationName: string;
  onDone: (link: PersonLink) => void;
  onDismiss: () => void;
}) {
  const { t } = usePrefs();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      await linksApi.unlink(personId, link.userId);
      onDone(link);
    } catch (e) {
      setFailure(errorText(e, t));
      setBusy(false);
    }
  };

  // A removal is not undone by a stray Enter: 返回 has the focus.
  return (
    <ConfirmDialog
      title={x('confirmTitle')}
      body={x('confirmBody', { username: link.username, name: link.displayName, relation: relationName })}
      confirm={x('confirmOk')}
      busyText={x('confirmBusy')}
      back={x('back')}
      busy={busy}
      focus="back"
      failureTitle={x('unlinkFailed')}
      failure={failure}
      onConfirm={() => void confirm()}
      onDismiss={onDismiss}
    />
  );
}
