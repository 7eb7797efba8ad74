// 我的订餐 (/my/meals): for older people and their families. After signing in (the portal's own
// form, as on /my/waitlist), the order form when a meal was chosen on a point's page
// (?point=&date=&meal=): for whom (the linked people), dine-in or delivery (address, phone), then
// the price, the subsidy and what one pays — each explained — before 确认订餐. Below, each linked
// person with the subsidy they would get today and their orders: the coming ones first, each with
// 退订 while the cut-off allows, the earlier ones folded away.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { MyShell } from '../my/MyShell.tsx';
import { dayText, mealsApi, MODE_NAMES, shanghaiClock, yuan, type Figures, type Meal, type MealPersonView, type MenuView, type Mode, type OrderView, type PointDetail, type Quote } from './api.ts';
import './meals.css';

const MEAL_ORDER: readonly Meal[] = ['breakfast', 'lunch', 'dinner'];

/** Today in Shanghai (fixed UTC+8), as the server's business dates are written. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function MyMealsPage() {
  return (
    <MyShell
      title="我的订餐"
      lead="在这里为自己或家里的老人订助餐、看要付多少钱和补贴多少，查看和退订订好的餐。"
      back={{ to: '/meals', text: '查看附近的助餐点和菜单' }}
      mainClassName="container check-main my-main meals-main"
    >
      <MyMeals />
    </MyShell>
  );
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; people: MealPersonView[]; orders: OrderView[] };

function MyMeals() {
  const { t } = usePrefs();
  const [sp] = useSearchParams();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const chosen = sp.get('point') && sp.get('date') && sp.get('meal') ? { pointId: sp.get('point')!, date: sp.get('date')!, meal: sp.get('meal') as Meal } : null;

  useEffect(() => {
    const ctl = new AbortController();
    mealsApi
      .mine(ctl.signal)
      .then((r) => setLoad({ status: 'ok', people: r.people, orders: r.orders }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [attempt]);

  const replace = (o: OrderView) =>
    setLoad((l) => (l.status !== 'ok' ? l : { ...l, orders: l.orders.some((x) => x.id === o.id) ? l.orders.map((x) => (x.id === o.id ? o : x)) : [o, ...l.orders] }));

  if (load.status === 'loading') {
    return (
      <p role="status" className="loading">
        正在读取订餐信息…
      </p>
    );
  }
  if (load.status === 'error') {
    return (
      <>
        <p className="notice notice-error" role="alert">
          暂时看不到订餐信息：{load.message}
        </p>
        <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
          {t('common.retry')}
        </button>
      </>
    );
  }
  if (load.people.length === 0) {
    return <p className="notice">您的账号还没有关联老人，所以不能在这里订餐。请带上身份证，到所在街道的社区事务受理服务中心办理关联；也可以请养老顾问代订。</p>;
  }
  return (
    <>
      {chosen ? (
        <OrderForm key={`${chosen.pointId}-${chosen.date}-${chosen.meal}`} {...chosen} people={load.people} onOrdered={replace} />
      ) : (
        <div className="meals-entry">
          <p>要订餐，请先到“老年助餐”选一个助餐点，再点某一天某一餐的“订这一餐”。</p>
          <p>
            <Link to="/meals" className="button button-primary button-big">
              选助餐点和菜单
            </Link>
          </p>
        </div>
      )}
      {load.people.map((p) => (
        <PersonMeals key={p.personId} person={p} orders={load.orders.filter((o) => o.personId === p.personId)} onChanged={replace} />
      ))}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function OrderForm({ pointId, date, meal, people, onOrdered }: { pointId: string; date: string; meal: Meal; people: MealPersonView[]; onOrdered: (o: OrderView) => void }) {
  const { t } = usePrefs();
  const ids = { title: useId(), who: useId(), how: useId(), address: useId(), addressError: useId(), phone: useId(), note: useId(), quote: useId(), done: useId() };
  const [point, setPoint] = useState<{ status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; p: PointDetail; menu: MenuView | null; left: number }>({ status: 'loading' });
  const [personId, setPersonId] = useState(people.length === 1 ? people[0]!.personId : '');
  const [mode, setMode] = useState<Mode>('dine_in');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<{ field: 'who' | 'address'; text: string } | null>(null);
  const [quote, setQuote] = useState<Quote | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<OrderView | null>(null);
  const quoteRef = useRef<HTMLHeadingElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const addressRef = useRef<HTMLInputElement>(null);
  const firstPersonRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const ctl = new AbortController();
    mealsApi
      .point(pointId, ctl.signal)
      .then((p) => {
        const day = p.days.find((d) => d.date === date);
        setPoint({ status: 'ok', p, menu: day?.menus.find((m) => m.meal === meal) ?? null, left: day?.left ?? 0 });
      })
      .catch((e: unknown) => !ctl.signal.aborted && setPoint({ status: 'error', message: errorText(e, t) }));
    return () => ctl.abort();
    // t changes with the language only
  }, [pointId, date, meal]);

  useEffect(() => {
    if (quote) quoteRef.current?.focus();
  }, [quote]);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  useEffect(() => {
    if (failure) failureRef.current?.focus();
  }, [failure]);

  const input = () => ({ personId, facilityId: pointId, date, meal, mode, deliveryAddress: mode === 'delivery' ? address.trim() : null, contactPhone: mode === 'delivery' && phone.trim() ? phone.trim() : null });

  const onQuote = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    if (!personId) {
      setProblem({ field: 'who', text: '请选择为哪位老人订餐。' });
      firstPersonRef.current?.focus();
      return;
    }
    if (mode === 'delivery' && !address.trim()) {
      setProblem({ field: 'address', text: '送餐上门要填写送餐地址。' });
      addressRef.current?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      setQuote(await mealsApi.quote(input()));
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const onConfirm = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const o = await mealsApi.order(input());
      setDone(o);
      setQuote(null);
      onOrdered(o);
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  if (point.status === 'loading') {
    return (
      <p role="status" className="loading">
        正在读取这一餐的菜单…
      </p>
    );
  }
  if (point.status === 'error') {
    return (
      <p className="notice notice-error" role="alert">
        暂时读不到这个助餐点：{point.message}
      </p>
    );
  }
  const { p, menu } = point;
  const today = p.days[0]?.date ?? shanghaiToday();
  const title = `订餐：${p.name}，${dayText(date, today)}${menu?.mealName ?? ''}`;
  return (
    <section className="card section-card meals-order-form" aria-labelledby={ids.title} data-testid="meals-order-form">
      <h2 id={ids.title}>{title}</h2>
      {done ? (
        <div className="notice" role="status" tabIndex={-1} ref={doneRef} data-testid="meals-done">
          <p className="notice-title">已订好</p>
          <p>
            {done.personName}，{dayText(done.date, today)}{done.mealName}，{done.facilityName}，{done.modeName}。自付 {yuan(done.paysFen)}
            {done.subsidyFen > 0 ? `（已减去补贴 ${yuan(done.subsidyFen)}）` : ''}。{done.cutoffText}前可以退订。
          </p>
        </div>
      ) : !menu ? (
        <p className="notice">这一天的这一餐没有菜单，或者已经不能预订了。请回到助餐点的页面另选一餐。</p>
      ) : !menu.open ? (
        <p className="notice">这一餐已过订餐时间（{menu.cutoffText}截止）。</p>
      ) : (
        <>
          <ul className="meals-menu-list" role="list">
            <li className="meals-menu">
              <p className="meals-menu-head">
                <strong>{menu.mealName}</strong> <span className="meals-price">{yuan(menu.priceFen)}</span>
              </p>
              <p className="meals-dishes">{menu.dishes.map((d) => d.name).join('、')}</p>
              <p className="muted">
                {p.address}。请在 {shanghaiClock(menu.cutoff)} 前订餐，之前也可以退订。这一天还可以订 {point.left} 份。
              </p>
            </li>
          </ul>
          <form onSubmit={onQuote} noValidate>
            <fieldset className="meals-choices" aria-describedby={problem?.field === 'who' ? `${ids.who}-error` : undefined}>
              <legend>为哪位老人订</legend>
              {people.map((x, i) => (
                <label key={x.personId} className="meals-choice">
                  <input
                    ref={i === 0 ? firstPersonRef : undefined}
                    type="radio"
                    name={ids.who}
                    value={x.personId}
                    checked={personId === x.personId}
                    onChange={() => {
                      setPersonId(x.personId);
                      setQuote(null);
                    }}
                  />
                  <span>
                    {x.name}（{x.relation}）
                  </span>
                </label>
              ))}
              {problem?.field === 'who' && (
                <p id={`${ids.who}-error`} className="field-error">
                  {problem.text}
                </p>
              )}
            </fieldset>
            <fieldset className="meals-choices">
              <legend>怎么吃</legend>
              <label className="meals-choice">
                <input type="radio" name={ids.how} value="dine_in" checked={mode === 'dine_in'} onChange={() => { setMode('dine_in'); setQuote(null); }} />
                <span>堂食（到助餐点吃）</span>
              </label>
              {menu.delivery ? (
                <label className="meals-choice">
                  <input type="radio" name={ids.how} value="delivery" checked={mode === 'delivery'} onChange={() => { setMode('delivery'); setQuote(null); }} />
                  <span>送餐上门（送餐费 {yuan(menu.deliveryFeeFen)}）</span>
                </label>
              ) : (
                <p className="muted">这一餐不提供送餐上门。</p>
              )}
            </fieldset>
            {mode === 'delivery' && (
              <div className="stack">
                <div className="field">
                  <label htmlFor={ids.address}>送餐地址</label>
                  <input
                    id={ids.address}
                    ref={addressRef}
                    type="text"
                    autoComplete="street-address"
                    value={address}
                    maxLength={120}
                    aria-invalid={problem?.field === 'address' || undefined}
                    aria-describedby={problem?.field === 'address' ? ids.addressError : undefined}
                    onChange={(e) => {
                      setAddress(e.target.value);
                      setQuote(null);
                    }}
                  />
                  {problem?.field === 'address' && (
                    <p id={ids.addressError} className="field-error">
                      {problem.text}
                    </p>
                  )}
                </div>
                <div className="field">
                  <label htmlFor={ids.phone}>
                    联系电话<span className="optional">（选填，送餐员联系用）</span>
                  </label>
                  <input id={ids.phone} type="tel" autoComplete="tel" inputMode="tel" value={phone} maxLength={20} onChange={(e) => setPhone(e.target.value)} />
                </div>
              </div>
            )}
            {!quote && (
              <div className="button-row">
                <button type="submit" className="button button-primary button-big" aria-disabled={busy || undefined}>
                  {busy ? '正在计算…' : '算一算要付多少钱'}
                </button>
              </div>
            )}
          </form>
          {quote && (
            <div className="card meals-quote" data-testid="meals-quote">
              <h3 id={ids.quote} ref={quoteRef} tabIndex={-1}>
                请确认：{quote.personName}，{dayText(quote.date, today)}{quote.mealName}，{quote.modeName}
              </h3>
              <FiguresList f={quote} />
              <p>订好后，{quote.cutoffText}前可以退订。</p>
              <div className="button-row">
                <button type="button" className="button button-primary button-big" onClick={() => void onConfirm()} aria-disabled={busy || undefined}>
                  {busy ? '正在订餐…' : '确认订餐'}
                </button>
                <button type="button" className="button button-secondary button-big" onClick={() => setQuote(null)}>
                  返回修改
                </button>
              </div>
            </div>
          )}
          {failure && (
            <div className="notice notice-error" role="alert" tabIndex={-1} ref={failureRef} data-testid="meals-failure">
              <p className="notice-title">没有订成</p>
              <p>{failure}</p>
            </div>
          )}
        </>
      )}
    </section>
  );
}

/** Price, subsidy and what one pays, each with its explanation. */
export function FiguresList({ f }: { f: Figures }) {
  const why = (k: 'price' | 'subsidy' | 'pays') => f.figures.find((x) => x.figure === k)?.text ?? '';
  return (
    <dl className="meals-figures" data-testid="meals-figures">
      <div className="meals-figure">
        <dt>餐费</dt>
        <dd>
          <span className="meals-figure-amount" data-figure="price">{yuan(f.priceFen)}</span>
          <span className="meals-figure-why">{why('price')}</span>
        </dd>
      </div>
      <div className="meals-figure">
        <dt>补贴</dt>
        <dd>
          <span className="meals-figure-amount" data-figure="subsidy">{yuan(f.subsidyFen)}</span>
          <span className="meals-figure-why">{why('subsidy')}</span>
        </dd>
      </div>
      <div className="meals-figure meals-pays">
        <dt>自付</dt>
        <dd>
          <span className="meals-figure-amount" data-figure="pays">{yuan(f.paysFen)}</span>
          <span className="meals-figure-why">{why('pays')}</span>
        </dd>
      </div>
    </dl>
  );
}

// ---------------------------------------------------------------------------------------------

function PersonMeals({ person, orders, onChanged }: { person: MealPersonView; orders: OrderView[]; onChanged: (o: OrderView) => void }) {
  const titleId = `meals-person-${person.personId}`;
  const today = shanghaiToday();
  const coming = orders.filter((o) => o.date >= today).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : MEAL_ORDER.indexOf(a.meal) - MEAL_ORDER.indexOf(b.meal)));
  const earlier = orders.filter((o) => o.date < today);
  const s = person.subsidy;
  return (
    <section className="card section-card" aria-labelledby={titleId} data-testid="meals-person" data-person={person.personId}>
      <h2 id={titleId}>
        {person.name}（{person.relation}）
      </h2>
      <p data-testid="meals-subsidy">
        {person.facts}。
        {s.dineIn || s.delivery
          ? `现在可以享受的助餐补贴：${[s.dineIn ? `堂食每餐 ${yuan(s.dineIn.fen)}（${s.dineIn.label}）` : '', s.delivery ? `送餐上门每餐 ${yuan(s.delivery.fen)}（${s.delivery.label}）` : ''].filter(Boolean).join('；')}。`
          : '按现在的情况，暂不符合助餐补贴的条件。'}
      </p>
      <h3>订好的餐</h3>
      {coming.length === 0 ? (
        <p className="muted">今天和以后还没有订餐。</p>
      ) : (
        coming.map((o) => <OrderCard key={o.id} o={o} today={today} onChanged={onChanged} />)
      )}
      {earlier.length > 0 && (
        <details className="meals-parameters">
          <summary>最近 30 天的订餐（{earlier.length} 份）</summary>
          {earlier.map((o) => (
            <OrderCard key={o.id} o={o} today={today} onChanged={onChanged} />
          ))}
        </details>
      )}
    </section>
  );
}

function OrderCard({ o, today, onChanged }: { o: OrderView; today: string; onChanged: (o: OrderView) => void }) {
  const { t } = usePrefs();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const titleId = `meals-order-${o.id}`;

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const cancel = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const v = await mealsApi.cancel(o.id, null);
      setConfirming(false);
      onChanged(v);
      requestAnimationFrame(() => statusRef.current?.focus());
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="card meals-order" aria-labelledby={titleId} data-testid="meals-order" data-order={o.id}>
      <h4 id={titleId}>
        {dayText(o.date, today)}
        {o.mealName} · {o.facilityName}
      </h4>
      <p ref={statusRef} tabIndex={-1}>
        <span className="tag" data-testid="meals-order-status">
          {o.statusName}
        </span>{' '}
        {MODE_NAMES[o.mode]}
        {o.deliveryAddressMasked ? `，送到 ${o.deliveryAddressMasked}` : `，${o.facilityAddress}`}
        {o.cancelReason ? `（退订原因：${o.cancelReason}）` : ''}
      </p>
      <FiguresList f={o} />
      {o.canCancel && !confirming && (
        <p>
          <button type="button" className="button button-secondary button-big" onClick={() => setConfirming(true)}>
            退订<span className="visually-hidden">：{dayText(o.date, today)}{o.mealName}</span>
          </button>{' '}
          <span className="muted">{shanghaiClock(o.cutoff)} 前可以退订</span>
        </p>
      )}
      {confirming && (
        <div className="meals-confirm" role="group" aria-label="确认退订">
          <p>确定要退订{o.personName}这一餐吗？退订后如果还想吃，需要重新订。</p>
          <div className="button-row">
            <button ref={confirmRef} type="button" className="button button-primary button-big" onClick={() => void cancel()} aria-disabled={busy || undefined}>
              {busy ? '正在退订…' : '确认退订'}
            </button>
            <button type="button" className="button button-secondary button-big" onClick={() => setConfirming(false)}>
              不退订
            </button>
          </div>
        </div>
      )}
      {failure && (
        <p className="notice notice-error" role="alert">
          没有退订成：{failure}
        </p>
      )}
    </article>
  );
}
