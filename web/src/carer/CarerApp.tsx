// 颐养护理员 (/carer): the caregiver's phone app (issue 8 §4). Installable (manifest, service
// worker: the app opens without a network), signed in with the caregiver's account through the
// portal's sign-in form and session. Opened offline, the session cannot be checked: the app then
// works as the caregiver who last signed in on this phone, records everything on the phone, and
// checks the session again as soon as the network is back (before anything is sent).
// Screens: today's visits (DayScreen) and one visit (VisitScreen), under a status bar that says
// 在线/离线 and how many records wait to be sent, with 立即同步.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, Route, Routes } from 'react-router';
import { ApiError } from '../api.ts';
import { DisplaySettings } from '../components/DisplaySettings.tsx';
import { FocusOnNavigate } from '../components/FocusOnNavigate.tsx';
import { SignInForm } from '../components/SignInForm.tsx';
import { MAIN_ID, SkipLink } from '../components/SkipLink.tsx';
import { errorText } from '../format.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';
import { AuthProvider, useAuth } from '../workbench/auth.tsx';
import { DayScreen } from './DayScreen.tsx';
import { clock } from './format.ts';
import { forgetDays } from './idb.ts';
import { useAppManifest, useServiceWorker, type OfflineReady } from './pwa.ts';
import { CarerProvider, useCarer, useOnline, type CarerUser } from './useCarer.tsx';
import { VisitScreen } from './VisitScreen.tsx';
import './carer.css';

const USER_KEY = 'yiyang.carer.user';
/** A server that does not answer is asked again at most this often. */
const RECHECK_MS = 15_000;

function keptUser(): CarerUser | null {
  try {
    const v = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as CarerUser | null;
    return v && typeof v.id === 'string' ? v : null;
  } catch {
    return null;
  }
}

function keepUser(u: CarerUser | null): void {
  try {
    if (u) localStorage.setItem(USER_KEY, JSON.stringify(u));
    else localStorage.removeItem(USER_KEY);
  } catch {
    // no storage: offline start-up will ask for a sign-in
  }
}

export function CarerApp() {
  useAppManifest();
  const offlineReady = useServiceWorker();
  const online = useOnline();
  // A new session check (a fresh AuthProvider) when the network comes back after an offline start.
  const [check, setCheck] = useState(0);
  const lastCheck = useRef(0);
  const recheck = useCallback(() => {
    const wait = Math.max(0, lastCheck.current + RECHECK_MS - Date.now());
    window.setTimeout(() => {
      lastCheck.current = Date.now();
      setCheck((n) => n + 1);
    }, wait);
  }, []);
  return (
    <AuthProvider key={check}>
      <CarerShell online={online} offlineReady={offlineReady} recheck={recheck} />
    </AuthProvider>
  );
}

function CarerShell({ online, offlineReady, recheck }: { online: boolean; offlineReady: OfflineReady; recheck: () => void }) {
  const { state, signOut } = useAuth();
  const [kept, setKept] = useState<CarerUser | null>(keptUser);
  const offlineStart = state.status === 'anonymous' && state.notice === 'common.networkError' && kept !== null;

  useEffect(() => {
    if (state.status === 'signedIn' && state.user.role === 'caregiver') {
      const u = { id: state.user.id, username: state.user.username, displayName: state.user.displayName };
      keepUser(u);
      setKept(u);
    }
  }, [state]);

  // Signed in here: the form is replaced by the day, whose heading takes the focus.
  const viaLogin = state.status === 'signedIn' && state.viaLogin;
  useEffect(() => {
    if (!viaLogin) return;
    const raf = window.requestAnimationFrame(() => {
      const h = document.querySelector<HTMLElement>(`#${MAIN_ID} h1`);
      if (!h) return;
      h.setAttribute('tabindex', '-1');
      h.focus();
    });
    return () => window.cancelAnimationFrame(raf);
  }, [viaLogin]);

  // Opened offline: check the session once the network is back.
  useEffect(() => {
    if (offlineStart && online) recheck();
  }, [offlineStart, online, recheck]);

  const user: CarerUser | null = state.status === 'signedIn' && state.user.role === 'caregiver' ? { id: state.user.id, username: state.user.username, displayName: state.user.displayName } : offlineStart ? kept : null;

  // Signing out on purpose: this phone no longer opens offline as this caregiver. Records not yet
  // sent stay on the phone and go once the same caregiver signs in again.
  const out = async () => {
    const owner = state.status === 'signedIn' ? state.user.id : kept?.id;
    keepUser(null);
    setKept(null);
    if (owner) await forgetDays(owner);
    await signOut();
  };

  return (
    <div className="carer">
      <SkipLink />
      <header className="site-header carer-header">
        <div className="container header-row">
          <Link to="/carer" className="brand">
            <span className="brand-mark" aria-hidden="true">
              护
            </span>
            <span className="brand-text">
              <span className="brand-name">颐养护理员</span>
              <span className="brand-tagline">上门服务记录</span>
            </span>
          </Link>
          <DisplaySettings />
          {user && state.status === 'signedIn' && (
            <div className="user-box">
              <p className="user-summary">{user.displayName}</p>
              <button type="button" className="button button-secondary" onClick={() => void out()}>
                退出登录
              </button>
            </div>
          )}
        </div>
      </header>
      {user ? (
        <CarerProvider key={user.id} user={user} sessionChecked={state.status === 'signedIn'} online={online}>
          <StatusBar offlineReady={offlineReady} />
          <main id={MAIN_ID} tabIndex={-1} className="container carer-main">
            <FocusOnNavigate />
            <Routes>
              <Route index element={<DayScreen />} />
              <Route path="visit/:orderId" element={<VisitScreen />} />
              <Route path="*" element={<DayScreen />} />
            </Routes>
          </main>
        </CarerProvider>
      ) : (
        <main id={MAIN_ID} tabIndex={-1} className="container carer-main">
          <SignedOut checking={state.status === 'checking'} wrongRole={state.status === 'signedIn'} notice={state.status === 'anonymous' ? state.notice : null} kept={kept} online={online} onSignOut={() => void out()} />
        </main>
      )}
    </div>
  );
}

function SignedOut({ checking, wrongRole, notice, kept, online, onSignOut }: { checking: boolean; wrongRole: boolean; notice: string | null; kept: CarerUser | null; online: boolean; onSignOut: () => void }) {
  const { t } = usePrefs();
  usePageTitle('护理员登录');
  const heading = useRef<HTMLHeadingElement>(null);
  if (checking) {
    return (
      <p role="status" className="loading">
        {t('common.loading')}
      </p>
    );
  }
  if (wrongRole) {
    return (
      <section className="card carer-card">
        <h1>颐养护理员</h1>
        <p className="notice notice-error">这个应用只供护理员使用。请用护理员账号登录。</p>
        <button type="button" className="button button-primary button-big" onClick={onSignOut}>
          退出登录
        </button>
      </section>
    );
  }
  const describeError = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) return { text: '用户名或密码不对，请再试一次。', locked: false };
    if (err instanceof ApiError && err.status === 423) return { text: '密码错误次数太多，账号暂时锁定了，请稍后再试或联系机构。', locked: true };
    return { text: errorText(err, t), locked: false };
  };
  return (
    <section className="card carer-card" aria-labelledby="carer-login-title">
      <h1 id="carer-login-title" ref={heading} tabIndex={-1}>
        护理员登录
      </h1>
      <p>请用机构为您开通的护理员账号登录。登录后，今天的上门服务会保存在手机上，没有网络也能签到、签退。</p>
      {!online && <p className="notice">现在没有网络。第一次使用需要联网登录一次。</p>}
      {kept && notice === 'wb.session.expired' && <p className="notice">登录已失效，请重新登录。手机上还没上传的记录都还在，登录 {kept.username} 后会自动上传。</p>}
      <SignInForm
        idPrefix="carer"
        text={{ username: '用户名', password: '密码', needUsername: '请填写用户名。', needPassword: '请填写密码。', submit: '登录', submitting: '正在登录…', failed: '没有登录成功' }}
        notice={notice && notice !== 'wb.session.expired' ? t(notice as never) : null}
        noticeClassName="notice"
        describeError={describeError}
      />
    </section>
  );
}

/** 在线/离线, what waits, 立即同步: always on screen above the content. */
function StatusBar({ offlineReady }: { offlineReady: OfflineReady }) {
  const c = useCarer();
  const records = c.ops.length;
  const photos = c.photos.length;
  const waiting = records + photos > 0;
  return (
    <>
      <div className="carer-status" data-online={c.online ? '1' : '0'} data-testid="carer-status">
        <div className="container carer-status-row">
          <p className="carer-status-text" role="status">
            <span className="carer-net" data-testid="carer-online">
              <span className="carer-dot" aria-hidden="true" />
              {c.online ? '在线' : '离线'}
            </span>
            <span data-testid="carer-pending">
              {waiting
                ? [records ? `${records} 条记录` : '', photos ? `${photos} 张照片` : ''].filter(Boolean).join('、') + '待同步'
                : '全部已同步'}
            </span>
            {c.syncing && <span>正在同步…</span>}
          </p>
          <button
            type="button"
            className="button button-primary carer-sync"
            aria-disabled={!c.online || !c.sessionChecked || c.syncing || undefined}
            onClick={() => {
              if (c.online && c.sessionChecked && !c.syncing) void c.syncNow();
            }}
          >
            立即同步
          </button>
        </div>
      </div>
      <div className="carer-status-more" data-online={c.online ? '1' : '0'}>
        <div className="container">
          {!c.online && <p>没有网络：签到、签退、照片都先保存在手机上，联网后自动上传。</p>}
          {c.online && !c.sessionChecked && <p>正在重新连接…</p>}
          {c.syncProblem && <p>{c.syncProblem}</p>}
          {c.lastSync && !waiting && !c.syncProblem && <p>最近同步：{clock(c.lastSync.at)}</p>}
          {!c.persistent && <p className="carer-warn">这个浏览器不能在手机上保存记录（可能是无痕模式）：请保持联网，或换用普通模式。</p>}
          {offlineReady === 'failed' && <p className="carer-warn">离线打开功能没有安装成功：请联网后刷新一次页面。</p>}
        </div>
      </div>
    </>
  );
}
