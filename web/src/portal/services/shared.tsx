// What the 找服务 pages share: the frame (portal header and footer, the session for 为谁查找),
// the catalogue, the people a signed-in advisor or family member may search for, and the URL
// parameters a detail page carries from the list (where the search is centred, for whom).
import { useEffect, useState, type ReactNode } from 'react';
import { PortalFooter } from '../../components/PortalFooter.tsx';
import { PortalHeader } from '../../components/PortalHeader.tsx';
import { MAIN_ID, SkipLink } from '../../components/SkipLink.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { AuthProvider, useAuth } from '../../workbench/auth.tsx';
import { loadCatalogue, loadOutlines, servicesApi, type Catalogue, type ProxyPerson } from './api.ts';
import type { FeatureCollection } from 'geojson';

export type Load<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; value: T };

export function ServicesFrame({ children }: { children: ReactNode }) {
  return (
    <AuthProvider>
      <div className="portal svc">
        <SkipLink />
        <PortalHeader>
          <SignedInBox />
        </PortalHeader>
        {/* The pages are written in Chinese only: say so, whatever the display language. */}
        <main id={MAIN_ID} tabIndex={-1} className="container svc-main" lang="zh-CN">
          {children}
        </main>
        <PortalFooter />
      </div>
    </AuthProvider>
  );
}

function SignedInBox() {
  const { state } = useAuth();
  if (state.status !== 'signedIn') return null;
  return (
    <div className="user-box">
      <p className="user-summary">{state.user.displayName}，您好</p>
    </div>
  );
}

export function useCatalogue(): [Load<Catalogue>, () => void] {
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load<Catalogue>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setLoad({ status: 'loading' });
    loadCatalogue()
      .then((value) => live && setLoad({ status: 'ok', value }))
      .catch((e: unknown) => live && setLoad({ status: 'error', message: errorText(e, t) }));
    return () => {
      live = false;
    };
    // t changes with the language only
  }, [attempt]);
  return [load, () => setAttempt((a) => a + 1)];
}

export function useOutlines(): FeatureCollection | null {
  const [outlines, setOutlines] = useState<FeatureCollection | null>(null);
  useEffect(() => {
    let live = true;
    void loadOutlines().then((o) => live && setOutlines(o));
    return () => {
      live = false;
    };
  }, []);
  return outlines;
}

const PROXY_ROLES = new Set(['advisor', 'citizen']);

/**
 * The people the signed-in user may search for (GET /services/proxy); empty when nobody is signed
 * in, for other roles, or when the list cannot be had (the search works without it).
 */
export function useProxyPeople(personId: string | null): { people: ProxyPerson[]; role: string | null } {
  const { state } = useAuth();
  const role = state.status === 'signedIn' ? state.user.role : null;
  const [people, setPeople] = useState<ProxyPerson[]>([]);
  useEffect(() => {
    if (!role || !PROXY_ROLES.has(role)) {
      setPeople([]);
      return;
    }
    const ctl = new AbortController();
    servicesApi
      .proxy(role === 'advisor' ? personId : null, ctl.signal)
      .then((r) => setPeople(r.people))
      .catch((e: unknown) => {
        if (!isAbort(e)) setPeople([]);
      });
    return () => ctl.abort();
  }, [role, role === 'advisor' ? personId : null]);
  return { people, role };
}

/** The list's parameters a detail page keeps: the centre of the search and the person searched for. */
export const CARRIED = ['near', 'place', 'for'] as const;

export function carried(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const k of CARRIED) {
    const v = params.get(k);
    if (v) out.set(k, v);
  }
  const s = out.toString();
  return s ? `?${s}` : '';
}

/** "121.5,31.2" → a centre; null for anything else. */
export function parseNear(near: string | null, label: string | null): { lon: number; lat: number; label: string } | null {
  if (!near) return null;
  const [lon, lat] = near.split(',').map(Number);
  if (lon === undefined || lat === undefined || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  return { lon, lat, label: label || '所选地点' };
}

export function nearParam(p: { lon: number; lat: number }): string {
  return `${p.lon.toFixed(5)},${p.lat.toFixed(5)}`;
}
