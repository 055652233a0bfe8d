// offline.js: registers the service worker (sw.js) of the hosted site, so
// visited pages can be read offline, and handles its updates (README.md,
// "After a deploy"). Does nothing from file://.
'use strict';

(function () {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  const serviceWorker = navigator.serviceWorker;
  const root = new URL(document.documentElement.getAttribute('data-root') || './', location.href);
  const servedBy = serviceWorker.controller; // none on a first visit

  function register() {
    serviceWorker.register(new URL('sw.js', root).href, { scope: root.href }).then(function (registration) {
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'visible') registration.update().catch(function () {});
      });
    }, function () {
      // No service worker (private mode, for one): the site still works online.
    });
    // A loaded page lets the worker delete builds no page uses.
    serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: 'tidy' });
    });
  }

  // A new build took over: the worker keeps serving this page its own
  // build's files, and the page offers to reload into the new one.
  serviceWorker.addEventListener('controllerchange', function () {
    if (!servedBy) return; // the first worker taking over a first visit
    const notice = document.querySelector('[data-update-notice]');
    if (!notice) return;
    const link = notice.querySelector('[data-update-reload]');
    link.href = location.href;
    link.addEventListener('click', function (event) {
      event.preventDefault();
      location.reload();
    });
    notice.hidden = false;
  });

  // A page from the back-forward cache may belong to a deleted build.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && servedBy && serviceWorker.controller !== servedBy) location.reload();
  });

  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
})();
