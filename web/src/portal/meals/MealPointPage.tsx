// One meal point (/meals/points/:id), public: where it is, when it opens, how many meals a day, and
// its menus for each day one may order — price, dishes, delivery and its fee, meals left — with
// 订这一餐 leading to 「我的订餐」 (sign-in there) with the point, day and meal chosen. A meal past
// its cut-off or a full day says so in words instead.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { MealsFrame } from './MealsFrame.tsx';
import { MenuLine, PointFacts } from './MealsPage.tsx';
import { dayText, mealsApi, shanghaiClock, type MenuView, type PointDetail } from './api.ts';
import './meals.css';

type Load<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: T };

export function MealPointPage() {
  const { id = '' } = useParams();
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load<PointDetail>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  usePageTitle(load.status === 'ok' ? `${load.data.name} · 老年助餐` : '助餐点');

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    mealsApi
      .point(id, ctl.signal)
      .then((data) => setLoad({ status: 'ok', data }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [id, attempt]);

  return (
    <MealsFrame nav={<Link to="/my/meals" className="button button-secondary">我的订餐</Link>}>
      <p className="back-link">
        <Link to="/meals">
          <span aria-hidden="true">← </span>返回助餐点列表
        </Link>
      </p>
      {load.status !== 'ok' ? (
        <>
          <h1>助餐点</h1>
          <LoadStatus load={load} loadingText="正在读取助餐点…" failedTitle="暂时读不到这个助餐点" onRetry={() => setAttempt((n) => n + 1)} />
        </>
      ) : (
        <PointBody p={load.data} />
      )}
    </MealsFrame>
  );
}

function PointBody({ p }: { p: PointDetail }) {
  const today = p.days[0]?.date ?? '';
  return (
    <>
      <h1>{p.name}</h1>
      <p className="lead">
        {p.typeName}，{p.districtName} {p.streetName}。每天最多供应 {p.capacity} 份餐。
      </p>
      <PointFacts p={p} className="meals-facts card section-card" />
      <h2>菜单和订餐</h2>
      {p.days.every((d) => d.menus.length === 0) && <p className="notice">这个助餐点最近还没有发布菜单，可以打电话问问。</p>}
      {p.days
        .filter((d) => d.menus.length > 0)
        .map((d) => {
          const titleId = `meals-day-${d.date}`;
          return (
            <section key={d.date} className="card meals-day" aria-labelledby={titleId} data-testid="meals-day" data-date={d.date}>
              <div className="meals-day-head">
                <h3 id={titleId}>{dayText(d.date, today)}</h3>
                <p>{d.left > 0 ? `还可以订 ${d.left} 份` : '这一天已经订满了'}</p>
              </div>
              <ul className="meals-menu-list" role="list">
                {d.menus.map((m) => (
                  <MenuWithOrder key={m.id} pointId={p.id} m={m} full={d.left === 0} dayTitle={dayText(d.date, today)} />
                ))}
              </ul>
            </section>
          );
        })}
    </>
  );
}

function MenuWithOrder({ pointId, m, full, dayTitle }: { pointId: string; m: MenuView; full: boolean; dayTitle: string }) {
  return (
    <MenuLine m={m}>
      {!m.open ? (
        <p className="meals-closed">{m.mealName}已过订餐时间（{m.cutoffText}截止）</p>
      ) : full ? (
        <p className="meals-closed">已订满</p>
      ) : (
        <p>
          <Link to={`/my/meals?point=${encodeURIComponent(pointId)}&date=${m.date}&meal=${m.meal}`} className="button button-primary button-big">
            订这一餐<span className="visually-hidden">：{dayTitle}{m.mealName}</span>
          </Link>{' '}
          <span className="muted">请在 {shanghaiClock(m.cutoff)} 前订餐</span>
        </p>
      )}
    </MenuLine>
  );
}
