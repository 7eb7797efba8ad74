// 今日上门服务: the caregiver's visits of the day in time order — time, name, address, the items
// planned, the route hint from the previous home (distance and travel minutes, from the server's
// day) with a link to open the address in a map app, and where each visit stands (未开始, 服务中,
// 已完成, 待同步). Records the server refused are shown first, in plain Chinese, until read.
import { Link } from 'react-router';
import { usePageTitle } from '../prefs.tsx';
import { clock, dateLabel, distanceText, endOf, minutesText, SERVICE_KIND_NAMES, shanghaiToday } from './format.ts';
import type { ShownItem } from './queue.ts';
import { useCarer } from './useCarer.tsx';

export function DayScreen() {
  const c = useCarer();
  usePageTitle('今日上门服务');
  const date = c.day?.date ?? shanghaiToday();
  const left = c.items.filter((i) => !i.visit || i.visit.status === 'in_progress').length;

  return (
    <>
      <h1 className="carer-title">
        今日上门服务
        <span className="carer-date">{dateLabel(date)}</span>
      </h1>
      <Notices />
      {c.dayStatus === 'loading' && (
        <p role="status" className="loading">
          正在下载今天的服务安排…
        </p>
      )}
      {c.dayStatus === 'none' && <p className="notice">今天的服务安排还没有下载到这台手机上。请联网后打开这个页面，下载后没有网络也能使用。</p>}
      {c.dayStatus === 'error' && (
        <p className="notice notice-error" role="alert">
          没有下载到今天的服务安排：{c.dayError}
        </p>
      )}
      {c.day && (
        <>
          <p className="carer-summary" data-testid="carer-day-summary">
            今天共 {c.items.length} 次上门服务，还有 {left} 次未完成。
            {c.daySavedAt && <span className="muted"> 服务安排下载于 {clock(c.daySavedAt)}。</span>}
          </p>
          {c.dayError && <p className="notice notice-error">更新服务安排没有成功：{c.dayError}</p>}
          {c.items.length === 0 ? (
            <p className="notice">今天没有派给您的上门服务。</p>
          ) : (
            <ol className="carer-list" aria-label="今天的上门服务（按时间）">
              {c.items.map((item, i) => (
                <VisitCard key={item.orderId} item={item} first={i === 0} catalogue={c.day!.catalogue} />
              ))}
            </ol>
          )}
          <p>
            <button type="button" className="button button-secondary" aria-disabled={!c.online || undefined} onClick={() => c.online && void c.refreshDay()}>
              更新服务安排
            </button>
          </p>
        </>
      )}
    </>
  );
}

/** Where a visit stands, in words and as a data attribute the page's styles (and tests) read. */
export function visitState(item: ShownItem): { key: 'todo' | 'in_progress' | 'done' | 'cancelled'; text: string } {
  const v = item.visit;
  if (!v) return { key: 'todo', text: '未开始' };
  if (v.status === 'in_progress') return { key: 'in_progress', text: `服务中（${clock(v.checkIn)} 签到）` };
  if (v.status === 'done') return { key: 'done', text: `已完成（${clock(v.checkIn)}–${clock(v.checkOut)}）` };
  return { key: 'cancelled', text: '已取消' };
}

export function mapUrl(item: Pick<ShownItem, 'home' | 'personName' | 'address'>): string | null {
  if (!item.home) return null;
  const name = encodeURIComponent(item.address ?? item.personName);
  return `https://uri.amap.com/marker?position=${item.home.lon},${item.home.lat}&name=${name}&coordinate=wgs84&callnative=1`;
}

function VisitCard({ item, first, catalogue }: { item: ShownItem; first: boolean; catalogue: { code: string; name: string }[] }) {
  const names = new Map(catalogue.map((x) => [x.code, x.name]));
  const state = visitState(item);
  const titleId = `carer-visit-${item.orderId}`;
  const url = mapUrl(item);
  const route = item.fromPreviousMeters !== null ? `距上一家约 ${distanceText(item.fromPreviousMeters)}${item.travelMinutes !== null ? `，路上约 ${item.travelMinutes} 分钟` : ''}` : first ? '今天第一家' : '没有上一家的位置，无法估算路程';
  return (
    <li className="card carer-visit" data-testid="carer-visit" data-order={item.orderId} data-state={state.key} aria-labelledby={titleId}>
      <p className="carer-visit-time">
        {clock(item.startsAt)}–{clock(endOf(item.startsAt, item.minutes))}
        <span className="muted">
          {' '}
          · {minutesText(item.minutes)} · {SERVICE_KIND_NAMES[item.kind] ?? item.kind}
          {item.payer === 'self' ? ' · 自费' : ''}
        </span>
      </p>
      <h2 id={titleId} className="carer-visit-name">
        {item.personName}
      </h2>
      <p className="carer-visit-address">{item.address ?? '（没有登记地址）'}</p>
      <p className="carer-route" data-testid="carer-route">
        <span aria-hidden="true">➜ </span>
        {route}
      </p>
      {item.items.length > 0 && <p>服务项目：{item.items.map((c) => names.get(c) ?? c).join('、')}</p>}
      <p className="carer-visit-state">
        <span className="tag" data-state={state.key} data-testid="carer-visit-state">
          {state.text}
        </span>
        {item.waiting.length > 0 && <span className="tag tag-pending">{item.waiting.length} 条记录待同步</span>}
      </p>
      <div className="button-row">
        <Link to={`/carer/visit/${item.orderId}`} className="button button-primary button-big carer-open" aria-describedby={titleId}>
          {state.key === 'todo' ? '开始服务' : state.key === 'in_progress' ? '继续服务' : '查看记录'}
        </Link>
        {url && (
          <a href={url} className="button button-secondary" target="_blank" rel="noopener noreferrer">
            在地图中打开<span className="visually-hidden">（新窗口）</span>
          </a>
        )}
      </div>
    </li>
  );
}

export function Notices() {
  const c = useCarer();
  return (
    <div role="alert" className="status-slot">
      {c.notices.length > 0 && (
        <section className="notice notice-error carer-notices" aria-labelledby="carer-notices-title" data-testid="carer-notices">
          <h2 id="carer-notices-title" className="notice-title">
            有 {c.notices.length} 条记录没有被接受
          </h2>
          <ul>
            {c.notices.map((n) => (
              <li key={n.id}>
                <p>
                  {clock(n.at)} {n.text}
                </p>
                <button type="button" className="button button-secondary" onClick={() => void c.dismiss(n.id)}>
                  知道了<span className="visually-hidden">：{n.text}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
