// One visit as the family sees it (issue 8 §4: "the family sees visits as they happen and can
// rate each one"): 进行中 or 已完成, the caregiver, check-in and check-out, the items done, the
// note and the photos' count; a finished visit is rated 1–5 stars with a comment. The stars are a
// group of real radio buttons (arrow keys move between them), each named in words.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { clock, dayLabel } from '../../carer/format.ts';
import { careApi, STAR_WORDS, VISIT_STATUS_NAMES, type FamilyVisit } from './api.ts';

export function VisitItem({ visit, onRated }: { visit: FamilyVisit; onRated: (v: FamilyVisit) => void }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const editRef = useRef<HTMLButtonElement>(null);
  // After rating (or not changing it), the focus goes to 修改评价 once it is on the page.
  const focusEdit = useRef(false);
  useEffect(() => {
    if (focusEdit.current && editRef.current) {
      focusEdit.current = false;
      editRef.current.focus();
    }
  });
  const v = visit;
  return (
    <li className="care-visit" aria-labelledby={`${id}-title`} data-testid="care-visit" data-visit={v.id} data-status={v.status}>
      <h4 id={`${id}-title`} className="care-visit-title">
        {dayLabel(v.checkIn)} {clock(v.checkIn)}
        <span className="tag" data-status={v.status} data-testid="care-visit-status">
          {VISIT_STATUS_NAMES[v.status]}
        </span>
      </h4>
      <dl className="care-facts">
        <div>
          <dt>护理员</dt>
          <dd>{v.caregiverName || '—'}</dd>
        </div>
        <div>
          <dt>签到</dt>
          <dd>{clock(v.checkIn)}</dd>
        </div>
        <div>
          <dt>签退</dt>
          <dd>{v.checkOut ? `${clock(v.checkOut)}（共 ${v.minutes ?? 0} 分钟）` : v.status === 'in_progress' ? '服务中' : '—'}</dd>
        </div>
        {v.items.length > 0 && (
          <div>
            <dt>服务项目</dt>
            <dd>{v.items.map((i) => i.name).join('、')}</dd>
          </div>
        )}
        {v.note && (
          <div>
            <dt>护理员备注</dt>
            <dd>{v.note}</dd>
          </div>
        )}
        {v.photoCount > 0 && (
          <div>
            <dt>照片</dt>
            <dd>{v.photoCount} 张（由机构保存）</dd>
          </div>
        )}
        {v.payer === 'self' && (
          <div>
            <dt>付费</dt>
            <dd>自费服务</dd>
          </div>
        )}
      </dl>
      {v.status === 'done' && v.rating && !editing && (
        <div className="care-rated" data-testid="care-rated">
          <p>
            您的评价：<span aria-hidden="true" className="care-stars-shown">{'★'.repeat(v.rating.stars)}{'☆'.repeat(5 - v.rating.stars)}</span> {v.rating.stars} 星（{STAR_WORDS[v.rating.stars]}）
            {v.rating.comment ? `，“${v.rating.comment}”` : ''}
          </p>
          <button ref={editRef} type="button" className="button button-secondary" onClick={() => setEditing(true)}>
            修改评价
          </button>
        </div>
      )}
      {v.status === 'done' && (!v.rating || editing) && (
        <RatingForm
          visit={v}
          onDone={(r) => {
            focusEdit.current = true;
            setEditing(false);
            onRated({ ...v, rating: r });
          }}
          onCancel={
            v.rating
              ? () => {
                  focusEdit.current = true;
                  setEditing(false);
                }
              : undefined
          }
        />
      )}
    </li>
  );
}

function RatingForm({ visit, onDone, onCancel }: { visit: FamilyVisit; onDone: (r: NonNullable<FamilyVisit['rating']>) => void; onCancel?: () => void }) {
  const { t } = usePrefs();
  const id = useId();
  const [stars, setStars] = useState<number | null>(visit.rating?.stars ?? null);
  const [comment, setComment] = useState(visit.rating?.comment ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!stars) {
      setProblem('请先选择 1 到 5 星。');
      firstRef.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      const text = comment.trim() || null;
      await careApi.rate(visit.id, stars, text);
      onDone({ stars, comment: text, ratedAt: new Date().toISOString() });
    } catch (err) {
      setFailure(errorText(err, t));
      setBusy(false);
    }
  };

  return (
    <form className="care-rate" onSubmit={(e) => void submit(e)} noValidate data-testid="care-rate">
      <fieldset className="field" aria-describedby={problem ? `${id}-problem` : undefined}>
        <legend>为这次服务打分</legend>
        {problem && (
          <p id={`${id}-problem`} className="field-error">
            {problem}
          </p>
        )}
        <div className="care-stars">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="option-card care-star" data-checked={stars === n || undefined}>
              <input ref={n === 1 ? firstRef : undefined} type="radio" name={`${id}-stars`} value={n} checked={stars === n} onChange={() => setStars(n)} />
              <span className="option-label">
                <span aria-hidden="true" className="care-stars-shown">
                  {'★'.repeat(n)}
                </span>{' '}
                {n} 星（{STAR_WORDS[n]}）
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-comment`}>想说的话（可以不填）</label>
        <textarea id={`${id}-comment`} rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      {failure && (
        <p className="notice notice-error" role="alert">
          评价没有提交成功：{failure}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary button-big" aria-disabled={busy || undefined}>
          {busy ? '正在提交…' : '提交评价'}
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            不改了
          </button>
        )}
      </div>
    </form>
  );
}
