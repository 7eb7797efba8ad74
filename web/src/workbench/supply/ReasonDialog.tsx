// 退回 or 停业 with a reason (the server requires one): a NoteDialog that checks the reason is
// there, sends it, and shows the server's refusal inside the dialog.
import { useRef, useState, type FormEvent } from 'react';
import { NoteDialog } from '../../components/NoteDialog.tsx';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';

const NOTE_MAX = 500;

export function ReasonDialog({
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
      setProblem('请写明原因。');
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
      className="card sup-dialog"
      title={title}
      intro={intro}
      label="原因"
      hint={`必填，不超过 ${NOTE_MAX} 字；会记入变更记录，机构可以看到。`}
      value={note}
      onChange={setNote}
      textareaRef={ref}
      maxLength={NOTE_MAX}
      required
      problem={problem}
      failureTitle="没有完成"
      failure={failure}
      confirm={busy ? '正在提交…' : confirm}
      back="返回"
      busy={busy}
      onSubmit={submit}
      onDismiss={onDismiss}
    />
  );
}
