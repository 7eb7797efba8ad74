// A modal dialog that asks for one text (a reason, a note) before an action: native <dialog>, so
// focus moves to the text, Esc goes back and focus returns to the button that opened it. The
// caller checks the text and sends it; this draws the dialog, the problem next to the text and
// the server's refusal.
import { useEffect, useId, useRef, type CSSProperties, type FormEvent, type ReactNode, type RefObject } from 'react';

export function NoteDialog({
  className,
  style,
  title,
  intro,
  label,
  hint,
  value,
  onChange,
  textareaRef,
  maxLength,
  required,
  problem,
  failureTitle,
  failure,
  confirm,
  back,
  busy,
  onSubmit,
  onDismiss,
}: {
  className: string;
  style?: CSSProperties;
  title: ReactNode;
  intro: ReactNode;
  label: ReactNode;
  hint: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** The caller's handle on the text, to move focus back to it when the text has a problem. */
  textareaRef: RefObject<HTMLTextAreaElement | null>;
  maxLength?: number;
  required?: boolean;
  problem: string | null;
  failureTitle: ReactNode;
  failure: string | null;
  confirm: ReactNode;
  back: ReactNode;
  busy: boolean;
  onSubmit: (e: FormEvent) => Promise<void>;
  onDismiss: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = { title: useId(), intro: useId(), text: useId(), hint: useId(), problem: useId() };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    textareaRef.current?.focus();
    return () => {
      if (d.open) d.close();
    };
  }, [textareaRef]);

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={ids.title}
      aria-describedby={ids.intro}
      style={style}
      onCancel={(e) => {
        e.preventDefault();
        onDismiss();
      }}
    >
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy || undefined}>
        <h2 id={ids.title}>{title}</h2>
        <p id={ids.intro}>{intro}</p>
        <div className="field">
          <label htmlFor={ids.text}>{label}</label>
          <textarea
            id={ids.text}
            ref={textareaRef}
            rows={4}
            maxLength={maxLength}
            value={value}
            required={required}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids.problem} ${ids.hint}` : ids.hint}
            onChange={(e) => onChange(e.target.value)}
          />
          <p id={ids.hint} className="hint">
            {hint}
          </p>
          {problem && (
            <p id={ids.problem} className="field-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        {failure && (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{failureTitle}</p>
            <p>{failure}</p>
          </div>
        )}
        <div className="button-row">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {confirm}
          </button>
          <button type="button" className="button button-secondary" onClick={onDismiss}>
            {back}
          </button>
        </div>
      </form>
    </dialog>
  );
}
