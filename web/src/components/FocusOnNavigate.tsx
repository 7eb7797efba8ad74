import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { MAIN_ID } from './SkipLink.tsx';

/** After an in-app navigation, move focus to the new page's heading so that screen-reader
 *  and keyboard users start at the top of the new content (not on the link they used). */
export function FocusOnNavigate({ onMount = false }: { onMount?: boolean }) {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      if (!onMount) return;
    }
    const main = document.getElementById(MAIN_ID);
    const heading = main?.querySelector<HTMLElement>('h1');
    const target = heading ?? main;
    if (!target) return;
    if (target === heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [pathname]);
  return null;
}
