// Closing an open application before its result: 不予受理 (officers, only from 已申请) and 撤销
// (those who apply, until the first assessor submits). Each asks for a reason in Chinese in a
// modal dialog (native <dialog>: focus moves in, Esc closes, focus returns to the button).
import { useRef, useState, type FormEvent } from 'react';
import { NoteDialog } from '../../components/NoteDialog.tsx';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import type { Role } from '../../api.ts';
import { assessmentApi, type Application, type AssessmentState } from './api.ts';
import { useText } from './text.ts';

type CloseAction = 'reject' | 'cancel';

/** Who may do which move from which state: the server's permissions and state machine (src/assessment/workflow.ts). */
const MOVES: Record<CloseAction, { roles: readonly Role[]; from: readonly AssessmentState[] }> = {
  reject: { roles: ['officer', 'admin'], from: ['applied'] },
  cancel: { roles: ['advisor', 'officer', 'admin'], from: ['applied', 'assigned', 'in_progress'] },
};
/** The server's bound (src/assessment/routes.ts). */
export const REASON_MAX = 500;
const HAN = /\p{Script=Han}/u;

export function closeActionsFor(app: Application, role: Role): CloseAction[] {
  return (Object.keys(MOVES) as CloseAction[]).filter((a) => MOVES[a].roles.includes(role) && MOVES[a].from.includes(app.state));
}

export function CloseApplication({
  app,
  role,
  onClosed,
}: {
  app: Application;
  role: Role;
  onClosed: (next: Application, message: string) => void;
}) {
  const x = useText();
  const [open, setOpen] = useState<CloseAction | null>(null);
  const openers = useRef<Partial<Record<CloseAction, HTMLButtonElement | null>>>({});
  const actions = closeActionsFor(app, role);
  if (actions.length === 0) return null;

  const dismiss = (action: CloseAction) => {
    setOpen(null);
    requestAnimationFrame(() => openers.current[action]?.focus());
  };

  return (
    // set apart from the step above (assign, countersign): closing is not the next step, an exit
    <div role="group" aria-label={x('close.actions')} className="button-row close-actions" style={{ marginTop: '1.5rem' }}>
      {actions.map((a) => (
        <button
          key={a}
          type="button"
          ref={(el) => {
            openers.current[a] = el;
          }}
          className="button button-secondary"
          aria-haspopup="dialog"
          onClick={() => setOpen(a)}
        >
          {x(a === 'reject' ? 'close.reject' : 'close.cancel')}
        </button>
      ))}
      {open && (
        <ReasonDialog
          key={open}
          action={open}
          app={app}
          onDismiss={() => dismiss(open)}
          onDone={(next) => {
            setOpen(null);
            onClosed(next, x(open === 'reject' ? 'close.done.reject' : 'close.done.cancel'));
          }}
        />
      )}
    </div>
  );
}

function ReasonDialog({
  action,
  app,
  onDismiss,
  onDone,
}: {
  action: CloseAction;
  app: Application;
  onDismiss: () => void;
  onDone: (next: Application) => void;
}) {
  const x = useText();
  const { t } = usePrefs();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const check = (v: string): string | null => {
    const s = v.trim();
    if (!s) return x('close.reason.missing');
    if (s.length > REASON_MAX) return x('close.reason.tooLong', { max: REASON_MAX });
    if (!HAN.test(s)) return x('close.reason.notChinese');
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const p = check(reason);
    setProblem(p);
    setFailure(null);
    if (p) {
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const next = await assessmentApi.close(app.id, action, { reason: reason.trim(), ...(typeof app.version === 'number' ? { version: app.version } : {}) });
      onDone(next);
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <NoteDialog
      className="card close-dialog"
      style={{ maxWidth: '40rem', width: 'calc(100% - 2rem)' }}
      title={x(action === 'reject' ? 'close.reject.title' : 'close.cancel.title')}
      intro={x(action === 'reject' ? 'close.reject.intro' : 'close.cancel.intro')}
      label={x('close.reason')}
      hint={x('close.reason.hint', { max: REASON_MAX })}
      value={reason}
      onChange={setReason}
      textareaRef={reasonRef}
      maxLength={REASON_MAX + 100}
      required
      problem={problem}
      failureTitle={t('asmt.action.failed')}
      failure={failure}
      confirm={x(action === 'reject' ? 'close.confirm.reject' : 'close.confirm.cancel')}
      back={x('close.back')}
      busy={busy}
      onSubmit={submit}
      onDismiss={onDismiss}
    />
  );
}
