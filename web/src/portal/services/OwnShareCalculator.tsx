// 自付费用测算 on a facility's page: the care grade (1–6) and the kind of medical insurance in,
// a table of each month's price, what long-term care insurance pays and what is left to pay
// (GET /services/facilities/:id/own-share), with the notes and the documents it rests on.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { servicesApi, type Catalogue, type Insurance, type OwnShare } from './api.ts';
import { INSURANCE_NAMES, unitText, yuanText } from './format.ts';

const INSURANCES: Insurance[] = ['employee', 'resident'];
const FALLBACK_GRADES = [1, 2, 3, 4, 5, 6].map((grade) => ({ grade, name: `${grade}级` }));

export function OwnShareCalculator({
  facilityId,
  facilityName,
  grades,
  initialGrade,
  initialInsurance,
  forName,
}: {
  facilityId: string;
  facilityName: string;
  grades: Catalogue['grades'] | null;
  initialGrade: number | null;
  initialInsurance: Insurance | null;
  /** The person searched for (为谁查找), whose grade and insurance filled the form. */
  forName: string | null;
}) {
  const { t } = usePrefs();
  const ids = { grade: useId(), ins: useId() };
  const [grade, setGrade] = useState(initialGrade ? String(initialGrade) : '');
  const [insurance, setInsurance] = useState<Insurance>(initialInsurance ?? 'employee');
  const [gradeError, setGradeError] = useState<string | null>(null);
  const [result, setResult] = useState<OwnShare | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const gradeRef = useRef<HTMLSelectElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const ctlRef = useRef<AbortController | null>(null);

  // 为谁查找 chosen after the page opened: take the person's grade and insurance.
  useEffect(() => {
    if (initialGrade) setGrade(String(initialGrade));
    if (initialInsurance) setInsurance(initialInsurance);
  }, [initialGrade, initialInsurance]);

  useEffect(() => () => ctlRef.current?.abort(), []);

  // A new estimate: focus its heading, so that it is read out and the table follows.
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    if (!grade) {
      setGradeError('请选择照护等级。还没有评估过的，可以先按估计的等级算一算。');
      gradeRef.current?.focus();
      return;
    }
    setGradeError(null);
    setBusy(true);
    ctlRef.current?.abort();
    const ctl = new AbortController();
    ctlRef.current = ctl;
    try {
      const r = await servicesApi.ownShare(facilityId, Number(grade), insurance, ctl.signal);
      setResult(r);
    } catch (err) {
      if (isAbort(err)) return;
      setResult(null);
      setFailure(errorText(err, t));
    } finally {
      if (ctlRef.current === ctl) setBusy(false);
    }
  };

  const gradeList = grades && grades.length > 0 ? grades : FALLBACK_GRADES;

  return (
    <section id="own-share" className="card svc-section svc-own-share" aria-labelledby="own-share-title" tabIndex={-1}>
      <h2 id="own-share-title">算一算自己每月要付多少</h2>
      <p>
        有长期护理保险照护等级（2–6 级）的老人住进定点机构，护理费的一部分由长护险支付。选好等级和医保类型，就能看到每个月大约自己付多少。
        {forName && <strong> 已按 {forName} 的信息填好。</strong>}
      </p>
      <form className="stack svc-own-form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.grade}>照护等级</label>
          {gradeError && (
            <p id={`${ids.grade}-error`} className="field-error">
              {gradeError}
            </p>
          )}
          <select
            ref={gradeRef}
            id={ids.grade}
            value={grade}
            onChange={(e) => setGrade(e.target.value)}
            aria-invalid={gradeError ? true : undefined}
            aria-describedby={gradeError ? `${ids.grade}-error` : undefined}
          >
            <option value="">请选择</option>
            {gradeList.map((g) => (
              <option key={g.grade} value={String(g.grade)}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>医保类型</legend>
          <div className="option-list option-list-inline">
            {INSURANCES.map((i) => (
              <label key={i} className="option-card" data-checked={insurance === i || undefined}>
                <input type="radio" name={ids.ins} value={i} checked={insurance === i} onChange={() => setInsurance(i)} />
                <span className="option-label">{INSURANCE_NAMES[i]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button-primary button-big" aria-disabled={busy || undefined}>
            {busy ? '正在计算…' : '计算'}
          </button>
        </div>
      </form>

      <div role="alert" className="status-slot">
        {failure && (
          <div className="notice notice-error">
            <p className="notice-title">没有算出来</p>
            <p>{failure}</p>
          </div>
        )}
      </div>

      {result && (
        <div className="svc-own-result">
          <h3 ref={resultRef} tabIndex={-1}>
            {facilityName}：{gradeList.find((g) => g.grade === result.grade)?.name ?? `${result.grade}级`}，{INSURANCE_NAMES[result.insurance] ?? result.insurance}
          </h3>
          <p className={result.eligible ? 'svc-own-verdict' : 'svc-own-verdict svc-own-no'}>
            <strong>{result.eligible ? '长护险可以支付一部分。' : '长护险不支付。'}</strong> {result.reason}
          </p>
          <p className="svc-own-headline">
            每月大约自己付 <strong>{yuanText(result.monthly.ownFen)}</strong>
          </p>
          <div className="table-scroll">
            <table className="data-table svc-own-table">
              <caption className="visually-hidden">每月费用：价格、长护险支付、个人自付</caption>
              <thead>
                <tr>
                  <th scope="col">项目</th>
                  <th scope="col" className="num">
                    收费标准
                  </th>
                  <th scope="col" className="num">
                    每月价格
                  </th>
                  <th scope="col" className="num">
                    长护险支付（每月）
                  </th>
                  <th scope="col" className="num">
                    个人自付（每月）
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((it) => {
                  const unit = it.unitName ?? unitText(it.unit);
                  const monthly = it.monthlyPriceFen !== undefined;
                  const cell = (perMonth: number | null | undefined, perUnit: number) =>
                    monthly ? (perMonth === null || perMonth === undefined ? '按实际次数' : yuanText(perMonth)) : yuanText(perUnit);
                  return (
                    <tr key={`${it.item}-${it.unit}`}>
                      <th scope="row">{it.item}</th>
                      <td className="num">
                        {yuanText(it.priceFen)}/{unit}
                      </td>
                      <td className="num">{cell(it.monthlyPriceFen, it.priceFen)}</td>
                      <td className="num">{cell(it.monthlyInsuranceFen, it.insuranceFen)}</td>
                      <td className="num">{cell(it.monthlyOwnFen, it.ownFen)}</td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    每月合计
                  </th>
                  <td className="num">{yuanText(result.monthly.priceFen)}</td>
                  <td className="num">{yuanText(result.monthly.insuranceFen)}</td>
                  <td className="num">{yuanText(result.monthly.ownFen)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          {result.notes.length > 0 && (
            <>
              <h4>说明</h4>
              <ul className="svc-notes">
                {result.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          )}
          {result.citations.length > 0 && (
            <>
              <h4>依据</h4>
              <ul className="svc-notes">
                {result.citations.map((c) => (
                  <li key={`${c.document}-${c.article}`}>
                    {c.document} {c.article}
                  </li>
                ))}
              </ul>
            </>
          )}
          <p className="muted">这是估算，实际费用以机构和医保结算为准。</p>
        </div>
      )}
    </section>
  );
}
