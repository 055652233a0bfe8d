// server.mjs: a small static server for the browser tests that hosts a built
// site the way GitHub Pages hosts a project site: under a path prefix
// (/httpcodes/), folders served by their index.html, folders without a
// trailing slash redirected to it, and every unknown path answered with the
// site's 404.html and status 404.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sirv from 'sirv';

/**
 * Starts serving `dir` under `prefix` on 127.0.0.1 with an ephemeral port
 * (with `gzip`, serving the precompressed `x.gz` beside a file `x` when the
 * client accepts gzip, as GitHub Pages compresses text files).
 * Returns { origin, root, serveFrom(dir), close() } where root is origin +
 * prefix; serveFrom switches to another folder at once, as a deploy would.
 */
export async function startServer(dir, prefix = '/httpcodes/', { gzip = false } = {}) {
  let siteDir;
  let serve;
  let notFoundPage;
  function serveFrom(newDir) {
    siteDir = path.resolve(newDir);
    // dev: read files on each request, so a rebuilt site is served as it is now.
    // gzip: a file's `.gz` copy, where there is one, goes to clients that accept it.
    serve = sirv(siteDir, { dev: true, etag: true, extensions: [], dotfiles: false, gzip });
    notFoundPage = path.join(siteDir, '404.html');
  }
  serveFrom(dir);

  function notFound(res) {
    const body = fs.existsSync(notFoundPage) ? fs.readFileSync(notFoundPage) : 'Not found';
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      notFound(res);
      return;
    }
    if (pathname === prefix.slice(0, -1)) {
      res.writeHead(301, { Location: prefix + url.search });
      res.end();
      return;
    }
    if (!pathname.startsWith(prefix) || pathname.includes('\0')) {
      notFound(res);
      return;
    }
    let inside = pathname.slice(prefix.length - 1); // keeps the leading "/"
    if (inside.endsWith('/')) {
      inside += 'index.html';
    } else if (isDirectory(path.join(siteDir, inside))) {
      res.writeHead(301, { Location: url.pathname + '/' + url.search });
      res.end();
      return;
    }
    // Each segment encoded whole: encodeURI would leave a `#` or `?` in a
    // file name to cut the path short.
    req.url = inside.split('/').map(encodeURIComponent).join('/') + url.search;
    serve(req, res, () => notFound(res));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    root: origin + prefix,
    serveFrom,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function isDirectory(file) {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
