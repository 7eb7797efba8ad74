// The frame of a family's own page (/my/vouchers, /my/waitlist): the portal header with who is
// signed in and 退出, a back link, the heading and lead, then the portal's own sign-in form or —
// once signed in — the page's content. After signing in here, or out, the form is replaced: focus
// goes back to the heading. Wraps its content in the session (AuthProvider).
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { PortalFooter } from '../../components/PortalFooter.tsx';
import { PortalHeader } from '../../components/PortalHeader.tsx';
import { MAIN_ID, SkipLink } from '../../components/SkipLink.tsx';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { AuthProvider, useAuth } from '../../workbench/auth.tsx';
import { MySignIn } from './MySignIn.tsx';
import { useMyText } from './text.ts';

export interface MyShellProps {
  title: string;
  lead: string;
  back: { to: string; text: string };
  mainClassName?: string;
  /** The page's content, shown once signed in. */
  children: ReactNode;
}

export function MyShell(props: MyShellProps) {
  return (
    <AuthProvider>
      <Shell {...props} />
    </AuthProvider>
  );
}

function Shell({ title, lead, back, mainClassName = 'container check-main my-main', children }: MyShellProps) {
  const { t } = usePrefs();
  const m = useMyText();
  const { state, signOut } = useAuth();
  usePageTitle(title);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const viaLogin = state.status === 'signedIn' && state.viaLogin;

  useEffect(() => {
    if (viaLogin) headingRef.current?.focus();
  }, [viaLogin]);

  return (
    <div className="portal">
      <SkipLink />
      <PortalHeader>
        {state.status === 'signedIn' && (
          <div className="user-box">
            <p className="user-summary">{m('my.signedIn', { name: state.user.displayName })}</p>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                void signOut().then(() => headingRef.current?.focus());
              }}
            >
              {m('my.logout')}
            </button>
          </div>
        )}
      </PortalHeader>

      <main id={MAIN_ID} tabIndex={-1} className={mainClassName}>
        <p className="back-link">
          <Link to={back.to}>{back.text}</Link>
        </p>
        <h1 ref={headingRef} tabIndex={-1}>
          {title}
        </h1>
        <p className="lead">{lead}</p>
        {state.status === 'checking' && (
          <p role="status" className="loading">
            {t('common.loading')}
          </p>
        )}
        {state.status === 'anonymous' && <MySignIn notice={state.notice} />}
        {state.status === 'signedIn' && children}
      </main>

      <PortalFooter />
    </div>
  );
}
