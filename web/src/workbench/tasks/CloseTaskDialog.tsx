// Closing a visit task (完成探访 or 取消任务) with an optional note, in a native modal <dialog>:
// focus moves to the note, Esc goes back, focus returns to the button that opened it.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { taskApi, type OutreachTask } from '../outreach/api.ts';
import { useOutText } from '../outreach/text.ts';

/** The server's bound on a note (src/entitlements/routes.ts). */
export const NOTE_MAX = 500;

export function CloseTaskDialog({
  task,
  status,
  onDismiss,
  onDone,
}: {
  task: OutreachTask;
  status: 'done' | 'cancelled';
  onDismiss: () => void;
  onDone: () => void;
}) {
  const x = useOutText();
  const { t } = usePrefs();
  const ref = useRef<HTMLDialogElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { title: useId(), intro: useId(), note: useId(), hint: useId(), problem: useId() };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    noteRef.current?.focus();
    return () => {
      if (d.open) d.close();
    };
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const text = note.trim();
    if (text.length > NOTE_MAX) {
      setProblem(x('task.dialog.note.tooLong', { max: NOTE_MAX }));
      noteRef.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      await taskApi.close(task.id, status, text);
      onDone();
    } catch (err) {
      setFailure(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="card out-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.intro}
      onCancel={(e) => {
        e.preventDefault();
        onDismiss();
      }}
    >
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy || undefined}>
        <h2 id={ids.title}>{x(status === 'done' ? 'task.dialog.done' : 'task.dialog.cancel', { name: task.name })}</h2>
        <p id={ids.intro}>{x('task.dialog.intro', { scheme: task.schemeName })}</p>
        <div className="field">
          <label htmlFor={ids.note}>{x('task.dialog.note')}</label>
          <textarea
            id={ids.note}
            ref={noteRef}
            rows={4}
            value={note}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids.problem} ${ids.hint}` : ids.hint}
            onChange={(e) => setNote(e.target.value)}
          />
          <p id={ids.hint} className="hint">
            {x('task.dialog.note.hint', { max: NOTE_MAX })}
          </p>
          {problem && (
            <p id={ids.problem} className="field-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        {failure && (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">{x('task.close.failed')}</p>
            <p>{failure}</p>
          </div>
        )}
        <div className="button-row">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {x(status === 'done' ? 'task.dialog.ok.done' : 'task.dialog.ok.cancel')}
          </button>
          <button type="button" className="button button-secondary" onClick={onDismiss}>
            {x('task.dialog.back')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
