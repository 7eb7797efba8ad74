import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { errorText, isAbort } from '../format.ts';
import { usePrefs } from '../prefs.tsx';

export type ItemsLoad<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: T[] };

/**
 * A list the page asks the API for (`fetch` gives `{ items }`), again each time `attempt`
 * changes, the earlier request aborted; the setter lets the page update rows it changed itself.
 */
export function useItemsLoad<T>(fetch: (signal: AbortSignal) => Promise<{ items: T[] }>, attempt: number): [ItemsLoad<T>, Dispatch<SetStateAction<ItemsLoad<T>>>] {
  const { t } = usePrefs();
  const [list, setList] = useState<ItemsLoad<T>>({ status: 'loading' });

  useEffect(() => {
    const ctl = new AbortController();
    fetch(ctl.signal)
      .then((r) => setList({ status: 'ok', items: r.items }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setList({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
    // fetch is a module-level API call; t changes with the language only
  }, [attempt]);

  return [list, setList];
}
