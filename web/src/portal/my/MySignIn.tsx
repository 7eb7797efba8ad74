// The portal's sign-in for older people and their families: the same login API and session as the
// workbench (auth.tsx: HttpOnly cookie + CSRF token), in the portal's plain words and large
// targets. On success the page that asked for it shows in place (no redirect needed).
import { useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api.ts';
import { errorText } from '../../format.ts';
import type { MessageKey } from '../../i18n.ts';
import { usePrefs } from '../../prefs.tsx';
import { useAuth } from '../../workbench/auth.tsx';
import { useMyText, type MyKey } from './text.ts';

type FieldErrors = { username?: MyKey; password?: MyKey };

export function MySignIn({ notice }: { notice: MessageKey | null }) {
  const { t } = usePrefs();
  const m = useMyText();
  const { signIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const errs: FieldErrors = {};
    if (!username.trim()) errs.username = 'my.login.needUsername';
    if (!password) errs.password = 'my.login.needPassword';
    setFieldErrors(errs);
    setServerError(null);
    if (errs.username) return usernameRef.current?.focus();
    if (errs.password) return passwordRef.current?.focus();
    setBusy(true);
    try {
      const res = await api.login(username.trim(), password);
      signIn(res.user, res.csrfToken);
    } catch (err) {
      if (err instanceof ApiError && err.status === 423) setServerError(m('my.login.locked'));
      else if (err instanceof ApiError && err.status === 429) setServerError(m('my.login.rateLimited'));
      else if (err instanceof ApiError && err.status === 401) setServerError(m('my.login.invalid'));
      else setServerError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <section className="card my-login" aria-labelledby="my-login-title">
      <h2 id="my-login-title">{m('my.login.title')}</h2>
      <p>{m('my.login.intro')}</p>
      {notice && !serverError && (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      )}
      <div role="alert" className="status-slot">
        {serverError && (
          <div className="notice notice-error">
            <p className="notice-title">{m('my.login.failed')}</p>
            <p>{serverError}</p>
          </div>
        )}
      </div>
      <form onSubmit={onSubmit} noValidate className="stack">
        <div className="field">
          <label htmlFor="my-username">{m('my.login.username')}</label>
          <input
            ref={usernameRef}
            id="my-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={fieldErrors.username ? true : undefined}
            aria-describedby={fieldErrors.username ? 'my-username-error' : undefined}
            required
          />
          {fieldErrors.username && (
            <p id="my-username-error" className="field-error">
              {m(fieldErrors.username)}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="my-password">{m('my.login.password')}</label>
          <input
            ref={passwordRef}
            id="my-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fieldErrors.password ? true : undefined}
            aria-describedby={fieldErrors.password ? 'my-password-error' : undefined}
            required
          />
          {fieldErrors.password && (
            <p id="my-password-error" className="field-error">
              {m(fieldErrors.password)}
            </p>
          )}
        </div>
        <button type="submit" className="button button-primary button-wide" aria-disabled={busy || undefined}>
          {busy ? m('my.login.submitting') : m('my.login.submit')}
        </button>
      </form>
      <p className="muted">{m('my.login.noAccount')}</p>
    </section>
  );
}
