// The portal's sign-in for older people and their families: the same login API and session as the
// workbench (auth.tsx: HttpOnly cookie + CSRF token), in the portal's plain words and large
// targets. On success the page that asked for it shows in place (no redirect needed).
import { ApiError } from '../../api.ts';
import { SignInForm } from '../../components/SignInForm.tsx';
import { errorText } from '../../format.ts';
import type { MessageKey } from '../../i18n.ts';
import { usePrefs } from '../../prefs.tsx';
import { useMyText } from './text.ts';

export function MySignIn({ notice }: { notice: MessageKey | null }) {
  const { t } = usePrefs();
  const m = useMyText();

  const describeError = (err: unknown): { text: string; locked: boolean } => {
    if (err instanceof ApiError && err.status === 423) return { text: m('my.login.locked'), locked: false };
    if (err instanceof ApiError && err.status === 429) return { text: m('my.login.rateLimited'), locked: false };
    if (err instanceof ApiError && err.status === 401) return { text: m('my.login.invalid'), locked: false };
    return { text: errorText(err, t), locked: false };
  };

  return (
    <section className="card my-login" aria-labelledby="my-login-title">
      <h2 id="my-login-title">{m('my.login.title')}</h2>
      <p>{m('my.login.intro')}</p>
      <SignInForm
        idPrefix="my"
        text={{
          username: m('my.login.username'),
          password: m('my.login.password'),
          needUsername: m('my.login.needUsername'),
          needPassword: m('my.login.needPassword'),
          submit: m('my.login.submit'),
          submitting: m('my.login.submitting'),
          failed: m('my.login.failed'),
        }}
        notice={notice && t(notice)}
        noticeClassName="notice"
        describeError={describeError}
      />
      <p className="muted">{m('my.login.noAccount')}</p>
    </section>
  );
}
