// generated-site.mjs: a made-up site of many guides, built by the real
// binary, for the search benchmark and the sharded-index tests. The text is
// words of the real site's index plus invented ones (so the vocabulary grows
// with the site), drawn from a fixed seed: the same call makes the same site.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, SITE_DIR, httpcodesBinary } from './helpers.mjs';

/**
 * Writes a site of `pages` guides (each a title of 3 words, a summary of 12
 * and two paragraphs of 120) into a new temporary folder and builds it.
 * Returns { folder, output, line }: the folder to remove when done, the
 * built site in it, and the build's own summary line.
 */
export function generateSite(pages, { binary = httpcodesBinary(), seed = 42 } = {}) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'httpcodes-generated-'));
  fs.cpSync(path.join(REPO, 'themes'), path.join(folder, 'themes'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'site.yaml'),
    'title: Generated\ndescription: A generated site for benchmarks.\nbase_url: https://example.org/\n');
  const real = JSON.parse(fs.readFileSync(path.join(SITE_DIR, 'search-index.json'), 'utf8'));
  const vocabulary = Object.keys(real.terms);
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const word = () => (random() < 0.8
    ? vocabulary[Math.floor(random() * vocabulary.length)]
    : 'w' + Math.floor(random() * 50000).toString(36));
  const words = (n) => Array.from({ length: n }, word).join(' ');
  fs.mkdirSync(path.join(folder, 'content/guides'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'content/_index.md'), '---\ntitle: Generated\nsummary: Generated pages.\n---\n');
  for (let i = 0; i < pages; i++) {
    const name = `page-${String(i).padStart(5, '0')}`;
    fs.writeFileSync(path.join(folder, 'content/guides', `${name}.md`),
      `---\ntitle: ${words(3)}\nsummary: ${words(12)}.\n---\n\n${words(120)}.\n\n${words(120)}.\n`);
  }
  const output = path.join(folder, 'public');
  const line = execFileSync(binary, ['build', '--root', folder, '--output', output], { encoding: 'utf8' }).trim();
  return { folder, output, line };
}
