// Pieces shared by the file imports (批量导入 of people, 照护等级 records): the submit button with
// what it is doing said in a status slot and a refusal in an alert slot, and the counts of the
// import's result.

/** The import form's submit button, "submitting…" in a status slot while busy, and the failure in an alert slot. */
export function ImportSubmit({ busy, submit, submitting, failure }: { busy: boolean; submit: string; submitting: string; failure: string | null }) {
  return (
    <>
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? submitting : submit}
        </button>
      </div>
      <div role="status" className="status-slot">
        {busy && <p className="loading">{submitting}</p>}
      </div>
      <div role="alert" className="status-slot">
        {failure && <p className="notice notice-error">{failure}</p>}
      </div>
    </>
  );
}

/** The counts of an import (total, recorded, …, rejected): [label, count, class] each. */
export function ImportStats({ stats, testId }: { stats: [label: string, count: number, className: string][]; testId: string }) {
  return (
    <dl className="stats" data-testid={testId}>
      {stats.map(([label, n, cls]) => (
        <div key={cls} className={`stat ${cls}`}>
          <dt>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}
