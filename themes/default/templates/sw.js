// sw.js: the service worker of the hosted httpcodes site, so every page can
// be read offline once the site has been visited. Rendered by the build from
// themes/default/templates/sw.js with `version` (a hash of the build) and
// `files` (a JSON array of every file of the build, URL-encoded and
// relative to the site root).
'use strict';

const VERSION = '{{ version }}';
const FILES = {{ files | safe }};

// The site root, e.g. https://example.github.io/httpcodes/. Several sites may
// share an origin (and so the Cache Storage), hence the root in the name.
const SCOPE = self.registration.scope;
const PREFIX = 'httpcodes ' + SCOPE + ' ';
const CACHE = PREFIX + VERSION;
const PRECACHED = new Set(FILES.map((file) => new URL(file, SCOPE).href));
const NOT_FOUND_PAGE = new URL('404.html', SCOPE).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // `reload` skips the HTTP cache, so the files match this build.
      .then((cache) => cache.addAll(Array.from(PRECACHED, (url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

// The cached file for a URL: "…/404/" is "…/404/index.html"; query and
// fragment do not matter for a static site.
function fileUrl(requestUrl) {
  const url = new URL(requestUrl);
  url.search = '';
  url.hash = '';
  if (url.pathname.endsWith('/')) url.pathname += 'index.html';
  return url.href;
}

// The cached 404 page, answered with status 404.
async function notFound() {
  const page = await caches.match(NOT_FOUND_PAGE, { cacheName: CACHE });
  if (!page) return Response.error();
  return new Response(page.body, { status: 404, statusText: 'Not Found', headers: page.headers });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const file = fileUrl(request.url);

  if (PRECACHED.has(file)) {
    event.respondWith(
      caches.open(CACHE)
        .then((cache) => cache.match(file))
        .then((cached) => cached || fetch(request))
        .catch(() => (request.mode === 'navigate' ? notFound() : Response.error())),
    );
  } else if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(notFound));
  }
  // Anything else goes to the network as if there were no service worker.
});
