// Form pieces of the 服务供给 forms: a labelled field with its hint and its problem (named in
// words next to the field, the input marked invalid and described by both), the server's
// problems keyed by field, and the summary that says how many need fixing.
import { cloneElement, type ReactElement, type ReactNode } from 'react';
import { ApiError } from '../../api.ts';

export type Problems = Record<string, string>;

/** A field's problem from the server's details (path "prices.0.fen" or "prices[0]" → "prices"). */
export function serverProblems(e: unknown): Problems {
  const out: Problems = {};
  if (!(e instanceof ApiError)) return out;
  for (const d of e.details) {
    const key = d.path.split(/[.[]/)[0] ?? '';
    if (key && !out[key]) out[key] = d.message;
  }
  return out;
}

export const fieldId = (form: string, name: string) => `${form}-${name}`;

/** Moves focus to the first field with a problem, in the form's order. */
export function focusFirst(form: string, order: readonly string[], problems: Problems): void {
  const first = order.find((k) => problems[k]);
  if (first) document.getElementById(fieldId(form, first))?.focus();
}

export function Field({
  form,
  name,
  label,
  hint,
  problem,
  children,
  className,
}: {
  form: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  problem?: string;
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}) {
  const id = fieldId(form, name);
  const described = [hint ? `${id}-hint` : null, problem ? `${id}-err` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-err`} className="field-error">
          {problem}
        </p>
      )}
      {cloneElement(children, { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': described })}
    </div>
  );
}

/** "请改正下面标出的 3 处内容" with the server's message when it gave one for no field. */
export function ProblemSummary({ problems, failure, title }: { problems: Problems; failure: string | null; title: string }) {
  const n = Object.keys(problems).length;
  if (!n && !failure) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      {n > 0 && <p>请改正下面标出的 {n} 处内容。</p>}
      {failure && <p>{failure}</p>}
    </div>
  );
}
