import { Link, NavLink, Outlet } from 'react-router';
import { DisplaySettings } from '../components/DisplaySettings.tsx';
import { FocusOnNavigate } from '../components/FocusOnNavigate.tsx';
import { MAIN_ID, SkipLink } from '../components/SkipLink.tsx';
import { usePrefs } from '../prefs.tsx';
import { text } from './assessments/text.ts';
import { AuthProvider, useAuth } from './auth.tsx';
import { careVisible } from './care/api.ts';
import { outText } from './outreach/text.ts';
import { payText } from './payments/text.ts';
import { simText } from './simulations/text.ts';
import { SUPPLY_PLAN, SUPPLY_READ } from './supply/api.ts';
import { WAITLIST_READ } from '../portal/waitlist/api.ts';
import { MEALS_MANAGE, MEALS_READ } from '../portal/meals/api.ts';
import { vchText } from './vouchers/text.ts';
import { LoginPage } from './LoginPage.tsx';

/** /workbench/*: the login form until there is a session, then the shell. */
export function WorkbenchRoot() {
  return (
    <AuthProvider>
      <div className="workbench">
        <SkipLink />
        <WorkbenchGate />
      </div>
    </AuthProvider>
  );
}

function WorkbenchGate() {
  const { state } = useAuth();
  const { t } = usePrefs();
  if (state.status === 'checking') {
    return (
      <>
        <PlainHeader />
        <main id={MAIN_ID} tabIndex={-1} className="container">
          <p role="status" className="loading">
            {t('common.loading')}
          </p>
        </main>
      </>
    );
  }
  if (state.status === 'anonymous') {
    return (
      <>
        <PlainHeader />
        <LoginPage notice={state.notice} />
      </>
    );
  }
  return <Shell />;
}

function Brand() {
  const { t } = usePrefs();
  return (
    <Link to="/workbench" className="brand">
      <span className="brand-mark" aria-hidden="true">
        颐
      </span>
      <span className="brand-text">
        <span className="brand-name">{t('wb.name')}</span>
      </span>
    </Link>
  );
}

function PlainHeader() {
  return (
    <header className="site-header">
      <div className="container header-row">
        <Brand />
        <DisplaySettings />
      </div>
    </header>
  );
}

function Shell() {
  const { t, td, lang } = usePrefs();
  const { state, signOut } = useAuth();
  if (state.status !== 'signedIn') return null;
  const { user } = state;
  return (
    <>
      <FocusOnNavigate onMount={state.viaLogin} />
      <header className="site-header">
        <div className="container header-row">
          <Brand />
          <DisplaySettings />
          <div className="user-box">
            <p className="user-summary">
              <span className="visually-hidden">{t('wb.user.label')}：</span>
              {t('wb.user.summary', {
                name: user.displayName,
                role: td(`role.${user.role}`, user.role),
                region: user.regionName,
              })}
            </p>
            <button type="button" className="button button-secondary" onClick={() => void signOut()}>
              {t('wb.logout')}
            </button>
          </div>
        </div>
        <nav aria-label={t('wb.nav')} className="wb-nav">
          <ul className="container" role="list">
            <li>
              <NavLink to="/workbench/people">{t('wb.nav.people')}</NavLink>
            </li>
            <li>
              <NavLink to="/workbench/import">{t('wb.nav.import')}</NavLink>
            </li>
            <li>
              <NavLink to="/workbench/assessments" end>{t('wb.nav.assessments')}</NavLink>
            </li>
            {['officer', 'auditor', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/assessments/quality">{t('wb.nav.quality')}</NavLink>
              </li>
            )}
            {['advisor', 'officer', 'auditor', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/assessments/care-grades">{text(lang, 'cg.nav')}</NavLink>
              </li>
            )}
            {['officer', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/simulations">{simText(lang, 'sim.nav')}</NavLink>
              </li>
            )}
            {['officer', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/outreach">{outText(lang, 'out.nav')}</NavLink>
              </li>
            )}
            {['advisor', 'officer', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/tasks">{outText(lang, 'task.nav')}</NavLink>
              </li>
            )}
            {['officer', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/payments">{payText(lang, 'pay.nav')}</NavLink>
              </li>
            )}
            {['officer', 'admin'].includes(user.role) && (
              <li>
                <NavLink to="/workbench/voucher-settlements">{vchText(lang, 'vch.nav.settle')}</NavLink>
              </li>
            )}
            {user.role === 'provider' && (
              <li>
                <NavLink to="/workbench/vouchers">{vchText(lang, 'vch.nav.redeem')}</NavLink>
              </li>
            )}
            {SUPPLY_READ.includes(user.role) && (
              <li>
                <NavLink to="/workbench/supply" end>服务设施</NavLink>
              </li>
            )}
            {SUPPLY_PLAN.includes(user.role) && (
              <li>
                <NavLink to="/workbench/supply/planning">规划指标</NavLink>
              </li>
            )}
            {SUPPLY_PLAN.includes(user.role) && (
              <li>
                <NavLink to="/workbench/supply/coverage">服务圈覆盖</NavLink>
              </li>
            )}
            {WAITLIST_READ.includes(user.role) && (
              <li>
                <NavLink to="/workbench/waitlist">床位轮候</NavLink>
              </li>
            )}
            {(MEALS_MANAGE.includes(user.role) || MEALS_READ.includes(user.role)) && (
              <li>
                <NavLink to="/workbench/meals">助餐</NavLink>
              </li>
            )}
            {careVisible(user.role) && (
              <li>
                <NavLink to="/workbench/care">照护服务</NavLink>
              </li>
            )}
          </ul>
        </nav>
      </header>
      <main id={MAIN_ID} tabIndex={-1} className="container wb-main">
        <Outlet />
      </main>
    </>
  );
}
