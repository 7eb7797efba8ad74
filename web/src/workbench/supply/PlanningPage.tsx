// 规划指标 (/workbench/supply/planning, supply.plan): every district in scope against the plans'
// targets — met or not in words and a mark, the gap in beds, m² or meals a day — and, for the
// district chosen, the same per street and town. Each target shows where it comes from (document,
// article, quote, confidence) in a details element; the reference population and its source are
// named. The as-of date picks the targets in force.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { usePageTitle } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { SUPPLY_PLAN, supplyApi, type PlanningRow, type Ratio } from './api.ts';
import { num, useLoad } from './shared.tsx';

const LEVEL_NAMES: Record<string, string> = { city: '全市', district: '区', street: '街道', town: '镇' };
const CONFIDENCE_NAMES: Record<string, string> = { high: '高', medium: '中', low: '低', unverified: '未核实' };
const UNIT_SUFFIX: Record<string, string> = { '%': '%', per10k: ' 张/万人', m2per1000: ' 平方米/千人' };

export function PlanningPage() {
  const user = useUser();
  if (!SUPPLY_PLAN.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <PlanningBody />;
}

const valueText = (r: Ratio, v: number | null) => (v === null ? '无数据' : `${num(v)}${UNIT_SUFFIX[r.unit] ?? ''}`);

function PlanningBody() {
  usePageTitle('规划指标');
  const [sp, setSp] = useSearchParams();
  const district = sp.get('district') ?? '';
  const asOf = sp.get('asOf') ?? '';
  const ids = { pick: useId(), district: useId(), asOf: useId(), asOfErr: useId(), overview: useId(), detail: useId(), streets: useId() };
  const [draftAsOf, setDraftAsOf] = useState(asOf);
  const [asOfProblem, setAsOfProblem] = useState<string | null>(null);
  const [load, reload] = useLoad((s) => supplyApi.planning({ district: district || undefined, asOf: asOf || undefined }, s), [district, asOf]);

  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setSp(next, { replace: true });
  };

  // One district in scope (a district officer): chosen already.
  const data = load.status === 'ok' ? load.data : null;
  useEffect(() => {
    if (data && !district && data.districts.length === 1) set({ district: data.districts[0]!.code });
  }, [data, district]);

  const applyAsOf = (e: FormEvent) => {
    e.preventDefault();
    if (draftAsOf && !/^\d{4}-\d{2}-\d{2}$/.test(draftAsOf)) {
      setAsOfProblem('日期格式应为 年-月-日，例如 2026-06-30。');
      document.getElementById(ids.asOf)?.focus();
      return;
    }
    setAsOfProblem(null);
    set({ asOf: draftAsOf });
  };

  const chosen = data?.districts.find((d) => d.code === district) ?? null;
  return (
    <>
      <h1>规划指标</h1>
      <p>按规划文件的目标衡量已备案的养老服务供给：床位、保基本床位、护理型床位、社区养老服务设施面积、助餐供餐能力和床位利用率。分母为参考人口（统计或户籍数据），不是本平台登记的人数。</p>
      <section aria-labelledby={ids.pick} className="card section-card">
        <h2 id={ids.pick}>范围和日期</h2>
        <div className="sup-form-grid">
          <div className="field">
            <label htmlFor={ids.district}>区</label>
            <select id={ids.district} value={district} onChange={(e) => set({ district: e.target.value })}>
              <option value="">{data && data.districts.length === 1 ? '请选择区' : '只看各区汇总'}</option>
              {data?.districts.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
          <form onSubmit={applyAsOf} className="sup-asof" noValidate aria-label="统计日期">
            <div className="field">
              <label htmlFor={ids.asOf}>统计日期</label>
              <p className="hint" id={`${ids.asOf}-hint`}>
                按该日有效的规划目标衡量；不填为今天。
              </p>
              {asOfProblem && (
                <p id={ids.asOfErr} className="field-error">
                  {asOfProblem}
                </p>
              )}
              <input
                id={ids.asOf}
                type="date"
                value={draftAsOf}
                onChange={(e) => setDraftAsOf(e.target.value)}
                aria-invalid={asOfProblem ? true : undefined}
                aria-describedby={asOfProblem ? `${ids.asOf}-hint ${ids.asOfErr}` : `${ids.asOf}-hint`}
                className="input-short"
              />
            </div>
            <button type="submit" className="button button-secondary">
              按此日期查看
            </button>
          </form>
        </div>
        {data && (
          <p role="status" data-testid="sup-planning-asof">
            统计日期：{data.asOf}
          </p>
        )}
      </section>

      <LoadStatus load={load} loadingText="正在计算规划指标…" failedTitle="无法读取规划指标" onRetry={reload} />

      {data && (
        <>
          {data.districts.length > 1 && (
            <section aria-labelledby={ids.overview} className="card section-card">
              <h2 id={ids.overview}>各区达标情况</h2>
              <Overview rows={[...(data.city ? [data.city] : []), ...data.districts]} titleId={ids.overview} onPick={(code) => set({ district: code })} />
            </section>
          )}
          {chosen && (
            <section aria-labelledby={ids.detail} className="card section-card" data-testid="sup-planning-district">
              <h2 id={ids.detail}>{chosen.name}</h2>
              <Population row={chosen} />
              <IndicatorTable row={chosen} caption={`${chosen.name}：各项指标与规划目标`} />
            </section>
          )}
          {!chosen && data.city && data.districts.length === 1 && (
            <p className="empty">请选择区查看各项指标。</p>
          )}
          {chosen && data.streets.length > 0 && (
            <section aria-labelledby={ids.streets} className="card section-card">
              <h2 id={ids.streets}>{chosen.name}各街镇</h2>
              <p>按街道、镇分别适用的目标衡量；展开查看各项指标及其依据。</p>
              <Overview rows={data.streets} titleId={ids.streets} />
              {data.streets.map((s) => (
                <details key={s.code} className="sup-details">
                  <summary>
                    {s.name}（{LEVEL_NAMES[s.level] ?? s.level}）：{metText(s)}
                  </summary>
                  <Population row={s} />
                  <IndicatorTable row={s} caption={`${s.name}：各项指标与规划目标`} />
                </details>
              ))}
            </section>
          )}
        </>
      )}
    </>
  );
}

function metText(row: PlanningRow): string {
  const targeted = row.ratios.filter((r) => r.met !== null);
  if (!targeted.length) return '没有适用的目标或缺少人口数据';
  const met = targeted.filter((r) => r.met).length;
  return met === targeted.length ? `${targeted.length} 项全部达标` : `${met} / ${targeted.length} 项达标`;
}

function Population({ row }: { row: PlanningRow }) {
  const p = row.population;
  if (!p) return <p className="notice notice-error">缺少参考人口数据，比例类指标无法计算。</p>;
  return (
    <p className="sup-population">
      参考人口（{p.year} 年）：户籍 60 岁及以上 {num(p.registered60)} 人，户籍 65 岁及以上 {num(p.registered65)} 人，常住人口 {num(p.resident)} 人。来源：{p.source}
    </p>
  );
}

function Overview({ rows, titleId, onPick }: { rows: PlanningRow[]; titleId: string; onPick?: (code: string) => void }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={titleId} tabIndex={0}>
      <table className="data-table sup-table">
        <thead>
          <tr>
            <th scope="col">地区</th>
            <th scope="col" className="num">
              户籍 60 岁及以上
            </th>
            <th scope="col" className="num">
              养老床位
            </th>
            <th scope="col">达标情况</th>
            <th scope="col">未达标的指标</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const missed = r.ratios.filter((x) => x.met === false);
            return (
              <tr key={r.code}>
                <th scope="row">
                  {onPick && r.level !== 'city' ? (
                    <button type="button" className="sup-link-button" onClick={() => onPick(r.code)} aria-label={`查看${r.name}`}>
                      {r.name}
                    </button>
                  ) : (
                    r.name
                  )}
                </th>
                <td className="num">{r.population ? num(r.population.registered60) : '无数据'}</td>
                <td className="num">{num(r.supply.beds)} 张</td>
                <td>{metText(r)}</td>
                <td className="sup-wrap">{missed.length ? missed.map((x) => x.name).join('、') : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function IndicatorTable({ row, caption }: { row: PlanningRow; caption: string }) {
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table sup-table sup-indicators" data-testid="sup-indicators">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">指标</th>
            <th scope="col" className="num">
              现值
            </th>
            <th scope="col">目标</th>
            <th scope="col">是否达标</th>
            <th scope="col" className="num">
              差距
            </th>
            <th scope="col">目标依据</th>
          </tr>
        </thead>
        <tbody>
          {row.ratios.map((r) => (
            <tr key={r.code} data-code={r.code}>
              <th scope="row" className="sup-wrap">
                {r.name}
              </th>
              <td className="num">{valueText(r, r.value)}</td>
              <td>{r.target ? `${r.target.op === '>' ? '>' : '≥'} ${valueText(r, r.target.value)}` : '无规划目标'}</td>
              <td>
                {r.met === null ? (
                  <span className="sup-met sup-met-none">{r.target ? '无法计算' : '—'}</span>
                ) : r.met ? (
                  <span className="sup-met sup-met-yes">
                    <span aria-hidden="true">✓ </span>达标
                  </span>
                ) : (
                  <span className="sup-met sup-met-no">
                    <span aria-hidden="true">✗ </span>未达标
                  </span>
                )}
              </td>
              <td className="num">{r.gap === null ? '—' : r.gap === 0 ? '无' : `还差 ${num(r.gap)} ${r.gapUnit}`}</td>
              <td className="sup-wrap">
                {r.target ? (
                  <details className="sup-source">
                    <summary>{r.target.citation.document}</summary>
                    <dl>
                      {r.target.citation.number && (
                        <>
                          <dt>文号</dt>
                          <dd>{r.target.citation.number}</dd>
                        </>
                      )}
                      <dt>条款</dt>
                      <dd>{r.target.citation.article}</dd>
                      <dt>原文</dt>
                      <dd>
                        <q>{r.target.citation.quote}</q>
                      </dd>
                      <dt>可信度</dt>
                      <dd>{CONFIDENCE_NAMES[r.target.confidence] ?? r.target.confidence}</dd>
                      <dt>适用期间</dt>
                      <dd>
                        {r.target.from} 起{r.target.to ? `，至 ${r.target.to}` : ''}
                      </dd>
                    </dl>
                  </details>
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
