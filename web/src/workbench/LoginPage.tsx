import { Link } from 'react-router';
import { ApiError } from '../api.ts';
import { MAIN_ID } from '../components/SkipLink.tsx';
import { SignInForm } from '../components/SignInForm.tsx';
import { errorText } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';

export function LoginPage({ notice }: { notice: MessageKey | null }) {
  const { t } = usePrefs();
  usePageTitle(t('wb.login.title'));

  return (
    <main id={MAIN_ID} tabIndex={-1} className="container login-main">
      <div className="login-card card">
        <h1>{t('wb.login.title')}</h1>
        <p>{t('wb.login.intro')}</p>
        <SignInForm
          idPrefix="login"
          text={{
            username: t('wb.login.username'),
            password: t('wb.login.password'),
            needUsername: t('wb.login.needUsername'),
            needPassword: t('wb.login.needPassword'),
            submit: t('wb.login.submit'),
            submitting: t('wb.login.submitting'),
            failed: t('wb.login.failed'),
          }}
          notice={notice && t(notice)}
          noticeClassName="notice notice-info"
          describeError={(err) => loginErrorText(err, t)}
          autoFocus
        />
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
