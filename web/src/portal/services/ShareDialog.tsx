// 发短信给家人/老人: a modal dialog (native <dialog>) with one telephone field — or, when
// searching for someone (为谁查找), a choice to send it to that person's registered number. The
// number is checked here first (11-digit mainland mobile), the server's refusal is shown in its
// own words. Focus stays in the dialog (Tab wraps), Esc closes it, and focus goes back to the
// button that opened it.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError } from '../../api.ts';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { servicesApi, type ShareSent } from './api.ts';
import { isMobile, normalisePhone } from './format.ts';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function ShareDialog({
  facilityIds,
  facilityName,
  person,
  onClose,
}: {
  facilityIds: string[];
  facilityName: string;
  /** The person searched for, when the sender may text them directly. */
  person: { personId: string; name: string } | null;
  onClose: () => void;
}) {
  const { t } = usePrefs();
  const ref = useRef<HTMLDialogElement>(null);
  const phoneRef = useRef<HTMLInputElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const ids = { title: useId(), intro: useId(), phone: useId(), hint: useId(), error: useId(), to: useId() };
  const [to, setTo] = useState<'person' | 'phone'>(person ? 'person' : 'phone');
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<ShareSent | null>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const d = ref.current;
    if (d) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
    if (person) d?.querySelector<HTMLInputElement>('input[type="radio"]:checked')?.focus();
    else phoneRef.current?.focus();
    return () => {
      if (d?.open) d.close();
      opener?.focus();
    };
    // opened once per mount
  }, []);

  useEffect(() => {
    if (sent) doneRef.current?.focus();
  }, [sent]);

  // Tab from the last control goes to the first, Shift+Tab from the first to the last.
  const trap = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    let body: { facilityIds: string[]; phone: string } | { facilityIds: string[]; personId: string };
    if (to === 'person' && person) {
      body = { facilityIds, personId: person.personId };
    } else {
      if (!phone.trim()) {
        setProblem('请填写手机号码。');
        phoneRef.current?.focus();
        return;
      }
      if (!isMobile(phone)) {
        setProblem('手机号码应该是 11 位数字，以 1 开头，例如 13812345678。');
        phoneRef.current?.focus();
        return;
      }
      body = { facilityIds, phone: normalisePhone(phone) };
    }
    setProblem(null);
    setBusy(true);
    try {
      setSent(await servicesApi.share(body));
    } catch (err) {
      const field = err instanceof ApiError && err.status === 400 && to === 'phone';
      if (field) {
        setProblem(errorText(err, t));
        phoneRef.current?.focus();
      } else {
        setFailure(errorText(err, t));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="svc-dialog"
      aria-labelledby={ids.title}
      aria-describedby={ids.intro}
      onKeyDown={trap}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={ids.title}>发短信给家人或老人</h2>
      <p id={ids.intro}>把“{facilityName}”的名称、地址和电话用短信发出去，方便家人或老人查看。</p>
      {sent ? (
        <div className="stack">
          <p ref={doneRef} tabIndex={-1} className="notice svc-sent" role="status">
            <strong>
              <span aria-hidden="true">✓ </span>短信已发送到 {sent.to}。
            </strong>
          </p>
          <div className="svc-sms-text">
            <p className="muted">短信内容：</p>
            <p>{sent.text}</p>
          </div>
          <div className="button-row">
            <button type="button" className="button button-primary" onClick={onClose}>
              关闭
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy || undefined}>
          {person && (
            <fieldset className="field">
              <legend>发给谁</legend>
              <div className="option-list">
                <label className="option-card" data-checked={to === 'person' || undefined}>
                  <input type="radio" name={ids.to} checked={to === 'person'} onChange={() => setTo('person')} />
                  <span className="option-label">{person.name}（用登记的手机号码）</span>
                </label>
                <label className="option-card" data-checked={to === 'phone' || undefined}>
                  <input type="radio" name={ids.to} checked={to === 'phone'} onChange={() => setTo('phone')} />
                  <span className="option-label">另填一个手机号码</span>
                </label>
              </div>
            </fieldset>
          )}
          {to === 'phone' && (
            <div className="field">
              <label htmlFor={ids.phone}>手机号码</label>
              <p id={ids.hint} className="hint">
                11 位手机号码。只用来发这一条短信，不会保存。
              </p>
              {problem && (
                <p id={ids.error} className="field-error" role="alert">
                  {problem}
                </p>
              )}
              <input
                ref={phoneRef}
                id={ids.phone}
                type="tel"
                inputMode="numeric"
                autoComplete="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${ids.error} ${ids.hint}` : ids.hint}
              />
            </div>
          )}
          {failure && (
            <div className="notice notice-error" role="alert">
              <p className="notice-title">短信没有发出去</p>
              <p>{failure}</p>
            </div>
          )}
          <div className="button-row">
            <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
              {busy ? '正在发送…' : '发送短信'}
            </button>
            <button type="button" className="button button-secondary" onClick={onClose}>
              取消
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
