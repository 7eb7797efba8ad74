// Makes /carer an installable app that opens offline (issue 8 §4): the web app manifest and the
// theme colour are added to the page's head while the caregiver app is shown (the other pages
// share index.html and stay plain web pages), and the service worker (public/carer-sw.js, scope
// /carer) is registered from here only.
import { useEffect, useState } from 'react';

export const SW_URL = '/carer-sw.js';
export const SW_SCOPE = '/carer';

function addHead(tag: 'link' | 'meta', attrs: Record<string, string>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.dataset.carer = '1';
  document.head.appendChild(el);
  return el;
}

/** The manifest, theme colour and home-screen icon in <head> while mounted. */
export function useAppManifest(): void {
  useEffect(() => {
    const added = [
      addHead('link', { rel: 'manifest', href: '/carer.webmanifest' }),
      addHead('meta', { name: 'theme-color', content: '#0b5874' }),
      addHead('link', { rel: 'apple-touch-icon', href: '/carer-icon-192.png' }),
      addHead('meta', { name: 'apple-mobile-web-app-capable', content: 'yes' }),
    ];
    return () => {
      for (const el of added) el.remove();
    };
  }, []);
}

export type OfflineReady = 'unsupported' | 'installing' | 'ready' | 'failed';

/** Registers the service worker; `ready` once the app shell is cached (the app then opens offline). */
export function useServiceWorker(): OfflineReady {
  const [state, setState] = useState<OfflineReady>(() => (typeof navigator !== 'undefined' && 'serviceWorker' in navigator ? 'installing' : 'unsupported'));
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    let live = true;
    navigator.serviceWorker
      .register(SW_URL, { scope: SW_SCOPE })
      .then(() => navigator.serviceWorker.ready)
      .then(() => live && setState('ready'))
      .catch(() => live && setState('failed'));
    return () => {
      live = false;
    };
  }, []);
  return state;
}
