// 上门工单与排班 (/workbench/care/orders, issue 8 §2–§3): one provider's day (a provider account:
// its own; officers pick the provider), the orders in time order with the person, address, kind,
// status and caregiver. Assigning (care.manage): a select per order of the provider's active
// caregivers fit to serve (a nursing visit needs a nurse), ticked orders to one caregiver at once,
// and one 保存派单 that sends the changes together (the server checks fitness and tells each
// caregiver concerned). 自动排班 asks the scheduling endpoint for the day and shows what it did,
// with the quality figure 每护理小时路途分钟; until that endpoint exists the page says so.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { useLoad } from '../supply/shared.tsx';
import { careApi, clock, may, ORDER_STATUS_NAMES, SERVICE_KIND_NAMES, type Caregiver, type Order, type ScheduleResult } from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CareHeader, ProviderSelect, ServerProblem, useProviders } from './shared.tsx';

export function OrdersPage() {
  return (
    <CareGate tab="orders">
      <OrdersBody />
    </CareGate>
  );
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function OrdersBody() {
  usePageTitle('上门工单与排班');
  const user = useUser();
  const providers = useProviders();
  const [sp, setSp] = useSearchParams();
  const asked = sp.get('date') ?? '';
  const date = DATE_RE.test(asked) ? asked : todayLocalDate();
  const providerId = sp.get('provider') ?? '';
  const [draftDate, setDraftDate] = useState(date);
  const [draftProvider, setDraftProvider] = useState(providerId);
  const ids = { date: useId(), provider: useId() };
  useEffect(() => {
    setDraftDate(date);
    setDraftProvider(providerId);
  }, [date, providerId]);
  const needsProvider = providers !== null;
  const show = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (DATE_RE.test(draftDate)) next.set('date', draftDate);
    if (draftProvider) next.set('provider', draftProvider);
    setSp(next);
  };
  return (
    <>
      <CareHeader title="照护服务">
        <p>每天的上门工单按时间排列。派单时只列出本机构在岗、证件齐全并具备相应资质的护理员；派单变更会通知相关护理员。</p>
      </CareHeader>
      <h2 className="h-small">上门工单与排班</h2>
      <form className="filters card care-inline-form" onSubmit={show} aria-label="选择日期与机构">
        <div className="field">
          <label htmlFor={ids.date}>日期</label>
          <input id={ids.date} type="date" value={draftDate} onChange={(e) => setDraftDate(e.target.value)} />
        </div>
        <ProviderSelect id={ids.provider} value={draftProvider} onChange={setDraftProvider} providers={providers} />
        <button type="submit" className="button button-primary">
          查看
        </button>
      </form>
      {needsProvider && !providerId ? (
        <p className="empty">请选择服务机构，查看它这一天的上门工单。</p>
      ) : (
        <DayView key={`${date}-${providerId}`} date={date} providerId={providerId || undefined} canManage={may(user.role, 'care.manage')} />
      )}
    </>
  );
}

type Pending = Record<string, string | null>;

function DayView({ date, providerId, canManage }: { date: string; providerId?: string; canManage: boolean }) {
  const { t } = usePrefs();
  const id = useId();
  const [orders, reloadOrders] = useLoad((s) => careApi.orders({ from: date, to: date, providerId }, s), [date, providerId]);
  const [carers, setCarers] = useState<Caregiver[]>([]);
  const [pending, setPending] = useState<Pending>({});
  const [ticked, setTicked] = useState<string[]>([]);
  const [bulkTo, setBulkTo] = useState('');
  const [busy, setBusy] = useState<null | 'save' | 'auto'>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [auto, setAuto] = useState<ScheduleResult | null>(null);
  const [autoProblem, setAutoProblem] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const ids = { bulk: useId(), auto: useId() };

  useEffect(() => {
    if (!canManage) return;
    const ctl = new AbortController();
    careApi
      .caregivers({ status: 'active', providerId }, ctl.signal)
      .then((r) => setCarers(r.items))
      .catch(() => setCarers([]));
    return () => ctl.abort();
  }, [providerId, canManage]);

  useEffect(() => {
    if (saved || saveError || auto || autoProblem) resultRef.current?.focus();
  }, [saved, saveError, auto, autoProblem]);

  const list = orders.status === 'ok' ? [...orders.data.items].sort((a, b) => a.startsAt.localeCompare(b.startsAt)) : [];
  const assignable = (o: Order) => canManage && (o.status === 'open' || o.status === 'assigned');
  const fitFor = (o: Order) => carers.filter((c) => !c.unfit && (o.payer !== 'ltci' || c.serviceKinds.includes(o.kind as 'care' | 'nursing')));
  const chosen = (o: Order) => (o.id in pending ? pending[o.id] ?? '' : o.caregiverId ?? '');
  const changes = Object.entries(pending).filter(([oid, cid]) => (list.find((o) => o.id === oid)?.caregiverId ?? null) !== cid);

  const save = async () => {
    if (busy || changes.length === 0) return;
    setBusy('save');
    setSaveError(null);
    setSaved(null);
    setAuto(null);
    setAutoProblem(null);
    try {
      const r = await careApi.assign(changes.map(([orderId, caregiverId]) => ({ orderId, caregiverId })));
      setSaved(`已保存派单：${r.changed} 张工单有变更，相关护理员已收到通知。`);
      setPending({});
      setTicked([]);
      reloadOrders();
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(null);
    }
  };

  const schedule = async () => {
    if (busy) return;
    setBusy('auto');
    setAuto(null);
    setAutoProblem(null);
    setSaved(null);
    setSaveError(null);
    try {
      const r = await careApi.schedule({ date, ...(providerId ? { providerId } : {}) });
      setAuto(r);
      setPending({});
      reloadOrders();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ROUTE_NOT_FOUND') setAutoProblem('自动排班功能尚未开通，请先手动派单。');
      else setAutoProblem(errorText(err, t));
    } finally {
      setBusy(null);
    }
  };

  const bulk = () => {
    if (!bulkTo || ticked.length === 0) return;
    const to = bulkTo === 'none' ? null : bulkTo;
    setPending((p) => {
      const next = { ...p };
      for (const oid of ticked) {
        const o = list.find((x) => x.id === oid);
        if (o && assignable(o) && (to === null || fitFor(o).some((c) => c.id === to))) next[oid] = to;
      }
      return next;
    });
  };

  const assignedCount = auto ? (typeof auto.assigned === 'number' ? auto.assigned : Array.isArray(auto.assigned) ? auto.assigned.length : 0) : 0;

  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{date} 的上门工单</h3>
      {canManage && (
        <div className="card section-card" aria-labelledby={ids.auto} role="group">
          <p id={ids.auto}>自动排班：按护理员的资质、工作时间和上门路途，为这一天尚未派单的工单安排护理员。</p>
          <button type="button" className="button button-secondary" aria-disabled={busy !== null || undefined} onClick={() => void schedule()}>
            {busy === 'auto' ? '正在排班…' : '自动排班'}
          </button>
        </div>
      )}
      <div ref={resultRef} tabIndex={-1} data-testid="care-orders-result">
        {saved && (
          <p className="notice" role="status">
            {saved}
          </p>
        )}
        {saveError !== null && <ServerProblem error={saveError} title="派单没有保存" />}
        {autoProblem && (
          <div className="notice notice-error" role="alert">
            <p>{autoProblem}</p>
          </div>
        )}
        {auto && (
          <div className="notice" role="status" data-testid="care-schedule-result">
            <p className="notice-title">自动排班完成：派出 {assignedCount} 张工单{auto.unassigned.length ? `，${auto.unassigned.length} 张未能派出` : ''}。</p>
            {auto.travelMinutesPerCareHour !== null && auto.travelMinutesPerCareHour !== undefined && (
              <p>
                每护理小时路途分钟：<strong data-testid="care-travel-figure">{Math.round(auto.travelMinutesPerCareHour * 10) / 10}</strong>（路上花的时间与上门服务时间之比，越低越好）
              </p>
            )}
            {auto.unassigned.length > 0 && (
              <ul>
                {auto.unassigned.map((u) => {
                  const o = list.find((x) => x.id === u.orderId);
                  return <li key={u.orderId}>{o ? `${clock(o.startsAt)} ${o.personName}` : u.orderId}：{u.reason}</li>;
                })}
              </ul>
            )}
          </div>
        )}
      </div>
      {orders.status !== 'ok' ? (
        <LoadStatus load={orders} loadingText="正在读取上门工单…" failedTitle="无法读取上门工单" onRetry={reloadOrders} />
      ) : list.length === 0 ? (
        <p className="empty">这一天没有上门工单。</p>
      ) : (
        <>
          <p className="count" data-testid="care-orders-count">
            共 {list.length} 张工单，已派 {list.filter((o) => o.caregiverId).length} 张。
          </p>
          <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
            <table className="data-table" data-testid="care-orders">
              <thead>
                <tr>
                  {canManage && (
                    <th scope="col">
                      <span className="visually-hidden">选择</span>
                    </th>
                  )}
                  <th scope="col">时间</th>
                  <th scope="col">老人</th>
                  <th scope="col">地址</th>
                  <th scope="col">服务</th>
                  <th scope="col">状态</th>
                  <th scope="col">护理员</th>
                </tr>
              </thead>
              <tbody>
                {list.map((o) => {
                  const end = new Date(Date.parse(o.startsAt) + o.minutes * 60_000).toISOString();
                  const label = `${clock(o.startsAt)} ${o.personName}`;
                  const fit = fitFor(o);
                  const current = o.caregiverId && !fit.some((c) => c.id === o.caregiverId) ? [{ id: o.caregiverId, name: o.caregiverName ?? '' }] : [];
                  return (
                    <tr key={o.id} data-order={o.id} data-status={o.status}>
                      {canManage && (
                        <td>
                          {assignable(o) && (
                            <input
                              type="checkbox"
                              aria-label={`选择工单 ${label}`}
                              checked={ticked.includes(o.id)}
                              onChange={(e) => setTicked((ts) => (e.target.checked ? [...ts, o.id] : ts.filter((x) => x !== o.id)))}
                            />
                          )}
                        </td>
                      )}
                      <td>
                        {clock(o.startsAt)}–{clock(end)}
                      </td>
                      <th scope="row">{o.personName}</th>
                      <td className="wrap">{o.address ?? <span className="muted">未登记</span>}</td>
                      <td>
                        {o.payer === 'ltci' ? `长护险 ${SERVICE_KIND_NAMES[o.kind as 'care' | 'nursing'] ?? o.kind}` : `自费 ${o.kind}`}，{o.minutes} 分钟
                      </td>
                      <td>{ORDER_STATUS_NAMES[o.status] ?? o.status}</td>
                      <td>
                        {assignable(o) ? (
                          <select aria-label={`护理员：${label}`} value={chosen(o)} onChange={(e) => setPending((p) => ({ ...p, [o.id]: e.target.value || null }))}>
                            <option value="">未派单</option>
                            {[...current, ...fit].map((c) => (
                              <option key={c.id} value={c.id}>
                                {c.name}
                              </option>
                            ))}
                          </select>
                        ) : (
                          o.caregiverName ?? <span className="muted">未派单</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {canManage && (
            <div className="card section-card">
              <div className="care-inline-form">
                <div className="field">
                  <label htmlFor={ids.bulk}>将选中的 {ticked.length} 张工单派给</label>
                  <select id={ids.bulk} value={bulkTo} onChange={(e) => setBulkTo(e.target.value)}>
                    <option value="">请选择护理员</option>
                    <option value="none">撤回派单</option>
                    {carers
                      .filter((c) => !c.unfit)
                      .map((c) => (
                        <option key={c.id} value={c.id}>
                          {c.name}（{c.kindName}）
                        </option>
                      ))}
                  </select>
                </div>
                <button type="button" className="button button-secondary" aria-disabled={!bulkTo || ticked.length === 0 || undefined} onClick={bulk}>
                  批量派单
                </button>
              </div>
              <p className="hint">批量派单只改动护理员具备相应资质的工单；改动在保存后生效。</p>
              <div className="button-row">
                <button type="button" className="button button-primary" aria-disabled={busy !== null || changes.length === 0 || undefined} onClick={() => void save()}>
                  {busy === 'save' ? '正在保存…' : `保存派单（${changes.length} 项变更）`}
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
