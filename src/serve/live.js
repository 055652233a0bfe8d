// live.js: the live preview of `httpcodes serve` (src/serve/). Added to every
// page by serve only, never to a build. It listens to the server's event
// stream: `reload` when a new build is served, `problems` when the last save
// broke the build (shown in an overlay, styled by overlay.css, until the next
// good build reloads the page), and `hello` on each connection, naming the
// build the page should show. Only a visible tab keeps a connection open
// (browsers allow a handful per server); a tab that comes back into view
// reconnects and reloads if the build changed meanwhile.
'use strict';

(function () {
  const EVENTS = '/__httpcodes/events';
  const STYLE = '/__httpcodes/overlay.css';
  const OVERLAY_ID = '__httpcodes-overlay';
  let shownBuild = null;
  let source = null;

  function connect() {
    if (source) return;
    source = new EventSource(EVENTS);
    source.addEventListener('hello', function (event) {
      if (shownBuild === null) shownBuild = event.data;
      else if (event.data !== shownBuild) location.reload();
      showProblems([]);
    });
    source.addEventListener('reload', function () {
      location.reload();
    });
    source.addEventListener('problems', function (event) {
      showProblems(JSON.parse(event.data));
    });
  }

  function disconnect() {
    if (!source) return;
    source.close();
    source = null;
  }

  // The overlay: one entry per problem, with where it is, what is wrong and
  // the line it is on. Text only (textContent), styled by a served file.
  function showProblems(problems) {
    const old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
    if (problems.length === 0) return;
    addStyle();
    const overlay = element('section', 'httpcodes-overlay');
    overlay.id = OVERLAY_ID;
    overlay.setAttribute('role', 'alert');
    overlay.setAttribute('aria-label', 'Build problems');
    const errors = problems.filter(function (problem) { return problem.severity === 'error'; }).length;
    const title = element('h2', 'httpcodes-overlay-title',
      'The site did not build: ' + errors + (errors === 1 ? ' problem' : ' problems') +
      ' (this page is from the last good build)');
    const close = element('button', 'httpcodes-overlay-close', 'Hide');
    close.type = 'button';
    close.addEventListener('click', function () { overlay.remove(); });
    overlay.append(close, title);
    const list = element('ol', 'httpcodes-overlay-list');
    for (const problem of problems) {
      const item = element('li', 'httpcodes-overlay-problem');
      item.append(element('p', 'httpcodes-overlay-where', where(problem)));
      item.append(element('p', 'httpcodes-overlay-message', problem.severity + ': ' + problem.message));
      if (problem.source_line !== null && problem.source_line !== undefined) {
        const pre = element('pre', 'httpcodes-overlay-source');
        pre.append(element('code', '', problem.line + ' | ' + problem.source_line));
        item.append(pre);
      }
      if (problem.hint) {
        item.append(element('p', 'httpcodes-overlay-hint', problem.hint));
      }
      list.append(item);
    }
    overlay.append(list);
    document.body.append(overlay);
  }

  function where(problem) {
    if (!problem.line) return problem.file;
    return problem.file + ':' + problem.line + (problem.column ? ':' + problem.column : '');
  }

  function element(name, className, text) {
    const node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addStyle() {
    if (document.querySelector('link[data-httpcodes-overlay]')) return;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLE;
    link.setAttribute('data-httpcodes-overlay', '');
    document.head.append(link);
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') connect();
    else disconnect();
  });
  // Leaving the page (or entering the back-forward cache) frees the connection.
  window.addEventListener('pagehide', disconnect);
  window.addEventListener('pageshow', function () {
    if (document.visibilityState === 'visible') connect();
  });
  if (document.visibilityState === 'visible') connect();
})();
