// Pieces shared by the file imports (批量导入 of people, 照护等级 records): the upload itself (file
// checked first, focus to the result after), the submit button with what it is doing said in a
// status slot and a refusal in an alert slot, and the counts of the import's result.
import { useRef, useState, type FormEvent } from 'react';

/** What the file input accepts: CSV or XLSX. */
export const IMPORT_ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file the imports take (by its name: .csv or .xlsx). */
export const isImportFile = (file: File) => /\.(csv|xlsx)$/i.test(file.name);

/**
 * The state of an import form: on submit, `check` the chosen file (its problem goes next to the
 * field and focus to the field), else `upload` it, show the result and move focus to its heading;
 * a refusal in words through `failureText`.
 */
export function useFileImport<R, P>({
  check,
  upload,
  failureText,
  onResult,
}: {
  check: (file: File | undefined) => P | null;
  upload: (file: File) => Promise<R>;
  failureText: (err: unknown) => string;
  onResult?: (result: R) => void;
}) {
  const fileRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const [fieldError, setFieldError] = useState<P | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [result, setResult] = useState<R | null>(null);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const file = fileRef.current?.files?.[0];
    setFailure(null);
    const problem = check(file);
    if (problem !== null || !file) {
      setFieldError(problem);
      fileRef.current?.focus();
      return;
    }
    setFieldError(null);
    setBusy(true);
    setResult(null);
    try {
      const r = await upload(file);
      setResult(r);
      onResult?.(r);
      // Move to the result so that a keyboard or screen-reader user lands on it.
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setFailure(failureText(err));
    } finally {
      setBusy(false);
    }
  };

  return { fileRef, resultRef, fieldError, setFieldError, busy, failure, result, onSubmit };
}

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
