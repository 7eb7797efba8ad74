import type { MouseEvent } from 'react';
import { usePrefs } from '../prefs.tsx';

export const MAIN_ID = 'main';

/** First focusable element of every page (WCAG 2.4.1). Moves focus itself so that the
 *  router never sees a hash change. */
export function SkipLink() {
  const { t } = usePrefs();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    const main = document.getElementById(MAIN_ID);
    if (!main) return;
    e.preventDefault();
    main.focus();
    main.scrollIntoView();
  };
  return (
    <a className="skip-link" href={`#${MAIN_ID}`} onClick={onClick}>
      {t('common.skipToContent')}
    </a>
  );
}
