// 评估质量控制 (issue 4 §5): the officer's figures per agency and per assessor — level
// distribution against the district's, time per assessment, changed on review, weighted kappa,
// the re-assessment sample — with outliers marked in words and their reasons. Period and district
// filters live in the URL. Tables have captions and header scopes; nothing relies on colour alone.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { query, request } from '../../api.ts';
import { errorText, formatDate, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { shortRef, useDistricts } from './names.ts';
import type { Flag, Summary, UnitFigures } from '../../../../src/assessment/quality.ts';
import { DistrictField } from '../../components/DistrictField.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';

// The figures' shapes are the server's own (src/assessment/quality.ts); the API adds names.
interface Unit extends UnitFigures {
  districtCode: string;
  name: string;
}
interface Quality {
  from: string;
  to: string;
  districtCode: string | null;
  levels: { level: number; name: string }[];
  districts: { districtCode: string; results: number; distribution: number[]; shares: number[] }[];
  agencies: (Unit & { agencyId: string; code: string; sample: string[] })[];
  assessors: (Unit & { assessorId: string; agencyIds: string[] })[];
  outliers: { kind: 'agency' | 'assessor'; id: string; name: string; districtCode: string; flags: Flag[] }[];
  sample: { share: number; applicationIds: string[] };
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: Quality };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function QualityPage() {
  const { t, lang } = usePrefs();
  const user = useUser();
  usePageTitle(t('qc.title'));
  const [sp, setSp] = useSearchParams();
  const from = sp.get('from') ?? '';
  const to = sp.get('to') ?? '';
  const district = sp.get('districtCode') ?? '';
  const [draft, setDraft] = useState({ from, to, district });
  const [rangeError, setRangeError] = useState(false);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const districts = useDistricts(user.regionCode);
  const ids = { from: useId(), to: useId(), error: useId() };

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    request<Quality>(`/api/v1/assessments/quality${query({ from: from || undefined, to: to || undefined, districtCode: district || undefined })}`, {
      signal: ctl.signal,
    })
      .then((data) => setLoad({ status: 'ok', data }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
  }, [from, to, district, attempt]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setRangeError(true);
      return;
    }
    setRangeError(false);
    const next = new URLSearchParams(sp);
    for (const [k, v] of [['from', draft.from], ['to', draft.to], ['districtCode', draft.district]] as const) {
      if (v && (k === 'districtCode' || DATE_RE.test(v))) next.set(k, v);
      else next.delete(k);
    }
    setSp(next, { replace: true });
  };

  const locale = lang === 'en' ? 'en' : 'zh-CN';
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const summary = (s: Summary | null) => (s ? t('qc.summary', { mean: num.format(s.mean), median: num.format(s.median) }) : t('qc.na'));
  const districtName = (code: string) => districts.find((d) => d.code === code)?.name ?? code;

  return (
    <>
      <h1>{t('qc.title')}</h1>
      <p>{t('qc.intro')}</p>
      <form className="card filters" aria-label={t('qc.filters')} onSubmit={onSubmit} noValidate>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.from}>{t('qc.from')}</label>
            <input
              id={ids.from}
              type="date"
              value={draft.from}
              aria-invalid={rangeError || undefined}
              aria-describedby={rangeError ? ids.error : undefined}
              onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('qc.to')}</label>
            <input id={ids.to} type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
          </div>
          <DistrictField
            label={t('qc.district')}
            allLabel={t('common.all')}
            districts={districts}
            value={draft.district}
            onChange={(district) => setDraft((d) => ({ ...d, district }))}
          />
        </div>
        {rangeError && (
          <p id={ids.error} className="notice notice-error" role="alert">
            {t('qc.badRange')}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button">
            {t('qc.apply')}
          </button>
        </div>
      </form>

      <LoadStatus load={load} onRetry={() => setAttempt((n) => n + 1)} />
      {load.status === 'ok' && (
        <QualityTables data={load.data} num={num} pct={pct} summary={summary} districtName={districtName} />
      )}
    </>
  );
}

function QualityTables({
  data,
  num,
  pct,
  summary,
  districtName,
}: {
  data: Quality;
  num: Intl.NumberFormat;
  pct: Intl.NumberFormat;
  summary: (s: Summary | null) => string;
  districtName: (code: string) => string;
}) {
  const { t } = usePrefs();
  const total = data.districts.reduce((s, d) => s + d.results, 0);
  const levelHead = (l: { level: number; name: string }) => t('qc.levelHead', { level: l.level, name: l.name });
  const flagged = (u: Unit) =>
    u.flags.length === 0 ? (
      t('qc.ok')
    ) : (
      <>
        <span className="tag tag-alert">⚠ {t('qc.flagged')}</span>
        <ul>
          {u.flags.map((f) => (
            <li key={f.code}>{f.message}</li>
          ))}
        </ul>
      </>
    );
  const unitCells = (u: Unit) => (
    <>
      <td>{u.results}</td>
      {data.levels.map((l) => (
        <td key={l.level}>
          {u.distribution[l.level] ?? 0}
          {u.results > 0 && ` (${pct.format(u.shares[l.level] ?? 0)})`}
        </td>
      ))}
      <td>{u.distance === null ? t('qc.na') : num.format(u.distance)}</td>
      <td>{summary(u.daysToResult)}</td>
      <td>{summary(u.minutesVisitToSubmit)}</td>
      <td>
        {u.reviewed === 0
          ? t('qc.na')
          : t('qc.changedValue', { changed: u.changedOnReview, reviewed: u.reviewed, share: pct.format(u.changedOnReviewShare ?? 0) })}
      </td>
      <td>{u.pairs === 0 ? t('qc.na') : u.kappa === null ? t('qc.kappaUndefined') : t('qc.kappaValue', { kappa: num.format(u.kappa), n: u.pairs })}</td>
      <td>{flagged(u)}</td>
    </>
  );
  const unitHead = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t('qc.col.results')}</th>
        {data.levels.map((l) => (
          <th scope="col" key={l.level}>
            {levelHead(l)}
          </th>
        ))}
        <th scope="col">{t('qc.col.distance')}</th>
        <th scope="col">{t('qc.col.days')}</th>
        <th scope="col">{t('qc.col.minutes')}</th>
        <th scope="col">{t('qc.col.changed')}</th>
        <th scope="col">{t('qc.col.kappa')}</th>
        <th scope="col">{t('qc.col.flags')}</th>
      </tr>
    </thead>
  );
  /** One table of figures per unit (agency or assessor): the same columns for both. */
  const unitSection = (id: string, title: string, caption: string, first: string, testId: string, rows: { key: string; unit: Unit & { name: string } }[]) => (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p className="empty">{t('qc.empty')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="data-table" data-testid={testId}>
            <caption>{caption}</caption>
            {unitHead(first)}
            <tbody>
              {rows.map(({ key, unit }) => (
                <tr key={key}>
                  <th scope="row">{unit.name}</th>
                  {unitCells(unit)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );

  return (
    <div data-testid="quality-report">
      <p role="status" className="count">
        {t('qc.period', { from: formatDate(data.from), to: formatDate(data.to), n: total })}
      </p>

      <section aria-labelledby="qc-outliers">
        <h2 id="qc-outliers">{t('qc.outliers.title')}</h2>
        {data.outliers.length === 0 ? (
          <p className="empty">{t('qc.outliers.none')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="qc-outliers" tabIndex={0}>
            <table className="data-table" data-testid="quality-outliers">
              <caption>{t('qc.outliers.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('qc.col.name')}</th>
                  <th scope="col">{t('qc.col.kind')}</th>
                  <th scope="col">{t('qc.col.reasons')}</th>
                </tr>
              </thead>
              <tbody>
                {data.outliers.map((o) => (
                  <tr key={`${o.kind}:${o.id}`}>
                    <th scope="row">
                      <span className="tag tag-alert">⚠ {t('qc.flagged')}</span> {o.name}
                    </th>
                    <td>{t(o.kind === 'agency' ? 'qc.kind.agency' : 'qc.kind.assessor')}</td>
                    <td>
                      <ul>
                        {o.flags.map((f) => (
                          <li key={f.code}>{f.message}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="qc-district">
        <h2 id="qc-district">{t('qc.district.title')}</h2>
        {data.districts.length === 0 && <p className="empty">{t('qc.empty')}</p>}
        {data.districts.map((d) => (
          <div className="table-scroll" role="region" aria-label={t('qc.district.caption', { district: districtName(d.districtCode) })} tabIndex={0} key={d.districtCode}>
            <table className="data-table">
              <caption>{t('qc.district.caption', { district: districtName(d.districtCode) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('qc.col.level')}</th>
                  <th scope="col">{t('qc.col.count')}</th>
                  <th scope="col">{t('qc.col.share')}</th>
                </tr>
              </thead>
              <tbody>
                {data.levels.map((l) => (
                  <tr key={l.level}>
                    <th scope="row">{levelHead(l)}</th>
                    <td>{d.distribution[l.level] ?? 0}</td>
                    <td>{pct.format(d.shares[l.level] ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>

      {unitSection('qc-agencies', t('qc.agencies.title'), t('qc.agencies.caption'), t('qc.col.agency'), 'quality-agencies',
        data.agencies.map((a) => ({ key: a.agencyId, unit: a })))}
      {unitSection('qc-assessors', t('qc.assessors.title'), t('qc.assessors.caption'), t('qc.col.name'), 'quality-assessors',
        data.assessors.map((a) => ({ key: a.assessorId, unit: a })))}

      <section aria-labelledby="qc-sample">
        <h2 id="qc-sample">{t('qc.sample.title')}</h2>
        <p>{t('qc.sample.intro', { share: pct.format(data.sample.share) })}</p>
        {data.agencies.every((a) => a.sample.length === 0) ? (
          <p className="empty">{t('qc.empty')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="qc-sample" tabIndex={0}>
            <table className="data-table" data-testid="quality-sample">
              <caption>{t('qc.sample.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('qc.col.agency')}</th>
                  <th scope="col">{t('qc.col.application')}</th>
                </tr>
              </thead>
              <tbody>
                {data.agencies
                  .filter((a) => a.sample.length > 0)
                  .map((a) => (
                    <tr key={a.agencyId}>
                      <th scope="row">{a.name}</th>
                      <td>
                        <ul>
                          {a.sample.map((id) => (
                            <li key={id}>
                              <Link to={`/workbench/assessments/${encodeURIComponent(id)}`}>{t('qc.sample.link', { ref: shortRef(id) })}</Link>
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
