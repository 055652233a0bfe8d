// search.js: the search box of every httpcodes page.
//
// The page ships the search box `hidden`, so readers without JavaScript never
// see a box that does nothing; this script shows it and makes it a WAI-ARIA
// combobox with a listbox popup. The index (files under search/, classic
// scripts registering themselves in window.HTTPCODES_SEARCH_PARTS, format
// described in themes/README.md) is loaded piece by piece with <script> tags
// as queries need it, because fetch() is blocked on file://. The ranking and
// the tokeniser are exposed as window.httpcodesSearch for the tests and
// benchmarks.
(function () {
  'use strict';

  // Relative path from this page to the site root ("", "../", or an absolute
  // base path such as "/httpcodes/" on 404.html).
  const ROOT = document.documentElement.getAttribute('data-root') || '';
  const MAX_SHOWN = 10;
  // The index format this script reads (VERSION in src/index/search/shards.rs).
  const INDEX_VERSION = 3;
  const LOAD_FAILED = 'Search could not load; try again';

  // How much of the weight a match keeps: typed prefix of the last word, small typo.
  const PREFIX = 0.6;
  const SAME_STEM = 0.8; // "limiting" finds "limited", "throttle" finds "throttling"
  const FUZZY = [1, 0.5, 0.4]; // by edit distance 0, 1, 2
  // Guides are useful, but a reader searching usually wants a code.
  const KIND_FACTOR = { guide: 0.8, section: 0.8 };
  // Query words that need not match (they still add to the score when they do).
  const OPTIONAL = new Set(('a an the of to in on at by for from with and or is are be was it its i my me not ' +
    'no do does how why what when which this that http status code error response').split(' '));

  // ---------------------------------------------------------------- text

  // The one tokenisation rule of search, the same as `tokens` in
  // src/index/search/mod.rs (which cuts the words of the index); both are tested
  // against tests/data/search-tokens.json. Lower case; compatibility
  // decomposition (NFKD), so "ﬁ" is "fi" and "é" is "e" plus an accent;
  // combining marks and apostrophes (U+0027, U+2019, U+02BC) dropped; then
  // split on every character that is neither alphabetic nor numeric (Rust's
  // char::is_alphanumeric).
  const MARKS = /\p{M}/gu;
  const APOSTROPHES = /['\u2019\u02bc]/g;
  const SEPARATOR = /[^\p{Alphabetic}\p{N}]+/u;
  const ENDS_WITH_SEPARATOR = /[^\p{Alphabetic}\p{N}]$/u;

  function fold(text) {
    return String(text).toLowerCase().normalize('NFKD').replace(MARKS, '').replace(APOSTROPHES, '');
  }

  function tokenize(text) {
    return fold(text).split(SEPARATOR).filter(Boolean);
  }

  // Optimal string alignment distance (Damerau–Levenshtein with adjacent
  // transpositions), giving up as soon as it must exceed `max`. Rows are
  // reused between calls: this runs for many words on each keystroke.
  let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function editDistance(a, b, max) {
    const n = a.length;
    const m = b.length;
    if (Math.abs(n - m) > max) return max + 1;
    if (rows[0].length <= m) rows = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
    let before = rows[0];
    let previous = rows[1];
    let current = rows[2];
    for (let j = 0; j <= m; j++) previous[j] = j;
    for (let i = 1; i <= n; i++) {
      current[0] = i;
      let rowMin = i;
      const ca = a.charCodeAt(i - 1);
      const caBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
      for (let j = 1; j <= m; j++) {
        const cb = b.charCodeAt(j - 1);
        let value = previous[j - 1] + (ca === cb ? 0 : 1);
        if (previous[j] + 1 < value) value = previous[j] + 1;
        if (current[j - 1] + 1 < value) value = current[j - 1] + 1;
        if (j > 1 && ca === b.charCodeAt(j - 2) && caBefore === cb && before[j - 2] + 1 < value) {
          value = before[j - 2] + 1;
        }
        current[j] = value;
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > max) return max + 1;
      const spare = before;
      before = previous;
      previous = current;
      current = spare;
    }
    return previous[m];
  }

  // Which letters a word has, as bits: a cheap test that rules out most
  // words before computing an edit distance (each edit adds or removes at
  // most one letter from the set).
  function letterMask(word) {
    let mask = 0;
    for (let k = 0; k < word.length; k++) {
      const c = word.charCodeAt(k);
      mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 5));
    }
    return mask;
  }

  function bitCount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  // A crude English stem: the word without one common ending.
  const ENDINGS = ['ations', 'ation', 'ings', 'ions', 'ing', 'ion', 'ies', 'ied', 'ers', 'ed', 'er', 'es', 's', 'e', 'y'];
  function stem(word) {
    if (/\d/.test(word)) return word;
    for (const ending of ENDINGS) {
      if (word.length - ending.length >= 3 && word.endsWith(ending)) return word.slice(0, -ending.length);
    }
    return word;
  }

  // How many typos a word of the query may have (see matchWord: none if the
  // index has the word as typed).
  function allowedTypos(word) {
    if (/\d/.test(word) || word.length < 4) return 0;
    return word.length >= 8 ? 2 : 1;
  }

  // ---------------------------------------------------------------- index

  // The index is files under search/ (format in themes/README.md), each a
  // classic script registering itself in window.HTTPCODES_SEARCH_PARTS
  // under its own path: an entry (every word, and what ranking needs of
  // every document), term shards (postings of a range of words, with the
  // phrases that have them) and document shards (what a shown result needs).
  // A query loads only the shards of the words it matches and of the
  // results it shows.
  const KINDS = { k: 'class', c: 'code', u: 'unofficial', g: 'guide', s: 'section' };

  // What a keystroke needs of the entry: words by position, by stem, and
  // bucketed by length with letter masks for typo look-ups.
  function prepareEntry(raw) {
    if (!raw || !Array.isArray(raw.words) || !Array.isArray(raw.terms) || !Array.isArray(raw.docs)) {
      throw new Error(ENTRY + ' is not a search index');
    }
    const words = raw.words;
    const position = new Map();
    const stems = new Map(); // stem -> words with that stem
    const byLength = [];
    words.forEach(function (word, k) {
      position.set(word, k);
      const wordStem = stem(word);
      if (!stems.has(wordStem)) stems.set(wordStem, []);
      stems.get(wordStem).push(word);
      if (!/\d/.test(word) && word.length >= 3) {
        const bucket = byLength[word.length] || (byLength[word.length] = { words: [], masks: [] });
        bucket.words.push(word);
        bucket.masks.push(letterMask(word));
      }
    });
    const n = raw.kinds.length;
    const docs = [];
    for (let i = 0; i < n; i++) {
      const code = raw.codes[i];
      docs.push({ index: i, kind: KINDS[raw.kinds[i]], code: typeof code === 'number' ? code : null, view: null });
    }
    return {
      words: words, position: position, stems: stems, byLength: byLength, docs: docs,
      weights: raw.weights, prefixes: new Set(raw.prefixes),
      terms: raw.terms, docShards: raw.docs,
      postings: new Map(), // word -> { docs, weights } once its shard is loaded
      merged: new Map(), // prefix -> { docs, weights } of the words that start with it
      phrases: new Map(), // word -> Map(doc index -> [[" phrase text ", weight]])
      plans: new Map(), cache: new Map(),
      // Work arrays reused by every search.
      scratch: new Float64Array(n), touched: new Int32Array(n), scores: new Float64Array(n), hits: new Uint16Array(n),
    };
  }

  function decodePostings(index, docs, letters) {
    const ids = new Int32Array(docs.length);
    const weights = new Float64Array(docs.length);
    let doc = 0;
    for (let k = 0; k < docs.length; k++) {
      doc += docs[k];
      ids[k] = doc;
      weights[k] = index.weights[letters ? letters.charCodeAt(k) - 97 : 0];
    }
    return { docs: ids, weights: weights };
  }

  function addTermShard(index, shard) {
    shard.docs.forEach(function (docs, k) {
      index.postings.set(index.words[shard.first + k], decodePostings(index, docs, shard.weights[k]));
    });
    for (const offset in shard.phrases) {
      const byDoc = new Map();
      const list = shard.phrases[offset];
      for (const doc in list) {
        byDoc.set(Number(doc), list[doc].map(function (entry) { return [' ' + entry[0] + ' ', entry[1]]; }));
      }
      index.phrases.set(index.words[shard.first + Number(offset)], byDoc);
    }
    for (const prefix in shard.merged) {
      index.merged.set(prefix, decodePostings(index, shard.merged[prefix].docs, shard.merged[prefix].weights));
    }
  }

  function addDocShard(index, shard) {
    shard.docs.forEach(function (view, k) { index.docs[shard.first + k].view = view; });
  }

  // The shard (index into `shards`, sorted by `first`) holding position `at`.
  function shardAt(shards, at) {
    let low = 0;
    let high = shards.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (shards[middle].first <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  // Where the words starting with `prefix` begin in the sorted word list.
  function lowerBound(words, prefix) {
    let low = 0;
    let high = words.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (words[middle] < prefix) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  // The postings one query word takes, with the share of their weight it
  // keeps: [word or prefix, factor, merged?, term shard]. Cached.
  function plan(index, word, partial) {
    const key = (partial ? '*' : '=') + word;
    const cached = index.plans.get(key);
    if (cached) return cached;
    const items = [];
    const take = function (other, factor, merged) {
      items.push([other, factor, merged, shardAt(index.terms, merged ? lowerBound(index.words, other) : index.position.get(other))]);
    };
    const exact = index.position.has(word);
    if (exact) take(word, 1, false);
    if (partial) {
      if (index.prefixes.has(word)) {
        take(word, PREFIX, true);
      } else {
        const words = index.words;
        for (let k = lowerBound(words, word); k < words.length && words[k].startsWith(word); k++) {
          if (words[k] !== word) take(words[k], PREFIX, false);
        }
      }
    }
    for (const other of index.stems.get(stem(word)) || []) {
      if (other !== word) take(other, SAME_STEM, false);
    }
    // Typos are forgiven only in words the site does not have: a reader who
    // typed "café" or "don't" means that word, not "came" or "done".
    const typos = exact ? 0 : allowedTypos(word);
    const mask = letterMask(word);
    for (let length = word.length - typos; typos && length <= word.length + typos; length++) {
      const bucket = index.byLength[length];
      if (!bucket) continue;
      for (let k = 0; k < bucket.words.length; k++) {
        const other = bucket.masks[k];
        if (bitCount(mask & ~other) > typos || bitCount(other & ~mask) > typos) continue;
        const candidate = bucket.words[k];
        if (candidate === word) continue;
        const distance = editDistance(word, candidate, typos);
        if (distance <= typos) take(candidate, FUZZY[distance], false);
      }
    }
    if (index.plans.size > 5000) index.plans.clear();
    index.plans.set(key, items);
    return items;
  }

  // A query as ranking sees it: its words, which are required, whether the
  // last is still being typed; null if it has no words.
  function parse(query) {
    const words = tokenize(query);
    if (!words.length) return null;
    // The last word is still being typed unless the query ends with a separator.
    const partial = !ENDS_WITH_SEPARATOR.test(fold(query));
    let required = words.map(function (word) { return !OPTIONAL.has(word); });
    if (!required.includes(true)) required = words.map(function () { return true; });
    return { words: words, partial: partial, required: required };
  }

  // The term shards a query needs: those of every posting its words take,
  // and that of its first word, whose phrases give the phrase bonus.
  function termShardsFor(index, parsed) {
    const needed = new Set();
    const words = parsed.words;
    words.forEach(function (word, w) {
      for (const item of plan(index, word, parsed.partial && w === words.length - 1)) needed.add(item[3]);
    });
    if (index.position.has(words[0])) needed.add(shardAt(index.terms, index.position.get(words[0])));
    return Array.from(needed, function (k) { return index.terms[k].file; });
  }

  // Every document matching one query word: doc index -> best score.
  // Cached, since the earlier words of a query are looked up again on every keystroke.
  function matchWord(index, word, partial) {
    const key = (partial ? '*' : '=') + word;
    const cached = index.cache.get(key);
    if (cached) return cached;

    // Best score per document, in a scratch array kept between calls.
    const best = index.scratch;
    const touched = index.touched;
    let count = 0;
    for (const item of plan(index, word, partial)) {
      const entry = (item[2] ? index.merged : index.postings).get(item[0]);
      const factor = item[1];
      for (let k = 0; k < entry.docs.length; k++) {
        const score = entry.weights[k] * factor;
        const doc = entry.docs[k];
        if (best[doc] === 0) touched[count++] = doc;
        if (score > best[doc]) best[doc] = score;
      }
    }

    const result = { docs: touched.slice(0, count), scores: new Float64Array(count) };
    for (let k = 0; k < count; k++) {
      result.scores[k] = best[touched[k]];
      best[touched[k]] = 0;
    }
    if (index.cache.size > 5000) index.cache.clear();
    index.cache.set(key, result);
    return result;
  }

  // Bonus when the whole query is one of the document's titles, names,
  // keywords or headers, or appears in one as a run of words. Only phrases
  // with the query's first word as a whole word can match: `phrases` are
  // the document's phrases with that word.
  function phraseBonus(phrases, phrase, multiWord, partial) {
    let bonus = 0;
    for (const [text, weight] of phrases || []) {
      let found = 0;
      if (text === ' ' + phrase + ' ') found = 3;
      else if (multiWord && text.includes(' ' + phrase + ' ')) found = 2;
      else if (multiWord && partial && text.includes(' ' + phrase)) found = 1;
      if (found * weight > bonus) bonus = found * weight;
    }
    return bonus;
  }

  // Equal scores: for a number or "4xx" query numeric order; otherwise
  // registered codes before unofficial ones, then numeric order; then
  // document order (so this is a total order).
  function before(a, b, numeric) {
    if (Math.abs(a.score - b.score) > 1e-9) return b.score - a.score;
    if (!numeric) {
      const unofficial = (a.doc.kind === 'unofficial') - (b.doc.kind === 'unofficial');
      if (unofficial) return unofficial;
    }
    const codeA = a.doc.code === null ? 1000 : a.doc.code;
    const codeB = b.doc.code === null ? 1000 : b.doc.code;
    return codeA - codeB || a.doc.index - b.doc.index;
  }

  // Ranks the documents for a parsed query, its term shards loaded; returns
  // { doc, score } best first, at most `limit` of them, with `total`, how
  // many documents matched.
  function rank(index, parsed, limit) {
    const words = parsed.words;
    const required = parsed.required;
    const requiredCount = required.filter(Boolean).length;
    const n = index.docs.length;
    const scores = index.scores.fill(0);
    const hits = index.hits.fill(0);
    words.forEach(function (word, w) {
      const matches = matchWord(index, word, parsed.partial && w === words.length - 1);
      for (let k = 0; k < matches.docs.length; k++) {
        const doc = matches.docs[k];
        scores[doc] += matches.scores[k];
        if (required[w]) hits[doc]++;
      }
    });

    let candidates = [];
    for (let doc = 0; doc < n; doc++) if (hits[doc] === requiredCount && scores[doc] > 0) candidates.push(doc);
    if (!candidates.length) {
      // Nothing has every word: show what has some of them.
      for (let doc = 0; doc < n; doc++) if (scores[doc] > 0) candidates.push(doc);
    }

    const phrase = words.join(' ');
    const phrases = index.phrases.get(words[0]);
    const numeric = words.every(function (word) { return /^\d+$|^[1-5]x{0,2}$/.test(word); });
    const wanted = limit === undefined ? candidates.length : limit;
    // The best `wanted` results, kept sorted: a candidate that does not beat
    // the last one kept is dropped at once.
    const best = [];
    for (const i of candidates) {
      const doc = index.docs[i];
      const bonus = phrases ? phraseBonus(phrases.get(i), phrase, words.length > 1, parsed.partial) : 0;
      const result = { doc: doc, score: (scores[i] + bonus) * (KIND_FACTOR[doc.kind] || 1) };
      if (best.length === wanted && (!wanted || before(result, best[wanted - 1], numeric) >= 0)) continue;
      let at = best.length;
      while (at > 0 && before(result, best[at - 1], numeric) < 0) at--;
      best.splice(at, 0, result);
      if (best.length > wanted) best.pop();
    }
    return Object.assign(best, { total: candidates.length });
  }

  // The document shards the ranked results need to be shown.
  function docShardsFor(index, ranked) {
    const needed = new Set();
    for (const result of ranked) if (!result.doc.view) needed.add(index.docShards[shardAt(index.docShards, result.doc.index)].file);
    return Array.from(needed);
  }

  function present(ranked) {
    const shown = ranked.map(function (result) {
      const doc = result.doc;
      const view = doc.view;
      return {
        code: doc.code, title: view.title, summary: view.summary, url: view.url, kind: doc.kind,
        source: view.source || null, aliases: view.aliases || [], score: Math.round(result.score * 100) / 100,
      };
    });
    return Object.assign(shown, { total: ranked.total });
  }

  // ---------------------------------------------------------------- loading

  const ENTRY = 'search/index.js';
  let index = null;
  let entryData = null; // the entry as loaded, to start again from it
  const loaded = new Set(); // the files whose data is in `index`
  const pending = new Map(); // file -> promise of its data, while it loads
  const failedScripts = new Map(); // file -> the <script> of its last failed attempt

  // Resolves with the data of one file, running it with a <script> tag (at
  // most one at a time per file; a failed one is replaced on the next try).
  function loadFile(file) {
    if (pending.has(file)) return pending.get(file);
    if (failedScripts.has(file)) failedScripts.get(file).remove();
    failedScripts.delete(file);
    const script = document.createElement('script');
    const promise = new Promise(function (resolve, reject) {
      script.src = ROOT + file;
      script.onload = function () {
        const parts = window.HTTPCODES_SEARCH_PARTS || {};
        const data = parts[file];
        delete parts[file];
        if (data && data.version === INDEX_VERSION) resolve(data);
        else reject(new Error(file + ' is not a search file of version ' + INDEX_VERSION));
      };
      script.onerror = function () { reject(new Error('cannot load ' + script.src)); };
      document.head.appendChild(script);
    });
    pending.set(file, promise);
    promise.then(function () { pending.delete(file); }, function () {
      pending.delete(file);
      failedScripts.set(file, script);
    });
    return promise;
  }

  // Loads `files` (shards) into the index; resolves once all are in.
  function loadShards(files) {
    return Promise.all(files.filter(function (file) { return !loaded.has(file); }).map(function (file) {
      return loadFile(file).then(function (data) {
        if (loaded.has(file)) return;
        if (file.startsWith('search/terms-')) addTermShard(index, data);
        else addDocShard(index, data);
        loaded.add(file);
      });
    }));
  }

  // Resolves once the entry is loaded (the next call after a failure tries again).
  function load() {
    if (index) return Promise.resolve();
    return loadFile(ENTRY).then(function (raw) {
      if (!index) {
        index = prepareEntry(raw);
        entryData = raw;
        loaded.add(ENTRY);
        whenIdle(warmUp);
      }
    });
  }

  // Results for `query` now if every file they need is loaded, else null.
  function searchLoaded(query, limit) {
    if (!index) return null;
    const parsed = parse(query);
    if (!parsed) return Object.assign([], { total: 0 });
    if (termShardsFor(index, parsed).some(function (file) { return !loaded.has(file); })) return null;
    const ranked = rank(index, parsed, limit);
    return docShardsFor(index, ranked).length ? null : present(ranked);
  }

  // Results for `query`, once the files they need are loaded.
  function search(query, limit) {
    return load().then(function () {
      const parsed = parse(query);
      if (!parsed) return Object.assign([], { total: 0 });
      return loadShards(termShardsFor(index, parsed)).then(function () {
        const ranked = rank(index, parsed, limit);
        return loadShards(docShardsFor(index, ranked)).then(function () { return present(ranked); });
      });
    });
  }

  function whenIdle(task) {
    if (window.requestIdleCallback) window.requestIdleCallback(task, { timeout: 1000 });
    else setTimeout(task, 50);
  }

  // The first searches run cold code, several times slower than later ones:
  // plan a few typical queries while the reader has not typed yet (ranking
  // them would load their shards).
  function warmUp() {
    if (!index) return;
    for (const query of ['404', '5xx', 'not found', 'too many requests', 'retry-after', 'forbiden', 'unauthorised']) {
      for (let end = 1; end <= query.length; end++) {
        const parsed = parse(query.slice(0, end));
        if (parsed) termShardsFor(index, parsed);
      }
    }
    index.plans.clear();
  }

  window.httpcodesSearch = {
    // Resolves with the ranked results for `query` (all of them unless
    // `limit` is given), loading the files they need.
    search: search,
    // The same at once, or null when a file they need is not loaded yet.
    searchLoaded: searchLoaded,
    // Resolves once the entry file is loaded (reading it starts the loading).
    get ready() { return load(); },
    // For timing tests: forget the per-word caches, as on a fresh page.
    clearCache: function () { if (index) { index.cache.clear(); index.plans.clear(); } },
    // For tests: the files loaded so far (the entry first).
    loadedFiles: function () { return Array.from(loaded); },
    // For tests: forget every shard, as if only the entry had been loaded.
    forgetShards: function () {
      if (!index) return;
      index = prepareEntry(entryData);
      loaded.clear();
      loaded.add(ENTRY);
    },
    // For tests: load every shard.
    loadAll: function () {
      return load().then(function () {
        return loadShards(index.terms.concat(index.docShards).map(function (shard) { return shard.file; }));
      });
    },
    // For the tests of the tokenisation rule shared with src/index/search/mod.rs.
    tokenize: tokenize,
  };

  // ---------------------------------------------------------------- the box

  function setUp() {
    const box = document.querySelector('[data-search]');
    const input = document.getElementById('search-input');
    const list = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    if (!box || !input || !list) return;
    box.hidden = false;
    // With this script the box is a combobox (WAI-ARIA APG pattern, listbox
    // popup): the results pop up under it, focus stays in the input, the
    // arrows move a selection shown with aria-activedescendant, and the
    // results are not in the Tab order.
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    // Chromium puts a scrolling box without focusable children in the Tab
    // order; the list must stay out of it.
    list.tabIndex = -1;

    let selected = -1;

    function isOpen() {
      return input.getAttribute('aria-expanded') === 'true';
    }

    function options() {
      return list.querySelectorAll('a[role="option"]');
    }

    function select(position) {
      const links = options();
      selected = links.length ? (position + links.length) % links.length : -1;
      links.forEach(function (link, k) { link.setAttribute('aria-selected', String(k === selected)); });
      if (selected >= 0) {
        input.setAttribute('aria-activedescendant', links[selected].id);
        links[selected].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    // Says `text` politely to screen readers (the live region is outside the
    // list, so the list's changes are not read out in full).
    function announce(text) {
      if (status) status.textContent = text;
    }

    function open(items, announcement) {
      list.replaceChildren.apply(list, items);
      selected = -1;
      input.removeAttribute('aria-activedescendant');
      input.setAttribute('aria-expanded', 'true');
      announce(announcement);
    }

    function close() {
      list.replaceChildren();
      selected = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      announce('');
    }

    // A line of the list that is not a result ("nothing matches").
    function notice(text) {
      const line = document.createElement('div');
      line.className = 'result-empty';
      line.setAttribute('role', 'option');
      line.setAttribute('aria-disabled', 'true');
      line.textContent = text;
      return line;
    }

    function resultLink(result, k) {
      const link = document.createElement('a');
      link.id = 'search-result-' + k;
      link.href = ROOT + result.url;
      link.tabIndex = -1; // reached with the arrows, not with Tab
      link.setAttribute('role', 'option');
      link.setAttribute('aria-selected', 'false');
      link.className = 'result kind-' + result.kind;
      if (result.code !== null) {
        const code = document.createElement('span');
        code.className = 'result-code';
        code.textContent = result.code;
        link.append(code);
      }
      const title = document.createElement('span');
      title.className = 'result-title';
      title.textContent = result.title;
      link.append(title);
      if (result.kind === 'unofficial') {
        const mark = document.createElement('span');
        mark.className = 'result-unofficial';
        mark.textContent = result.source ? 'unofficial · ' + result.source : 'unofficial';
        link.append(mark);
      } else if (result.kind === 'guide' || result.kind === 'section') {
        const mark = document.createElement('span');
        mark.className = 'result-kind';
        mark.textContent = 'guide';
        link.append(mark);
      }
      const summary = document.createElement('span');
      summary.className = 'result-summary';
      summary.textContent = result.summary;
      link.append(summary);
      return link;
    }

    function countText(results) {
      if (results.total === 1) return '1 result';
      if (results.total <= results.length) return results.total + ' results';
      return results.total + ' results, the first ' + results.length + ' listed';
    }

    // Shows the results for what is in the box, then selects the first
    // (`then` = 'first') or last ('last') of them if asked. Before the index
    // has loaded, it loads it and shows them only if the reader is still in
    // the box with the same text.
    function update(then) {
      const query = input.value;
      if (!query.trim()) {
        close();
        return;
      }
      const results = searchLoaded(query, MAX_SHOWN);
      if (results) {
        show(results, then);
        return;
      }
      const stillWanted = function () { return document.activeElement === input && input.value === query; };
      search(query, MAX_SHOWN).then(function (loadedResults) {
        if (stillWanted()) show(loadedResults, then);
      }, function () {
        if (stillWanted()) open([notice(LOAD_FAILED)], LOAD_FAILED);
      });
    }

    function show(results, then) {
      const query = input.value;
      if (!results.length) open([notice('No status code matches “' + query.trim() + '”')], 'No results');
      else open(results.map(resultLink), countText(results));
      if (then === 'first') select(0);
      else if (then === 'last') select(-1);
    }

    input.addEventListener('focus', function () {
      load().catch(function () {});
      if (input.value.trim() && !isOpen()) update();
    });
    input.addEventListener('input', function () { update(); });
    input.addEventListener('keydown', function (event) {
      if (event.isComposing) return;
      const down = event.key === 'ArrowDown';
      if (down || event.key === 'ArrowUp') {
        if (!input.value.trim()) return;
        event.preventDefault();
        if (event.altKey) {
          // Alt+Down shows the list without selecting; Alt+Up closes it.
          if (down && !isOpen()) update();
          else if (!down) close();
        } else if (!isOpen()) {
          update(down ? 'first' : 'last');
        } else if (options().length) {
          if (down) select(selected < 0 ? 0 : selected + 1);
          else select(selected < 0 ? -1 : selected - 1);
        }
      } else if (event.key === 'Enter') {
        const links = options();
        const target = isOpen() && links[selected >= 0 ? selected : 0];
        if (target) {
          event.preventDefault();
          window.location.assign(target.href);
        }
      } else if (event.key === 'Escape') {
        // The first Escape closes the list, the next one clears the box.
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
        }
      }
    });
    // Pressing the mouse on a result keeps the focus in the input, so the
    // list stays open until the click follows the link.
    list.addEventListener('mousedown', function (event) { event.preventDefault(); });
    // Close the list when focus leaves the search box.
    box.addEventListener('focusout', function (event) {
      if (!box.contains(event.relatedTarget)) close();
    });

    // "/" jumps to the search box, unless the reader is typing somewhere.
    document.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUp);
  else setUp();
})();
