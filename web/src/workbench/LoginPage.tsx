import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, ApiError } from '../api.ts';
import { MAIN_ID } from '../components/SkipLink.tsx';
import { errorText } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';
import { useAuth } from './auth.tsx';

type FieldErrors = { username?: MessageKey; password?: MessageKey };

export function LoginPage({ notice }: { notice: MessageKey | null }) {
  const { t } = usePrefs();
  const { signIn } = useAuth();
  usePageTitle(t('wb.login.title'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<{ text: string; locked: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const errs: FieldErrors = {};
    if (!username.trim()) errs.username = 'wb.login.needUsername';
    if (!password) errs.password = 'wb.login.needPassword';
    setFieldErrors(errs);
    setServerError(null);
    if (errs.username) return usernameRef.current?.focus();
    if (errs.password) return passwordRef.current?.focus();

    setBusy(true);
    try {
      const res = await api.login(username.trim(), password);
      signIn(res.user, res.csrfToken);
    } catch (err) {
      setServerError(loginErrorText(err, t));
      setBusy(false);
    }
  };

  return (
    <main id={MAIN_ID} tabIndex={-1} className="container login-main">
      <div className="login-card card">
        <h1>{t('wb.login.title')}</h1>
        <p>{t('wb.login.intro')}</p>
        {notice && !serverError && (
          <p className="notice notice-info" role="status">
            {t(notice)}
          </p>
        )}
        <div role="alert" className="status-slot">
          {serverError && (
            <div className={`notice notice-error${serverError.locked ? ' notice-locked' : ''}`}>
              <p className="notice-title">{t('wb.login.failed')}</p>
              <p>{serverError.text}</p>
            </div>
          )}
        </div>
        <form onSubmit={onSubmit} noValidate className="stack">
          <div className="field">
            <label htmlFor="login-username">{t('wb.login.username')}</label>
            <input
              ref={usernameRef}
              id="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={fieldErrors.username ? true : undefined}
              aria-describedby={fieldErrors.username ? 'login-username-error' : undefined}
              required
            />
            {fieldErrors.username && (
              <p id="login-username-error" className="field-error">
                {t(fieldErrors.username)}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="login-password">{t('wb.login.password')}</label>
            <input
              ref={passwordRef}
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={fieldErrors.password ? true : undefined}
              aria-describedby={fieldErrors.password ? 'login-password-error' : undefined}
              required
            />
            {fieldErrors.password && (
              <p id="login-password-error" className="field-error">
                {t(fieldErrors.password)}
              </p>
            )}
          </div>
          <button type="submit" className="button button-primary button-wide" aria-disabled={busy || undefined}>
            {busy ? t('wb.login.submitting') : t('wb.login.submit')}
          </button>
        </form>
        <p className="login-back">
          <Link to="/">{t('wb.login.backToPortal')}</Link>
        </p>
      </div>
    </main>
  );
}

function loginErrorText(err: unknown, t: ReturnType<typeof usePrefs>['t']): { text: string; locked: boolean } {
  if (err instanceof ApiError) {
    // 423: the account is locked (等保 login-failure handling); say so plainly, in words.
    if (err.status === 423) return { text: err.message || t('wb.login.locked'), locked: true };
    if (err.status === 429) return { text: err.message || t('wb.login.rateLimited'), locked: false };
    if (err.status === 401) return { text: err.message || t('wb.login.invalid'), locked: false };
  }
  return { text: errorText(err, t), locked: false };
}
