// retire-worker.js: what `httpcodes serve` answers for the site's sw.js (and
// for any other service worker script requested from it). A preview must
// show every save at once, and the site's worker serves pages from a cache
// per build, so this one takes the place of any worker left on this origin
// (by an earlier session, or a build served here by another server),
// deletes the site's caches, removes itself, and loads again from the server
// the pages its predecessor had served. It has no fetch handler: while it
// lives, every request goes to the network.
'use strict';

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('httpcodes ')).map((name) => caches.delete(name)));
    await self.registration.unregister();
    // Pages controlled by the previous worker, maybe shown from its cache.
    // A page this worker never controlled came from the server already.
    const pages = await self.clients.matchAll({ type: 'window' });
    await Promise.all(pages.map((page) => page.navigate(page.url).catch(() => {})));
  })());
});
