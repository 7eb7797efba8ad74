// 15分钟服务圈 (/workbench/supply/coverage, supply.plan): for a district and a service function
// (the catalogue's functions by their eight categories), the share of elders within a 15-minute
// walk of a site that offers it, over the stored road network — overall, by street (lowest share
// first) and on a map of the uncovered cells; then 选址: k new sites chosen to cover the most, each
// with its gain and the cumulative share, listed and drawn on the map.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { FeatureCollection } from 'geojson';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { useDistricts } from '../assessments/names.ts';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { loadOutlines, SUPPLY_PLAN, supplyApi, type Coverage, type Siting } from './api.ts';
import { LazyCoverageMap } from './LazyCoverageMap.tsx';
import { num, useCatalogue, useDateTime, useLoad, type Load } from './shared.tsx';

const PCT = new Intl.NumberFormat('zh-CN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const pct = (share: number): string => PCT.format(share);
const K_MAX = 20;
const DEFAULT_FUNCTION = 'dine_in';

export function CoveragePage() {
  const user = useUser();
  if (!SUPPLY_PLAN.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <CoverageBody />;
}

function CoverageBody() {
  usePageTitle('15分钟服务圈');
  const user = useUser();
  const catalogue = useCatalogue();
  const districts = useDistricts(user.regionCode);
  const [sp, setSp] = useSearchParams();
  const district = sp.get('district') ?? '';
  const fn = sp.get('function') ?? DEFAULT_FUNCTION;
  const ids = { pick: useId(), district: useId(), fn: useId(), result: useId(), streets: useId() };
  const [outline, setOutline] = useState<FeatureCollection | null>(null);
  const [siting, setSiting] = useState<Siting | null>(null);

  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSp(next, { replace: true });
    setSiting(null);
  };

  useEffect(() => {
    if (!district && districts.length === 1) set({ district: districts[0]!.code });
  }, [districts, district]);

  useEffect(() => {
    let live = true;
    void loadOutlines().then((all) => {
      if (!live || !all) return;
      setOutline({ type: 'FeatureCollection', features: all.features.filter((f) => (f.properties as { code?: string } | null)?.code === district) });
    });
    return () => {
      live = false;
    };
  }, [district]);

  const [load, reload] = useLoad<Coverage | null>((s) => (district ? supplyApi.coverage({ district, function: fn }, s) : Promise.resolve(null)), [district, fn]);
  const cov = load.status === 'ok' ? load.data : null;
  const categories = catalogue?.categories ?? [];

  return (
    <>
      <h1>15分钟服务圈</h1>
      <p>
        按步行路网计算，老年人从住处步行 {catalogue?.circleMinutes ?? 15} 分钟内能否到达提供某项服务的设施；找出服务圈外的老年人住在哪里，并按覆盖人数最多的原则建议新增设施的位置。
      </p>
      <section aria-labelledby={ids.pick} className="card section-card">
        <h2 id={ids.pick}>区和服务</h2>
        <div className="sup-form-grid">
          <div className="field">
            <label htmlFor={ids.district}>区</label>
            <select id={ids.district} value={district} onChange={(e) => set({ district: e.target.value })}>
              <option value="">请选择区</option>
              {districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.fn}>服务功能</label>
            <select id={ids.fn} value={fn} onChange={(e) => set({ function: e.target.value })}>
              {categories.map((c) => (
                <optgroup key={c.code} label={c.name}>
                  <option value={c.code}>{c.name}（全部）</option>
                  {catalogue!.functions
                    .filter((f) => f.category === c.code)
                    .map((f) => (
                      <option key={f.code} value={f.code}>
                        {f.name}
                      </option>
                    ))}
                </optgroup>
              ))}
              {!catalogue && <option value={fn}>{fn}</option>}
            </select>
          </div>
        </div>
      </section>

      {!district && <p className="empty">请选择区。</p>}
      {district && <LoadStatus load={load as Load<unknown>} loadingText="正在计算服务圈覆盖（大区可能需要几秒）…" failedTitle="无法计算服务圈覆盖" onRetry={reload} />}
      {cov && (
        <>
          <section aria-labelledby={ids.result} className="card section-card" data-testid="sup-coverage">
            <h2 id={ids.result}>
              {cov.districtName}：{cov.functionName}
            </h2>
            <dl className="stats">
              <div className="stat">
                <dt>{cov.minutes} 分钟内可达</dt>
                <dd data-testid="sup-coverage-share">{pct(cov.share)}</dd>
              </div>
              <div className="stat">
                <dt>服务圈内老年人</dt>
                <dd>{num(cov.covered)} 人</dd>
              </div>
              <div className="stat">
                <dt>老年人合计</dt>
                <dd>{num(cov.total)} 人</dd>
              </div>
              <div className="stat">
                <dt>提供该服务的设施</dt>
                <dd>{num(cov.sites.length)} 个</dd>
              </div>
            </dl>
            <Method cov={cov} />
            <LazyCoverageMap
              label={`${cov.districtName}${cov.functionName}服务圈地图`}
              summary={`地图标出服务圈外老年人所在的 ${cov.gaps.features.length} 个网格（圆越大人越多）、${cov.sites.length} 个提供${cov.functionName}的设施${siting ? `和 ${siting.proposals.length} 个建议新增的位置` : ''}。各街镇的数字见下表。`}
              outline={outline}
              gaps={cov.gaps}
              sites={cov.sites}
              proposals={siting?.proposals ?? []}
            />
          </section>
          <SitingPanel cov={cov} siting={siting} onSiting={setSiting} />
          <section aria-labelledby={ids.streets} className="card section-card">
            <h2 id={ids.streets}>各街镇覆盖率（从低到高）</h2>
            <div className="table-scroll" role="region" aria-labelledby={ids.streets} tabIndex={0}>
              <table className="data-table sup-table" data-testid="sup-coverage-streets">
                <thead>
                  <tr>
                    <th scope="col">街镇</th>
                    <th scope="col" className="num">
                      覆盖率
                    </th>
                    <th scope="col" className="num">
                      服务圈内
                    </th>
                    <th scope="col" className="num">
                      老年人合计
                    </th>
                    <th scope="col" className="num">
                      服务圈外
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...cov.byStreet]
                    .sort((a, b) => a.share - b.share || a.name.localeCompare(b.name, 'zh-CN'))
                    .map((s) => (
                      <tr key={s.code}>
                        <th scope="row">{s.name}</th>
                        <td className="num">{pct(s.share)}</td>
                        <td className="num">{num(s.covered)}</td>
                        <td className="num">{num(s.total)}</td>
                        <td className="num">{num(s.total - s.covered)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </>
  );
}

const NETWORK_SOURCES: Record<string, string> = { osm: 'OpenStreetMap 路网', geojson: '导入的路网（GeoJSON）', synthetic: '演示用的示意路网' };

function Method({ cov }: { cov: Coverage }) {
  const when = useDateTime();
  return (
    <p className="sup-small">
      按步行每分钟 {num(cov.walkMetersPerMinute)} 米、{cov.minutes} 分钟计（约 {num(cov.walkMetersPerMinute * cov.minutes)} 米）。路网：
      {NETWORK_SOURCES[cov.network.source] ?? cov.network.source}，{num(cov.network.nodes)} 个节点、{num(cov.network.edges)} 条路段（{when(cov.network.importedAt)} 导入）。计算时间：{when(cov.computedAt)}。
      {cov.unplaced > 0 && ` 另有 ${num(cov.unplaced)} 位老年人无法落到路网上（街镇不明或该街镇没有路网），未计入。`}
    </p>
  );
}

function SitingPanel({ cov, siting, onSiting }: { cov: Coverage; siting: Siting | null; onSiting: (s: Siting | null) => void }) {
  const { t } = usePrefs();
  const ids = { title: useId(), k: useId(), kHint: useId(), kErr: useId(), list: useId() };
  const [k, setK] = useState('3');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listHeading = useRef<HTMLHeadingElement>(null);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const n = Number(k);
    if (!/^\d+$/.test(k.trim()) || n < 1 || n > K_MAX) {
      setProblem(`请填写 1 到 ${K_MAX} 之间的整数。`);
      document.getElementById(ids.k)?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      onSiting(await supplyApi.siting({ district: cov.district, function: cov.function, k: n }));
      requestAnimationFrame(() => listHeading.current?.focus());
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={ids.title} className="card section-card" data-testid="sup-siting">
      <h2 id={ids.title}>选址建议</h2>
      <p>在路网上找出新增 k 个{cov.functionName}设施时，能让最多服务圈外老年人进入服务圈的位置（逐个选取，每个都在前面的基础上计算）。</p>
      <form onSubmit={(e) => void run(e)} noValidate className="sup-siting-form" aria-busy={busy || undefined}>
        <div className="field">
          <label htmlFor={ids.k}>新增设施数</label>
          <p id={ids.kHint} className="hint">
            1 到 {K_MAX} 个
          </p>
          {problem && (
            <p id={ids.kErr} className="field-error">
              {problem}
            </p>
          )}
          <input
            id={ids.k}
            value={k}
            onChange={(e) => setK(e.target.value)}
            inputMode="numeric"
            autoComplete="off"
            className="input-short"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids.kHint} ${ids.kErr}` : ids.kHint}
          />
        </div>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在计算…' : '计算选址'}
        </button>
      </form>
      <div role="status" className="status-slot">
        {busy ? '正在计算选址…' : siting ? `已算出 ${siting.proposals.length} 个建议位置：覆盖率可从 ${pct(siting.before.share)} 提高到 ${pct(siting.proposals.at(-1)?.shareAfter ?? siting.before.share)}。` : ''}
      </div>
      {failure && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">没有算出选址</p>
          <p>{failure}</p>
        </div>
      )}
      {siting && (
        <>
          <h3 id={ids.list} ref={listHeading} tabIndex={-1}>
            建议新增的位置
          </h3>
          {siting.proposals.length === 0 ? (
            <p className="empty">没有能增加覆盖的位置。</p>
          ) : (
            <div className="table-scroll" role="region" aria-labelledby={ids.list} tabIndex={0}>
              <table className="data-table sup-table" data-testid="sup-siting-list">
                <thead>
                  <tr>
                    <th scope="col">编号</th>
                    <th scope="col">所在街镇</th>
                    <th scope="col">位置</th>
                    <th scope="col" className="num">
                      新增覆盖
                    </th>
                    <th scope="col" className="num">
                      累计覆盖率
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {siting.proposals.map((p) => (
                    <tr key={p.rank}>
                      <th scope="row">{p.rank}</th>
                      <td>{p.streetName ?? '—'}</td>
                      <td>
                        东经 {p.lon.toFixed(5)}，北纬 {p.lat.toFixed(5)}
                      </td>
                      <td className="num">{num(p.gain)} 人</td>
                      <td className="num">{pct(p.shareAfter)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
