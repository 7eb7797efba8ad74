// One facility of 找服务 (/services/:id): everything the public may know about it — where it is
// and how to get there on foot, free beds by kind (with when they were last confirmed), the
// prices, an estimate of the own share under long-term care insurance, and a map — with 打印
// (a black-on-white print of the useful parts) and 发短信给家人/老人.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { LazyServiceMap as ServiceMap } from './LazyServiceMap.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { servicesApi, type Catalogue, type FacilityDetail, type Insurance } from './api.ts';
import { confirmedText, Vacancy } from './FacilityCardView.tsx';
import { distanceText, priceText, starsText } from './format.ts';
import { OwnShareCalculator } from './OwnShareCalculator.tsx';
import { ShareDialog } from './ShareDialog.tsx';
import { parseNear, ServicesFrame, useCatalogue, useOutlines, useProxyPeople, type Load } from './shared.tsx';

const PRICE_CATEGORY: Record<string, string> = {
  bed: '床位费',
  board: '伙食费',
  care: '护理费',
  service: '服务费',
  meal: '餐费',
  other: '其他',
};

export function ServiceDetailPage() {
  return (
    <ServicesFrame>
      <ServiceDetail />
    </ServicesFrame>
  );
}

type DetailLoad = Load<FacilityDetail> | { status: 'missing' };

function ServiceDetail() {
  const { id = '' } = useParams();
  const [sp] = useSearchParams();
  const location = useLocation();
  const { t } = usePrefs();
  const near = sp.get('near');
  const place = sp.get('place');
  const forId = sp.get('for');
  const [load, setLoad] = useState<DetailLoad>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [catalogue] = useCatalogue();
  const outlines = useOutlines();
  const { people } = useProxyPeople(forId);
  const person = people.find((p) => p.personId === forId) ?? null;
  const [sharing, setSharing] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const from = (location.state as { from?: string } | null)?.from;
  const backTo = from && from.startsWith('/services') ? from : `/services${sp.toString() ? `?${sp.toString()}` : ''}`;

  usePageTitle(load.status === 'ok' ? `${load.value.name} - 找服务` : '机构详情 - 找服务');

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    servicesApi
      .facility(id, near, place, ctl.signal)
      .then((value) => setLoad({ status: 'ok', value }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) setLoad({ status: 'missing' });
        else setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // t changes with the language only
  }, [id, near, place, attempt]);

  // Arriving from a card's 算一算 link: go to the calculator once the page is there.
  useEffect(() => {
    if (load.status !== 'ok') return;
    const target = location.hash === '#own-share' ? document.getElementById('own-share') : null;
    if (target) {
      target.scrollIntoView();
      target.focus();
    } else {
      headingRef.current?.focus();
    }
  }, [load.status, location.hash]);

  const back = (
    <p className="back-link svc-noprint">
      <Link to={backTo}>
        <span aria-hidden="true">← </span>返回查找结果
      </Link>
    </p>
  );

  if (load.status === 'missing') {
    return (
      <>
        {back}
        <h1>没有找到这家机构</h1>
        <p>这家机构可能已经不对外公开，或者链接有误。请回到查找页面重新查找。</p>
      </>
    );
  }
  if (load.status !== 'ok') {
    return (
      <>
        {back}
        <h1>机构详情</h1>
        <LoadStatus load={load} loadingText="正在读取机构信息…" failedTitle="机构信息没有读取成功" onRetry={() => setAttempt((a) => a + 1)} />
      </>
    );
  }

  const f = load.value;
  const cat: Catalogue | null = catalogue.status === 'ok' ? catalogue.value : null;
  const center = parseNear(near, place);
  const bedKindName = (code: string) => cat?.bedKinds.find((k) => k.code === code)?.name ?? code;
  const insurance: Insurance | null = person?.insurance === 'employee' || person?.insurance === 'resident' ? person.insurance : null;

  return (
    <article className="svc-detail" aria-labelledby="svc-detail-title">
      {back}
      <h1 id="svc-detail-title" ref={headingRef} tabIndex={-1}>
        {f.name}
      </h1>
      <p className="svc-card-type">
        <span className="tag">{f.typeName}</span>
        {f.ownershipName && <span className="tag">{f.ownershipName}</span>}
        {f.basicGuarantee && <span className="tag svc-tag-basic">保基本</span>}
        <span className="svc-card-where">
          {f.districtName}
          {f.streetName ? ` · ${f.streetName}` : ''}
        </span>
      </p>

      <div className="button-row svc-detail-actions svc-noprint">
        <a className="button button-primary" href={`tel:${f.phone.replace(/[^\d+]/g, '')}`} aria-label={`${f.phone}（打电话）`}>
          <span aria-hidden="true">☎</span> {f.phone}
        </a>
        <button type="button" className="button button-secondary" onClick={() => window.print()}>
          打印
        </button>
        <button type="button" className="button button-secondary" onClick={() => setSharing(true)}>
          发短信给家人/老人
        </button>
      </div>

      <section className="card svc-section" aria-labelledby="svc-basic-title">
        <h2 id="svc-basic-title">基本信息</h2>
        <dl className="field-list svc-field-list">
          <Row label="地址">{f.address}</Row>
          <Row label="电话">{f.phone}</Row>
          {f.openingHours && <Row label="开放时间">{f.openingHours}</Row>}
          {f.providerName && <Row label="运营单位">{f.providerName}</Row>}
          {f.floorAreaM2 !== null && f.floorAreaM2 !== undefined && f.floorAreaM2 > 0 && <Row label="建筑面积">{f.floorAreaM2} 平方米</Row>}
          {f.mealCapacity !== undefined && f.mealCapacity > 0 && <Row label="每天供餐">约 {f.mealCapacity} 份</Row>}
          {f.rooms !== null && f.rooms !== undefined && f.rooms > 0 && <Row label="房间">{f.rooms} 间</Row>}
          <Row label="等级评定">
            {f.rating ? (
              <>
                <span aria-hidden="true" className="svc-stars">
                  {starsText(f.rating.stars)}{' '}
                </span>
                {f.rating.stars} 级（{f.rating.source}，{f.rating.ratedOn}）
              </>
            ) : (
              '暂无评级'
            )}
          </Row>
          {f.functionNames.length > 0 && <Row label="提供的服务">{f.functionNames.join('、')}</Row>}
        </dl>
        {f.description && <p className="svc-description">{f.description}</p>}
      </section>

      {(f.distanceMeters !== null || f.route) && (
        <section className="card svc-section" aria-labelledby="svc-route-title">
          <h2 id="svc-route-title">怎么去</h2>
          {f.route ? (
            <>
              <p className="svc-route-head">
                从“{center?.label ?? '所选地点'}”步行{distanceText(f.route.meters).replace('约 ', '约')}，大约 <strong>{f.route.minutes} 分钟</strong>。
              </p>
              {f.route.text && <p>{f.route.text}</p>}
            </>
          ) : (
            f.distanceMeters !== null && (
              <p>
                离“{center?.label ?? '所选地点'}”{distanceText(f.distanceMeters)}
                {f.walkMinutes !== null && `，步行大约 ${f.walkMinutes} 分钟`}。
              </p>
            )
          )}
        </section>
      )}

      {f.beds && (
        <section className="card svc-section" aria-labelledby="svc-beds-title">
          <h2 id="svc-beds-title">床位</h2>
          <dl className="svc-facts">
            <Vacancy f={f} />
          </dl>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">各类床位数和空床位数</caption>
              <thead>
                <tr>
                  <th scope="col">床位类型</th>
                  <th scope="col" className="num">
                    床位数
                  </th>
                  <th scope="col" className="num">
                    空床位
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(f.beds.byKind)
                  .filter(([, c]) => c && c.total > 0)
                  .map(([kind, c]) => (
                    <tr key={kind}>
                      <th scope="row">{bedKindName(kind)}</th>
                      <td className="num">{c?.total}</td>
                      <td className="num">{c?.vacant}</td>
                    </tr>
                  ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">合计</th>
                  <td className="num">{f.beds.total}</td>
                  <td className="num">{f.beds.vacant}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <p className="muted">空床位数由机构填报，最后确认：{confirmedText(f)}。入住前请先打电话问清楚。</p>
        </section>
      )}

      <section className="card svc-section" aria-labelledby="svc-prices-title">
        <h2 id="svc-prices-title">收费标准</h2>
        {f.prices.length === 0 ? (
          <p>机构没有公布收费标准，请打电话咨询。</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">收费标准</caption>
              <thead>
                <tr>
                  <th scope="col">项目</th>
                  <th scope="col">类别</th>
                  <th scope="col" className="num">
                    价格
                  </th>
                </tr>
              </thead>
              <tbody>
                {f.prices.map((p) => (
                  <tr key={`${p.item}-${p.unit}-${p.fen}`}>
                    <th scope="row">{p.item}</th>
                    <td>{PRICE_CATEGORY[p.category] ?? p.category}</td>
                    <td className="num">{priceText(p.fen, p.unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {f.priceFrom && (
          <p className="muted">
            最低：{priceText(f.priceFrom.fen, f.priceFrom.unitName ?? f.priceFrom.unit)}（{f.priceFrom.item}）
          </p>
        )}
      </section>

      {f.beds && (
        <OwnShareCalculator
          facilityId={f.id}
          facilityName={f.name}
          grades={cat?.grades ?? null}
          initialGrade={person?.careGrade ?? null}
          initialInsurance={insurance}
          forName={person && (person.careGrade !== null || insurance) ? person.name : null}
        />
      )}

      {f.photos.length > 0 && (
        <section className="card svc-section svc-noprint" aria-labelledby="svc-photos-title">
          <h2 id="svc-photos-title">照片</h2>
          <ul className="svc-photos">
            {f.photos.map((p) => (
              <li key={p.url}>
                <img src={p.url} alt={p.alt} loading="lazy" />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="svc-section svc-noprint" aria-labelledby="svc-map-title">
        <h2 id="svc-map-title">位置地图</h2>
        <ServiceMap
          label={`${f.name}的位置地图`}
          summary={`地图上标出了${f.name}的位置${center ? `和“${center.label}”（圆圈）` : ''}。地址：${f.address}。`}
          points={[{ id: f.id, name: f.name, lon: f.lon, lat: f.lat, number: 1 }]}
          center={center}
          outlines={outlines}
          tileUrl={cat?.tileUrl ?? null}
          tileAttribution={cat?.tileAttribution ?? null}
          className="svc-map-small"
        />
      </section>

      <p className="svc-print-only">
        以上信息打印自颐养·找服务，打印日期 {new Date().toLocaleDateString('zh-CN')}。空床位和价格会变化，请以机构电话确认为准。
      </p>

      {sharing && (
        <ShareDialog
          facilityIds={[f.id]}
          facilityName={f.name}
          person={person ? { personId: person.personId, name: person.name } : null}
          onClose={() => setSharing(false)}
        />
      )}
    </article>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
