// The application view names the person by id only; staff who may read the people register
// (advisors, officers) get the name from it. Assessors may not, and see a short reference.
import { useEffect, useState } from 'react';
import { api, type Region } from '../../api.ts';
import { sessionCache } from '../auth.tsx';
import { assessmentApi, namedRef } from './api.ts';

const cache = sessionCache<{ name: string; idNumberMasked: string } | null>();

export function usePersonNames(ids: readonly string[], enabled: boolean): ReadonlyMap<string, { name: string; idNumberMasked: string }> {
  const key = [...new Set(ids)].sort().join(',');
  const [names, setNames] = useState<Map<string, { name: string; idNumberMasked: string }>>(new Map());
  useEffect(() => {
    if (!enabled || !key) return;
    const ctl = new AbortController();
    const wanted = key.split(',');
    const publish = () => {
      const m = new Map<string, { name: string; idNumberMasked: string }>();
      for (const id of wanted) {
        const v = cache.get(id);
        if (v) m.set(id, v);
      }
      setNames(m);
    };
    publish();
    const missing = wanted.filter((id) => !cache.has(id));
    void Promise.all(
      missing.map((id) =>
        api
          .person(id, ctl.signal)
          .then((p) => cache.set(id, { name: p.name, idNumberMasked: p.idNumberMasked }))
          .catch(() => {
            if (!ctl.signal.aborted) cache.set(id, null);
          }),
      ),
    ).then(() => {
      if (!ctl.signal.aborted) publish();
    });
    return () => ctl.abort();
  }, [key, enabled]);
  return names;
}

export const mayReadPeople = (role: string) => ['advisor', 'officer', 'auditor', 'admin'].includes(role);

const agencyCache = sessionCache<ReadonlyMap<string, string>>();

/** Agency id → name, from the designated-agency list (one request per session). */
export function useAgencyNames(enabled: boolean): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(() => agencyCache.get('all') ?? new Map());
  useEffect(() => {
    if (!enabled || agencyCache.has('all')) return;
    const ctl = new AbortController();
    assessmentApi
      .agencies(ctl.signal)
      .then((r) => {
        const m = new Map<string, string>();
        for (const x of r.items ?? []) {
          const ref = namedRef(x);
          if (ref) m.set(ref.id, ref.name);
        }
        agencyCache.set('all', m);
        setNames(m);
      })
      .catch(() => undefined);
    return () => ctl.abort();
  }, [enabled]);
  return names;
}

/** A short, stable reference for an id the viewer cannot resolve to a name (the uuidv7 tail). */
export const shortRef = (id: string) => `#${id.slice(-8)}`;

/** Districts the user may choose: a district or street officer has their own only. */
export function useDistricts(regionCode: string): Region[] {
  const [items, setItems] = useState<Region[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    api
      .regions(undefined, ctl.signal)
      .then((r) => setItems((r.items ?? []).filter((d) => regionCode.startsWith(d.code) || d.code.startsWith(scopeOf(regionCode)))))
      .catch(() => {
        // the filter then offers "all" only
      });
    return () => ctl.abort();
  }, [regionCode]);
  return items;
}

/** The region-code prefix of a scope: trailing zero pairs of a province or city code dropped. */
const scopeOf = (code: string) => code.replace(/(00)+$/, '');

/** Agency code → name, from the designated-agency list. */
export function useAgencyByCode(): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const ctl = new AbortController();
    assessmentApi
      .agencies(ctl.signal)
      .then((r) => {
        const m = new Map<string, string>();
        for (const x of r.items ?? []) {
          const code = (x as { code?: unknown }).code;
          const ref = namedRef(x);
          if (typeof code === 'string' && ref) m.set(code, ref.name);
        }
        setNames(m);
      })
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);
  return names;
}
