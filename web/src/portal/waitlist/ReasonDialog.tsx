// 放弃 an offer or 撤回 an application: the server requires a reason. A NoteDialog (native
// <dialog>: focus on the text, Esc goes back, focus returns) that checks the reason is there,
// sends it and shows the server's refusal inside the dialog.
import { useRef, useState, type FormEvent } from 'react';
import { NoteDialog } from '../../components/NoteDialog.tsx';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { useWlText } from './text.ts';

const REASON_MAX = 200;

export function WlReasonDialog({
  title,
  intro,
  confirm,
  onSend,
  onDismiss,
}: {
  title: string;
  intro: string;
  confirm: string;
  onSend: (reason: string) => Promise<void>;
  onDismiss: () => void;
}) {
  const { t } = usePrefs();
  const w = useWlText();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const text = note.trim();
    if (!text) {
      setProblem(w('wl.act.needReason'));
      ref.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      await onSend(text);
    } catch (err) {
      setFailure(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <NoteDialog
      className="card sup-dialog wl-dialog"
      title={title}
      intro={intro}
      label={w('wl.offer.reason')}
      hint={w('wl.offer.reasonHint')}
      value={note}
      onChange={setNote}
      textareaRef={ref}
      maxLength={REASON_MAX}
      required
      problem={problem}
      failureTitle={w('wl.act.failed')}
      failure={failure}
      confirm={busy ? w('wl.act.busy') : confirm}
      back={w('wl.act.cancel')}
      busy={busy}
      onSubmit={submit}
      onDismiss={onDismiss}
    />
  );
}
