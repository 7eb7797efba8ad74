// What the 服务供给 pages share: loading a resource with abort and retry, the catalogue, money in
// yuan (src/core/money.ts writes it; nothing here divides by 100), dates, status tags in words.
import { useEffect, useState, type DependencyList } from 'react';
import { yuanDecimal, yuanToFen as parseYuan } from '../../../../src/core/money.ts';
import { errorText, formatDateTime, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { loadCatalogue, PRICE_UNIT_NAMES, type Catalogue, type FacilityStatus, type PriceUnit } from './api.ts';

export type Load<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: T };

/** Reads `fetch` again whenever `deps` change (the earlier request aborted); `reload` asks again. */
export function useLoad<T>(fetch: (signal: AbortSignal) => Promise<T>, deps: DependencyList): [Load<T>, () => void, (data: T) => void] {
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setLoad((l) => (l.status === 'ok' ? l : { status: 'loading' }));
    fetch(ctl.signal)
      .then((data) => setLoad({ status: 'ok', data }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // fetch is built from deps by the caller
  }, [...deps, attempt]);
  return [load, () => setAttempt((n) => n + 1), (data: T) => setLoad({ status: 'ok', data })];
}

/** The catalogue (facility types, functions by category, bed kinds), or null while it loads. */
export function useCatalogue(): Catalogue | null {
  const [c, setC] = useState<Catalogue | null>(null);
  useEffect(() => {
    let live = true;
    loadCatalogue()
      .then((x) => live && setC(x))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return c;
}

/** 3,500.00 元 */
export function yuanText(fen: number): string {
  const [whole = '0', cents] = yuanDecimal(fen).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}.${cents ?? '00'} 元`;
}

/** 3500.00 (a form's value, no grouping). */
export const yuanInput = (fen: number): string => yuanDecimal(fen, { trimWhole: true });

/** "3500" / "12.5" → fen; null when it is not an amount with at most two decimals. */
export function fenOf(text: string): number | null {
  const s = text.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  try {
    return parseYuan(s);
  } catch {
    return null;
  }
}

export const unitName = (u: string): string => PRICE_UNIT_NAMES[u as PriceUnit] ?? u;

export function useDateTime(): (iso: string | null | undefined) => string {
  const { lang } = usePrefs();
  return (iso) => formatDateTime(iso, lang);
}

/** A facility's or provider's filing status as a tag with its name (colour is not the only cue). */
export function StatusTag({ status, name }: { status: FacilityStatus | string; name: string }) {
  return (
    <span className={`tag sup-status sup-status-${status}`} data-status={status}>
      {name}
    </span>
  );
}

const NUM = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
export const num = (n: number): string => NUM.format(n);
