// Closing a visit task (完成探访 or 取消任务) with an optional note, in a native modal <dialog>:
// focus moves to the note, Esc goes back, focus returns to the button that opened it.
import { useRef, useState, type FormEvent } from 'react';
import { NoteDialog } from '../../components/NoteDialog.tsx';
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
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
    <NoteDialog
      className="card out-dialog"
      title={x(status === 'done' ? 'task.dialog.done' : 'task.dialog.cancel', { name: task.name })}
      intro={x('task.dialog.intro', { scheme: task.schemeName })}
      label={x('task.dialog.note')}
      hint={x('task.dialog.note.hint', { max: NOTE_MAX })}
      value={note}
      onChange={setNote}
      textareaRef={noteRef}
      problem={problem}
      failureTitle={x('task.close.failed')}
      failure={failure}
      confirm={x(status === 'done' ? 'task.dialog.ok.done' : 'task.dialog.ok.cancel')}
      back={x('task.dialog.back')}
      busy={busy}
      onSubmit={submit}
      onDismiss={onDismiss}
    />
  );
}
