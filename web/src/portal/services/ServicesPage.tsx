// 找服务 (/services): find elderly-care places near an address, for an 80-year-old or whoever
// helps them. A big form (where, which district or street, what kind of place, which service,
// free beds only, 保基本, price range, order), the results as large cards or on a map, the count
// read out, big 上一页/下一页 buttons. The whole search lives in the URL: a link can be shared,
// and the back button returns to the previous search.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, type Region } from '../../api.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { LazyServiceMap as ServiceMap } from './LazyServiceMap.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { servicesApi, type Catalogue, type ProxyPerson, type SearchResult } from './api.ts';
import { FacilityCardView } from './FacilityCardView.tsx';
import { yuanToFen } from './format.ts';
import { PlaceField, type ChosenPlace } from './PlaceField.tsx';
import { carried, nearParam, parseNear, ServicesFrame, useCatalogue, useOutlines, useProxyPeople, type Load } from './shared.tsx';

export const PAGE_SIZE = 10;
const SORTS = [
  { value: '', label: '默认顺序' },
  { value: 'distance', label: '离我最近' },
  { value: 'vacancy', label: '空床位最多' },
  { value: 'price', label: '价格最低' },
  { value: 'name', label: '按名称' },
];

interface Draft {
  q: string;
  placeText: string;
  place: ChosenPlace | null;
  district: string;
  street: string;
  types: string[];
  fn: string;
  vacancy: boolean;
  basic: boolean;
  min: string;
  max: string;
  sort: string;
}

function draftOf(sp: URLSearchParams): Draft {
  const near = parseNear(sp.get('near'), sp.get('place'));
  const region = sp.get('region') ?? '';
  return {
    q: sp.get('q') ?? '',
    placeText: near?.label ?? '',
    place: near,
    district: region.slice(0, 6),
    street: region.length > 6 ? region : '',
    types: (sp.get('type') ?? '').split(',').filter(Boolean),
    fn: sp.get('function') ?? '',
    vacancy: sp.get('vacancy') === '1',
    basic: sp.get('basic') === '1',
    min: sp.get('min') ?? '',
    max: sp.get('max') ?? '',
    sort: sp.get('sort') ?? '',
  };
}

/** The API's query from the page's URL (yuan → fen, flags → true). */
function apiParams(sp: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  const copy = ['q', 'region', 'type', 'function', 'near', 'sort', 'page'];
  for (const k of copy) {
    const v = sp.get(k);
    if (v) out[k] = v;
  }
  const label = sp.get('place');
  if (out.near && label) out.nearLabel = label;
  if (sp.get('vacancy') === '1') out.vacancy = 'true';
  if (sp.get('basic') === '1') out.basic = 'true';
  const min = yuanToFen(sp.get('min') ?? '');
  const max = yuanToFen(sp.get('max') ?? '');
  if (min !== null) out.minPrice = String(min);
  if (max !== null) out.maxPrice = String(max);
  out.pageSize = String(PAGE_SIZE);
  return out;
}

/** The URL's search part, without the display choices (view) that need no new request. */
function searchKey(sp: URLSearchParams): string {
  const c = new URLSearchParams(sp);
  c.delete('view');
  c.sort();
  return c.toString();
}

export function ServicesPage() {
  return (
    <ServicesFrame>
      <ServicesSearch />
    </ServicesFrame>
  );
}

function ServicesSearch() {
  usePageTitle('找服务');
  const [sp, setSp] = useSearchParams();
  const [catalogue, retryCatalogue] = useCatalogue();
  const forId = sp.get('for');
  const { people, role } = useProxyPeople(forId);

  // Arriving with ?for= (an advisor's link from the person's page): centre on that person once known.
  const forPerson = people.find((p) => p.personId === forId);
  useEffect(() => {
    if (!forPerson?.center || sp.get('near')) return;
    const next = new URLSearchParams(sp);
    next.set('near', nearParam(forPerson.center));
    next.set('place', forPerson.center.label);
    if (!next.get('sort')) next.set('sort', 'distance');
    setSp(next, { replace: true });
  }, [forPerson]);

  return (
    <>
      <p className="back-link">
        <Link to="/">
          <span aria-hidden="true">← </span>返回首页
        </Link>
      </p>
      <h1>找服务</h1>
      <p className="lead">查找附近的养老院、长者照护之家、日间照料中心、长者食堂等养老服务，看看有没有空床位、要多少钱、走过去要多久。</p>

      {people.length > 0 && (
        <ProxyPicker
          people={people}
          role={role}
          value={forId ?? ''}
          onChange={(p) => {
            const next = new URLSearchParams(sp);
            next.delete('page');
            if (p) {
              next.set('for', p.personId);
              if (p.center) {
                next.set('near', nearParam(p.center));
                next.set('place', p.center.label);
                next.set('sort', 'distance');
              }
            } else {
              next.delete('for');
            }
            setSp(next);
          }}
        />
      )}

      <LoadStatus load={catalogue} loadingText="正在准备查找表…" failedTitle="查找表没有加载成功" onRetry={retryCatalogue} />
      {catalogue.status === 'ok' && <SearchForm catalogue={catalogue.value} />}
      {catalogue.status === 'ok' && <Results catalogue={catalogue.value} />}
    </>
  );
}

function ProxyPicker({
  people,
  role,
  value,
  onChange,
}: {
  people: ProxyPerson[];
  role: string | null;
  value: string;
  onChange: (p: ProxyPerson | null) => void;
}) {
  const id = useId();
  const chosen = people.find((p) => p.personId === value) ?? null;
  return (
    <section className="card svc-proxy" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>为谁查找</h2>
      <div className="field">
        <label htmlFor={id}>{role === 'advisor' ? '为这位老人查找' : '选择本人或家人'}</label>
        <select
          id={id}
          value={value}
          onChange={(e) => onChange(people.find((p) => p.personId === e.target.value) ?? null)}
        >
          <option value="">不为具体的人查找</option>
          {people.map((p) => (
            <option key={p.personId} value={p.personId}>
              {p.name}（{[p.relation, p.streetName].filter(Boolean).join('，')}）
            </option>
          ))}
        </select>
      </div>
      {chosen && (
        <p className="svc-proxy-note">
          正在为 <strong>{chosen.name}</strong> 查找：
          {chosen.center ? `以“${chosen.center.label}”为中心，` : ''}
          {chosen.careGrade !== null ? `照护等级 ${chosen.careGrade} 级` : '没有照护等级'}
          {chosen.insurance ? `，${chosen.insurance === 'employee' ? '职工医保' : chosen.insurance === 'resident' ? '城乡居民医保' : chosen.insurance}` : ''}
          。打开机构详情时会用这些信息计算自付费用，短信可以直接发给 ta。
        </p>
      )}
    </section>
  );
}

function SearchForm({ catalogue }: { catalogue: Catalogue }) {
  const [sp, setSp] = useSearchParams();
  const urlKey = sp.toString();
  const [d, setD] = useState<Draft>(() => draftOf(sp));
  const [placeError, setPlaceError] = useState<string | null>(null);
  const [priceError, setPriceError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [streets, setStreets] = useState<Region[]>([]);
  const ids = { q: useId(), district: useId(), street: useId(), fn: useId(), min: useId(), max: useId(), sort: useId(), price: useId() };
  const placeBox = useRef<HTMLDivElement>(null);
  const minRef = useRef<HTMLInputElement>(null);

  // Back / forward, or a 为谁查找 choice: the form shows the URL's search again.
  useEffect(() => {
    setD(draftOf(sp));
    setPlaceError(null);
    setPriceError(null);
  }, [urlKey]);

  useEffect(() => {
    if (!d.district) {
      setStreets([]);
      return;
    }
    const ctl = new AbortController();
    api
      .regions(d.district, ctl.signal)
      .then((r) => setStreets(r.items.filter((x) => x.code.length === 9)))
      .catch((e: unknown) => {
        if (!isAbort(e)) setStreets([]);
      });
    return () => ctl.abort();
  }, [d.district]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const groups = useMemo(() => {
    const m = new Map<string, { name: string; types: Catalogue['facilityTypes'] }>();
    for (const ft of catalogue.facilityTypes) {
      const g = m.get(ft.group) ?? { name: ft.groupName, types: [] };
      g.types.push(ft);
      m.set(ft.group, g);
    }
    return [...m.entries()];
  }, [catalogue]);

  const fnGroups = useMemo(() => {
    const m = new Map<string, { name: string; fns: Catalogue['functions'] }>();
    for (const f of catalogue.functions) {
      const g = m.get(f.category) ?? { name: f.categoryName, fns: [] };
      g.fns.push(f);
      m.set(f.category, g);
    }
    return [...m.values()];
  }, [catalogue]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setPlaceError(null);
    setPriceError(null);
    const min = d.min.trim() ? yuanToFen(d.min) : null;
    const max = d.max.trim() ? yuanToFen(d.max) : null;
    if ((d.min.trim() && min === null) || (d.max.trim() && max === null)) {
      setPriceError('价格请填数字，例如 3000。');
      minRef.current?.focus();
      return;
    }
    if (min !== null && max !== null && min > max) {
      setPriceError('最低价格不能高于最高价格。');
      minRef.current?.focus();
      return;
    }
    let place = d.place;
    const text = d.placeText.trim();
    if (text && !place) {
      setBusy(true);
      try {
        const r = await servicesApi.places(text);
        const first = r.items[0];
        if (first) place = { label: first.name, lon: first.lon, lat: first.lat };
      } catch {
        // handled below as "not found"
      } finally {
        setBusy(false);
      }
      if (!place) {
        setPlaceError(`没有找到“${text}”这个地方。请换个说法，例如街道或小区的名字，或者清空这一栏。`);
        placeBox.current?.querySelector('input')?.focus();
        return;
      }
    }
    const next = new URLSearchParams();
    const put = (k: string, v: string | boolean) => {
      if (v === true) next.set(k, '1');
      else if (typeof v === 'string' && v.trim()) next.set(k, v.trim());
    };
    put('q', d.q);
    if (place) {
      next.set('near', nearParam(place));
      next.set('place', place.label);
    }
    put('region', d.street || d.district);
    put('type', d.types.join(','));
    put('function', d.fn);
    put('vacancy', d.vacancy);
    put('basic', d.basic);
    put('min', d.min);
    put('max', d.max);
    put('sort', d.sort === 'distance' && !place ? '' : d.sort);
    for (const keep of ['view', 'for']) {
      const v = sp.get(keep);
      if (v) next.set(keep, v);
    }
    setSp(next);
  };

  const clear = () => {
    const next = new URLSearchParams();
    for (const keep of ['view', 'for']) {
      const v = sp.get(keep);
      if (v) next.set(keep, v);
    }
    setSp(next);
  };

  return (
    <section className="card svc-form-card" aria-labelledby="svc-form-title">
      <h2 id="svc-form-title">查找条件</h2>
      <form role="search" aria-labelledby="svc-form-title" className="stack svc-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <div ref={placeBox}>
          <PlaceField
            text={d.placeText}
            onTextChange={(v) => set('placeText', v)}
            chosen={d.place}
            onChoose={(p) => {
              set('place', p);
              if (p) setPlaceError(null);
            }}
            error={placeError}
          />
        </div>

        <div className="svc-grid">
          <div className="field">
            <label htmlFor={ids.district}>区</label>
            <select
              id={ids.district}
              value={d.district}
              onChange={(e) => setD((x) => ({ ...x, district: e.target.value, street: '' }))}
            >
              <option value="">全部</option>
              {catalogue.districts.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.street}>街道或镇</label>
            <select id={ids.street} value={d.street} onChange={(e) => set('street', e.target.value)} disabled={!d.district}>
              <option value="">{d.district ? '全部街道' : '请先选区'}</option>
              {streets.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        </div>

        <fieldset className="field svc-types" aria-describedby="svc-types-hint">
          <legend>机构类型</legend>
          <p id="svc-types-hint" className="hint">
            可以选几种；一个都不选就是全部类型。
            {d.types.length > 0 && `已选 ${d.types.length} 种。`}
          </p>
          {d.types.length > 0 && (
            <p>
              <button type="button" className="button button-secondary" onClick={() => set('types', [])}>
                不限类型（清除已选）
              </button>
            </p>
          )}
          {groups.map(([code, g]) => (
            <div key={code} className="svc-chip-group" role="group" aria-label={g.name}>
              <p className="svc-chip-group-name" aria-hidden="true">
                {g.name}
              </p>
              <div className="svc-chips">
                {g.types.map((ft) => (
                  <Chip
                    key={ft.code}
                    value={ft.code}
                    checked={d.types.includes(ft.code)}
                    onChange={(on) => setD((x) => ({ ...x, types: on ? [...x.types, ft.code] : x.types.filter((c) => c !== ft.code) }))}
                    label={ft.name}
                  />
                ))}
              </div>
            </div>
          ))}
        </fieldset>

        <div className="svc-grid">
          <div className="field">
            <label htmlFor={ids.fn}>需要的服务</label>
            <select id={ids.fn} value={d.fn} onChange={(e) => set('fn', e.target.value)}>
              <option value="">不限</option>
              {fnGroups.map((g) => (
                <optgroup key={g.name} label={g.name}>
                  {g.fns.map((f) => (
                    <option key={f.code} value={f.code}>
                      {f.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.q}>机构名称（可不填）</label>
            <input id={ids.q} type="text" value={d.q} onChange={(e) => set('q', e.target.value)} autoComplete="off" />
          </div>
        </div>

        <div className="svc-checks">
          <label className="option-card">
            <input type="checkbox" checked={d.vacancy} onChange={(e) => set('vacancy', e.target.checked)} />
            <span className="option-label">只看有空床位的</span>
          </label>
          <label className="option-card">
            <input type="checkbox" checked={d.basic} onChange={(e) => set('basic', e.target.checked)} />
            <span className="option-label">只看保基本床位（政府托底保障）</span>
          </label>
        </div>

        <fieldset className="field svc-price" aria-describedby={priceError ? ids.price : undefined}>
          <legend>价格（元，可不填）</legend>
          <p className="hint">养老院等住养机构按每月床位费、伙食费和护理费合计；其他服务按最低的一项。</p>
          {priceError && (
            <p id={ids.price} className="field-error" role="alert">
              {priceError}
            </p>
          )}
          <div className="svc-price-row">
            <label htmlFor={ids.min}>最低</label>
            <input
              ref={minRef}
              id={ids.min}
              inputMode="decimal"
              value={d.min}
              onChange={(e) => set('min', e.target.value)}
              aria-invalid={priceError ? true : undefined}
              className="input-short"
            />
            <span aria-hidden="true">—</span>
            <label htmlFor={ids.max}>最高</label>
            <input
              id={ids.max}
              inputMode="decimal"
              value={d.max}
              onChange={(e) => set('max', e.target.value)}
              aria-invalid={priceError ? true : undefined}
              className="input-short"
            />
            <span>元</span>
          </div>
        </fieldset>

        <div className="field svc-sort">
          <label htmlFor={ids.sort}>排列顺序</label>
          <select id={ids.sort} value={d.sort} onChange={(e) => set('sort', e.target.value)}>
            {SORTS.map((s) => (
              <option key={s.value} value={s.value} disabled={s.value === 'distance' && !d.place && !d.placeText.trim()}>
                {s.label}
                {s.value === 'distance' && !d.place && !d.placeText.trim() ? '（先填地址）' : ''}
              </option>
            ))}
          </select>
        </div>

        <div className="button-row">
          <button type="submit" className="button button-primary button-big" aria-disabled={busy || undefined}>
            查找
          </button>
          <button type="button" className="button button-secondary" onClick={clear}>
            清空条件
          </button>
        </div>
      </form>
    </section>
  );
}

function Chip({ value, checked, onChange, label }: { value: string; checked: boolean; onChange: (on: boolean) => void; label: string }) {
  return (
    <label className="svc-chip" data-checked={checked || undefined}>
      <input type="checkbox" name="type" value={value} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="svc-chip-mark" aria-hidden="true" />
      <span>{label}</span>
    </label>
  );
}

function Results({ catalogue }: { catalogue: Catalogue }) {
  const [sp, setSp] = useSearchParams();
  const { t } = usePrefs();
  const navigate = useNavigate();
  const location = useLocation();
  const key = searchKey(sp);
  const view = sp.get('view') === 'map' ? 'map' : 'list';
  const [load, setLoad] = useState<Load<SearchResult>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusAfterLoad = useRef(false);
  const outlines = useOutlines();

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    servicesApi
      .search(apiParams(new URLSearchParams(key)), ctl.signal)
      .then((value) => {
        setLoad({ status: 'ok', value });
      })
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [key, attempt]);

  // After 上一页/下一页: focus the results' heading once the new page is there.
  useEffect(() => {
    if (load.status === 'ok' && focusAfterLoad.current) {
      focusAfterLoad.current = false;
      headingRef.current?.focus();
    }
  }, [load]);

  const setView = (v: 'list' | 'map') => {
    const next = new URLSearchParams(sp);
    if (v === 'map') next.set('view', 'map');
    else next.delete('view');
    setSp(next, { replace: true });
  };

  const goPage = (p: number) => {
    const next = new URLSearchParams(sp);
    if (p <= 1) next.delete('page');
    else next.set('page', String(p));
    focusAfterLoad.current = true;
    setSp(next);
  };

  const detailSuffix = carried(sp);
  const from = { from: `${location.pathname}${location.search}` };
  const r = load.status === 'ok' ? load.value : null;
  const pages = r ? Math.max(1, Math.ceil(r.total / r.pageSize)) : 1;
  const first = r ? (r.page - 1) * r.pageSize + 1 : 0;
  const announce =
    load.status === 'loading'
      ? '正在查找…'
      : r
        ? r.total === 0
          ? '没有找到符合条件的机构。'
          : `找到 ${r.total} 家机构${pages > 1 ? `，这是第 ${r.page} 页，共 ${pages} 页` : ''}。`
        : '';

  return (
    <section className="svc-results" aria-labelledby="svc-results-title">
      <h2 id="svc-results-title" ref={headingRef} tabIndex={-1}>
        查找结果
      </h2>
      <p role="status" aria-live="polite" className="svc-count">
        {announce}
        {r?.center && r.total > 0 && <> 距离从“{r.center.label}”算起。</>}
      </p>
      {load.status === 'error' && <LoadStatus load={load} failedTitle="没有查找成功" onRetry={() => setAttempt((a) => a + 1)} />}

      {r && r.total > 0 && (
        <>
          <div className="svc-view-switch" role="group" aria-label="显示方式">
            <button type="button" className="toggle" aria-pressed={view === 'list'} onClick={() => setView('list')}>
              <span className="toggle-box" aria-hidden="true" />
              列表
            </button>
            <button type="button" className="toggle" aria-pressed={view === 'map'} onClick={() => setView('map')}>
              <span className="toggle-box" aria-hidden="true" />
              地图
            </button>
          </div>

          {view === 'map' && (
            <ServiceMap
              label="机构地图"
              summary={`地图上标出了这一页的 ${r.items.length} 家机构，编号和下面的列表一样。按 Tab 键可以逐个选到地图上的机构。`}
              points={r.items.map((f, i) => ({ id: f.id, name: f.name, lon: f.lon, lat: f.lat, number: first + i }))}
              center={r.center}
              outlines={outlines}
              tileUrl={catalogue.tileUrl ?? null}
              tileAttribution={catalogue.tileAttribution ?? null}
              onOpen={(id) => void navigate(`/services/${encodeURIComponent(id)}${detailSuffix}`, { state: from })}
            />
          )}

          <ol className="svc-list" start={first}>
            {r.items.map((f, i) => (
              <li key={f.id}>
                <FacilityCardView f={f} number={first + i} to={`/services/${encodeURIComponent(f.id)}${detailSuffix}`} state={from} />
              </li>
            ))}
          </ol>

          {pages > 1 && (
            <nav className="svc-pager" aria-label="翻页">
              <button type="button" className="button button-secondary button-big" disabled={r.page <= 1} onClick={() => goPage(r.page - 1)}>
                <span aria-hidden="true">← </span>上一页
              </button>
              <p className="svc-pager-text">
                第 {r.page} 页，共 {pages} 页
              </p>
              <button type="button" className="button button-secondary button-big" disabled={r.page >= pages} onClick={() => goPage(r.page + 1)}>
                下一页<span aria-hidden="true"> →</span>
              </button>
            </nav>
          )}
        </>
      )}
      {r && r.total === 0 && (
        <div className="notice notice-info">
          <p>可以试试：去掉一些条件，换一个区，或者不勾“只看有空床位的”。也可以打电话给所在街道的社区综合为老服务中心咨询。</p>
        </div>
      )}
    </section>
  );
}
