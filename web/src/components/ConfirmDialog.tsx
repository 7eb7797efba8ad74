// Asking once more before an action (native modal <dialog>: focus moves in, Esc goes back, focus
// returns to the button that opened it). `focus` says which answer has the focus at first: the
// action when it is the expected next step, 返回 when a stray Enter must not undo something.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function ConfirmDialog({
  className = 'card out-dialog',
  title,
  body,
  confirm,
  busyText,
  back,
  busy,
  focus = 'confirm',
  failureTitle,
  failure,
  onConfirm,
  onDismiss,
}: {
  className?: string;
  title: ReactNode;
  body: ReactNode;
  confirm: ReactNode;
  busyText: ReactNode;
  back: ReactNode;
  busy: boolean;
  focus?: 'confirm' | 'back';
  failureTitle?: ReactNode;
  failure?: string | null;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const ok = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const ids = { title: useId(), body: useId() };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    (focus === 'back' ? cancel : ok).current?.focus();
    return () => {
      if (d.open) d.close();
    };
    // Opened once: the first focus only.
  }, []);

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={ids.title}
      aria-describedby={ids.body}
      onCancel={(e) => {
        e.preventDefault();
        onDismiss();
      }}
    >
      <h2 id={ids.title}>{title}</h2>
      <p id={ids.body}>{body}</p>
      {failure && (
        <div className="notice notice-error" role="alert">
          {failureTitle && <p className="notice-title">{failureTitle}</p>}
          <p>{failure}</p>
        </div>
      )}
      <div className="button-row">
        <button type="button" ref={ok} className="button button-primary" aria-disabled={busy || undefined} onClick={() => !busy && onConfirm()}>
          {busy ? busyText : confirm}
        </button>
        <button type="button" ref={cancel} className="button button-secondary" onClick={onDismiss}>
          {back}
        </button>
      </div>
    </dialog>
  );
}
