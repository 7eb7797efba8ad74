// A month picker for the statement and the settlement: this month and the 23 before it, by name.
// Choosing one reloads the table below it (no change of page or focus).
import { useId } from 'react';
import { usePrefs } from '../../prefs.tsx';
import { monthName, recentMonths } from './api.ts';

const MONTHS_SHOWN = 24;

export function MonthSelect({ label, value, onChange }: { label: string; value: string; onChange(month: string): void }) {
  const { lang } = usePrefs();
  const id = useId();
  const months = recentMonths(MONTHS_SHOWN);
  if (!months.includes(value)) months.push(value);
  return (
    <div className="field vch-month">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {months.map((m) => (
          <option key={m} value={m}>
            {monthName(m, lang)}
          </option>
        ))}
      </select>
    </div>
  );
}
