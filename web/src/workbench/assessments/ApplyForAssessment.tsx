// 申请评估 on the person page (advisors and officers): creates an application and opens it.
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { assessmentApi, REASONS, type Applicant, type Channel, type Reason } from './api.ts';

const CHANNELS: readonly Channel[] = ['centre', 'online'];
const APPLICANTS: readonly Applicant[] = ['self', 'family', 'advisor'];

export function ApplyForAssessment({ personId }: { personId: string }) {
  const { t, td } = usePrefs();
  const user = useUser();
  const navigate = useNavigate();
  const [reason, setReason] = useState<Reason>('first');
  const [channel, setChannel] = useState<Channel>('centre');
  const [applicant, setApplicant] = useState<Applicant>(user.role === 'advisor' ? 'advisor' : 'family');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { reason: useId(), channel: useId(), applicant: useId() };

  if (!['advisor', 'officer', 'admin'].includes(user.role)) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const app = await assessmentApi.create({ personId, reason, channel, applicant });
      navigate(`/workbench/assessments/${encodeURIComponent(app.id)}`);
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="apply-title" className="card section-card">
      <h2 id="apply-title">{t('asmt.apply.title')}</h2>
      {error && (
        <div className="notice notice-error" role="alert">
          <p className="notice-title">{t('asmt.apply.failed')}</p>
          <p>{error}</p>
        </div>
      )}
      <form className="filter-grid apply-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={ids.reason}>{t('asmt.field.reason')}</label>
          <select id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value as Reason)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {td(`asmt.reason.${r}`, r)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.channel}>{t('asmt.field.channel')}</label>
          <select id={ids.channel} value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {td(`asmt.channel.${c}`, c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.applicant}>{t('asmt.field.applicant')}</label>
          <select id={ids.applicant} value={applicant} onChange={(e) => setApplicant(e.target.value as Applicant)}>
            {APPLICANTS.map((a) => (
              <option key={a} value={a}>
                {td(`asmt.applicant.${a}`, a)}
              </option>
            ))}
          </select>
        </div>
        <div className="field apply-submit">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? t('asmt.apply.sending') : t('asmt.apply.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
