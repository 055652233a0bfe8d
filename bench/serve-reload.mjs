// serve-reload.mjs: how long `httpcodes serve` takes from a save to the
// reload event reaching an open tab, on a copy of the real site.
//
// Usage: node bench/serve-reload.mjs BINARY [RUNS]   (bench/serve-reload.sh
// builds the release binary and runs this). Copies site.yaml, content/,
// themes/ (and templates/, if any) to a temporary folder, serves it on a free
// port, subscribes to /__httpcodes/events, then RUNS times appends a line to
// one page and measures from just before the write to the `reload` event.
// Prints every time, then the median and the 95th percentile. Node's
// standard library only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = process.argv[2];
const runs = Number(process.argv[3] || 50);
if (!binary || !(runs > 0)) {
  console.error('usage: node bench/serve-reload.mjs BINARY [RUNS]');
  process.exit(2);
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'httpcodes-serve-bench-'));
for (const name of ['site.yaml', 'content', 'themes', 'templates']) {
  const from = path.join(REPO, name);
  if (fs.existsSync(from)) fs.cpSync(from, path.join(root, name), { recursive: true });
}
// The page edited: the first code page (any page would do).
const classes = fs.readdirSync(path.join(root, 'content')).filter((name) => /^\dxx$/.test(name)).sort();
const pageFile = classes
  .flatMap((folder) => fs.readdirSync(path.join(root, 'content', folder)).map((name) => path.join(root, 'content', folder, name)))
  .find((file) => file.endsWith('.md') && !file.endsWith('_index.md'));
const original = fs.readFileSync(pageFile, 'utf8');

const server = spawn(binary, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const cleanUp = () => {
  server.kill();
  fs.rmSync(root, { recursive: true, force: true });
};
process.on('exit', cleanUp);

const serverLines = readline.createInterface({ input: server.stdout });
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('serve printed no URL in 60 s')), 60000);
  serverLines.on('line', (line) => {
    const found = /^Serving (\S+)/.exec(line);
    if (found) {
      clearTimeout(timer);
      resolve(found[1]);
    }
  });
});
const rebuildLines = [];
serverLines.on('line', (line) => {
  if (line.startsWith('Rebuilt')) rebuildLines.push(line);
});

// One subscriber, as a tab would be; `waitForReload` resolves on the next reload.
let onReload = null;
await new Promise((resolve, reject) => {
  const request = http.get(new URL('/__httpcodes/events', url), (response) => {
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (chunk) => {
      const arrived = performance.now();
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: hello$/m.test(block)) resolve();
        if (/^event: reload$/m.test(block) && onReload) onReload(arrived);
        if (/^event: problems$/m.test(block)) console.error('the build broke:', block);
      }
    });
  });
  request.on('error', reject);
});
const waitForReload = () => new Promise((resolve) => { onReload = resolve; });
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const times = [];
for (let run = 1; run <= runs; run++) {
  const reloaded = waitForReload();
  const written = performance.now();
  fs.writeFileSync(pageFile, `${original}\nEdited by the benchmark, run ${run}.\n`);
  const arrived = await reloaded;
  times.push(arrived - written);
  // Apart, so that each save is its own rebuild.
  await pause(150);
}

fs.writeFileSync(pageFile, original);
const sorted = [...times].sort((a, b) => a - b);
const percentile = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
console.log(`save → reload event, ${runs} runs on ${path.relative(root, pageFile)} (ms):`);
console.log(times.map((time) => time.toFixed(1)).join(' '));
console.log(`median ${percentile(50).toFixed(1)} ms, p95 ${percentile(95).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
console.log(`serve's own lines, last three: ${rebuildLines.slice(-3).join(' | ')}`);
process.exit(0);
