// One result of 找服务 as a large card: the name (a link to the detail), what kind of place it is
// and where, how far on foot, free beds with when they were last confirmed — and, when that is
// too long ago, 信息可能已过期 in words and a mark, not in colour alone — the lowest price, the
// rating or 暂无评级, and the telephone as a link that dials.
import { Link } from 'react-router';
import type { FacilityCard } from './api.ts';
import { daysAgoText, distanceText, priceText, starsText } from './format.ts';

export function FacilityCardView({ f, number, to, state }: { f: FacilityCard; number: number; to: string; state?: unknown }) {
  return (
    <article className="card svc-card" aria-labelledby={`svc-card-${f.id}`}>
      <h3 id={`svc-card-${f.id}`} className="svc-card-title">
        <span className="svc-card-no" aria-hidden="true">
          {number}
        </span>
        <Link to={to} state={state}>
          {f.name}
        </Link>
      </h3>
      <p className="svc-card-type">
        <span className="tag">{f.typeName}</span>
        {f.ownershipName && <span className="tag">{f.ownershipName}</span>}
        {f.basicGuarantee && <span className="tag svc-tag-basic">保基本</span>}
        <span className="svc-card-where">
          {f.districtName}
          {f.streetName ? ` · ${f.streetName}` : ''}
        </span>
      </p>
      <p className="svc-card-address">地址：{f.address}</p>
      <dl className="svc-facts">
        {f.distanceMeters !== null && (
          <div>
            <dt>距离</dt>
            <dd>
              {distanceText(f.distanceMeters)}
              {f.walkMinutes !== null && `，步行约 ${f.walkMinutes} 分钟`}
            </dd>
          </div>
        )}
        {f.beds && <Vacancy f={f} />}
        <div>
          <dt>价格</dt>
          <dd>
            {f.priceFrom ? (
              <>
                {priceText(f.priceFrom.fen, f.priceFrom.unitName ?? f.priceFrom.unit)} 起<span className="muted">（{f.priceFrom.item}）</span>
              </>
            ) : (
              '请电话咨询'
            )}
          </dd>
        </div>
        <div>
          <dt>等级评定</dt>
          <dd>
            {f.rating ? (
              <>
                <span aria-hidden="true" className="svc-stars">
                  {starsText(f.rating.stars)}{' '}
                </span>
                {f.rating.stars} 级<span className="muted">（{f.rating.source}，{f.rating.ratedOn}）</span>
              </>
            ) : (
              '暂无评级'
            )}
          </dd>
        </div>
        {f.functionNames.length > 0 && (
          <div>
            <dt>服务</dt>
            <dd>{f.functionNames.join('、')}</dd>
          </div>
        )}
      </dl>
      <p className="button-row svc-card-actions">
        <a className="button button-secondary" href={`tel:${f.phone.replace(/[^\d+]/g, '')}`} aria-label={`${f.phone}（打电话给${f.name}）`}>
          <span aria-hidden="true">☎</span> {f.phone}
        </a>
        {f.beds && (
          <Link className="button button-secondary" to={`${to}#own-share`} state={state} aria-label={`算一算自己付多少：${f.name}`}>
            算一算自己付多少
          </Link>
        )}
        <Link className="button button-primary" to={to} state={state} aria-label={`查看详情：${f.name}`}>
          查看详情
        </Link>
      </p>
    </article>
  );
}

export function confirmedText(f: FacilityCard): string {
  if (f.vacancyDays !== undefined && f.vacancyDays !== null) return f.vacancyDays === 0 ? '今天' : f.vacancyDays === 1 ? '昨天' : `${f.vacancyDays} 天前`;
  return f.vacancyConfirmedAt ? daysAgoText(f.vacancyConfirmedAt) : '从未确认';
}

export function Vacancy({ f }: { f: FacilityCard }) {
  if (!f.beds) return null;
  return (
    <div className="svc-vacancy">
      <dt>空床位</dt>
      <dd>
        <strong>{f.beds.vacant > 0 ? `有 ${f.beds.vacant} 张空床` : '暂时没有空床'}</strong>（共 {f.beds.total} 张）
        {f.basicGuarantee && f.beds.basicVacant > 0 && <>，其中保基本床位 {f.beds.basicVacant} 张</>}
        <br />
        <span className="svc-confirmed">
          最后确认：{confirmedText(f)}
        </span>
        {(f.vacancyStale || !f.vacancyConfirmedAt) && (
          <span className="svc-stale">
            <span aria-hidden="true">⚠ </span>信息可能已过期，请先打电话确认
          </span>
        )}
      </dd>
    </div>
  );
}
