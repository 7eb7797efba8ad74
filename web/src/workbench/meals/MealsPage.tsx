// 助餐 (/workbench/meals): community meals in the workbench (Chinese only, like 服务供给).
// 助餐点 (meals.manage): the points the account manages — a provider its own, an officer those in
// scope — then one point's day (?point=&date=): capacity and counts, per meal the menu (发布菜单 /
// 修改菜单: dishes one per line, price and delivery fee in yuan) and the orders with names masked
// and 登记已就餐 / 登记已送达, the delivery list with addresses masked, and the full delivery sheet
// after stating its purpose (audited). 每日统计 (meals.read): meals ordered, served (eaten or
// delivered), cancelled and the subsidy per point and day in scope, for a period and district.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { TabNav } from '../../components/TabNav.tsx';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, type Region } from '../../api.ts';
import { DistrictField } from '../../components/DistrictField.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { dayText, MEALS_MANAGE, MEALS_READ, mealsApi, yuan, type DayOrder, type DeliverySheet, type Meal, type MenuView, type PointDay } from '../../portal/meals/api.ts';
import '../../portal/meals/meals.css';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { fenOf, useLoad, yuanInput } from '../supply/shared.tsx';

type Tab = '' | 'counts';
const TAB_NAMES: Record<Tab, string> = { '': '助餐点', counts: '每日统计' };
const MEALS: readonly Meal[] = ['breakfast', 'lunch', 'dinner'];
const MEAL_NAMES: Record<Meal, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };

/** Today in Shanghai (fixed UTC+8), as the server's business dates are written. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const shiftDate = (date: string, days: number) => {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
};

export function MealsWorkbenchPage() {
  const user = useUser();
  if (!MEALS_MANAGE.includes(user.role) && !MEALS_READ.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <MealsBody />;
}

function MealsBody() {
  usePageTitle('助餐');
  const user = useUser();
  const [sp] = useSearchParams();
  const tabs: Tab[] = [...(MEALS_MANAGE.includes(user.role) ? (['' as Tab]) : []), ...(MEALS_READ.includes(user.role) ? (['counts'] as Tab[]) : [])];
  const asked = (sp.get('tab') ?? '') as Tab;
  const tab: Tab = tabs.includes(asked) ? asked : tabs[0]!;
  return (
    <>
      <h1>助餐</h1>
      <p>社区长者食堂和老年助餐点：发布每天的菜单，查看订餐、堂食和送餐，登记已就餐和已送达；民政部门按日统计各助餐点的供餐情况。</p>
      {tabs.length > 1 && (
        <TabNav label="助餐分页" base="/workbench/meals" tabs={tabs.map((k) => [k, TAB_NAMES[k]] as const)} current={tab} />
      )}
      {tab === '' && (sp.get('point') ? <PointDayView pointId={sp.get('point')!} /> : <PointsTab />)}
      {tab === 'counts' && <CountsTab />}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function PointsTab() {
  const user = useUser();
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [load, reload] = useLoad((s) => mealsApi.managed(q ? { q } : {}, s), [q]);
  const ids = { q: useId(), list: useId() };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSp(draft.trim() ? { q: draft.trim() } : {});
  };
  return (
    <>
      {user.role !== 'provider' && (
        <form className="filters card" onSubmit={onSubmit} aria-label="查找助餐点">
          <div className="field">
            <label htmlFor={ids.q}>名称或地址</label>
            <input id={ids.q} type="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
          </div>
          <div className="button-row">
            <button type="submit" className="button button-primary">
              查找
            </button>
          </div>
        </form>
      )}
      <section aria-labelledby={ids.list}>
        <h2 id={ids.list}>{user.role === 'provider' ? '本机构的助餐点' : '辖区内的助餐点'}</h2>
        {load.status !== 'ok' ? (
          <LoadStatus load={load} loadingText="正在读取助餐点…" failedTitle="无法读取助餐点" onRetry={reload} />
        ) : load.data.items.length === 0 ? (
          <p className="empty">{user.role === 'provider' ? '本机构还没有已备案的长者食堂或助餐点。请先在“服务设施”登记并提交备案。' : '没有找到助餐点。'}</p>
        ) : (
          <>
            <p role="status" className="count">
              共 {load.data.total} 个助餐点{load.data.total > load.data.items.length ? `，显示前 ${load.data.items.length} 个` : ''}
            </p>
            <div className="table-scroll" role="region" aria-labelledby={ids.list} tabIndex={0}>
              <table className="data-table" data-testid="meals-points">
                <thead>
                  <tr>
                    <th scope="col">助餐点</th>
                    <th scope="col">所在地</th>
                    <th scope="col" className="num">
                      每日供餐能力
                    </th>
                    <th scope="col" className="num">
                      今天已订
                    </th>
                    <th scope="col">今天的菜单</th>
                  </tr>
                </thead>
                <tbody>
                  {load.data.items.map((p) => (
                    <tr key={p.id} data-point={p.id}>
                      <th scope="row">
                        <Link to={`/workbench/meals?point=${p.id}`}>{p.name}</Link>
                        <span className="muted"> {p.typeName}</span>
                      </th>
                      <td>
                        {p.districtName} {p.streetName}
                      </td>
                      <td className="num">{p.capacity}</td>
                      <td className="num">{p.todayOrdered}</td>
                      <td>{p.todayMeals.length ? p.todayMeals.join('、') : '未发布'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function PointDayView({ pointId }: { pointId: string }) {
  const { t } = usePrefs();
  const [sp, setSp] = useSearchParams();
  const date = sp.get('date') ?? shanghaiToday();
  const [load, reload, setData] = useLoad((s) => mealsApi.day(pointId, date, s), [pointId, date]);
  const [dateDraft, setDateDraft] = useState(date);
  const [sheet, setSheet] = useState<DeliverySheet | null>(null);
  const [asking, setAsking] = useState(false);
  const [served, setServed] = useState<string | null>(null);
  const [serveFailure, setServeFailure] = useState<string | null>(null);
  const sheetRef = useRef<HTMLHeadingElement>(null);
  const ids = { date: useId(), counts: useId(), delivery: useId(), sheet: useId() };
  useEffect(() => setDateDraft(date), [date]);
  useEffect(() => {
    setSheet(null);
    setServed(null);
  }, [pointId, date]);
  useEffect(() => {
    if (sheet) sheetRef.current?.focus();
  }, [sheet]);

  const goDate = (d: string) => {
    const next = new URLSearchParams(sp);
    next.set('date', d);
    setSp(next);
  };
  const serve = async (o: DayOrder) => {
    setServeFailure(null);
    try {
      const r = await mealsApi.serve(o.id);
      setServed(`${o.personNameMasked} 的${o.mealName}：${r.statusName}`);
      setData(await mealsApi.day(pointId, date));
    } catch (e) {
      setServeFailure(errorText(e, t));
    }
  };

  if (load.status !== 'ok') return <LoadStatus load={load} loadingText="正在读取这一天的订餐…" failedTitle="无法读取这一天的订餐" onRetry={reload} />;
  const d = load.data;
  return (
    <>
      <p className="back-link">
        <Link to="/workbench/meals">
          <span aria-hidden="true">← </span>全部助餐点
        </Link>
      </p>
      <h2>
        {d.point.name}：{dayText(d.date, shanghaiToday())}
      </h2>
      <p>
        {d.point.typeName}，{d.point.districtName} {d.point.streetName}，{d.point.address}
      </p>
      <form
        className="filters card"
        aria-label="选择日期"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d{4}-\d{2}-\d{2}$/.test(dateDraft)) goDate(dateDraft);
        }}
      >
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.date}>日期</label>
            <input id={ids.date} type="date" value={dateDraft} onChange={(e) => setDateDraft(e.target.value)} />
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            查看这一天
          </button>
          <button type="button" className="button button-secondary" onClick={() => goDate(shiftDate(date, -1))}>
            前一天
          </button>
          <button type="button" className="button button-secondary" onClick={() => goDate(shiftDate(date, 1))}>
            后一天
          </button>
        </div>
      </form>

      <section aria-labelledby={ids.counts}>
        <h3 id={ids.counts}>份数</h3>
        <dl className="stats" data-testid="meals-day-counts">
          <div className="stat">
            <dt>每日供餐能力</dt>
            <dd>{d.capacity}</dd>
          </div>
          <div className="stat">
            <dt>已订</dt>
            <dd data-figure="taken">{d.taken}</dd>
          </div>
          <div className="stat">
            <dt>还可订</dt>
            <dd data-figure="left">{d.left}</dd>
          </div>
          <div className="stat">
            <dt>堂食</dt>
            <dd data-figure="dineIn">{d.counts.dineIn}</dd>
          </div>
          <div className="stat">
            <dt>送餐</dt>
            <dd data-figure="delivery">{d.counts.delivery}</dd>
          </div>
          <div className="stat">
            <dt>已就餐</dt>
            <dd data-figure="served">{d.counts.served}</dd>
          </div>
          <div className="stat">
            <dt>已送达</dt>
            <dd data-figure="delivered">{d.counts.delivered}</dd>
          </div>
          <div className="stat">
            <dt>已退订</dt>
            <dd data-figure="cancelled">{d.counts.cancelled}</dd>
          </div>
        </dl>
      </section>
      <div role="status" className="status-slot">
        {served && <p className="notice">已登记：{served}</p>}
      </div>
      {serveFailure && (
        <p className="notice notice-error" role="alert">
          没有登记成：{serveFailure}
        </p>
      )}

      {MEALS.map((m) => (
        <MealSection key={m} pointId={pointId} day={d} meal={m} onPublished={setData} onServe={serve} />
      ))}

      <section className="card section-card" aria-labelledby={ids.delivery}>
        <h3 id={ids.delivery}>送餐名单</h3>
        {d.delivery.length === 0 ? (
          <p className="empty">这一天没有送餐订单。</p>
        ) : (
          <>
            <p>地址和电话已脱敏。送餐员需要完整地址时，请打开送餐单并写明用途（会记入审计日志）。</p>
            <OrdersTable orders={d.delivery} labelledBy={ids.delivery} onServe={serve} testId="meals-delivery" withAddress />
            <p>
              <button type="button" className="button button-secondary" onClick={() => setAsking(true)}>
                查看完整送餐单
              </button>
            </p>
          </>
        )}
      </section>
      {asking && (
        <ReasonDialog
          title="查看完整送餐单"
          intro="送餐单上有老人的姓名、完整地址和电话。请写明用途，这次查看会记入审计日志。"
          confirm="查看送餐单"
          texts={{ label: '用途', hint: '必填，例如“午餐送餐”。', needReason: '请写明用途。', failed: '没有打开' }}
          onDismiss={() => setAsking(false)}
          onSend={async (purpose) => {
            setSheet(await mealsApi.deliverySheet(pointId, date, purpose));
            setAsking(false);
          }}
        />
      )}
      {sheet && (
        <section className="card section-card meals-sheet" aria-labelledby={ids.sheet} data-testid="meals-sheet">
          <h3 id={ids.sheet} ref={sheetRef} tabIndex={-1}>
            送餐单（用途：{sheet.purpose}）
          </h3>
          <div className="table-scroll" role="region" aria-labelledby={ids.sheet} tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">餐次</th>
                  <th scope="col">姓名</th>
                  <th scope="col">地址</th>
                  <th scope="col">电话</th>
                  <th scope="col">状态</th>
                  <th scope="col" className="num">
                    自付
                  </th>
                </tr>
              </thead>
              <tbody>
                {sheet.items.map((i) => (
                  <tr key={i.id}>
                    <td>{i.mealName}</td>
                    <th scope="row">{i.personName}</th>
                    <td>{i.address}</td>
                    <td>{i.phone ?? '—'}</td>
                    <td>{i.statusName}</td>
                    <td className="num">{yuan(i.paysFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </>
  );
}

function MealSection({ pointId, day, meal, onPublished, onServe }: { pointId: string; day: PointDay; meal: Meal; onPublished: (d: PointDay) => void; onServe: (o: DayOrder) => Promise<void> }) {
  const m = day.meals.find((x) => x.meal === meal);
  const [editing, setEditing] = useState(false);
  const titleId = `meals-wb-${meal}`;
  // Breakfast appears only where it is served; lunch and dinner always (a menu can be published).
  if (!m && meal === 'breakfast' && !editing) return null;
  const past = day.date < shanghaiToday();
  return (
    <section className="card section-card meals-wb-meal" aria-labelledby={titleId} data-testid="meals-wb-meal" data-meal={meal}>
      <h3 id={titleId}>{MEAL_NAMES[meal]}</h3>
      {m?.menu ? <MenuSummary menu={m.menu} /> : <p className="muted">还没有发布{MEAL_NAMES[meal]}菜单。</p>}
      {!past && !editing && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
            {m?.menu ? `修改${MEAL_NAMES[meal]}菜单` : `发布${MEAL_NAMES[meal]}菜单`}
          </button>
        </p>
      )}
      {editing && (
        <MenuForm
          pointId={pointId}
          date={day.date}
          meal={meal}
          menu={m?.menu ?? null}
          onDone={(d) => {
            setEditing(false);
            if (d) onPublished(d);
          }}
        />
      )}
      {m && m.orders.length > 0 && (
        <>
          <h4>
            订单：{m.counts.ordered} 份（堂食 {m.counts.dineIn}，送餐 {m.counts.delivery}
            {m.counts.cancelled ? `，已退订 ${m.counts.cancelled}` : ''}）
          </h4>
          <OrdersTable orders={m.orders} labelledBy={titleId} onServe={onServe} testId="meals-orders" />
        </>
      )}
    </section>
  );
}

function MenuSummary({ menu }: { menu: MenuView }) {
  return (
    <p data-testid="meals-menu">
      {menu.dishes.map((x) => (x.note ? `${x.name}（${x.note}）` : x.name)).join('、')}；{yuan(menu.priceFen)}；
      {menu.delivery ? `可送餐，送餐费 ${yuan(menu.deliveryFeeFen)}` : '只能堂食'}；订餐截止：{menu.cutoffText}
    </p>
  );
}

function MenuForm({ pointId, date, meal, menu, onDone }: { pointId: string; date: string; meal: Meal; menu: MenuView | null; onDone: (d: PointDay | null) => void }) {
  const { t } = usePrefs();
  const ids = { dishes: useId(), price: useId(), fee: useId(), delivery: useId(), note: useId(), problem: useId() };
  const [dishes, setDishes] = useState(menu ? menu.dishes.map((x) => (x.note ? `${x.name}（${x.note}）` : x.name)).join('\n') : '');
  const [price, setPrice] = useState(menu ? yuanInput(menu.priceFen) : '');
  const [delivery, setDelivery] = useState(menu?.delivery ?? true);
  const [fee, setFee] = useState(menu ? yuanInput(menu.deliveryFeeFen) : '0');
  const [problem, setProblem] = useState<{ field: 'dishes' | 'price' | 'fee'; text: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dishesRef = useRef<HTMLTextAreaElement>(null);
  const priceRef = useRef<HTMLInputElement>(null);
  const feeRef = useRef<HTMLInputElement>(null);
  useEffect(() => dishesRef.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const lines = dishes.split('\n').map((x) => x.trim()).filter(Boolean);
    const priceFen = fenOf(price);
    const feeFen = delivery ? fenOf(fee) : 0;
    if (lines.length === 0) {
      setProblem({ field: 'dishes', text: '请至少填写一道菜，每行一道。' });
      dishesRef.current?.focus();
      return;
    }
    if (priceFen === null) {
      setProblem({ field: 'price', text: '请填写价格（元），如 15 或 15.5。' });
      priceRef.current?.focus();
      return;
    }
    if (feeFen === null) {
      setProblem({ field: 'fee', text: '请填写送餐费（元），不收费填 0。' });
      feeRef.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      const dishList = lines.map((x) => {
        const mm = /^(.+?)（(.+)）$/.exec(x);
        return mm ? { name: mm[1]!, note: mm[2]! } : { name: x };
      });
      onDone(await mealsApi.publish(pointId, date, meal, { dishes: dishList, priceFen, delivery, deliveryFeeFen: feeFen }));
    } catch (err) {
      setFailure(errorText(err, t));
      setBusy(false);
    }
  };

  const err = (f: 'dishes' | 'price' | 'fee') => (problem?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': ids.problem } : {});
  return (
    <form className="meals-menu-form" onSubmit={submit} noValidate aria-label={`${MEAL_NAMES[meal]}菜单`}>
      <div className="field">
        <label htmlFor={ids.dishes}>菜品（每行一道，备注写在括号里，如“番茄蛋汤（少盐）”）</label>
        <textarea id={ids.dishes} ref={dishesRef} value={dishes} onChange={(e) => setDishes(e.target.value)} {...err('dishes')} />
      </div>
      <div className="filter-grid">
        <div className="field">
          <label htmlFor={ids.price}>价格（元）</label>
          <input id={ids.price} ref={priceRef} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} {...err('price')} />
        </div>
        <div className="field">
          <label htmlFor={ids.delivery} className="check-label">
            <input id={ids.delivery} type="checkbox" checked={delivery} onChange={(e) => setDelivery(e.target.checked)} /> 提供送餐上门
          </label>
        </div>
        {delivery && (
          <div className="field">
            <label htmlFor={ids.fee}>送餐费（元）</label>
            <input id={ids.fee} ref={feeRef} inputMode="decimal" value={fee} onChange={(e) => setFee(e.target.value)} {...err('fee')} />
          </div>
        )}
      </div>
      {problem && (
        <p id={ids.problem} className="field-error">
          {problem.text}
        </p>
      )}
      {failure && (
        <p className="notice notice-error" role="alert">
          没有发布成：{failure}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在发布…' : '发布菜单'}
        </button>
        <button type="button" className="button button-secondary" onClick={() => onDone(null)}>
          取消
        </button>
      </div>
    </form>
  );
}

function OrdersTable({ orders, labelledBy, onServe, testId, withAddress = false }: { orders: DayOrder[]; labelledBy: string; onServe: (o: DayOrder) => Promise<void>; testId: string; withAddress?: boolean }) {
  const [busy, setBusy] = useState<string | null>(null);
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="data-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">老人</th>
            {withAddress && <th scope="col">餐次</th>}
            <th scope="col">方式</th>
            {withAddress && <th scope="col">地址</th>}
            {withAddress && <th scope="col">电话</th>}
            <th scope="col">状态</th>
            <th scope="col" className="num">
              补贴
            </th>
            <th scope="col" className="num">
              自付
            </th>
            <th scope="col">登记</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id} data-order={o.id}>
              <th scope="row">{o.personNameMasked}</th>
              {withAddress && <td>{o.mealName}</td>}
              <td>{o.modeName}</td>
              {withAddress && <td>{o.addressMasked}</td>}
              {withAddress && <td>{o.phoneMasked ?? '—'}</td>}
              <td data-status={o.status}>{o.statusName}</td>
              <td className="num">{yuan(o.subsidyFen)}</td>
              <td className="num">{yuan(o.paysFen)}</td>
              <td>
                {o.canServe ? (
                  <button
                    type="button"
                    className="button button-secondary"
                    aria-disabled={busy === o.id || undefined}
                    onClick={() => {
                      if (busy) return;
                      setBusy(o.id);
                      void onServe(o).finally(() => setBusy(null));
                    }}
                  >
                    {o.mode === 'dine_in' ? '登记已就餐' : '登记已送达'}
                    <span className="visually-hidden">：{o.personNameMasked}{o.mealName}</span>
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

function CountsTab() {
  const user = useUser();
  const navigate = useNavigate();
  const [sp] = useSearchParams();
  const today = shanghaiToday();
  const from = sp.get('from') ?? shiftDate(today, -6);
  const to = sp.get('to') ?? today;
  const district = sp.get('district') ?? '';
  const [draft, setDraft] = useState({ from, to, district });
  const [districts, setDistricts] = useState<Region[]>([]);
  const [load, reload] = useLoad((s) => mealsApi.dailyCounts({ from, to, ...(district ? { district } : {}) }, s), [from, to, district]);
  const ids = { from: useId(), to: useId(), days: useId(), points: useId() };
  useEffect(() => {
    const ctl = new AbortController();
    api
      .regions(undefined, ctl.signal)
      .then((r) => setDistricts(r.items.filter((x) => x.code.startsWith(user.regionCode.replace(/(00)+$/, '')) || user.regionCode.startsWith(x.code))))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [user.regionCode]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams({ tab: 'counts', from: draft.from, to: draft.to });
    if (draft.district) next.set('district', draft.district);
    void navigate(`?${next.toString()}`);
  };

  return (
    <>
      <form className="filters card" onSubmit={onSubmit} aria-label="统计条件">
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.from}>开始日期</label>
            <input id={ids.from} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>结束日期</label>
            <input id={ids.to} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </div>
          {districts.length > 1 && <DistrictField label="区" allLabel="辖区全部" districts={districts} value={draft.district} onChange={(v) => setDraft({ ...draft, district: v })} />}
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            统计
          </button>
        </div>
      </form>
      {load.status !== 'ok' ? (
        <LoadStatus load={load} loadingText="正在统计…" failedTitle="无法统计" onRetry={reload} />
      ) : (
        <>
          <section aria-labelledby={ids.days}>
            <h2 id={ids.days}>
              每日合计（{load.data.from} 至 {load.data.to}）
            </h2>
            <p role="status" className="count" data-testid="meals-counts-total">
              共订餐 {load.data.totals.ordered} 份，已就餐（含送达）{load.data.totals.served} 份，其中送达 {load.data.totals.delivered} 份；退订 {load.data.totals.cancelled} 份；补贴 {yuan(load.data.totals.subsidyFen)}。
            </p>
            {load.data.days.length > 0 && (
              <div className="table-scroll" role="region" aria-labelledby={ids.days} tabIndex={0}>
                <table className="data-table" data-testid="meals-counts-days">
                  <thead>
                    <tr>
                      <th scope="col">日期</th>
                      <th scope="col" className="num">
                        有订餐的助餐点
                      </th>
                      <th scope="col" className="num">
                        订餐
                      </th>
                      <th scope="col" className="num">
                        已就餐（含送达）
                      </th>
                      <th scope="col" className="num">
                        送达
                      </th>
                      <th scope="col" className="num">
                        退订
                      </th>
                      <th scope="col" className="num">
                        补贴
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {load.data.days.map((x) => (
                      <tr key={x.date} data-date={x.date}>
                        <th scope="row">{x.date}</th>
                        <td className="num">{x.points}</td>
                        <td className="num">{x.ordered}</td>
                        <td className="num">{x.served}</td>
                        <td className="num">{x.delivered}</td>
                        <td className="num">{x.cancelled}</td>
                        <td className="num">{yuan(x.subsidyFen)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section aria-labelledby={ids.points}>
            <h2 id={ids.points}>各助餐点每日</h2>
            {load.data.items.length === 0 ? (
              <p className="empty">这段时间没有订餐。</p>
            ) : (
              <div className="table-scroll" role="region" aria-labelledby={ids.points} tabIndex={0}>
                <table className="data-table" data-testid="meals-counts-points">
                  <thead>
                    <tr>
                      <th scope="col">日期</th>
                      <th scope="col">助餐点</th>
                      <th scope="col">所在地</th>
                      <th scope="col" className="num">
                        供餐能力
                      </th>
                      <th scope="col" className="num">
                        订餐
                      </th>
                      <th scope="col" className="num">
                        堂食
                      </th>
                      <th scope="col" className="num">
                        送餐
                      </th>
                      <th scope="col" className="num">
                        已就餐（含送达）
                      </th>
                      <th scope="col" className="num">
                        未登记
                      </th>
                      <th scope="col" className="num">
                        退订
                      </th>
                      <th scope="col" className="num">
                        补贴
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {load.data.items.map((x) => (
                      <tr key={`${x.date}-${x.facilityId}`} data-point={x.facilityId} data-date={x.date}>
                        <td>{x.date}</td>
                        <th scope="row">{x.facilityName}</th>
                        <td>
                          {x.districtName} {x.streetName}
                        </td>
                        <td className="num">{x.capacity}</td>
                        <td className="num">{x.ordered}</td>
                        <td className="num">{x.dineIn}</td>
                        <td className="num">{x.delivery}</td>
                        <td className="num" data-figure="served">
                          {x.served}
                        </td>
                        <td className="num">{x.open}</td>
                        <td className="num">{x.cancelled}</td>
                        <td className="num">{yuan(x.subsidyFen)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}
