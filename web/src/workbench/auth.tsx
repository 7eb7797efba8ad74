// Session state of the staff workbench. The session itself is an HttpOnly cookie; the page
// keeps only the user and the CSRF token. Any 401 sends the user back to the login form.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler, type User } from '../api.ts';
import type { MessageKey } from '../i18n.ts';

export type AuthState =
  | { status: 'checking' }
  | { status: 'anonymous'; notice: MessageKey | null }
  /** viaLogin: the shell replaces the login form, so focus must be placed again. */
  | { status: 'signedIn'; user: User; viaLogin: boolean };

interface AuthContextValue {
  state: AuthState;
  signIn(user: User, csrfToken: string): void;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'checking' });

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      clearSessionCaches();
      setState({ status: 'anonymous', notice: 'wb.session.expired' });
    });
    return () => setUnauthorizedHandler(null);
  }, []);

  useEffect(() => {
    const ctl = new AbortController();
    api
      .me(ctl.signal)
      .then(({ user, csrfToken }) => {
        setCsrfToken(csrfToken);
        setState({ status: 'signedIn', user, viaLogin: false });
      })
      .catch((e: unknown) => {
        if (ctl.signal.aborted) return;
        const offline = e instanceof ApiError && e.status === 0;
        setState({ status: 'anonymous', notice: offline ? 'common.networkError' : null });
      });
    return () => ctl.abort();
  }, []);

  const signIn = useCallback((user: User, csrfToken: string) => {
    setCsrfToken(csrfToken);
    setState({ status: 'signedIn', user, viaLogin: true });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // the session is dropped locally either way; the server's expires on its own
    }
    setCsrfToken(null);
    clearSessionCaches();
    setState({ status: 'anonymous', notice: null });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for pages rendered inside the signed-in shell. */
export function useUser(): User {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useUser without a session');
  return state.user;
}

// Per-session caches (region lists) are dropped when the session ends, so a different user
// on the same browser never sees a previous user's choices.
const sessionCaches = new Set<Map<string, unknown>>();

export function sessionCache<T>(): Map<string, T> {
  const m = new Map<string, T>();
  sessionCaches.add(m as Map<string, unknown>);
  return m;
}

function clearSessionCaches(): void {
  for (const m of sessionCaches) m.clear();
}
