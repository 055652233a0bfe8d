// search.js: the search box of every page. Shows the `hidden` box as a
// combobox and loads the index (search/, see themes/README.md) with <script>
// tags as queries need it: fetch() is blocked on file://.
(function () {
  'use strict';

  // Path from this page to the site root: "", "../", or "/httpcodes/" on 404.html.
  const ROOT = document.documentElement.getAttribute('data-root') || '';
  const MAX_SHOWN = 10;
  const INDEX_VERSION = 6; // VERSION in src/index/search/shards.rs
  const LOAD_FAILED = 'Search could not load; try again';

  // Ranking (themes/README.md). Share of a word's weight a match keeps: the
  // typed prefix of the last word, the same stem ("limiting" finds
  // "limited"), a typo (by edit distance 0, 1, 2).
  const PREFIX = 0.6;
  const SAME_STEM = 0.8;
  const FUZZY = [1, 0.5, 0.4];
  // Scores closer than this are equal.
  const SAME_SCORE = 1e-9;
  // Readers searching mostly want a code.
  const KIND_FACTOR = { guide: 0.8, section: 0.8 };
  // Query words that need not match (they still score when they do).
  const OPTIONAL = new Set(('a an the of to in on at by for from with and or is are be was it its i my me not ' +
    'no do does how why what when which this that http status code error response').split(' '));

  // ---------------------------------------------------------------- text

  // The tokenisation rule of `tokens` in src/index/search/mod.rs (see
  // themes/README.md; cases in tests/data/search-tokens.json): lower case,
  // NFKD, marks and apostrophes dropped, split on non-alphanumerics.
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

  // Optimal string alignment distance, given up above `max`. Rows are
  // reused: this runs for many words per keystroke.
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

  // A word's letters as bits (an edit changes one at most): a cheap filter.
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

  // Typos a word may have (none if the index has it: see plan).
  function allowedTypos(word) {
    if (/\d/.test(word) || word.length < 4) return 0;
    return word.length >= 8 ? 2 : 1;
  }

  // ---------------------------------------------------------------- index

  const KINDS = { k: 'class', c: 'code', u: 'unofficial', g: 'guide', s: 'section' };

  // Words by position, by stem, and by length with letter masks (for typos).
  function prepareEntry(raw) {
    if (!raw || typeof raw.words !== 'string' || !Array.isArray(raw.terms) || !Array.isArray(raw.docs)) {
      throw new Error(ENTRY + ' is not a search index');
    }
    // Front-coded: per line, (char code - 33) UTF-16 units shared with the word before, then the rest.
    const words = [];
    let previous = '';
    for (const line of raw.words ? raw.words.split('\n') : []) {
      previous = previous.slice(0, line.charCodeAt(0) - 33) + line.slice(1);
      words.push(previous);
    }
    const position = new Map();
    const stems = new Map(); // stem -> words
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
      weights: raw.weights, prefixes: new Map(raw.prefixes), // prefix -> its term shard
      terms: shardList(raw.terms, 'terms'), docShards: shardList(raw.docs, 'docs'),
      postings: new Map(), // word -> { docs, weights }, once its shard is loaded
      merged: new Map(), // prefix -> { docs, weights }
      phrases: new Map(), // word -> Map(doc -> [[" phrase text ", weight]])
      plans: new Map(), cache: new Map(),
      // Reused by every search.
      scratch: new Float64Array(n), touched: new Int32Array(n), scores: new Float64Array(n), hits: new Uint16Array(n),
      bonuses: new Float64Array(n),
      factors: Float64Array.from(docs, function (doc) { return KIND_FACTOR[doc.kind] || 1; }),
    };
  }

  // The entry's [first, hash, phrase hash?] as { first, file, phrases }.
  function shardList(refs, kind) {
    return refs.map(function (ref, k) {
      return {
        first: ref[0], file: 'search/' + kind + '-' + k + '.' + ref[1] + '.js',
        phrases: ref[2] ? 'search/phrases-' + k + '.' + ref[2] + '.js' : null,
      };
    });
  }

  // The value of a digit of a number string (A-Z a-z 0-9 - _, see number_string in shards.rs).
  function digitValue(c) {
    return c >= 97 ? c - 71 : c === 95 ? 63 : c >= 65 ? c - 65 : c >= 48 ? c + 4 : 62;
  }

  // Postings from document differences (a number string) and weight letters.
  function decodePostings(index, differences, letters) {
    const ids = new Int32Array(letters ? letters.length : differences.length);
    let count = 0;
    let doc = 0;
    let number = 0;
    for (let k = 0; k < differences.length; k++) {
      const digit = digitValue(differences.charCodeAt(k));
      number = number * 32 + (digit & 31);
      if (digit < 32) {
        doc += number;
        ids[count++] = doc;
        number = 0;
      }
    }
    const docs = ids.subarray(0, count);
    const weights = new Float64Array(count);
    for (let k = 0; k < count; k++) weights[k] = index.weights[letters ? letters.charCodeAt(k) - 97 : 0];
    return { docs: docs, weights: weights };
  }

  function addTermShard(index, shard) {
    shard.docs.forEach(function (docs, k) {
      index.postings.set(index.words[shard.first + k], decodePostings(index, docs, shard.weights[k]));
    });
    for (const prefix in shard.merged) {
      index.merged.set(prefix, decodePostings(index, shard.merged[prefix].docs, shard.merged[prefix].weights));
    }
  }

  function addPhraseShard(index, shard) {
    for (const offset in shard.phrases) {
      const byDoc = new Map();
      const list = shard.phrases[offset];
      for (const doc in list) {
        byDoc.set(Number(doc), list[doc].map(function (entry) { return [' ' + entry[0] + ' ', entry[1]]; }));
      }
      index.phrases.set(index.words[shard.first + Number(offset)], byDoc);
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

  // The postings one query word takes: [word or prefix, factor, merged?,
  // term shard]. Cached.
  function plan(index, word, partial) {
    const key = (partial ? '*' : '=') + word;
    const cached = index.plans.get(key);
    if (cached) return cached;
    const items = [];
    const take = function (other, factor, merged) {
      items.push([other, factor, merged, merged ? index.prefixes.get(other) : shardAt(index.terms, index.position.get(other))]);
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
    // Only words the site lacks may be typos: "don't" means don't, not "done".
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

  // Words, which are required, and whether the last is being typed; null if none.
  function parse(query) {
    const words = tokenize(query);
    if (!words.length) return null;
    // A number after a number in a query with words ("tls 1.3") is a
    // version, not the start of a code: it is not typed further.
    const n = words.length;
    const version = n > 2 && /^\d+$/.test(words[n - 1] + words[n - 2]) && words.some(function (word) { return /\D/.test(word); });
    const partial = !version && !ENDS_WITH_SEPARATOR.test(fold(query));
    let required = words.map(function (word) { return !OPTIONAL.has(word); });
    if (!required.includes(true)) required = words.map(function () { return true; });
    return { words: words, partial: partial, required: required };
  }

  // The files a query needs: the term shards of its words' postings, and the
  // phrase shard of its first word, whose phrases give the phrase bonus.
  function termShardsFor(index, parsed) {
    const needed = new Set();
    const words = parsed.words;
    words.forEach(function (word, w) {
      for (const item of plan(index, word, parsed.partial && w === words.length - 1)) needed.add(index.terms[item[3]].file);
    });
    const first = index.position.has(words[0]) && index.terms[shardAt(index.terms, index.position.get(words[0]))];
    if (first && first.phrases) needed.add(first.phrases);
    return Array.from(needed);
  }

  // Documents matching a query word, best score each. Cached: every
  // keystroke repeats the earlier words.
  function matchWord(index, word, partial) {
    const key = (partial ? '*' : '=') + word;
    const cached = index.cache.get(key);
    if (cached) return cached;

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

  // `phrases`: the document's phrases having the query's first word, the
  // only ones that can match.
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

  // Equal scores: numeric order for a number or "4xx" query, else registered
  // codes first, then numeric order; then document order (a total order).
  function before(a, b, numeric) {
    if (Math.abs(a.score - b.score) > SAME_SCORE) return b.score - a.score;
    if (!numeric) {
      const unofficial = (a.doc.kind === 'unofficial') - (b.doc.kind === 'unofficial');
      if (unofficial) return unofficial;
    }
    const codeA = a.doc.code === null ? 1000 : a.doc.code;
    const codeB = b.doc.code === null ? 1000 : b.doc.code;
    return codeA - codeB || a.doc.index - b.doc.index;
  }

  // The best `limit` { doc, score }, best first, with `total` matched.
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
    // The phrase bonus of each document that has a phrase with the first
    // word: usually far fewer than the candidates.
    const bonuses = index.bonuses;
    const withBonus = [];
    for (const [i, list] of phrases || []) {
      const bonus = phraseBonus(list, phrase, words.length > 1, parsed.partial);
      if (bonus) {
        bonuses[i] = bonus;
        withBonus.push(i);
      }
    }
    const wanted = limit === undefined ? candidates.length : limit;
    const factors = index.factors;
    // Kept sorted; a candidate not beating the last one kept is dropped at
    // once, before a result is made if its score is lower.
    const best = [];
    for (const i of candidates) {
      const score = (scores[i] + bonuses[i]) * factors[i];
      if (best.length === wanted && (!wanted || score < best[wanted - 1].score - SAME_SCORE)) continue;
      const result = { doc: index.docs[i], score: score };
      if (best.length === wanted && before(result, best[wanted - 1], numeric) >= 0) continue;
      let at = best.length;
      while (at > 0 && before(result, best[at - 1], numeric) < 0) at--;
      best.splice(at, 0, result);
      if (best.length > wanted) best.pop();
    }
    for (const i of withBonus) bonuses[i] = 0;
    return Object.assign(best, { total: candidates.length });
  }

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
  let entryData = null; // the entry as loaded, for forgetShards
  const loaded = new Set(); // the files whose data is in `index`
  const pending = new Map(); // file -> promise of its data, while it loads
  const failedScripts = new Map(); // file -> <script> of its last failed attempt

  // Resolves with a file's data, run by a <script> tag (one at a time per
  // file; a failed one is replaced on the next try).
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

  function loadShards(files) {
    return Promise.all(files.filter(function (file) { return !loaded.has(file); }).map(function (file) {
      return loadFile(file).then(function (data) {
        if (loaded.has(file)) return;
        if (file.startsWith('search/terms-')) addTermShard(index, data);
        else if (file.startsWith('search/phrases-')) addPhraseShard(index, data);
        else addDocShard(index, data);
        loaded.add(file);
      });
    }));
  }

  // Resolves once the entry is loaded (the next call after a failure retries).
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

  // The results now, or null if a file they need is not loaded.
  function searchLoaded(query, limit) {
    if (!index) return null;
    const parsed = parse(query);
    if (!parsed) return Object.assign([], { total: 0 });
    if (termShardsFor(index, parsed).some(function (file) { return !loaded.has(file); })) return null;
    const ranked = rank(index, parsed, limit);
    return docShardsFor(index, ranked).length ? null : present(ranked);
  }

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

  // The first searches run cold code, several times slower: plan typical
  // queries before the reader types (ranking them would load shards).
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
    search: search, // all results unless `limit` is given
    searchLoaded: searchLoaded,
    get ready() { return load(); }, // reading it starts loading the entry
    // For tests and benchmarks.
    clearCache: function () { if (index) { index.cache.clear(); index.plans.clear(); } },
    loadedFiles: function () { return Array.from(loaded); }, // the entry first
    forgetShards: function () { // as if only the entry had been loaded
      if (!index) return;
      index = prepareEntry(entryData);
      loaded.clear();
      loaded.add(ENTRY);
    },
    loadAll: function () {
      return load().then(function () {
        const files = index.terms.concat(index.docShards).map(function (shard) { return shard.file; });
        return loadShards(files.concat(index.terms.map(function (shard) { return shard.phrases; }).filter(Boolean)));
      });
    },
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
    // WAI-ARIA combobox, listbox popup (see themes/README.md).
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    // Chromium puts a scrolling box without focusable children in the Tab order.
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

    // A live region outside the list, so the list is not read out on each change.
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

    // A line that is not a result.
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
      const span = function (className, text) {
        const part = document.createElement('span');
        part.className = className;
        part.textContent = text;
        link.append(part);
      };
      if (result.code !== null) span('result-code', result.code);
      span('result-title', result.title);
      if (result.kind === 'unofficial') span('result-unofficial', result.source ? 'unofficial · ' + result.source : 'unofficial');
      else if (result.kind === 'guide' || result.kind === 'section') span('result-kind', 'guide');
      span('result-summary', result.summary);
      return link;
    }

    function countText(results) {
      if (results.total === 1) return '1 result';
      if (results.total <= results.length) return results.total + ' results';
      return results.total + ' results, the first ' + results.length + ' listed';
    }

    // Shows the results for the box's text; `then`: select the 'first' or 'last'.
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
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
        }
      }
    });
    // Focus stays in the input, so the list stays open until the click.
    list.addEventListener('mousedown', function (event) { event.preventDefault(); });
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
