// 照护等级 (Shanghai care grade 0–6): the officer's list of agencies' signed grade records — by
// person (platform id, ID number or name), by district, only those in force — and the import of
// a CSV/XLSX file of signed records with its row errors. The search text stays in the page, never
// in the URL (it may be an ID number); a person id may come in the URL (`?person=`) from the
// person page. Tables have captions and header scopes; status is said in words, not colour.
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorText, formatDate, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { careGradeApi, gradeLabel, type CareGrade, type CareGradeImportSummary } from './api.ts';
import { mayReadPeople, shortRef, useAgencyByCode, useDistricts, usePersonNames } from './names.ts';
import { useText, type TextKey } from './text.ts';
import { DistrictField } from '../../components/DistrictField.tsx';
import { IMPORT_ACCEPT, ImportStats, ImportSubmit, isImportFile, useFileImport } from '../../components/ImportSummary.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';

const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Filter {
  q: string;
  district: string;
  current: boolean;
}

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ok'; items: CareGrade[]; nextCursor: string | null; more: boolean };

export function CareGradesPage() {
  const x = useText();
  const { t } = usePrefs();
  const user = useUser();
  usePageTitle(x('cg.title'));
  const [sp] = useSearchParams();
  const fromUrl = sp.get('person') ?? '';
  const initial: Filter = { q: UUID.test(fromUrl) ? fromUrl : '', district: '', current: false };
  const [draft, setDraft] = useState<Filter>(initial);
  const [filter, setFilter] = useState<Filter>(initial);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const districts = useDistricts(user.regionCode);
  const agencies = useAgencyByCode();
  const ids = { q: useId(), qHint: useId() };
  const canImport = user.role === 'officer' || user.role === 'admin';

  const params = useCallback(
    (f: Filter, cursor?: string) => ({
      q: f.q.trim() || undefined,
      districtCode: f.district || undefined,
      current: f.current ? ('true' as const) : undefined,
      limit: PAGE,
      cursor,
    }),
    [],
  );

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    careGradeApi
      .records(params(filter), ctl.signal)
      .then((r) => setLoad({ status: 'ok', items: r.items, nextCursor: r.nextCursor, more: false }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
  }, [filter, attempt, params]);

  const more = async () => {
    if (load.status !== 'ok' || !load.nextCursor || load.more) return;
    setLoad({ ...load, more: true });
    try {
      const r = await careGradeApi.records(params(filter, load.nextCursor));
      setLoad({ status: 'ok', items: [...load.items, ...r.items], nextCursor: r.nextCursor, more: false });
    } catch (e) {
      setLoad({ status: 'error', message: errorText(e, t) });
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ ...draft });
  };

  const personIds = load.status === 'ok' ? load.items.map((g) => g.personId) : [];
  const names = usePersonNames(personIds, mayReadPeople(user.role));

  return (
    <>
      <h1>{x('cg.title')}</h1>
      <p>{x('cg.intro')}</p>

      <form className="card filters" aria-label={x('cg.filters')} onSubmit={onSubmit} noValidate>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.q}>{x('cg.person')}</label>
            <input
              id={ids.q}
              value={draft.q}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={ids.qHint}
              onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))}
            />
            <p id={ids.qHint} className="hint">
              {x('cg.person.hint')}
            </p>
          </div>
          <DistrictField
            label={x('cg.district')}
            allLabel={x('cg.district.all')}
            districts={districts}
            value={draft.district}
            onChange={(district) => setDraft((d) => ({ ...d, district }))}
          />
          <div className="field">
            <label className="option-card" data-checked={draft.current || undefined}>
              <input type="checkbox" checked={draft.current} onChange={(e) => setDraft((d) => ({ ...d, current: e.target.checked }))} />
              <span className="option-label">{x('cg.current')}</span>
            </label>
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="button">
            {x('cg.search')}
          </button>
        </div>
      </form>

      <section aria-labelledby="cg-results" className="card section-card">
        <h2 id="cg-results">{x('cg.results')}</h2>
        <LoadStatus load={load} onRetry={() => setAttempt((n) => n + 1)} />
        {load.status === 'ok' && (
          <>
            <p role="status" className="count">
              {x('cg.count', { n: load.items.length })}
            </p>
            {load.items.length === 0 ? (
              <p className="empty">{x('cg.empty')}</p>
            ) : (
              <GradeTable
                items={load.items}
                caption={x('cg.results')}
                person={(g) => {
                  const n = names.get(g.personId);
                  const label = n ? `${n.name}（${n.idNumberMasked}）` : shortRef(g.personId);
                  return mayReadPeople(user.role) ? <Link to={`/workbench/people/${encodeURIComponent(g.personId)}`}>{label}</Link> : label;
                }}
                agency={(code) => agencies.get(code) ?? code}
              />
            )}
            {load.nextCursor && (
              <p>
                <button type="button" className="button button-secondary" aria-disabled={load.more || undefined} onClick={() => void more()}>
                  {load.more ? t('common.loading') : x('cg.more')}
                </button>
              </p>
            )}
          </>
        )}
      </section>

      {canImport && <ImportGrades onImported={() => setAttempt((n) => n + 1)} />}
    </>
  );
}

const STATUS_KEY: Record<NonNullable<CareGrade['status']>, TextKey> = {
  current: 'cg.status.current',
  superseded: 'cg.status.superseded',
  expired: 'cg.status.expired',
  future: 'cg.status.future',
};

/** The records as a table: one row per grade, the person as row header. */
function GradeTable({
  items,
  caption,
  person,
  agency,
}: {
  items: CareGrade[];
  caption: string;
  person: (g: CareGrade) => ReactNode;
  agency: (code: string) => string;
}) {
  const x = useText();
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="data-table" data-testid="care-grades">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{x('cg.col.person')}</th>
            <th scope="col">{x('cg.col.grade')}</th>
            <th scope="col">{x('cg.col.validFrom')}</th>
            <th scope="col">{x('cg.col.validUntil')}</th>
            <th scope="col">{x('cg.col.agency')}</th>
            <th scope="col">{x('cg.col.signature')}</th>
            <th scope="col">{x('cg.col.status')}</th>
            <th scope="col">{x('cg.col.source')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((g) => (
            <tr key={g.id}>
              <th scope="row">{person(g)}</th>
              <td>
                <strong>{gradeLabel(g)}</strong>
              </td>
              <td>{formatDate(g.validFrom)}</td>
              <td>{formatDate(g.validUntil)}</td>
              <td>
                {agency(g.agencyCode)}
                {agency(g.agencyCode) !== g.agencyCode && <span className="muted">（{g.agencyCode}）</span>}
              </td>
              <td>
                {g.signature.status === 'verified' || g.signature.status === 'verified_on_import' ? (
                  <span title={g.signature.message}>{x('cg.signature.ok')}</span>
                ) : (
                  <span className="tag tag-alert">⚠ {g.signature.message}</span>
                )}
                <span className="visually-hidden">：{g.signature.message}</span>
              </td>
              <td>{g.status ? <span className={g.status === 'current' ? 'tag' : 'tag tag-muted'}>{x(STATUS_KEY[g.status])}</span> : null}</td>
              <td>{x(g.source === 'file' ? 'cg.source.file' : 'cg.source.api')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Import a CSV/XLSX file of signed records; the summary and the row errors (Chinese) follow. */
function ImportGrades({ onImported }: { onImported: () => void }) {
  const x = useText();
  const { t } = usePrefs();
  const ids = { file: useId(), hint: useId(), error: useId() };
  const { fileRef, resultRef, fieldError, setFieldError, busy, failure, result, onSubmit } = useFileImport<CareGradeImportSummary, string>({
    check: (file) => (!file || !isImportFile(file) ? x('cg.import.noFile') : null),
    upload: (file) => careGradeApi.importFile(file),
    failureText: (err) => errorText(err, t),
    onResult: (r) => {
      if (r.recorded > 0) onImported();
    },
  });

  return (
    <section aria-labelledby="cg-import" className="card section-card">
      <h2 id="cg-import">{x('cg.import.title')}</h2>
      <p>{x('cg.import.intro')}</p>
      <p>{x('cg.import.columns')}</p>
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy || undefined}>
        <div className="field">
          <label htmlFor={ids.file}>{x('cg.import.file')}</label>
          <input
            ref={fileRef}
            id={ids.file}
            type="file"
            accept={IMPORT_ACCEPT}
            aria-describedby={fieldError ? ids.error : undefined}
            aria-invalid={fieldError ? true : undefined}
            onChange={() => setFieldError(null)}
          />
          {fieldError && (
            <p id={ids.error} className="field-error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
        <ImportSubmit busy={busy} submit={x('cg.import.submit')} submitting={x('cg.import.submitting')} failure={failure} />
      </form>
      {result && <ImportReport result={result} headingRef={resultRef} />}
    </section>
  );
}

function ImportReport({ result: r, headingRef }: { result: CareGradeImportSummary; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const x = useText();
  const stats: [TextKey, number, string][] = [
    ['cg.import.total', r.total, 'stat-total'],
    ['cg.import.recorded', r.recorded, 'stat-created'],
    ['cg.import.unchanged', r.unchanged, 'stat-unchanged'],
    ['cg.import.rejected', r.rejected, r.rejected > 0 ? 'stat-rejected stat-alert' : 'stat-rejected'],
  ];
  return (
    <div className="import-result">
      <h3 id="cg-import-result" ref={headingRef} tabIndex={-1}>
        {x('cg.import.result')}
      </h3>
      {r.fileName && <p className="muted">{x('cg.import.resultFor', { file: r.fileName })}</p>}
      <p className="visually-hidden" role="status">
        {x('cg.import.summary', { total: r.total, recorded: r.recorded, unchanged: r.unchanged, rejected: r.rejected })}
      </p>
      <ImportStats stats={stats.map(([key, n, cls]) => [x(key), n, cls])} testId="care-grade-import-summary" />
      {r.errors.length > 0 && (
        <>
          <h4 id="cg-import-errors">{x('cg.import.errors')}</h4>
          <div className="table-scroll" role="region" aria-labelledby="cg-import-errors" tabIndex={0}>
            <table className="data-table" data-testid="care-grade-import-errors">
              <caption>{x('cg.import.errors')}</caption>
              <thead>
                <tr>
                  <th scope="col">{x('cg.import.col.row')}</th>
                  <th scope="col">{x('cg.import.col.field')}</th>
                  <th scope="col">{x('cg.import.col.message')}</th>
                </tr>
              </thead>
              <tbody>
                {r.errors.map((e, i) => (
                  <tr key={`${e.row}-${e.field}-${i}`}>
                    <td className="num">{e.row}</td>
                    <td>{e.field}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
