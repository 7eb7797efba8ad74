// A date as three boxes (年 月 日): easier for older people than a calendar pop-up, and usable
// by keyboard and screen reader alike. The legend names the date; errors sit next to it.
import { useId, type RefObject } from 'react';
import { usePrefs } from '../prefs.tsx';

export interface DateValue {
  year: string;
  month: string;
  day: string;
}

export const EMPTY_DATE: DateValue = { year: '', month: '', day: '' };

export function isEmptyDate(d: DateValue): boolean {
  return !d.year.trim() && !d.month.trim() && !d.day.trim();
}

/** YYYY-MM-DD when the three parts make a real calendar date, else null. */
export function dateOf(d: DateValue): string | null {
  const y = d.year.trim();
  const m = d.month.trim();
  const day = d.day.trim();
  if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(m) || !/^\d{1,2}$/.test(day)) return null;
  const yn = Number(y);
  const mn = Number(m);
  const dn = Number(day);
  if (mn < 1 || mn > 12 || dn < 1) return null;
  const last = new Date(Date.UTC(yn, mn, 0)).getUTCDate();
  if (dn > last) return null;
  return `${y}-${String(mn).padStart(2, '0')}-${String(dn).padStart(2, '0')}`;
}

export function DateParts({
  legend,
  hint,
  optional,
  value,
  onChange,
  error,
  firstRef,
  name,
}: {
  legend: string;
  hint?: string;
  optional?: boolean;
  value: DateValue;
  onChange(v: DateValue): void;
  error?: string | null;
  firstRef?: RefObject<HTMLInputElement | null>;
  name: string;
}) {
  const { t } = usePrefs();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const part = (key: keyof DateValue, label: string, size: 'year' | 'short', ref?: RefObject<HTMLInputElement | null>) => (
    <div className={`date-part date-part-${size}`}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        ref={ref}
        id={`${id}-${key}`}
        name={`${name}-${key}`}
        inputMode="numeric"
        autoComplete={name === 'birth' ? (key === 'year' ? 'bday-year' : key === 'month' ? 'bday-month' : 'bday-day') : 'off'}
        maxLength={key === 'year' ? 4 : 2}
        value={value[key]}
        onChange={(e) => onChange({ ...value, [key]: e.target.value.replace(/[^\d]/g, '') })}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
  return (
    <fieldset className="field date-field">
      <legend>
        {legend}
        {optional && <span className="optional">{t('check.optional')}</span>}
      </legend>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      <div className="date-parts">
        {part('year', t('check.year'), 'year', firstRef)}
        {part('month', t('check.month'), 'short')}
        {part('day', t('check.day'), 'short')}
      </div>
    </fieldset>
  );
}
