// What the 照护服务 pages share: the providers an officer picks from (a provider account acts for
// its own, so it gets no picker), the districts of the jurisdiction, the page heading with the
// pages' own navigation, and the server's problems as a list under a form.
import { useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, type Region } from '../../api.ts';
import { supplyApi, type Provider } from '../supply/api.ts';
import { useUser } from '../auth.tsx';
import { CareNav } from './CareNav.tsx';
import { may } from './api.ts';

/**
 * The providers a staff caller may choose (supply.read), or null for a provider account (the
 * server uses its own provider) and while they load.
 */
export function useProviders(): Provider[] | null {
  const user = useUser();
  const pick = user.role !== 'provider' && may(user.role, 'supply.read');
  const [items, setItems] = useState<Provider[] | null>(null);
  useEffect(() => {
    if (!pick) return;
    const ctl = new AbortController();
    supplyApi
      .providers({}, ctl.signal)
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
    return () => ctl.abort();
  }, [pick]);
  return pick ? items : null;
}

/** The districts of the jurisdiction (for the register's filter). */
export function useDistricts(): Region[] {
  const [items, setItems] = useState<Region[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    api
      .regions(undefined, ctl.signal)
      .then((r) => setItems(r.items))
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);
  return items;
}

/** The pages' heading, intro and navigation. */
export function CareHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <>
      <h1>{title}</h1>
      {children}
      <CareNav />
    </>
  );
}

/** The server's refusal: its message and, when it named several problems, each of them. */
export function ServerProblem({ error, title }: { error: unknown; title: string }) {
  if (!error) return null;
  const message = error instanceof ApiError ? error.message : '';
  const details = error instanceof ApiError ? error.details.map((d) => d.message).filter((m) => m && m !== message) : [];
  return (
    <div className="notice notice-error" role="alert" data-testid="care-problem">
      <p className="notice-title">{title}</p>
      {message && <p>{message}</p>}
      {details.length > 0 && (
        <ul>
          {details.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A <select> of providers for officers; nothing for a provider account. */
export function ProviderSelect({ id, value, onChange, providers, allowAll, required }: { id: string; value: string; onChange: (v: string) => void; providers: Provider[] | null; allowAll?: boolean; required?: boolean }) {
  if (providers === null) return null;
  return (
    <div className="field">
      <label htmlFor={id}>服务机构</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} required={required}>
        <option value="">{allowAll ? '全部机构' : '请选择服务机构'}</option>
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
