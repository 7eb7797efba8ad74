// 人员名册: search and filters live in the URL, so Back, reload and a shared link all give the
// same list; keyset pagination with "加载更多"; export uses exactly the same filters.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import {
  api,
  download,
  ECONOMIC_STATUSES,
  INSURANCE_TYPES,
  LIVING_ARRANGEMENTS,
  query,
  type PersonSummary,
  type Region,
} from '../api.ts';
import { errorText, isAbort } from '../format.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';
import { sessionCache, useUser } from './auth.tsx';

const PAGE_SIZE = '50';

export const FILTER_KEYS = [
  'q',
  'districtCode',
  'streetCode',
  'livingArrangement',
  'economicStatus',
  'insuranceType',
  'ageMin',
  'ageMax',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;

const EMPTY: Filters = {
  q: '',
  districtCode: '',
  streetCode: '',
  livingArrangement: '',
  economicStatus: '',
  insuranceType: '',
  ageMin: '',
  ageMax: '',
};

function filtersFrom(sp: URLSearchParams): Filters {
  const f = { ...EMPTY };
  for (const k of FILTER_KEYS) f[k] = sp.get(k) ?? '';
  return f;
}

function nonEmpty(f: Filters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = f[k].trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Region codes (GB/T 2260) nest by prefix once the trailing "00" of higher levels is cut:
 *  310000 → 31, 310100 → 3101, 310115 → 310115, 310115004 → 310115004. */
function codePrefix(code: string): string {
  if (code.length !== 6) return code;
  return code.replace(/(00)+$/, '') || code;
}

/** A region is worth offering when it contains, or lies within, the user's own region. */
function relatedToScope(code: string, scope: string): boolean {
  const a = codePrefix(code);
  const b = codePrefix(scope);
  return a.startsWith(b) || b.startsWith(a);
}

const regionCache = sessionCache<Region[]>();

/** Children of `parent` (null = the deployment's root); none while `parent` is ''. */
function useRegions(parent: string | null, scope: string): Region[] {
  const key = parent === null ? '<root>' : parent;
  const [loaded, setLoaded] = useState<{ key: string; items: Region[] }>(() => ({
    key,
    items: regionCache.get(key) ?? [],
  }));
  useEffect(() => {
    if (parent === '') return;
    const cached = regionCache.get(key);
    if (cached) {
      setLoaded({ key, items: cached });
      return;
    }
    const ctl = new AbortController();
    api
      .regions(parent ?? undefined, ctl.signal)
      .then((r) => {
        regionCache.set(key, r.items);
        setLoaded({ key, items: r.items });
      })
      .catch(() => {
        // the filter then offers "all" only
        if (!ctl.signal.aborted) setLoaded({ key, items: [] });
      });
    return () => ctl.abort();
  }, [parent, key]);
  const items = parent === '' || loaded.key !== key ? [] : loaded.items;
  return useMemo(() => items.filter((r) => relatedToScope(r.code, scope)), [items, scope]);
}

export function PeoplePage() {
  const { t, td } = usePrefs();
  usePageTitle(t('people.title'));
  const user = useUser();
  const location = useLocation();
  const [searchParams, setSearchParams] = useSearchParams();
  const applied = useMemo(() => filtersFrom(searchParams), [searchParams]);
  const appliedKey = useMemo(() => query(nonEmpty(applied)), [applied]);

  // The form edits a draft; the URL holds what was last searched.
  const [draft, setDraft] = useState<Filters>(applied);
  useEffect(() => setDraft(applied), [applied]);

  const ids = {
    q: useId(),
    qHint: useId(),
    district: useId(),
    street: useId(),
    streetHint: useId(),
    living: useId(),
    economic: useId(),
    insurance: useId(),
    ageMin: useId(),
    ageMax: useId(),
    ageLegend: useId(),
    ageError: useId(),
  };

  const districts = useRegions(null, user.regionCode);
  // A district officer has one district: it is then implied, and its streets are offered at once.
  const onlyDistrict = districts.length === 1 ? districts[0] : undefined;
  const streetParent = draft.districtCode || onlyDistrict?.code || '';
  const streets = useRegions(streetParent, user.regionCode);
  const districtValue = onlyDistrict && draft.districtCode === onlyDistrict.code ? '' : draft.districtCode;

  const [items, setItems] = useState<PersonSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [ageError, setAgeError] = useState(false);
  const [exportState, setExportState] = useState<{ busy: boolean; message: string | null; failed: boolean }>({
    busy: false,
    message: null,
    failed: false,
  });
  const moreCtl = useRef<AbortController | null>(null);
  const firstNewRow = useRef<HTMLAnchorElement | null>(null);
  const focusIndex = useRef<number | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    moreCtl.current?.abort();
    setLoading(true);
    setLoadingMore(false);
    setError(null);
    api
      .people({ ...nonEmpty(applied), limit: PAGE_SIZE }, ctl.signal)
      .then((page) => {
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setItems([]);
        setNextCursor(null);
        setError(errorText(e, t));
        setLoading(false);
      });
    return () => ctl.abort();
    // appliedKey stands for `applied` (same content, stable identity)
  }, [appliedKey]);

  // After "加载更多", focus the first newly loaded row so keyboard users continue from there.
  useEffect(() => {
    if (focusIndex.current !== null && firstNewRow.current) {
      firstNewRow.current.focus();
      focusIndex.current = null;
    }
  }, [items]);

  const loadMore = async () => {
    if (!nextCursor || loadingMore) return;
    const ctl = new AbortController();
    moreCtl.current = ctl;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await api.people({ ...nonEmpty(applied), limit: PAGE_SIZE, cursor: nextCursor }, ctl.signal);
      focusIndex.current = items.length;
      setItems((prev) => [...prev, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (!isAbort(e) && !ctl.signal.aborted) setError(errorText(e, t));
    } finally {
      if (!ctl.signal.aborted) setLoadingMore(false);
    }
  };

  const set = (k: FilterKey, v: string) =>
    setDraft((d) => (k === 'districtCode' ? { ...d, districtCode: v, streetCode: '' } : { ...d, [k]: v }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const min = draft.ageMin.trim();
    const max = draft.ageMax.trim();
    if (min && max && Number(min) > Number(max)) {
      setAgeError(true);
      document.getElementById(ids.ageMin)?.focus();
      return;
    }
    setAgeError(false);
    setSearchParams(nonEmpty(draft));
  };

  const onReset = () => {
    setAgeError(false);
    setDraft(EMPTY);
    setSearchParams({});
  };

  const onExport = async () => {
    if (exportState.busy) return;
    setExportState({ busy: true, message: null, failed: false });
    try {
      const { blob, fileName } = await download(`/api/v1/people/export${appliedKey}`, `${t('people.title')}.xlsx`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setExportState({ busy: false, message: t('people.exportDone', { file: fileName }), failed: false });
    } catch (e) {
      setExportState({ busy: false, message: t('people.exportFailed', { message: errorText(e, t) }), failed: true });
    }
  };


  const countText = nextCursor ? t('people.countMore', { n: items.length }) : t('people.count', { n: items.length });

  return (
    <>
      <h1>{t('people.title')}</h1>

      <form role="search" aria-label={t('people.filters')} className="filters card" onSubmit={onSubmit}>
        <div className="field field-wide">
          <label htmlFor={ids.q}>{t('people.q')}</label>
          <input
            id={ids.q}
            type="search"
            name="q"
            value={draft.q}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={ids.qHint}
            onChange={(e) => set('q', e.target.value)}
          />
          <p id={ids.qHint} className="hint">
            {t('people.q.hint')}
          </p>
        </div>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.district}>{t('people.district')}</label>
            <select id={ids.district} value={districtValue} onChange={(e) => set('districtCode', e.target.value)}>
              {onlyDistrict ? (
                <option value="">{onlyDistrict.name}</option>
              ) : (
                <>
                  <option value="">{t('common.all')}</option>
                  {districts.map((d) => (
                    <option key={d.code} value={d.code}>
                      {d.name}
                    </option>
                  ))}
                </>
              )}
              {districtValue && !districts.some((d) => d.code === districtValue) && (
                <option value={districtValue}>{districtValue}</option>
              )}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.street}>{t('people.street')}</label>
            <select
              id={ids.street}
              value={draft.streetCode}
              disabled={!streetParent}
              aria-describedby={!streetParent ? ids.streetHint : undefined}
              onChange={(e) => set('streetCode', e.target.value)}
            >
              <option value="">{t('common.all')}</option>
              {streets.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name}
                </option>
              ))}
              {draft.streetCode && !streets.some((s) => s.code === draft.streetCode) && (
                <option value={draft.streetCode}>{draft.streetCode}</option>
              )}
            </select>
            {!streetParent && (
              <p id={ids.streetHint} className="hint">
                {t('people.street.pickDistrict')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.living}>{t('people.living')}</label>
            <select id={ids.living} value={draft.livingArrangement} onChange={(e) => set('livingArrangement', e.target.value)}>
              <option value="">{t('common.all')}</option>
              {LIVING_ARRANGEMENTS.map((v) => (
                <option key={v} value={v}>
                  {td(`living.${v}`, v)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.economic}>{t('people.economic')}</label>
            <select id={ids.economic} value={draft.economicStatus} onChange={(e) => set('economicStatus', e.target.value)}>
              <option value="">{t('common.all')}</option>
              {ECONOMIC_STATUSES.map((v) => (
                <option key={v} value={v}>
                  {td(`economic.${v}`, v)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.insurance}>{t('people.insurance')}</label>
            <select id={ids.insurance} value={draft.insuranceType} onChange={(e) => set('insuranceType', e.target.value)}>
              <option value="">{t('common.all')}</option>
              {INSURANCE_TYPES.map((v) => (
                <option key={v} value={v}>
                  {td(`insurance.${v}`, v)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field age-range" aria-describedby={ageError ? ids.ageError : undefined}>
            <legend id={ids.ageLegend}>{t('people.ageGroup')}</legend>
            <div className="age-inputs">
              <label htmlFor={ids.ageMin} className="visually-hidden">
                {t('people.ageMin')}
              </label>
              <input
                id={ids.ageMin}
                type="number"
                inputMode="numeric"
                min={0}
                max={150}
                value={draft.ageMin}
                placeholder={t('people.ageMin')}
                aria-invalid={ageError || undefined}
                onChange={(e) => set('ageMin', e.target.value)}
              />
              <span aria-hidden="true">–</span>
              <label htmlFor={ids.ageMax} className="visually-hidden">
                {t('people.ageMax')}
              </label>
              <input
                id={ids.ageMax}
                type="number"
                inputMode="numeric"
                min={0}
                max={150}
                value={draft.ageMax}
                placeholder={t('people.ageMax')}
                aria-invalid={ageError || undefined}
                onChange={(e) => set('ageMax', e.target.value)}
              />
            </div>
            {ageError && (
              <p id={ids.ageError} className="field-error">
                {t('people.ageInvalid')}
              </p>
            )}
          </fieldset>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            {t('people.search')}
          </button>
          <button type="button" className="button button-secondary" onClick={onReset}>
            {t('people.reset')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void onExport()}
            aria-disabled={exportState.busy || undefined}
          >
            {exportState.busy ? t('people.exporting') : t('people.export')}
          </button>
        </div>
        <div role="status" className="status-slot">
          {exportState.message && (
            <p className={`notice ${exportState.failed ? 'notice-error' : 'notice-info'}`}>{exportState.message}</p>
          )}
        </div>
      </form>

      <section aria-labelledby="results-title" className="results" aria-busy={loading || loadingMore}>
        <h2 id="results-title">{t('people.table.caption')}</h2>
        <div role="status" className="status-slot">
          {loading ? <p className="loading">{t('common.loading')}</p> : !error && <p className="count">{countText}</p>}
        </div>
        {error && (
          <div role="alert" className="notice notice-error">
            <p>{error}</p>
          </div>
        )}
        {!loading && !error && items.length === 0 && <p className="empty">{t('people.empty')}</p>}
        {items.length > 0 && (
          <div className="table-scroll" role="region" aria-label={t('people.table.scroll')} tabIndex={0}>
            <table className="data-table">
              <caption className="visually-hidden">{t('people.table.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('people.col.name')}</th>
                  <th scope="col">{t('people.col.idNumber')}</th>
                  <th scope="col">{t('people.col.sex')}</th>
                  <th scope="col">{t('people.col.age')}</th>
                  <th scope="col">{t('people.col.district')}</th>
                  <th scope="col">{t('people.col.street')}</th>
                  <th scope="col">{t('people.col.living')}</th>
                  <th scope="col">{t('people.col.economic')}</th>
                  <th scope="col">{t('people.col.insurance')}</th>
                  <th scope="col">{t('people.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((p, i) => (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link
                        to={`/workbench/people/${encodeURIComponent(p.id)}`}
                        state={{ from: `${location.pathname}${location.search}` }}
                        ref={i === focusIndex.current ? firstNewRow : undefined}
                      >
                        {p.name}
                      </Link>
                    </th>
                    <td className="mono">{p.idNumberMasked}</td>
                    <td>{td(`sex.${p.sex}`, p.sex)}</td>
                    <td className="num">{p.age}</td>
                    <td>{p.districtName}</td>
                    <td>{p.streetName}</td>
                    <td>{td(`living.${p.livingArrangement}`, p.livingArrangement)}</td>
                    <td>{td(`economic.${p.economicStatus}`, p.economicStatus)}</td>
                    <td>{td(`insurance.${p.insuranceType}`, p.insuranceType)}</td>
                    <td>
                      {p.deceased ? (
                        <span className="tag tag-muted">{t('people.deceased')}</span>
                      ) : (
                        <span className="tag">{t('people.alive')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nextCursor && !loading && (
          <p className="load-more">
            <button
              type="button"
              className="button button-secondary"
              onClick={() => void loadMore()}
              aria-disabled={loadingMore || undefined}
            >
              {loadingMore ? t('people.loadingMore') : t('people.loadMore')}
            </button>
          </p>
        )}
      </section>
    </>
  );
}
