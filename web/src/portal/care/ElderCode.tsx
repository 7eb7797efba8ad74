// 服务确认码 (issue 8 §5: a confirmation by the elder's own phone): six big digits the family or
// the elder tells the caregiver at the door, with until when they hold, a refresh button, and a
// new code fetched by itself when the old one runs out.
import { useCallback, useEffect, useId, useState } from 'react';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { clock } from '../../carer/format.ts';
import { careApi, type ElderCode as Code } from './api.ts';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; code: Code };

export function ElderCode({ personId, level = 3 }: { personId: string; level?: 2 | 3 }) {
  const { t } = usePrefs();
  const id = useId();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const refresh = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    const ctl = new AbortController();
    careApi
      .elderCode(personId, ctl.signal)
      .then((code) => setLoad({ status: 'ok', code }))
      .catch((e: unknown) => !isAbort(e) && !ctl.signal.aborted && setLoad({ status: 'error', message: errorText(e, t) }));
    return () => ctl.abort();
    // t changes with the language only
  }, [personId, attempt]);

  // A new code when this one runs out (a second late, so the server has moved on too).
  useEffect(() => {
    if (load.status !== 'ok') return;
    const wait = Date.parse(load.code.validUntil) - Date.now() + 1000;
    const timer = window.setTimeout(refresh, Math.max(1000, wait));
    return () => window.clearTimeout(timer);
  }, [load, refresh]);

  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section className="care-code-box" aria-labelledby={`${id}-title`} data-testid="care-code">
      <H id={`${id}-title`}>服务确认码</H>
      <p className="care-code-why">护理员上门签到时会问您要这个确认码，请当面告诉护理员，不要在电话里告诉别人。</p>
      {load.status === 'loading' && (
        <p role="status" className="loading">
          正在取确认码…
        </p>
      )}
      {load.status === 'error' && <p className="notice notice-error">暂时取不到确认码：{load.message}</p>}
      {load.status === 'ok' && (
        <>
          <p className="care-code" data-code={load.code.code}>
            <span aria-hidden="true">
              {load.code.code.slice(0, 3)} {load.code.code.slice(3)}
            </span>
            <span className="visually-hidden">{load.code.code.split('').join(' ')}</span>
          </p>
          <p className="care-code-until">有效至 {clock(load.code.validUntil)}，过期后自动更换。</p>
        </>
      )}
      <button type="button" className="button button-secondary" onClick={refresh}>
        刷新确认码
      </button>
    </section>
  );
}
