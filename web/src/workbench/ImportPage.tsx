// 批量导入: upload a CSV/XLSX as raw bytes, then show the summary and the row-error report.
import { useId, type RefObject } from 'react';
import { api, TEMPLATE_CSV_URL, type ImportResult } from '../api.ts';
import { IMPORT_ACCEPT, ImportStats, ImportSubmit, isImportFile, useFileImport } from '../components/ImportSummary.tsx';
import { errorText } from '../format.ts';
import type { MessageKey } from '../i18n.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';

export function ImportPage() {
  const { t } = usePrefs();
  usePageTitle(t('import.title'));
  const fileId = useId();
  const hintId = useId();
  const errorId = useId();
  const { fileRef, resultRef, fieldError, setFieldError, busy, failure, result, onSubmit } = useFileImport<ImportResult, MessageKey>({
    check: (file) => (!file ? 'import.needFile' : !isImportFile(file) ? 'import.badType' : null),
    upload: (file) => api.importPeople(file),
    failureText: (err) => t('import.failed', { message: errorText(err, t) }),
  });

  return (
    <>
      <h1>{t('import.title')}</h1>
      <div className="card section-card">
        <p>{t('import.intro')}</p>
        <p>{t('import.columns')}</p>
        <p>
          <a href={TEMPLATE_CSV_URL} download className="button button-secondary">
            {t('import.template')}
          </a>
        </p>
      </div>

      <form className="card section-card stack" onSubmit={onSubmit} noValidate aria-busy={busy || undefined}>
        <div className="field">
          <label htmlFor={fileId}>{t('import.file')}</label>
          <input
            ref={fileRef}
            id={fileId}
            type="file"
            name="file"
            accept={IMPORT_ACCEPT}
            aria-describedby={fieldError ? `${errorId} ${hintId}` : hintId}
            aria-invalid={fieldError ? true : undefined}
            onChange={() => setFieldError(null)}
          />
          <p id={hintId} className="hint">
            {t('import.file.hint')}
          </p>
          {fieldError && (
            <p id={errorId} className="field-error">
              {t(fieldError)}
            </p>
          )}
        </div>
        <ImportSubmit busy={busy} submit={t('import.submit')} submitting={t('import.submitting')} failure={failure} />
      </form>

      {result && <ImportReport result={result} headingRef={resultRef} />}
    </>
  );
}

function ImportReport({
  result: r,
  headingRef,
}: {
  result: ImportResult;
  headingRef: RefObject<HTMLHeadingElement | null>;
}) {
  const { t, td } = usePrefs();
  const stats: [MessageKey, number, string][] = [
    ['import.total', r.total, 'stat-total'],
    ['import.created', r.created, 'stat-created'],
    ['import.updated', r.updated, 'stat-updated'],
    ['import.unchanged', r.unchanged, 'stat-unchanged'],
    ['import.rejected', r.rejected, r.rejected > 0 ? 'stat-rejected stat-alert' : 'stat-rejected'],
  ];
  return (
    <section aria-labelledby="import-result-title" className="card section-card import-result">
      <h2 id="import-result-title" ref={headingRef} tabIndex={-1}>
        {t('import.result')}
      </h2>
      {r.fileName && <p className="muted">{t('import.resultFor', { file: r.fileName })}</p>}
      <p className="visually-hidden" role="status">
        {t('import.done', {
          total: r.total,
          created: r.created,
          updated: r.updated,
          unchanged: r.unchanged,
          rejected: r.rejected,
        })}
      </p>
      <ImportStats stats={stats.map(([key, n, cls]) => [t(key), n, cls])} testId="import-summary" />

      <h3 id="import-errors-title">{t('import.errors')}</h3>
      {r.errors.length === 0 ? (
        <p>{t('import.errors.none')}</p>
      ) : (
        <>
          <p>{t('import.errors.intro')}</p>
          <div className="table-scroll" role="region" aria-labelledby="import-errors-title" tabIndex={0}>
            <table className="data-table" aria-labelledby="import-errors-title">
              <thead>
                <tr>
                  <th scope="col">{t('import.col.row')}</th>
                  <th scope="col">{t('import.col.field')}</th>
                  <th scope="col">{t('import.col.message')}</th>
                </tr>
              </thead>
              <tbody>
                {r.errors.map((e, i) => (
                  <tr key={`${e.row}-${e.field}-${i}`}>
                    <td className="num">{e.row}</td>
                    <td>{td(`field.${e.field}`, e.field)}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
