//! The files `search.js` loads, under `search/`: an entry file with the word
//! list and what ranking needs of every document, term shards (the postings
//! of a range of words) and document shards (what a shown result needs of a
//! range of documents). A query loads the entry, the term shards of the
//! words it matches and the document shards of the results it shows; a
//! small site gets one shard of each kind. The format ([`VERSION`]) is
//! described field by field in `themes/README.md`.
//!
//! Each file is a classic script that registers itself under its own path,
//! `window.HTTPCODES_SEARCH_PARTS["search/terms-2.1a2b3c4d.js"] = {…}`, so
//! that `search.js` can load it with a `<script>` tag, from `file://` too.
//! Shard names carry a hash of their contents: an entry from one build never
//! reads the shards of another.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::vocabulary::{Posting, Vocabulary, Weight};
use super::{Document, Kind};
use crate::output::OutputFile;

/// Format version of the files (`search.js` refuses another).
/// 3: an entry file and shards, with the vocabulary computed by the build;
/// 6: postings as [`number_string`]s, shards referred to by their hash.
pub const VERSION: u32 = 6;

/// The entry file, the one `search.js` knows by name.
pub const ENTRY: &str = "search/index.js";

/// Below this size (bytes of JSON, roughly) the terms or the documents are
/// one shard: one file is then cheaper than several.
const ONE_SHARD_BYTES: usize = 256 * 1024;
/// The size a term shard is cut at, when there are several.
const TERM_SHARD_BYTES: usize = 24 * 1024;
/// The size a document shard is cut at, when there are several.
const DOC_SHARD_BYTES: usize = 16 * 1024;
/// A prefix whose words have more postings than this gets its own merged
/// list (best weight per document over those words), so that typing one
/// letter does not load every shard.
const MERGED_PREFIX_POSTINGS: usize = 3000;

#[derive(Serialize)]
struct Entry<'a> {
    version: u32,
    /// Every word, in JavaScript's sort order, [`front_coded`].
    words: String,
    /// The weights postings refer to by letter: `a` is the first.
    weights: &'a [f64],
    /// One letter per document: its kind (see [`kind_letter`]).
    kinds: String,
    /// Document index → status code, for the code pages.
    codes: BTreeMap<usize, u16>,
    /// The term shards, in word order.
    terms: Vec<ShardRef>,
    /// The prefixes with a merged list, sorted, each with the index of the
    /// term shard that holds the list.
    prefixes: Vec<(String, usize)>,
    /// The document shards, in document order.
    docs: Vec<ShardRef>,
}

/// A shard as the entry refers to it: `[first, hash]`, where `first` is the
/// index of its first word or document, and the file is
/// `search/KIND-N.HASH.js` with `N` its place in the list. A term shard has
/// a third item when any of its words has phrases: the hash of the phrase
/// shard of the same words. Only the query's first word needs its phrases,
/// so they are kept apart from the postings every word of a query loads.
struct ShardRef {
    first: usize,
    hash: String,
    phrases: Option<String>,
}

impl Serialize for ShardRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut items = serializer.serialize_seq(None)?;
        items.serialize_element(&self.first)?;
        items.serialize_element(&self.hash)?;
        if let Some(phrases) = &self.phrases {
            items.serialize_element(phrases)?;
        }
        items.end()
    }
}

#[derive(Serialize)]
struct TermShard<'a> {
    version: u32,
    /// Index in the entry's `words` of this shard's first word.
    first: usize,
    /// For each word of the shard: its documents, as differences from the
    /// previous one (the first from 0), in a [`number_string`].
    docs: Vec<String>,
    /// For each word: one weight letter per document; `""` when all are `a`.
    weights: Vec<String>,
    /// Prefix → merged postings (`docs` and `weights` as above) of the words
    /// that start with it, the prefix itself excepted.
    merged: BTreeMap<&'a str, MergedPostings>,
}

/// The phrases of the words of one term shard.
#[derive(Serialize)]
struct PhraseShard<'a> {
    version: u32,
    /// Index in the entry's `words` of the term shard's first word.
    first: usize,
    /// Word offset in the shard → document → the document's phrases that
    /// have the word: `[text, weight]`.
    phrases: BTreeMap<usize, PhrasesByDoc<'a>>,
}

/// Document → its phrases that have a word: `[text, weight]`.
type PhrasesByDoc<'a> = BTreeMap<u32, Vec<(&'a str, f64)>>;

#[derive(Serialize)]
struct MergedPostings {
    docs: String,
    weights: String,
}

#[derive(Serialize)]
struct DocShard<'a> {
    version: u32,
    first: usize,
    docs: &'a [DocView<'a>],
}

/// What a shown result needs of a document besides its kind and code.
#[derive(Serialize)]
struct DocView<'a> {
    title: &'a str,
    summary: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    aliases: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

/// The letter of a kind in the entry's `kinds`.
fn kind_letter(kind: Kind) -> char {
    match kind {
        Kind::Class => 'k',
        Kind::Code => 'c',
        Kind::Unofficial => 'u',
        Kind::Guide => 'g',
        Kind::Section => 's',
    }
}

/// Put is how the files leave: any thread may hand one over.
pub type Put<'p> = &'p (dyn Fn(OutputFile) + Sync);

/// The entry file and the shards, each handed to `put` as soon as it is
/// made (term and document shards in parallel).
pub fn files(docs: &[Document], vocabulary: &Vocabulary, put: Put) {
    let weights = weight_table(vocabulary);
    let ((terms, prefixes), doc_refs) = rayon::join(
        || term_shards(docs.len(), vocabulary, &weights, put),
        || doc_shards(docs, put),
    );
    let entry = Entry {
        version: VERSION,
        words: front_coded(&vocabulary.words),
        weights: &weights,
        kinds: docs.iter().map(|doc| kind_letter(doc.kind)).collect(),
        codes: docs
            .iter()
            .enumerate()
            .filter_map(|(k, doc)| Some((k, doc.code?)))
            .collect(),
        terms,
        prefixes,
        docs: doc_refs,
    };
    put(OutputFile::new(ENTRY, script(ENTRY, &entry)));
}

/// The term and phrase shards, cut by size, with merged prefix lists when
/// there are several; returns the entry's references to them and its
/// `prefixes`.
fn term_shards(
    doc_count: usize,
    vocabulary: &Vocabulary,
    weights: &[f64],
    put: Put,
) -> (Vec<ShardRef>, Vec<(String, usize)>) {
    let letter = |weight: f64| {
        let k = weights
            .iter()
            .position(|&w| w == weight)
            .expect("every weight is in the table");
        char::from(b'a' + k as u8)
    };
    // Terms: cut by size, with merged prefix lists when there are several.
    let word_bytes: Vec<usize> = (0..vocabulary.words.len())
        .map(|k| word_cost(vocabulary, k))
        .collect();
    let several = word_bytes.iter().sum::<usize>() > ONE_SHARD_BYTES;
    let merged = if several {
        merged_prefixes(vocabulary, doc_count)
    } else {
        Vec::new()
    };
    // What the term shards hold, in order: each word, after the merged
    // lists of the prefixes it is the first word of. A merged list is cut
    // like a word, so a rare word is not loaded with the big list of the
    // prefix it spells ("redu" with every word starting "redu").
    let mut items = Vec::with_capacity(vocabulary.words.len() + merged.len());
    let mut by_first_word: Vec<usize> = (0..merged.len()).collect();
    by_first_word.sort_by_key(|&m| merged[m].first_word);
    let mut pending = by_first_word.into_iter().peekable();
    for k in 0..vocabulary.words.len() {
        while let Some(m) = pending.next_if(|&m| merged[m].first_word == k) {
            items.push(TermItem::Merged(m));
        }
        items.push(TermItem::Word(k));
    }
    let cost = |item: &TermItem| match *item {
        TermItem::Merged(m) => merged[m].doc_count * 2,
        TermItem::Word(k) => word_bytes[k],
    };
    let term_ranges = cut(items.len(), several, TERM_SHARD_BYTES, |i| cost(&items[i]));
    // Each shard is made on its own, in parallel; `best` is the scratch of
    // `merged_postings`, one per thread.
    let made: Vec<(ShardRef, Vec<(String, usize)>)> = term_ranges
        .par_iter()
        .enumerate()
        .map_init(
            || vec![0.0; doc_count],
            |best, (number, range)| {
                let mut prefixes = Vec::new();
                // A merged list's first word follows it: a shard of merged lists
                // only has the index of the word after them.
                let first = items.get(range.start).map_or(0, |item| match *item {
                    TermItem::Merged(m) => merged[m].first_word,
                    TermItem::Word(k) => k,
                });
                let mut shard = TermShard {
                    version: VERSION,
                    first,
                    docs: Vec::new(),
                    weights: Vec::new(),
                    merged: BTreeMap::new(),
                };
                let mut phrases = PhraseShard {
                    version: VERSION,
                    first,
                    phrases: BTreeMap::new(),
                };
                for item in &items[range.clone()] {
                    let k = match *item {
                        TermItem::Merged(m) => {
                            let postings = merged_postings(vocabulary, &merged[m].words, best);
                            let (docs, weights) = encode(&postings, letter);
                            shard
                                .merged
                                .insert(&merged[m].prefix, MergedPostings { docs, weights });
                            prefixes.push((merged[m].prefix.clone(), number));
                            continue;
                        }
                        TermItem::Word(k) => k,
                    };
                    let (docs, weights) = encode(&vocabulary.postings[k], letter);
                    shard.docs.push(docs);
                    shard.weights.push(weights);
                    if !vocabulary.phrases_with[k].is_empty() {
                        let by_doc = vocabulary.phrases_with[k]
                            .iter()
                            .map(|(doc, list)| {
                                let phrases = &vocabulary.phrases[*doc as usize];
                                let texts = list
                                    .iter()
                                    .map(|&p| {
                                        let phrase = &phrases[p as usize];
                                        (phrase.text.as_str(), phrase.weight)
                                    })
                                    .collect();
                                (*doc, texts)
                            })
                            .collect();
                        phrases.phrases.insert(k - first, by_doc);
                    }
                }
                let mut term_shard = part(put, "terms", number, first, &shard);
                if !phrases.phrases.is_empty() {
                    term_shard.phrases = Some(part(put, "phrases", number, first, &phrases).hash);
                }
                (term_shard, prefixes)
            },
        )
        .collect();
    let mut terms = Vec::with_capacity(made.len());
    let mut prefixes = Vec::new();
    for (term_shard, shard_prefixes) in made {
        terms.push(term_shard);
        prefixes.extend(shard_prefixes);
    }
    prefixes.sort_unstable();
    (terms, prefixes)
}

/// The document shards, cut by size; returns the entry's references to them.
fn doc_shards(docs: &[Document], put: Put) -> Vec<ShardRef> {
    // Documents: cut by size.
    let views: Vec<DocView> = docs
        .iter()
        .map(|doc| DocView {
            title: &doc.title,
            summary: doc.summary,
            url: &doc.url,
            aliases: doc.aliases,
            source: doc.source,
        })
        .collect();
    let view_bytes: Vec<usize> = views
        .iter()
        .map(|view| view.title.len() + view.summary.len() + view.url.len() + 40)
        .collect();
    let several = view_bytes.iter().sum::<usize>() > ONE_SHARD_BYTES;
    let doc_ranges = cut(docs.len(), several, DOC_SHARD_BYTES, |k| view_bytes[k]);
    doc_ranges
        .par_iter()
        .enumerate()
        .map(|(number, range)| {
            let shard = DocShard {
                version: VERSION,
                first: range.start,
                docs: &views[range.clone()],
            };
            part(put, "docs", number, range.start, &shard)
        })
        .collect()
}

/// `words` front-coded, one line each: a character whose code minus 33 is
/// how many UTF-16 code units the word shares with the one before (at most
/// 90, whole characters only), then the rest of the word. Sorted words share
/// long beginnings, which gzip's window is too short to see across a large
/// list: on a 10,000-guide site the entry shrank from 222 KB to 53 KB
/// gzipped.
fn front_coded(words: &[String]) -> String {
    const LONGEST: usize = 90;
    let mut coded = String::new();
    let mut previous = "";
    for (k, word) in words.iter().enumerate() {
        let mut shared = 0;
        let mut bytes = 0;
        for (a, b) in previous.chars().zip(word.chars()) {
            if a != b || shared + a.len_utf16() > LONGEST {
                break;
            }
            shared += a.len_utf16();
            bytes += a.len_utf8();
        }
        if k > 0 {
            coded.push('\n');
        }
        coded.push(char::from(33 + shared as u8));
        coded.push_str(&word[bytes..]);
        previous = word;
    }
    coded
}

/// Hands the shard `kind-number.hash.js` to `put`; returns where it is.
fn part(put: Put, kind: &str, number: usize, first: usize, shard: &impl Serialize) -> ShardRef {
    let json = serde_json::to_string(shard).expect("a shard always serializes");
    let hash = format!("{:08x}", hash(json.as_bytes()));
    let file = format!("search/{kind}-{number}.{hash}.js");
    put(OutputFile::new(file.as_str(), register(&file, &json)));
    ShardRef {
        first,
        hash,
        phrases: None,
    }
}

fn script(name: &str, value: &impl Serialize) -> String {
    register(
        name,
        &serde_json::to_string(value).expect("the entry always serializes"),
    )
}

/// The classic script that registers `json` under `name`.
fn register(name: &str, json: &str) -> String {
    format!(
        "(window.HTTPCODES_SEARCH_PARTS = window.HTTPCODES_SEARCH_PARTS || {{}})[{}] = {json};\n",
        serde_json::Value::from(name)
    )
}

/// FNV-1a, 32 bits: enough to tell two builds' shards apart.
fn hash(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash: u32, &byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Every weight the postings use, ascending (so the body weight, the
/// commonest, is `a`).
fn weight_table(vocabulary: &Vocabulary) -> Vec<f64> {
    let mut weights: Vec<f64> = Vec::new();
    for posting in vocabulary.postings.iter().flatten() {
        if !weights.contains(&posting.weight.value()) {
            weights.push(posting.weight.value());
        }
    }
    weights.sort_by(f64::total_cmp);
    assert!(weights.len() <= 26, "more weights than letters");
    weights
}

/// Postings as document differences in a [`number_string`] and weight
/// letters (`""` when all are `a`).
fn encode(postings: &[Posting], letter: impl Fn(f64) -> char) -> (String, String) {
    let mut previous = 0;
    let docs = number_string(postings.iter().map(|posting| {
        let delta = posting.doc - previous;
        previous = posting.doc;
        delta
    }));
    let weights: String = postings.iter().map(|p| letter(p.weight.value())).collect();
    let weights = if weights.bytes().all(|b| b == b'a') {
        String::new()
    } else {
        weights
    };
    (docs, weights)
}

/// The 64 characters of a [`number_string`], by value: none needs escaping
/// in JSON.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Numbers written in base 32, most significant digit first, one character
/// per digit: the last digit of a number is `DIGITS[0..32]`, the others
/// `DIGITS[32..64]`. Document differences are mostly below 32, so most take
/// one character instead of a JSON number and its comma: the term shards of
/// a 10,000-guide site shrank from 48 to 31 MB (10.0 to 8.4 MB gzipped).
fn number_string(numbers: impl Iterator<Item = u32>) -> String {
    let mut text = String::new();
    for number in numbers {
        let digits = (u32::BITS - number.leading_zeros()).div_ceil(5).max(1);
        for place in (0..digits).rev() {
            let digit = (number >> (5 * place)) & 31;
            let more = if place > 0 { 32 } else { 0 };
            text.push(char::from(DIGITS[(digit + more) as usize]));
        }
    }
    text
}

/// Roughly how many bytes word `k` takes in its term shard and phrase
/// shard: the two are cut together, so neither grows past the shard size
/// by much unless one word alone does.
fn word_cost(vocabulary: &Vocabulary, k: usize) -> usize {
    let phrases: usize = vocabulary.phrases_with[k]
        .iter()
        .map(|(doc, list)| {
            list.iter()
                .map(|&p| vocabulary.phrases[*doc as usize][p as usize].text.len() + 12)
                .sum::<usize>()
        })
        .sum();
    8 + vocabulary.postings[k].len() * 2 + phrases
}

/// Cuts `0..count` into consecutive ranges of about `size` (by `cost`), or
/// one range unless `several`. Always at least one range, maybe empty.
fn cut(
    count: usize,
    several: bool,
    size: usize,
    cost: impl Fn(usize) -> usize,
) -> Vec<std::ops::Range<usize>> {
    if !several {
        return std::iter::once(0..count).collect();
    }
    let mut ranges = Vec::new();
    let (mut start, mut filled) = (0, 0);
    for k in 0..count {
        let this = cost(k);
        if filled > 0 && filled + this > size {
            ranges.push(start..k);
            (start, filled) = (k, 0);
        }
        filled += this;
    }
    ranges.push(start..count);
    ranges
}

/// What a term shard holds.
enum TermItem {
    /// The merged list of `merged[m]`.
    Merged(usize),
    /// The postings of word `k`.
    Word(usize),
}

/// A prefix with a merged list.
struct MergedPrefix {
    prefix: String,
    /// The index of the first word with the prefix.
    first_word: usize,
    /// The words with the prefix, the prefix itself excepted (it is matched
    /// as a whole word, with more weight).
    words: Vec<usize>,
    /// How many documents have one of them.
    doc_count: usize,
}

/// Best weight per document over `words` (the merged list of a prefix),
/// made when its shard is written; `best` is all zeros, and left so.
fn merged_postings(vocabulary: &Vocabulary, words: &[usize], best: &mut [f64]) -> Vec<Posting> {
    // Weights are never 0, so 0 is "not seen yet".
    let mut seen = Vec::new();
    for &j in words {
        for posting in &vocabulary.postings[j] {
            let weight = &mut best[posting.doc as usize];
            if *weight == 0.0 {
                seen.push(posting.doc);
            }
            *weight = weight.max(posting.weight.value());
        }
    }
    seen.sort_unstable();
    seen.into_iter()
        .map(|doc| Posting {
            doc,
            weight: Weight::of(std::mem::take(&mut best[doc as usize])),
        })
        .collect()
}

/// Every prefix whose words (itself excepted) have more than
/// [`MERGED_PREFIX_POSTINGS`] postings, with how many documents its merged
/// list has (counted in parallel; the lists themselves are made when their
/// shard is written): the first letters, then the longer prefixes of those
/// that are still too big.
fn merged_prefixes(vocabulary: &Vocabulary, doc_count: usize) -> Vec<MergedPrefix> {
    let words = &vocabulary.words;
    let mut found = Vec::new();
    // (prefix length in characters, range of words), to split further.
    let mut pending = vec![(0usize, 0..words.len())];
    while let Some((length, range)) = pending.pop() {
        // The words of `range` longer than `length`, grouped by their
        // first `length + 1` characters (contiguous, since words are sorted).
        let mut k = range.start;
        while k < range.end {
            let Some(prefix) = char_prefix(&words[k], length + 1) else {
                k += 1;
                continue;
            };
            let mut end = k + 1;
            while end < range.end && words[end].starts_with(prefix) {
                end += 1;
            }
            let others = (k..end).filter(|&j| words[j] != prefix);
            let size: usize = others.clone().map(|j| vocabulary.postings[j].len()).sum();
            if size > MERGED_PREFIX_POSTINGS {
                found.push(MergedPrefix {
                    prefix: prefix.to_owned(),
                    first_word: k,
                    words: others.collect(),
                    doc_count: 0,
                });
                pending.push((length + 1, k..end));
            }
            k = end;
        }
    }
    found.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    found.par_iter_mut().for_each_init(
        || vec![0.0_f64; doc_count],
        |best, prefix| prefix.doc_count = merged_postings(vocabulary, &prefix.words, best).len(),
    );
    found
}

/// The first `count` characters of `word`, if it has that many.
fn char_prefix(word: &str, count: usize) -> Option<&str> {
    let mut ends = word.char_indices().map(|(at, c)| at + c.len_utf8());
    let end = ends.nth(count.checked_sub(1)?)?;
    Some(&word[..end])
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_in_base_32_with_a_mark_on_all_but_the_last_digit() {
        let text = super::number_string([0, 1, 31, 32, 1025, u32::MAX].into_iter());
        // 32 = 1·32 + 0; 1025 = 1·1024 + 0·32 + 1; u32::MAX has 7 digits.
        assert_eq!(text, "ABfhAhgBj_____f");
    }

    #[test]
    fn words_are_front_coded_by_utf16_units_of_whole_characters() {
        let words = ["", "ab", "abc", "abd", "b", "é𝒳a", "é𝒳b"].map(String::from);
        assert_eq!(
            super::front_coded(&words),
            "!\n!ab\n#c\n#d\n!b\n!é𝒳a\n$b",
            "é is one UTF-16 unit, 𝒳 two"
        );
        assert_eq!(super::front_coded(&[]), "");
    }
}
