// An action that needs a reason (the server requires one): 退回 or 停业 of a facility, 放弃 an offer
// or 撤回 an application. A NoteDialog (native <dialog>: focus on the text, Esc goes back, focus
// returns) that checks the reason is there, sends it and shows the server's refusal inside the
// dialog. The words default to the workbench's; pages in another language or context pass theirs.
import { useRef, useState, type FormEvent } from 'react';
import { NoteDialog } from './NoteDialog.tsx';
import { errorText } from '../format.ts';
import { usePrefs } from '../prefs.tsx';

const NOTE_MAX = 500;

export interface ReasonTexts { label: string; hint: string; needReason: string; failed: string; busy: string; back: string }
const DEFAULT_TEXTS = (max: number): ReasonTexts => ({
  label: '原因', hint: `必填，不超过 ${max} 字；会记入变更记录，机构可以看到。`, needReason: '请写明原因。', failed: '没有完成', busy: '正在提交…', back: '返回',
});

export function ReasonDialog({
  title,
  intro,
  confirm,
  onSend,
  onDismiss,
  maxLength = NOTE_MAX,
  texts,
  className = 'card sup-dialog',
}: {
  title: string;
  intro: string;
  confirm: string;
  onSend: (reason: string) => Promise<void>;
  onDismiss: () => void;
  maxLength?: number;
  texts?: Partial<ReasonTexts>;
  className?: string;
}) {
  const x = { ...DEFAULT_TEXTS(maxLength), ...texts };
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
      setProblem(x.needReason);
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
      className={className}
      title={title}
      intro={intro}
      label={x.label}
      hint={x.hint}
      value={note}
      onChange={setNote}
      textareaRef={ref}
      maxLength={maxLength}
      required
      problem={problem}
      failureTitle={x.failed}
      failure={failure}
      confirm={busy ? x.busy : confirm}
      back={x.back}
      busy={busy}
      onSubmit={submit}
      onDismiss={onDismiss}
    />
  );
}
