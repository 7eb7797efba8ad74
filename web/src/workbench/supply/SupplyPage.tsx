// 服务设施 (/workbench/supply, supply.read). A provider account lands on its own organisation:
// the registration form until it has one, then its filing, its facilities and 新增设施. Staff see
// the facilities in scope with filters and pages, and (?tab=) 待审核 (officer, admin: approve, or
// reject with a reason), 变更记录 and 服务机构.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TabNav } from '../../components/TabNav.tsx';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, type Region } from '../../api.ts';
import { DistrictField } from '../../components/DistrictField.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useDistricts } from '../assessments/names.ts';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import {
  FACILITY_STATUSES,
  STATUS_NAMES,
  SUPPLY_MANAGE,
  SUPPLY_READ,
  SUPPLY_REVIEW,
  supplyApi,
  type Catalogue,
  type Facility,
  type FacilityFilter,
  type FacilityInput,
  type Provider,
} from './api.ts';
import { FacilityForm } from './FacilityForm.tsx';
import { ProviderForm } from './ProviderForm.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { num, StatusTag, useCatalogue, useDateTime, useLoad } from './shared.tsx';

const PAGE_SIZE = 20;

export function SupplyPage() {
  const user = useUser();
  if (!SUPPLY_READ.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <SupplyBody />;
}

function SupplyBody() {
  usePageTitle('服务设施');
  const user = useUser();
  const [sp] = useSearchParams();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice ?? null;
  const provider = user.role === 'provider';
  const tabs: [string, string][] = provider
    ? [['', '本机构'], ['changes', '变更记录']]
    : [['', '设施'], ...(SUPPLY_REVIEW.includes(user.role) ? [['review', '待审核'] as [string, string]] : []), ['changes', '变更记录'], ['providers', '服务机构']];
  const tab = tabs.some(([k]) => k === (sp.get('tab') ?? '')) ? (sp.get('tab') ?? '') : '';
  return (
    <>
      <h1>服务设施</h1>
      <p>{provider ? '登记本机构及其设施，及时更新床位和空床信息；新增的设施提交后由民政部门审核。' : '本辖区的养老服务机构和设施：备案审核、床位与空床信息、变更记录。'}</p>
      <TabNav label="服务设施分页" base="/workbench/supply" tabs={tabs} current={tab} />
      {notice && (
        <div className="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {tab === '' && (provider ? <ProviderHome /> : <StaffFacilities />)}
      {tab === 'review' && <ReviewQueue />}
      {tab === 'changes' && <ChangeList />}
      {tab === 'providers' && <ProviderList />}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// A provider's own organisation

function ProviderHome() {
  const { t } = usePrefs();
  const catalogue = useCatalogue();
  const navigate = useNavigate();
  const ids = { org: useId(), list: useId(), add: useId() };
  const [mine, reload] = useLoad((s) => supplyApi.mine(s), []);
  const [adding, setAdding] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const addHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (adding) addHeading.current?.focus();
  }, [adding]);

  if (mine.status !== 'ok') return <LoadStatus load={mine} loadingText="正在读取本机构信息…" failedTitle="无法读取本机构信息" onRetry={reload} />;
  const { provider, facilities } = mine.data;
  if (!provider) {
    return (
      <section aria-labelledby={ids.org} className="card section-card">
        <h2 id={ids.org}>登记本机构</h2>
        <p>本账号还没有登记机构信息。请先登记机构，再新增设施。登记后提交备案，由民政部门审核。</p>
        <ProviderForm
          onDone={() => {
            setOutcome({ ok: true, text: '已登记机构信息（草稿）。请提交备案。' });
            reload();
          }}
        />
      </section>
    );
  }

  const submitFiling = async () => {
    setOutcome(null);
    try {
      await supplyApi.moveProvider(provider.id, 'submit');
      setOutcome({ ok: true, text: '机构备案已提交，等待民政部门审核。' });
      reload();
    } catch (e) {
      setOutcome({ ok: false, text: errorText(e, t) });
    }
  };

  const create = async (input: FacilityInput) => {
    const f = await supplyApi.createFacility(input);
    navigate(`/workbench/supply/facilities/${f.id}`, { state: { notice: `已新增设施“${f.name}”（草稿）。信息核对无误后请点“提交审核”。` } });
  };

  const districtName = catalogue?.districts.find((d) => d.code === provider.regionCode)?.name ?? provider.regionCode;
  return (
    <>
      <section aria-labelledby={ids.org} className="card section-card">
        <h2 id={ids.org}>{provider.name}</h2>
        <div role="status" className={outcome?.ok ? 'notice' : 'status-slot'}>
          {outcome?.ok && <p>{outcome.text}</p>}
        </div>
        {outcome && !outcome.ok && (
          <div className="notice notice-error" role="alert">
            <p>{outcome.text}</p>
          </div>
        )}
        <dl className="field-list">
          <Row label="统一社会信用代码">
            <span className="mono">{provider.uscc}</span>
          </Row>
          <Row label="机构类型">{provider.kindName}</Row>
          <Row label="所在区">{districtName}</Row>
          <Row label="备案状态">
            <StatusTag status={provider.filingStatus} name={provider.filingStatusName} />
          </Row>
          {provider.reviewNote && <Row label="审核意见">{provider.reviewNote}</Row>}
        </dl>
        {(provider.filingStatus === 'draft' || provider.filingStatus === 'rejected') && (
          <p>
            <button type="button" className="button button-primary" onClick={() => void submitFiling()}>
              提交机构备案
            </button>
          </p>
        )}
      </section>
      <section aria-labelledby={ids.list} className="card section-card">
        <h2 id={ids.list}>本机构的设施</h2>
        {facilities.length === 0 ? <p className="empty">还没有设施。</p> : <FacilityTable items={facilities} titleId={ids.list} showProvider={false} />}
        {!adding && (
          <p>
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              新增设施
            </button>
          </p>
        )}
      </section>
      {adding && catalogue && (
        <section aria-labelledby={ids.add} className="card section-card">
          <h2 id={ids.add} ref={addHeading} tabIndex={-1}>
            新增设施
          </h2>
          <p>保存后为草稿，可以继续补充房间和床位；提交审核后由民政部门备案，备案后在“找服务”中公开。</p>
          <FacilityForm
            catalogue={catalogue}
            districts={[{ code: provider.regionCode, name: districtName }]}
            submitLabel="保存为草稿"
            busyLabel="正在保存…"
            onSubmit={create}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
    </>
  );
}

function Row({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Facilities (a table shared by the provider's and the staff's lists)

export function VacancyCell({ f }: { f: Facility }) {
  const when = useDateTime();
  if (!f.residential || !f.beds) return <>—</>;
  return (
    <>
      <span>
        空闲 {num(f.beds.vacant)} / {num(f.beds.total)} 张
      </span>
      <br />
      <span className="sup-small">{f.vacancyConfirmedAt ? `${when(f.vacancyConfirmedAt)} 确认` : '从未确认'}</span>
      {f.vacancyStale && (
        <>
          {' '}
          <span className="tag tag-alert">
            <span aria-hidden="true">⚠ </span>可能已过期
          </span>
        </>
      )}
    </>
  );
}

function FacilityTable({ items, titleId, showProvider = true }: { items: Facility[]; titleId: string; showProvider?: boolean }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
      <table className="data-table sup-table" data-testid="sup-facilities">
        <thead>
          <tr>
            <th scope="col">设施名称</th>
            <th scope="col">类型</th>
            {showProvider && <th scope="col">所属机构</th>}
            <th scope="col">地址</th>
            <th scope="col">备案状态</th>
            <th scope="col">床位（空闲 / 在用）</th>
          </tr>
        </thead>
        <tbody>
          {items.map((f) => (
            <tr key={f.id} data-id={f.id}>
              <th scope="row">
                <Link to={`/workbench/supply/facilities/${f.id}`}>{f.name}</Link>
              </th>
              <td>{f.typeName}</td>
              {showProvider && <td>{f.providerName}</td>}
              <td className="sup-wrap">{f.address}</td>
              <td>
                <StatusTag status={f.status} name={f.statusName} />
              </td>
              <td>
                <VacancyCell f={f} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Filters {
  status: string;
  type: string;
  district: string;
  street: string;
  q: string;
}
const NO_FILTERS: Filters = { status: '', type: '', district: '', street: '', q: '' };

function StaffFacilities() {
  const user = useUser();
  const catalogue = useCatalogue();
  const districts = useDistricts(user.regionCode);
  const navigate = useNavigate();
  const ids = { title: useId(), filters: useId(), status: useId(), type: useId(), street: useId(), q: useId(), add: useId() };
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [applied, setApplied] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [streets, setStreets] = useState<Region[]>([]);
  const [adding, setAdding] = useState(false);
  const manage = SUPPLY_MANAGE.includes(user.role);

  useEffect(() => {
    if (districts.length === 1 && !draft.district) setDraft((d) => ({ ...d, district: districts[0]!.code }));
  }, [districts, draft.district]);

  useEffect(() => {
    if (!draft.district) return setStreets([]);
    const ctl = new AbortController();
    api
      .regions(draft.district, ctl.signal)
      .then((r) => setStreets(r.items))
      .catch(() => setStreets([]));
    return () => ctl.abort();
  }, [draft.district]);

  const filter: FacilityFilter = {
    status: applied.status || undefined,
    type: applied.type || undefined,
    q: applied.q.trim() || undefined,
    region: applied.street || applied.district || undefined,
    page,
    pageSize: PAGE_SIZE,
  };
  const [list, reload] = useLoad((s) => supplyApi.facilities(filter, s), [JSON.stringify(filter)]);
  const [providers] = useLoad((s) => (manage ? supplyApi.providers({ status: 'approved' }, s) : Promise.resolve({ items: [] as Provider[] })), [manage]);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
    setPage(1);
  };

  const pages = list.status === 'ok' ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;
  return (
    <>
      <section aria-labelledby={ids.filters} className="card section-card">
        <h2 id={ids.filters}>查找设施</h2>
        <form className="filters" onSubmit={search} role="search" aria-labelledby={ids.filters}>
          <div className="filter-grid">
            <div className="field">
              <label htmlFor={ids.q}>名称、地址或机构</label>
              <input id={ids.q} value={draft.q} onChange={(e) => setDraft({ ...draft, q: e.target.value })} maxLength={40} autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={ids.status}>备案状态</label>
              <select id={ids.status} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
                <option value="">全部状态</option>
                {FACILITY_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_NAMES[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.type}>设施类型</label>
              <select id={ids.type} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
                <option value="">全部类型</option>
                {catalogue?.facilityTypes.map((x) => (
                  <option key={x.code} value={x.code}>
                    {x.name}
                  </option>
                ))}
              </select>
            </div>
            <DistrictField label="区" allLabel="全部区" districts={districts} value={draft.district} onChange={(code) => setDraft({ ...draft, district: code, street: '' })} />
            <div className="field">
              <label htmlFor={ids.street}>街镇</label>
              <select id={ids.street} value={draft.street} onChange={(e) => setDraft({ ...draft, street: e.target.value })} disabled={!draft.district}>
                <option value="">{draft.district ? '全部街镇' : '请先选择区'}</option>
                {streets.map((s) => (
                  <option key={s.code} value={s.code}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="button-row">
            <button type="submit" className="button button-primary">
              查询
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                const keep = { ...NO_FILTERS, district: districts.length === 1 ? draft.district : '' };
                setDraft(keep);
                setApplied(keep);
                setPage(1);
              }}
            >
              清除条件
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby={ids.title} className="card section-card">
        <h2 id={ids.title}>设施列表</h2>
        <p role="status" className="count">
          {list.status === 'ok' ? (list.data.total ? `共 ${num(list.data.total)} 个设施，第 ${page} / ${pages} 页。` : '没有符合条件的设施。') : ''}
        </p>
        <LoadStatus load={list} loadingText="正在读取设施…" failedTitle="无法读取设施" onRetry={reload} />
        {list.status === 'ok' && list.data.items.length > 0 && (
          <>
            <FacilityTable items={list.data.items} titleId={ids.title} />
            <nav aria-label="设施列表翻页" className="button-row sup-pager">
              <button type="button" className="button button-secondary" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
                上一页
              </button>
              <button type="button" className="button button-secondary" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>
                下一页
              </button>
            </nav>
          </>
        )}
        {manage && !adding && (
          <p>
            <button type="button" className="button button-secondary" onClick={() => setAdding(true)}>
              新增设施
            </button>
          </p>
        )}
      </section>
      {manage && adding && catalogue && providers.status === 'ok' && (
        <section aria-labelledby={ids.add} className="card section-card">
          <h2 id={ids.add}>新增设施</h2>
          <p>民政部门录入的设施直接备案。</p>
          <FacilityForm
            catalogue={catalogue as Catalogue}
            districts={districts}
            providers={providers.data.items}
            submitLabel="保存并备案"
            busyLabel="正在保存…"
            onSubmit={async (input) => {
              const f = await supplyApi.createFacility(input);
              navigate(`/workbench/supply/facilities/${f.id}`, { state: { notice: `已新增设施“${f.name}”。` } });
            }}
            onCancel={() => setAdding(false)}
          />
        </section>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// 待审核

type Pending = { kind: 'provider'; item: Provider } | { kind: 'facility'; item: Facility };

function ReviewQueue() {
  const { t } = usePrefs();
  const when = useDateTime();
  const ids = { providers: useId(), facilities: useId() };
  const [queue, reload] = useLoad((s) => supplyApi.review(s), []);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [rejecting, setRejecting] = useState<Pending | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const approve = async (p: Pending) => {
    if (busy) return;
    setBusy(p.item.id);
    setOutcome(null);
    try {
      if (p.kind === 'provider') await supplyApi.moveProvider(p.item.id, 'approve');
      else await supplyApi.moveFacility(p.item.id, 'approve');
      setOutcome({ ok: true, text: `已通过“${p.item.name}”的备案。` });
      reload();
    } catch (e) {
      setOutcome({ ok: false, text: errorText(e, t) });
    } finally {
      setBusy(null);
    }
  };

  const reject = async (p: Pending, reason: string) => {
    if (p.kind === 'provider') await supplyApi.moveProvider(p.item.id, 'reject', reason);
    else await supplyApi.moveFacility(p.item.id, 'reject', reason);
    setRejecting(null);
    setOutcome({ ok: true, text: `已退回“${p.item.name}”的备案：${reason}` });
    reload();
  };

  const actions = (p: Pending) => (
    <div className="sup-actions">
      <button type="button" className="button button-primary" onClick={() => void approve(p)} aria-label={`通过：${p.item.name}`} aria-disabled={busy === p.item.id || undefined}>
        通过
      </button>
      <button type="button" className="button button-secondary" onClick={() => setRejecting(p)} aria-label={`退回：${p.item.name}`}>
        退回
      </button>
    </div>
  );

  return (
    <>
      <div role="status" className={outcome?.ok ? 'notice' : 'status-slot'} data-testid="sup-review-outcome">
        {outcome?.ok && <p>{outcome.text}</p>}
      </div>
      {outcome && !outcome.ok && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">没有完成</p>
          <p>{outcome.text}</p>
        </div>
      )}
      <LoadStatus load={queue} loadingText="正在读取待审核的备案…" failedTitle="无法读取待审核的备案" onRetry={reload} />
      {queue.status === 'ok' && (
        <>
          <section aria-labelledby={ids.facilities} className="card section-card">
            <h2 id={ids.facilities}>设施备案（{queue.data.facilities.length}）</h2>
            {queue.data.facilities.length === 0 ? (
              <p className="empty">没有待审核的设施。</p>
            ) : (
              <div className="table-scroll" role="region" aria-labelledby={ids.facilities} tabIndex={0}>
                <table className="data-table sup-table" data-testid="sup-review-facilities">
                  <thead>
                    <tr>
                      <th scope="col">设施名称</th>
                      <th scope="col">类型</th>
                      <th scope="col">所属机构</th>
                      <th scope="col">地址</th>
                      <th scope="col">提交时间</th>
                      <th scope="col">审核</th>
                    </tr>
                  </thead>
                  <tbody>
                    {queue.data.facilities.map((f) => (
                      <tr key={f.id} data-id={f.id}>
                        <th scope="row">
                          <Link to={`/workbench/supply/facilities/${f.id}`}>{f.name}</Link>
                        </th>
                        <td>{f.typeName}</td>
                        <td>{f.providerName}</td>
                        <td className="sup-wrap">{f.address}</td>
                        <td>{when(f.updatedAt)}</td>
                        <td>{actions({ kind: 'facility', item: f })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby={ids.providers} className="card section-card">
            <h2 id={ids.providers}>机构备案（{queue.data.providers.length}）</h2>
            {queue.data.providers.length === 0 ? (
              <p className="empty">没有待审核的机构。</p>
            ) : (
              <div className="table-scroll" role="region" aria-labelledby={ids.providers} tabIndex={0}>
                <table className="data-table sup-table">
                  <thead>
                    <tr>
                      <th scope="col">机构名称</th>
                      <th scope="col">统一社会信用代码</th>
                      <th scope="col">类型</th>
                      <th scope="col">法定代表人</th>
                      <th scope="col">提交时间</th>
                      <th scope="col">审核</th>
                    </tr>
                  </thead>
                  <tbody>
                    {queue.data.providers.map((p) => (
                      <tr key={p.id} data-id={p.id}>
                        <th scope="row">{p.name}</th>
                        <td className="mono">{p.uscc}</td>
                        <td>{p.kindName}</td>
                        <td>{p.legalRepresentative}</td>
                        <td>{when(p.updatedAt)}</td>
                        <td>{actions({ kind: 'provider', item: p })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
      {rejecting && (
        <ReasonDialog
          title={`退回备案：${rejecting.item.name}`}
          intro="退回后机构可以修改后重新提交。请写明需要改正的地方。"
          confirm="退回"
          onSend={(reason) => reject(rejecting, reason)}
          onDismiss={() => setRejecting(null)}
        />
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// 变更记录

const CHANGE_KINDS: [string, string][] = [
  ['', '全部变更'],
  ['facility', '设施信息与备案'],
  ['beds', '床位与空床'],
  ['provider', '机构信息与备案'],
];

export function ChangeTable({ items, titleId, showFacility = true }: { items: import('./api.ts').Change[]; titleId: string; showFacility?: boolean }) {
  const { td } = usePrefs();
  const when = useDateTime();
  return (
    <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
      <table className="data-table sup-table" data-testid="sup-changes">
        <thead>
          <tr>
            <th scope="col">时间</th>
            {showFacility && <th scope="col">设施</th>}
            <th scope="col">变更</th>
            <th scope="col">操作人</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td>{when(c.at)}</td>
              {showFacility && <td>{c.facilityId ? <Link to={`/workbench/supply/facilities/${c.facilityId}`}>{c.facilityName ?? '设施'}</Link> : '机构信息'}</td>}
              <td className="sup-wrap">{c.summary}</td>
              <td>{c.actorRole ? td(`role.${c.actorRole}`, c.actorRole) : '系统'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChangeList() {
  const ids = { title: useId(), kind: useId() };
  const [kind, setKind] = useState('');
  const [list, reload] = useLoad((s) => supplyApi.changes({ kind: kind || undefined }, s), [kind]);
  return (
    <section aria-labelledby={ids.title} className="card section-card">
      <h2 id={ids.title}>变更记录</h2>
      <p>机构和设施的登记、修改、备案审核和床位变更，最近的在前（最多 200 条）。</p>
      <div className="field sup-narrow">
        <label htmlFor={ids.kind}>变更类别</label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value)}>
          {CHANGE_KINDS.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <LoadStatus load={list} loadingText="正在读取变更记录…" failedTitle="无法读取变更记录" onRetry={reload} />
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">没有变更记录。</p> : <ChangeTable items={list.data.items} titleId={ids.title} />)}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// 服务机构

function ProviderList() {
  const ids = { title: useId(), status: useId(), q: useId() };
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState({ status: '', q: '' });
  const [list, reload] = useLoad((s) => supplyApi.providers({ status: applied.status || undefined, q: applied.q.trim() || undefined }, s), [applied.status, applied.q]);
  return (
    <section aria-labelledby={ids.title} className="card section-card">
      <h2 id={ids.title}>服务机构</h2>
      <form
        className="filters"
        role="search"
        aria-label="查找机构"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ status, q });
        }}
      >
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.q}>机构名称或统一社会信用代码</label>
            <input id={ids.q} value={q} onChange={(e) => setQ(e.target.value)} maxLength={40} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={ids.status}>备案状态</label>
            <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">全部状态</option>
              {FACILITY_STATUSES.filter((s) => s !== 'closed').map((s) => (
                <option key={s} value={s}>
                  {STATUS_NAMES[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            查询
          </button>
        </div>
      </form>
      <p role="status" className="count">
        {list.status === 'ok' ? (list.data.items.length ? `共 ${list.data.items.length} 家机构。` : '没有符合条件的机构。') : ''}
      </p>
      <LoadStatus load={list} loadingText="正在读取服务机构…" failedTitle="无法读取服务机构" onRetry={reload} />
      {list.status === 'ok' && list.data.items.length > 0 && (
        <div className="table-scroll" role="region" aria-labelledby={ids.title} tabIndex={0}>
          <table className="data-table sup-table">
            <thead>
              <tr>
                <th scope="col">机构名称</th>
                <th scope="col">统一社会信用代码</th>
                <th scope="col">类型</th>
                <th scope="col">法定代表人</th>
                <th scope="col">电话</th>
                <th scope="col">备案状态</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td className="mono">{p.uscc}</td>
                  <td>{p.kindName}</td>
                  <td>{p.legalRepresentative}</td>
                  <td>{p.phone}</td>
                  <td>
                    <StatusTag status={p.filingStatus} name={p.filingStatusName} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
