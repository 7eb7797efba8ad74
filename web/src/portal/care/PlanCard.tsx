// A care plan as the family reads it (issue 8 §2): who provides it, the weekly minutes against
// the LTCI cap, the visits by weekday, the service items, the dates; a draft is confirmed here
// (确认后生效，机构按计划安排上门), after a second, explicit press.
import { useEffect, useId, useRef, useState } from 'react';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { dateLabel, minutesText, SERVICE_KIND_NAMES, WEEKDAYS } from '../../carer/format.ts';
import { careApi, PLAN_STATUS_NAMES, type PlanView } from './api.ts';

export function PlanCard({ plan, onChanged }: { plan: PlanView; onChanged: (p: PlanView) => void }) {
  const { t } = usePrefs();
  const id = useId();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [made, setMade] = useState<number | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  // Focus moves once what it moves to is on the page (after the render that shows it).
  const focusNext = useRef<'done' | 'confirm' | 'ask' | null>(null);
  useEffect(() => {
    const target = focusNext.current === 'done' ? doneRef.current : focusNext.current === 'confirm' ? confirmRef.current : focusNext.current === 'ask' ? askRef.current : null;
    if (target) {
      focusNext.current = null;
      target.focus();
    }
  });
  const slots = [...plan.slots].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  const share = plan.capMinutes > 0 ? Math.min(1, plan.weeklyMinutes / plan.capMinutes) : 0;

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await careApi.confirm(plan.id);
      focusNext.current = 'done';
      setMade(r.ordersMade);
      setAsking(false);
      onChanged(r);
    } catch (e) {
      setFailure(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="care-plan" aria-labelledby={`${id}-title`} data-testid="care-plan" data-plan={plan.id} data-status={plan.status}>
      <h4 id={`${id}-title`} className="care-plan-title">
        {plan.providerName || '服务机构'}的照护计划
        <span className="tag" data-status={plan.status}>
          {PLAN_STATUS_NAMES[plan.status]}
        </span>
      </h4>
      <dl className="care-facts">
        <div>
          <dt>每周服务</dt>
          <dd>
            <span data-testid="care-plan-minutes">
              {minutesText(plan.weeklyMinutes)}（长护险每周最多 {minutesText(plan.capMinutes)}）
            </span>
            <span className="care-bar" aria-hidden="true">
              <span style={{ width: `${Math.round(share * 100)}%` }} />
            </span>
          </dd>
        </div>
        <div>
          <dt>上门时间</dt>
          <dd>
            <ul className="care-slots">
              {slots.map((s) => (
                <li key={`${s.weekday}-${s.start}`}>
                  {WEEKDAYS[s.weekday]} {s.start}，{minutesText(s.minutes)}（{SERVICE_KIND_NAMES[s.kind] ?? s.kind}）
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>服务项目</dt>
          <dd>{plan.items.map((i) => i.name).join('、')}</dd>
        </div>
        <div>
          <dt>计划期限</dt>
          <dd>
            {dateLabel(plan.validFrom)} 至 {dateLabel(plan.validTo)}
          </dd>
        </div>
        {plan.note && (
          <div>
            <dt>说明</dt>
            <dd>{plan.note}</dd>
          </div>
        )}
      </dl>
      {made !== null && (
        <p className="notice" ref={doneRef} tabIndex={-1} role="status">
          计划已确认并生效。机构已按计划排出接下来 {made} 次上门服务。
        </p>
      )}
      {plan.status === 'draft' && (
        <div className="care-confirm">
          <p>请核对以上安排：时间、服务项目都合适，就确认这份计划；要改动，请先打电话给服务机构。</p>
          {!asking ? (
            <button
              ref={askRef}
              type="button"
              className="button button-primary button-big"
              onClick={() => {
                focusNext.current = 'confirm';
                setAsking(true);
              }}
            >
              确认这份计划
            </button>
          ) : (
            <div className="care-ask" role="group" aria-label="确认照护计划">
              <p>确认后计划生效，机构会按计划派护理员上门，每次上门都有记录。</p>
              <div className="button-row">
                <button ref={confirmRef} type="button" className="button button-primary button-big" aria-disabled={busy || undefined} onClick={() => void confirm()}>
                  {busy ? '正在确认…' : '确认，计划生效'}
                </button>
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => {
                    focusNext.current = 'ask';
                    setAsking(false);
                  }}
                >
                  先不确认
                </button>
              </div>
            </div>
          )}
          {failure && (
            <p className="notice notice-error" role="alert">
              没有确认成功：{failure}
            </p>
          )}
        </div>
      )}
    </article>
  );
}
