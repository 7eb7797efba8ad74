// 规则模拟 (waitlist.run): replay the period's basic-bed vacancies under the rule in force and
// under a variant — a preset order (现行规则 / 独居老人加分 / 不区分本区外区 / 只按申请时间), the
// points for 独居 where the preset uses points, and an optional new facility — then compare
// placements, median waits and those still waiting, in total, by tier and by district. The
// order a preset gives is shown in words as it is chosen; differences are written out (多 3 人,
// 少 12 天), never left to colour. Errors sit next to their field and focus goes to the first;
// the server's refusal is shown in its words; the result's heading takes focus.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { api, type Region } from '../../api.ts';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { loadRules } from '../../portal/waitlist/api.ts';
import { useUser } from '../auth.tsx';
import { Fig } from './ReportTab.tsx';
import { reportApi, type SimGroup, type SimRow, type SimulationBody, type SimulationResult } from './reportApi.ts';
import { diffText, figure, orderLines, periodText, PRESETS, presetBody, type PresetKey } from './reportText.ts';
import './report.css';

const NAME_MAX = 60;
const BEDS_MAX = 5000;
const TURNOVER_MAX = 5;
const POINTS_MAX = 100;

/** The districts the caller may pick: the jurisdiction's next level, narrowed to their scope. */
function useDistricts(scope: string): Region[] {
  const [items, setItems] = useState<Region[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    const prefix = scope.replace(/(00)+$/, '');
    api
      .regions(undefined, ctl.signal)
      .then((r) => setItems(r.items.filter((x) => x.code.startsWith(prefix) || scope.startsWith(x.code.replace(/(00)+$/, '')))))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [scope]);
  return items;
}

/** The published order in force, in words (null while it loads or when it cannot be read). */
function useOrderInForce(): string[] | null {
  const [lines, setLines] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    loadRules()
      .then((r) => live && setLines(r.order.map((l) => l.replace(/^\d+\.\s*/, ''))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return lines;
}

export function SimulationTab() {
  const { t } = usePrefs();
  const user = useUser();
  const districts = useDistricts(user.regionCode);
  const inForce = useOrderInForce();
  const base = useId();
  const ids = {
    title: `${base}title`,
    preset: `${base}preset`,
    presetHint: `${base}presetHint`,
    order: `${base}order`,
    points: `${base}points`,
    pointsHint: `${base}pointsHint`,
    addFacility: `${base}addFacility`,
    name: `${base}name`,
    district: `${base}district`,
    beds: `${base}beds`,
    turnover: `${base}turnover`,
    turnoverHint: `${base}turnoverHint`,
  };
  const [preset, setPreset] = useState<PresetKey>('current');
  const [points, setPoints] = useState('1');
  const [withFacility, setWithFacility] = useState(false);
  const [facility, setFacility] = useState({ name: '', districtCode: '', beds: '', turnover: '0.3' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<SimulationResult | null>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);

  // Focus follows the outcome once it is on the page: the result's heading, or the refusal.
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);
  useEffect(() => {
    if (failure) failureRef.current?.focus();
  }, [failure]);

  // A district officer has one district to choose: chosen already.
  useEffect(() => {
    if (districts.length === 1 && !facility.districtCode) setFacility((f) => ({ ...f, districtCode: districts[0]!.code }));
  }, [districts]);

  const chosen = PRESETS.find((p) => p.key === preset) ?? PRESETS[0]!;
  const pointsValue = Number(points);
  const previewBody = presetBody(preset, Number.isFinite(pointsValue) && points.trim() !== '' ? pointsValue : 1);
  const preview = previewBody.order ? orderLines(previewBody.order, previewBody.points ?? []) : inForce;

  const clearError = (id: string) =>
    setErrors((e) => {
      if (!(id in e)) return e;
      const next = { ...e };
      delete next[id];
      return next;
    });

  const build = (): { body: SimulationBody; errors: [string, string][] } => {
    const errs: [string, string][] = [];
    let pts = 1;
    if (chosen.usesPoints) {
      const n = Number(points);
      if (points.trim() === '' || !Number.isFinite(n)) errs.push([ids.points, '请填写独居老人的加分（数字，例如 1）。']);
      else if (Math.abs(n) > POINTS_MAX) errs.push([ids.points, `加分应在 −${POINTS_MAX} 到 ${POINTS_MAX} 之间。`]);
      else pts = n;
    }
    const body = presetBody(preset, pts);
    if (withFacility) {
      const name = facility.name.trim();
      const beds = Number(facility.beds);
      const turnover = Number(facility.turnover);
      if (!name) errs.push([ids.name, '请填写新机构的名称。']);
      else if (name.length > NAME_MAX) errs.push([ids.name, `名称最多 ${NAME_MAX} 个字。`]);
      if (!/^\d{6}$/.test(facility.districtCode)) errs.push([ids.district, '请选择新机构所在的区。']);
      if (facility.beds.trim() === '' || !Number.isInteger(beds) || beds < 1 || beds > BEDS_MAX) errs.push([ids.beds, `保基本床位数应为 1 到 ${BEDS_MAX} 的整数。`]);
      if (facility.turnover.trim() === '' || !Number.isFinite(turnover) || turnover < 0 || turnover > TURNOVER_MAX) errs.push([ids.turnover, `每年周转应为 0 到 ${TURNOVER_MAX} 之间的数，例如 0.3。`]);
      body.newFacility = { name, districtCode: facility.districtCode, beds, turnoverPerYear: turnover };
    }
    return { body, errors: errs };
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const built = build();
    setErrors(Object.fromEntries(built.errors));
    if (built.errors.length > 0) {
      setFailure(null);
      document.getElementById(built.errors[0]![0])?.focus();
      return;
    }
    setFailure(null);
    setBusy(true);
    try {
      const r = await reportApi.simulate(built.body);
      setResult(r);
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const described = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(' ') || undefined;
  const errId = (id: string) => `${id}-error`;
  const errorOf = (id: string) =>
    errors[id] ? (
      <p id={errId(id)} className="field-error">
        {errors[id]}
      </p>
    ) : null;
  const invalid = (id: string) => (errors[id] ? true : undefined);

  return (
    <div className="wlr">
      <section className="card section-card" aria-labelledby={ids.title}>
        <h2 id={ids.title}>规则模拟</h2>
        <p>
          用过去一段时间实际空出的保基本床位，按现行规则和改动后的规则各重放一遍轮候，比较各层级、各区的入住人数和等待天数。模拟只计算，不改变任何申请、床位或规则。
        </p>
        <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="规则模拟的条件" data-testid="wlr-sim-form">
          <div className="wlr-form-grid">
            <div className="field">
              <label htmlFor={ids.preset}>模拟的排序规则</label>
              <p id={ids.presetHint} className="hint">
                选择一种规则，与现行规则比较。
              </p>
              <select id={ids.preset} value={preset} aria-describedby={described(ids.presetHint, ids.order)} onChange={(e) => setPreset(e.target.value as PresetKey)}>
                {PRESETS.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
            {chosen.usesPoints && (
              <div className="field">
                <label htmlFor={ids.points}>独居老人加分（分）</label>
                <p id={ids.pointsHint} className="hint">
                  独居的申请人加这么多分；其他人为 0 分。默认 1 分。
                </p>
                {errorOf(ids.points)}
                <input
                  id={ids.points}
                  className="input-short"
                  type="number"
                  inputMode="decimal"
                  step="1"
                  min={-POINTS_MAX}
                  max={POINTS_MAX}
                  value={points}
                  aria-invalid={invalid(ids.points)}
                  aria-describedby={described(ids.pointsHint, errors[ids.points] && errId(ids.points))}
                  onChange={(e) => {
                    setPoints(e.target.value);
                    clearError(ids.points);
                  }}
                />
              </div>
            )}
          </div>
          <p className="wlr-order-title">按这个规则，各机构依次比较：</p>
          <div id={ids.order} aria-live="polite" data-testid="wlr-sim-order">
            {preview ? (
              <ol className="wlr-order">
                {preview.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ol>
            ) : (
              <p>现行规则（正在读取规则文本…）</p>
            )}
          </div>

          <div className="wlr-check">
            <input
              id={ids.addFacility}
              type="checkbox"
              checked={withFacility}
              onChange={(e) => {
                setWithFacility(e.target.checked);
                for (const id of [ids.name, ids.district, ids.beds, ids.turnover]) clearError(id);
              }}
            />
            <label htmlFor={ids.addFacility}>同时假设新建一家提供保基本床位的机构</label>
          </div>
          {withFacility && (
            <fieldset className="wlr-fieldset" data-testid="wlr-sim-facility">
              <legend>新机构</legend>
              <div className="wlr-form-grid">
                <div className="field">
                  <label htmlFor={ids.name}>名称</label>
                  {errorOf(ids.name)}
                  <input
                    id={ids.name}
                    type="text"
                    autoComplete="off"
                    maxLength={NAME_MAX + 20}
                    value={facility.name}
                    aria-invalid={invalid(ids.name)}
                    aria-describedby={described(errors[ids.name] && errId(ids.name))}
                    onChange={(e) => {
                      setFacility({ ...facility, name: e.target.value });
                      clearError(ids.name);
                    }}
                  />
                </div>
                <div className="field">
                  <label htmlFor={ids.district}>所在区</label>
                  {errorOf(ids.district)}
                  <select
                    id={ids.district}
                    value={facility.districtCode}
                    aria-invalid={invalid(ids.district)}
                    aria-describedby={described(errors[ids.district] && errId(ids.district))}
                    onChange={(e) => {
                      setFacility({ ...facility, districtCode: e.target.value });
                      clearError(ids.district);
                    }}
                  >
                    <option value="">请选择区</option>
                    {districts.map((d) => (
                      <option key={d.code} value={d.code}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={ids.beds}>保基本床位数（张）</label>
                  {errorOf(ids.beds)}
                  <input
                    id={ids.beds}
                    className="input-short"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={BEDS_MAX}
                    step={1}
                    value={facility.beds}
                    aria-invalid={invalid(ids.beds)}
                    aria-describedby={described(errors[ids.beds] && errId(ids.beds))}
                    onChange={(e) => {
                      setFacility({ ...facility, beds: e.target.value });
                      clearError(ids.beds);
                    }}
                  />
                </div>
                <div className="field">
                  <label htmlFor={ids.turnover}>每年周转（次/床）</label>
                  <p id={ids.turnoverHint} className="hint">
                    每张床每年平均空出几次，默认 0.3。
                  </p>
                  {errorOf(ids.turnover)}
                  <input
                    id={ids.turnover}
                    className="input-short"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={TURNOVER_MAX}
                    step="0.1"
                    value={facility.turnover}
                    aria-invalid={invalid(ids.turnover)}
                    aria-describedby={described(ids.turnoverHint, errors[ids.turnover] && errId(ids.turnover))}
                    onChange={(e) => {
                      setFacility({ ...facility, turnover: e.target.value });
                      clearError(ids.turnover);
                    }}
                  />
                </div>
              </div>
              <p className="hint">新机构假定在模拟期初开放全部床位；所在区按志愿申请且志愿未满的申请人把它列为最后一个志愿，按距离申请的在距离内时列入。</p>
            </fieldset>
          )}
          {Object.keys(errors).length > 0 && (
            <p className="field-error" data-testid="wlr-sim-errors">
              请先改正上面标出的 {Object.keys(errors).length} 处问题。
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
              {busy ? '正在模拟…' : '运行模拟'}
            </button>
          </div>
          <p role="status" className="visually-hidden">
            {busy ? '正在模拟，请稍候。' : ''}
          </p>
        </form>
        {failure && (
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={failureRef} data-testid="wlr-sim-failure">
            <p className="notice-title">模拟没有完成</p>
            <p>{failure}</p>
          </div>
        )}
      </section>
      {result && <SimulationView result={result} headingRef={resultRef} />}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

function SimulationView({ result: r, headingRef }: { result: SimulationResult; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const ids = { title: useId(), rules: useId(), total: useId(), tier: useId(), district: useId(), notes: useId() };
  const extra = r.vacancies - r.baseVacancies;
  const nf = r.rules.variant.newFacility;
  const sameRule =
    JSON.stringify(r.rules.base.order) === JSON.stringify(r.rules.variant.order) && JSON.stringify(r.rules.base.points) === JSON.stringify(r.rules.variant.points) && !nf;
  const tb = r.total.base;
  const tv = r.total.variant;
  return (
    <section className="card section-card wlr-sim-result" aria-labelledby={ids.title} data-testid="wlr-sim-result">
      <h2 id={ids.title} ref={headingRef} tabIndex={-1} className="wlr-result">
        模拟结果
      </h2>
      <p data-testid="wlr-sim-period">
        模拟期间：{periodText(r.period.from, r.period.to, r.period.months)}。期间内轮候的申请人 <span data-figure="applicants">{r.applicants}</span> 人；实际空出的保基本床位{' '}
        <span data-figure="baseVacancies">{r.baseVacancies}</span> 张次{extra > 0 ? `，新机构另有 ${extra} 张次（开放时的床位和之后的周转）` : ''}。
      </p>
      <p data-testid="wlr-sim-changed">
        {sameRule ? '模拟的规则与现行规则相同，结果应当一致。' : `与现行规则相比，分到的机构不同的申请人：${r.changed} 人。`}
      </p>

      <h3 id={ids.rules}>比较的两种规则</h3>
      <div className="wlr-form-grid">
        <div>
          <p className="wlr-order-title">现行规则</p>
          <ol className="wlr-order">
            {orderLines(r.rules.base.order, r.rules.base.points).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ol>
        </div>
        <div>
          <p className="wlr-order-title">模拟规则</p>
          <ol className="wlr-order" data-testid="wlr-sim-variant-order">
            {orderLines(r.rules.variant.order, r.rules.variant.points).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ol>
          {nf && (
            <p>
              另假设新建“{nf.name}”，保基本床位 {nf.beds} 张，每年周转 {figure(nf.turnoverPerYear)}。
            </p>
          )}
        </div>
      </div>

      <h3 id={ids.total}>合计</h3>
      {tb && tv ? (
        <div className="table-scroll" role="region" aria-labelledby={ids.total} tabIndex={0}>
          <table className="data-table wlr-table" data-testid="wlr-sim-total">
            <caption className="visually-hidden">模拟结果合计：现行规则与模拟规则</caption>
            <thead>
              <tr>
                <th scope="col">项目</th>
                <th scope="col" className="num">
                  现行规则
                </th>
                <th scope="col" className="num">
                  模拟规则
                </th>
                <th scope="col">差别（模拟减现行）</th>
              </tr>
            </thead>
            <tbody>
              <TotalRow figureKey="placed" label="入住人数" base={tb.placed} variant={tv.placed} unit="人" />
              <TotalRow figureKey="medianWaitDays" label="中位等待天数" base={tb.medianWaitDays} variant={tv.medianWaitDays} unit="天" />
              <TotalRow figureKey="stillWaiting" label="期末仍在等待" base={tb.stillWaiting} variant={tv.stillWaiting} unit="人" />
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">期间内没有轮候的申请人，无从比较。</p>
      )}

      <h3 id={ids.tier}>按优先层级</h3>
      <GroupTable rows={r.byTier} first="优先层级" labelledBy={ids.tier} testId="wlr-sim-by-tier" />
      <h3 id={ids.district}>按区</h3>
      <GroupTable rows={r.byDistrict} first="区" labelledBy={ids.district} testId="wlr-sim-by-district" />

      <h3 id={ids.notes}>说明</h3>
      <ul data-testid="wlr-sim-notes">
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </section>
  );
}

function TotalRow({ figureKey, label, base, variant, unit }: { figureKey: string; label: string; base: number | null; variant: number | null; unit: '人' | '天' }) {
  return (
    <tr data-figure={figureKey} data-base={base ?? ''} data-variant={variant ?? ''}>
      <th scope="row">{label}</th>
      <td className="num">
        <Fig n={base} />
      </td>
      <td className="num">
        <Fig n={variant} />
      </td>
      <td data-diff>{diffText(base, variant, unit) ?? '无法比较（缺少数据）'}</td>
    </tr>
  );
}

/** "13 → 14（多 1 人）": the arrow is read as 变为; the difference in words. */
function Change({ base, variant, unit }: { base: number | null; variant: number | null; unit: '人' | '天' }): ReactNode {
  const d = diffText(base, variant, unit);
  return (
    <>
      <Fig n={base} /> <span aria-hidden="true">→</span>
      <span className="visually-hidden">变为</span> <Fig n={variant} />
      {d && <span className="wlr-change">（{d}）</span>}
    </>
  );
}

function GroupTable({ rows, first, labelledBy, testId }: { rows: SimRow[]; first: string; labelledBy: string; testId: string }) {
  if (rows.length === 0) return <p className="empty">没有数据。</p>;
  const cell = (x: SimRow, k: keyof Pick<SimGroup, 'placed' | 'medianWaitDays' | 'stillWaiting'>, unit: '人' | '天') => (
    <td data-figure={k} data-base={x.base[k] ?? ''} data-variant={x.variant[k] ?? ''}>
      <Change base={x.base[k]} variant={x.variant[k]} unit={unit} />
    </td>
  );
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="data-table wlr-table" data-testid={testId}>
        <caption className="visually-hidden">现行规则与模拟规则比较，{first === '区' ? '按区' : '按优先层级'}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">
              申请人
            </th>
            <th scope="col">入住人数（现行 → 模拟）</th>
            <th scope="col">中位等待天数（现行 → 模拟）</th>
            <th scope="col">期末仍在等待（现行 → 模拟）</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={x.key} data-key={x.key}>
              <th scope="row">{x.label}</th>
              <td className="num">{x.base.applicants}</td>
              {cell(x, 'placed', '人')}
              {cell(x, 'medianWaitDays', '天')}
              {cell(x, 'stillWaiting', '人')}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
