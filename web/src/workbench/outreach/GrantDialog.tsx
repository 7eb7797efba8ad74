// 免申即享发放 asks once more before granting (native modal <dialog>: focus moves in, Esc goes
// back, focus returns to the button that opened it).
import { useEffect, useId, useRef } from 'react';
import { useOutText } from './text.ts';

export function GrantDialog({
  count,
  schemeName,
  busy,
  onConfirm,
  onDismiss,
}: {
  count: number;
  schemeName: string;
  busy: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const x = useOutText();
  const ref = useRef<HTMLDialogElement>(null);
  const ok = useRef<HTMLButtonElement>(null);
  const ids = { title: useId(), body: useId() };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    ok.current?.focus();
    return () => {
      if (d.open) d.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="card out-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.body}
      onCancel={(e) => {
        e.preventDefault();
        onDismiss();
      }}
    >
      <h2 id={ids.title}>{x('out.confirm.title')}</h2>
      <p id={ids.body}>{x('out.confirm.body', { n: count, scheme: schemeName })}</p>
      <div className="button-row">
        <button type="button" ref={ok} className="button button-primary" aria-disabled={busy || undefined} onClick={() => !busy && onConfirm()}>
          {busy ? x('out.act.busy') : x('out.confirm.ok')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDismiss}>
          {x('out.confirm.back')}
        </button>
      </div>
    </dialog>
  );
}
