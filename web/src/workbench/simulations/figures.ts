// The figures of a simulation as the tables show them: the same rows for a scheme, a district and
// a comparison. Money schemes in yuan (the API counts fen); 长护险 in hours of home care a week;
// 保基本床位 has no cost. Signs are written out (+/−), never left to colour.
import { usePrefs } from '../../prefs.tsx';
import type { Example, Figures, SimScheme } from './api.ts';
import { numberText, yuanOf } from './params.ts';
import { useSimText, type SimKey } from './text.ts';

export const FIGURE_KEYS = ['eligibleBefore', 'eligibleAfter', 'gaining', 'losing', 'changed', 'unchanged', 'monthly', 'yearly'] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export const FIGURE_LABELS: Record<FigureKey, SimKey> = {
  eligibleBefore: 'sim.fig.eligibleBefore',
  eligibleAfter: 'sim.fig.eligibleAfter',
  gaining: 'sim.fig.gaining',
  losing: 'sim.fig.losing',
  changed: 'sim.fig.changed',
  unchanged: 'sim.fig.unchanged',
  monthly: 'sim.fig.monthly',
  yearly: 'sim.fig.yearly',
};

/** The number behind a cell: people, fen (money schemes), hours a week (长护险 monthly column), or null (no cost). */
export function figureValue(scheme: SimScheme, f: Figures, key: FigureKey): number | null {
  if (key === 'monthly') {
    if (scheme === 'ltci') return f.amountAfter - f.amountBefore;
    return f.monthlyFenDelta;
  }
  if (key === 'yearly') return f.yearlyFenDelta;
  return f[key];
}

export function useFigureFormat() {
  const { lang } = usePrefs();
  const x = useSimText();
  const locale = lang === 'en' ? 'en' : 'zh-CN';
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const signed = new Intl.NumberFormat(locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
  const fmt = (n: number, sign: boolean) => (sign ? signed : plain).format(n).replace('-', '−');

  /** A cell's text; `diff` for the difference column of a comparison (always signed). */
  const text = (scheme: SimScheme, key: FigureKey, value: number | null, diff = false): string => {
    if (key === 'monthly' || key === 'yearly') {
      if (value === null) return scheme === 'ltci' && key === 'yearly' ? '—' : x('sim.fig.notMoney');
      if (scheme === 'ltci') return x('sim.fig.hours', { n: fmt(value, true) });
      return x('sim.fig.yuan', { n: fmt(value / 100, true) });
    }
    return value === null ? '—' : fmt(value, diff);
  };
  return { text, count: (n: number) => plain.format(n) };
}

/** Before or after of an example person: the amount, the hours, the tier, or 不符合. */
export function useExampleValue(): (scheme: SimScheme, v: number | null) => string {
  const { lang } = usePrefs();
  const x = useSimText();
  return (scheme, v) => {
    if (v === null) return x('sim.examples.notEligible');
    if (scheme === 'ltci') return numberText(lang, v, 'hours/week');
    if (scheme === 'basicBed') return x('sim.examples.tier', { n: v });
    return x('sim.value.fen/month', { n: yuanOf(v) });
  };
}

export type { Example };
