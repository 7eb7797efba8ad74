// Service worker of the caregiver phone app (issue 8 §4: it opens offline for a whole day).
// Scope /carer, registered only by that page (web/src/carer/pwa.ts). It keeps the app shell:
// - on install, the page (index.html, the same for every SPA path) and every /assets/ file it
//   names, plus the manifest and icons;
// - a navigation under /carer is answered from the cache at once, and the copy is renewed in the
//   background when the network answers (a new build's files are cached before its page is);
// - /assets/ files (content-hashed names, never changed) from the cache, else the network, kept;
// - nothing else: API calls go to the network as they are (the app keeps its data in IndexedDB).
// Files of earlier builds stay until the cache's name changes (a new CACHE version drops them).
/* global self, caches, fetch, URL, Response */
const CACHE = 'yiyang-carer-v1';
const SHELL = '/carer';
const STATIC = ['/carer.webmanifest', '/carer-icon.svg', '/carer-icon-192.png', '/carer-icon-512.png', '/favicon.svg'];

/** The /assets/ files a page names (scripts, styles, preloads). */
function assetsOf(html) {
  const out = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) out.add(m[1]);
  return [...out];
}

/** Fetch the page, cache what it needs, then the page itself (never a page without its files). */
async function cacheShell() {
  const cache = await caches.open(CACHE);
  const res = await fetch(SHELL, { cache: 'no-store', credentials: 'same-origin' });
  if (!res.ok) throw new Error(`shell ${res.status}`);
  const html = await res.clone().text();
  const assets = assetsOf(html);
  const missing = [];
  for (const a of assets) if (!(await cache.match(a))) missing.push(a);
  await cache.addAll(missing);
  await cache.put(SHELL, res);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      await cacheShell();
      const cache = await caches.open(CACHE);
      await Promise.all(STATIC.map((u) => cache.add(u).catch(() => undefined)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key.startsWith('yiyang-carer-') && key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;

  if (req.mode === 'navigate') {
    if (url.pathname !== SHELL && !url.pathname.startsWith(`${SHELL}/`)) return;
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const kept = await cache.match(SHELL);
        const renew = cacheShell().catch(() => undefined);
        if (kept) {
          event.waitUntil(renew);
          return kept;
        }
        try {
          return await fetch(req);
        } catch {
          return new Response('<!doctype html><meta charset="utf-8"><title>颐养护理员</title><p style="font-size:20px;padding:1rem">没有网络，且这台手机上还没有保存护理员应用。请联网后再打开一次。</p>', { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
        }
      })(),
    );
    return;
  }

  if (url.pathname.startsWith('/assets/') || STATIC.includes(url.pathname)) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        const kept = await cache.match(req, { ignoreSearch: true });
        if (kept) return kept;
        const res = await fetch(req);
        if (res.ok) await cache.put(req, res.clone());
        return res;
      })(),
    );
  }
});
