// The username + password form shared by the workbench login page and the portal's sign-in: the
// same login API and session (auth.tsx: HttpOnly cookie + CSRF token), the same checks before
// sending (focus on the first empty field, the error next to it), the notice it was opened with
// and the server's refusal in an alert. Each caller brings its own words, ids and heading.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useAuth } from '../workbench/auth.tsx';

export interface SignInFormText {
  username: string;
  password: string;
  needUsername: string;
  needPassword: string;
  submit: string;
  submitting: string;
  /** Title of the alert when the server refuses. */
  failed: string;
}

export interface SignInFormProps {
  /** Prefix of the inputs' ids (`${idPrefix}-username`, `${idPrefix}-password`). */
  idPrefix: string;
  text: SignInFormText;
  /** Said (role="status") above the form until the server refuses. */
  notice: string | null;
  noticeClassName: string;
  /** The server's refusal in words; `locked` marks a locked account. */
  describeError: (err: unknown) => { text: string; locked: boolean };
  /** Focus the username field when the form first shows. */
  autoFocus?: boolean;
}

type FieldErrors = { username?: boolean; password?: boolean };

export function SignInForm({ idPrefix, text, notice, noticeClassName, describeError, autoFocus = false }: SignInFormProps) {
  const { signIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<{ text: string; locked: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const focusOnShow = useRef(autoFocus);
  useEffect(() => {
    if (focusOnShow.current) usernameRef.current?.focus();
  }, []);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const errs: FieldErrors = {};
    if (!username.trim()) errs.username = true;
    if (!password) errs.password = true;
    setFieldErrors(errs);
    setServerError(null);
    if (errs.username) return usernameRef.current?.focus();
    if (errs.password) return passwordRef.current?.focus();

    setBusy(true);
    try {
      const res = await api.login(username.trim(), password);
      signIn(res.user, res.csrfToken);
    } catch (err) {
      setServerError(describeError(err));
      setBusy(false);
    }
  };

  const usernameId = `${idPrefix}-username`;
  const passwordId = `${idPrefix}-password`;
  return (
    <>
      {notice && !serverError && (
        <p className={noticeClassName} role="status">
          {notice}
        </p>
      )}
      <div role="alert" className="status-slot">
        {serverError && (
          <div className={`notice notice-error${serverError.locked ? ' notice-locked' : ''}`}>
            <p className="notice-title">{text.failed}</p>
            <p>{serverError.text}</p>
          </div>
        )}
      </div>
      <form onSubmit={onSubmit} noValidate className="stack">
        <div className="field">
          <label htmlFor={usernameId}>{text.username}</label>
          <input
            ref={usernameRef}
            id={usernameId}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={fieldErrors.username ? true : undefined}
            aria-describedby={fieldErrors.username ? `${usernameId}-error` : undefined}
            required
          />
          {fieldErrors.username && (
            <p id={`${usernameId}-error`} className="field-error">
              {text.needUsername}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={passwordId}>{text.password}</label>
          <input
            ref={passwordRef}
            id={passwordId}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fieldErrors.password ? true : undefined}
            aria-describedby={fieldErrors.password ? `${passwordId}-error` : undefined}
            required
          />
          {fieldErrors.password && (
            <p id={`${passwordId}-error`} className="field-error">
              {text.needPassword}
            </p>
          )}
        </div>
        <button type="submit" className="button button-primary button-wide" aria-disabled={busy || undefined}>
          {busy ? text.submitting : text.submit}
        </button>
      </form>
    </>
  );
}
