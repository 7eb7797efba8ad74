// 报告 (waitlist.read): the period's report of the waiting list — waits by tier and by district
// (still waiting; admitted in the period), admissions per month as a bar list (the bars are
// decoration: every figure is in the text), what became of the offers in words, basic-bed
// turnover by district and the facilities with most vacancies, the beds standing empty while
// someone who chose them waits (normally none: said so in words), and the fairness of the runs.
// A district officer's figures are their district's (the server scopes them).
import { useId, useState, type ReactNode } from 'react';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { shanghaiTime } from '../../portal/waitlist/text.ts';
import { useLoad } from '../supply/shared.tsx';
import { reportApi, type WaitlistReport, type WaitRow } from './reportApi.ts';
import { figure, fairnessLine, monthsOf, monthText, offersText, periodText } from './reportText.ts';
import './report.css';

/** A figure in a cell: the number, or a dash that reads 无数据. */
export function Fig({ n }: { n: number | null | undefined }): ReactNode {
  const t = figure(n);
  if (t !== null) return t;
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">无数据</span>
    </>
  );
}

const FIRST_FACILITIES = 10;

export function ReportTab() {
  const [load, reload] = useLoad((s) => reportApi.report(s), []);
  const ids = { period: useId(), tier: useId(), district: useId(), months: useId(), offers: useId(), turnover: useId(), facilities: useId(), idle: useId() };
  if (load.status !== 'ok') return <LoadStatus load={load} loadingText="正在读取轮候报告…" failedTitle="无法读取轮候报告" onRetry={reload} />;
  const r = load.data;
  return (
    <div className="wlr" data-testid="wlr-report">
      <section className="card section-card" aria-labelledby={ids.period}>
        <h2 id={ids.period}>轮候报告</h2>
        <p data-testid="wlr-period">
          统计期间：{periodText(r.since, r.asOf, r.months)}。数据截至 {r.asOf}。
        </p>
        <div className={r.fairness.passed === r.fairness.runs ? 'notice wl-fair-ok' : 'notice notice-error'} data-testid="wlr-fairness">
          <p className="notice-title">{fairnessLine(r.fairness)}</p>
          <p>公平性检查：每次正式分配后核对，没有排序在前的申请人想去的床位被排序在后的人占用。</p>
        </div>
      </section>

      <section className="card section-card" aria-labelledby={ids.tier}>
        <h2 id={ids.tier}>等待时间（按优先层级）</h2>
        <WaitNote />
        <WaitTable rows={r.byTier} caption="等待时间（按优先层级）" first="优先层级" testId="wlr-by-tier" />
      </section>

      <section className="card section-card" aria-labelledby={ids.district}>
        <h2 id={ids.district}>等待时间（按申请人所在区）</h2>
        <WaitTable rows={r.byDistrict} caption="等待时间（按区）" first="区" testId="wlr-by-district" />
      </section>

      <section className="card section-card" aria-labelledby={ids.months}>
        <h2 id={ids.months}>每月经轮候入住的人数</h2>
        <Admissions report={r} labelledBy={ids.months} />
      </section>

      <section className="card section-card" aria-labelledby={ids.offers}>
        <h2 id={ids.offers}>入住通知的结果</h2>
        <p data-testid="wlr-offers">{offersText(r.offers)}</p>
      </section>

      <section className="card section-card" aria-labelledby={ids.turnover}>
        <h2 id={ids.turnover}>保基本床位周转（按区）</h2>
        <p className="hint">本期空出的保基本床位：空出次数、其中已再次入住的、仍空着的，以及从空出到再次入住的中位天数。来源：机构床位登记的空出与入住记录。</p>
        <TurnoverByDistrict report={r} />
        <h3 id={ids.facilities}>空出次数最多的机构</h3>
        <TurnoverByFacility report={r} labelledBy={ids.facilities} />
      </section>

      <section className="card section-card" aria-labelledby={ids.idle}>
        <h2 id={ids.idle}>有人等待却空着的床位</h2>
        <Idle report={r} labelledBy={ids.idle} />
      </section>
    </div>
  );
}

function WaitNote() {
  return (
    <p className="hint">
      仍在等待：现在轮候中或暂停的申请，从申请到今天的天数（已收到入住通知、待答复的不计）。已入住：本期经轮候入住的，从申请到入住的天数。90%分位：九成申请人等待不超过的天数。
    </p>
  );
}

function WaitTable({ rows, caption, first, testId }: { rows: WaitRow[]; caption: string; first: string; testId: string }) {
  if (rows.length === 0) return <p className="empty">本期没有轮候申请。</p>;
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table wlr-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <td />
            <th scope="colgroup" colSpan={3}>
              仍在等待
            </th>
            <th scope="colgroup" colSpan={3}>
              已入住
            </th>
          </tr>
          <tr>
            <th scope="col">{first}</th>
            {(['仍在等待', '已入住'] as const).map((g) => (
              <GroupHeads key={g} group={g} />
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={x.key} data-key={x.key}>
              <th scope="row">{x.label}</th>
              <td className="num" data-figure="waiting-count">
                {x.waiting.count}
              </td>
              <td className="num" data-figure="waiting-median">
                <Fig n={x.waiting.medianDays} />
              </td>
              <td className="num" data-figure="waiting-p90">
                <Fig n={x.waiting.p90Days} />
              </td>
              <td className="num" data-figure="admitted-count">
                {x.admitted.count}
              </td>
              <td className="num" data-figure="admitted-median">
                <Fig n={x.admitted.medianDays} />
              </td>
              <td className="num" data-figure="admitted-p90">
                <Fig n={x.admitted.p90Days} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** 人数 / 中位天数 / 90%分位 under a group; the group's name is read with each (hidden visually). */
function GroupHeads({ group }: { group: string }) {
  return (
    <>
      {['人数', '中位天数', '90%分位'].map((h) => (
        <th scope="col" className="num" key={h}>
          <span className="visually-hidden">{group}：</span>
          {h}
        </th>
      ))}
    </>
  );
}

function Admissions({ report, labelledBy }: { report: WaitlistReport; labelledBy: string }) {
  const months = monthsOf(report.since, report.asOf, report.admissionsByMonth);
  const total = months.reduce((s, m) => s + m.admissions, 0);
  if (total === 0) {
    return (
      <p className="empty" data-testid="wlr-admissions-none">
        本期没有经轮候入住的申请人。
      </p>
    );
  }
  const max = Math.max(...months.map((m) => m.admissions));
  return (
    <>
      <p data-testid="wlr-admissions-total">本期经轮候入住共 {total} 人。</p>
      <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
        <table className="data-table wlr-table wlr-bars" data-testid="wlr-admissions">
          <caption className="visually-hidden">每月经轮候入住的人数</caption>
          <thead>
            <tr>
              <th scope="col">月份</th>
              <th scope="col" className="num">
                入住人数
              </th>
              <th scope="col">
                <span className="visually-hidden">图示（与人数相同）</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month} data-month={m.month}>
                <th scope="row">{monthText(m.month)}</th>
                <td className="num">{m.admissions}</td>
                <td className="wlr-bar-cell" aria-hidden="true">
                  <span className="wlr-bar" style={{ width: `${max > 0 ? (m.admissions / max) * 100 : 0}%` }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function TurnoverByDistrict({ report }: { report: WaitlistReport }) {
  const rows = report.turnover.byDistrict;
  if (rows.length === 0) return <p className="empty">本期没有空出的保基本床位。</p>;
  const caption = '保基本床位周转（按区）';
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table wlr-table" data-testid="wlr-turnover-district">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">区</th>
            <th scope="col" className="num">
              空出次数
            </th>
            <th scope="col" className="num">
              已再入住
            </th>
            <th scope="col" className="num">
              仍空着
            </th>
            <th scope="col" className="num">
              从空出到入住的中位天数
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.districtCode} data-key={d.districtCode}>
              <th scope="row">{d.districtName}</th>
              <td className="num" data-figure="vacancies">
                {d.vacancies}
              </td>
              <td className="num" data-figure="refilled">
                {d.refilled}
              </td>
              <td className="num" data-figure="stillVacant">
                {d.stillVacant}
              </td>
              <td className="num" data-figure="medianDays">
                <Fig n={d.medianDays} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TurnoverByFacility({ report, labelledBy }: { report: WaitlistReport; labelledBy: string }) {
  const [all, setAll] = useState(false);
  const tableId = useId();
  const listed = report.turnover.byFacility;
  if (listed.length === 0) return <p className="empty">本期没有空出的保基本床位。</p>;
  const rows = all ? listed : listed.slice(0, FIRST_FACILITIES);
  return (
    <>
      <p className="hint" data-testid="wlr-turnover-facility-count">
        按空出次数从多到少，共 {listed.length} 家{rows.length < listed.length ? `，这里先列出前 ${rows.length} 家` : ''}。
      </p>
      <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0} id={tableId}>
        <table className="data-table wlr-table" data-testid="wlr-turnover-facility">
          <caption className="visually-hidden">空出次数最多的机构</caption>
          <thead>
            <tr>
              <th scope="col">机构</th>
              <th scope="col">区</th>
              <th scope="col" className="num">
                空出次数
              </th>
              <th scope="col" className="num">
                已再入住
              </th>
              <th scope="col" className="num">
                仍空着
              </th>
              <th scope="col" className="num">
                从空出到入住的中位天数
              </th>
              <th scope="col" className="num">
                90%分位（天）
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((f) => (
              <tr key={f.facilityId} data-key={f.facilityId}>
                <th scope="row">{f.name}</th>
                <td>{f.districtName}</td>
                <td className="num">{f.vacancies}</td>
                <td className="num">{f.refilled}</td>
                <td className="num">{f.stillVacant}</td>
                <td className="num">
                  <Fig n={f.medianDays} />
                </td>
                <td className="num">
                  <Fig n={f.p90Days} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {listed.length > FIRST_FACILITIES && (
        <div className="button-row">
          <button type="button" className="button button-secondary" aria-expanded={all} aria-controls={tableId} onClick={() => setAll(!all)}>
            {all ? `只看前 ${FIRST_FACILITIES} 家` : `显示全部 ${listed.length} 家`}
          </button>
        </div>
      )}
    </>
  );
}

function Idle({ report, labelledBy }: { report: WaitlistReport; labelledBy: string }) {
  if (report.idle.length === 0) {
    return (
      <p data-testid="wlr-idle-none">
        <span aria-hidden="true">✓ </span>没有：空出的保基本床位都已分配。
      </p>
    );
  }
  const beds = report.idle.reduce((s, f) => s + f.vacant, 0);
  return (
    <>
      <p className="notice notice-error" data-testid="wlr-idle-count">
        {report.idle.length} 家机构共 {beds} 张保基本床位空着，而有轮候中的申请人选择了这些机构。请到「分配」发起分配，或核查床位状态。
      </p>
      <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
        <table className="data-table wlr-table" data-testid="wlr-idle">
          <caption className="visually-hidden">有人等待却空着的床位</caption>
          <thead>
            <tr>
              <th scope="col">机构</th>
              <th scope="col">区</th>
              <th scope="col" className="num">
                空床
              </th>
              <th scope="col" className="num">
                选择该机构的轮候人数
              </th>
              <th scope="col">空出时间</th>
              <th scope="col" className="num">
                已空天数
              </th>
            </tr>
          </thead>
          <tbody>
            {report.idle.map((f) => (
              <tr key={f.facilityId} data-key={f.facilityId}>
                <th scope="row">{f.name}</th>
                <td>{f.districtName}</td>
                <td className="num">{f.vacant}</td>
                <td className="num">{f.waiting}</td>
                <td>{f.vacantSince ? shanghaiTime(f.vacantSince) : <Fig n={null} />}</td>
                <td className="num">
                  <Fig n={f.vacantDays} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
