import { useEffect, useState } from 'react';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { thisMonth } from './api.ts';

export type MonthLoad<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: T };

/**
 * A month to show (this month by default) and what `fetch` gives for it: asked again when the
 * month or `version` changes, the earlier request aborted.
 */
export function useMonthLoad<T>(fetch: (month: string, signal: AbortSignal) => Promise<T>, version = 0) {
  const { t } = usePrefs();
  const [month, setMonth] = useState(thisMonth);
  const [load, setLoad] = useState<MonthLoad<T>>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ status: 'loading' });
    fetch(month, ctl.signal)
      .then((data) => setLoad({ status: 'ok', data }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setLoad({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // fetch is a module-level API call; t changes with the language only
  }, [month, version]);

  return { month, setMonth, load };
}
